package ask_test

import (
	"context"
	"strings"
	"testing"

	"github.com/scry-dev/scry/internal/ask"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/store"
)

// TestChartAsked: a chart named in the question ("as a pie chart", "plot
// …", "graph of …") is drawn when it suits the answer, and otherwise the
// answer keeps the chart that suits and says why (these words were
// refused: "did not understand 'chart'"). The words never change what is
// computed: the same question without them gives the same rows.
func TestChartAsked(t *testing.T) {
	f := load(t, store.SQLite, "acme-retail", "bistro-group")
	cases := []struct {
		tenant, q, plain string
		chart            ask.ChartKind
		note             bool
	}{
		{"acme-retail", "Headcount by contract type as a pie chart", "Headcount by contract type", ask.ChartPie, false},
		{"acme-retail", "pie chart of absences by type this year", "absences by type this year", ask.ChartPie, false},
		{"acme-retail", "graph of sick days per month over the last 12 months", "sick days per month over the last 12 months", ask.ChartLine, false},
		{"acme-retail", "Plot the number of shifts worked per week in Lyon over the last 8 weeks", "the number of shifts worked per week in Lyon over the last 8 weeks", ask.ChartLine, false},
		{"acme-retail", "hours worked per week this quarter as a bar chart", "hours worked per week this quarter", ask.ChartBar, false},
		{"acme-retail", "show the headcount per department in a table", "headcount per department", ask.ChartTable, false},
		{"acme-retail", "can you chart hours worked by location last month", "hours worked by location last month", ask.ChartBar, false},
		{"acme-retail", "heatmap of shifts by weekday and start hour", "shifts by weekday and start hour", ask.ChartHeatmap, false},
		// a chart that does not suit: the one that does, and a note
		{"acme-retail", "hours worked per month this year as a pie chart", "hours worked per month this year", ask.ChartLine, true},
		{"acme-retail", "average hourly wage by department as a pie chart", "average hourly wage by department", ask.ChartBar, true},
		{"acme-retail", "list the cashiers as a line chart", "list the cashiers", ask.ChartTable, true},
		// "line" is a chart's only before a chart's noun
		{"bistro-group", "how many line cooks are there, as a bar chart", "how many line cooks are there", ask.ChartNumber, true},
	}
	for _, c := range cases {
		a, err := f.ask(t, c.tenant, "admin", c.q)
		if err != nil {
			t.Errorf("%q: %v", c.q, err)
			continue
		}
		b, err := f.ask(t, c.tenant, "admin", c.plain)
		if err != nil {
			t.Errorf("%q: %v", c.plain, err)
			continue
		}
		if a.Chart == nil || a.Chart.Type != c.chart {
			t.Errorf("%q: chart %+v, want %s", c.q, a.Chart, c.chart)
		}
		if got := len(a.Notes) > len(b.Notes) && strings.Contains(strings.Join(a.Notes, " "), "You asked for a"); got != c.note {
			t.Errorf("%q: notes %q", c.q, a.Notes)
		}
		if len(a.Rows) == 0 || len(a.Rows) != len(b.Rows) || ask.Number(a.Rows[0][len(a.Rows[0])-1]) != ask.Number(b.Rows[0][len(b.Rows[0])-1]) {
			t.Errorf("%q changed the answer: %v, without the chart's words %v", c.q, a.Rows, b.Rows)
		}
	}
	// a follow-up that names only a chart redraws the answer before
	who, _ := ask.AskerFor(f.tenants["acme-retail"], "admin")
	first, err := f.ask(t, "acme-retail", "admin", "absences by type this year")
	if err != nil {
		t.Fatal(err)
	}
	for _, follow := range []string{"as a pie chart", "show that as a bar chart", "now as a pie chart"} {
		a, err := f.eng.AskAfter(context.Background(), who, follow, now, first.Query)
		if err != nil {
			t.Errorf("%q after %q: %v", follow, first.Question, err)
			continue
		}
		if want := map[bool]ask.ChartKind{true: ask.ChartPie, false: ask.ChartBar}[strings.Contains(follow, "pie")]; a.Chart.Type != want || len(a.Rows) != len(first.Rows) {
			t.Errorf("%q: chart %s, %d rows (want %s, %d)", follow, a.Chart.Type, len(a.Rows), want, len(first.Rows))
		}
	}
	// a chart the model does not know is refused, whichever engine wrote it
	q := *first.Query
	q.Chart = "radar"
	if err := ask.Validate(&q, f.eng.Model, "admin", ask.Scope{All: true}); !errcode.Is(err, errcode.NotUnderstood) {
		t.Errorf("a radar chart: %v", err)
	}
}
