// Package chart draws an answer as the chart its type names — number, bar,
// line, pie, heatmap or table — in SVG or PNG, from one layout.
package chart

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/scry-dev/scry/internal/ask"
)

const (
	width  = 800.0
	height = 480.0
	ink    = "#1f2933"
	muted  = "#616e7c"
	grid   = "#e4e7eb"
)

// palette is colour-blind-safe (Okabe–Ito, then Tableau).
var palette = []string{"#0072b2", "#e69f00", "#009e73", "#d55e00", "#cc79a7", "#56b4e9", "#f0e442", "#7f7f7f", "#8c564b", "#17becf"}

// SVG renders the answer's chart as an SVG document.
func SVG(a *ask.Answer) string {
	c := newSVG(width, height)
	draw(c, a)
	return c.String()
}

// PNG renders the answer's chart as a PNG image at twice the SVG's size.
func PNG(a *ask.Answer) ([]byte, error) {
	c := newPNG(width, height, 2)
	draw(c, a)
	return c.bytes()
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

func num(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int64:
		return float64(x)
	case int:
		return float64(x)
	case string:
		f, _ := strconv.ParseFloat(x, 64)
		return f
	}
	return 0
}

var weekdays = []string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}

// label formats a dimension value for people: months named, weeks by their
// Monday, weekdays and hours spelled out.
func label(grain string, v any) string {
	s := fmt.Sprint(v)
	if v == nil {
		return "—"
	}
	switch grain {
	case "month":
		if t, err := time.Parse("2006-01", s); err == nil {
			return t.Format("Jan 2006")
		}
	case "week":
		if t, err := time.Parse("2006-01-02", s); err == nil {
			return t.Format("2 Jan")
		}
	case "day":
		if t, err := time.Parse("2006-01-02", s); err == nil {
			return t.Format("2 Jan")
		}
	case "weekday":
		if i := int(num(v)); i >= 0 && i < 7 {
			return weekdays[i]
		}
	case "hour":
		return s + ":00"
	}
	return strings.ReplaceAll(s, "_", " ")
}

func draw(c canvas, a *ask.Answer) {
	title := ""
	kind := "table"
	if a.Chart != nil {
		title, kind = a.Chart.Title, a.Chart.Type
	}
	c.text(24, 36, title, 18, "start", ink, true)
	s := shapeOf(a)
	if len(a.Rows) == 0 {
		c.text(width/2, height/2, "No data for this question", 16, "middle", muted, false)
		return
	}
	switch {
	case kind == "number" && s.value >= 0:
		drawNumber(c, a, s)
	case kind == "bar" && len(s.dims) >= 1 && s.value >= 0:
		drawBar(c, a, s)
	case kind == "line" && len(s.dims) >= 1 && s.value >= 0:
		drawLine(c, a, s)
	case kind == "pie" && len(s.dims) == 1 && s.value >= 0:
		drawPie(c, a, s)
	case kind == "heatmap" && len(s.dims) == 2 && s.value >= 0:
		drawHeatmap(c, a, s)
	default:
		drawTable(c, a)
	}
}

func drawNumber(c canvas, a *ask.Answer, s shape) {
	v := a.Rows[0][s.value]
	text := "—"
	if v != nil {
		f := num(v)
		text = strconv.FormatFloat(f, 'f', -1, 64)
		if math.Abs(f) >= 10000 {
			text = Short(f)
		} else if f != math.Trunc(f) {
			text = strconv.FormatFloat(f, 'f', 2, 64)
		}
	}
	c.text(width/2, height/2+30, text, 96, "middle", palette[0], true)
	c.text(width/2, height/2+80, strings.ReplaceAll(a.Columns[s.value].Name, "_", " "), 18, "middle", muted, false)
}

// axis draws horizontal grid lines and value labels; returns the y mapping.
func yAxis(c canvas, left, top, right, bottom, lo, hi float64) func(float64) float64 {
	ticks := Ticks(math.Min(0, lo), hi, 6)
	tlo, thi := ticks[0], ticks[len(ticks)-1]
	y := func(v float64) float64 { return bottom - (v-tlo)/(thi-tlo)*(bottom-top) }
	for _, t := range ticks {
		c.line(left, y(t), right, y(t), grid, 1)
		c.text(left-8, y(t)+4, Short(t), 12, "end", muted, false)
	}
	return y
}

func drawBar(c canvas, a *ask.Answer, s shape) {
	d := s.dims[0]
	n := len(a.Rows)
	if n > 40 {
		n = 40
	}
	rows := a.Rows[:n]
	maxLabel := 0.0
	hi := 0.0
	for _, r := range rows {
		maxLabel = math.Max(maxLabel, textWidth(label(s.grain[0], r[d]), 12))
		hi = math.Max(hi, num(r[s.value]))
	}
	horizontal := maxLabel > 70 || n > 12
	if horizontal {
		left := math.Min(math.Max(maxLabel+30, 80), 300)
		top, bottom, right := 70.0, height-40, width-60
		ticks := Ticks(0, hi, 6)
		thi := ticks[len(ticks)-1]
		x := func(v float64) float64 { return left + v/thi*(right-left) }
		for _, t := range ticks {
			c.line(x(t), top, x(t), bottom, grid, 1)
			c.text(x(t), bottom+18, Short(t), 12, "middle", muted, false)
		}
		band := (bottom - top) / float64(n)
		for i, r := range rows {
			y := top + float64(i)*band
			c.rect(left, y+band*0.15, x(num(r[s.value]))-left, band*0.7, palette[0])
			c.text(left-8, y+band/2+4, clip(label(s.grain[0], r[d]), 40), math.Min(12, band*0.8), "end", ink, false)
			c.text(x(num(r[s.value]))+4, y+band/2+4, Short(num(r[s.value])), math.Min(11, band*0.8), "start", muted, false)
		}
		return
	}
	left, top, right, bottom := 70.0, 70.0, width-30, height-60
	y := yAxis(c, left, top, right, bottom, 0, hi)
	band := (right - left) / float64(n)
	for i, r := range rows {
		x := left + float64(i)*band
		v := num(r[s.value])
		c.rect(x+band*0.15, y(v), band*0.7, y(0)-y(v), palette[0])
		c.text(x+band/2, y(v)-6, Short(v), 11, "middle", muted, false)
		c.text(x+band/2, bottom+18, clip(label(s.grain[0], r[d]), int(band/6.6)+1), 12, "middle", ink, false)
	}
	c.line(left, y(0), right, y(0), muted, 1)
	c.text(left, bottom+44, "", 12, "start", muted, false)
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

func drawLine(c canvas, a *ask.Answer, s shape) {
	xd := s.dims[0]
	var xs []string
	seen := map[string]bool{}
	series := map[string]map[string]float64{}
	var names []string
	totals := map[string]float64{}
	hi, lo := math.Inf(-1), math.Inf(1)
	for _, r := range a.Rows {
		x := fmt.Sprint(r[xd])
		if !seen[x] {
			seen[x] = true
			xs = append(xs, x)
		}
		name := ""
		if len(s.dims) > 1 {
			name = label(s.grain[1], r[s.dims[1]])
		}
		if series[name] == nil {
			series[name] = map[string]float64{}
			names = append(names, name)
		}
		v := num(r[s.value])
		series[name][x] = v
		totals[name] += v
		hi, lo = math.Max(hi, v), math.Min(lo, v)
	}
	sort.Strings(xs)
	sort.SliceStable(names, func(i, j int) bool { return totals[names[i]] > totals[names[j]] })
	if len(names) > len(palette) {
		names = names[:len(palette)]
	}
	legend := len(names) > 1
	left, top, right, bottom := 70.0, 70.0, width-30, height-60
	if legend {
		right = width - 190
	}
	y := yAxis(c, left, top, right, bottom, math.Min(0, lo), hi)
	step := (right - left) / math.Max(float64(len(xs)-1), 1)
	xpos := func(i int) float64 {
		if len(xs) == 1 {
			return (left + right) / 2
		}
		return left + float64(i)*step
	}
	every := int(math.Ceil(float64(len(xs)) * 70 / (right - left)))
	for i, x := range xs {
		if i%max(every, 1) == 0 {
			c.text(xpos(i), bottom+18, label(s.grain[0], x), 12, "middle", ink, false)
		}
	}
	for k, name := range names {
		var pts [][2]float64
		for i, x := range xs {
			if v, ok := series[name][x]; ok {
				pts = append(pts, [2]float64{xpos(i), y(v)})
			}
		}
		col := palette[k%len(palette)]
		c.polyline(pts, col, 2.5)
		if len(xs) <= 40 {
			for _, p := range pts {
				c.circle(p[0], p[1], 3, col)
			}
		}
		if legend {
			ly := top + float64(k)*22
			c.rect(right+20, ly-9, 12, 12, col)
			c.text(right+38, ly+1, clip(name, 20), 12, "start", ink, false)
		}
	}
	c.line(left, bottom, right, bottom, muted, 1)
}

func drawPie(c canvas, a *ask.Answer, s shape) {
	total := 0.0
	for _, r := range a.Rows {
		total += num(r[s.value])
	}
	if total <= 0 {
		drawTable(c, a)
		return
	}
	cx, cy, rad := 260.0, height/2+20, 170.0
	angle := -math.Pi / 2
	for i, r := range a.Rows {
		v := num(r[s.value])
		a1 := angle + v/total*2*math.Pi
		col := palette[i%len(palette)]
		c.wedge(cx, cy, rad, angle, a1, col)
		ly := 120 + float64(i)*30
		c.rect(500, ly-11, 14, 14, col)
		c.text(522, ly+1, fmt.Sprintf("%s — %s (%.1f%%)", label(s.grain[0], r[s.dims[0]]), Short(v), 100*v/total), 14, "start", ink, false)
		angle = a1
	}
}

func drawHeatmap(c canvas, a *ask.Answer, s shape) {
	rowDim, colDim := s.dims[0], s.dims[1]
	rowGrain, colGrain := s.grain[0], s.grain[1]
	if colGrain == "weekday" {
		rowDim, colDim, rowGrain, colGrain = colDim, rowDim, colGrain, rowGrain
	}
	var rowsK, colsK []string
	seenR, seenC := map[string]bool{}, map[string]bool{}
	val := map[[2]string]float64{}
	hi := 0.0
	for _, r := range a.Rows {
		rk, ck := fmt.Sprint(r[rowDim]), fmt.Sprint(r[colDim])
		if !seenR[rk] {
			seenR[rk] = true
			rowsK = append(rowsK, rk)
		}
		if !seenC[ck] {
			seenC[ck] = true
			colsK = append(colsK, ck)
		}
		v := num(r[s.value])
		val[[2]string{rk, ck}] = v
		hi = math.Max(hi, v)
	}
	if rowGrain == "weekday" { // Monday first, as weeks are
		sort.Slice(rowsK, func(i, j int) bool { return (atoi(rowsK[i])+6)%7 < (atoi(rowsK[j])+6)%7 })
	} else {
		sort.Strings(rowsK)
	}
	sort.Strings(colsK)
	left, top, right, bottom := 70.0, 70.0, width-30, height-70
	cw := (right - left) / float64(len(colsK))
	ch := (bottom - top) / float64(len(rowsK))
	for i, rk := range rowsK {
		c.text(left-8, top+float64(i)*ch+ch/2+4, label(rowGrain, rk), 12, "end", ink, false)
		for j, ck := range colsK {
			v, ok := val[[2]string{rk, ck}]
			fill := "#f5f7fa"
			if ok && hi > 0 {
				fill = blend(v / hi)
			}
			c.rect(left+float64(j)*cw+1, top+float64(i)*ch+1, cw-2, ch-2, fill)
		}
	}
	every := int(math.Ceil(36 / cw))
	for j, ck := range colsK {
		if j%max(every, 1) == 0 {
			c.text(left+float64(j)*cw+cw/2, bottom+18, label(colGrain, ck), 11, "middle", ink, false)
		}
	}
	// colour scale
	for k := 0; k <= 10; k++ {
		c.rect(left+float64(k)*20, bottom+34, 20, 10, blend(float64(k)/10))
	}
	c.text(left, bottom+60, "0", 11, "start", muted, false)
	c.text(left+220, bottom+60, Short(hi), 11, "end", muted, false)
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

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

func drawTable(c canvas, a *ask.Answer) {
	cols := a.Columns
	if len(cols) == 0 {
		return
	}
	colW := (width - 48) / float64(len(cols))
	y := 76.0
	for i, col := range cols {
		c.text(24+float64(i)*colW, y, strings.ReplaceAll(col.Name, "_", " "), 13, "start", ink, true)
	}
	c.line(24, y+8, width-24, y+8, muted, 1)
	shown := min(len(a.Rows), 16)
	for k := 0; k < shown; k++ {
		y += 22
		for i, v := range a.Rows[k] {
			txt := "—"
			if v != nil {
				txt = fmt.Sprint(v)
			}
			c.text(24+float64(i)*colW, y, clip(txt, int(colW/7)), 13, "start", ink, false)
		}
	}
	if len(a.Rows) > shown {
		c.text(24, y+28, fmt.Sprintf("… and %d more rows", len(a.Rows)-shown), 12, "start", muted, false)
	}
}
