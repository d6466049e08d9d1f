package detect

import (
	_ "embed"
	"math"
	"sync"

	pigo "github.com/esimov/pigo/core"

	"github.com/scry-dev/scry/internal/media"
)

//go:embed cascade/facefinder
var faceCascade []byte

var (
	faceFinder     *pigo.Pigo
	faceFinderErr  error
	faceFinderOnce sync.Once
)

// Faces finds frontal faces with pigo's pixel-intensity-comparison cascade
// (no weights to download: the cascade ships inside the binary).
type Faces struct{}

var _ Detector = (*Faces)(nil)

func (Faces) Name() string { return "faces" }

func (Faces) Covers(p Phrase) []string {
	if p.Noun == "face" {
		return []string{"face"}
	}
	return nil
}

func (Faces) Detailed() {}

// Detect runs the cascade over the grey frame at every scale from 1/12 of
// the frame's short side up. pigo scores a face by a quality sum with no
// upper bound (5 is its usual threshold); confidence is q/(q+5), so the
// threshold maps to 0.5, the default --min-confidence, and strong faces
// (q ≈ 20–40) to 0.8–0.9.
func (Faces) Detect(f media.Frame, sx, sy float64, pr Prompt) []Candidate {
	// A face is also among "the most visually important elements".
	want := -2
	if pr.Intent == IntentSalient {
		want = -1
	}
	for i, ph := range pr.Phrases {
		if ph.Noun == "face" {
			want = i
			break
		}
	}
	if want == -2 {
		return nil
	}
	faceFinderOnce.Do(func() { faceFinder, faceFinderErr = pigo.NewPigo().Unpack(faceCascade) })
	if faceFinderErr != nil {
		return nil
	}
	grey := make([]uint8, f.Width*f.Height)
	for i := range grey {
		p := f.RGB[i*3 : i*3+3]
		grey[i] = uint8((299*int(p[0]) + 587*int(p[1]) + 114*int(p[2])) / 1000)
	}
	short := min(f.Width, f.Height)
	params := pigo.CascadeParams{MinSize: max(20, short/12), MaxSize: short, ShiftFactor: 0.1, ScaleFactor: 1.1,
		ImageParams: pigo.ImageParams{Pixels: grey, Rows: f.Height, Cols: f.Width, Dim: f.Width}}
	dets := faceFinder.ClusterDetections(faceFinder.RunCascade(params, 0), 0.2)
	var out []Candidate
	for _, d := range dets {
		q := float64(d.Q)
		if q <= 0 {
			continue
		}
		// pigo gives a square's centre (Row, Col) and side (Scale).
		half := float64(d.Scale) / 2
		x, y := float64(d.Col)-half, float64(d.Row)-half
		out = append(out, Candidate{Phrase: want, Label: "face", Confidence: math.Round(q/(q+5)*1000) / 1000,
			Box: Box{X: int(math.Round(max(0, x) * sx)), Y: int(math.Round(max(0, y) * sy)),
				W: int(math.Round(float64(d.Scale) * sx)), H: int(math.Round(float64(d.Scale) * sy))}})
	}
	return out
}
