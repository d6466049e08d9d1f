package video_test

import (
	"bytes"
	"context"
	"fmt"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"

	"github.com/scry-dev/scry/internal/detect"
	"github.com/scry-dev/scry/internal/media"
	"github.com/scry-dev/scry/internal/media/mediatest"
	"github.com/scry-dev/scry/internal/objstore"
	"github.com/scry-dev/scry/internal/objstore/objstoretest"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
	"github.com/scry-dev/scry/internal/video"
)

// TestLibraryOnEveryObjectStore: a video added on one machine is stored by
// content in the object store, its analysis is worked on another machine
// (its own data folder: nothing shared but the store and the database)
// with an exemplar kept in the store, and a frame is cut once and then
// read from the store.
func TestLibraryOnEveryObjectStore(t *testing.T) {
	objstoretest.Each(t, func(t *testing.T, k objstoretest.Kind) {
		ctx := context.Background()
		db := storetest.Open(t, store.SQLite)
		a, _ := tenants(t, db)
		stores := objstoretest.Machines(t, k, t.TempDir(), t.TempDir())
		adder, worker := stores[0], stores[1]
		src := clip(t)
		v, existed, err := video.Add(ctx, storetest.Actor(db, a, "t"), adder, src, media.DefaultLimits)
		if err != nil || existed {
			t.Fatalf("add: %v existed %v", err, existed)
		}
		st, _ := os.Stat(src)
		if info, err := adder.Stat(ctx, video.Key(a.ID, v)); err != nil || info.Size != st.Size() || v.ID == "" {
			t.Fatalf("stored object: %+v %v", info, err)
		}
		if _, existed, err := video.Add(ctx, storetest.Actor(db, a, "t"), adder, src, media.DefaultLimits); err != nil || !existed {
			t.Fatalf("second add: %v existed %v", err, existed)
		}

		w := &video.Worker{DB: db, Objects: worker, Log: quiet(), Audit: auditLog(t, t.TempDir())}
		jobs, err := video.NewClient(db, w, 1, quiet())
		if err != nil {
			t.Fatal(err)
		}
		exemplar := filepath.Join(t.TempDir(), "red.png")
		mediatest.FFmpeg(t, "-f", "lavfi", "-i", "color=c=red:s=16x16", "-frames:v", "1", exemplar)
		var id int64
		err = db.InTenant(ctx, a.ID, func(tx *store.Tx) error {
			id, err = video.Queue(ctx, tx, jobs, adder, video.Request{Video: v, Prompt: "Detect the red box", Actor: "t",
				Options: video.JobOptions{FPS: 1, MinConfidence: 0.5, Setup: detect.Setup{Detector: "builtin", Exemplar: exemplar}}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		os.Remove(exemplar) // the worker reads the store's copy
		if err := jobs.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer jobs.Stop(context.Background())
		if done := wait(t, db, a.ID, id); done.Status != "done" {
			t.Fatalf("analysis on %s: %s %s", k, done.Status, done.Error)
		}

		b, err := video.FrameJPEG(ctx, adder, a.ID, v, 10)
		if err != nil {
			t.Fatal(err)
		}
		if img, err := jpeg.Decode(bytes.NewReader(b)); err != nil || img.Bounds().Dx() != v.Info.Width {
			t.Fatalf("frame: %v", err)
		}
		key := fmt.Sprintf("frames/%d/%s/10.jpg", a.ID, v.ID)
		cached, err := objstore.ReadAll(ctx, adder, key)
		if err != nil || !bytes.Equal(cached, b) {
			t.Fatalf("the cut frame is not kept at %s: %v", key, err)
		}
		// Served from the store from now on: even without the video.
		if err := adder.Delete(ctx, video.Key(a.ID, v)); err != nil {
			t.Fatal(err)
		}
		if again, err := video.FrameJPEG(ctx, adder, a.ID, v, 10); err != nil || !bytes.Equal(again, b) {
			t.Fatalf("second cut: %v", err)
		}
	})
}
