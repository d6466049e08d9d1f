package detect

import (
	"context"
	"slices"
	"strings"

	"github.com/scry-dev/scry/internal/errcode"
)

// Backend names the detector backend of an analysis: scry's own, or a
// model server scry calls.
type Backend string

const (
	BackendBuiltin       Backend = "builtin"
	BackendGroundingDINO Backend = "grounding-dino" // Roboflow Inference protocol
	BackendYOLOWorld     Backend = "yolo-world"     // Roboflow Inference protocol
	BackendVision        Backend = "vision"         // an OpenAI-compatible vision chat
)

// Backends lists them, the built-in one first (flags' help, checks).
var Backends = []Backend{BackendBuiltin, BackendGroundingDINO, BackendYOLOWorld, BackendVision}

// BackendWords lists the backends as a sentence says them: "builtin,
// grounding-dino, yolo-world or vision".
func BackendWords() string {
	var b strings.Builder
	for i, k := range Backends {
		switch {
		case i == len(Backends)-1:
			b.WriteString(" or ")
		case i > 0:
			b.WriteString(", ")
		}
		b.WriteString(string(k))
	}
	return b.String()
}

// Setup names the detector backends of an analysis; `scry detect` fills it
// from flags, a queued analysis stores it (without the key) and its worker
// rebuilds the same backends from it.
type Setup struct {
	Detector Backend `json:"detector"`            // "" is builtin
	ModelURL string  `json:"model_url,omitempty"` // the model server
	Model    string  `json:"model,omitempty"`     // the model name for vision
	APIKey   string  `json:"-"`
	Exemplar string  `json:"exemplar,omitempty"` // a reference image
	// Extra are further detectors, such as the exemplars people's reviews
	// made (scry label); they are rebuilt for each run, never stored.
	Extra []Detector `json:"-"`
}

// Check refuses a setup that cannot work before any frame is decoded.
func (s Setup) Check() error {
	switch {
	case s.Detector == "" || s.Detector == BackendBuiltin:
	case slices.Contains(Backends, s.Detector):
		if s.ModelURL == "" {
			return errcode.New(errcode.Invalid, "--detector %s needs --model-url (or SCRY_DETECT_URL)", s.Detector)
		}
	default:
		return errcode.New(errcode.Invalid, "--detector %q is not %s", s.Detector, BackendWords())
	}
	return nil
}

// Run analyses path for prompt (and the blueprint's fields, when bp is set)
// with the backends of s: the one entry point of the CLI and of the worker.
func Run(ctx context.Context, path, prompt string, bp *Blueprint, opt Options, s Setup) (*Result, error) {
	if err := s.Check(); err != nil {
		return nil, err
	}
	if prompt == "" && bp != nil {
		prompt = bp.Fields[0].Prompt
	}
	detectors := []Detector{&Builtin{}, &Codes{}, Faces{}}
	// The object detector joins when its files are installed; without them
	// the phrases it alone could find are unsupported, saying so.
	var obj *Objects
	if m, err := SharedObjects(); err == nil {
		obj = &Objects{Model: m}
		detectors = append(detectors, obj)
	}
	if s.Exemplar != "" {
		ex, err := LoadExemplar(ctx, s.Exemplar)
		if err != nil {
			return nil, err
		}
		detectors = append(detectors, ex)
	}
	detectors = append(detectors, s.Extra...)
	var remoteErr func() error
	switch s.Detector {
	case BackendVision:
		v := &VisionChat{URL: s.ModelURL, Model: s.Model, APIKey: s.APIKey}
		detectors, remoteErr = append(detectors, v), func() error { return v.Err }
	case BackendGroundingDINO, BackendYOLOWorld:
		r := &Roboflow{URL: s.ModelURL, Model: strings.ReplaceAll(string(s.Detector), "-", "_"), APIKey: s.APIKey}
		detectors, remoteErr = append(detectors, r), func() error { return r.Err }
	}
	res, err := Analyze(ctx, path, prompt, opt, detectors)
	if err != nil {
		return nil, err
	}
	if bp != nil {
		// Each field is its own pass over the file; progress covers the
		// standard document only.
		opt.Progress = nil
		if res.Blueprint, err = RunBlueprint(ctx, path, bp, opt, detectors); err != nil {
			return nil, err
		}
	}
	if obj != nil && obj.Err != nil {
		return nil, errcode.Wrap(errcode.Internal, obj.Err, "The object detector failed")
	}
	if remoteErr != nil && remoteErr() != nil {
		return nil, errcode.Wrap(errcode.Unavailable, remoteErr(), "The model server at %s did not answer properly", s.ModelURL)
	}
	return res, nil
}
