package ask_test

import (
	"testing"

	"github.com/scry-dev/scry/internal/ask"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/semantic"
)

// TestDuringFilterIsChecked: a period condition on a person's dates (the
// reading of "people hired in 2025") is checked like any filter, whichever
// engine wrote it: only on a date, with one period scry can resolve.
func TestDuringFilterIsChecked(t *testing.T) {
	m := semantic.BuiltinHR()
	for _, c := range []struct {
		f  ask.Filter
		ok bool
	}{
		{ask.Filter{Field: "hire_date", Op: "during", Values: []string{"year 2025"}}, true},
		{ask.Filter{Field: "end_date", Op: "during", Values: []string{"this year"}}, true},
		{ask.Filter{Field: "hourly_wage", Op: "during", Values: []string{"this year"}}, false},
		{ask.Filter{Field: "hire_date", Op: "during", Values: []string{"the year of the horse"}}, false},
		{ask.Filter{Field: "hire_date", Op: "during", Values: []string{"this year", "last year"}}, false},
	} {
		q := &ask.Query{Kind: "number", Measure: "headcount", Filters: []ask.Filter{c.f}}
		err := ask.Validate(q, m, identity.Admin, ask.Scope{All: true})
		if (err == nil) != c.ok {
			t.Errorf("%+v: error %v, want ok=%v", c.f, err, c.ok)
		}
		if err != nil && errcode.From(err).Code != errcode.NotUnderstood {
			t.Errorf("%+v: %v, want not_understood", c.f, err)
		}
	}
}

// TestTimeOfDayFilterIsChecked: a shift's start or end is compared with one
// time of day. 24:00 is an end only ("ended after midnight"); a start at
// 24:00 would compile to no condition at all, so it is refused, not dropped.
func TestTimeOfDayFilterIsChecked(t *testing.T) {
	m := semantic.BuiltinHR()
	for _, c := range []struct {
		f  ask.Filter
		ok bool
	}{
		{ask.Filter{Field: "start_time", Op: "<", Values: []string{"07:00"}}, true},
		{ask.Filter{Field: "end_time", Op: ">", Values: []string{"24:00"}}, true},
		{ask.Filter{Field: "start_time", Op: ">", Values: []string{"24:00"}}, false},
		{ask.Filter{Field: "start_time", Op: "=", Values: []string{"07:00"}}, true}, // "shifts starting at 7:00"
		{ask.Filter{Field: "end_time", Op: "=", Values: []string{"24:00"}}, false},
		{ask.Filter{Field: "end_time", Op: "<", Values: []string{"7pm"}}, false},
		{ask.Filter{Field: "end_time", Op: "<", Values: []string{"07:00", "08:00"}}, false},
	} {
		q := &ask.Query{Kind: "number", Measure: "hours_worked", Filters: []ask.Filter{c.f}}
		err := ask.Validate(q, m, identity.Admin, ask.Scope{All: true})
		if (err == nil) != c.ok {
			t.Errorf("%+v: error %v, want ok=%v", c.f, err, c.ok)
		}
		if err != nil && errcode.From(err).Code != errcode.NotUnderstood {
			t.Errorf("%+v: %v, want not_understood", c.f, err)
		}
	}
}
