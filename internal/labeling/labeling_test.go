package labeling_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/scry-dev/scry/internal/detect"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/labeling"
	"github.com/scry-dev/scry/internal/media"
	"github.com/scry-dev/scry/internal/media/mediatest"
	"github.com/scry-dev/scry/internal/objstore"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
	"github.com/scry-dev/scry/internal/tenant"
	"github.com/scry-dev/scry/internal/testwait"
	"github.com/scry-dev/scry/internal/video"
)

// fixture is a tenant with a video, a finished analysis, and workers in
// teams; and a second tenant with a worker of a team of the same name.
type fixture struct {
	db       *store.DB
	a, b     tenant.Tenant
	video    video.Video
	analysis int64
	w        map[string]int64 // email prefix → user id
	ctx      context.Context
	dataDir  string
}

// analysisResult: frame 0 has a box at 0.4 (under the review threshold),
// frame 10 one at 0.9, frame 20 one at 0.95 (the best evidence of "red box").
func analysisResult() detect.Result {
	det := func(x int, c float64) detect.Detection {
		b := detect.Box{X: x, Y: 50, W: 60, H: 60}
		return detect.Detection{Label: "box", Phrase: "red box", Confidence: c, Box: b, BoundingBox: detect.RatioOf(b, 320, 180), TrackID: 1}
	}
	return detect.Result{Metadata: media.Info{Width: 320, Height: 180, FrameRate: 10, FrameCount: 30, DurationMillis: 3000},
		Frames: []detect.FrameResult{
			{FrameIndex: 0, Detections: []detect.Detection{det(40, 0.4)}},
			{FrameIndex: 10, Detections: []detect.Detection{det(60, 0.9)}},
			{FrameIndex: 20, Detections: []detect.Detection{det(80, 0.95)}},
		},
		Presence: []detect.Presence{{Phrase: "red box"}}}
}

func setup(t *testing.T, d store.Dialect) *fixture {
	cfg := storetest.Config(t, d)
	db, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := &fixture{db: db, w: map[string]int64{}, ctx: context.Background(), dataDir: cfg.DataDir}
	ctx := f.ctx
	f.a, f.b = storetest.Tenant(t, db, "tenant-a"), storetest.Tenant(t, db, "tenant-b")
	clip := filepath.Join(t.TempDir(), "clip.mp4")
	mediatest.FFmpeg(t, "-f", "lavfi", "-i", "color=c=gray:s=320x180:r=10:d=3", "-pix_fmt", "yuv420p", clip)
	if f.video, _, err = video.Add(ctx, storetest.Actor(db, f.a, "t"), objstore.NewFolder(cfg.DataDir), clip, media.DefaultLimits); err != nil {
		t.Fatal(err)
	}
	res := analysisResult()
	body, _ := json.Marshal(res)
	members := map[tenant.Tenant]map[string]string{f.a: {"w1": "reviewers", "w2": "reviewers", "w3": "reviewers", "w4": "others"}, f.b: {"w5": "reviewers"}}
	for tn, ms := range members {
		err := db.InTenant(ctx, tn.ID, func(tx *store.Tx) error {
			if tn == f.a {
				if err := tx.QueryRowContext(ctx, `insert into analyses (tenant_id, video_id, prompt, options, status, progress, result, created_by, created_at)
					values ($1, $2, 'Detect the red box', '{}', 'done', 1, $3, 't', 'now') returning id`, tn.ID, f.video.ID, string(body)).Scan(&f.analysis); err != nil {
					return err
				}
			}
			for _, team := range []string{"reviewers", "others"} {
				if _, err := tx.ExecContext(ctx, `insert into work_teams (tenant_id, name) values ($1, $2)`, tn.ID, team); err != nil {
					return err
				}
			}
			for name, team := range ms {
				u, err := identity.Add(ctx, tx, identity.User{Email: name + "@" + tn.Slug + ".example", Role: identity.Worker})
				if err != nil {
					return err
				}
				f.w[name] = u.ID
				if _, err := tx.ExecContext(ctx, `insert into team_members (tenant_id, team, user_id) values ($1, $2, $3)`, tn.ID, team, u.ID); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *fixture) in(t *testing.T, tn tenant.Tenant, fn func(tx *store.Tx) error) error {
	t.Helper()
	return f.db.InTenant(f.ctx, tn.ID, fn)
}

func (f *fixture) take(t *testing.T, tn tenant.Tenant, worker string) *labeling.Task {
	t.Helper()
	task, err := labeling.Take(f.ctx, f.db, tn.ID, f.w[worker])
	if err != nil {
		t.Fatalf("take by %s: %v", worker, err)
	}
	return task
}

func (f *fixture) submit(t *testing.T, worker string, taskID int64, a labeling.Answer) (labeling.SubmitResult, error) {
	return labeling.Submit(f.ctx, f.db, f.a.ID, f.w[worker], taskID, a, 5000)
}

func box(x int) labeling.Box { return labeling.Box{X: x, Y: 50, W: 60, H: 60, Label: "box"} }

// TestReviewJob walks an adjustment job through three workers: who may
// take what, one open task each, never the same item twice, drafts,
// expiry, idempotent submit, consolidation and the write-back onto the
// analysis.
func TestReviewJob(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		f := setup(t, d)
		ctx := f.ctx
		var job labeling.Job
		res := analysisResult()
		err := f.in(t, f.a, func(tx *store.Tx) error {
			var err error
			job, err = labeling.Create(ctx, tx, labeling.Spec{Kind: labeling.KindAdjust, VideoID: f.video.ID, AnalysisID: f.analysis, Team: "reviewers",
				WorkersPerItem: 3, TimeLimit: time.Minute, Lifetime: time.Hour, IoU: 0.5, Below: 0.6}, f.video, &res, "t")
			return err
		})
		// Frame 0 (0.4 < 0.6) and frame 20 (best evidence of the phrase);
		// frame 10 is neither and the sample share is 0.
		if err != nil || job.Items != 2 || len(job.Labels) != 1 || job.Labels[0].Name != "box" {
			t.Fatalf("create: %v %+v", err, job)
		}
		// Another team, another tenant: no work.
		if task := f.take(t, f.a, "w4"); task != nil {
			t.Fatalf("w4 (team others) got task %+v", task)
		}
		if task := f.take(t, f.b, "w5"); task != nil {
			t.Fatalf("w5 (tenant B) got task %+v", task)
		}
		t1 := f.take(t, f.a, "w1")
		if t1 == nil || len(t1.Frames) != 1 || t1.Frames[0] != 0 || len(t1.Machine[0]) != 1 || *t1.Machine[0][0].Confidence != 0.4 {
			t.Fatalf("w1's first task: %+v", t1)
		}
		if again := f.take(t, f.a, "w1"); again == nil || again.ID != t1.ID {
			t.Fatalf("a second take gave %+v, want the open task %d", again, t1.ID)
		}
		// Draft survives a reload.
		labeling.SaveDraft(ctx, f.db, f.a.ID, f.w["w1"], t1.ID, json.RawMessage(`{"frames":{"0":[{"x":1}]}}`), 3000)
		if again := f.take(t, f.a, "w1"); string(again.Draft) != `{"frames":{"0":[{"x":1}]}}` || again.ActiveMillis == 0 {
			t.Errorf("draft after reload: %s, %d ms", again.Draft, again.ActiveMillis)
		}
		// Another worker cannot touch w1's task.
		if _, err := f.submit(t, "w2", t1.ID, labeling.Answer{}); errcode.From(err).Code != errcode.NotFound {
			t.Errorf("w2 submitting w1's task: %v", err)
		}
		// A bad answer is refused with the field named.
		if _, err := f.submit(t, "w1", t1.ID, labeling.Answer{Frames: map[int][]labeling.Box{0: {{X: 1, Y: 1, W: 5, H: 5, Label: "cat"}}}}); errcode.From(err).Code != errcode.Invalid {
			t.Errorf("label not in the list: %v", err)
		}
		withAttr := box(44)
		withAttr.Attributes = map[string]string{"occluded": "yes"}
		if _, err := f.submit(t, "w1", t1.ID, labeling.Answer{Frames: map[int][]labeling.Box{0: {withAttr}}}); errcode.From(err).Code != errcode.Invalid {
			t.Errorf("an attribute the label does not have: %v", err)
		}
		if _, err := f.submit(t, "w1", t1.ID, labeling.Answer{Frames: map[int][]labeling.Box{7: {box(44)}}}); errcode.From(err).Code != errcode.Invalid {
			t.Errorf("a frame outside the task: %v", err)
		}
		adjusted := labeling.Answer{Frames: map[int][]labeling.Box{0: {box(44)}}}
		r, err := f.submit(t, "w1", t1.ID, adjusted)
		if err != nil || r.Duplicate || r.ItemDone {
			t.Fatalf("submit: %v %+v", err, r)
		}
		if r, err := f.submit(t, "w1", t1.ID, adjusted); err != nil || !r.Duplicate {
			t.Errorf("double submit: %v %+v", err, r)
		}
		if _, err := f.submit(t, "w1", t1.ID, labeling.Answer{Frames: map[int][]labeling.Box{0: {box(10)}}}); errcode.From(err).Code != errcode.Conflict {
			t.Errorf("changed resubmit: %v", err)
		}
		// w2's lease runs out: the submit is refused, the item goes back.
		t2 := f.take(t, f.a, "w2")
		labeling.Now = func() time.Time { return time.Now().Add(2 * time.Minute) }
		defer func() { labeling.Now = time.Now }()
		_, err = f.submit(t, "w2", t2.ID, adjusted)
		if errcode.From(err).Code != errcode.Conflict {
			t.Fatalf("submit after the lease: %v", err)
		}
		// w2 never gets that item again; w3 does.
		t2b := f.take(t, f.a, "w2")
		if t2b == nil || t2b.ItemID == t2.ItemID {
			t.Fatalf("w2 after expiry got %+v", t2b)
		}
		// Everyone answers every item they can reach: frame 0 gets w1's
		// and w3's adjusted box (quorum 2 of 2 answers), frame 20 three
		// answers: two keep the box, w3 deletes it.
		answers := map[string]map[int]labeling.Answer{
			"w1": {20: {Frames: map[int][]labeling.Box{20: {box(80)}}}},
			"w2": {20: {Frames: map[int][]labeling.Box{20: {box(80)}}}},
			"w3": {0: adjusted, 20: {Frames: map[int][]labeling.Box{}}},
		}
		var last labeling.SubmitResult
		submit := func(worker string, task *labeling.Task) {
			r, err := f.submit(t, worker, task.ID, answers[worker][task.Frames[0]])
			if err != nil {
				t.Fatalf("%s submits frame %d: %v", worker, task.Frames[0], err)
			}
			last = r
		}
		submit("w2", t2b)
		for _, w := range []string{"w1", "w3", "w3"} {
			task := f.take(t, f.a, w)
			if task == nil {
				t.Fatalf("%s got no task", w)
			}
			submit(w, task)
		}
		// Frame 0 still lacks its third answer (w2 lost its lease): not done.
		if last.JobDone {
			t.Fatal("job done with an item short of answers")
		}
		if task := f.take(t, f.a, "w1"); task != nil {
			t.Fatalf("w1 had both items already, got %+v", task)
		}
		// A fourth reviewer finishes the job.
		f.in(t, f.a, func(tx *store.Tx) error {
			u, err := identity.Add(ctx, tx, identity.User{Email: "w6@tenant-a.example", Role: identity.Worker})
			f.w["w6"] = u.ID
			tx.ExecContext(ctx, `insert into team_members (tenant_id, team, user_id) values ($1, 'reviewers', $2)`, f.a.ID, u.ID)
			return err
		})
		t6 := f.take(t, f.a, "w6")
		if t6 == nil || t6.Frames[0] != 0 {
			t.Fatalf("w6: %+v", t6)
		}
		answers["w6"] = map[int]labeling.Answer{0: {Frames: map[int][]labeling.Box{0: {box(40)}}}}
		submit("w6", t6)
		if !last.JobDone || !last.AnalysisDone {
			t.Fatalf("last submit: %+v", last)
		}
		a, err := video.GetAnalysis(ctx, f.db, f.a.ID, f.analysis)
		if err != nil {
			t.Fatal(err)
		}
		var after detect.Result
		json.Unmarshal(a.Result, &after)
		d0, d20 := after.Frames[0].Detections, after.Frames[2].Detections
		// Frame 0: w1, w3 at x=44 and w6 at x=40 cluster (IoU ≥ 0.5); mean
		// x1 = 42.67: 44 is closest; the machine box (x=40) matches it.
		if len(d0) != 1 || !d0[0].ReviewedByHuman || d0[0].Box.X != 44 || *d0[0].MachineConfidence != 0.4 || d0[0].Confidence != 1 || d0[0].Review != "adjusted" {
			t.Errorf("frame 0 after review: %+v", d0)
		}
		if len(d20) != 1 || d20[0].Review != "accepted" || d20[0].Confidence != 0.667 || *d20[0].MachineConfidence != 0.95 {
			t.Errorf("frame 20 after review: %+v", d20)
		}
		if len(after.Frames[1].Detections) != 1 || after.Frames[1].Detections[0].ReviewedByHuman {
			t.Errorf("frame 10 was not reviewed: %+v", after.Frames[1].Detections)
		}
		if !after.Presence[0].Present {
			t.Errorf("presence: %+v", after.Presence)
		}
		p, _ := labeling.GetProgress(ctx, f.db, f.a.ID, job.ID)
		stats := map[string]labeling.WorkerStats{}
		for _, s := range p.Workers {
			stats[s.Email[:2]] = s
		}
		if p.ItemsDone != 2 || p.Job.Status != "done" || stats["w2"].Expired != 1 || stats["w2"].Submitted != 1 || stats["w1"].Submitted != 2 ||
			*stats["w3"].Agreement != 0.5 || *stats["w1"].Agreement != 1 || stats["w1"].ActiveMillis == 0 {
			t.Errorf("progress: %+v", p)
		}
		// COCO: both frames, one box each (w3's deletion lost the vote).
		var frames []labeling.FrameResult
		f.in(t, f.a, func(tx *store.Tx) error { frames, err = labeling.Results(ctx, tx, job.ID); return err })
		coco := labeling.ToCOCO(job, frames, 320, 180)
		if len(coco.Images) != 2 || len(coco.Annotations) != 2 || coco.Annotations[0].BBox != [4]float64{44, 50, 60, 60} || coco.Categories[0].Name != "box" {
			t.Errorf("coco: %+v", coco)
		}
	})
}

// TestCancelJob: a cancelled job hands out nothing more, its open task is
// released (a late submit is refused) and a second cancel is a conflict.
func TestCancelJob(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		f := setup(t, d)
		ctx := f.ctx
		res := analysisResult()
		var job labeling.Job
		err := f.in(t, f.a, func(tx *store.Tx) error {
			var err error
			job, err = labeling.Create(ctx, tx, labeling.Spec{Kind: labeling.KindVerify, VideoID: f.video.ID, AnalysisID: f.analysis, Team: "reviewers",
				WorkersPerItem: 1, TimeLimit: time.Minute, Lifetime: time.Hour, IoU: 0.5, Below: 0.6}, f.video, &res, "t")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		task := f.take(t, f.a, "w1")
		if err := labeling.Cancel(ctx, storetest.Actor(f.db, f.a, "t"), job.ID); err != nil {
			t.Fatal(err)
		}
		if next := f.take(t, f.a, "w2"); next != nil {
			t.Errorf("a cancelled job handed out %+v", next)
		}
		if _, err := f.submit(t, "w1", task.ID, labeling.Answer{Verdict: "accept"}); errcode.From(err).Code != errcode.Conflict {
			t.Errorf("submit to a cancelled job: %v", err)
		}
		if err := labeling.Cancel(ctx, storetest.Actor(f.db, f.a, "t"), job.ID); errcode.From(err).Code != errcode.Conflict {
			t.Errorf("second cancel: %v", err)
		}
	})
}

// A take while another transaction holds the only item with a free place
// (a submit or another take, on PostgreSQL: SQLite writes one at a time)
// waits for it rather than telling the worker there is no work: a worker
// told that stops, and the item stays a label short.
func TestTakeWaitsForAHeldItem(t *testing.T) {
	f := setup(t, store.Postgres)
	ctx := f.ctx
	res := analysisResult()
	var job labeling.Job
	if err := f.in(t, f.a, func(tx *store.Tx) error {
		var err error
		job, err = labeling.Create(ctx, tx, labeling.Spec{Kind: labeling.KindAdjust, VideoID: f.video.ID, AnalysisID: f.analysis, Team: "reviewers",
			WorkersPerItem: 1, TimeLimit: time.Minute, Lifetime: time.Hour, IoU: 0.5, Below: 0.6}, f.video, &res, "t")
		return err
	}); err != nil || job.Items != 2 {
		t.Fatalf("create: %v %+v", err, job)
	}
	first := f.take(t, f.a, "w1") // one of the two items is w1's; one place is left
	if first == nil {
		t.Fatal("w1 got no task")
	}
	holding, release, released := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		released <- f.in(t, f.a, func(tx *store.Tx) error {
			if _, err := tx.ExecContext(ctx, `select id from label_items where tenant_id = $1 and id <> $2 for no key update`, f.a.ID, first.ItemID); err != nil {
				return err
			}
			close(holding)
			<-release
			return nil
		})
	}()
	<-holding
	got := make(chan *labeling.Task, 1)
	go func() {
		task, err := labeling.Take(ctx, f.db, f.a.ID, f.w["w2"])
		if err != nil {
			t.Errorf("w2's take: %v", err)
		}
		got <- task
	}()
	// w2's take is waiting for the held item, not answering "no work"
	var early *labeling.Task
	returned := false
	testwait.Eventually(t, 30*time.Second, func() error {
		select {
		case early = <-got:
			returned = true
			return nil // answered without waiting: reported below
		default:
		}
		var waiting int
		if err := f.db.Global(ctx, func(tx *store.Tx) error {
			return tx.QueryRowContext(ctx, `select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query like '%label_items%'`).Scan(&waiting)
		}); err != nil {
			return err
		}
		if waiting == 0 {
			return fmt.Errorf("no take waits for the held item yet")
		}
		return nil
	})
	close(release)
	if err := <-released; err != nil {
		t.Fatal(err)
	}
	if returned {
		t.Fatalf("w2's take returned %+v while the item was held, without waiting for it", early)
	}
	if task := <-got; task == nil || task.ItemID == first.ItemID {
		t.Fatalf("w2's take after the item was let go: %+v, want the other item", task)
	}
}
