package detect

import (
	"math"

	"github.com/scry-dev/scry/internal/media"
)

// Box is a rectangle in pixels of the original frame: top-left corner,
// width, height.
type Box struct {
	X int `json:"x"`
	Y int `json:"y"`
	W int `json:"w"`
	H int `json:"h"`
}

// Candidate is what a backend finds in one frame.
type Candidate struct {
	Phrase     int // index into the prompt's phrases (-1 for salient)
	Label      string
	Confidence float64
	Box        Box
	Text       string // what a code decodes to
	// Grounded is set by open-vocabulary backends, which were sent the
	// whole phrase and checked its attributes themselves.
	Grounded bool
}

// Detector is a backend: it grounds what it can of a prompt in a frame and
// says which labels of a phrase it can find at all.
type Detector interface {
	Name() string
	// Covers is the labels of p this backend can find (none: it cannot
	// ground p, which is then never reported absent on its account).
	Covers(p Phrase) []string
	Detect(f media.Frame, scaleX, scaleY float64, pr Prompt) []Candidate
}

// Detailed marks a backend that reads frames at detail resolution (up to
// Options.DetailWidth): faces, codes and objects are small things the
// analysis frame loses.
type Detailed interface{ Detailed() }

// OpenVocabulary marks a backend that reads a phrase's words itself (a
// model server): words scry cannot check are its to read.
type OpenVocabulary interface{ OpenVocabulary() }

// Builtin needs no weights and no network: colour-named regions by HSV
// rules and connected components, salient regions by spectral residual
// (saliency.go) and moving objects by frame differencing.
type Builtin struct {
	MinAreaRatio float64 // smallest region as a share of the frame (default 0.002)
	prev         []byte  // the previous analysed frame, for moving objects
}

var _ Detector = (*Builtin)(nil)

func (b *Builtin) Name() string { return "builtin" }

// Covers moving objects, and colour regions for phrases whose noun is a
// generic shape ("the red box", "anything blue"): a colour region is never
// a car or an apple, whatever colour the prompt names.
func (b *Builtin) Covers(p Phrase) []string {
	if p.Category == "motion" || p.Colour != "" && p.Category == "shape" {
		return p.Labels
	}
	return nil
}

// colourOf names the colour of an HSV pixel (h 0–360, s and v 0–1).
func colourOf(h, s, v float64) string {
	switch {
	case v < 0.15:
		return "black"
	case s < 0.15 && v > 0.85:
		return "white"
	case s < 0.15:
		return "grey"
	case h < 15 || h >= 340:
		return "red"
	case h < 40:
		if v < 0.6 {
			return "brown"
		}
		return "orange"
	case h < 70:
		return "yellow"
	case h < 170:
		return "green"
	case h < 200:
		return "cyan"
	case h < 260:
		return "blue"
	case h < 300:
		return "purple"
	}
	return "pink"
}

// Detect finds colour regions for coloured phrases, and salient regions.
func (b *Builtin) Detect(f media.Frame, sx, sy float64, pr Prompt) []Candidate {
	n := f.Width * f.Height
	names := make([]string, n)
	for i := 0; i < n; i++ {
		names[i] = colourOf(media.HSV(f.RGB[3*i], f.RGB[3*i+1], f.RGB[3*i+2]))
	}
	minArea := int(math.Max(4, b.minArea()*float64(n)))
	var out []Candidate
	for pi, ph := range pr.Phrases {
		if ph.Colour == "" || ph.Category != "shape" {
			continue
		}
		mask := make([]bool, n)
		for i := range mask {
			mask[i] = names[i] == ph.Colour
		}
		for _, c := range components(mask, f.Width, f.Height, minArea) {
			out = append(out, Candidate{Phrase: pi, Label: ph.Noun, Confidence: c.fill, Box: scale(c.box, sx, sy)})
		}
	}
	if pr.Intent == IntentSalient {
		out = append(out, salient(f, minArea, sx, sy)...)
	}
	for pi, ph := range pr.Phrases {
		if ph.Category == "motion" && len(b.prev) == len(f.RGB) {
			out = append(out, b.moving(f, pi, minArea, sx, sy)...)
		}
	}
	b.prev = append(b.prev[:0], f.RGB...)
	return out
}

// moving finds what changed since the previous analysed frame (frame
// differencing), minus what a new shot changes everywhere.
func (b *Builtin) moving(f media.Frame, phrase, minArea int, sx, sy float64) []Candidate {
	n := f.Width * f.Height
	mask := make([]bool, n)
	changed := 0
	for i := 0; i < n; i++ {
		d := math.Abs(float64(f.RGB[3*i])-float64(b.prev[3*i])) + math.Abs(float64(f.RGB[3*i+1])-float64(b.prev[3*i+1])) + math.Abs(float64(f.RGB[3*i+2])-float64(b.prev[3*i+2]))
		if d > 60 {
			mask[i] = true
			changed++
		}
	}
	if changed > n/3 {
		return nil // a cut or a camera move, not an object
	}
	// A solid object moving changes only its leading and trailing edges:
	// grow each changed patch over the same colour in the current frame;
	// a patch that grows over much of the frame is uncovered background.
	names := make([]string, n)
	for i := 0; i < n; i++ {
		names[i] = colourOf(media.HSV(f.RGB[3*i], f.RGB[3*i+1], f.RGB[3*i+2]))
	}
	boxes := []Box{}
	seen := make([]bool, n)
	for i := 0; i < n; i++ {
		if !mask[i] || seen[i] {
			continue
		}
		region := make([]bool, n)
		stack := []int{i}
		region[i] = true
		area, minX, minY, maxX, maxY := 0, f.Width, f.Height, -1, -1
		for len(stack) > 0 && area <= n/4 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			seen[p] = seen[p] || mask[p]
			area++
			x, y := p%f.Width, p/f.Width
			minX, maxX, minY, maxY = min(minX, x), max(maxX, x), min(minY, y), max(maxY, y)
			for _, q := range [4]int{p - 1, p + 1, p - f.Width, p + f.Width} {
				if q < 0 || q >= n || region[q] || names[q] != names[i] || (q == p-1 && x == 0) || (q == p+1 && x == f.Width-1) {
					continue
				}
				region[q] = true
				stack = append(stack, q)
			}
		}
		if area > n/4 {
			continue
		}
		boxes = append(boxes, Box{X: minX, Y: minY, W: maxX - minX + 1, H: maxY - minY + 1})
	}
	var out []Candidate
	for _, bx := range boxes {
		if bx.W*bx.H < minArea {
			continue
		}
		out = append(out, Candidate{Phrase: phrase, Label: "moving object", Confidence: 0.8, Box: scale(bx, sx, sy)})
	}
	return out
}

func (b *Builtin) minArea() float64 {
	if b.MinAreaRatio > 0 {
		return b.MinAreaRatio
	}
	return 0.002
}

func scale(b Box, sx, sy float64) Box {
	return Box{X: int(math.Round(float64(b.X) * sx)), Y: int(math.Round(float64(b.Y) * sy)), W: int(math.Round(float64(b.W) * sx)), H: int(math.Round(float64(b.H) * sy))}
}

type component struct {
	box  Box
	area int
	fill float64 // share of the box the region fills: the confidence
}

// components labels 4-connected regions of mask (iteratively, no recursion).
func components(mask []bool, w, h, minArea int) []component {
	seen := make([]bool, len(mask))
	var out []component
	stack := make([]int, 0, 1024)
	for start := range mask {
		if !mask[start] || seen[start] {
			continue
		}
		minX, minY, maxX, maxY, area := w, h, -1, -1, 0
		stack = append(stack[:0], start)
		seen[start] = true
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := p%w, p/w
			area++
			minX, maxX = min(minX, x), max(maxX, x)
			minY, maxY = min(minY, y), max(maxY, y)
			for _, q := range [4]int{p - 1, p + 1, p - w, p + w} {
				if q < 0 || q >= len(mask) || seen[q] || !mask[q] || (q == p-1 && x == 0) || (q == p+1 && x == w-1) {
					continue
				}
				seen[q] = true
				stack = append(stack, q)
			}
		}
		if area < minArea {
			continue
		}
		bw, bh := maxX-minX+1, maxY-minY+1
		fill := float64(area) / float64(bw*bh)
		out = append(out, component{box: Box{minX, minY, bw, bh}, area: area, fill: math.Round(math.Min(0.99, 0.5+0.49*fill)*1000) / 1000})
	}
	return out
}
