package detect

import (
	"math"
	"sort"

	"github.com/scry-dev/scry/internal/media"
)

// checkAttributes keeps the candidates whose box shows what their phrase
// says of it: "the white car" must be mostly white in its middle, "with red
// wheels" red at the bottom of the box, "the large dog" larger than the
// other dogs (or a tenth of the frame when alone), "on the left" centred in
// the left 40 % of the frame. f is the frame the candidates were found in;
// their boxes are in original pixels (scaled by sx, sy).
func checkAttributes(f media.Frame, sx, sy float64, pr Prompt, cands []Candidate) []Candidate {
	out := cands[:0]
	for _, c := range cands {
		if c.Phrase < 0 || c.Grounded || attributesHold(f, sx, sy, pr.Phrases[c.Phrase], c, cands) {
			out = append(out, c)
		}
	}
	return out
}

// Shares a colour must fill in the region it is read from: a car's middle
// holds windows and shadow, a wheel's band holds road.
const (
	colourShare = 0.3
	partShare   = 0.2
)

// colourHolds says whether the thing in box b (frame pixels) has colour
// name: it fills 30 % of the box's middle, or — for thin things such as a
// bicycle's frame — 10 % of it while being three times rarer around the
// box (the colour is the thing's, not the background's: a black dog
// before a yellow wall is not a yellow dog).
func colourHolds(f media.Frame, b Box, name string) bool {
	inset := Box{X: b.X + b.W/5, Y: b.Y + b.H/5, W: b.W * 3 / 5, H: b.H * 3 / 5}
	in := colourShareIn(f, inset, name)
	if in >= colourShare {
		return true
	}
	if in < 0.1 {
		return false
	}
	outer := Box{X: b.X - b.W/4, Y: b.Y - b.H/4, W: b.W * 3 / 2, H: b.H * 3 / 2}
	ringArea := float64(clipped(f, outer) - clipped(f, b))
	if ringArea <= 0 {
		return false // the box fills the frame: nothing around to compare with
	}
	ring := (colourShareIn(f, outer, name)*float64(clipped(f, outer)) - colourShareIn(f, b, name)*float64(clipped(f, b))) / ringArea
	return in >= 3*ring
}

// clipped is the area of r inside the frame.
func clipped(f media.Frame, r Box) int {
	return max(0, min(f.Width, r.X+r.W)-max(0, r.X)) * max(0, min(f.Height, r.Y+r.H)-max(0, r.Y))
}

func attributesHold(f media.Frame, sx, sy float64, ph Phrase, c Candidate, all []Candidate) bool {
	b := Box{X: int(float64(c.Box.X) / sx), Y: int(float64(c.Box.Y) / sy), W: int(math.Ceil(float64(c.Box.W) / sx)), H: int(math.Ceil(float64(c.Box.H) / sy))}
	for _, at := range ph.Attributes {
		switch at.Kind {
		case "colour":
			if !colourHolds(f, b, at.Value) {
				return false
			}
		case "part":
			band := parts[at.Part]
			region := Box{X: b.X + b.W/10, Y: b.Y + int(band[0]*float64(b.H)), W: b.W * 8 / 10, H: max(1, int((band[1]-band[0])*float64(b.H)))}
			if colourShareIn(f, region, at.Value) < partShare {
				return false
			}
		case "size":
			if !sizeHolds(at.Value, c, all, float64(f.Width)*sx*float64(f.Height)*sy) {
				return false
			}
		case "position":
			cx := (float64(b.X) + float64(b.W)/2) / float64(f.Width)
			cy := (float64(b.Y) + float64(b.H)/2) / float64(f.Height)
			ok := map[string]bool{"left": cx < 0.4, "right": cx > 0.6, "top": cy < 0.4, "bottom": cy > 0.6,
				"centre": cx > 0.3 && cx < 0.7 && cy > 0.3 && cy < 0.7}[at.Value]
			if !ok {
				return false
			}
		}
	}
	return true
}

// colourShareIn is the share of the pixels of region (frame pixels) whose
// colour is name.
func colourShareIn(f media.Frame, r Box, name string) float64 {
	x0, y0 := max(0, r.X), max(0, r.Y)
	x1, y1 := min(f.Width, r.X+r.W), min(f.Height, r.Y+r.H)
	n, hit := 0, 0
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			i := 3 * (y*f.Width + x)
			if h, s, v := media.HSV(f.RGB[i], f.RGB[i+1], f.RGB[i+2]); colourMatches(name, h, s, v) {
				hit++
			}
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(hit) / float64(n)
}

// sizeHolds: large is 1.5× the median of the same label's boxes in the
// frame, or a tenth of the frame when the box is alone; small is 2/3 of the
// median, or a fiftieth of the frame when alone.
func sizeHolds(size string, c Candidate, all []Candidate, frameArea float64) bool {
	var areas []float64
	for _, o := range all {
		if o.Label == c.Label && o.Phrase == c.Phrase {
			areas = append(areas, float64(o.Box.W*o.Box.H))
		}
	}
	area := float64(c.Box.W * c.Box.H)
	if len(areas) < 2 {
		if size == "large" {
			return area >= frameArea/10
		}
		return area <= frameArea/50
	}
	sort.Float64s(areas)
	median := areas[len(areas)/2]
	if size == "large" {
		return area >= 1.5*median
	}
	return area <= median*2/3
}

// colourMatches says whether a pixel (h 0–360, s and v 0–1) has the named
// colour as people name the colour of things: a white horse in shade is
// light grey, a black dog's coat dark grey; hues are named by colourOf.
func colourMatches(name string, h, s, v float64) bool {
	switch name {
	case "white":
		return s < 0.25 && v > 0.6
	case "grey":
		return s < 0.2 && v > 0.25 && v < 0.9
	case "black":
		return v < 0.25 || s < 0.2 && v < 0.35
	}
	return colourOf(h, s, v) == name
}
