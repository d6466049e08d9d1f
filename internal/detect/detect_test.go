package detect_test

import (
	"context"
	"image/png"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"

	"github.com/scry-dev/scry/internal/detect"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/media/mediatest"
)

var builtin = []detect.Detector{&detect.Builtin{}}

// TestShotBoundaries: hard cuts at frames 50 and 100, a fade through black
// whose middle is frame 155; F1 at ±1 frame.
func TestShotBoundaries(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "cuts.mp4")
	mediatest.FFmpeg(t, "-f", "lavfi", "-i", "color=c=red:s=320x180:r=25:d=2", "-f", "lavfi", "-i", "testsrc=s=320x180:r=25:d=2",
		"-f", "lavfi", "-i", "color=c=green:s=320x180:r=25:d=2", "-f", "lavfi", "-i", "color=c=black:s=320x180:r=25:d=0.4",
		"-f", "lavfi", "-i", "color=c=yellow:s=320x180:r=25:d=2",
		"-filter_complex", "[2:v]fade=t=out:st=1.6:d=0.4[g];[4:v]fade=t=in:st=0:d=0.4[y];[0:v][1:v][g][3:v][y]concat=n=5:v=1:a=0[v]",
		"-map", "[v]", "-c:v", "libx264", "-pix_fmt", "yuv420p", p)
	res, err := detect.Analyze(context.Background(), p, "Find the most visually important elements", detect.Options{}, builtin)
	if err != nil {
		t.Fatal(err)
	}
	want := []int{50, 100, 155}
	var got []int
	for _, s := range res.Shots[1:] {
		got = append(got, s.StartFrame)
	}
	tp := 0
	for _, w := range want {
		for _, g := range got {
			if g-w <= 1 && w-g <= 1 {
				tp++
				break
			}
		}
	}
	prec, rec := float64(tp)/float64(max(len(got), 1)), float64(tp)/float64(len(want))
	f1 := 2 * prec * rec / max(prec+rec, 1e-9)
	t.Logf("shot boundaries: want %v, got %v, F1 %.2f", want, got, f1)
	if f1 < 0.99 {
		t.Fatalf("F1 %.2f", f1)
	}
	if res.Shots[1].StartTimecode != "00:00:02:00" || res.Shots[1].StartMillis != 2000 || res.Metadata.FrameCount != 210 {
		t.Fatalf("times: %+v, %+v", res.Shots[1], res.Metadata)
	}
}

// TestMovingBoxes: a red box moving right and a blue square moving down;
// AP@0.5 of the built-in colour detector, tracks, presence and the
// phrase it cannot ground.
func TestMovingBoxes(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "boxes.mp4")
	mediatest.FFmpeg(t, "-f", "lavfi", "-i", "color=c=gray:s=640x360:r=25:d=4", "-f", "lavfi", "-i", "color=c=red:s=80x60:r=25:d=4",
		"-f", "lavfi", "-i", "color=c=blue:s=50x50:r=25:d=4",
		"-filter_complex", "[0][1]overlay=x='40+t*60':y=100[a];[a][2]overlay=x=400:y='40+t*40'", "-c:v", "libx264", "-pix_fmt", "yuv420p", p)
	res, err := detect.Analyze(context.Background(), p, "Detect the red box and the blue square and the apple", detect.Options{FPS: 5}, builtin)
	if err != nil {
		t.Fatal(err)
	}
	truth := func(label string, frame int) detect.Box {
		t := float64(frame) / 25
		if label == "box" {
			return detect.Box{X: int(40 + t*60), Y: 100, W: 80, H: 60}
		}
		return detect.Box{X: 400, Y: int(40 + t*40), W: 50, H: 50}
	}
	tp, fp, gts := 0, 0, 0
	tracks := map[string]map[int]bool{"box": {}, "square": {}}
	for _, fr := range res.Frames {
		gts += 2
		for _, d := range fr.Detections {
			if detect.IoU(d.Box, truth(d.Label, fr.FrameIndex)) >= 0.5 {
				tp++
			} else {
				fp++
			}
			tracks[d.Label][d.TrackID] = true
		}
	}
	// every detection has the same confidence here, so AP is precision × recall
	ap := float64(tp) / float64(tp+fp) * float64(tp) / float64(gts)
	t.Logf("moving boxes: %d frames, %d true / %d false positives of %d objects, AP@0.5 %.2f", len(res.Frames), tp, fp, gts, ap)
	if ap < 0.9 || len(tracks["box"]) != 1 || len(tracks["square"]) != 1 {
		t.Fatalf("AP %.2f, tracks %v", ap, tracks)
	}
	if len(res.Unsupported) != 1 || res.Unsupported[0].Phrase != "apple" || len(res.Presence) != 2 || !res.Presence[0].Present {
		t.Fatalf("presence %+v, unsupported %+v", res.Presence, res.Unsupported)
	}
	// Moving objects by frame differencing: both objects, whatever their colour.
	mv, err := detect.Analyze(context.Background(), p, "Detect moving objects", detect.Options{FPS: 5}, builtin)
	if err != nil {
		t.Fatal(err)
	}
	mtp, mfp, mgt := 0, 0, 0
	for _, fr := range mv.Frames[1:] { // the first frame has nothing to compare with
		mgt += 2
		for _, d := range fr.Detections {
			if detect.IoU(d.Box, truth("box", fr.FrameIndex)) >= 0.5 || detect.IoU(d.Box, truth("square", fr.FrameIndex)) >= 0.5 {
				mtp++
			} else {
				mfp++
			}
		}
	}
	mAP := float64(mtp) / float64(max(mtp+mfp, 1)) * float64(mtp) / float64(mgt)
	t.Logf("moving objects: %d true / %d false positives of %d, AP@0.5 %.2f", mtp, mfp, mgt, mAP)
	if mAP < 0.8 {
		t.Fatalf("moving objects AP %.2f", mAP)
	}
	// A colour that is not there is reported absent (not unsupported).
	res, _ = detect.Analyze(context.Background(), p, "Detect if a green box appears", detect.Options{}, builtin)
	if res.Prompt.Intent != detect.IntentPresence || len(res.Presence) != 1 || res.Presence[0].Present {
		t.Fatalf("green box: %+v", res.Presence)
	}
	// Annotated output: written whole under its name, nothing left behind.
	out := filepath.Join(dir, "annotated.mp4")
	if err := detect.Annotate(context.Background(), p, out, res, 2); err != nil {
		t.Fatal(err)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*.part*")); len(files) != 0 {
		t.Fatalf("left over: %v", files)
	}
}

func TestStillImage(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "photo.png")
	mediatest.FFmpeg(t, "-f", "lavfi", "-i", "color=c=white:s=400x300", "-f", "lavfi", "-i", "color=c=orange:s=60x40",
		"-filter_complex", "[0][1]overlay=x=100:y=150", "-frames:v", "1", p)
	res, err := detect.Analyze(context.Background(), p, "Detect the orange patch", detect.Options{}, builtin)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Frames) != 1 || len(res.Frames[0].Detections) != 1 {
		t.Fatalf("frames %+v", res.Frames)
	}
	d := res.Frames[0].Detections[0]
	if d.Box != (detect.Box{X: 100, Y: 150, W: 60, H: 40}) || d.BoundingBox.Left != 0.25 || d.BoundingBox.Top != 0.5 {
		t.Fatalf("box %+v %+v", d.Box, d.BoundingBox)
	}
}

// TestBadInput: each refused with exit status 2 and a clear message.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.mp4")
	mediatest.FFmpeg(t, "-f", "lavfi", "-i", "testsrc=s=320x180:r=25:d=2", "-c:v", "libx264", "-pix_fmt", "yuv420p", good)
	b, _ := os.ReadFile(good)
	random := make([]byte, 20000)
	rand.New(rand.NewSource(1)).Read(random)
	photo, _ := os.ReadFile("testdata/photos/dog.jpg")
	files := map[string][]byte{"random.mp4": random, "truncated.mp4": b[:len(b)/3], "empty.mp4": {}, "truncated.jpg": photo[:len(photo)/2]}
	for name, data := range files {
		os.WriteFile(filepath.Join(dir, name), data, 0o644)
	}
	mediatest.FFmpeg(t, "-f", "lavfi", "-i", "sine=frequency=440:duration=1", filepath.Join(dir, "audio.m4a"))
	for _, name := range []string{"random.mp4", "truncated.mp4", "empty.mp4", "audio.m4a", "missing.mp4", "truncated.jpg"} {
		before, _ := os.ReadDir(dir)
		_, err := detect.Analyze(context.Background(), filepath.Join(dir, name), "Detect the red box", detect.Options{}, builtin)
		if !errcode.Is(err, errcode.Invalid) || errcode.ExitStatus(err) != 2 {
			t.Errorf("%s: got %v, want an invalid_input (exit 2)", name, err)
			continue
		}
		after, _ := os.ReadDir(dir)
		if len(after) != len(before) {
			t.Errorf("%s left files behind", name)
		}
		t.Logf("%s: %s", name, errcode.From(err).Message)
	}
	// A size over the configured limit.
	_, err := detect.Analyze(context.Background(), good, "Detect the red box", detect.Options{Limits: detect.MediaLimits(1000)}, builtin)
	if !errcode.Is(err, errcode.Invalid) {
		t.Errorf("over the size limit: %v", err)
	}
	if _, err := detect.Analyze(context.Background(), good, "detect the", detect.Options{}, builtin); !errcode.Is(err, errcode.Invalid) {
		t.Errorf("a prompt naming nothing: %v", err)
	}
}

func FuzzPrompt(f *testing.F) {
	for _, s := range []string{"Detect the apple in the video", "Detect all the fruit items", "Find the most visually important elements",
		"Detect if apples appear in the image", "Detect the white car with red wheels", "find the word 'SALE'", "", "and and , ; with with"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := detect.Read(s)
		for _, ph := range p.Phrases {
			if ph.Noun == "" || len(ph.Labels) == 0 && ph.Category != "text" {
				t.Fatalf("%q gave a phrase without noun or labels: %+v", s, ph)
			}
		}
	})
}

// TestOnScreenText: drawtext overlays with known words; OCR word recall and
// "the word SALE" as a detection.
func TestOnScreenText(t *testing.T) {
	if _, err := exec.LookPath("tesseract"); err != nil {
		t.Skip("OCR test skipped: no tesseract on PATH (apt-get install tesseract-ocr)")
	}
	font := "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
	if _, err := os.Stat(font); err != nil {
		t.Skip("OCR test skipped: no DejaVu font (apt-get install fonts-dejavu-core)")
	}
	p := filepath.Join(t.TempDir(), "text.mp4")
	mediatest.FFmpeg(t, "-f", "lavfi", "-i", "color=c=white:s=640x360:r=25:d=3", "-vf",
		"drawtext=fontfile="+font+":text='BIG SALE TODAY':fontsize=48:fontcolor=black:x=80:y=120,drawtext=fontfile="+font+":text='FRESH APPLES':fontsize=40:fontcolor=navy:x=80:y=240",
		"-c:v", "libx264", "-pix_fmt", "yuv420p", p)
	res, err := detect.Analyze(context.Background(), p, "Find the word SALE", detect.Options{OCR: &detect.OCR{}, TextEvery: 1}, builtin)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"BIG", "SALE", "TODAY", "FRESH", "APPLES"}
	found := 0
	for _, w := range want {
		for _, tx := range res.Texts {
			if containsAny(tx.Text, w) {
				found++
				break
			}
		}
	}
	recall := float64(found) / float64(len(want))
	t.Logf("OCR word recall %.2f (%d/%d), lines %+v", recall, found, len(want), res.Texts)
	if recall < 0.8 || len(res.Texts) != 2 || !res.Presence[0].Present {
		t.Fatalf("recall %.2f, texts %+v, presence %+v", recall, res.Texts, res.Presence)
	}
}

func containsAny(text, word string) bool {
	for _, w := range strings.Fields(text) {
		if w == word {
			return true
		}
	}
	return false
}

// TestQRCode: a QR code pasted at a known place in a frame is found, boxed
// and decoded.
func TestQRCode(t *testing.T) {
	dir := t.TempDir()
	code, err := qr.Encode("https://scry.example/item/42", qr.M, qr.Auto)
	if err != nil {
		t.Fatal(err)
	}
	code, _ = barcode.Scale(code, 200, 200)
	f, _ := os.Create(filepath.Join(dir, "qr.png"))
	png.Encode(f, code)
	f.Close()
	p := filepath.Join(dir, "scene.png")
	mediatest.FFmpeg(t, "-f", "lavfi", "-i", "color=c=white:s=640x360", "-i", filepath.Join(dir, "qr.png"),
		"-filter_complex", "[0][1]overlay=x=300:y=80", "-frames:v", "1", p)
	res, err := detect.Analyze(context.Background(), p, "Detect the QR code", detect.Options{Width: 640}, []detect.Detector{&detect.Builtin{}, &detect.Codes{}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Frames) != 1 || len(res.Frames[0].Detections) != 1 {
		t.Fatalf("detections %+v unsupported %+v", res.Frames, res.Unsupported)
	}
	d := res.Frames[0].Detections[0]
	truth := detect.Box{X: 300, Y: 80, W: 200, H: 200}
	if d.Text != "https://scry.example/item/42" || detect.IoU(d.Box, truth) < 0.7 {
		t.Fatalf("QR %q box %+v (IoU %.2f)", d.Text, d.Box, detect.IoU(d.Box, truth))
	}
	t.Logf("QR box %+v, IoU %.2f with the truth", d.Box, detect.IoU(d.Box, truth))
}

// TestExemplar: a textured reference image is found where it was pasted,
// at another size.
func TestExemplar(t *testing.T) {
	dir := t.TempDir()
	ref := filepath.Join(dir, "ref.png")
	mediatest.FFmpeg(t, "-f", "lavfi", "-i", "testsrc=s=160x160", "-frames:v", "1", ref)
	scene := filepath.Join(dir, "scene.png")
	mediatest.FFmpeg(t, "-f", "lavfi", "-i", "color=c=gray:s=640x360", "-i", ref, "-filter_complex", "[1]scale=128:128[r];[0][r]overlay=x=400:y=150", "-frames:v", "1", scene)
	ex, err := detect.LoadExemplar(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	res, err := detect.Analyze(context.Background(), scene, "Detect the logo", detect.Options{}, []detect.Detector{&detect.Builtin{}, ex})
	if err != nil {
		t.Fatal(err)
	}
	truth := detect.Box{X: 400, Y: 150, W: 128, H: 128}
	ds := res.Frames[0].Detections
	if len(ds) == 0 || detect.IoU(ds[0].Box, truth) < 0.5 || len(res.Unsupported) != 0 {
		t.Fatalf("exemplar: %+v (unsupported %+v)", ds, res.Unsupported)
	}
	t.Logf("exemplar box %+v, NCC %.3f, IoU %.2f", ds[0].Box, ds[0].Confidence, detect.IoU(ds[0].Box, truth))
}

func TestBlueprint(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "boxes.mp4")
	mediatest.FFmpeg(t, "-f", "lavfi", "-i", "color=c=gray:s=640x360:r=25:d=2", "-f", "lavfi", "-i", "color=c=red:s=80x60:r=25:d=2",
		"-filter_complex", "[0][1]overlay=x='40+t*60':y=100", "-c:v", "libx264", "-pix_fmt", "yuv420p", p)
	bpPath := filepath.Join(dir, "bp.yaml")
	os.WriteFile(bpPath, []byte(`name: shelf-check
fields:
  - {name: has_red, prompt: "Detect if a red box appears", granularity: video, type: boolean}
  - {name: red_boxes, prompt: "Detect the red box", granularity: chapter, type: count}
  - {name: green_per_frame, prompt: "Detect the green box", granularity: frame, type: boolean}
`), 0o644)
	bp, err := detect.LoadBlueprint(bpPath)
	if err != nil {
		t.Fatal(err)
	}
	out, err := detect.RunBlueprint(context.Background(), p, bp, detect.Options{}, builtin)
	if err != nil {
		t.Fatal(err)
	}
	if out.Fields["has_red"][0].Value != true || out.Fields["red_boxes"][0].Value != 1 || len(out.Fields["green_per_frame"]) != 4 || out.Fields["green_per_frame"][0].Value != false {
		t.Fatalf("blueprint: %+v", out.Fields)
	}
	os.WriteFile(bpPath, []byte("fields:\n  - {name: x, prompt: y, granularity: scene, type: boolean}\n"), 0o644)
	if _, err := detect.LoadBlueprint(bpPath); err == nil || !strings.Contains(err.Error(), "granularity") {
		t.Fatalf("bad granularity: %v", err)
	}
}
