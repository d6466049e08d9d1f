package ask

import (
	"testing"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/semantic"
)

// TestWordsNotCodes: what a page says for the codes and names the JSON keeps.
func TestWordsNotCodes(t *testing.T) {
	m := semantic.BuiltinHR()
	for name, want := range map[string]string{
		"hours_worked": "Hours worked", "days": "Absence days", "employee_id": "Employee ID", "hire_date": "Hire date",
		"labor_cost": "Labor cost", "tenure_years": "Tenure (years)", "percent": "Share", "avg_hourly_wage": "Average hourly wage",
		"week": "Week of", "contract_type": "Contract type",
	} {
		if got := Title(m, name); got != want {
			t.Errorf("Title(%s) = %q, want %q", name, got, want)
		}
	}
	for v, want := range map[string]string{"non_binary": "non-binary", "sick_leave": "sick leave", "2018-04-21": "21 Apr 2018", "Sales Associate": "Sales Associate"} {
		if got := ValueWords(v); got != want {
			t.Errorf("ValueWords(%s) = %q, want %q", v, got, want)
		}
	}
	if h := Headline(errcode.NotUnderstood); h != "I didn't understand all of that question" {
		t.Errorf("headline: %q", h)
	}
	for _, tc := range []struct {
		tr   *TimeRange
		want string
	}{
		{&TimeRange{Expr: "last 3 month", From: "2026-08-01", To: "2026-10-31"}, "the last 3 months: 1 Aug – 31 Oct 2026"},
		{&TimeRange{Expr: "last month", From: "2026-10-01", To: "2026-10-31"}, "last month: 1 – 31 Oct 2026"},
		{&TimeRange{Expr: "this year", From: "2026-01-01", To: "2026-11-25"}, "this year: 1 Jan – 25 Nov 2026"},
		{&TimeRange{Expr: "since 2025-12-01", From: "2025-12-01", To: "2026-01-31"}, "1 Dec 2025 – 31 Jan 2026"},
		{nil, "all data up to today"},
	} {
		if got := tc.tr.Words(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.tr, got, tc.want)
		}
	}
	if g := GroupWords([]string{"week", "position"}); g != "week and position" {
		t.Errorf("grouped by %q", g)
	}
	f := Filter{Field: "gender", Values: []string{"non_binary", "female"}}
	if d := f.Describe(); d != "gender is non-binary or female" {
		t.Errorf("filter: %q", d)
	}
}

// TestNumberFormats: thousands separators, fixed decimals per measure, a
// unit on hours, percentages on shares, and the reader's language.
func TestNumberFormats(t *testing.T) {
	m := semantic.BuiltinHR()
	en, de := message.NewPrinter(language.English), message.NewPrinter(language.German)
	cols := []Column{{Name: "department"}, {Name: "hours_worked"}, {Name: "employees"}, {Name: "percent"}, {Name: "hourly_wage"}, {Name: "turnover_rate"}}
	for _, tc := range []struct {
		col  int
		v    float64
		p    *message.Printer
		want string
	}{
		{1, 1268.94, en, "1,268.9 h"}, {1, 1268.94, de, "1.268,9 h"}, {1, 7, en, "7.0 h"},
		{2, 12345, en, "12,345"}, {3, 59.72, en, "59.7%"}, {4, 18.5, en, "18.50"},
		{5, 7.46, en, "7.46%"}, // a rate, not a count (the page showed 7)
	} {
		if got := FormatOf(m, cols, tc.col).Number(tc.p, tc.v); got != tc.want {
			t.Errorf("%s %v: %q, want %q", cols[tc.col].Name, tc.v, got, tc.want)
		}
	}
}
