package objects

import (
	"encoding/json"
	"image"
	"image/draw"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/media"
)

// modelsDir is the repository's models/ folder (found from the module
// root), where `make models` installs the detector's files.
func modelsDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "models")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = parent
	}
}

var shared struct {
	once sync.Once
	m    *Model
	err  error
}

// model opens the detector once for the package's tests. Without its files
// the tests fail under CI and are skipped elsewhere, saying how to get them.
func model(t testing.TB) *Model {
	t.Helper()
	dir := modelsDir(t)
	if f := missing(dir); f != "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing from %s: CI must run `make models` first", f, dir)
		}
		t.Skipf("%s is missing from %s: run `make models`", f, dir)
	}
	shared.once.Do(func() { shared.m, shared.err = Open(dir) })
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.m
}

func readFrame(t testing.TB, path string) media.Frame {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	rgba := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(rgba, rgba.Bounds(), img, b.Min, draw.Src)
	rgb := make([]byte, 0, b.Dx()*b.Dy()*3)
	for i := 0; i < len(rgba.Pix); i += 4 {
		rgb = append(rgb, rgba.Pix[i], rgba.Pix[i+1], rgba.Pix[i+2])
	}
	return media.Frame{Width: b.Dx(), Height: b.Dy(), RGB: rgb}
}

type reference struct {
	Photo      string       `json:"photo"`
	Width      int          `json:"width"`
	Height     int          `json:"height"`
	Runtime    string       `json:"runtime"`
	Millis     float64      `json:"millis"`
	Detections [][6]float64 `json:"detections"`
}

func readReference(t testing.TB, photo string) reference {
	t.Helper()
	b, err := os.ReadFile(photo[:len(photo)-len(".png")] + ".reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var r reference
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Detections) != Detections {
		t.Fatalf("%s: %d reference rows, not %d", photo, len(r.Detections), Detections)
	}
	return r
}

// The raw output on real photographs matches TensorFlow.js's (the reference
// files come from tools/reference): every reference row scoring ≥ minScore
// has a row of the same class whose score and box are within tol.
func TestRawMatchesTFJS(t *testing.T) {
	m := model(t)
	const minScore, tol = 0.05, 1e-3
	photos, _ := filepath.Glob("testdata/*.png")
	if len(photos) < 3 {
		t.Fatalf("%d photographs in testdata, want 3", len(photos))
	}
	worst := 0.0
	for _, p := range photos {
		ref := readReference(t, p)
		f := readFrame(t, p)
		in := make([]float32, Size*Size*3)
		resizeBilinear(in, f.RGB, f.Width, f.Height, Size, Size)
		out, err := m.Raw(in)
		if err != nil {
			t.Fatal(err)
		}
		compared := 0
		for i, r := range ref.Detections {
			if r[4] < minScore {
				continue
			}
			compared++
			best, bestJ := math.Inf(1), -1
			for j := 0; j < Detections; j++ {
				row := out[j*6 : j*6+6]
				if int(row[5]) != int(r[5]) {
					continue
				}
				d := 0.0
				for k := 0; k < 5; k++ {
					d = max(d, math.Abs(float64(row[k])-r[k]))
				}
				if d < best {
					best, bestJ = d, j
				}
			}
			worst = max(worst, best)
			if best > tol {
				t.Errorf("%s: reference row %d (%s %.4f at %.1f,%.1f–%.1f,%.1f): nearest row %d differs by %.5f", p, i,
					Classes[int(r[5])], r[4], r[0], r[1], r[2], r[3], bestJ, best)
			}
		}
		if compared < 3 {
			t.Errorf("%s: only %d reference rows score ≥ %v: too few to compare", p, compared, minScore)
		}
		t.Logf("%s: %d rows compared; reference %s took %.0f ms", p, compared, ref.Runtime, ref.Millis)
	}
	t.Logf("largest difference from TensorFlow.js: %.2e", worst)
}

type box struct{ x1, y1, x2, y2 float64 }

func iou(a, b box) float64 {
	iw := min(a.x2, b.x2) - max(a.x1, b.x1)
	ih := min(a.y2, b.y2) - max(a.y1, b.y1)
	if iw <= 0 || ih <= 0 {
		return 0
	}
	inter := iw * ih
	return inter / ((a.x2-a.x1)*(a.y2-a.y1) + (b.x2-b.x1)*(b.y2-b.y1) - inter)
}

// Detect on the photographs finds the objects in boxes drawn by hand (in
// the PNG's pixels), and everything it reports at ≥ 0.3 lies on one of them.
func TestDetectPhotographs(t *testing.T) {
	m := model(t)
	type object struct {
		classes []string // any of these is right
		at      box
	}
	for _, tc := range []struct {
		photo   string
		objects []object
	}{
		{"dog.png", []object{
			{[]string{"dog"}, box{65, 110, 155, 270}},
			{[]string{"bicycle"}, box{62, 65, 283, 210}},
			{[]string{"truck", "car"}, box{233, 40, 342, 83}}, // a pickup
		}},
		{"person.png", []object{
			{[]string{"person"}, box{133, 83, 192, 262}},
			{[]string{"dog"}, box{44, 183, 143, 242}},
			// The white horse at (284,95)–(421,240) is boxed but called
			// "sheep" (0.47): not asserted here, and counted as a wrong class
			// in the lead's evaluation.
			{nil, box{284, 95, 421, 240}},
		}},
	} {
		f := readFrame(t, filepath.Join("testdata", tc.photo))
		objs, err := m.Detect(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(objs) != Detections {
			t.Errorf("%s: %d objects, want all %d rows", tc.photo, len(objs), Detections)
		}
		for _, o := range objs {
			if o.X1 < 0 || o.Y1 < 0 || o.X2 > float64(f.Width) || o.Y2 > float64(f.Height) || o.X1 > o.X2 || o.Y1 > o.Y2 {
				t.Errorf("%s: box outside the %d×%d frame: %+v", tc.photo, f.Width, f.Height, o)
			}
			if o.Score < 0.3 {
				continue
			}
			t.Logf("%s: %s %.2f [%.0f,%.0f–%.0f,%.0f]", tc.photo, o.Class, o.Score, o.X1, o.Y1, o.X2, o.Y2)
			if Classes[o.ClassID] != o.Class {
				t.Errorf("%s: class %d is %q, not %q", tc.photo, o.ClassID, Classes[o.ClassID], o.Class)
			}
			on := false
			for _, want := range tc.objects {
				on = on || iou(box{o.X1, o.Y1, o.X2, o.Y2}, want.at) >= 0.5
			}
			if !on {
				t.Errorf("%s: %s %.2f at [%.0f,%.0f–%.0f,%.0f] is on no object in the photograph", tc.photo, o.Class, o.Score, o.X1, o.Y1, o.X2, o.Y2)
			}
		}
		for _, want := range tc.objects {
			if want.classes == nil {
				continue
			}
			found := false
			for _, o := range objs {
				found = found || (o.Score >= 0.3 && slices.Contains(want.classes, o.Class) && iou(box{o.X1, o.Y1, o.X2, o.Y2}, want.at) >= 0.5)
			}
			if !found {
				t.Errorf("%s: no %v at ≥ 0.3 with IoU ≥ 0.5 on %v", tc.photo, want.classes, want.at)
			}
		}
	}
}

func TestOpenMissingFiles(t *testing.T) {
	_, err := Open(t.TempDir())
	if !errcode.Is(err, errcode.Unavailable) {
		t.Fatalf("Open(empty folder) = %v, want an unavailable error", err)
	}
	if e := errcode.From(err); !strings.Contains(e.Message, "make deps") {
		t.Errorf("message %q does not say to run make deps", e.Message)
	}
}
