package labeling

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/objstore"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/video"
)

// Task is what a worker sees of their leased item.
type Task struct {
	ID           int64           `json:"id"`
	JobID        int64           `json:"job_id"`
	ItemID       int64           `json:"item_id"`
	Status       string          `json:"status"`
	LeasedAt     string          `json:"leased_at"`
	LeaseExpires string          `json:"lease_expires"`
	Kind         string          `json:"kind"`
	JobName      string          `json:"job_name"`
	Instructions string          `json:"instructions"`
	Labels       []Label         `json:"labels"`
	Video        video.Video     `json:"-"` // id, ext and metadata: enough to cut its frames
	Frames       []int           `json:"frames"`
	Machine      map[int][]Box   `json:"machine"`
	Draft        json.RawMessage `json:"draft,omitempty"`
	ActiveMillis int64           `json:"active_ms"`
}

// ContextFrames are the frames shown around the task's own, view only, so
// a reviewer judging one frame sees the moments before and after it: two
// steps of half a second on each side of the run, inside the video.
func (t Task) ContextFrames() []int {
	if len(t.Frames) == 0 {
		return nil
	}
	info := t.Video.Info
	step := max(1, int(math.Round(info.FrameRate/2)))
	first, last := t.Frames[0], t.Frames[len(t.Frames)-1]
	var out []int
	for _, f := range []int{first - 2*step, first - step, last + step, last + 2*step} {
		if f >= 0 && f < info.FrameCount && f != first && f != last {
			out = append(out, f)
		}
	}
	return out
}

// Answer is a worker's work on a task: boxes per frame (boxes and adjust
// jobs) or a verdict (verify jobs).
type Answer struct {
	Frames  map[int][]Box `json:"frames,omitempty"`
	Verdict string        `json:"verdict,omitempty"` // accept | reject
	Reason  string        `json:"reason,omitempty"`  // why rejected
}

const taskCols = `t.id, t.job_id, t.item_id, t.status, t.leased_at, t.lease_expires, t.draft, t.active_ms,
	j.kind, j.name, j.instructions, j.labels, j.video_id, v.ext, v.info, i.frames, i.machine`

const taskFrom = ` from label_tasks t join label_jobs j on j.tenant_id = t.tenant_id and j.id = t.job_id
	join label_items i on i.tenant_id = t.tenant_id and i.id = t.item_id
	join videos v on v.tenant_id = t.tenant_id and v.id = j.video_id`

func scanTask(row interface{ Scan(...any) error }) (Task, error) {
	var t Task
	var draft, labels, info, frames, machine string
	if err := row.Scan(&t.ID, &t.JobID, &t.ItemID, &t.Status, &t.LeasedAt, &t.LeaseExpires, &draft, &t.ActiveMillis,
		&t.Kind, &t.JobName, &t.Instructions, &labels, &t.Video.ID, &t.Video.Ext, &info, &frames, &machine); err != nil {
		return Task{}, err
	}
	json.Unmarshal([]byte(info), &t.Video.Info)
	if draft != "" {
		t.Draft = json.RawMessage(draft)
	}
	json.Unmarshal([]byte(labels), &t.Labels)
	json.Unmarshal([]byte(frames), &t.Frames)
	json.Unmarshal([]byte(machine), &t.Machine)
	return t, nil
}

// expire returns every lapsed lease of the tenant to the pool. Each task
// expires once (the update's condition is checked against the newest row),
// and its item's live count goes down by one for it.
func expire(ctx context.Context, tx *store.Tx, now string) error {
	rows, err := tx.QueryContext(ctx, `update label_tasks set status = 'expired', finished_at = $2 where tenant_id = $1 and status = 'leased' and lease_expires < $2 returning item_id`, tx.TenantID, now)
	if err != nil {
		return store.Err(err, "expire leases")
	}
	var items []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return store.Err(err, "expire leases")
		}
		items = append(items, id)
	}
	rows.Close()
	for _, id := range items {
		if err := freePlace(ctx, tx, id); err != nil {
			return err
		}
	}
	return nil
}

// freePlace gives an item back the place of a task that ended unanswered.
func freePlace(ctx context.Context, tx *store.Tx, itemID int64) error {
	_, err := tx.ExecContext(ctx, `update label_items set live = live - 1 where tenant_id = $1 and id = $2`, tx.TenantID, itemID)
	return store.Err(err, "free the item's place")
}

// Take gives the worker their open task, or leases them a new one: an
// open item of an open job of one of their teams that has fewer live tasks
// (leased or submitted) than the job's workers per item and that they have
// never had. It returns nil when there is no work for them.
func Take(ctx context.Context, db *store.DB, tenantID, workerID int64) (*Task, error) {
	var t *Task
	err := db.InTenant(ctx, tenantID, func(tx *store.Tx) error {
		var err error
		t, err = take(ctx, tx, workerID)
		return err
	})
	return t, err
}

func take(ctx context.Context, tx *store.Tx, workerID int64) (*Task, error) {
	now := Now()
	if err := expire(ctx, tx, stamp(now)); err != nil {
		return nil, err
	}
	if t, err := OpenTask(ctx, tx, workerID); err != nil || t != nil {
		return t, err
	}
	// The worker's open jobs first (few), then, job by job, the first open
	// item with a free place that the worker never had: a range scan of the
	// job's open items in id order, two index probes each.
	var jobs []openJob
	rows, err := tx.QueryContext(ctx, `select id, workers_per_item, time_limit_s from label_jobs
		where tenant_id = $1 and status = 'open' and expires_at > $3
		  and team in (select m.team from team_members m where m.tenant_id = $1 and m.user_id = $2)
		order by id`, tx.TenantID, workerID, stamp(now))
	if err != nil {
		return nil, store.Err(err, "find jobs")
	}
	for rows.Next() {
		var j openJob
		if err := rows.Scan(&j.id, &j.wpi, &j.limitS); err != nil {
			rows.Close()
			return nil, store.Err(err, "find jobs")
		}
		jobs = append(jobs, j)
	}
	rows.Close()
	var itemID int64
	var job openJob
	for _, job = range jobs {
		if itemID, err = placeIn(ctx, tx, job, workerID); err != nil || itemID != 0 {
			break
		}
	}
	if err != nil || itemID == 0 {
		return nil, err
	}
	_, err = tx.ExecContext(ctx, `insert into label_tasks (tenant_id, job_id, item_id, worker_id, status, leased_at, lease_expires) values ($1, $2, $3, $4, 'leased', $5, $6)`,
		tx.TenantID, job.id, itemID, workerID, stamp(now), stamp(now.Add(time.Duration(job.limitS)*time.Second)))
	if err != nil {
		if errcode.Is(store.Err(err, ""), errcode.AlreadyExists) {
			return nil, errcode.New(errcode.Conflict, "You took a task in another window at the same moment; reload")
		}
		return nil, store.Err(err, "lease the task")
	}
	return OpenTask(ctx, tx, workerID)
}

// openJob is what Take needs of a job.
type openJob struct {
	id          int64
	wpi, limitS int
}

// placeIn takes a place for the worker on the job's first open item with
// one free that they never had, and returns the item (0: none). The place
// is taken by a conditional update of the item's live count: PostgreSQL
// re-checks "live < workers per item" on the newest row, so two workers
// never both get the last place (a count of tasks would be read from the
// statement's older snapshot); losing that race moves on to the next item.
func placeIn(ctx context.Context, tx *store.Tx, j openJob, workerID int64) (int64, error) {
	// Items another transaction is leasing are passed over rather than
	// waited for. When that leaves nothing, the locked ones are waited for
	// after all (a take or a submit: short): "no work" must mean none.
	// The last item's place was passed over while a submit held it, the
	// worker was told there was no work and stopped, and the item stayed a
	// label short (TestLabelServerCrash, about one run in ten on a loaded
	// machine).
	id, err := placeFirst(ctx, tx, j, workerID, tx.Dialect.SkipLocked())
	if id != 0 || err != nil || tx.Dialect.SkipLocked() == "" {
		return id, err
	}
	return placeFirst(ctx, tx, j, workerID, tx.Dialect.NoKeyUpdate())
}

// placeFirst is placeIn with the given row lock on the items it reads.
func placeFirst(ctx context.Context, tx *store.Tx, j openJob, workerID int64, lock string) (int64, error) {
	for after := int64(0); ; {
		var itemID int64
		err := tx.QueryRowContext(ctx, `select i.id from label_items i
			where i.tenant_id = $1 and i.job_id = $2 and i.status = 'open' and i.live < $3 and i.id > $5
			  and not exists (select 1 from label_tasks o where o.item_id = i.id and o.worker_id = $4)
			order by i.id limit 1`+lock, tx.TenantID, j.id, j.wpi, workerID, after).Scan(&itemID)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, nil
		}
		if err != nil {
			return 0, store.Err(err, "find work")
		}
		res, err := tx.ExecContext(ctx, `update label_items set live = live + 1 where tenant_id = $1 and id = $2 and live < $3`, tx.TenantID, itemID, j.wpi)
		if err != nil {
			return 0, store.Err(err, "lease the item")
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return itemID, nil
		}
		after = itemID
	}
}

// OpenTask is the worker's leased task, if any.
func OpenTask(ctx context.Context, tx *store.Tx, workerID int64) (*Task, error) {
	t, err := scanTask(tx.QueryRowContext(ctx, `select `+taskCols+taskFrom+` where t.tenant_id = $1 and t.worker_id = $2 and t.status = 'leased'`, tx.TenantID, workerID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, store.Err(err, "read the task")
	}
	return &t, nil
}

// GetTask reads a task of this worker, whatever its state. A task of
// another worker is not found: its existence is nobody else's business.
func GetTask(ctx context.Context, db *store.DB, tenantID, workerID, taskID int64) (Task, error) {
	var t Task
	err := db.ReadTenant(ctx, tenantID, func(tx *store.Tx) error {
		var err error
		t, err = getTask(ctx, tx, workerID, taskID)
		return err
	})
	return t, err
}

// TaskFrame is frame of the worker's task taskID as a JPEG (video.FrameJPEG):
// one of the task's frames or of the frames shown around them, and no other.
func TaskFrame(ctx context.Context, db *store.DB, objs objstore.Store, tenantID, workerID, taskID int64, frame int) ([]byte, error) {
	t, err := GetTask(ctx, db, tenantID, workerID, taskID)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(append(t.ContextFrames(), t.Frames...), frame) {
		return nil, errcode.New(errcode.NotFound, "Frame %d is not part of task %d", frame, taskID)
	}
	return video.FrameJPEG(ctx, objs, tenantID, t.Video, frame)
}

func getTask(ctx context.Context, tx *store.Tx, workerID, taskID int64) (Task, error) {
	t, err := scanTask(tx.QueryRowContext(ctx, `select `+taskCols+taskFrom+` where t.tenant_id = $1 and t.worker_id = $2 and t.id = $3`, tx.TenantID, workerID, taskID))
	if errors.Is(err, sql.ErrNoRows) {
		return Task{}, errcode.New(errcode.NotFound, "No task %d of yours", taskID)
	}
	return t, store.Err(err, "read the task")
}

// leased checks that the task is the worker's and its lease still runs.
func leased(ctx context.Context, tx *store.Tx, workerID, taskID int64) (Task, error) {
	t, err := getTask(ctx, tx, workerID, taskID)
	if err != nil {
		return t, err
	}
	return t, stillLeased(t)
}

// stillLeased refuses a task that is no longer leased or whose lease ran out.
func stillLeased(t Task) error {
	taskID := t.ID
	if t.Status != "leased" {
		return errcode.New(errcode.Conflict, "Task %d is %s; take a new one", taskID, t.Status)
	}
	if t.LeaseExpires < stamp(Now()) {
		// The refusal rolls the transaction back; the next take or
		// progress report marks the lease expired.
		return errcode.New(errcode.Conflict, "Your time for task %d ran out at %s and it went back to the pool; take a new one", taskID, t.LeaseExpires)
	}
	return nil
}

// activeMillis bounds what the page reports as active time by the wall
// time since the lease began.
func activeMillis(t Task, reported int64) int64 {
	leasedAt, err := time.Parse(TimeFormat, t.LeasedAt)
	if err != nil {
		return t.ActiveMillis
	}
	return max(t.ActiveMillis, min(reported, Now().Sub(leasedAt).Milliseconds()))
}

// SaveDraft keeps the page's work in progress (autosave), so a reload
// restores it.
func SaveDraft(ctx context.Context, db *store.DB, tenantID, workerID, taskID int64, draft json.RawMessage, active int64) error {
	return db.InTenant(ctx, tenantID, func(tx *store.Tx) error {
		t, err := leased(ctx, tx, workerID, taskID)
		if err != nil {
			return err
		}
		if len(draft) > 256<<10 {
			return errcode.New(errcode.Invalid, "The draft is larger than 256 KiB")
		}
		_, err = tx.ExecContext(ctx, `update label_tasks set draft = $3, active_ms = $4 where tenant_id = $1 and id = $2`, tx.TenantID, taskID, string(draft), activeMillis(t, active))
		return store.Err(err, "save the draft")
	})
}

// Release gives the task back (status released, or skipped with a
// reason); the item returns to the pool, though never to this worker.
// The active time the page reports is kept as for a submit: time spent on
// an item one gives back is work too.
func Release(ctx context.Context, db *store.DB, tenantID, workerID, taskID int64, skip bool, reason string, active int64) error {
	return db.InTenant(ctx, tenantID, func(tx *store.Tx) error { return release(ctx, tx, workerID, taskID, skip, reason, active) })
}

func release(ctx context.Context, tx *store.Tx, workerID, taskID int64, skip bool, reason string, active int64) error {
	t, err := leased(ctx, tx, workerID, taskID)
	if err != nil {
		return err
	}
	status := "released"
	if skip {
		status = "skipped"
		if reason == "" {
			return errcode.New(errcode.Invalid, "Say why you skip this item (reason)")
		}
	}
	if _, err := tx.ExecContext(ctx, `update label_tasks set status = $3, reason = $4, finished_at = $5, active_ms = $6 where tenant_id = $1 and id = $2`,
		tx.TenantID, taskID, status, reason, stamp(Now()), activeMillis(t, active)); err != nil {
		return store.Err(err, "release the task")
	}
	return freePlace(ctx, tx, t.ItemID)
}

// SubmitResult says what a submit did.
type SubmitResult struct {
	TaskID       int64 `json:"task_id"`
	Duplicate    bool  `json:"duplicate"`     // the same answer was already in
	ItemDone     bool  `json:"item_done"`     // this answer completed its item
	JobDone      bool  `json:"job_done"`      // … and the job
	AnalysisDone bool  `json:"analysis_done"` // … and the analysis now shows the reviewed boxes
}

// Submit stores the worker's answer. Submitting the same answer twice is
// harmless (the second says duplicate); a different one after the first
// is refused. The answer that completes an item consolidates it, and the
// one that completes a job writes the result back onto its analysis, in
// the same transaction.
func Submit(ctx context.Context, db *store.DB, tenantID, workerID, taskID int64, a Answer, active int64) (SubmitResult, error) {
	var res SubmitResult
	err := db.InTenant(ctx, tenantID, func(tx *store.Tx) error {
		var err error
		res, err = submit(ctx, tx, workerID, taskID, a, active)
		return err
	})
	return res, err
}

func submit(ctx context.Context, tx *store.Tx, workerID, taskID int64, a Answer, active int64) (SubmitResult, error) {
	res := SubmitResult{TaskID: taskID}
	body, _ := json.Marshal(a)
	t, err := getTask(ctx, tx, workerID, taskID)
	if err != nil {
		return res, err
	}
	if t.Status == "submitted" {
		var stored string
		if err := tx.QueryRowContext(ctx, `select answer from label_tasks where tenant_id = $1 and id = $2`, tx.TenantID, taskID).Scan(&stored); err != nil {
			return res, store.Err(err, "read the answer")
		}
		if stored != string(body) {
			return res, errcode.New(errcode.Conflict, "Task %d was already submitted with another answer", taskID)
		}
		res.Duplicate = true
		return res, nil
	}
	if err := stillLeased(t); err != nil {
		return res, err
	}
	if err := checkAnswer(ctx, tx, t, a); err != nil {
		return res, err
	}
	_, err = tx.ExecContext(ctx, `update label_tasks set status = 'submitted', answer = $3, finished_at = $4, active_ms = $5, draft = '' where tenant_id = $1 and id = $2`,
		tx.TenantID, taskID, string(body), stamp(Now()), activeMillis(t, active))
	if err != nil {
		return res, store.Err(err, "store the answer")
	}
	// Answers to one item are counted one transaction at a time (the item
	// row is locked on PostgreSQL; SQLite has one writer), so the last of
	// them, whichever it is, sees all the others and consolidates.
	lock := tx.Dialect.LockRowsOf("i")
	var wpi, n int
	if err := tx.QueryRowContext(ctx, `select j.workers_per_item from label_items i join label_jobs j on j.tenant_id = i.tenant_id and j.id = i.job_id
		where i.tenant_id = $1 and i.id = $2`+lock, tx.TenantID, t.ItemID).Scan(&wpi); err != nil {
		return res, store.Err(err, "lock the item")
	}
	if err := tx.QueryRowContext(ctx, `select count(*) from label_tasks where tenant_id = $1 and item_id = $2 and status = 'submitted'`, tx.TenantID, t.ItemID).Scan(&n); err != nil {
		return res, store.Err(err, "count answers")
	}
	if n < wpi {
		return res, nil
	}
	job, err := getJob(ctx, tx, t.JobID, false)
	if err != nil {
		return res, err
	}
	if err := consolidateItem(ctx, tx, job, t.ItemID); err != nil {
		return res, err
	}
	res.ItemDone = true
	// The job's count of open items goes down in one conditional write:
	// concurrent completions queue on the job row, and the one that
	// reaches 0, whichever it is, ends the job.
	if err := tx.QueryRowContext(ctx, `update label_jobs set open_items = open_items - 1 where tenant_id = $1 and id = $2 returning open_items`,
		tx.TenantID, job.ID).Scan(&n); err != nil {
		return res, store.Err(err, "count open items")
	}
	if n > 0 {
		return res, nil
	}
	if _, err := tx.ExecContext(ctx, `update label_jobs set status = 'done', finished_at = $3 where tenant_id = $1 and id = $2`, tx.TenantID, job.ID, stamp(Now())); err != nil {
		return res, store.Err(err, "finish the job")
	}
	res.JobDone = true
	if job.AnalysisID != 0 && job.Kind != KindBoxes {
		if err := WriteBack(ctx, tx, job); err != nil {
			return res, err
		}
		res.AnalysisDone = true
	}
	return res, nil
}

// checkAnswer refuses an answer that does not fit the task: boxes on frames
// not in the item, labels not in the list, empty boxes, a verdict in a
// boxes job or a rejection without a reason.
func checkAnswer(ctx context.Context, tx *store.Tx, t Task, a Answer) error {
	if t.Kind == KindVerify {
		if a.Verdict != "accept" && a.Verdict != "reject" {
			return errcode.New(errcode.Invalid, "verdict: %q is not accept or reject", a.Verdict)
		}
		if a.Verdict == "reject" && a.Reason == "" {
			return errcode.New(errcode.Invalid, "reason: say why you reject the machine's boxes")
		}
		return nil
	}
	if a.Verdict != "" {
		return errcode.New(errcode.Invalid, "verdict: this is a %s task: answer with boxes per frame", t.Kind)
	}
	inItem := map[int]bool{}
	for _, f := range t.Frames {
		inItem[f] = true
	}
	labels := map[string]Label{}
	for _, l := range t.Labels {
		labels[l.Name] = l
	}
	for f, boxes := range a.Frames {
		if !inItem[f] {
			return errcode.New(errcode.Invalid, "frames: frame %d is not part of this task (frames %v)", f, t.Frames)
		}
		for i, b := range boxes {
			where := fmt.Sprintf("frames[%d][%d]", f, i)
			if b.W <= 0 || b.H <= 0 || b.X < 0 || b.Y < 0 {
				return errcode.New(errcode.Invalid, "%s: a box needs x, y ≥ 0 and a positive width and height", where)
			}
			l, ok := labels[b.Label]
			if !ok {
				return errcode.New(errcode.Invalid, "%s.label: %q is not in this job's labels", where, b.Label)
			}
			for name, value := range b.Attributes {
				if !l.allows(name, value) {
					return errcode.New(errcode.Invalid, "%s.attributes.%s: %q is not an attribute value of %s", where, name, value, l.Name)
				}
			}
		}
	}
	return nil
}

// Consolidated is an item's result.
type Consolidated struct {
	Frames   map[int][]Cluster `json:"frames,omitempty"`
	Accepted *bool             `json:"accepted,omitempty"` // verify jobs
	Reasons  []string          `json:"reasons,omitempty"`  // why workers rejected
	Answers  int               `json:"answers"`
}

func consolidateItem(ctx context.Context, tx *store.Tx, job Job, itemID int64) error {
	rows, err := tx.QueryContext(ctx, `select id, worker_id, answer from label_tasks where tenant_id = $1 and item_id = $2 and status = 'submitted' order by worker_id`, tx.TenantID, itemID)
	if err != nil {
		return store.Err(err, "read answers")
	}
	type sub struct {
		task, worker int64
		a            Answer
	}
	var subs []sub
	for rows.Next() {
		var s sub
		var body string
		if err := rows.Scan(&s.task, &s.worker, &body); err != nil {
			rows.Close()
			return store.Err(err, "read answers")
		}
		json.Unmarshal([]byte(body), &s.a)
		subs = append(subs, s)
	}
	rows.Close()
	var frames []int
	if err := func() error {
		var f string
		if err := tx.QueryRowContext(ctx, `select frames from label_items where tenant_id = $1 and id = $2`, tx.TenantID, itemID).Scan(&f); err != nil {
			return err
		}
		return json.Unmarshal([]byte(f), &frames)
	}(); err != nil {
		return store.Err(err, "read the item")
	}
	out := Consolidated{Answers: len(subs)}
	agreement := map[int64]float64{}
	if job.Kind == KindVerify {
		var vs []Verdict
		for _, s := range subs {
			vs = append(vs, Verdict{Worker: s.worker, Accept: s.a.Verdict == "accept"})
			if s.a.Reason != "" {
				out.Reasons = append(out.Reasons, s.a.Reason)
			}
		}
		ok, agr := ConsolidateVerdicts(vs)
		out.Accepted, agreement = &ok, agr
	} else {
		quorum := job.Settings.Quorum
		if quorum == 0 {
			quorum = Quorum(len(subs))
		}
		out.Frames = map[int][]Cluster{}
		sums := map[int64]float64{}
		for _, f := range frames {
			var in []WorkerBoxes
			for _, s := range subs {
				in = append(in, WorkerBoxes{Worker: s.worker, Boxes: s.a.Frames[f]})
			}
			cl, agr := ConsolidateBoxes(in, job.Settings.IoU, quorum)
			out.Frames[f] = cl
			for w, v := range agr {
				sums[w] += v
			}
		}
		for w, v := range sums {
			agreement[w] = v / float64(len(frames))
		}
	}
	for _, s := range subs {
		if _, err := tx.ExecContext(ctx, `update label_tasks set agreement = $3 where tenant_id = $1 and id = $2`, tx.TenantID, s.task, agreement[s.worker]); err != nil {
			return store.Err(err, "store agreement")
		}
	}
	body, _ := json.Marshal(out)
	_, err = tx.ExecContext(ctx, `update label_items set status = 'done', consolidated = $3 where tenant_id = $1 and id = $2`, tx.TenantID, itemID, string(body))
	return store.Err(err, "store the consolidation")
}
