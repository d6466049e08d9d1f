package chart

import (
	"fmt"
	"strings"
	"time"

	"github.com/scry-dev/scry/internal/ask"
)

// PartialPeriods are the values of an answer's first (time) dimension whose
// period the answer only partly covers: a week cut by the start of "the
// last 3 months", the current month. Their totals are low because of the
// range, not the data, so charts and tables mark them. now (YYYY-MM-DD, may
// be empty) is the date asked at.
func PartialPeriods(a *ask.Answer, now string) map[string]bool {
	out := map[string]bool{}
	if a == nil || a.Query == nil || len(a.Query.Dimensions) == 0 || len(a.Columns) == 0 {
		return out
	}
	grain := a.Columns[0].Name
	from, to := time.Time{}, time.Time{}
	if tr := a.Query.Time; tr != nil {
		from, _ = time.Parse(time.DateOnly, tr.From)
		to, _ = time.Parse(time.DateOnly, tr.To)
	}
	if n, err := time.Parse(time.DateOnly, now); err == nil && (to.IsZero() || n.Before(to)) {
		to = n
	}
	if from.IsZero() && to.IsZero() {
		return out
	}
	for _, r := range a.Rows {
		v := fmt.Sprint(r[0])
		start, end, ok := period(grain, v)
		if !ok {
			return out // not a time axis
		}
		if !from.IsZero() && start.Before(from) || !to.IsZero() && end.After(to) {
			out[v] = true
		}
	}
	return out
}

// period is the first and last day of a time dimension's value.
func period(grain, v string) (time.Time, time.Time, bool) {
	switch grain {
	case "day":
		t, err := time.Parse(time.DateOnly, v)
		return t, t, err == nil
	case "week":
		t, err := time.Parse(time.DateOnly, v)
		return t, t.AddDate(0, 0, 6), err == nil
	case "month":
		t, err := time.Parse("2006-01", v)
		return t, t.AddDate(0, 1, -1), err == nil
	case "quarter":
		y, q, ok := strings.Cut(v, "-Q")
		t, err := time.Parse("2006", y)
		n := atoi(q)
		if !ok || err != nil || n < 1 || n > 4 {
			return time.Time{}, time.Time{}, false
		}
		start := t.AddDate(0, 3*(n-1), 0)
		return start, start.AddDate(0, 3, -1), true
	case "year":
		t, err := time.Parse("2006", v)
		return t, t.AddDate(1, 0, -1), err == nil
	}
	return time.Time{}, time.Time{}, false
}
