package detect

import (
	"context"
	"math"

	"github.com/scry-dev/scry/internal/media"
)

// Exemplar finds a reference image (`--exemplar`) in frames by multi-scale
// normalised cross-correlation on grey levels: what the prompt names is
// whatever looks like the picture it came with.
type Exemplar struct {
	ref    []float64 // grey levels of the reference, at its own size
	rw, rh int
	// Label, when set, limits the exemplar to phrases naming it: a box
	// people labelled "logo" grounds "the logo", not every phrase.
	Label     string
	Threshold float64 // NCC needed for a match (default 0.8)
	Scales    []float64
}

var _ Detector = (*Exemplar)(nil)

// LoadExemplar reads the reference image.
func LoadExemplar(ctx context.Context, path string) (*Exemplar, error) {
	info, err := media.Probe(ctx, path, media.DefaultLimits)
	if err != nil {
		return nil, err
	}
	w, h := info.Fit(200)
	e := &Exemplar{}
	err = media.Frames(ctx, path, info, w, h, 0, func(f media.Frame) error {
		e.ref, e.rw, e.rh = grey(f), f.Width, f.Height
		return errStop
	})
	if err != nil && err != errStop {
		return nil, err
	}
	return e, nil
}

// NewExemplar makes an exemplar of a picture (a box cut from a frame) for
// phrases naming label.
func NewExemplar(f media.Frame, label string) *Exemplar {
	e := &Exemplar{ref: grey(f), rw: f.Width, rh: f.Height, Label: label}
	if w, h := (media.Info{Width: f.Width, Height: f.Height}).Fit(200); w < f.Width {
		e.ref, e.rw, e.rh = resize(e.ref, f.Width, f.Height, w, h), w, h
	}
	return e
}

// phrase is the index of the first phrase the exemplar grounds, or -1.
func (e *Exemplar) phrase(pr Prompt) int {
	for i, ph := range pr.Phrases {
		if len(e.Covers(ph)) > 0 {
			return i
		}
	}
	return -1
}

func grey(f media.Frame) []float64 {
	g := make([]float64, f.Width*f.Height)
	for i := range g {
		g[i] = 0.299*float64(f.RGB[3*i]) + 0.587*float64(f.RGB[3*i+1]) + 0.114*float64(f.RGB[3*i+2])
	}
	return g
}

func (e *Exemplar) Name() string { return "exemplar" }

// Covers every phrase (the reference image is what the phrase means),
// or with a Label the phrases naming it.
func (e *Exemplar) Covers(p Phrase) []string {
	switch {
	case e.ref == nil:
		return nil
	case e.Label == "":
		return p.Labels
	case p.Noun == e.Label:
		return []string{e.Label}
	}
	for _, l := range p.Labels {
		if l == e.Label {
			return []string{l}
		}
	}
	return nil
}

// resize scales grey levels (nearest neighbour; the references are small).
func resize(src []float64, w, h, nw, nh int) []float64 {
	out := make([]float64, nw*nh)
	for y := 0; y < nh; y++ {
		for x := 0; x < nw; x++ {
			out[y*nw+x] = src[(y*h/nh)*w+x*w/nw]
		}
	}
	return out
}

func (e *Exemplar) Detect(f media.Frame, sx, sy float64, pr Prompt) []Candidate {
	want := e.phrase(pr)
	if want < 0 {
		return nil
	}
	thr := e.Threshold
	if thr == 0 {
		thr = 0.8
	}
	scales := e.Scales
	if len(scales) == 0 {
		for sc := 0.2; sc <= 1.25; sc *= 1.12 { // about 12% apart: NCC tolerates that much
			scales = append(scales, sc)
		}
	}
	g := grey(f)
	var out []Candidate
	for _, s := range scales {
		tw, th := int(float64(e.rw)*s), int(float64(e.rh)*s) // in analysis-frame pixels
		if tw < 8 || th < 8 || tw > f.Width || th > f.Height {
			continue
		}
		t := resize(e.ref, e.rw, e.rh, tw, th)
		var tMean float64
		for _, v := range t {
			tMean += v
		}
		tMean /= float64(len(t))
		var tVar float64
		for i := range t {
			t[i] -= tMean
			tVar += t[i] * t[i]
		}
		if tVar == 0 {
			continue
		}
		n := float64(tw * th)
		ncc := func(x, y int) float64 {
			var sum, sum2, cross float64
			for yy := 0; yy < th; yy++ {
				row := (y+yy)*f.Width + x
				trow := yy * tw
				for xx := 0; xx < tw; xx++ {
					v := g[row+xx]
					sum += v
					sum2 += v * v
					cross += v * t[trow+xx]
				}
			}
			varI := sum2 - sum*sum/n
			if varI <= 0 {
				return 0
			}
			return cross / math.Sqrt(varI*tVar)
		}
		// coarse grid, then a one-pixel search around promising places
		stride := max(1, min(tw, th)/8)
		for y := 0; y+th <= f.Height; y += stride {
			for x := 0; x+tw <= f.Width; x += stride {
				if ncc(x, y) < thr-0.35 {
					continue
				}
				best, bx, by := 0.0, x, y
				for yy := max(0, y-stride); yy <= min(f.Height-th, y+stride); yy++ {
					for xx := max(0, x-stride); xx <= min(f.Width-tw, x+stride); xx++ {
						if v := ncc(xx, yy); v > best {
							best, bx, by = v, xx, yy
						}
					}
				}
				if best >= thr {
					out = append(out, Candidate{Phrase: want, Label: pr.Phrases[want].Noun, Confidence: math.Round(best*1000) / 1000,
						Box: scale(Box{X: bx, Y: by, W: tw, H: th}, sx, sy)})
				}
			}
		}
	}
	return out
}
