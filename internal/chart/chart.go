// Package chart draws an answer as the chart its type names — number, bar,
// line, pie, heatmap or table — in SVG or PNG, from one layout. A chart
// never drops data silently: what does not fit is summed as "Other" or
// named in a note, and a period the range only partly covers is marked.
package chart

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/scry-dev/scry/internal/ask"
	"github.com/scry-dev/scry/internal/semantic"
)

const (
	ink   = "#1f2933"
	muted = "#616e7c"
	grid  = "#e4e7eb"
)

// palette is colour-blind-safe (Okabe–Ito, then Tableau); "Other" is grey.
var palette = []string{"#0072b2", "#e69f00", "#009e73", "#d55e00", "#cc79a7", "#56b4e9", "#f0e442", "#7f7f7f", "#8c564b", "#17becf"}

const otherColour = "#9aa5b1"

// Options shape a chart for where it is shown. The zero value is the
// standalone 800×480 chart of `scry ask --chart`.
type Options struct {
	Width, Height float64          // user units of the drawing
	Kind          ask.ChartKind    // draw as this type instead of the answer's (a switcher's choice)
	Printer       *message.Printer // numbers in the reader's language (default English)
	Model         *semantic.Model  // measure formats, and whether groups add up to a whole
	Now           string           // the date asked at (YYYY-MM-DD): a period after it is partial
	NoTitle       bool             // the page shows the title itself
}

// Drawn is a chart and what a reader must know about it.
type Drawn struct {
	SVG   string
	Notes []string // what the chart shows differently from the rows: "Other", partial periods
}

// SVG renders the answer's chart as a standalone SVG document.
func SVG(a *ask.Answer) string { return Draw(a, Options{}).SVG }

// Draw renders the answer's chart as SVG with o.
func Draw(a *ask.Answer, o Options) Drawn {
	o = o.defaults()
	c := newSVG(o.Width, o.Height)
	d := &drawer{c: c, a: a, o: o, w: o.Width, h: o.Height}
	if d.narrow() {
		// a phone shows a narrow drawing at about its own size: text a
		// little larger than on a desktop's scaled-down wide one
		d.c = larger{c, 1.2}
	}
	d.draw()
	return Drawn{SVG: c.String(), Notes: d.notes}
}

// PNG renders the answer's chart as a PNG image at twice the SVG's size.
func PNG(a *ask.Answer) ([]byte, error) {
	o := Options{}.defaults()
	c := newPNG(o.Width, o.Height, 2)
	(&drawer{c: c, a: a, o: o, w: o.Width, h: o.Height}).draw()
	return c.bytes()
}

func (o Options) defaults() Options {
	if o.Width == 0 {
		o.Width, o.Height = 800, 480
	}
	if o.Printer == nil {
		o.Printer = message.NewPrinter(language.English)
	}
	return o
}

// Kinds lists the chart types that suit the answer, its own first
// (ask.ChartKinds).
func Kinds(a *ask.Answer, m *semantic.Model) []ask.ChartKind {
	if a.Chart == nil || a.Error != nil {
		return nil
	}
	return ask.ChartKinds(a.Query, m, a.Columns, a.Rows, a.Chart.Type)
}

// shape tells which answer columns are labels and which is the value.
type shape struct {
	dims  []int // label columns, in query order
	value int   // the measure column
	grain []string
}

func shapeOf(a *ask.Answer) shape {
	var s shape
	s.value = -1
	n := 0
	if a.Query != nil {
		n = len(a.Query.Dimensions)
	}
	for i := 0; i < n && i < len(a.Columns); i++ {
		s.dims = append(s.dims, i)
		s.grain = append(s.grain, a.Columns[i].Name)
	}
	for i := n; i < len(a.Columns); i++ {
		if a.Columns[i].Type == "number" {
			s.value = i
			break
		}
	}
	return s
}

func num(v any) float64 { return ask.Number(v) }

// Weekdays are the names of weekday numbers (0 is Sunday, as the data has it).
var Weekdays = []string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}

// Label formats a dimension value for people: months named, weeks by their
// Monday, weekdays and hours spelled out, stored values in words.
func Label(grain string, v any) string {
	s := fmt.Sprint(v)
	if v == nil {
		return "—"
	}
	switch grain {
	case "month":
		if t, err := time.Parse("2006-01", s); err == nil {
			return t.Format("Jan 2006")
		}
	case "week", "day":
		if t, err := time.Parse("2006-01-02", s); err == nil {
			return t.Format("2 Jan 2006")
		}
	case "quarter":
		if y, q, ok := strings.Cut(s, "-"); ok {
			return q + " " + y
		}
	case "weekday":
		if i := int(num(v)); i >= 0 && i < 7 {
			return Weekdays[i]
		}
	case "hour":
		return fmt.Sprintf("%02d:00", atoi(s))
	}
	return ask.ValueWords(s)
}

// shortLabel is Label for a crowded axis: a week or day without its year.
func shortLabel(grain string, v any) string {
	l := Label(grain, v)
	if grain == "week" || grain == "day" {
		return strings.TrimSuffix(l, l[strings.LastIndex(l, " "):])
	}
	return l
}

// drawer draws one answer on one canvas.
type drawer struct {
	c     canvas
	a     *ask.Answer
	o     Options
	w, h  float64
	notes []string
}

func (d *drawer) narrow() bool { return d.w < 560 }

// top is where the plot starts below the title.
func (d *drawer) top() float64 {
	if d.o.NoTitle {
		return 24
	}
	return 70 + 22*float64(len(d.titleLines())-1)
}

// titleLines are the title in at most two lines: a title too long for
// one (a breakdown with its conditions) goes on at a comma, so that its
// period, said last, is not the part cut off.
func (d *drawer) titleLines() []string {
	title := ""
	if d.a.Chart != nil {
		title = d.a.Chart.Title
	}
	n := int((d.w - 48) / 10)
	if len([]rune(title)) <= n {
		return []string{title}
	}
	cut := strings.LastIndex(string([]rune(title)[:n]), ", ")
	if cut <= 0 {
		return []string{clip(title, n)}
	}
	return []string{title[:cut+1], clip(title[cut+2:], int((d.w-48)/8))}
}

// value formats a measure value exactly, for labels and tooltips.
func (d *drawer) value(col int, v float64) string {
	return ask.FormatOf(d.o.Model, d.a.Columns, col).Number(d.o.Printer, v)
}

func (d *drawer) note(format string, args ...any) {
	d.notes = append(d.notes, fmt.Sprintf(format, args...))
}

func (d *drawer) draw() {
	a, c := d.a, d.c
	kind := ask.ChartTable
	if a.Chart != nil {
		kind = a.Chart.Type
	}
	if d.o.Kind != "" {
		kind = d.o.Kind
	}
	if !d.o.NoTitle {
		for i, line := range d.titleLines() {
			if i == 0 {
				c.text(24, 36, line, 18, "start", ink, true)
			} else {
				c.text(24, 36+22*float64(i), line, 15, "start", muted, false)
			}
		}
	}
	s := shapeOf(a)
	if len(a.Rows) == 0 {
		c.text(d.w/2, d.h/2, "No data for this question", 16, "middle", muted, false)
		return
	}
	switch {
	case kind == ask.ChartNumber && s.value >= 0:
		d.drawNumber(s)
	case kind == ask.ChartBar && len(s.dims) >= 1 && s.value >= 0:
		d.drawBar(s)
	case kind == ask.ChartLine && len(s.dims) >= 1 && s.value >= 0:
		d.drawLine(s)
	case kind == ask.ChartPie && len(s.dims) == 1 && s.value >= 0:
		d.drawPie(s)
	case kind == ask.ChartHeatmap && len(s.dims) == 2 && s.value >= 0:
		d.drawHeatmap(s)
	default:
		d.drawTable()
	}
}

func (d *drawer) drawNumber(s shape) {
	v := d.a.Rows[0][s.value]
	text := "—"
	if v != nil {
		text = d.value(s.value, num(v))
	}
	d.c.text(d.w/2, d.h/2+30, text, math.Min(96, d.w/float64(len(text)+1)*1.6), "middle", palette[0], true)
	d.c.text(d.w/2, d.h/2+80, ask.Title(d.o.Model, d.a.Columns[s.value].Name), 18, "middle", muted, false)
}

// yAxis draws horizontal grid lines and value labels; returns the y mapping.
func (d *drawer) yAxis(left, top, right, bottom, lo, hi float64) func(float64) float64 {
	ticks := Ticks(math.Min(0, lo), hi, 6)
	tlo, thi := ticks[0], ticks[len(ticks)-1]
	y := func(v float64) float64 { return bottom - (v-tlo)/(thi-tlo)*(bottom-top) }
	for _, t := range ticks {
		d.c.line(left, y(t), right, y(t), grid, 1)
		d.c.text(left-8, y(t)+4, Short(t), 12, "end", muted, false)
	}
	return y
}

// item is one bar or slice: its label, value and whether it is partial.
type item struct {
	key, label string
	v          float64
	partial    bool
	other      bool
}

// items are the rows of a one-dimension answer; past max, the largest
// max-1 are kept in their order and the rest summed as "Other" (when the
// measure adds up) or left to the table, with a note either way.
func (d *drawer) items(s shape, max int) []item {
	dim := s.dims[0]
	partial := PartialPeriods(d.a, d.o.Now)
	var out []item
	for _, r := range d.a.Rows {
		k := fmt.Sprint(r[dim])
		out = append(out, item{key: k, label: Label(s.grain[0], r[dim]), v: num(r[s.value]), partial: partial[k]})
	}
	d.notePartial(s.grain[0], out, "lighter")
	if len(out) <= max {
		return out
	}
	byValue := append([]item{}, out...)
	sort.SliceStable(byValue, func(i, j int) bool { return byValue[i].v > byValue[j].v })
	keep := map[string]bool{}
	for _, it := range byValue[:max-1] {
		keep[it.key] = true
	}
	var kept []item
	rest := item{label: "Other", other: true}
	n := 0
	for _, it := range out {
		if keep[it.key] {
			kept = append(kept, it)
		} else {
			rest.v += it.v
			n++
		}
	}
	what := pluralWords(s.grain[0])
	if ask.Additive(d.o.Model, d.a.Query) {
		kept = append(kept, rest)
		d.note("%d %s: the %d largest are drawn and the other %d are summed as “Other”; the table lists every one.", len(out), what, max-1, n)
	} else {
		d.note("%d %s: the %d largest are drawn; the other %d are in the table.", len(out), what, max-1, n)
	}
	return kept
}

// pluralWords names a dimension's values: "positions", "weeks".
func pluralWords(grain string) string {
	w := strings.ToLower(ask.Title(nil, grain))
	if grain == "week" || grain == "hour" {
		w = grain
	}
	return w + "s"
}

func (d *drawer) drawBar(s shape) {
	max := 20
	if d.narrow() {
		max = 12
	}
	rows := d.items(s, max)
	n := len(rows)
	maxLabel, hi, lo := 0.0, 0.0, 0.0
	for _, r := range rows {
		maxLabel = math.Max(maxLabel, textWidth(r.label, 12))
		hi, lo = math.Max(hi, r.v), math.Min(lo, r.v)
	}
	fill := func(r item) string {
		switch {
		case r.other:
			return otherColour
		case r.partial:
			return "#8fbfdf"
		}
		return palette[0]
	}
	tip := func(r item) string {
		t := r.label + ": " + d.value(s.value, r.v)
		if r.partial {
			t += " (partial period)"
		}
		return t
	}
	if maxLabel > 70 || n > 12 || d.narrow() {
		top := d.top()
		band := math.Max(22, (d.h-top-40)/float64(n))
		if d.narrow() {
			band = 30
		}
		bottom := top + band*float64(n)
		d.resize(bottom + 40)
		left := math.Min(math.Max(maxLabel+30, 80), d.w*0.38)
		right := d.w - 60
		ticks := Ticks(lo, hi, 6)
		tlo, thi := ticks[0], ticks[len(ticks)-1]
		x := func(v float64) float64 { return left + (v-tlo)/(thi-tlo)*(right-left) }
		for _, t := range ticks {
			d.c.line(x(t), top, x(t), bottom, grid, 1)
			d.c.text(x(t), bottom+18, Short(t), 12, "middle", muted, false)
		}
		for i, r := range rows {
			y := top + float64(i)*band
			d.c.tip(tip(r))
			d.c.rect(math.Min(x(0), x(r.v)), y+band*0.15, math.Abs(x(r.v)-x(0)), band*0.7, fill(r))
			d.c.untip()
			d.c.text(left-8, y+band/2+4, clip(r.label, int((left-16)/6.6)), 12, "end", ink, false)
			d.c.text(x(math.Max(r.v, 0))+4, y+band/2+4, Short(r.v), 11, "start", muted, false)
		}
		return
	}
	left, top, right, bottom := 70.0, d.top(), d.w-30, d.h-60
	y := d.yAxis(left, top, right, bottom, lo, hi)
	band := (right - left) / float64(n)
	for i, r := range rows {
		x := left + float64(i)*band
		d.c.tip(tip(r))
		d.c.rect(x+band*0.15, math.Min(y(r.v), y(0)), band*0.7, math.Abs(y(0)-y(r.v)), fill(r))
		d.c.untip()
		d.c.text(x+band/2, math.Min(y(r.v), y(0))-6, Short(r.v), 11, "middle", muted, false)
		d.c.text(x+band/2, bottom+18, clip(shortLabel(s.grain[0], r.key), int(band/6.6)+1), 12, "middle", ink, false)
	}
	d.c.line(left, y(0), right, y(0), muted, 1)
}

// larger draws text k times its size.
type larger struct {
	canvas
	k float64
}

func (l larger) text(x, y float64, s string, size float64, anchor, fill string, bold bool) {
	l.canvas.text(x, y, s, size*l.k, anchor, fill, bold)
}

// resize grows a drawing that needs more height than it was given (a
// long list of bars on a phone), for the SVG backend.
func (d *drawer) resize(h float64) {
	if sc := d.svg(); sc != nil && h > d.h {
		sc.h, d.h = h, h
	}
}

// svg is the SVG canvas drawn on, or nil for a picture.
func (d *drawer) svg() *svgCanvas {
	switch c := d.c.(type) {
	case *svgCanvas:
		return c
	case larger:
		sc, _ := c.canvas.(*svgCanvas)
		return sc
	}
	return nil
}

// fit makes an SVG drawing exactly h tall (a heatmap's rows set its height).
func (d *drawer) fit(h float64) {
	if sc := d.svg(); sc != nil {
		sc.h, d.h = h, h
	}
}

func clip(s string, n int) string {
	r := []rune(s)
	if n < 2 {
		n = 2
	}
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// notePartial says which periods of a time axis are only partly covered.
func (d *drawer) notePartial(grain string, its []item, style string) {
	var parts []string
	for _, it := range its {
		if it.partial {
			parts = append(parts, it.label)
		}
	}
	if len(parts) == 0 {
		return
	}
	what := "period"
	if grain == "week" || grain == "month" || grain == "quarter" || grain == "year" || grain == "day" {
		what = grain
	}
	verb := "is"
	if len(parts) > 1 {
		what, verb = what+"s", "are"
	}
	d.note("The %s of %s %s only partly inside the dates asked about, so a lower total there is the range's edge, not a fall (drawn %s).", what, ask.ListWords(parts), verb, style)
}

// series is one line of a line chart.
type series struct {
	name  string
	vals  map[string]float64
	total float64
	other bool
}

func (d *drawer) drawLine(s shape) {
	xd := s.dims[0]
	var xs []string
	seen := map[string]bool{}
	byName := map[string]*series{}
	var all []*series
	for _, r := range d.a.Rows {
		x := fmt.Sprint(r[xd])
		if !seen[x] {
			seen[x] = true
			xs = append(xs, x)
		}
		name := ""
		if len(s.dims) > 1 {
			name = Label(s.grain[1], r[s.dims[1]])
		}
		sr := byName[name]
		if sr == nil {
			sr = &series{name: name, vals: map[string]float64{}}
			byName[name] = sr
			all = append(all, sr)
		}
		v := num(r[s.value])
		sr.vals[x] += v
		sr.total += v
	}
	sort.Strings(xs)
	sort.SliceStable(all, func(i, j int) bool { return all[i].total > all[j].total })
	maxSeries := 6
	if len(all) > maxSeries {
		keep, rest := all[:maxSeries-1], all[maxSeries-1:]
		what := pluralWords(s.grain[1])
		if ask.Additive(d.o.Model, d.a.Query) {
			other := &series{name: "Other", vals: map[string]float64{}, other: true}
			for _, sr := range rest {
				for x, v := range sr.vals {
					other.vals[x] += v
				}
			}
			all = append(append([]*series{}, keep...), other)
			d.note("%d %s: the %d largest are drawn and the other %d are summed as “Other”; the table has every one.", len(keep)+len(rest), what, len(keep), len(rest))
		} else {
			all = keep
			d.note("%d %s: the %d largest are drawn; the other %d are in the table.", len(keep)+len(rest), what, len(keep), len(rest))
		}
	}
	hi, lo := math.Inf(-1), math.Inf(1)
	for _, sr := range all {
		for _, v := range sr.vals {
			hi, lo = math.Max(hi, v), math.Min(lo, v)
		}
	}
	partial := PartialPeriods(d.a, d.o.Now)
	var its []item
	for _, x := range xs {
		its = append(its, item{key: x, label: Label(s.grain[0], x), partial: partial[x]})
	}
	d.notePartial(s.grain[0], its, "dashed")
	legend := len(all) > 1
	left, top, right, bottom := 60.0, d.top(), d.w-24, d.h-60
	legendRows := 0
	if legend && !d.narrow() {
		right = d.w - 190
	} else if legend {
		// below the plot, two names a row
		legendRows = (len(all) + 1) / 2
		d.resize(d.h + float64(legendRows)*22)
	}
	y := d.yAxis(left, top, right, bottom, math.Min(0, lo), hi)
	step := (right - left) / math.Max(float64(len(xs)-1), 1)
	xpos := func(i int) float64 {
		if len(xs) == 1 {
			return (left + right) / 2
		}
		return left + float64(i)*step
	}
	every := int(math.Ceil(float64(len(xs)) * 64 / (right - left)))
	for i, x := range xs {
		if i%max(every, 1) == 0 {
			d.c.text(xpos(i), bottom+18, shortLabel(s.grain[0], x), 12, "middle", ink, false)
		}
	}
	for k, sr := range all {
		col := palette[k%len(palette)]
		if sr.other {
			col = otherColour
		}
		// a segment that touches a partial period is dashed: its drop is
		// the range's edge, not the data's
		var prev *[2]float64
		prevPartial := false
		for i, x := range xs {
			v, ok := sr.vals[x]
			if !ok {
				prev = nil
				continue
			}
			p := [2]float64{xpos(i), y(v)}
			if prev != nil {
				if prevPartial || partial[x] {
					d.c.dashed(prev[0], prev[1], p[0], p[1], col, 2.5)
				} else {
					d.c.polyline([][2]float64{*prev, p}, col, 2.5)
				}
			}
			prev, prevPartial = &p, partial[x]
		}
		for i, x := range xs {
			v, ok := sr.vals[x]
			if !ok {
				continue
			}
			t := Label(s.grain[0], x) + ": " + d.value(s.value, v)
			if sr.name != "" {
				t = sr.name + " · " + t
			}
			if partial[x] {
				t += " (partial period)"
			}
			d.c.tip(t)
			r := 3.0
			if len(xs) > 40 {
				r = 1.5
			}
			if partial[x] {
				d.c.circle(xpos(i), y(v), r+1, col)
				d.c.circle(xpos(i), y(v), r, "#ffffff")
			} else {
				d.c.circle(xpos(i), y(v), r, col)
			}
			d.c.untip()
		}
		if legend {
			lx, ly := right+20, top+float64(k)*22
			if d.narrow() {
				lx, ly = left+float64(k%2)*(d.w-left)/2-40, bottom+44+float64(k/2)*22
			}
			d.c.rect(lx, ly-9, 12, 12, col)
			d.c.text(lx+18, ly+1, clip(sr.name, 22), 12, "start", ink, false)
		}
	}
	d.c.line(left, bottom, right, bottom, muted, 1)
}

func (d *drawer) drawPie(s shape) {
	rows := d.items(s, 6)
	total := 0.0
	for _, r := range rows {
		total += r.v
	}
	if total <= 0 {
		d.drawTable()
		return
	}
	cx, cy, rad := 260.0, d.h/2+20, 170.0
	lx, ly0 := 500.0, 120.0
	if d.narrow() {
		rad = (d.w - 60) / 2
		cx, cy = d.w/2, d.top()+rad+10
		lx, ly0 = 24, cy+rad+40
		d.resize(ly0 + float64(len(rows))*30)
	}
	angle := -math.Pi / 2
	for i, r := range rows {
		a1 := angle + r.v/total*2*math.Pi
		col := palette[i%len(palette)]
		if r.other {
			col = otherColour
		}
		share := fmt.Sprintf("%s (%s)", d.value(s.value, r.v), ask.Format{Decimals: 1, Unit: "%"}.Number(d.o.Printer, 100*r.v/total))
		d.c.tip(r.label + ": " + share)
		d.c.wedge(cx, cy, rad, angle, a1, col)
		d.c.untip()
		ly := ly0 + float64(i)*30
		d.c.rect(lx, ly-11, 14, 14, col)
		d.c.text(lx+22, ly+1, r.label+" — "+share, 14, "start", ink, false)
		angle = a1
	}
}

// drawHeatmap draws every weekday by name and every hour of the day, so
// that an empty hour shows as empty, not as missing; on a phone the hours
// run down the page.
func (d *drawer) drawHeatmap(s shape) {
	rowDim, colDim := s.dims[0], s.dims[1]
	rowGrain, colGrain := s.grain[0], s.grain[1]
	if colGrain == "weekday" {
		rowDim, colDim, rowGrain, colGrain = colDim, rowDim, colGrain, rowGrain
	}
	val := map[[2]string]float64{}
	has := map[[2]string]bool{}
	hi := 0.0
	var rowsK, colsK []string
	seenR, seenC := map[string]bool{}, map[string]bool{}
	for _, r := range d.a.Rows {
		rk, ck := key(rowGrain, r[rowDim]), key(colGrain, r[colDim])
		v := num(r[s.value])
		val[[2]string{rk, ck}] += v
		has[[2]string{rk, ck}] = true
		hi = math.Max(hi, val[[2]string{rk, ck}])
		if !seenR[rk] {
			seenR[rk] = true
			rowsK = append(rowsK, rk)
		}
		if !seenC[ck] {
			seenC[ck] = true
			colsK = append(colsK, ck)
		}
	}
	rowsK, colsK = axis(rowGrain, rowsK), axis(colGrain, colsK)
	transpose := d.narrow()
	if transpose {
		rowsK, colsK, rowGrain, colGrain = colsK, rowsK, colGrain, rowGrain
	}
	cell := func(rk, ck string) [2]string {
		if transpose {
			return [2]string{ck, rk}
		}
		return [2]string{rk, ck}
	}
	left, top := 60.0, d.top()+(map[bool]float64{true: 24, false: 0})[transpose]
	right := d.w - 20
	ch := 36.0
	if transpose {
		ch = 22
	}
	bottom := top + ch*float64(len(rowsK))
	d.fit(bottom + 80)
	cw := (right - left) / float64(len(colsK))
	for i, rk := range rowsK {
		d.c.text(left-8, top+float64(i)*ch+ch/2+4, axisLabel(rowGrain, rk), 12, "end", ink, false)
		for j, ck := range colsK {
			k := cell(rk, ck)
			v := val[k]
			fill := "#f5f7fa"
			if has[k] && hi > 0 {
				fill = blend(v / hi)
			}
			t := Label(rowGrain, rk) + " " + Label(colGrain, ck) + ": " + d.value(s.value, v)
			if transpose {
				t = Label(colGrain, ck) + " " + Label(rowGrain, rk) + ": " + d.value(s.value, v)
			}
			d.c.tip(t)
			d.c.rect(left+float64(j)*cw+1, top+float64(i)*ch+1, cw-2, ch-2, fill)
			d.c.untip()
		}
	}
	labelY := bottom + 18
	if transpose {
		labelY = top - 8
	}
	for j, ck := range colsK {
		d.c.text(left+float64(j)*cw+cw/2, labelY, axisLabel(colGrain, ck), 11, "middle", ink, false)
	}
	if colGrain == "hour" {
		d.c.text(left, labelY+16, "start hour", 11, "start", muted, false)
	}
	// colour scale
	sy := bottom + 40
	for k := 0; k <= 10; k++ {
		d.c.rect(left+float64(k)*20, sy, 20, 10, blend(float64(k)/10))
	}
	d.c.text(left, sy+26, "0", 11, "start", muted, false)
	d.c.text(left+220, sy+26, d.value(s.value, hi), 11, "end", muted, false)
}

// key is a heatmap value's canonical text: hours as numbers ("08" is 8).
func key(grain string, v any) string {
	if grain == "hour" || grain == "weekday" {
		return strconv.Itoa(atoi(fmt.Sprint(v)))
	}
	return fmt.Sprint(v)
}

// axis is every value of a heatmap axis: all seven days from Monday, all
// 24 hours; other grains as they came, sorted.
func axis(grain string, seen []string) []string {
	var out []string
	switch grain {
	case "weekday":
		for i := 1; i <= 7; i++ {
			out = append(out, strconv.Itoa(i%7))
		}
	case "hour":
		for i := 0; i < 24; i++ {
			out = append(out, strconv.Itoa(i))
		}
	default:
		out = append(out, seen...)
		sort.Strings(out)
	}
	return out
}

func axisLabel(grain, k string) string {
	if grain == "hour" {
		return fmt.Sprintf("%02d", atoi(k))
	}
	return Label(grain, k)
}

func atoi(s string) int { n, _ := strconv.Atoi(strings.TrimSpace(s)); return n }

// blend maps 0…1 to a light-to-dark blue.
func blend(t float64) string {
	t = math.Max(0, math.Min(1, t))
	from, to := [3]float64{0xe8, 0xf1, 0xfa}, [3]float64{0x08, 0x30, 0x6b}
	var out [3]int
	for i := range out {
		out[i] = int(from[i] + (to[i]-from[i])*t)
	}
	return fmt.Sprintf("#%02x%02x%02x", out[0], out[1], out[2])
}

func (d *drawer) drawTable() {
	cols := d.a.Columns
	if len(cols) == 0 {
		return
	}
	colW := (d.w - 48) / float64(len(cols))
	y := d.top() + 6
	for i, col := range cols {
		d.c.text(24+float64(i)*colW, y, ask.Title(d.o.Model, col.Name), 13, "start", ink, true)
	}
	d.c.line(24, y+8, d.w-24, y+8, muted, 1)
	shown := min(len(d.a.Rows), 16)
	for k := 0; k < shown; k++ {
		y += 22
		for i, v := range d.a.Rows[k] {
			txt := "—"
			switch {
			case v == nil:
			case cols[i].Type == "number":
				txt = d.value(i, num(v))
			default:
				txt = ask.ValueWords(fmt.Sprint(v))
			}
			d.c.text(24+float64(i)*colW, y, clip(txt, int(colW/7)), 13, "start", ink, false)
		}
	}
	if len(d.a.Rows) > shown {
		d.c.text(24, y+28, fmt.Sprintf("… and %d more rows", len(d.a.Rows)-shown), 12, "start", muted, false)
	}
}
