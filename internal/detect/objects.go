package detect

import (
	"math"
	"slices"
	"sync"

	"github.com/scry-dev/scry/internal/media"
	"github.com/scry-dev/scry/internal/objects"
)

// Objects grounds phrases that name one of COCO's 80 classes ("person",
// "car", "dog", "apple"…) with the built-in CenterNet detector
// (internal/objects). It is a thin adapter: the caller opens the model (and
// owns closing it), and maps prompt words onto COCO class names through the
// taxonomy. Phrases with a colour or a relation ("the blue car", "a car with
// red wheels") are not supported here until the attribute is checked on the
// box: reporting every car for "the blue car" would claim what was not seen.
type Objects struct {
	Model    *objects.Model
	MinScore float64 // lowest score reported (default 0.3)

	mu  sync.Mutex
	err error // the last failure, for callers that must not call an unexamined frame absent
}

var _ Detector = (*Objects)(nil)

func (*Objects) Name() string { return "objects" }

// Supports: a phrase without attributes one of whose labels is a COCO class.
func (*Objects) Supports(p Phrase) bool {
	if p.Colour != "" || len(p.Relations) > 0 {
		return false
	}
	return slices.ContainsFunc(p.Labels, isCOCO)
}

func isCOCO(label string) bool { return slices.Contains(objects.Classes[:], label) }

// Err returns the last error Detect met (the Detector interface has no
// error): a frame it failed on was not examined.
func (o *Objects) Err() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.err
}

// Detect runs the model on f (the model resizes it to its own 512×512
// input) and reports, for every supported phrase, the objects of its
// classes scoring at least MinScore, in original pixels (f's × sx, sy).
func (o *Objects) Detect(f media.Frame, sx, sy float64, pr Prompt) []Candidate {
	var wanted []int
	for i, ph := range pr.Phrases {
		if o.Supports(ph) {
			wanted = append(wanted, i)
		}
	}
	if len(wanted) == 0 || o.Model == nil {
		return nil
	}
	found, err := o.Model.Detect(f)
	o.mu.Lock()
	o.err = err
	o.mu.Unlock()
	if err != nil {
		return nil
	}
	minScore := o.MinScore
	if minScore == 0 {
		minScore = 0.3
	}
	var out []Candidate
	for _, obj := range found {
		if obj.Score < minScore {
			continue
		}
		for _, i := range wanted {
			if !slices.Contains(pr.Phrases[i].Labels, obj.Class) {
				continue
			}
			out = append(out, Candidate{Phrase: i, Label: obj.Class, Confidence: math.Round(obj.Score*1000) / 1000,
				Box: Box{X: int(math.Round(obj.X1 * sx)), Y: int(math.Round(obj.Y1 * sy)),
					W: int(math.Round((obj.X2 - obj.X1) * sx)), H: int(math.Round((obj.Y2 - obj.Y1) * sy))}})
		}
	}
	return out
}
