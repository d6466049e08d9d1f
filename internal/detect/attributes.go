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

// colourShare is the share of a region's middle a colour must fill to be
// the region's colour outright.
const colourShare = 0.3

// chromatic are the hue colours: a thing named by one must show it more
// than any other hue (a white car before a blue sky is not a blue car).
var chromatic = []string{"red", "orange", "yellow", "green", "cyan", "blue", "purple", "pink", "brown"}

// colourHolds says whether the thing in region b (frame pixels) has colour
// name: it fills 30 % of the region's middle, or — for thin things such as
// a bicycle's frame — 8 % of it while being three times rarer around the
// region (the colour is the thing's, not the background's: a black dog
// before a yellow wall is not a yellow dog); and no other hue adds more to
// the middle over what surrounds it (a white car before a blue sky is not
// a blue car; a red bicycle before a yellow wall is still red).
func colourHolds(f media.Frame, b Box, name string) bool {
	inset := Box{X: b.X + b.W/5, Y: b.Y + b.H/5, W: max(1, b.W*3/5), H: max(1, b.H*3/5)}
	outer := Box{X: b.X - b.W/4, Y: b.Y - b.H/4, W: b.W * 3 / 2, H: b.H * 3 / 2}
	sh := colourShares(f, outer, b, inset)
	in, boxArea, outerArea := sh.in, float64(clipped(f, b)), float64(clipped(f, outer))
	ring := func(c int) float64 {
		if outerArea <= boxArea {
			return 0 // the region fills the frame: nothing around it
		}
		return (sh.outer[c]*outerArea - sh.box[c]*boxArea) / (outerArea - boxArea)
	}
	k := colourIndex[name]
	// Another hue beats name when it adds more to the middle over its
	// surroundings and is also more particular to it (a higher lift): a
	// yellow wall behind a red bicycle adds a little yellow, but the red is
	// thirty times denser inside than around.
	lift := func(c int) float64 { return in[c] / max(ring(c), 0.005) }
	for o := range chromatic {
		if c := o + 3; c != k && in[c]-ring(c) > in[k]-ring(k) && lift(c) > lift(k) {
			return false
		}
	}
	switch {
	case in[k] >= colourShare:
		return true
	case in[k] < 0.08 || outerArea <= boxArea:
		return false
	}
	return in[k] >= 3*ring(k)
}

// shares are the shares of every colour (indexed as allColours) in a
// region, its box and the box's middle.
type shares struct{ outer, box, in [12]float64 }

// colourShares names every pixel of outer once and counts it for each of
// the nested regions holding it (frame pixels): one pass, not three.
func colourShares(f media.Frame, outer, box, inset Box) shares {
	var n [3]int
	var cnt [3][12]int
	x0, y0 := max(0, outer.X), max(0, outer.Y)
	x1, y1 := min(f.Width, outer.X+outer.W), min(f.Height, outer.Y+outer.H)
	inside := func(r Box, x, y int) bool { return x >= r.X && x < r.X+r.W && y >= r.Y && y < r.Y+r.H }
	// shares need no more than about 160×160 samples: a large box at
	// detail resolution is read on a grid, not pixel by pixel
	step := max(1, max(x1-x0, y1-y0)/160)
	for y := y0; y < y1; y += step {
		for x := x0; x < x1; x += step {
			i := 3 * (y*f.Width + x)
			h, s, v := media.HSV(f.RGB[i], f.RGB[i+1], f.RGB[i+2])
			inBox, inInset := inside(box, x, y), inside(inset, x, y)
			n[0]++
			if inBox {
				n[1]++
			}
			if inInset {
				n[2]++
			}
			for c, name := range allColours {
				if colourMatches(name, h, s, v) {
					cnt[0][c]++
					if inBox {
						cnt[1][c]++
					}
					if inInset {
						cnt[2][c]++
					}
				}
			}
		}
	}
	var out shares
	for c := range allColours {
		out.outer[c] = float64(cnt[0][c]) / float64(max(n[0], 1))
		out.box[c] = float64(cnt[1][c]) / float64(max(n[1], 1))
		out.in[c] = float64(cnt[2][c]) / float64(max(n[2], 1))
	}
	return out
}

// allColours are white, grey, black and then the hues, in that order.
var allColours = append([]string{"white", "grey", "black"}, chromatic...)

var colourIndex = func() map[string]int {
	m := map[string]int{}
	for i, c := range allColours {
		m[c] = i
	}
	return m
}()

// clipped is the area of r inside the frame.
func clipped(f media.Frame, r Box) int {
	return max(0, min(f.Width, r.X+r.W)-max(0, r.X)) * max(0, min(f.Height, r.Y+r.H)-max(0, r.Y))
}

func attributesHold(f media.Frame, sx, sy float64, ph Phrase, c Candidate, all []Candidate) bool {
	b := Box{X: int(float64(c.Box.X) / sx), Y: int(float64(c.Box.Y) / sy), W: int(math.Ceil(float64(c.Box.W) / sx)), H: int(math.Ceil(float64(c.Box.H) / sy))}
	for _, at := range ph.Attributes {
		switch at.Kind {
		case "colour":
			// a generic shape's colour is what the colour-region detector
			// found it by, pixel for pixel; an L-shaped bracket's middle is
			// background, so it is not checked again there
			if ph.Category != "shape" && !colourHolds(f, b, at.Value) {
				return false
			}
		case "part":
			band := parts[at.Part]
			if c.Label == "person" && b.Y+b.H >= f.Height*97/100 {
				// A person cut by the frame's bottom edge shows only their top:
				// a standing person's box is about three times as tall as
				// wide, so a box 1.1 times as tall holds the top 37 % of them,
				// and a jacket is read from its lower half, not the face.
				if seen := float64(b.H) / float64(max(1, b.W)) / 3; seen < 1 {
					band = [2]float64{min(band[0]/seen, 0.95), min(band[1]/seen, 1)}
				}
			}
			region := Box{X: b.X, Y: b.Y + int(band[0]*float64(b.H)), W: b.W, H: max(1, int((band[1]-band[0])*float64(b.H)))}
			if !colourHolds(f, region, at.Value) {
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
	// A hue counts only when saturated: skin, wood and shade are dull reds
	// and browns, and a red jacket is not read off a face.
	return s >= 0.35 && v >= 0.2 && colourOf(h, s, v) == name
}
