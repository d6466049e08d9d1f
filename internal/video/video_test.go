package video_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/detect"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/media"
	"github.com/scry-dev/scry/internal/media/mediatest"
	"github.com/scry-dev/scry/internal/objstore"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
	"github.com/scry-dev/scry/internal/tenant"
	"github.com/scry-dev/scry/internal/testwait"
	"github.com/scry-dev/scry/internal/video"
)

// auditLog is the audit log a worker writes, its heads in dir.
func auditLog(t *testing.T, dir string) *audit.Log {
	t.Helper()
	l, err := audit.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func tenants(t *testing.T, db *store.DB) (a, b tenant.Tenant) {
	t.Helper()
	return storetest.Tenant(t, db, "tenant-a"), storetest.Tenant(t, db, "tenant-b")
}

// clip is 3 s of grey with a red square, made by ffmpeg.
func clip(t *testing.T) string { return clipOf(t, "red") }

func clipOf(t *testing.T, colour string) string { return mediatest.Square(t, "clip.mp4", colour, 3) }

// leftovers lists files in the video folders that no row accounts for.
func files(t *testing.T, dir string) []string {
	var out []string
	filepath.WalkDir(filepath.Join(dir, "videos"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

func TestAddGetList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		cfg := storetest.Config(t, d)
		db, err := store.Open(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		ctx := context.Background()
		a, b := tenants(t, db)
		src := clip(t)
		v, existed, err := video.Add(ctx, storetest.Actor(db, a, "cli:test"), objstore.NewFolder(cfg.DataDir), src, media.DefaultLimits)
		if err != nil || existed {
			t.Fatalf("add: %v existed=%v", err, existed)
		}
		stored, err := os.ReadFile(filepath.Join(cfg.DataDir, filepath.FromSlash(video.Key(a.ID, v))))
		orig, _ := os.ReadFile(src)
		if err != nil || string(stored) != string(orig) || v.Size != int64(len(orig)) || len(v.ID) != 64 {
			t.Fatalf("stored copy differs (err %v, id %q, size %d)", err, v.ID, v.Size)
		}
		if v.Info.Width != 320 || v.Info.FrameCount != 30 {
			t.Errorf("metadata %+v", v.Info)
		}
		again, existed, err := video.Add(ctx, storetest.Actor(db, a, "cli:test"), objstore.NewFolder(cfg.DataDir), src, media.DefaultLimits)
		if err != nil || !existed || again.ID != v.ID || len(files(t, cfg.DataDir)) != 1 {
			t.Fatalf("second add: err %v existed %v, files %v", err, existed, files(t, cfg.DataDir))
		}
		if got, err := video.Get(ctx, db, a.ID, v.ID[:8]); err != nil || got.ID != v.ID {
			t.Errorf("get by prefix: %v", err)
		}
		for _, bad := range []string{"abc", "zzzzzzzzzz", ""} {
			if _, err := video.Get(ctx, db, a.ID, bad); errcode.From(err).Code != errcode.Invalid {
				t.Errorf("get %q: %v, want invalid_input", bad, err)
			}
		}
		// Another tenant neither finds it nor lists it.
		if _, err := video.Get(ctx, db, b.ID, v.ID); errcode.From(err).Code != errcode.NotFound {
			t.Errorf("tenant B read A's video: %v", err)
		}
		if l, _ := video.List(ctx, db, b.ID); len(l) != 0 {
			t.Errorf("tenant B lists %d videos", len(l))
		}
		if l, _ := video.List(ctx, db, a.ID); len(l) != 1 || l[0].Filename != "clip.mp4" {
			t.Errorf("list: %+v", l)
		}
		// Bad files are refused with nothing left behind.
		junk := filepath.Join(t.TempDir(), "junk.mp4")
		buf := make([]byte, 50000)
		rand.Read(buf)
		os.WriteFile(junk, buf, 0o600)
		empty := filepath.Join(t.TempDir(), "empty.mp4")
		os.WriteFile(empty, nil, 0o600)
		for _, p := range []string{junk, empty, filepath.Join(t.TempDir(), "missing.mp4")} {
			if _, _, err := video.Add(ctx, storetest.Actor(db, a, "cli:test"), objstore.NewFolder(cfg.DataDir), p, media.DefaultLimits); errcode.From(err).Code != errcode.Invalid {
				t.Errorf("add %s: %v, want invalid_input", filepath.Base(p), err)
			}
		}
		if f := files(t, cfg.DataDir); len(f) != 1 {
			t.Errorf("files after refused adds: %v", f)
		}
	})
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// wait polls the analysis until it is done or failed.
func wait(t *testing.T, db *store.DB, tenantID, id int64) video.Analysis {
	t.Helper()
	var a video.Analysis
	testwait.Eventually(t, 3*time.Minute, func() error {
		var err error
		if a, err = video.GetAnalysis(context.Background(), db, tenantID, id); err != nil {
			t.Fatal(err)
		}
		if a.Status == "done" || a.Status == "failed" {
			return nil
		}
		return fmt.Errorf("analysis %d is %s", id, a.Status)
	})
	return a
}

// TestAnalysisJob: an analysis queued through river is worked by a client
// in this process, reports progress, stores its result, and stays inside
// its tenant; a prompt that names nothing fails at once with its code.
func TestAnalysisJob(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		cfg := storetest.Config(t, d)
		db, err := store.Open(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		ctx := context.Background()
		a, b := tenants(t, db)
		v, _, err := video.Add(ctx, storetest.Actor(db, a, "cli:test"), objstore.NewFolder(cfg.DataDir), clip(t), media.DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		var seenMu sync.Mutex
		var seen []float64
		alog := auditLog(t, cfg.DataDir)
		w := &video.Worker{DB: db, Objects: objstore.NewFolder(cfg.DataDir), Log: quiet(), Audit: alog, Process: "worker test:1"}
		jobs, err := video.NewClient(db, w, 1, quiet())
		if err != nil {
			t.Fatal(err)
		}
		try := func(v video.Video, prompt string) (int64, error) {
			var id int64
			err := db.InTenant(ctx, a.ID, func(tx *store.Tx) error {
				var err error
				id, err = video.Queue(ctx, tx, jobs, objstore.NewFolder(cfg.DataDir), video.Request{Video: v, Prompt: prompt, Actor: "cli:test",
					Options: video.JobOptions{FPS: 5, MinConfidence: 0.5, Setup: detect.Setup{Detector: "builtin"}}})
				return err
			})
			return id, err
		}
		queue := func(v video.Video, prompt string) int64 {
			id, err := try(v, prompt)
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		// A prompt naming nothing is refused at once, leaving no row.
		if _, err := try(v, "Detect the"); errcode.From(err).Code != errcode.Invalid {
			t.Errorf("queue with an empty prompt: %v", err)
		}
		// A video whose file went missing fails in the worker, for good.
		gone, _, err := video.Add(ctx, storetest.Actor(db, a, "cli:test"), objstore.NewFolder(cfg.DataDir), clipOf(t, "blue"), media.DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		os.Remove(filepath.Join(cfg.DataDir, filepath.FromSlash(video.Key(a.ID, gone))))
		good := queue(v, "Detect the red box")
		bad := queue(gone, "Detect the red box")
		if got, _ := video.GetAnalysis(ctx, db, a.ID, good); got.Status != "queued" {
			t.Fatalf("before a worker runs: %s", got.Status)
		}
		runCtx, stop := context.WithCancel(ctx)
		defer stop()
		if err := jobs.Start(runCtx); err != nil {
			t.Fatal(err)
		}
		defer jobs.Stop(ctx)
		// Progress is visible while it runs (sampled as a watcher would).
		go testwait.Until(time.Hour, func() error {
			if runCtx.Err() != nil {
				return nil // the test is over
			}
			if an, err := video.GetAnalysis(ctx, db, a.ID, good); err == nil && an.Status == "running" {
				seenMu.Lock()
				seen = append(seen, an.Progress)
				seenMu.Unlock()
			}
			return errors.New("still sampling")
		})
		done := wait(t, db, a.ID, good)
		if done.Status != "done" || done.Progress != 1 || done.StartedAt == "" || done.FinishedAt == "" {
			t.Fatalf("analysis: %+v", done)
		}
		var res detect.Result
		if err := json.Unmarshal(done.Result, &res); err != nil {
			t.Fatal(err)
		}
		found := 0
		for _, fr := range res.Frames {
			for _, det := range fr.Detections {
				if det.Phrase == "red box" && det.Box.X >= 36 && det.Box.X <= 44 && det.Box.W >= 56 && det.Box.W <= 64 {
					found++
				}
			}
		}
		if len(res.Frames) != 15 || found < 14 || len(res.Presence) != 1 || !res.Presence[0].Present {
			t.Errorf("result: %d frames, %d red detections, presence %+v", len(res.Frames), found, res.Presence)
		}
		failed := wait(t, db, a.ID, bad)
		if failed.Status != "failed" || failed.ErrorCode != string(errcode.NotFound) || failed.Result != nil {
			t.Errorf("missing file: %+v", failed)
		}
		if _, err := video.GetAnalysis(ctx, db, b.ID, good); errcode.From(err).Code != errcode.NotFound {
			t.Errorf("tenant B read A's analysis: %v", err)
		}
		if l, _ := video.Analyses(ctx, db, a.ID, v.ID); len(l) != 1 || l[0].ID != good || l[0].Result != nil {
			t.Errorf("analyses list: %+v", l)
		}
		if all, _ := video.Analyses(ctx, db, a.ID, ""); len(all) != 2 || all[0].ID != bad || all[1].ID != good {
			t.Errorf("analyses of every video: %+v", all)
		}
		// The worker audited each start and end, naming itself, under
		// the analysis's tenant; the log verifies.
		if err := alog.Publish(ctx, db); err != nil {
			t.Fatal(err)
		}
		recs, err := audit.List(ctx, db, "tenant-a", 0)
		if err != nil {
			t.Fatal(err)
		}
		acts := map[string]string{}
		for _, r := range recs {
			if r.Actor == "worker" && r.Details["process"] == "worker test:1" {
				acts[fmt.Sprint(r.Details["analysis"], " ", r.Action)] = r.Outcome
			}
		}
		want := map[string]string{fmt.Sprint(good, " video.analysis.start"): "ok", fmt.Sprint(good, " video.analysis.finish"): "ok",
			fmt.Sprint(bad, " video.analysis.start"): "ok", fmt.Sprint(bad, " video.analysis.fail"): "refused"}
		if fmt.Sprint(acts) != fmt.Sprint(want) {
			t.Errorf("the worker's audit records: %v, want %v", acts, want)
		}
		if _, err := alog.Verify(ctx, db); err != nil {
			t.Error(err)
		}
		stop()
		seenMu.Lock()
		t.Logf("progress seen while running: %v", seen)
		seenMu.Unlock()
	})
}

// TestInterruptedWorkIsRetried: a worker whose context ends mid-analysis
// leaves the analysis queued with a note (river retries the job); on the
// last attempt the analysis fails for good.
func TestInterruptedWorkIsRetried(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	dataDir := t.TempDir()
	ctx := context.Background()
	a, _ := tenants(t, db)
	long := filepath.Join(t.TempDir(), "long.mp4")
	mediatest.FFmpeg(t, "-f", "lavfi", "-i", "testsrc=s=640x360:r=25:d=30", "-pix_fmt", "yuv420p", long)
	v, _, err := video.Add(ctx, storetest.Actor(db, a, "cli:test"), objstore.NewFolder(dataDir), long, media.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	w := &video.Worker{DB: db, Objects: objstore.NewFolder(dataDir), Log: quiet(), Audit: auditLog(t, dataDir)}
	jobs, err := video.NewClient(db, w, 0, quiet())
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	err = db.InTenant(ctx, a.ID, func(tx *store.Tx) error {
		id, err = video.Queue(ctx, tx, jobs, objstore.NewFolder(dataDir), video.Request{Video: v, Prompt: "Detect the red box", Actor: "t",
			Options: video.JobOptions{FPS: 5, Setup: detect.Setup{Detector: "builtin"}}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		attempt int
		want    string
	}{{1, "queued"}, {3, "failed"}} {
		attempt, want := step.attempt, step.want
		// The context ends once the analysis is seen running: mid-decode.
		running, cancel := context.WithCancel(ctx)
		go func() {
			defer cancel()
			testwait.Until(time.Minute, func() error {
				if got, _ := video.GetAnalysis(ctx, db, a.ID, id); got.Status != "running" && running.Err() == nil {
					return fmt.Errorf("analysis %s", got.Status)
				}
				return nil
			})
		}()
		job := &river.Job[video.AnalyzeArgs]{JobRow: &rivertype.JobRow{Attempt: attempt, MaxAttempts: 3}, Args: video.AnalyzeArgs{TenantID: a.ID, AnalysisID: id}}
		err := w.Work(running, job)
		cancel()
		got, _ := video.GetAnalysis(ctx, db, a.ID, id)
		var jc *river.JobCancelError
		if err == nil || got.Status != want || errors.As(err, &jc) != (want == "failed") {
			t.Errorf("attempt %d: err %v, analysis %s (%s), want %s", attempt, err, got.Status, got.Error, want)
		}
	}
}

// TestAddProgress: under WithProgress, Add reports the bytes it copies,
// ending at the file's size.
func TestAddProgress(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	a, _ := tenants(t, db)
	src := clip(t)
	st, _ := os.Stat(src)
	var last, total int64
	calls := 0
	pctx := video.WithProgress(ctx, func(done, tot int64) { calls++; last, total = done, tot })
	if _, _, err := video.Add(pctx, storetest.Actor(db, a, "t"), objstore.NewFolder(t.TempDir()), src, media.DefaultLimits); err != nil {
		t.Fatal(err)
	}
	if calls == 0 || last != st.Size() || total != st.Size() {
		t.Errorf("progress: %d calls, last %d of %d, file %d bytes", calls, last, total, st.Size())
	}
}
