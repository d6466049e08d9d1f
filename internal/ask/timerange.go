package ask

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/scry-dev/scry/internal/errcode"
)

const day = "2006-01-02"

// weekdayNames are the days a date may be named by, in patterns.
const weekdayNames = `monday|tuesday|wednesday|thursday|friday|saturday|sunday`

var monthNames = []string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}

func monthIndex(s string) int {
	for i, m := range monthNames {
		if s == m || (len(s) >= 3 && strings.HasPrefix(m, s) && len(s) <= len(m)) {
			return i + 1
		}
	}
	return 0
}

// Resolve fills tr.From and tr.To from tr.Expr, relative to now
// (CONVENTIONS.md: ISO weeks from Monday; "last N units" are the N complete
// units before the current one; "this X" runs to today).
func (tr *TimeRange) Resolve(now time.Time) error {
	tr.apart, tr.sides = nil, nil
	if m := reVs.FindStringSubmatch(tr.Expr); m != nil {
		sides, apart, err := versusRange(m, now)
		if err != nil {
			return err
		}
		tr.From, tr.To, tr.sides = sides[0][0], sides[1][1], sides
		if apart {
			tr.apart = sides
		}
	} else {
		from, to, err := resolveExpr(tr.Expr, now)
		if err != nil {
			return err
		}
		tr.From, tr.To = from, to
	}
	from, to := tr.From, tr.To
	for _, again := range tr.restated {
		// "since 1 September" restates "this school year" (to today)
		a, b, err := resolveExpr(again, now)
		if err != nil || tr.sides != nil || a != from || b != to && b != "" && !(b == now.Format(day) && strings.HasPrefix(again, "since ")) {
			return errcode.New(errcode.NotUnderstood, "the question names two periods, %s and %s; ask about one", tr.Describe(), (&TimeRange{Expr: again, From: a, To: b}).Describe())
		}
	}
	return nil
}

// versusUnit is the unit of two periods compared ("month 10 vs month 9":
// month); two days ("today vs ago 1 year") are days, whatever words name
// them.
func versusUnit(expr string) string {
	sides := strings.SplitN(expr, " vs ", 2)
	if len(sides) != 2 {
		return rePeriodUnit.FindString(expr)
	}
	a, b := sideUnit(sides[0]), sideUnit(sides[1])
	if a != b {
		return "" // no one unit: no reading groups by it
	}
	return a
}

// sideUnit is the unit of one side of "A vs B": "a year before last week"
// is a week.
func sideUnit(side string) string {
	if m := reYearBefore.FindStringSubmatch(side); m != nil {
		return sideUnit(m[1])
	}
	if m := reYearBack.FindStringSubmatch(side); m != nil {
		return sideUnit(m[1])
	}
	if reDayExpr.MatchString(side) {
		return "day"
	}
	return rePeriodUnit.FindString(side)
}

// reDayExpr is an expression of one day.
var reDayExpr = regexp.MustCompile(`^(?:today|yesterday|tomorrow|ago \d+ [a-z]+|on .+)$`)

// versusRange resolves two periods compared side by side ("A vs B"),
// earlier first; apart: one does not follow the other ("October 2026 vs
// October 2025"), and their answer is each period's rows asked alone
// (compileApart), never the span's. Two days are always apart, even one
// after the other: a headcount is taken on each.
func versusRange(m []string, now time.Time) ([][2]string, bool, error) {
	a1, b1, a2, b2, err := resolveBoth(m[1], m[2], now)
	if err != nil {
		return nil, false, err
	}
	if a1 == "" || b1 == "" || a2 == "" || b2 == "" {
		return nil, false, errcode.New(errcode.NotUnderstood, "scry compares two periods side by side when each has a start and an end (%s, %s); ask about each on its own", m[1], m[2])
	}
	if a2 < a1 {
		a1, b1, a2, b2 = a2, b2, a1, b1
	}
	sides := [][2]string{{a1, b1}, {a2, b2}}
	if t, _ := time.Parse(day, b1); t.AddDate(0, 0, 1).Format(day) == a2 && (a1 != b1 || a2 != b2) {
		return sides, false, nil
	}
	if b1 >= a2 {
		return nil, false, errcode.New(errcode.NotUnderstood, "the two periods compared (%s and %s) overlap; ask about each on its own", SpanWords(a1, b1), SpanWords(a2, b2))
	}
	return sides, true, nil
}

// yearBack is the whole week, month, quarter or year holding t, a year
// back: a week is the ISO week of the same number.
func yearBack(unit string, t time.Time) (string, string, error) {
	s := startOf(unit, time.Date(t.Year()-1, t.Month(), 1, 0, 0, 0, 0, time.UTC))
	if unit == "week" {
		y, n := t.ISOWeek()
		if s = isoWeekStart(y-1, n); !isISOWeek(s, n) {
			return "", "", errcode.New(errcode.NotUnderstood, "%d has no ISO week %d; ask for a week by its dates", y-1, n)
		}
	}
	return s.Format(day), add(unit, s, 1).AddDate(0, 0, -1).Format(day), nil
}

// sameDayBack is t's day of the month, months months back, or that
// month's last day ("6 months ago" on 31 March is 30 September, not 1
// October).
func sameDayBack(t time.Time, months int) time.Time {
	first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -months, 0)
	last := first.AddDate(0, 1, -1)
	return first.AddDate(0, 0, min(t.Day(), last.Day())-1)
}

// isoWeekStart is the Monday of ISO week n of year: week 1 holds 4 January.
func isoWeekStart(year, n int) time.Time {
	jan4 := time.Date(year, 1, 4, 0, 0, 0, 0, time.UTC)
	return startOf("week", jan4).AddDate(0, 0, 7*(n-1))
}

// isISOWeek: the week that begins on s is ISO week n of its year.
func isISOWeek(s time.Time, n int) bool {
	_, w := s.ISOWeek()
	return n >= 1 && w == n
}

func startOf(unit string, t time.Time) time.Time {
	t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	switch unit {
	case "week":
		return t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7))
	case "month":
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	case "quarter":
		return time.Date(t.Year(), time.Month((int(t.Month())-1)/3*3+1), 1, 0, 0, 0, 0, time.UTC)
	case "year":
		return time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	case "school year":
		// a school year runs from 1 September to 31 August: the demo
		// district's July and August hold a quarter of another month's
		// shifts, and every outside tester who asked assumed September
		y := t.Year()
		if t.Month() < time.September {
			y--
		}
		return time.Date(y, time.September, 1, 0, 0, 0, 0, time.UTC)
	}
	return t
}

func add(unit string, t time.Time, n int) time.Time {
	switch unit {
	case "week":
		return t.AddDate(0, 0, 7*n)
	case "month":
		return t.AddDate(0, n, 0)
	case "quarter":
		return t.AddDate(0, 3*n, 0)
	case "year", "school year":
		return t.AddDate(n, 0, 0)
	}
	return t.AddDate(0, 0, n)
}

var (
	reRelN        = regexp.MustCompile(`^last (\d+) (day|week|month|quarter|year)$`)
	reNextN       = regexp.MustCompile(`^next (\d+) (day|week|month|quarter|year)$`)
	reRel         = regexp.MustCompile(`^(this|last|next) (week|month|quarter|year|school year)$`)
	reMonth       = regexp.MustCompile(`^month (\d{1,2})(?: (this year|last year|next year|or the coming one))?$`)
	reRestOf      = regexp.MustCompile(`^rest of this (week|month|quarter|year|school year)$`)
	reSchoolYear  = regexp.MustCompile(`^school year (\d{4})-(\d{2})$`)
	reYearWritten = regexp.MustCompile(`\d{4}`)
	reBeforeLast  = regexp.MustCompile(`^(week|month|quarter|year) before last$`)
	reVs          = regexp.MustCompile(`^(.+) vs (.+)$`)
	reMonthY      = regexp.MustCompile(`^month (\d{4})-(\d{2})$`)
	reYear        = regexp.MustCompile(`^year (\d{4})$`)
	reQuarter     = regexp.MustCompile(`^(quarter|half) ([1-4])(?: (\d{4}|this year|last year))?$`)
	reOnDay       = regexp.MustCompile(`^on (?:(` + weekdayNames + `) )?day (\d{1,2})( or the coming one)?$`)
	reOnMD        = regexp.MustCompile(`^on (?:(` + weekdayNames + `) )?(?:(\d{4})-)?(\d{2})-(\d{2})(?: (this year|last year|or the coming one))?$`)
	reWeekday     = regexp.MustCompile(`^(this|last|next) (` + weekdayNames + `)$`)
	reEdge        = regexp.MustCompile(`^(start|end) of (.+)$`)
	reWeekOf      = regexp.MustCompile(`^week of (.+)$`)
	reISOWeek     = regexp.MustCompile(`^iso week (\d{1,2})(?: (\d{4}|this year|last year))?$`)
	reSameLast    = regexp.MustCompile(`^same (week|month|quarter) last year$`)
	reYearBefore  = regexp.MustCompile(`^a year before (.+)$`)
	reYearBack    = regexp.MustCompile(`^a year back from (.+)$`)
	reAgo         = regexp.MustCompile(`^ago (\d+) (day|week|month|year)$`)
	reSeason      = regexp.MustCompile(`^(this |last )?(spring|summer|autumn)(?: (\d{4}|this year|last year))?$`)
	reWeekend     = regexp.MustCompile(`^(this|last|next) weekend$`)
	reFromTo      = regexp.MustCompile(`^from (.+) to (.+)$`)
	reSince       = regexp.MustCompile(`^since (\d{4}-\d{2}-\d{2})$`)
	reOn          = regexp.MustCompile(`^on (\d{4}-\d{2}-\d{2})$`)
	reBetween     = regexp.MustCompile(`^between (\d{4}-\d{2}-\d{2}) and (\d{4}-\d{2}-\d{2})$`)
	reSinceMD     = regexp.MustCompile(`^since (\d{2})-(\d{2})$`)
	reBetwMD      = regexp.MustCompile(`^between (\d{2})-(\d{2}) and (\d{2})-(\d{2})( or the coming one| this year| last year)?$`)
)

// resolveBoth resolves the two periods of "A vs B" or "from A to B".
func resolveBoth(x, y string, now time.Time) (a1, b1, a2, b2 string, err error) {
	if a1, b1, err = resolveExpr(x, now); err != nil {
		return
	}
	a2, b2, err = resolveExpr(y, now)
	return
}

func resolveExpr(expr string, now time.Time) (string, string, error) {
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	f := func(a, b time.Time) (string, string, error) { return a.Format(day), b.Format(day), nil }
	switch expr {
	case "today":
		return f(today, today)
	case "yesterday":
		return f(today.AddDate(0, 0, -1), today.AddDate(0, 0, -1))
	case "tomorrow":
		return f(today.AddDate(0, 0, 1), today.AddDate(0, 0, 1))
	case "upcoming":
		return today.Format(day), "", nil
	case "days reversed":
		return "", "", errcode.New(errcode.NotUnderstood, "the first day of that range comes after its last; name them in order (\"between 3 and 20 November\")")
	case "to date":
		return "", today.Format(day), nil
	}
	if m := reRelN.FindStringSubmatch(expr); m != nil {
		n, _ := strconv.Atoi(m[1])
		if n < 1 || n > 1000 {
			return "", "", errcode.New(errcode.NotUnderstood, "The period %q is out of range; ask for 1 to 1000 units", expr)
		}
		cur := startOf(m[2], today)
		return f(add(m[2], cur, -n), cur.AddDate(0, 0, -1))
	}
	if m := reNextN.FindStringSubmatch(expr); m != nil {
		n, _ := strconv.Atoi(m[1])
		if n < 1 || n > 1000 {
			return "", "", errcode.New(errcode.NotUnderstood, "The period %q is out of range; ask for 1 to 1000 units", expr)
		}
		next := add(m[2], startOf(m[2], today), 1)
		return f(next, add(m[2], next, n).AddDate(0, 0, -1))
	}
	if m := reRel.FindStringSubmatch(expr); m != nil {
		cur := startOf(m[2], today)
		switch m[1] {
		case "this":
			return f(cur, today)
		case "last":
			return f(add(m[2], cur, -1), cur.AddDate(0, 0, -1))
		default:
			return f(add(m[2], cur, 1), add(m[2], cur, 2).AddDate(0, 0, -1))
		}
	}
	if m := reMonth.FindStringSubmatch(expr); m != nil {
		mo, _ := strconv.Atoi(m[1])
		if mo < 1 || mo > 12 {
			return "", "", errcode.New(errcode.NotUnderstood, "There is no month %d", mo)
		}
		y := today.Year()
		switch {
		case m[2] == "last year":
			y--
		case m[2] == "next year":
			y++
		case m[2] == "" && time.Month(mo) > today.Month():
			y-- // the most recent such month that has started
		case m[2] == "or the coming one" && time.Month(mo) < today.Month():
			y++ // "what will the labour cost be in December": the one to come
		}
		s := time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC)
		return f(s, s.AddDate(0, 1, -1))
	}
	if m := reMonthY.FindStringSubmatch(expr); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		if mo < 1 || mo > 12 {
			return "", "", errcode.New(errcode.NotUnderstood, "There is no month %d", mo)
		}
		s := time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC)
		return f(s, s.AddDate(0, 1, -1))
	}
	if m := reYear.FindStringSubmatch(expr); m != nil {
		y, _ := strconv.Atoi(m[1])
		s := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		return f(s, s.AddDate(1, 0, -1))
	}
	if m := reQuarter.FindStringSubmatch(expr); m != nil {
		// a quarter or half of a year: of the year named, else the most
		// recent one that has started
		n, _ := strconv.Atoi(m[2])
		months := map[string]int{"quarter": 3, "half": 6}[m[1]]
		if n > 12/months {
			return "", "", errcode.New(errcode.NotUnderstood, "A year has only %d %ss", 12/months, m[1])
		}
		y := today.Year()
		switch m[3] {
		case "", "this year":
			if s := time.Date(y, time.Month(months*(n-1)+1), 1, 0, 0, 0, 0, time.UTC); m[3] == "" && s.After(today) {
				y--
			}
		case "last year":
			y--
		default:
			y, _ = strconv.Atoi(m[3])
		}
		s := time.Date(y, time.Month(months*(n-1)+1), 1, 0, 0, 0, 0, time.UTC)
		return f(s, s.AddDate(0, months, -1))
	}
	if m := reOnDay.FindStringSubmatch(expr); m != nil {
		// "did I work on the 14th": the last 14th up to today, or, unless
		// the question speaks of the past, the coming one within a month
		wd, d := m[1], atoi(m[2])
		var last, next time.Time
		for k := 0; k < 13; k++ {
			if t, ok := dayIn(today.Year(), int(today.Month())-k, d); ok && !t.After(today) && last.IsZero() {
				last = time.Date(today.Year(), today.Month()-time.Month(k), d, 0, 0, 0, 0, time.UTC)
			}
			if t := time.Date(today.Year(), today.Month()+time.Month(k), d, 0, 0, 0, 0, time.UTC); t.Day() == d && !t.Before(today) && next.IsZero() {
				next = t
			}
		}
		if d < 1 || d > 31 || last.IsZero() {
			return "", "", errcode.New(errcode.NotUnderstood, "the %s is not a day of the month", m[2])
		}
		if m[3] != "" && !next.IsZero() && next.Sub(today) <= 31*24*time.Hour {
			last = next
		}
		if wd != "" && !strings.EqualFold(last.Weekday().String(), wd) {
			return "", "", errcode.New(errcode.NotUnderstood, "%s is a %s, not a %s; give the month too", last.Format("2 January 2006"), last.Weekday(), strings.ToUpper(wd[:1])+wd[1:])
		}
		return f(last, last)
	}
	if m := reOnMD.FindStringSubmatch(expr); m != nil {
		// a day of the year: the most recent one on or before today, or in
		// the year named; a weekday written beside it must agree
		t, ok := lastOccurrence(atoi(m[3]), atoi(m[4]), today)
		switch {
		case m[5] == "or the coming one":
			t, ok = comingOccurrence(atoi(m[3]), atoi(m[4]), today)
		case m[2] != "":
			t, ok = dayIn(atoi(m[2]), atoi(m[3]), atoi(m[4]))
		case m[5] == "this year":
			t, ok = dayIn(today.Year(), atoi(m[3]), atoi(m[4]))
		case m[5] == "last year":
			t, ok = dayIn(today.Year()-1, atoi(m[3]), atoi(m[4]))
		}
		if !ok {
			return "", "", errcode.New(errcode.NotUnderstood, "%s-%s is not a day of the year", m[3], m[4])
		}
		if m[1] != "" && !strings.EqualFold(t.Weekday().String(), m[1]) {
			return "", "", errcode.New(errcode.NotUnderstood, "%s was a %s, not a %s; give the date with its year", t.Format("2 January 2006"), t.Weekday(), strings.ToUpper(m[1][:1])+m[1][1:])
		}
		return f(t, t)
	}
	if m := reWeekday.FindStringSubmatch(expr); m != nil {
		// "this saturday" is in the current ISO week; "last" and "next" are
		// the nearest one before or after today
		var wd int
		for i := 0; i < 7; i++ {
			if strings.EqualFold(time.Weekday(i).String(), m[2]) {
				wd = i
			}
		}
		t := startOf("week", today).AddDate(0, 0, (wd+6)%7)
		switch {
		case m[1] == "last":
			for !t.Before(today) {
				t = t.AddDate(0, 0, -7)
			}
			for t.AddDate(0, 0, 7).Before(today) {
				t = t.AddDate(0, 0, 7)
			}
		case m[1] == "next":
			for !t.After(today) {
				t = t.AddDate(0, 0, 7)
			}
			for t.AddDate(0, 0, -7).After(today) {
				t = t.AddDate(0, 0, -7)
			}
		}
		return f(t, t)
	}
	if m := reEdge.FindStringSubmatch(expr); m != nil {
		// "the end of 2025": the last day of the period, as one day
		from, to, err := resolveExpr(m[2], now)
		if err != nil {
			return "", "", err
		}
		if r := reRel.FindStringSubmatch(m[2]); r != nil && r[1] == "this" && m[1] == "end" {
			to = add(r[2], startOf(r[2], today), 1).AddDate(0, 0, -1).Format(day) // "the end of this year": 31 December, not today
		}
		if m[1] == "start" {
			to = from
		} else {
			from = to
		}
		if from == "" {
			return "", "", errcode.New(errcode.NotUnderstood, "%q has no %s", m[2], m[1])
		}
		return from, to, nil
	}
	if m := reSchoolYear.FindStringSubmatch(expr); m != nil {
		// "the 2025-26 school year": its second year must follow the first
		y := atoi(m[1])
		if (y+1)%100 != atoi(m[2]) {
			return "", "", errcode.New(errcode.NotUnderstood, "a school year runs over two years that follow each other, as 2025-26")
		}
		s := time.Date(y, time.September, 1, 0, 0, 0, 0, time.UTC)
		return f(s, add("school year", s, 1).AddDate(0, 0, -1))
	}
	if m := reBeforeLast.FindStringSubmatch(expr); m != nil {
		// "the week before last": the whole week before last week
		s := add(m[1], startOf(m[1], today), -2)
		return f(s, add(m[1], s, 1).AddDate(0, 0, -1))
	}
	if m := reRestOf.FindStringSubmatch(expr); m != nil {
		// "the rest of the year": today to the period's last day
		return f(today, add(m[1], startOf(m[1], today), 1).AddDate(0, 0, -1))
	}
	if m := reWeekend.FindStringSubmatch(expr); m != nil {
		// the Saturday and Sunday of this, the last or the next ISO week
		s := startOf("week", today).AddDate(0, 0, 5+7*map[string]int{"this": 0, "last": -1, "next": 1}[m[1]])
		return f(s, s.AddDate(0, 0, 1))
	}
	if m := reWeekOf.FindStringSubmatch(expr); m != nil {
		// "the week of December 7": the ISO week that holds the day
		from, _, err := resolveExpr("on "+m[1], now)
		if err != nil {
			return "", "", err
		}
		t, _ := time.Parse(day, from)
		s := startOf("week", t)
		return f(s, s.AddDate(0, 0, 6))
	}
	if expr == "weekend before last" {
		s := startOf("week", today).AddDate(0, 0, 5-14)
		return f(s, s.AddDate(0, 0, 1))
	}
	if m := reAgo.FindStringSubmatch(expr); m != nil {
		// "a year ago", "6 months ago": that day
		n := atoi(m[1])
		if n < 1 || n > 100 {
			return "", "", errcode.New(errcode.NotUnderstood, "%q is out of range; ask for 1 to 100 %ss ago", expr, m[2])
		}
		d := add(m[2], today, -n)
		if m[2] == "month" || m[2] == "year" {
			d = sameDayBack(today, n*map[bool]int{true: 12, false: 1}[m[2] == "year"])
		}
		return f(d, d)
	}
	if m := reSameLast.FindStringSubmatch(expr); m != nil {
		return yearBack(m[1], today) // "the same month last year": this month's, a year back
	}
	if m := reYearBack.FindStringSubmatch(expr); m != nil {
		// "the same period last year": the other side's own dates, a year
		// back ("this year" so far: 1 January to today's date last year)
		a, b, err := resolveExpr(m[1], now)
		if err != nil {
			return "", "", err
		}
		ta, err1 := time.Parse(day, a)
		tb, err2 := time.Parse(day, b)
		if err1 != nil || err2 != nil {
			return "", "", errcode.New(errcode.NotUnderstood, "%q has no start and end to take a year back", m[1])
		}
		if sideUnit(m[1]) == "week" {
			// the same days of the ISO week of that number: Monday to
			// Wednesday stays Monday to Wednesday
			y, n := ta.ISOWeek()
			s := isoWeekStart(y-1, n)
			if !isISOWeek(s, n) {
				return "", "", errcode.New(errcode.NotUnderstood, "%d has no ISO week %d; ask for a week by its dates", y-1, n)
			}
			s = s.AddDate(0, 0, int(ta.Sub(startOf("week", ta)).Hours()/24))
			return f(s, s.AddDate(0, 0, int(tb.Sub(ta).Hours()/24)))
		}
		return f(ta.AddDate(-1, 0, 0), tb.AddDate(-1, 0, 0))
	}
	if m := reYearBefore.FindStringSubmatch(expr); m != nil {
		// "October vs the same month last year": the other side's period,
		// a year back
		a, _, err := resolveExpr(m[1], now)
		if err != nil {
			return "", "", err
		}
		t, err := time.Parse(day, a)
		unit := rePeriodUnit.FindString(m[1])
		if err != nil || unit == "" {
			return "", "", errcode.New(errcode.NotUnderstood, "%q has no period of its own to take a year back", m[1])
		}
		return yearBack(unit, t)
	}
	if m := reSeason.FindStringSubmatch(expr); m != nil {
		// spring March–May, summer June–August, autumn September–
		// November; with no year the latest that has begun ("last": that
		// has ended)
		first := map[string]time.Month{"spring": time.March, "summer": time.June, "autumn": time.September}[m[2]]
		year := today.Year()
		switch {
		case m[1] == "this " && m[3] == "", m[3] == "this year":
		case m[3] == "last year":
			year--
		case m[3] == "":
			begun := time.Date(year, first, 1, 0, 0, 0, 0, time.UTC)
			if m[1] == "last " {
				begun = begun.AddDate(0, 3, 0)
			}
			if today.Before(begun) {
				year--
			}
		default:
			year = atoi(m[3])
		}
		s := time.Date(year, first, 1, 0, 0, 0, 0, time.UTC)
		return f(s, s.AddDate(0, 3, -1))
	}
	if m := reISOWeek.FindStringSubmatch(expr); m != nil {
		// "week 45": that ISO week of the year named, else of the latest
		// year in which it has begun (as "in March" is the latest March)
		n := atoi(m[1])
		year, _ := today.ISOWeek()
		switch m[2] {
		case "", "this year":
		case "last year":
			year--
		default:
			year = atoi(m[2])
		}
		s := isoWeekStart(year, n)
		for k := 1; m[2] == "" && k < 8 && (s.After(today) || !isISOWeek(s, n)); k++ {
			s = isoWeekStart(year-k, n) // the latest such week that has begun
		}
		if !isISOWeek(s, n) {
			return "", "", errcode.New(errcode.NotUnderstood, "%d has no ISO week %d: weeks are numbered 1 to 52 or 53", year, n)
		}
		return f(s, s.AddDate(0, 0, 6))
	}
	if m := reVs.FindStringSubmatch(expr); m != nil {
		// two periods compared inside another expression ("from A vs B
		// to …"): only as one span, which must hold nothing else
		sides, apart, err := versusRange(m, now)
		if err != nil {
			return "", "", err
		}
		if apart {
			return "", "", errcode.New(errcode.NotUnderstood, "scry compares two periods side by side when one follows the other (%s and %s do not); ask about each on its own", m[1], m[2])
		}
		return sides[0][0], sides[1][1], nil
	}
	if m := reFromTo.FindStringSubmatch(expr); m != nil {
		// "from March to May": the start of one period to the end of the
		// other; a start that would fall after the end is the year before
		a, _, _, b, err := resolveBoth(m[1], m[2], now)
		if err != nil {
			return "", "", err
		}
		if strings.HasPrefix(m[1], "end of ") {
			// "sick days since the end of Q3": after it (its last day was
			// counted, and a sick leave inside Q3 with it)
			if a >= now.Format(day) {
				return "", "", errcode.New(errcode.NotUnderstood, "%s has not ended yet", strings.TrimPrefix(m[1], "end of "))
			}
			t, _ := time.Parse(day, a)
			a = t.AddDate(0, 0, 1).Format(day)
		}
		if a > b && !reYearWritten.MatchString(expr) {
			t, _ := time.Parse(day, a)
			a = t.AddDate(-1, 0, 0).Format(day)
		}
		if a == "" || b == "" || a > b {
			return "", "", errcode.New(errcode.NotUnderstood, "%q does not hold a start and an end", expr)
		}
		return a, b, nil
	}
	if m := reSince.FindStringSubmatch(expr); m != nil {
		s, err := time.Parse(day, m[1])
		if err != nil {
			return "", "", errcode.New(errcode.NotUnderstood, "%s is not a date", m[1])
		}
		if s.After(today) {
			return "", "", errcode.New(errcode.NotUnderstood, "%s is after today (%s); ask \"between\" two dates instead", m[1], today.Format(day))
		}
		return f(s, today)
	}
	if m := reSinceMD.FindStringSubmatch(expr); m != nil {
		s, ok := lastOccurrence(atoi(m[1]), atoi(m[2]), today)
		if !ok {
			return "", "", errcode.New(errcode.NotUnderstood, "%s-%s is not a day of the year", m[1], m[2])
		}
		return f(s, today)
	}
	if m := reBetwMD.FindStringSubmatch(expr); m != nil {
		a, ok1 := lastOccurrence(atoi(m[1]), atoi(m[2]), today)
		switch m[5] {
		case " or the coming one":
			// "who is off over Christmas": the one under way or to come
			if end, ok := dayIn(a.Year(), atoi(m[3]), atoi(m[4])); ok {
				if end.Before(a) {
					end = end.AddDate(1, 0, 0)
				}
				if end.Before(today) {
					a, ok1 = dayIn(a.Year()+1, atoi(m[1]), atoi(m[2]))
				}
			}
		case " this year":
			a, ok1 = dayIn(today.Year(), atoi(m[1]), atoi(m[2]))
		case " last year":
			a, ok1 = dayIn(today.Year()-1, atoi(m[1]), atoi(m[2]))
		}
		b, ok2 := dayIn(a.Year(), atoi(m[3]), atoi(m[4]))
		if !ok1 || !ok2 {
			return "", "", errcode.New(errcode.NotUnderstood, "%q does not hold two days of the year", expr)
		}
		if b.Before(a) {
			b = b.AddDate(1, 0, 0)
		}
		return f(a, b)
	}
	if m := reOn.FindStringSubmatch(expr); m != nil {
		s, err := time.Parse(day, m[1])
		if err != nil {
			return "", "", errcode.New(errcode.NotUnderstood, "%s is not a date", m[1])
		}
		return f(s, s)
	}
	if m := reBetween.FindStringSubmatch(expr); m != nil {
		a, err1 := time.Parse(day, m[1])
		b, err2 := time.Parse(day, m[2])
		if err1 != nil || err2 != nil {
			return "", "", errcode.New(errcode.NotUnderstood, "%q does not hold two valid dates", expr)
		}
		if b.Before(a) {
			a, b = b, a
		}
		return f(a, b)
	}
	return "", "", errcode.New(errcode.NotUnderstood, "The time expression %q is not one scry knows", expr)
}

// dayIn is month-day in year, if that day exists.
func dayIn(year, month, d int) (time.Time, bool) {
	t := time.Date(year, time.Month(month), d, 0, 0, 0, 0, time.UTC)
	return t, month >= 1 && month <= 12 && t.Month() == time.Month(month) && t.Day() == d
}

// comingOccurrence is the month-day within the next 31 days, else the
// most recent one: "who is off the week of December 7" asked in late
// November is the coming one, "on June 1" the last.
func comingOccurrence(month, d int, today time.Time) (time.Time, bool) {
	last, ok := lastOccurrence(month, d, today)
	if next, ok2 := dayIn(last.Year()+1, month, d); ok2 && next.Sub(today) <= 31*24*time.Hour {
		return next, true
	}
	return last, ok
}

// lastOccurrence is the most recent month-day on or before today.
func lastOccurrence(month, d int, today time.Time) (time.Time, bool) {
	t, ok := dayIn(today.Year(), month, d)
	if ok && t.After(today) {
		t, ok = dayIn(today.Year()-1, month, d)
	}
	return t, ok
}

// days is the length of a resolved range in days (0 when open).
func (tr *TimeRange) days() int {
	if tr == nil || tr.From == "" || tr.To == "" {
		return 0
	}
	a, _ := time.Parse(day, tr.From)
	b, _ := time.Parse(day, tr.To)
	return int(b.Sub(a).Hours()/24) + 1
}

// Describe says the resolved range in words.
func (tr *TimeRange) Describe() string {
	switch {
	case tr == nil:
		return "all data up to today"
	case tr.From == "":
		return fmt.Sprintf("%s (up to %s)", tr.Expr, tr.To)
	case tr.To == "":
		return fmt.Sprintf("%s (from %s on)", tr.Expr, tr.From)
	case tr.apart != nil:
		return fmt.Sprintf("%s (%s to %s and %s to %s)", tr.Expr, tr.apart[0][0], tr.apart[0][1], tr.apart[1][0], tr.apart[1][1])
	case tr.From == tr.To:
		return fmt.Sprintf("%s (%s)", tr.Expr, tr.From)
	}
	return fmt.Sprintf("%s (%s to %s)", tr.Expr, tr.From, tr.To)
}
