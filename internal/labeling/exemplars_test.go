package labeling_test

import (
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/scry-dev/scry/internal/detect"
	"github.com/scry-dev/scry/internal/labeling"
	"github.com/scry-dev/scry/internal/media"
	"github.com/scry-dev/scry/internal/media/mediatest"
	"github.com/scry-dev/scry/internal/objstore"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
	"github.com/scry-dev/scry/internal/video"
)

// logoClip is grey with a 48×48 patch of ffmpeg's test pattern (the
// "logo") at x, y: something no colour rule names.
func logoClip(t *testing.T, x, y int) string {
	p := filepath.Join(t.TempDir(), "logo.mp4")
	mediatest.FFmpeg(t, "-f", "lavfi", "-i", "color=c=gray:s=320x180:r=10:d=3", "-f", "lavfi", "-i", "testsrc=s=48x48:r=10:d=3",
		"-filter_complex", "[0][1]overlay=x="+itoa(x)+":y="+itoa(y), "-pix_fmt", "yuv420p", p)
	return p
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestReviewedBoxesBecomeExemplars: boxes a worker drew around the logo
// in one video let the built-in detector find it in another, where
// without them "the logo" is unsupported.
func TestReviewedBoxesBecomeExemplars(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		f := setup(t, d)
		ctx := f.ctx
		v, _, err := video.Add(ctx, storetest.Actor(f.db, f.a, "t"), objstore.NewFolder(f.dataDir), logoClip(t, 200, 60), media.DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		var job labeling.Job
		f.in(t, f.a, func(tx *store.Tx) error {
			job, err = labeling.Create(ctx, tx, labeling.Spec{Kind: labeling.KindBoxes, VideoID: v.ID, Team: "reviewers", WorkersPerItem: 1,
				TimeLimit: time.Minute, Lifetime: time.Hour, Labels: []labeling.Label{{Name: "logo"}}, Every: time.Second, IoU: 0.5}, v, nil, "t")
			return err
		})
		if err != nil || job.Items != 3 {
			t.Fatalf("job: %v %+v", err, job)
		}
		for range job.Items {
			task := f.take(t, f.a, "w1")
			if _, err := f.submit(t, "w1", task.ID, labeling.Answer{Frames: map[int][]labeling.Box{task.Frames[0]: {{X: 200, Y: 60, W: 48, H: 48, Label: "logo"}}}}); err != nil {
				t.Fatal(err)
			}
		}
		dets, err := labeling.Exemplars(ctx, f.db, objstore.NewFolder(f.dataDir), f.a.ID, "Detect the logo")
		if err != nil || len(dets) != 3 {
			t.Fatalf("exemplars: %v, %d", err, len(dets))
		}
		if none, _ := labeling.Exemplars(ctx, f.db, objstore.NewFolder(f.dataDir), f.b.ID, "Detect the logo"); len(none) != 0 {
			t.Errorf("tenant B got A's exemplars")
		}
		other := logoClip(t, 60, 100)
		res, err := detect.Run(ctx, other, "Detect the logo", nil, detect.Options{FPS: 5}, detect.Setup{})
		if err != nil || len(res.Unsupported) != 1 {
			t.Fatalf("without exemplars: %v %+v", err, res.Unsupported)
		}
		res, err = detect.Run(ctx, other, "Detect the logo", nil, detect.Options{FPS: 2}, detect.Setup{Extra: dets})
		if err != nil || len(res.Unsupported) != 0 || !res.Presence[0].Present {
			t.Fatalf("with exemplars: %v %+v %+v", err, res.Unsupported, res.Presence)
		}
		hits := 0
		for _, fr := range res.Frames {
			for _, d := range fr.Detections {
				if detect.IoU(d.Box, detect.Box{X: 60, Y: 100, W: 48, H: 48}) >= 0.5 {
					hits++
				} else {
					t.Errorf("frame %d: a logo at %+v", fr.FrameIndex, d.Box)
				}
			}
		}
		if hits != len(res.Frames) {
			t.Errorf("the logo found in %d of %d frames", hits, len(res.Frames))
		}
	})
}
