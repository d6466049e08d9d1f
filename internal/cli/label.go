package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/fsatomic"
	"github.com/scry-dev/scry/internal/labeling"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/tenant"
)

func labelCommand() *command {
	return &command{name: "label", summary: "labeling jobs for the private workforce: create, follow, export", subs: []*command{
		{name: "job", summary: "labeling jobs", subs: []*command{
			{name: "create", summary: "a job over a video's frames (boxes) or a review of an analysis (adjust, verify)",
				usage: "--tenant <slug> --video ID --team NAME (--kind boxes --labels a,b (--every 2s | --keyframes --analysis N) | --kind adjust|verify --analysis N [--below 0.6] [--sample 0.1]) [--workers-per-item 3] [--time-limit 10m] [--lifetime 72h] [--instructions FILE.md]",
				example: `scry label job create --tenant acme-retail --video 3f2a1b9c --kind boxes --labels person,cart --every 2s --team reviewers
scry label job create --tenant acme-retail --video 3f2a1b9c --analysis 4 --kind adjust --below 0.6 --sample 0.1 --workers-per-item 3 --team reviewers`,
				flags: func(fs *flag.FlagSet, c *call) {
					tenantFlag(fs)
					fs.String("video", "", "the video (id or prefix, scry video list)")
					fs.Int64("analysis", 0, "the analysis reviewed (adjust, verify) or whose shots and boxes a boxes job starts from")
					fs.String("kind", "boxes", "boxes (draw), adjust (fix, add, delete machine boxes) or verify (accept / reject with a reason)")
					fs.String("team", "", "the work team that does the job")
					fs.String("name", "", "a name for people (default: kind of file)")
					fs.String("labels", "", "the label list, e.g. car,truck,person:occluded=yes|no (review jobs default to the analysis's labels)")
					fs.Duration("every", 0, "boxes jobs: a frame every this long")
					fs.Bool("keyframes", false, "boxes jobs: each shot's middle frame (needs --analysis)")
					fs.Int("frames-per-item", 1, "boxes jobs: consecutive frames per task (workers step through them)")
					fs.Float64("below", labeling.DefaultBelow, "review jobs: every frame with a detection under this confidence")
					fs.Float64("sample", labeling.DefaultSample, "review jobs: this share of the other frames with detections")
					fs.Int("workers-per-item", labeling.DefaultWorkersPerItem, "workers who label each item (1–9); their answers are consolidated")
					fs.Duration("time-limit", labeling.DefaultTimeLimit, "how long a worker holds a task before it returns to the pool")
					fs.Duration("lifetime", labeling.DefaultLifetime, "how long the job stays available")
					fs.String("instructions", "", "a Markdown file shown to workers")
					fs.Float64("iou", labeling.DefaultIoU, "consolidation: boxes of different workers match at this IoU")
					fs.Int("quorum", 0, "consolidation: members a box needs to be kept (0: a strict majority of the answers)")
				}, run: labelJobCreate},
			{name: "list", summary: "the tenant's jobs, newest first", usage: "--tenant <slug> [--json]",
				example: "scry label job list --tenant acme-retail",
				flags:   func(fs *flag.FlagSet, c *call) { tenantFlag(fs) }, run: labelJobList},
			{name: "cancel", summary: "stop a job: no more tasks are handed out, open ones are released (finished items keep their results)",
				usage: "--tenant <slug> JOB", example: "scry label job cancel --tenant acme-retail 7",
				flags: func(fs *flag.FlagSet, c *call) { tenantFlag(fs) }, run: labelJobCancel},
			{name: "show", summary: "a job's progress, per worker: accepted, submitted, released, skipped, expired, active time, agreement",
				usage: "--tenant <slug> JOB [--json]", example: "scry label job show --tenant acme-retail 7 --json",
				flags: func(fs *flag.FlagSet, c *call) { tenantFlag(fs) }, run: labelJobShow},
		}},
		{name: "export", summary: "a job's consolidated labels as COCO JSON, YOLO text or the reviewed analysis JSON",
			usage:   "--tenant <slug> JOB --format coco|yolo|analysis --out PATH [--images]",
			example: "scry label export --tenant acme-retail 7 --format coco --out labels.json --images\nscry label export --tenant acme-retail 7 --format yolo --out yolo/",
			flags: func(fs *flag.FlagSet, c *call) {
				tenantFlag(fs)
				fs.String("format", "coco", "coco (one JSON file), yolo (a folder: labels/*.txt and classes.txt) or analysis (the reviewed analysis JSON)")
				fs.String("out", "", "the file (coco, analysis) or folder (yolo) to write")
				fs.Bool("images", false, "also write the frames as PNG next to the labels (images/)")
			}, run: labelExport},
	}}
}

func labelJobCreate(ctx context.Context, c *call) error {
	dur := func(name string) time.Duration { v, _ := time.ParseDuration(c.flag(name)); return v }
	req := labeling.Request{Name: c.flag("name"), Kind: c.flag("kind"), Video: c.flag("video"), Analysis: int64(num(c.flag("analysis"))),
		Team: c.flag("team"), Labels: c.flag("labels"), EverySeconds: dur("every").Seconds(), Keyframes: c.flag("keyframes") == "true",
		FramesPerItem: int(num(c.flag("frames-per-item"))), Below: num(c.flag("below")), Sample: num(c.flag("sample")),
		WorkersPerItem: int(num(c.flag("workers-per-item"))), TimeLimitS: int(dur("time-limit").Seconds()), LifetimeHours: dur("lifetime").Hours(),
		IoU: num(c.flag("iou")), Quorum: int(num(c.flag("quorum")))}
	if path := c.flag("instructions"); path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return errcode.Wrap(errcode.Invalid, err, "Cannot read the instructions %s", path)
		}
		req.Instructions = string(b)
	}
	by, t, err := c.by(ctx)
	if err != nil {
		return err
	}
	job, err := labeling.NewJob(ctx, by, req)
	if err != nil {
		return err
	}
	return c.out(job, func(w io.Writer) {
		fmt.Fprintf(w, "Created job %d (%s): %d item(s) for team %s, %d worker(s) each, open until %s.\nFollow it: scry label job show --tenant %s %d\n",
			job.ID, job.Kind, job.Items, job.Team, job.WorkersPerItem, job.ExpiresAt, t.Slug, job.ID)
	})
}

func labelJobList(ctx context.Context, c *call) error {
	jobs, t, err := readTenant(ctx, c, labeling.ListJobs)
	if err != nil {
		return err
	}
	return c.out(jobs, func(w io.Writer) {
		if len(jobs) == 0 {
			fmt.Fprintf(w, "No labeling jobs in %s yet: scry label job create --help\n", t.Slug)
		}
		for _, j := range jobs {
			fmt.Fprintf(w, "%4d  %-7s %-6s %-28s team %-12s %3d items  video %s\n", j.ID, j.Kind, j.Status, j.Name, j.Team, j.Items, j.VideoID[:12])
		}
	})
}

// tenantJob reads the job number argument and opens the --tenant.
func (c *call) tenantJob(ctx context.Context) (*store.DB, tenant.Tenant, int64, error) {
	if err := c.need(1, "a job number (scry label job list shows them)"); err != nil {
		return nil, tenant.Tenant{}, 0, err
	}
	id, err := strconv.ParseInt(c.args[0], 10, 64)
	if err != nil || id <= 0 {
		return nil, tenant.Tenant{}, 0, errcode.New(errcode.Invalid, "%q is not a job number", c.args[0])
	}
	db, t, err := c.tenant(ctx)
	return db, t, id, err
}

func labelJobShow(ctx context.Context, c *call) error {
	db, t, id, err := c.tenantJob(ctx)
	if err != nil {
		return err
	}
	p, err := labeling.GetProgress(ctx, db, t.ID, id)
	if err != nil {
		return err
	}
	return c.out(p, func(w io.Writer) {
		j := p.Job
		fmt.Fprintf(w, "job %d %q (%s, %s): %d of %d items done; team %s, %d worker(s) per item, %s per task, open until %s\n",
			j.ID, j.Name, j.Kind, j.Status, p.ItemsDone, j.Items, j.Team, j.WorkersPerItem, time.Duration(j.TimeLimitS)*time.Second, j.ExpiresAt)
		if len(p.Workers) == 0 {
			fmt.Fprintf(w, "No worker has taken a task yet (they work at /t/<tenant>/portal/task).\n")
			return
		}
		fmt.Fprintf(w, "%-36s %8s %9s %8s %7s %7s %4s %9s %9s\n", "worker", "accepted", "submitted", "released", "skipped", "expired", "open", "active", "agreement")
		for _, s := range p.Workers {
			agr := "-"
			if s.Agreement != nil {
				agr = fmt.Sprintf("%.2f", *s.Agreement)
			}
			fmt.Fprintf(w, "%-36s %8d %9d %8d %7d %7d %4d %9s %9s\n", s.Email, s.Accepted, s.Submitted, s.Released, s.Skipped, s.Expired, s.Open,
				(time.Duration(s.ActiveMillis) * time.Millisecond).Round(time.Second), agr)
		}
	})
}

func labelExport(ctx context.Context, c *call) error {
	out, format := c.flag("out"), c.flag("format")
	if out == "" {
		return errcode.New(errcode.Invalid, "--out: say where to write the export")
	}
	db, t, id, err := c.tenantJob(ctx)
	if err != nil {
		return err
	}
	e, err := labeling.ExportJob(ctx, db, c.objects, t.ID, id, format, c.flag("images") == "true")
	if err != nil {
		return err
	}
	// A document is written at --out, its files beside it; yolo's files go
	// into the folder --out.
	dir, files := out, map[string][]byte{}
	if e.Document != nil {
		dir, files[out] = filepath.Dir(out), e.Document
	}
	for name, b := range e.Files {
		files[filepath.Join(dir, filepath.FromSlash(name))] = b
	}
	for path, b := range files {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return errcode.Wrap(errcode.Invalid, err, "Cannot create %s", filepath.Dir(path))
		}
		if err := fsatomic.WriteFile(path, b, 0o644); err != nil {
			return errcode.Wrap(errcode.Invalid, err, "Cannot write %s", path)
		}
	}
	return c.out(map[string]any{"job": id, "format": format, "frames": e.Frames, "files": len(files)}, func(wr io.Writer) {
		fmt.Fprintf(wr, "Wrote %d file(s) for %d consolidated frame(s) of job %d to %s.\n", len(files), e.Frames, id, out)
	})
}

func labelJobCancel(ctx context.Context, c *call) error {
	db, t, id, err := c.tenantJob(ctx)
	if err != nil {
		return err
	}
	log, err := c.audit()
	if err != nil {
		return err
	}
	if err := labeling.Cancel(ctx, c.actorIn(db, log, t), id); err != nil {
		return err
	}
	return c.out(map[string]any{"job": id, "status": "cancelled"}, func(w io.Writer) { fmt.Fprintf(w, "Job %d cancelled.\n", id) })
}
