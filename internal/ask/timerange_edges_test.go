package ask

import (
	"testing"
	"time"
)

// TestPeriodEdges: the periods added with the seventh round, at the edges
// of years, ISO years and seasons (found by its review).
func TestPeriodEdges(t *testing.T) {
	for _, c := range []struct{ now, expr, from, to string }{
		{"2025-12-30", "iso week 1", "2025-12-29", "2026-01-04"},          // ISO 2026 began in 2025
		{"2026-11-25", "iso week 53", "2020-12-28", "2021-01-03"},         // 2026's has not begun: the last one that has
		{"2025-12-30", "same week last year", "2024-12-30", "2025-01-05"}, // ISO week 1 of 2025
		{"2028-02-29", "same month last year", "2027-02-01", "2027-02-28"},
		{"2026-02-15", "this summer", "2026-06-01", "2026-08-31"},
		{"2026-02-15", "summer", "2025-06-01", "2025-08-31"},
		{"2026-07-10", "last summer", "2025-06-01", "2025-08-31"},
		{"2026-09-01", "last summer", "2026-06-01", "2026-08-31"},
		{"2026-11-25", "weekend before last", "2026-11-14", "2026-11-15"},
		// the day "6 months ago" on 31 March is 30 September, not 1 October
		{"2026-03-31", "ago 6 month", "2025-09-30", "2025-09-30"},
		{"2024-02-29", "ago 1 year", "2023-02-28", "2023-02-28"},
		// "this week vs the same period last year": the same weekdays of
		// the ISO week of that number (it took Sunday to Tuesday)
		{"2026-11-25", "a year back from this week", "2025-11-24", "2025-11-26"},
		{"2026-11-25", "a year back from this year", "2025-01-01", "2025-11-25"},
		// "over Christmas", present tense: the one under way or to come
		{"2026-10-01", "between 12-24 and 12-26 or the coming one", "2026-12-24", "2026-12-26"},
		{"2026-12-25", "between 12-24 and 12-26 or the coming one", "2026-12-24", "2026-12-26"},
		{"2026-12-27", "between 12-24 and 12-26 or the coming one", "2027-12-24", "2027-12-26"},
		// a school year runs from 1 September to 31 August
		{"2026-08-31", "this school year", "2025-09-01", "2026-08-31"},
		{"2026-09-01", "this school year", "2026-09-01", "2026-09-01"},
		{"2026-09-01", "last school year", "2025-09-01", "2026-08-31"},
		{"2026-01-15", "next school year", "2026-09-01", "2027-08-31"},
		{"2026-01-15", "end of this school year", "2026-08-31", "2026-08-31"},
		{"2026-01-15", "rest of this school year", "2026-01-15", "2026-08-31"},
		{"2026-11-25", "school year 2099-00", "2099-09-01", "2100-08-31"},
		{"2026-11-25", "month 12 this year", "2026-12-01", "2026-12-31"},
		{"2026-11-25", "month 1 next year", "2027-01-01", "2027-01-31"},
		{"2026-11-25", "from month 2025-09 to month 2026-08", "2025-09-01", "2026-08-31"},
	} {
		now, _ := time.Parse(day, c.now)
		from, to, err := resolveExpr(c.expr, now)
		if err != nil || from != c.from || to != c.to {
			t.Errorf("%s at %s: %s to %s (%v), want %s to %s", c.expr, c.now, from, to, err, c.from, c.to)
		}
	}
	for _, expr := range []string{"iso week 53 2025", "iso week 0", "days reversed"} {
		if _, _, err := resolveExpr(expr, time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)); err == nil {
			t.Errorf("%s: no error", expr)
		}
	}
	// "same week last year" in ISO week 53 of 2026: 2025 has none
	if _, _, err := resolveExpr("same week last year", time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)); err == nil {
		t.Error("same week last year in ISO 2026-W53: no error")
	}
}
