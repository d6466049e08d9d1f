package cli

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/riverqueue/river"

	"github.com/scry-dev/scry/internal/detect"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/labeling"
	"github.com/scry-dev/scry/internal/media"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/tenant"
	"github.com/scry-dev/scry/internal/video"
)

func videoCommand() *command {
	return &command{name: "video", summary: "a tenant's videos: add, analyze in the background, show, list", subs: []*command{
		{name: "add", summary: "store a video or image in the tenant's library (by content: the same bytes twice are kept once)",
			usage: "--tenant <slug> FILE", example: "scry video add --tenant acme-retail store-cam.mp4",
			flags: func(fs *flag.FlagSet, c *call) { tenantFlag(fs) }, run: videoAdd},
		{name: "analyze", summary: "queue an analysis as a background job and, unless --detach, work it here with progress",
			usage: "--tenant <slug> ID (--prompt \"...\" | --blueprint FILE) [--fps 2] [--min-confidence 0.5] [--detach]",
			example: `scry video analyze --tenant acme-retail 3f2a1b9c --prompt "Detect the red box"
scry video analyze --tenant acme-retail 3f2a1b9c --blueprint shelf.yaml --detach   # a running scry serve works it`,
			flags: func(fs *flag.FlagSet, c *call) {
				tenantFlag(fs)
				fs.String("prompt", "", "what to look for, in plain words")
				fs.String("blueprint", "", "a YAML file of named fields (see scry detect --help)")
				fs.Float64("fps", 2, "frames analysed per second of video")
				fs.Float64("min-confidence", 0.5, "drop detections below this confidence (0–1)")
				fs.String("exemplar", "", "a reference image of what the prompt names (kept in the object store)")
				fs.String("detector", firstNonEmpty(c.env.Getenv("SCRY_DETECTOR"), string(detect.BackendBuiltin)), detect.BackendWords()+" (env SCRY_DETECTOR)")
				fs.String("model-url", c.env.Getenv("SCRY_DETECT_URL"), "the model server (env SCRY_DETECT_URL; the worker reads its key from SCRY_DETECT_API_KEY)")
				fs.String("model", c.env.Getenv("SCRY_DETECT_MODEL"), "the model name for --detector vision (env SCRY_DETECT_MODEL)")
				fs.Bool("detach", false, "only queue it: `scry serve` (or a later analyze) works it")
			}, run: videoAnalyze},
		{name: "show", summary: "a video's metadata and analyses; with --analysis N that analysis's whole result",
			usage:   "--tenant <slug> ID [--analysis N] [--json]",
			example: "scry video show --tenant acme-retail 3f2a1b9c\nscry video show --tenant acme-retail 3f2a1b9c --analysis 4 --json > result.json",
			flags: func(fs *flag.FlagSet, c *call) {
				tenantFlag(fs)
				fs.Int64("analysis", 0, "one analysis, with its result document")
			}, run: videoShow},
		{name: "list", summary: "the tenant's videos, newest first", usage: "--tenant <slug> [--json]",
			example: "scry video list --tenant acme-retail --json",
			flags:   func(fs *flag.FlagSet, c *call) { tenantFlag(fs) }, run: videoList},
	}}
}

func videoAdd(ctx context.Context, c *call) error {
	if err := c.need(1, "a video or image file"); err != nil {
		return err
	}
	by, t, err := c.by(ctx)
	if err != nil {
		return err
	}
	// Progress on stderr in steps of 5 % for files worth waiting for.
	step := -1
	ctx = video.WithProgress(ctx, func(done, total int64) {
		if total < 64<<20 {
			return
		}
		if s := int(done * 20 / total); s > step {
			step = s
			fmt.Fprintf(c.env.Stderr, "copying %s: %d%% (%s of %s)\n", c.args[0], s*5, size(done), size(total))
		}
	})
	v, existed, err := video.Add(ctx, by, c.objects, c.args[0], media.DefaultLimits)
	if err != nil {
		return err
	}
	return c.out(map[string]any{"video": v, "existed": existed}, func(w io.Writer) {
		if existed {
			fmt.Fprintf(w, "Already in the library as %s (added %s); nothing new stored.\n", v.ID[:12], v.AddedAt)
			return
		}
		m := v.Info
		fmt.Fprintf(w, "Added %s as %s: %d×%d, %.1f s, %d frames, %s.\nNext: scry video analyze --tenant %s %s --prompt \"Detect …\"\n",
			v.Filename, v.ID[:12], m.Width, m.Height, float64(m.DurationMillis)/1000, m.FrameCount, size(v.Size), t.Slug, v.ID[:12])
	})
}

// tenantVideo opens the --tenant and finds the video the argument names.
func (c *call) tenantVideo(ctx context.Context) (*store.DB, tenant.Tenant, video.Video, error) {
	if err := c.need(1, "a video id (scry video list shows them)"); err != nil {
		return nil, tenant.Tenant{}, video.Video{}, err
	}
	db, t, err := c.tenant(ctx)
	if err != nil {
		return nil, t, video.Video{}, err
	}
	v, err := video.Get(ctx, db, t.ID, c.args[0])
	return db, t, v, err
}

// jobClient opens the job queue; workers > 0 also works it.
func (c *call) jobClient(db *store.DB, workers int, log *slog.Logger) (*river.Client[*sql.Tx], error) {
	jobs, _, err := c.jobWorker(db, workers, log, "")
	return jobs, err
}

// jobWorker is jobClient with the worker behind it, which drains it;
// process names the process in the worker's audit records.
func (c *call) jobWorker(db *store.DB, workers int, log *slog.Logger, process string) (*river.Client[*sql.Tx], *video.Worker, error) {
	alog, err := c.audit()
	if err != nil {
		return nil, nil, err
	}
	var rescue time.Duration
	if v := c.env.Getenv("SCRY_RESCUE_AFTER"); v != "" {
		if rescue, err = time.ParseDuration(v); err != nil || rescue < 6*time.Second {
			return nil, nil, errcode.New(errcode.Invalid, "SCRY_RESCUE_AFTER: %q is not a duration of at least 6s such as 1m", v)
		}
	}
	w := &video.Worker{DB: db, Objects: c.objects, APIKey: c.env.Getenv("SCRY_DETECT_API_KEY"), OCR: &detect.OCR{}, Log: log, Audit: alog, Process: process, RescueAfter: rescue,
		Exemplars: func(ctx context.Context, tenantID int64, prompt string) ([]detect.Detector, error) {
			return labeling.Exemplars(ctx, db, c.objects, tenantID, prompt)
		}}
	jobs, err := video.NewClient(db, w, workers, log)
	return jobs, w, err
}

// workQueue starts working the analysis queue, n at a time, and returns
// the function that stops it: analyses still running are handed back to
// the queue (video.Worker.Drain). The queue has its own context, so that a
// server stops taking requests before its analyses are handed back.
func (c *call) workQueue(ctx context.Context, db *store.DB, n int, log *slog.Logger, process string) (stop func(), err error) {
	jobs, w, err := c.jobWorker(db, n, log, process)
	if err != nil {
		return nil, err
	}
	if err := jobs.Start(context.WithoutCancel(ctx)); err != nil {
		return nil, errcode.Wrap(errcode.Internal, err, "Cannot start the job queue")
	}
	return func() {
		drain, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := w.Drain(drain, jobs); err != nil {
			log.Warn("stopping the job queue", "err", err)
		}
	}, nil
}

func videoAnalyze(ctx context.Context, c *call) error {
	fps, _ := strconv.ParseFloat(c.flag("fps"), 64)
	minConf, _ := strconv.ParseFloat(c.flag("min-confidence"), 64)
	if fps <= 0 || fps > 60 || minConf < 0 || minConf > 1 {
		return errcode.New(errcode.Invalid, "--fps must be in (0, 60] and --min-confidence in [0, 1]")
	}
	var bp []byte
	if path := c.flag("blueprint"); path != "" {
		if _, err := detect.LoadBlueprint(path); err != nil {
			return err
		}
		bp, _ = os.ReadFile(path)
	}
	db, t, v, err := c.tenantVideo(ctx)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(c.env.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	detach := c.flag("detach") == "true"
	workers := 1
	if detach {
		workers = 0
	}
	jobs, err := c.jobClient(db, workers, log)
	if err != nil {
		return err
	}
	req := video.Request{Video: v, Prompt: c.flag("prompt"), Blueprint: string(bp),
		Options: video.JobOptions{FPS: fps, MinConfidence: minConf, Setup: detect.Setup{Detector: detect.Backend(c.flag("detector")),
			ModelURL: c.flag("model-url"), Model: c.flag("model"), Exemplar: c.flag("exemplar")}}}
	alog, err := c.audit()
	if err != nil {
		return err
	}
	id, err := video.Start(ctx, c.actorIn(db, alog, t), jobs, c.objects, req)
	if err != nil {
		return err
	}
	if detach {
		a, err := video.GetAnalysis(ctx, db, t.ID, id)
		if err != nil {
			return err
		}
		return c.out(a, func(w io.Writer) {
			fmt.Fprintf(w, "Queued analysis %d of %s. A running `scry serve` works it; watch it with\n  scry video show --tenant %s %s\n", id, v.ID[:12], t.Slug, v.ID[:12])
		})
	}
	a, err := c.work(ctx, db, jobs, t.ID, id)
	if err != nil {
		return err
	}
	if a.Status == "failed" {
		return &errcode.Error{Code: errcode.Code(a.ErrorCode), Message: fmt.Sprintf("Analysis %d failed: %s", id, a.Error)}
	}
	return c.out(a, func(w io.Writer) { printAnalysis(w, a) })
}

// work runs the job queue here until analysis id is done or failed,
// telling its progress on stderr in steps of 10 %. Ctrl-C stops the work;
// the analysis stays queued for the next worker.
func (c *call) work(ctx context.Context, db *store.DB, jobs *river.Client[*sql.Tx], tenantID, id int64) (video.Analysis, error) {
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	if err := jobs.Start(runCtx); err != nil {
		return video.Analysis{}, errcode.Wrap(errcode.Internal, err, "Cannot start the job queue")
	}
	defer func() {
		stopCtx, done := context.WithTimeout(context.Background(), 30*time.Second)
		defer done()
		jobs.Stop(stopCtx)
		if log, err := c.audit(); err == nil {
			log.Flush(stopCtx, db) // the worker's last records get their head before the command exits
		}
	}()
	step := -1
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		a, err := video.GetAnalysis(context.WithoutCancel(ctx), db, tenantID, id)
		if err != nil {
			return a, err
		}
		if s := int(a.Progress * 10); a.Status == "running" && s > step {
			step = s
			fmt.Fprintf(c.env.Stderr, "analysis %d: %d%%\n", id, s*10)
		}
		if a.Status == "done" || a.Status == "failed" {
			return a, nil
		}
		select {
		case <-ctx.Done():
			cancel() // the running job sees its context end and is requeued
			return a, errcode.New(errcode.Invalid, "Interrupted: analysis %d stays queued; `scry serve` or the next `scry video analyze` works it", id)
		case <-tick.C:
		}
	}
}

func printAnalysis(w io.Writer, a video.Analysis) {
	fmt.Fprintf(w, "analysis %d: %s", a.ID, a.Status)
	if a.Status == "running" || a.Status == "queued" {
		fmt.Fprintf(w, " (%.0f%%)", a.Progress*100)
	}
	fmt.Fprintf(w, ", prompt %q, %g frames/s, created %s by %s\n", a.Prompt, a.Options.FPS, a.CreatedAt, a.CreatedBy)
	if a.Error != "" {
		fmt.Fprintf(w, "  %s: %s\n", a.ErrorCode, a.Error)
	}
	if len(a.Result) == 0 {
		return
	}
	var res detect.Result
	if json.Unmarshal(a.Result, &res) != nil {
		return
	}
	n := 0
	for _, fr := range res.Frames {
		n += len(fr.Detections)
	}
	fmt.Fprintf(w, "  %d shots, %d chapters, %d frames analysed, %d detections, %d lines of text\n", len(res.Shots), len(res.Chapters), len(res.Frames), n, len(res.Texts))
	printPresence(w, &res)
}

func videoShow(ctx context.Context, c *call) error {
	db, t, v, err := c.tenantVideo(ctx)
	if err != nil {
		return err
	}
	if n, _ := strconv.ParseInt(c.flag("analysis"), 10, 64); n != 0 {
		a, err := video.GetAnalysis(ctx, db, t.ID, n)
		if err == nil && a.VideoID != v.ID {
			err = errcode.New(errcode.NotFound, "Analysis %d is not of video %s", n, v.ID[:12])
		}
		if err != nil {
			return err
		}
		return c.out(a, func(w io.Writer) { printAnalysis(w, a) })
	}
	as, err := video.Analyses(ctx, db, t.ID, v.ID)
	if err != nil {
		return err
	}
	return c.out(map[string]any{"video": v, "analyses": as}, func(w io.Writer) {
		printVideo(w, v)
		if len(as) == 0 {
			fmt.Fprintf(w, "No analyses yet: scry video analyze --tenant %s %s --prompt \"Detect …\"\n", t.Slug, v.ID[:12])
		}
		for _, a := range as {
			printAnalysis(w, a)
		}
		if len(as) > 0 {
			fmt.Fprintf(w, "The result of one: scry video show --tenant %s %s --analysis %d --json\n", t.Slug, v.ID[:12], as[0].ID)
		}
	})
}

func printVideo(w io.Writer, v video.Video) {
	m := v.Info
	fmt.Fprintf(w, "%s  %-24s %5d×%-5d %7.1f s %9s  added %s by %s\n", v.ID[:12], v.Filename, m.Width, m.Height,
		float64(m.DurationMillis)/1000, size(v.Size), v.AddedAt, v.AddedBy)
}

func videoList(ctx context.Context, c *call) error {
	vs, t, err := readTenant(ctx, c, video.List)
	if err != nil {
		return err
	}
	return c.out(vs, func(w io.Writer) {
		if len(vs) == 0 {
			fmt.Fprintf(w, "No videos in %s yet: scry video add --tenant %s FILE\n", t.Slug, t.Slug)
		}
		for _, v := range vs {
			printVideo(w, v)
		}
	})
}

// size is a byte count for people.
func size(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
