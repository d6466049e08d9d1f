package labeling

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/detect"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/objstore"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/video"
)

// Kinds of job.
const (
	KindBoxes  = "boxes"  // draw boxes on frames of a video
	KindAdjust = "adjust" // fix, add and delete a machine analysis's boxes
	KindVerify = "verify" // accept or reject a machine analysis's boxes
)

// Label is one entry of a job's label list.
type Label struct {
	Name       string      `json:"name" yaml:"name"`
	Attributes []Attribute `json:"attributes,omitempty" yaml:"attributes,omitempty"`
}

// allows reports whether value is one of the label's values for attribute name.
func (l Label) allows(name, value string) bool {
	for _, a := range l.Attributes {
		if a.Name == name {
			for _, v := range a.Values {
				if v == value {
					return true
				}
			}
		}
	}
	return false
}

// Attribute is a property a worker sets on a box ("occluded": yes/no).
type Attribute struct {
	Name   string   `json:"name" yaml:"name"`
	Values []string `json:"values" yaml:"values"`
}

// Spec is what a job is created from.
type Spec struct {
	Name           string        `json:"name"`
	Kind           string        `json:"kind"`
	VideoID        string        `json:"video_id"`
	AnalysisID     int64         `json:"analysis_id,omitempty"` // review jobs; boxes jobs: keyframes and pre-drawn boxes
	Team           string        `json:"team"`
	WorkersPerItem int           `json:"workers_per_item"`
	TimeLimit      time.Duration `json:"time_limit"`
	Lifetime       time.Duration `json:"lifetime"`
	Instructions   string        `json:"instructions"`
	Labels         []Label       `json:"labels"`
	// Boxes jobs: a frame every Every, or each shot's middle frame.
	Every         time.Duration `json:"every,omitempty"`
	Keyframes     bool          `json:"keyframes,omitempty"`
	FramesPerItem int           `json:"frames_per_item,omitempty"`
	// Review jobs: frames with a detection below Below, a Sample share of
	// the other frames with detections, and each present phrase's best
	// evidence frame.
	Below  float64 `json:"below,omitempty"`
	Sample float64 `json:"sample,omitempty"`
	// Consolidation.
	IoU    float64 `json:"iou"`
	Quorum int     `json:"quorum,omitempty"` // 0: a strict majority of the answers
}

// Settings are the parts of a spec kept with the job for later steps.
type Settings struct {
	IoU           float64 `json:"iou"`
	Quorum        int     `json:"quorum,omitempty"`
	Below         float64 `json:"below,omitempty"`
	Sample        float64 `json:"sample,omitempty"`
	FramesPerItem int     `json:"frames_per_item"`
}

// Job is a created job.
type Job struct {
	ID             int64    `json:"id"`
	Name           string   `json:"name"`
	Kind           string   `json:"kind"`
	VideoID        string   `json:"video_id"`
	AnalysisID     int64    `json:"analysis_id,omitempty"`
	Team           string   `json:"team"`
	WorkersPerItem int      `json:"workers_per_item"`
	TimeLimitS     int      `json:"time_limit_seconds"`
	ExpiresAt      string   `json:"expires_at"`
	Instructions   string   `json:"instructions"`
	Labels         []Label  `json:"labels"`
	Settings       Settings `json:"settings"`
	Status         string   `json:"status"`
	CreatedBy      string   `json:"created_by"`
	CreatedAt      string   `json:"created_at"`
	FinishedAt     string   `json:"finished_at,omitempty"`
	Items          int      `json:"items"`
}

// Item is one unit of work: a frame, or a run of frames, with the machine's
// boxes on them.
type Item struct {
	ID      int64         `json:"id"`
	JobID   int64         `json:"job_id"`
	Frames  []int         `json:"frames"`
	Reason  string        `json:"reason"` // frame, keyframe, low_confidence, sample, presence
	Machine map[int][]Box `json:"machine"`
}

// TimeFormat is the fixed-width UTC time of the labeling tables: it
// compares correctly as text.
const TimeFormat = "2006-01-02T15:04:05.000Z"

func stamp(t time.Time) string { return t.UTC().Format(TimeFormat) }

// Now is the clock of leases and expiries; tests move it.
var Now = time.Now

func (s *Spec) check() error {
	switch {
	case s.Kind != KindBoxes && s.Kind != KindAdjust && s.Kind != KindVerify:
		return badField("kind", "", "%q is not boxes, adjust or verify", s.Kind)
	case s.Kind != KindBoxes && s.AnalysisID == 0:
		return badField("analysis", "(scry video show lists them)", "a %s job reviews an analysis: choose a finished analysis of the video", s.Kind)
	case s.Team == "":
		return badField("team", "", "name the work team that does the job")
	case s.WorkersPerItem < 1 || s.WorkersPerItem > 9:
		return badField("workers_per_item", "", "%d is not between 1 and 9", s.WorkersPerItem)
	case s.TimeLimit < 30*time.Second || s.TimeLimit > 8*time.Hour:
		return badField("time_limit_seconds", "", "%s is not between 30s and 8h", s.TimeLimit)
	case s.Lifetime < time.Minute || s.Lifetime > 90*24*time.Hour:
		return badField("lifetime_hours", "", "%s is not between 1m and 2160h (90 days)", s.Lifetime)
	case s.Kind == KindBoxes && len(s.Labels) == 0:
		return badField("labels", "", "a boxes job needs a label list, e.g. car,truck,person")
	case s.Kind == KindBoxes && s.Every <= 0 && !s.Keyframes:
		return badField("every_seconds", "(or --keyframes)", "give how often a frame is taken, e.g. every 2 seconds")
	case s.IoU <= 0 || s.IoU > 1:
		return badField("iou", "", "%g is not in (0, 1]", s.IoU)
	case s.Quorum < 0 || s.Quorum > s.WorkersPerItem:
		return badField("quorum", "", "%d is more than the %d workers per item", s.Quorum, s.WorkersPerItem)
	case s.Below < 0 || s.Below > 1:
		return badField("below", "", "%g is not a share between 0 and 1", s.Below)
	case s.Sample < 0 || s.Sample > 1:
		return badField("sample", "", "%g is not a share between 0 and 1", s.Sample)
	}
	seen := map[string]bool{}
	for _, l := range s.Labels {
		if l.Name == "" || seen[l.Name] {
			return badField("labels", "", "%q is empty or given twice", l.Name)
		}
		seen[l.Name] = true
	}
	if s.FramesPerItem <= 0 {
		s.FramesPerItem = 1
	}
	if s.FramesPerItem > 50 {
		return badField("frames_per_item", "", "%d is more than 50", s.FramesPerItem)
	}
	return nil
}

// Create makes a job and its items. v is the job's video and res the
// analysis result it builds on (nil for a boxes job without one).
func Create(ctx context.Context, tx *store.Tx, spec Spec, v video.Video, res *detect.Result, actor string) (Job, error) {
	if err := spec.check(); err != nil {
		return Job{}, err
	}
	var n int
	if err := tx.QueryRowContext(ctx, `select count(*) from work_teams where tenant_id = $1 and name = $2`, tx.TenantID, spec.Team).Scan(&n); err != nil {
		return Job{}, store.Err(err, "read teams")
	}
	if n == 0 {
		return Job{}, badField("team", "(scry workforce plan shows the teams)", "there is no work team %q", spec.Team)
	}
	items, labels, err := plan(spec, v, res)
	if err != nil {
		return Job{}, err
	}
	if len(spec.Labels) == 0 {
		spec.Labels = labels
	}
	if len(items) == 0 {
		if spec.Kind == KindBoxes {
			return Job{}, badField("every_seconds", "", "no frame of the video matches: the job would have no items")
		}
		return Job{}, badField("below", "(or raise --sample)", "no frame matches: the job would have no items; lower the confidence under which detections are reviewed, or raise the share of other frames")
	}
	if spec.Name == "" {
		spec.Name = fmt.Sprintf("%s of %s", spec.Kind, v.Filename)
	}
	now := Now()
	job := Job{Name: spec.Name, Kind: spec.Kind, VideoID: v.ID, AnalysisID: spec.AnalysisID, Team: spec.Team, WorkersPerItem: spec.WorkersPerItem,
		TimeLimitS: int(spec.TimeLimit.Seconds()), ExpiresAt: stamp(now.Add(spec.Lifetime)), Instructions: spec.Instructions, Labels: spec.Labels,
		Settings: Settings{IoU: spec.IoU, Quorum: spec.Quorum, Below: spec.Below, Sample: spec.Sample, FramesPerItem: spec.FramesPerItem},
		Status:   "open", CreatedBy: actor, CreatedAt: stamp(now), Items: len(items)}
	labelsJSON, _ := json.Marshal(job.Labels)
	settingsJSON, _ := json.Marshal(job.Settings)
	err = tx.QueryRowContext(ctx, `insert into label_jobs (tenant_id, name, kind, video_id, analysis_id, team, workers_per_item, time_limit_s, expires_at,
		instructions, labels, settings, status, created_by, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'open', $13, $14) returning id`,
		tx.TenantID, job.Name, job.Kind, job.VideoID, job.AnalysisID, job.Team, job.WorkersPerItem, job.TimeLimitS, job.ExpiresAt,
		job.Instructions, string(labelsJSON), string(settingsJSON), job.CreatedBy, job.CreatedAt).Scan(&job.ID)
	if err != nil {
		return Job{}, store.Err(err, "create the job")
	}
	if _, err := tx.ExecContext(ctx, `update label_jobs set open_items = $3 where tenant_id = $1 and id = $2`, tx.TenantID, job.ID, len(items)); err != nil {
		return Job{}, store.Err(err, "create the job")
	}
	for _, it := range items {
		frames, _ := json.Marshal(it.Frames)
		machine, _ := json.Marshal(it.Machine)
		if _, err := tx.ExecContext(ctx, `insert into label_items (tenant_id, job_id, frames, reason, machine, status) values ($1, $2, $3, $4, $5, 'open')`,
			tx.TenantID, job.ID, string(frames), it.Reason, string(machine)); err != nil {
			return Job{}, store.Err(err, "create the items")
		}
	}
	return job, nil
}

// plan chooses the items of a job, and the labels a review job inherits
// from the analysis.
func plan(spec Spec, v video.Video, res *detect.Result) ([]Item, []Label, error) {
	info := v.Info
	byFrame := map[int][]Box{}
	labelSet := map[string]bool{}
	if res != nil {
		for _, fr := range res.Frames {
			for _, d := range fr.Detections {
				c := d.Confidence
				byFrame[fr.FrameIndex] = append(byFrame[fr.FrameIndex], Box{X: d.Box.X, Y: d.Box.Y, W: d.Box.W, H: d.Box.H, Label: d.Label, Confidence: &c})
				labelSet[d.Label] = true
			}
		}
	}
	var labels []Label
	for l := range labelSet {
		labels = append(labels, Label{Name: l})
	}
	sort.Slice(labels, func(i, j int) bool { return labels[i].Name < labels[j].Name })
	machineOf := func(frames []int) map[int][]Box {
		m := map[int][]Box{}
		for _, f := range frames {
			if bs := byFrame[f]; len(bs) > 0 {
				m[f] = bs
			}
		}
		return m
	}
	if spec.Kind == KindBoxes {
		var frames []int
		reason := "frame"
		switch {
		case spec.Keyframes:
			if res == nil {
				return nil, nil, badField("analysis", "(give --analysis N)", "taking each shot's middle frame needs the shots of an analysis")
			}
			reason = "keyframe"
			for _, s := range res.Shots {
				frames = append(frames, (s.StartFrame+s.EndFrame)/2)
			}
		default:
			step := max(1, int(math.Round(spec.Every.Seconds()*info.FrameRate)))
			for f := 0; f < max(info.FrameCount, 1); f += step {
				frames = append(frames, f)
			}
		}
		var items []Item
		for i := 0; i < len(frames); i += spec.FramesPerItem {
			run := frames[i:min(len(frames), i+spec.FramesPerItem)]
			items = append(items, Item{Frames: run, Reason: reason, Machine: machineOf(run)})
		}
		return items, labels, nil
	}
	if res == nil {
		return nil, nil, errcode.New(errcode.Invalid, "A %s job needs a finished analysis", spec.Kind)
	}
	chosen := map[int]string{}
	for _, fr := range res.Frames {
		for _, d := range fr.Detections {
			if d.Confidence < spec.Below {
				chosen[fr.FrameIndex] = "low_confidence"
			}
		}
	}
	for _, p := range res.Presence {
		best, bestConf := -1, -1.0
		for _, fr := range res.Frames {
			for _, d := range fr.Detections {
				if d.Phrase == p.Phrase && d.Confidence > bestConf {
					best, bestConf = fr.FrameIndex, d.Confidence
				}
			}
		}
		if _, done := chosen[best]; best >= 0 && !done {
			chosen[best] = "presence"
		}
	}
	for _, fr := range res.Frames {
		if _, done := chosen[fr.FrameIndex]; done || len(fr.Detections) == 0 {
			continue
		}
		// A stable draw: the same analysis and share give the same sample.
		h := fnv.New32a()
		fmt.Fprintf(h, "%s/%d/%d", v.ID, spec.AnalysisID, fr.FrameIndex)
		if float64(h.Sum32()%10000)/10000 < spec.Sample {
			chosen[fr.FrameIndex] = "sample"
		}
	}
	var frames []int
	for f := range chosen {
		frames = append(frames, f)
	}
	sort.Ints(frames)
	var items []Item
	for _, f := range frames {
		items = append(items, Item{Frames: []int{f}, Reason: chosen[f], Machine: machineOf([]int{f})})
	}
	return items, labels, nil
}

const jobCols = `id, name, kind, video_id, analysis_id, team, workers_per_item, time_limit_s, expires_at, instructions, labels, settings, status, created_by, created_at, finished_at`

// itemCount counts a job's items, for people; the task path does not need it.
const itemCount = `, (select count(*) from label_items i where i.tenant_id = label_jobs.tenant_id and i.job_id = label_jobs.id)`

func scanJob(row interface{ Scan(...any) error }, withItems bool) (Job, error) {
	var j Job
	var labels, settings string
	dest := []any{&j.ID, &j.Name, &j.Kind, &j.VideoID, &j.AnalysisID, &j.Team, &j.WorkersPerItem, &j.TimeLimitS, &j.ExpiresAt, &j.Instructions,
		&labels, &settings, &j.Status, &j.CreatedBy, &j.CreatedAt, &j.FinishedAt}
	if withItems {
		dest = append(dest, &j.Items)
	}
	if err := row.Scan(dest...); err != nil {
		return Job{}, err
	}
	json.Unmarshal([]byte(labels), &j.Labels)
	json.Unmarshal([]byte(settings), &j.Settings)
	return j, nil
}

// GetJob reads one job of the tenant, with its number of items.
func GetJob(ctx context.Context, tx *store.Tx, id int64) (Job, error) {
	return getJob(ctx, tx, id, true)
}

func getJob(ctx context.Context, tx *store.Tx, id int64, withItems bool) (Job, error) {
	cols := jobCols
	if withItems {
		cols += itemCount
	}
	j, err := scanJob(tx.QueryRowContext(ctx, `select `+cols+` from label_jobs where tenant_id = $1 and id = $2`, tx.TenantID, id), withItems)
	if errors.Is(err, sql.ErrNoRows) {
		return Job{}, errcode.New(errcode.NotFound, "No labeling job %d in this tenant (scry label job list shows them)", id)
	}
	return j, store.Err(err, "read the job")
}

// ListJobs lists the tenant's jobs, newest first.
func ListJobs(ctx context.Context, db *store.DB, tenantID int64) ([]Job, error) {
	var jobs []Job
	err := db.ReadTenant(ctx, tenantID, func(tx *store.Tx) error {
		var err error
		jobs, err = listJobs(ctx, tx)
		return err
	})
	return jobs, err
}

// JobFrame is frame of job id's video as a JPEG (video.FrameJPEG), for the
// previews of the job's items.
func JobFrame(ctx context.Context, db *store.DB, objs objstore.Store, tenantID, id int64, frame int) ([]byte, error) {
	var job Job
	err := db.ReadTenant(ctx, tenantID, func(tx *store.Tx) error {
		var err error
		job, err = getJob(ctx, tx, id, false)
		return err
	})
	if err != nil {
		return nil, err
	}
	v, err := video.Get(ctx, db, tenantID, job.VideoID)
	if err != nil {
		return nil, err
	}
	return video.FrameJPEG(ctx, objs, tenantID, v, frame)
}

func listJobs(ctx context.Context, tx *store.Tx) ([]Job, error) {
	rows, err := tx.QueryContext(ctx, `select `+jobCols+itemCount+` from label_jobs where tenant_id = $1 order by id desc`, tx.TenantID)
	if err != nil {
		return nil, store.Err(err, "list jobs")
	}
	defer rows.Close()
	out := []Job{}
	for rows.Next() {
		j, err := scanJob(rows, true)
		if err != nil {
			return nil, store.Err(err, "list jobs")
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// ParseLabels reads "car,truck,person:occluded=yes|no" into a label list.
func ParseLabels(s string) ([]Label, error) {
	var out []Label
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, attrs, _ := strings.Cut(part, ":")
		l := Label{Name: strings.TrimSpace(name)}
		if attrs != "" {
			for _, a := range strings.Split(attrs, ";") {
				an, vals, ok := strings.Cut(a, "=")
				if !ok || an == "" || vals == "" {
					return nil, badField("labels", "", "%q: an attribute is name=value|value", a)
				}
				l.Attributes = append(l.Attributes, Attribute{Name: an, Values: strings.Split(vals, "|")})
			}
		}
		out = append(out, l)
	}
	return out, nil
}

// Cancel stops a job: no task of it is handed out any more, and answers
// to tasks already taken are refused. Finished items keep their results.
// Audited as label.job.cancel, whichever door asks.
func Cancel(ctx context.Context, by audit.Actor, id int64) error {
	return by.Do(ctx, "label.job.cancel", fmt.Sprint(id), nil, func(tx *store.Tx) error {
		return cancel(ctx, tx, id)
	})
}

func cancel(ctx context.Context, tx *store.Tx, id int64) error {
	j, err := GetJob(ctx, tx, id)
	if err != nil {
		return err
	}
	if j.Status != "open" {
		return errcode.New(errcode.Conflict, "Job %d is %s already", id, j.Status)
	}
	now := stamp(Now())
	if _, err := tx.ExecContext(ctx, `update label_jobs set status = 'cancelled', finished_at = $3 where tenant_id = $1 and id = $2`, tx.TenantID, id, now); err != nil {
		return store.Err(err, "cancel the job")
	}
	rows, err := tx.QueryContext(ctx, `update label_tasks set status = 'released', reason = 'job cancelled', finished_at = $3
		where tenant_id = $1 and job_id = $2 and status = 'leased' returning item_id`, tx.TenantID, id, now)
	if err != nil {
		return store.Err(err, "release the job's tasks")
	}
	var items []int64
	for rows.Next() {
		var it int64
		rows.Scan(&it)
		items = append(items, it)
	}
	rows.Close()
	for _, it := range items {
		if err := freePlace(ctx, tx, it); err != nil {
			return err
		}
	}
	return rows.Err()
}
