package chart

import (
	"bytes"
	"fmt"
	"html"
	"image/color"
	"math"
	"strings"

	"github.com/fogleman/gg"
	"github.com/golang/freetype/truetype"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// canvas is what a chart draws on; SVG and PNG are its two backends, so
// both formats show exactly the same chart.
type canvas interface {
	rect(x, y, w, h float64, fill string)
	line(x1, y1, x2, y2 float64, stroke string, width float64)
	polyline(pts [][2]float64, stroke string, width float64)
	circle(x, y, r float64, fill string)
	wedge(cx, cy, r, a0, a1 float64, fill string)
	// text draws s with its baseline at y; anchor is start, middle or end.
	text(x, y float64, s string, size float64, anchor, fill string, bold bool)
	// vtext draws s rotated 90° counter-clockwise, centred on (x, y).
	vtext(x, y float64, s string, size float64, fill string)
	// dashed draws a dashed line (a partial period's segment).
	dashed(x1, y1, x2, y2 float64, stroke string, width float64)
	// tip gives what is drawn until untip a tooltip with the exact value
	// (SVG only: a picture has no hover).
	tip(s string)
	untip()
}

// textWidth estimates the width of s at size, the same for both backends
// (Go Regular's average advance is about 0.55 em).
func textWidth(s string, size float64) float64 { return float64(len([]rune(s))) * size * 0.55 }

type svgCanvas struct {
	b    strings.Builder
	w, h float64
}

func newSVG(w, h float64) *svgCanvas { return &svgCanvas{w: w, h: h} }

func (c *svgCanvas) rect(x, y, w, h float64, fill string) {
	fmt.Fprintf(&c.b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`, x, y, w, h, fill)
}
func (c *svgCanvas) line(x1, y1, x2, y2 float64, stroke string, width float64) {
	fmt.Fprintf(&c.b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="%g"/>`, x1, y1, x2, y2, stroke, width)
}
func (c *svgCanvas) polyline(pts [][2]float64, stroke string, width float64) {
	var sb strings.Builder
	for _, p := range pts {
		fmt.Fprintf(&sb, "%.1f,%.1f ", p[0], p[1])
	}
	fmt.Fprintf(&c.b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="%g" stroke-linejoin="round"/>`, strings.TrimSpace(sb.String()), stroke, width)
}
func (c *svgCanvas) circle(x, y, r float64, fill string) {
	fmt.Fprintf(&c.b, `<circle cx="%.1f" cy="%.1f" r="%g" fill="%s"/>`, x, y, r, fill)
}
func (c *svgCanvas) wedge(cx, cy, r, a0, a1 float64, fill string) {
	if a1-a0 >= 2*math.Pi-1e-9 {
		c.circle(cx, cy, r, fill)
		return
	}
	large := 0
	if a1-a0 > math.Pi {
		large = 1
	}
	x0, y0 := cx+r*math.Cos(a0), cy+r*math.Sin(a0)
	x1, y1 := cx+r*math.Cos(a1), cy+r*math.Sin(a1)
	fmt.Fprintf(&c.b, `<path d="M%.1f,%.1f L%.1f,%.1f A%g,%g 0 %d 1 %.1f,%.1f Z" fill="%s" stroke="#ffffff" stroke-width="1.5"/>`,
		cx, cy, x0, y0, r, r, large, x1, y1, fill)
}
func (c *svgCanvas) text(x, y float64, s string, size float64, anchor, fill string, bold bool) {
	weight := ""
	if bold {
		weight = ` font-weight="bold"`
	}
	fmt.Fprintf(&c.b, `<text x="%.1f" y="%.1f" font-size="%g" text-anchor="%s" fill="%s"%s>%s</text>`, x, y, size, anchor, fill, weight, html.EscapeString(s))
}
func (c *svgCanvas) vtext(x, y float64, s string, size float64, fill string) {
	fmt.Fprintf(&c.b, `<text x="0" y="0" font-size="%g" text-anchor="middle" fill="%s" transform="translate(%.1f,%.1f) rotate(-90)">%s</text>`, size, fill, x, y, html.EscapeString(s))
}
func (c *svgCanvas) dashed(x1, y1, x2, y2 float64, stroke string, width float64) {
	fmt.Fprintf(&c.b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="%g" stroke-dasharray="5 4"/>`, x1, y1, x2, y2, stroke, width)
}
func (c *svgCanvas) tip(s string) {
	fmt.Fprintf(&c.b, `<g class="tip"><title>%s</title>`, html.EscapeString(s))
}
func (c *svgCanvas) untip() { c.b.WriteString("</g>") }

// String is the document; its header is written last because a drawing
// may grow taller than it began (bars on a phone). The viewBox makes it
// scale to its box; sizes in the page's CSS override the text sizes here.
func (c *svgCanvas) String() string {
	return fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %g %g" width="%g" height="%g" role="img" font-family="Go, 'Helvetica Neue', Arial, sans-serif"><rect x="0" y="0" width="%g" height="%g" fill="#ffffff"/>`,
		c.w, c.h, c.w, c.h, c.w, c.h) + c.b.String() + "</svg>\n"
}

type pngCanvas struct {
	dc      *gg.Context
	regular *truetype.Font
	bold    *truetype.Font
	scale   float64
}

func newPNG(w, h, scale float64) *pngCanvas {
	dc := gg.NewContext(int(w*scale), int(h*scale))
	dc.Scale(scale, scale)
	dc.SetColor(color.White)
	dc.Clear()
	reg, _ := truetype.Parse(goregular.TTF)
	bold, _ := truetype.Parse(gobold.TTF)
	return &pngCanvas{dc: dc, regular: reg, bold: bold, scale: scale}
}

func (c *pngCanvas) set(col string) { c.dc.SetHexColor(col) }
func (c *pngCanvas) rect(x, y, w, h float64, fill string) {
	c.set(fill)
	c.dc.DrawRectangle(x, y, w, h)
	c.dc.Fill()
}
func (c *pngCanvas) line(x1, y1, x2, y2 float64, stroke string, width float64) {
	c.set(stroke)
	c.dc.SetLineWidth(width)
	c.dc.DrawLine(x1, y1, x2, y2)
	c.dc.Stroke()
}
func (c *pngCanvas) polyline(pts [][2]float64, stroke string, width float64) {
	if len(pts) == 0 {
		return
	}
	c.set(stroke)
	c.dc.SetLineWidth(width)
	c.dc.MoveTo(pts[0][0], pts[0][1])
	for _, p := range pts[1:] {
		c.dc.LineTo(p[0], p[1])
	}
	c.dc.Stroke()
}
func (c *pngCanvas) circle(x, y, r float64, fill string) {
	c.set(fill)
	c.dc.DrawCircle(x, y, r)
	c.dc.Fill()
}
func (c *pngCanvas) wedge(cx, cy, r, a0, a1 float64, fill string) {
	c.set(fill)
	c.dc.MoveTo(cx, cy)
	c.dc.DrawArc(cx, cy, r, a0, a1)
	c.dc.ClosePath()
	c.dc.FillPreserve()
	c.set("#ffffff")
	c.dc.SetLineWidth(1.5)
	c.dc.Stroke()
}
func (c *pngCanvas) face(size float64, bold bool) {
	f := c.regular
	if bold {
		f = c.bold
	}
	c.dc.SetFontFace(truetype.NewFace(f, &truetype.Options{Size: size * c.scale}))
}
func (c *pngCanvas) text(x, y float64, s string, size float64, anchor, fill string, bold bool) {
	c.face(size, bold)
	c.set(fill)
	ax := map[string]float64{"start": 0, "middle": 0.5, "end": 1}[anchor]
	c.dc.Push()
	c.dc.Scale(1/c.scale, 1/c.scale)
	c.dc.DrawStringAnchored(s, x*c.scale, y*c.scale, ax, 0)
	c.dc.Pop()
}
func (c *pngCanvas) vtext(x, y float64, s string, size float64, fill string) {
	c.face(size, false)
	c.set(fill)
	c.dc.Push()
	c.dc.Scale(1/c.scale, 1/c.scale)
	c.dc.RotateAbout(-math.Pi/2, x*c.scale, y*c.scale)
	c.dc.DrawStringAnchored(s, x*c.scale, y*c.scale, 0.5, 0)
	c.dc.Pop()
}
func (c *pngCanvas) dashed(x1, y1, x2, y2 float64, stroke string, width float64) {
	c.dc.SetDash(5, 4)
	c.line(x1, y1, x2, y2, stroke, width)
	c.dc.SetDash()
}
func (c *pngCanvas) tip(string) {}
func (c *pngCanvas) untip()     {}
func (c *pngCanvas) bytes() ([]byte, error) {
	var buf bytes.Buffer
	err := c.dc.EncodePNG(&buf)
	return buf.Bytes(), err
}
