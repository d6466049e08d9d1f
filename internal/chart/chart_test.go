package chart_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scry-dev/scry/internal/ask"
	"github.com/scry-dev/scry/internal/chart"
	"github.com/scry-dev/scry/internal/semantic"
)

func TestTicksAreNice(t *testing.T) {
	cases := []struct {
		lo, hi float64
		want   []float64
	}{
		{0, 94, []float64{0, 20, 40, 60, 80, 100}},
		{0, 1530, []float64{0, 500, 1000, 1500, 2000}},
		{0, 37.1, []float64{0, 10, 20, 30, 40}},
		{0, 0, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{-3, 7, []float64{-4, -2, 0, 2, 4, 6, 8}},
	}
	for _, c := range cases {
		got := chart.Ticks(c.lo, c.hi, 6)
		if len(got) != len(c.want) {
			t.Errorf("Ticks(%v, %v) = %v, want %v", c.lo, c.hi, got, c.want)
			continue
		}
		for i := range got {
			if d := got[i] - c.want[i]; d > 1e-9 || d < -1e-9 {
				t.Errorf("Ticks(%v, %v) = %v, want %v", c.lo, c.hi, got, c.want)
				break
			}
		}
	}
	for v, want := range map[float64]string{950: "950", 1234: "1.2k", 3_400_000: "3.4M", 12.5: "12.5", 7: "7", 25_000: "25k"} {
		if got := chart.Short(v); got != want {
			t.Errorf("Short(%v) = %q, want %q", v, got, want)
		}
	}
}

func answers() map[string]*ask.Answer {
	num := func(n string) ask.Column { return ask.Column{Name: n, Type: "number"} }
	str := func(n string) ask.Column { return ask.Column{Name: n, Type: "string"} }
	return map[string]*ask.Answer{
		"number": {Query: &ask.Query{Kind: "number"}, Columns: []ask.Column{num("employees")}, Rows: [][]any{{int64(216)}},
			Chart: &ask.Chart{Type: "number", Title: "Employees"}},
		"bar": {Query: &ask.Query{Kind: "groups", Dimensions: []string{"department"}}, Columns: []ask.Column{str("department"), num("employees")},
			Rows: [][]any{{"Retail", int64(94)}, {"Logistics", int64(55)}, {"Finance", int64(15)}}, Chart: &ask.Chart{Type: "bar", Title: "Employees by department"}},
		"line": {Query: &ask.Query{Kind: "groups", Dimensions: []string{"month", "position"}}, Columns: []ask.Column{str("month"), str("position"), num("hours_worked")},
			Rows:  [][]any{{"2026-01", "Cook", 120.5}, {"2026-02", "Cook", 130.0}, {"2026-01", "Waiter", 80.0}, {"2026-02", "Waiter", 95.25}},
			Chart: &ask.Chart{Type: "line", Title: "Hours worked per month and position"}},
		"pie": {Query: &ask.Query{Kind: "groups", Dimensions: []string{"gender"}, Share: true}, Columns: []ask.Column{str("gender"), num("employees"), num("percent")},
			Rows: [][]any{{"female", int64(129), 59.7}, {"male", int64(81), 37.5}, {"non_binary", int64(6), 2.8}}, Chart: &ask.Chart{Type: "pie", Title: "Employees by gender"}},
		"heatmap": {Query: &ask.Query{Kind: "groups", Dimensions: []string{"weekday", "hour"}}, Columns: []ask.Column{num("weekday"), str("hour"), num("shifts")},
			Rows: [][]any{{int64(1), "08", int64(40)}, {int64(1), "09", int64(10)}, {int64(2), "08", int64(35)}}, Chart: &ask.Chart{Type: "heatmap", Title: "Shifts by weekday and hour"}},
		"table": {Query: &ask.Query{Kind: "people"}, Columns: []ask.Column{str("employee_id"), str("name")}, Rows: [][]any{{"E1", "Ann <b>Lee</b>"}},
			Chart: &ask.Chart{Type: "table", Title: "People & more"}},
	}
}

// TestEveryKindRenders writes each kind as SVG and PNG under testout/ (so
// a person can look at them) and checks that the SVG is well-formed XML
// holding the labels and that the PNG decodes.
func TestEveryKindRenders(t *testing.T) {
	out := filepath.Join("..", "..", "testout", "charts")
	os.MkdirAll(out, 0o755)
	labels := map[string][]string{"number": {"216"}, "bar": {"Retail", "Finance"}, "line": {"Jan 2026", "Feb 2026", "Cook", "Waiter"},
		"pie": {"female", "59.7%"}, "heatmap": {"Mon", "Tue", "08:00"}, "table": {"Ann &lt;b&gt;Lee&lt;/b&gt;", "People &amp; more"}}
	for kind, a := range answers() {
		svg := chart.SVG(a)
		dec := xml.NewDecoder(strings.NewReader(svg))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s: SVG is not well-formed: %v", kind, err)
			}
		}
		for _, l := range labels[kind] {
			if !strings.Contains(svg, l) {
				t.Errorf("%s: SVG lacks %q", kind, l)
			}
		}
		p, err := chart.PNG(a)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(p))
		if err != nil || img.Bounds().Dx() != 1600 {
			t.Fatalf("%s: PNG: %v", kind, err)
		}
		os.WriteFile(filepath.Join(out, kind+".svg"), []byte(svg), 0o644)
		os.WriteFile(filepath.Join(out, kind+".png"), p, 0o644)
	}
}

// TestNothingDroppedSilently: past six lines the rest is summed as
// "Other" with a note; a week the range cuts is marked partial (dashed,
// noted), not drawn as a fall; every point has a tooltip with its exact
// value; a heatmap shows every weekday by name and every hour.
func TestNothingDroppedSilently(t *testing.T) {
	m := semantic.BuiltinHR()
	var rows [][]any
	positions := []string{"A", "B", "C", "D", "E", "F", "G", "H", "I"}
	for _, w := range []string{"2026-07-27", "2026-08-03", "2026-08-10"} {
		for i, p := range positions {
			rows = append(rows, []any{w, p, float64(1000*(10-i)) + 0.24})
		}
	}
	a := &ask.Answer{Query: &ask.Query{Kind: "groups", Measure: "hours_worked", Dimensions: []string{"week", "position"}, Time: &ask.TimeRange{Expr: "last 3 month", From: "2026-08-01", To: "2026-08-14"}},
		Columns: []ask.Column{{Name: "week", Type: "string"}, {Name: "position", Type: "string"}, {Name: "hours_worked", Type: "number"}},
		Rows:    rows, Chart: &ask.Chart{Type: "line", Title: "Hours worked per week and position"}}
	for _, width := range []float64{800, 400} {
		d := chart.Draw(a, chart.Options{Width: width, Height: 480, Model: m, NoTitle: true})
		notes := strings.Join(d.Notes, " ")
		if !strings.Contains(d.SVG, ">Other<") || !strings.Contains(notes, "9 positions: the 5 largest are drawn and the other 4 are summed as “Other”") {
			t.Errorf("%v: no Other series or note: %q", width, notes)
		}
		if !strings.Contains(notes, "weeks of 27 Jul 2026 and 10 Aug 2026 are only partly inside") || !strings.Contains(d.SVG, "stroke-dasharray") || !strings.Contains(d.SVG, "(partial period)") {
			t.Errorf("%v: the cut first week is not marked partial: %q", width, notes)
		}
		if !strings.Contains(d.SVG, "<title>A · 3 Aug 2026: 10,000.2 h</title>") {
			t.Errorf("%v: no tooltip with the exact value", width)
		}
		if !strings.Contains(d.SVG, `viewBox="0 0 `+fmt.Sprint(width)) {
			t.Errorf("%v: no viewBox", width)
		}
	}
	if p := chart.PartialPeriods(a, ""); !p["2026-07-27"] || !p["2026-08-10"] || p["2026-08-03"] {
		t.Errorf("partial periods: %v", p)
	}
	// an average does not add up: the rest is left to the table, not summed
	a.Query.Measure, a.Columns[2].Name = "hourly_wage", "hourly_wage"
	if d := chart.Draw(a, chart.Options{Model: m}); strings.Contains(d.SVG, ">Other<") || !strings.Contains(strings.Join(d.Notes, " "), "the other 4 are in the table") {
		t.Errorf("averages summed as Other: %q", d.Notes)
	}
	heat := answers()["heatmap"]
	for _, width := range []float64{800, 400} {
		svg := chart.Draw(heat, chart.Options{Width: width, Height: 480}).SVG
		for _, want := range []string{">Mon<", ">Sun<", ">00<", ">23<", "<title>Mon 08:00: 40</title>"} {
			if !strings.Contains(svg, want) {
				t.Errorf("heatmap %v lacks %s", width, want)
			}
		}
	}
}

// TestLongTitleKeepsItsPeriod: a title too long for one line goes on in a
// second at a comma, so its conditions' end and its period are drawn, not
// cut off.
func TestLongTitleKeepsItsPeriod(t *testing.T) {
	title := "Hours worked by position, on Sunday or Saturday, Retail, not Cashier or Stock Clerk, last month"
	a := &ask.Answer{Query: &ask.Query{Kind: "groups", Measure: "hours_worked", Dimensions: []string{"position"}},
		Columns: []ask.Column{{Name: "position", Type: "string"}, {Name: "hours_worked", Type: "number"}},
		Rows:    [][]any{{"Sales Associate", 1180.5}}, Chart: &ask.Chart{Type: "bar", Title: title}}
	for _, width := range []float64{800, 1200} {
		svg := chart.Draw(a, chart.Options{Width: width, Height: 480, Model: semantic.BuiltinHR()}).SVG
		for _, part := range []string{"Hours worked by position,", "last month"} {
			if !strings.Contains(svg, part) {
				t.Errorf("%v: the title lacks %q", width, part)
			}
		}
		if strings.Contains(svg, "…") {
			t.Errorf("%v: the title was cut", width)
		}
	}
}
