package hr

import (
	"testing"
	"time"
)

// TestPeriodStart checks the Monday and first-of-month arithmetic of the
// rollups against the calendar, before 1970 too (negative day numbers,
// where a remainder keeps its sign).
func TestPeriodStart(t *testing.T) {
	for _, c := range []struct{ day, week, month string }{
		{"2024-02-29", "2024-02-26", "2024-02-01"}, // a Thursday of a leap February
		{"2024-03-04", "2024-03-04", "2024-03-01"}, // a Monday
		{"2025-01-05", "2024-12-30", "2025-01-01"}, // a Sunday whose week began the year before
		{"1970-01-01", "1969-12-29", "1970-01-01"},
		{"1969-12-31", "1969-12-29", "1969-12-01"},
		{"1969-12-28", "1969-12-22", "1969-12-01"}, // a Sunday before day 0
		{"1900-01-01", "1900-01-01", "1900-01-01"}, // a Monday, the earliest date the import takes
	} {
		d, ok := dayNumber(c.day)
		if !ok {
			t.Fatalf("dayNumber(%s) refused", c.day)
		}
		date := func(n int32) string { return time.Unix(int64(n)*86400, 0).UTC().Format(time.DateOnly) }
		if got := date(periodStart(grainWeek, int32(d))); got != c.week {
			t.Errorf("week of %s = %s, want %s", c.day, got, c.week)
		}
		if got := date(periodStart(grainMonth, int32(d))); got != c.month {
			t.Errorf("month of %s = %s, want %s", c.day, got, c.month)
		}
		if got := date(periodStart(grainDay, int32(d))); got != c.day {
			t.Errorf("day of %s = %s", c.day, got)
		}
	}
}
