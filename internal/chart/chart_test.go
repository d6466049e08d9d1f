package chart_test

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scry-dev/scry/internal/ask"
	"github.com/scry-dev/scry/internal/chart"
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
