package ask

import (
	"fmt"
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

// TestUnusedArgsDropped: arguments the SQL does not name are dropped and
// the others numbered again in order, every mention of one alike ($1 and
// $12 told apart); SQL that names all of its arguments is left as it is.
func TestUnusedArgsDropped(t *testing.T) {
	args := []any{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"}
	c := compiled{SQL: "select $2, $12 from t where x = $2::date and y in ($4, $1) and z = $12", Args: args}.withoutUnusedArgs()
	if want := "select $2, $4 from t where x = $2::date and y in ($3, $1) and z = $4"; c.SQL != want {
		t.Errorf("SQL %q, want %q", c.SQL, want)
	}
	if fmt.Sprint(c.Args) != "[a b d l]" {
		t.Errorf("args %v, want [a b d l]", c.Args)
	}
	all := compiled{SQL: "select $1 where $2 = $3", Args: []any{1, 2, 3}}
	if got := all.withoutUnusedArgs(); got.SQL != all.SQL || len(got.Args) != 3 {
		t.Errorf("%q %v changed", got.SQL, got.Args)
	}
}
