package ask

import (
	"math/rand"
	"testing"
	"time"
)

// TestCoverSplitsPeriodsExactly: the pieces of a period follow each other
// without gap or overlap from its first day to its last, and every week or
// month piece is made of whole weeks or months.
func TestCoverSplitsPeriodsExactly(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, grains := range [][]string{{"month", "week"}, {"month"}, {"week"}, {"month", "week", "day"}, {"week", "day"}, {"day"}} {
		for i := 0; i < 2000; i++ {
			a := base.AddDate(0, 0, rng.Intn(900))
			b := a.AddDate(0, 0, rng.Intn(200))
			lo, hi := a.Format(time.DateOnly), b.Format(time.DateOnly)
			switch i % 10 {
			case 0:
				lo = "" // no start
			case 1:
				hi = ""
			}
			spans := cover(lo, hi, grains)
			next := lo
			for j, s := range spans {
				if s.lo != next || (j > 0 && s.lo == "") {
					t.Fatalf("%s..%s %v: piece %d starts at %q, want %q", lo, hi, spans, j, s.lo, next)
				}
				if s.grain != "" {
					if s.lo != "" && !periodStart(s.grain, day0(s.lo)).Equal(day0(s.lo)) {
						t.Fatalf("%s..%s %v: %s piece starts mid-period", lo, hi, spans, s.grain)
					}
					if s.hi != "" && !periodNext(s.grain, periodStart(s.grain, day0(s.hi))).Equal(day0(s.hi).AddDate(0, 0, 1)) {
						t.Fatalf("%s..%s %v: %s piece ends mid-period", lo, hi, spans, s.grain)
					}
				}
				if s.lo != "" && s.hi != "" && s.lo > s.hi {
					t.Fatalf("%s..%s %v: empty piece %d", lo, hi, spans, j)
				}
				if s.hi == "" {
					next = "end"
				} else {
					next = day0(s.hi).AddDate(0, 0, 1).Format(time.DateOnly)
				}
			}
			want := "end"
			if hi != "" {
				want = b.AddDate(0, 0, 1).Format(time.DateOnly)
			}
			if next != want {
				t.Fatalf("%s..%s %v: pieces end before %q, want %q", lo, hi, spans, next, want)
			}
		}
	}
}
