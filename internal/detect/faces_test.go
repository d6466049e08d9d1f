package detect_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/scry-dev/scry/internal/detect"
	"github.com/scry-dev/scry/internal/media/mediatest"
)

// faceTruth is the face in testdata/face.jpg (320×400), marked by hand:
// hairline to chin, ear to ear.
var faceTruth = detect.Box{X: 45, Y: 80, W: 225, H: 265}

// TestFaceStill: the photographed face is found where it is, once.
func TestFaceStill(t *testing.T) {
	res, err := detect.Run(context.Background(), "testdata/face.jpg", "Detect the face", nil, detect.Options{}, detect.Setup{})
	if err != nil {
		t.Fatal(err)
	}
	ds := res.Frames[0].Detections
	if len(ds) != 1 || ds[0].Label != "face" || detect.IoU(ds[0].Box, faceTruth) < 0.5 || len(res.Unsupported) != 0 {
		t.Fatalf("detections %+v unsupported %+v", ds, res.Unsupported)
	}
	t.Logf("face: box %+v confidence %.2f IoU %.2f", ds[0].Box, ds[0].Confidence, detect.IoU(ds[0].Box, faceTruth))
}

// TestFaceMoving: the face, at half size, slides across a 640×360 grey
// video; it is found in every analysed frame on its known path with one
// track, and a face-free video reports the face absent (not unsupported).
func TestFaceMoving(t *testing.T) {
	dir := t.TempDir()
	clip := filepath.Join(dir, "face.mp4")
	// x(t) = 40 + 120 t px, y = 80 px; the overlay is 160×200.
	mediatest.FFmpeg(t, "-f", "lavfi", "-i", "color=c=gray:s=640x360:r=25:d=3", "-i", "testdata/face.jpg",
		"-filter_complex", "[1]scale=160:200[f];[0][f]overlay=x='40+120*t':y=80", "-pix_fmt", "yuv420p", "-frames:v", "75", clip)
	res, err := detect.Run(context.Background(), clip, "Detect the face", nil, detect.Options{FPS: 5, Width: 640}, detect.Setup{})
	if err != nil {
		t.Fatal(err)
	}
	tp, fp := 0, 0
	tracks := map[int]bool{}
	for _, fr := range res.Frames {
		x := 40 + 120*float64(fr.FrameIndex)/25
		truth := detect.Box{X: int(x) + faceTruth.X/2, Y: 80 + faceTruth.Y/2, W: faceTruth.W / 2, H: faceTruth.H / 2}
		for _, d := range fr.Detections {
			if detect.IoU(d.Box, truth) >= 0.5 {
				tp++
				tracks[d.TrackID] = true
			} else {
				fp++
			}
		}
	}
	recall := float64(tp) / float64(len(res.Frames))
	t.Logf("moving face: %d frames, %d true / %d false positives, recall %.2f, %d track(s)", len(res.Frames), tp, fp, recall, len(tracks))
	if recall < 0.9 || fp > 0 || len(tracks) != 1 {
		t.Fatalf("recall %.2f, %d false positives, tracks %v", recall, fp, tracks)
	}
	plain := filepath.Join(dir, "plain.mp4")
	mediatest.FFmpeg(t, "-f", "lavfi", "-i", "testsrc=s=320x180:r=25:d=2", "-pix_fmt", "yuv420p", plain)
	res, err = detect.Run(context.Background(), plain, "Detect the face", nil, detect.Options{}, detect.Setup{})
	if err != nil || len(res.Presence) != 1 || res.Presence[0].Present || len(res.Unsupported) != 0 {
		t.Fatalf("face-free video: %v presence %+v unsupported %+v", err, res.Presence, res.Unsupported)
	}
}

// TestSalient: on a plain frame with faint noise, a small dark disc and a
// small orange square are the most visually important elements; each is
// boxed (IoU ≥ 0.5) and nothing else is.
func TestSalient(t *testing.T) {
	p := filepath.Join(t.TempDir(), "salient.png")
	mediatest.FFmpeg(t, "-f", "lavfi", "-i", "color=c=0xb0b0a8:s=640x360", "-f", "lavfi", "-i", "color=c=orange:s=60x60",
		"-f", "lavfi", "-i", "color=c=0x202040:s=50x50",
		"-filter_complex", "[0]noise=alls=6:allf=t[bg];[bg][1]overlay=x=420:y=80[a];[a][2]overlay=x=120:y=220", "-frames:v", "1", p)
	res, err := detect.Run(context.Background(), p, "Find the most visually important elements", nil, detect.Options{}, detect.Setup{})
	if err != nil {
		t.Fatal(err)
	}
	truth := []detect.Box{{X: 420, Y: 80, W: 60, H: 60}, {X: 120, Y: 220, W: 50, H: 50}}
	found := make([]bool, len(truth))
	fp := 0
	for _, d := range res.Frames[0].Detections {
		hit := false
		for i, b := range truth {
			if detect.IoU(d.Box, b) >= 0.5 {
				found[i], hit = true, true
			}
		}
		if !hit {
			fp++
		}
		t.Logf("salient: %+v %.2f", d.Box, d.Confidence)
	}
	if !found[0] || !found[1] || fp > 0 {
		t.Fatalf("found %v, %d false positives", found, fp)
	}
}
