// Package hr is the workforce dataset: employees, their shifts and absences.
// It validates and imports a tenant's three CSV files (see SCHEMA.md in the
// demo data) all-or-nothing, and learns the tenant's own vocabulary
// (departments, positions, locations, names) for the question parser.
package hr

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// column describes one CSV column: its name and how a value is checked and
// converted for the database (nil = NULL).
type column struct {
	name     string
	max      int                        // most characters a text field may hold (0: not text, its parser bounds it)
	optional bool                       // empty allowed (NULL)
	date     bool                       // a calendar date (typed as such for PostgreSQL's COPY)
	parse    func(string) (any, string) // value, or "" and what was expected
}

type fileSpec struct {
	name    string
	table   string
	columns []column
}

// Field limits, in characters (README, "HR data import"). They keep every
// value well under PostgreSQL's b-tree entry limit (about 2,700 bytes: a
// 10 KB department broke the vocabulary index) and keep one bad file from
// storing megabytes in a name on SQLite, which has no such limit.
const (
	maxID    = 64  // employee_id, shift_id, absence_id, manager_id
	maxName  = 200 // names, department, position, location
	maxEmail = 254 // RFC 5321's longest forward path
)

var (
	employeesSpec = fileSpec{"employees.csv", "employees", []column{
		{name: "employee_id", max: maxID, parse: parseText},
		{name: "first_name", max: maxName, parse: parseText},
		{name: "last_name", max: maxName, parse: parseText},
		{name: "email", max: maxEmail, parse: parseEmail},
		{name: "gender", parse: parseEnum("female", "male", "non_binary")},
		{name: "birth_date", parse: parseDate, date: true},
		{name: "hire_date", parse: parseDate, date: true},
		{name: "end_date", optional: true, parse: parseDate, date: true},
		{name: "department", max: maxName, parse: parseText},
		{name: "position", max: maxName, parse: parseText},
		{name: "contract_type", parse: parseEnum("full_time", "part_time", "temporary", "apprentice")},
		{name: "weekly_hours", parse: parseCount},
		{name: "manager_id", max: maxID, optional: true, parse: parseText},
		{name: "location", max: maxName, parse: parseText},
		{name: "hourly_wage", parse: parseAmount},
	}}
	shiftsSpec = fileSpec{"shifts.csv", "shifts", []column{
		{name: "shift_id", max: maxID, parse: parseText},
		{name: "employee_id", max: maxID, parse: parseText},
		{name: "date", parse: parseDate, date: true},
		{name: "start_time", parse: parseClock},
		{name: "end_time", parse: parseClock},
		{name: "break_minutes", parse: parseCount},
		{name: "hours", parse: parseAmount},
		{name: "position", max: maxName, parse: parseText},
		{name: "location", max: maxName, parse: parseText},
		{name: "status", parse: parseEnum("worked", "planned")},
	}}
	absencesSpec = fileSpec{"absences.csv", "absences", []column{
		{name: "absence_id", max: maxID, parse: parseText},
		{name: "employee_id", max: maxID, parse: parseText},
		{name: "type", parse: parseEnum("vacation", "sick_leave", "training", "parental_leave", "unpaid_leave")},
		{name: "start_date", parse: parseDate, date: true},
		{name: "end_date", parse: parseDate, date: true},
		{name: "days", parse: parseCount},
	}}
)

// fileSpecs are the three files in the order they are read.
var fileSpecs = [...]fileSpec{employeesSpec, shiftsSpec, absencesSpec}

func (f fileSpec) columnNames() string {
	names := make([]string, len(f.columns))
	for i, c := range f.columns {
		names[i] = c.name
	}
	return strings.Join(names, ",")
}

// checkText refuses control characters (NUL, tabs, line breaks inside
// quotes, C1 codes: none belongs in a name, and NUL cannot even be stored
// in PostgreSQL text) and text longer than the column's limit.
func (c column) checkText(s string) string {
	if c.max == 0 {
		return ""
	}
	// ASCII first, byte by byte: this runs for four fields of every shift.
	ascii := true
	for i := 0; i < len(s); i++ {
		if b := s[i]; b < 0x20 || b == 0x7f {
			return fmt.Sprintf("text without control characters (found %U)", rune(b))
		} else if b >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		if len(s) > c.max {
			return fmt.Sprintf("at most %d characters (this one has %d)", c.max, len(s))
		}
		return ""
	}
	n := 0
	for _, r := range s {
		if unicode.IsControl(r) {
			return fmt.Sprintf("text without control characters (found %U)", r)
		}
		n++
	}
	if n > c.max {
		return fmt.Sprintf("at most %d characters (this one has %d)", c.max, n)
	}
	return ""
}

func parseText(s string) (any, string) {
	if strings.TrimSpace(s) == "" {
		return nil, "a non-empty text"
	}
	return s, ""
}

func parseEmail(s string) (any, string) {
	at := strings.IndexByte(s, '@')
	if at < 1 || at == len(s)-1 || strings.ContainsAny(s, " ,;<>") || strings.Count(s, "@") != 1 {
		return nil, "an email address like name@example.com"
	}
	return s, ""
}

func parseEnum(allowed ...string) func(string) (any, string) {
	want := "one of " + strings.Join(allowed, ", ")
	// boxed once: the shared constants, so that rows neither hold a copy
	// nor allocate an interface each
	boxed := make([]any, len(allowed))
	for i, a := range allowed {
		boxed[i] = a
	}
	return func(s string) (any, string) {
		for i, a := range allowed {
			if s == a {
				return boxed[i], ""
			}
		}
		return nil, want
	}
}

// parseDate accepts YYYY-MM-DD for a real calendar day.
func parseDate(s string) (any, string) {
	if _, ok := dayNumber(s); !ok {
		return nil, "a date YYYY-MM-DD"
	}
	return s, ""
}

// dayNumber returns days since 1970-01-01 for a valid YYYY-MM-DD, without
// allocating (this runs a few million times per large import).
func dayNumber(s string) (int, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 || y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, false
	}
	return int(time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Unix() / 86400), true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, len(s) > 0
}

// clocks holds every HH:MM once, boxed: a shift's two times are then
// neither copied nor allocated per row.
var clocks = func() []any {
	c := make([]any, 24*60)
	for m := range c {
		c[m] = fmt.Sprintf("%02d:%02d", m/60, m%60)
	}
	return c
}()

// parseClock accepts HH:MM on a 24-hour clock.
func parseClock(s string) (any, string) {
	m, ok := minuteOfDay(s)
	if !ok {
		return nil, "a time HH:MM (00:00–23:59)"
	}
	return clocks[m], ""
}

func minuteOfDay(s string) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	h, ok1 := digits(s[:2])
	m, ok2 := digits(s[3:])
	if !ok1 || !ok2 || h > 23 || m > 59 {
		return 0, false
	}
	return h*60 + m, true
}

func parseCount(s string) (any, string) {
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil || n < 0 {
		return nil, "a whole number ≥ 0"
	}
	return n, ""
}

func parseAmount(s string) (any, string) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f != f || f > 1e9 {
		return nil, "a number ≥ 0 such as 7.50"
	}
	return f, ""
}

// Problem is one thing wrong with an input file, located precisely.
type Problem struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column,omitempty"`
	Field    string `json:"field,omitempty"`
	Value    string `json:"value,omitempty"`
	Expected string `json:"expected"`
}

func (p Problem) String() string {
	if p.Line == 0 { // the file as a whole (missing, unreadable): no line to name
		return fmt.Sprintf("%s: expected %s", p.File, p.Expected)
	}
	loc := fmt.Sprintf("%s:%d", p.File, p.Line)
	if p.Column > 0 {
		loc += fmt.Sprintf(":%d", p.Column)
	}
	if p.Field != "" {
		return fmt.Sprintf("%s: %s = %q: expected %s", loc, p.Field, shorten(p.Value), p.Expected)
	}
	return fmt.Sprintf("%s: %s", loc, p.Expected)
}

// ShortValue is the value kept readable (at most 60 bytes and its length).
func (p Problem) ShortValue() string { return shorten(p.Value) }

// shorten keeps a problem readable when the value is huge (a 10 MB name).
func shorten(v string) string {
	const keep = 60
	if len(v) <= keep {
		return v
	}
	cut := keep
	for cut > 0 && !utf8.RuneStart(v[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (%d bytes)", v[:cut], len(v))
}
