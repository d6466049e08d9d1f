package detect_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/scry-dev/scry/internal/detect"
)

// TestMain points the object detector at the repository's models/ (where
// `make models` installs it) before any test loads it: detect.Run loads it
// once per process, so a test that ran first without it would leave every
// later one without it.
func TestMain(m *testing.M) {
	if os.Getenv("SCRY_MODELS") == "" {
		abs, _ := filepath.Abs("../../models")
		os.Setenv("SCRY_MODELS", abs)
	}
	os.Exit(m.Run())
}

// objectDetector is the installed object detector; without it the test
// skips, except in CI (.ci/run sets CI), where `make models` installed it.
func objectDetector(t *testing.T) []detect.Detector {
	t.Helper()
	m, err := detect.SharedObjects()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skipf("object detector not installed (make models): %v", err)
	}
	return []detect.Detector{&detect.Builtin{}, &detect.Codes{}, detect.Faces{}, &detect.Objects{Model: m}}
}

type truthBox struct {
	Class  string `json:"class"`
	Also   string `json:"also"`
	Ignore bool   `json:"ignore"`
	Box    [4]int `json:"box"`
}

func loadTruth(t *testing.T) map[string][]truthBox {
	b, err := os.ReadFile("testdata/photos/truth.json")
	if err != nil {
		t.Fatal(err)
	}
	var truth map[string][]truthBox
	if err := json.Unmarshal(b, &truth); err != nil {
		t.Fatal(err)
	}
	return truth
}

// TestObjectsOnPhotographs: box AP@0.5 per class against boxes drawn by
// hand on real pictures, each class asked for by name on every picture.
func TestObjectsOnPhotographs(t *testing.T) {
	dets := objectDetector(t)
	truth := loadTruth(t)
	files := make([]string, 0, len(truth))
	classes := map[string]bool{}
	for f, boxes := range truth {
		files = append(files, f)
		for _, b := range boxes {
			if b.Class != "" {
				classes[b.Class] = true
			}
		}
	}
	sort.Strings(files)
	var names []string
	for c := range classes {
		names = append(names, c)
	}
	sort.Strings(names)
	var report []string
	aps := map[string]float64{}
	// One analysis a picture, every class a phrase of it.
	results := map[string]*detect.Result{}
	for _, f := range files {
		res, err := detect.Analyze(context.Background(), "testdata/photos/"+f, "Detect the "+strings.Join(names, ", the "), detect.Options{MinConfidence: 0.01}, dets)
		if err != nil {
			t.Fatal(err)
		}
		results[f] = res
	}
	for _, class := range names {
		var all []scored
		gts := 0
		for _, f := range files {
			used := map[int]bool{}
			for _, b := range truth[f] {
				if b.Class == class {
					gts++
				}
			}
			var ds []detect.Detection
			for _, d := range results[f].Frames[0].Detections {
				if d.Label == class {
					ds = append(ds, d)
				}
			}
			sort.Slice(ds, func(i, j int) bool { return ds[i].Confidence > ds[j].Confidence })
			for _, d := range ds {
				best, bestIoU, ignored := -1, 0.5, false
				for k, b := range truth[f] {
					iou := detect.IoU(d.Box, detect.Box{X: b.Box[0], Y: b.Box[1], W: b.Box[2], H: b.Box[3]})
					if iou < 0.5 {
						continue
					}
					switch {
					case b.Class == class && !used[k] && iou >= bestIoU:
						best, bestIoU = k, iou
					case b.Ignore || b.Also == class || b.Class == class:
						ignored = true // a thing not judged, another name for it, or a second box on it
					}
				}
				switch {
				case best >= 0:
					used[best] = true
					all = append(all, scored{d.Confidence, true})
				case !ignored:
					all = append(all, scored{d.Confidence, false})
				}
			}
		}
		aps[class] = averagePrecision(all, gts)
		report = append(report, fmt.Sprintf("%s %.2f", class, aps[class]))
	}
	t.Logf("box AP@0.5 per class: %s", strings.Join(report, ", "))
	// The real photographs (people, vehicles, animals); the fruit are
	// drawings, reported but not held to it.
	for _, c := range []string{"person", "dog", "horse", "bicycle", "truck"} {
		if aps[c] < 0.5 {
			t.Errorf("AP@0.5 of %s is %.2f", c, aps[c])
		}
	}
}

// averagePrecision is VOC's all-point interpolated AP.
type scored struct {
	conf float64
	tp   bool
}

func averagePrecision(ds []scored, gts int) float64 {
	if gts == 0 {
		return 0
	}
	sort.SliceStable(ds, func(i, j int) bool { return ds[i].conf > ds[j].conf })
	var prec, rec []float64
	tp := 0
	for i, d := range ds {
		if d.tp {
			tp++
		}
		prec = append(prec, float64(tp)/float64(i+1))
		rec = append(rec, float64(tp)/float64(gts))
	}
	ap, prevRec := 0.0, 0.0
	for i := range prec {
		best := 0.0
		for _, p := range prec[i:] {
			best = max(best, p)
		}
		ap += (rec[i] - prevRec) * best
		prevRec = rec[i]
	}
	return ap
}

// TestNoFalsePresence: things that are not in a picture, or are there in
// another colour, place or size, are never present; the things that are
// there are. Each list is one prompt ("Detect if a cat, a red car … appear").
func TestNoFalsePresence(t *testing.T) {
	dets := objectDetector(t)
	absent := map[string][]string{
		"person.jpg":  {"a cat", "a red car", "a blue horse", "a green dog", "the person on the right", "a bicycle", "a black horse"},
		"dog.jpg":     {"a blue car", "a red apple", "a horse", "a yellow dog", "a green car", "a person", "a white dog", "a red car"},
		"orchard.jpg": {"a red truck", "a white car with red wheels", "a dog", "a person", "a white truck"},
		"horses.jpg":  {"a person", "a blue horse", "a car", "a red horse", "a dog"},
	}
	present := map[string][]string{
		"person.jpg":  {"people", "a dog", "a white horse", "a person with a blue jacket", "the dog on the left"},
		"dog.jpg":     {"a dog", "a white car", "a bicycle", "a large dog", "a red bicycle"},
		"horses.jpg":  {"a white horse", "the horse on the right", "a large horse"},
		"orchard.jpg": {"a truck"},
	}
	falsePresent, missed := 0, 0
	for want, set := range map[bool]map[string][]string{false: absent, true: present} {
		for f, phrases := range set {
			prompt := "Detect if " + strings.Join(phrases, ", ") + " appear"
			res, err := detect.Analyze(context.Background(), "testdata/photos/"+f, prompt, detect.Options{}, dets)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Presence) != len(phrases) {
				t.Errorf("%s: %q: presence %+v unsupported %+v", f, prompt, res.Presence, res.Unsupported)
				continue
			}
			for _, p := range res.Presence {
				if p.Present != want {
					t.Errorf("%s: %q present=%v, want %v", f, p.Phrase, p.Present, want)
					if want {
						missed++
					} else {
						falsePresent++
					}
				}
			}
		}
	}
	t.Logf("false presences %d of %d absent things; missed %d of %d present things", falsePresent, count(absent), missed, count(present))
	// Above the confidence asked for, the horse is not found; the entry says
	// a weaker candidate was seen rather than a flat no.
	res, err := detect.Analyze(context.Background(), "testdata/photos/person.jpg", "Detect if a horse appears", detect.Options{MinConfidence: 0.9}, dets)
	if err != nil || res.Presence[0].Present || res.Presence[0].BelowThreshold < 0.5 {
		t.Fatalf("horse above 0.9: %v %+v", err, res.Presence)
	}
}

func count(m map[string][]string) int {
	n := 0
	for _, v := range m {
		n += len(v)
	}
	return n
}
