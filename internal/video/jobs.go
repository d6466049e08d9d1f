package video

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river"

	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/detect"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/objstore"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/tenant"
)

// AnalyzeArgs is the river job of one analysis. The queue is
// installation-wide, so the job names its tenant and the worker reads and
// writes only through transactions bound to it.
type AnalyzeArgs struct {
	TenantID   int64 `json:"tenant_id"`
	AnalysisID int64 `json:"analysis_id"`
}

// Kind names the job in river's table.
func (AnalyzeArgs) Kind() string { return "scry.video.analyze" }

// JobOptions is how an analysis runs, stored with it.
type JobOptions struct {
	FPS           float64      `json:"fps"`
	MinConfidence float64      `json:"min_confidence"`
	Setup         detect.Setup `json:"setup"`
}

// Request is what `scry video analyze` (or the API) asks for.
type Request struct {
	Video     Video
	Prompt    string
	Blueprint string // YAML text; empty = none
	Options   JobOptions
	Actor     string
}

// Queue records the analysis and inserts its job in the same transaction,
// so there is never a job without its row or a row no job will work. An
// exemplar image is copied into the object store first: the worker may run
// later, elsewhere, after the original is gone.
func Queue(ctx context.Context, tx *store.Tx, jobs *river.Client[*sql.Tx], objs objstore.Store, req Request) (int64, error) {
	if req.Prompt == "" && req.Blueprint == "" {
		return 0, errcode.New(errcode.Invalid, "An analysis needs --prompt (e.g. --prompt \"Detect the red box\") or --blueprint")
	}
	if req.Prompt != "" {
		if _, err := detect.ReadChecked(req.Prompt); err != nil {
			return 0, err
		}
	}
	if req.Blueprint != "" {
		if _, err := detect.ParseBlueprint([]byte(req.Blueprint), "blueprint"); err != nil {
			return 0, err
		}
	}
	if o := req.Options; o.FPS <= 0 || o.FPS > 60 || o.MinConfidence < 0 || o.MinConfidence > 1 {
		return 0, errcode.New(errcode.Invalid, "The frames analysed a second must be over 0 and at most 60, and the minimum confidence between 0 and 1")
	}
	if err := req.Options.Setup.Check(); err != nil {
		return 0, err
	}
	if ex := req.Options.Setup.Exemplar; ex != "" {
		ext := strings.ToLower(filepath.Ext(ex))
		sum, _, err := putHashed(ctx, objs, ex, func(sum string) string { return exemplarKey(tx.TenantID, sum, ext) }, nil)
		if err != nil {
			return 0, err
		}
		req.Options.Setup.Exemplar = exemplarKey(tx.TenantID, sum, ext)
	}
	opts, _ := json.Marshal(req.Options)
	var id int64
	err := tx.QueryRowContext(ctx, `insert into analyses (tenant_id, video_id, prompt, blueprint, options, status, created_by, created_at)
		values ($1, $2, $3, $4, $5, 'queued', $6, $7) returning id`,
		tx.TenantID, req.Video.ID, req.Prompt, req.Blueprint, string(opts), req.Actor, now()).Scan(&id)
	if err != nil {
		return 0, store.Err(err, "record the analysis")
	}
	if _, err := jobs.InsertTx(ctx, tx.Tx, AnalyzeArgs{TenantID: tx.TenantID, AnalysisID: id}, &river.InsertOpts{MaxAttempts: 3}); err != nil {
		return 0, errcode.Wrap(errcode.Internal, err, "Cannot queue the analysis")
	}
	return id, nil
}

// Start queues an analysis in by's tenant, audited as video.analyze (its
// details: the prompt, the detector and the new analysis's id) and stored
// as created by by.Name (req.Actor is set from it): the one way `scry video
// analyze`, the videos page and the demo start an analysis.
func Start(ctx context.Context, by audit.Actor, jobs *river.Client[*sql.Tx], objs objstore.Store, req Request) (int64, error) {
	req.Actor = by.Name
	details := map[string]any{"prompt": req.Prompt, "detector": req.Options.Setup.Detector}
	var id int64
	err := by.Do(ctx, "video.analyze", req.Video.ID, details, func(tx *store.Tx) error {
		var err error
		id, err = Queue(ctx, tx, jobs, objs, req)
		details["analysis"] = id
		return err
	})
	return id, err
}

// exemplarKey is where a queued analysis's exemplar image is kept.
func exemplarKey(tenantID int64, sum, ext string) string {
	return fmt.Sprintf("videos/%d/exemplars/%s%s", tenantID, sum, ext)
}

func now() string { return time.Now().UTC().Format(time.RFC3339) }

// Worker works analysis jobs.
type Worker struct {
	river.WorkerDefaults[AnalyzeArgs]
	DB      *store.DB
	Objects objstore.Store
	APIKey  string       // for a model server; never stored with the analysis
	OCR     *detect.OCR  // nil = no on-screen text
	Log     *slog.Logger // where failures are told in full
	// Audit records each start and end of an analysis; Process names this
	// process in those records (audit.ProcessName).
	Audit   *audit.Log
	Process string
	// RescueAfter is how long after a worker's last heartbeat its running
	// analysis goes to another worker (PostgreSQL; 0 = DefaultRescueAfter).
	// Every process on one queue should use the same.
	RescueAfter time.Duration
	// Exemplars, when set, finds detectors for the prompt's nouns in what
	// people labelled in this tenant (scry label).
	Exemplars func(ctx context.Context, tenantID int64, prompt string) ([]detect.Detector, error)

	stopping atomic.Bool // set by Drain: an interrupted analysis goes back to the queue
	stopOnce sync.Once
	stopCtx  context.Context // done once Drain is called
	stopAll  context.CancelFunc
}

func (w *Worker) stopped() context.Context {
	w.stopOnce.Do(func() { w.stopCtx, w.stopAll = context.WithCancel(context.Background()) })
	return w.stopCtx
}

// Drain stops jobs, the client that runs w: the analyses running here are
// interrupted at once and handed back to the queue, uncounted (river's
// snooze), for another worker or this one's next start — an analysis may
// run for hours, longer than any shutdown should wait.
func (w *Worker) Drain(ctx context.Context, jobs *river.Client[*sql.Tx]) error {
	w.stopping.Store(true)
	w.stopped()
	w.stopAll()
	err := jobs.StopAndCancel(ctx)
	return errors.Join(err, w.Audit.Flush(ctx, w.DB))
}

// maxRun lets a long video run: four hours of video at ten times real
// time is 24 minutes; a model server may be much slower.
const maxRun = 8 * time.Hour

// Timeout is river's job timeout, which river's rescuer also waits out
// before it gives a job whose worker died to another. With heartbeats it
// is RescueAfter, and Work keeps its own deadline of maxRun (ownDeadline).
func (w *Worker) Timeout(*river.Job[AnalyzeArgs]) time.Duration {
	if w.heartbeats() {
		return w.rescueAfter()
	}
	return maxRun
}

// heartbeats: on PostgreSQL, where workers run on several machines.
func (w *Worker) heartbeats() bool { return w.DB != nil && w.DB.Dialect.Shared() }

// ownDeadline replaces river's deadline (RescueAfter, short so that its
// rescuer may take a dead worker's job) by maxRun, and keeps every other
// reason to stop: river's stop or a cancelled job, and Drain.
func (w *Worker) ownDeadline(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), maxRun)
	stop := w.stopped()
	go func() {
		select {
		case <-ctx.Done():
			return
		case <-stop.Done():
		case <-parent.Done():
			if errors.Is(context.Cause(parent), context.DeadlineExceeded) {
				select { // river's short deadline: only Drain stops it now
				case <-ctx.Done():
					return
				case <-stop.Done():
				}
			}
		}
		cancel()
	}()
	return ctx, cancel
}

// Work runs one analysis and stores its result. A failure that another
// attempt cannot mend (bad input, a deleted video) ends the job; one that
// can (a model server down) leaves the analysis queued for river's retry
// until the last attempt.
func (w *Worker) Work(ctx context.Context, job *river.Job[AnalyzeArgs]) error {
	tenantID, id := job.Args.TenantID, job.Args.AnalysisID
	ctx = audit.WithProcess(ctx, w.Process)
	if w.heartbeats() {
		var cancel context.CancelFunc
		ctx, cancel = w.ownDeadline(ctx)
		defer cancel()
	}
	a, err := GetAnalysis(ctx, w.DB, tenantID, id)
	if err != nil {
		if errcode.From(err).Code == errcode.NotFound {
			return river.JobCancel(err)
		}
		return err
	}
	if a.Status == "done" {
		return nil // a retry after the result was stored
	}
	progress := func(p float64) {
		w.DB.InTenant(ctx, tenantID, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `update analyses set progress = $3 where tenant_id = $1 and id = $2`, tenantID, id, p)
			return err
		})
	}
	if err := w.settle(ctx, job, a, "video.analysis.start", nil, nil, `status = 'running', progress = 0, started_at = $3, error_code = '', error = ''`, now()); err != nil {
		return err
	}
	if w.heartbeats() {
		beat, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); w.heartbeat(beat, job.ID) }()
		defer func() { stop(); <-done }()
	}
	res, err := w.run(ctx, tenantID, a, progress)
	if err != nil && ctx.Err() != nil && w.stopping.Load() {
		w.Log.Info("analysis handed back to the queue: this worker is stopping", "tenant_id", tenantID, "analysis", id)
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := w.settle(wctx, job, a, "video.analysis.hand_back", nil, nil, `status = 'queued', progress = 0, error_code = '', error = $3`,
			"handed back to the queue: the worker that ran it stopped"); err != nil {
			w.Log.Warn("recording a handed-back analysis failed", "analysis", id, "err", err)
		}
		return river.JobSnooze(0)
	}
	if err != nil {
		e := errcode.From(err)
		w.Log.Error("analysis failed", "tenant_id", tenantID, "analysis", id, "attempt", job.Attempt, "err", err)
		// an outside service down, a fault, or the run stopped by its
		// worker's context: another attempt may succeed
		final := job.Attempt >= job.MaxAttempts || (e.Code != errcode.Unavailable && e.Code != errcode.Internal && e.Code != errcode.Canceled)
		status, msg := "failed", e.Message
		if !final {
			status, msg = "queued", fmt.Sprintf("attempt %d of %d failed (%s); it will be retried", job.Attempt, job.MaxAttempts, e.Message)
		}
		// The job's own context may be the thing that ended; the record
		// of the failure must still be written.
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		werr := w.settle(wctx, job, a, "video.analysis.fail", err, map[string]any{"error": string(e.Code), "retried": !final},
			`status = $3, error_code = $4, error = $5, finished_at = $6`, status, string(e.Code), msg, now())
		if final {
			return river.JobCancel(errors.Join(err, werr))
		}
		return err
	}
	body, err := json.Marshal(res)
	if err != nil {
		return err
	}
	return w.settle(ctx, job, a, "video.analysis.finish", nil, nil, `status = 'done', progress = 1, result = $3, finished_at = $4`, string(body), now())
}

// settle moves analysis a to another state (sets, with $3… in args) and
// audits the act in the same transaction, so the log holds exactly the
// starts and ends that happened, whichever worker they happened on. err is
// cause is what ended the act (nil: it went as meant), for the record's outcome.
func (w *Worker) settle(ctx context.Context, job *river.Job[AnalyzeArgs], a Analysis, action string, cause error, details map[string]any, sets string, args ...any) error {
	err := w.DB.InTenant(ctx, job.Args.TenantID, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `update analyses set `+sets+` where tenant_id = $1 and id = $2`, append([]any{tx.TenantID, a.ID}, args...)...); err != nil {
			return err
		}
		slug, err := tenant.SlugOf(ctx, tx)
		if err != nil {
			return err
		}
		d := map[string]any{"analysis": a.ID, "attempt": job.Attempt}
		maps.Copy(d, details)
		return audit.Append(ctx, tx, audit.Record{Tenant: slug, Actor: "worker", Action: action, Target: a.VideoID, Outcome: audit.OutcomeOf(cause), Details: d})
	})
	if err == nil {
		w.Audit.PublishSoon(w.DB)
	}
	return err
}

func (w *Worker) run(ctx context.Context, tenantID int64, a Analysis, progress func(float64)) (*detect.Result, error) {
	v, err := Get(ctx, w.DB, tenantID, a.VideoID)
	if err != nil {
		return nil, err
	}
	var bp *detect.Blueprint
	if a.Blueprint != "" {
		if bp, err = detect.ParseBlueprint([]byte(a.Blueprint), "blueprint"); err != nil {
			return nil, err
		}
	}
	setup := a.Options.Setup
	setup.APIKey = w.APIKey
	// An exemplar is a key in the object store (analyses queued before
	// the store kept an absolute path in the data folder).
	if setup.Exemplar != "" && !filepath.IsAbs(setup.Exemplar) {
		if setup.Exemplar, err = w.Objects.Local(ctx, setup.Exemplar); err != nil {
			return nil, missing(err)
		}
	}
	path, err := w.Objects.Local(ctx, Key(tenantID, v))
	if err != nil {
		return nil, missing(err)
	}
	if w.Exemplars != nil {
		if setup.Extra, err = w.Exemplars(ctx, tenantID, a.Prompt); err != nil {
			return nil, err
		}
	}
	// Progress reaches the database at most twice a second: enough for a
	// progress bar, little enough not to slow the single SQLite writer.
	var last time.Time
	opts := detect.Options{FPS: a.Options.FPS, MinConfidence: a.Options.MinConfidence, OCR: w.OCR,
		Progress: func(frame, frames int) {
			if frames <= 0 || time.Since(last) < 500*time.Millisecond {
				return
			}
			last = time.Now()
			progress(min(0.99, float64(frame+1)/float64(frames)))
		}}
	return detect.Run(ctx, path, a.Prompt, bp, opts, setup)
}

// Heartbeats. River rescues a job whose attempt began longer ago than
// RescueStuckJobsAfter, as one whose worker died; an analysis may rightly
// run for hours. So on PostgreSQL, where workers run on several machines,
// a worker moves its running job's attempted_at forward every
// sixth of RescueAfter (river's rescuer skips a job whose attempted_at is
// recent, in its select and again in its update), and a job is rescued
// RescueAfter after its worker's last sign of life: a killed worker's
// analysis goes to another within about RescueAfter plus river's 30 s
// rescuer interval.
// River's rescuer also waits out the job's Timeout, hence ownDeadline
// (river then logs such a job once as "appears to be stuck": it is not).
const DefaultRescueAfter = time.Minute

func (w *Worker) rescueAfter() time.Duration {
	if w.RescueAfter > 0 {
		return w.RescueAfter
	}
	return DefaultRescueAfter
}

func (w *Worker) heartbeat(ctx context.Context, jobID int64) {
	tick := time.NewTicker(w.rescueAfter() / 6)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		err := w.DB.Global(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `update river_job set attempted_at = now() where id = $1 and state = 'running'`, jobID)
			return err
		})
		if err != nil && ctx.Err() == nil {
			w.Log.Warn("analysis heartbeat failed; river may hand the job to another worker", "job", jobID, "err", err)
		}
	}
}

// NewClient returns a river client over the store. With workers > 0 it also
// works analyses, that many at once, once Start is called; with 0 it only
// inserts (the server or another process works them).
func NewClient(db *store.DB, w *Worker, workers int, log *slog.Logger) (*river.Client[*sql.Tx], error) {
	if workers > 0 && w.Audit == nil {
		return nil, errcode.New(errcode.Internal, "A worker of the analysis queue needs the audit log")
	}
	ws := river.NewWorkers()
	river.AddWorker(ws, w)
	cfg := &river.Config{Workers: ws, Logger: log, MaxAttempts: 3,
		// A worker killed mid-analysis leaves its job running in the table;
		// river hands it out again after this long: on SQLite (one
		// machine, no heartbeat) after the job timeout, on PostgreSQL a
		// minute after the last heartbeat.
		RescueStuckJobsAfter: 9 * time.Hour}
	if db.Dialect.Shared() {
		// river wants its default job timeout (which Worker.Timeout
		// overrides) no longer than the rescue horizon
		cfg.RescueStuckJobsAfter, cfg.JobTimeout = w.rescueAfter(), w.rescueAfter()
	}
	if workers > 0 {
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: workers}}
		cfg.FetchPollInterval = 250 * time.Millisecond
	}
	c, err := river.NewClient(db.JobDriver(), cfg)
	if err != nil {
		return nil, errcode.Wrap(errcode.Internal, err, "Cannot open the job queue")
	}
	return c, nil
}
