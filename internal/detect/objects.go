package detect

import (
	"math"
	"sync"

	"github.com/scry-dev/scry/internal/media"
	"github.com/scry-dev/scry/internal/objects"
)

// Objects is the built-in object detector: COCO's 80 everyday classes
// (people, vehicles, animals, fruit, furniture…) by the CenterNet model of
// package objects, on the detail frame. It finds classes, never
// attributes: "the white car" is a car here, and its whiteness is checked
// on the box afterwards.
type Objects struct {
	Model *objects.Model
	Err   error // the last inference error, for the caller to report
}

var _ Detector = (*Objects)(nil)

func (*Objects) Name() string { return "objects" }
func (*Objects) Detailed()    {}

var cocoClass = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range objects.Classes {
		m[c] = true
	}
	return m
}()

// Covers the phrase's labels that are COCO classes.
func (o *Objects) Covers(p Phrase) []string {
	var out []string
	for _, l := range p.Labels {
		if cocoClass[l] {
			out = append(out, l)
		}
	}
	return out
}

// Thresholds are the raw CenterNet scores from which a class counts as
// found, where a class needs its own; the others use defaultThreshold.
// The model's scores are modest: a clear dog scores 0.42, a horse 0.30,
// people in a group photo 0.33-0.37 (README: figures on real pictures); at
// 0.3 no picture of the test set gains a false presence, while 0.4 for
// people lost half of a group of eight.
var Thresholds = map[string]float64{}

const defaultThreshold = 0.3

// confidence maps a raw score onto scry's scale, where 0.5 (the default
// --min-confidence) is the class's threshold and 1 is certain, as the face
// detector does with its quality score.
func confidence(score, threshold float64) float64 {
	return math.Round((0.5+0.5*(score-threshold)/(1-threshold))*1000) / 1000
}

func (o *Objects) Detect(f media.Frame, sx, sy float64, pr Prompt) []Candidate {
	want := map[string][]int{}
	for i, ph := range pr.Phrases {
		for _, l := range o.Covers(ph) {
			want[l] = append(want[l], i)
		}
	}
	if len(want) == 0 {
		return nil
	}
	found, err := o.Model.Detect(f)
	if err != nil {
		o.Err = err
		return nil
	}
	var out []Candidate
	// found is sorted by score: a box another class already took for the
	// same phrase is the same thing read twice (a dog also scored as a cow
	// for "the animals"), not a second animal.
	taken := func(pi int, b Box) bool {
		for _, c := range out {
			if c.Phrase == pi && IoU(c.Box, b) > 0.7 {
				return true
			}
		}
		return false
	}
	for _, ob := range found {
		thr, ok := Thresholds[ob.Class]
		if !ok {
			thr = defaultThreshold
		}
		if ob.Score < thr/2 {
			continue // below half the threshold: not even a weak candidate for --min-confidence below 0.5
		}
		b := Box{X: int(math.Round(ob.X1 * sx)), Y: int(math.Round(ob.Y1 * sy)), W: int(math.Round((ob.X2 - ob.X1) * sx)), H: int(math.Round((ob.Y2 - ob.Y1) * sy))}
		for _, pi := range want[ob.Class] {
			if taken(pi, b) {
				continue
			}
			out = append(out, Candidate{Phrase: pi, Label: ob.Class, Confidence: confidence(ob.Score, thr), Box: b})
		}
	}
	return out
}

var shared struct {
	once  sync.Once
	model *objects.Model
	err   error
}

// SharedObjects is the process's object detector, loaded once (converting
// the graph and starting ONNX Runtime take a moment); the error says what
// to install when its files are missing.
func SharedObjects() (*objects.Model, error) {
	shared.once.Do(func() { shared.model, shared.err = objects.Open("") })
	return shared.model, shared.err
}
