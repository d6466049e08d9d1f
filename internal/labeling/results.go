package labeling

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/scry-dev/scry/internal/detect"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/store"
)

// FrameResult is the consolidated labels of one frame of a job.
type FrameResult struct {
	ItemID   int64     `json:"item_id"`
	Frame    int       `json:"frame"`
	Boxes    []Cluster `json:"boxes"`              // boxes and adjust jobs
	Accepted *bool     `json:"accepted,omitempty"` // verify jobs
	Machine  []Box     `json:"machine,omitempty"`  // what the machine proposed
	Answers  int       `json:"answers"`            // workers who answered
}

// Results lists the consolidated frames of a job's finished items, in
// frame order.
func Results(ctx context.Context, tx *store.Tx, jobID int64) ([]FrameResult, error) {
	items, err := doneItems(ctx, tx, `i.job_id = $2 order by i.id`, jobID)
	var out []FrameResult
	for _, it := range items {
		out = append(out, it.frames()...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Frame < out[j].Frame })
	return out, err
}

// doneItem is a finished item with what the machine proposed and what
// people decided.
type doneItem struct {
	id      int64
	video   string
	machine map[int][]Box
	cons    Consolidated
}

// doneItems reads the tenant's finished items that match cond (SQL over
// i = label_items and j = label_jobs; $1 is the tenant, args follow).
func doneItems(ctx context.Context, tx *store.Tx, cond string, args ...any) ([]doneItem, error) {
	rows, err := tx.QueryContext(ctx, `select i.id, j.video_id, i.machine, i.consolidated from label_items i
		join label_jobs j on j.tenant_id = i.tenant_id and j.id = i.job_id
		where i.tenant_id = $1 and i.status = 'done' and `+cond, append([]any{tx.TenantID}, args...)...)
	if err != nil {
		return nil, store.Err(err, "read results")
	}
	defer rows.Close()
	var out []doneItem
	for rows.Next() {
		var it doneItem
		var machineJSON, consJSON string
		if err := rows.Scan(&it.id, &it.video, &machineJSON, &consJSON); err != nil {
			return nil, store.Err(err, "read results")
		}
		json.Unmarshal([]byte(machineJSON), &it.machine)
		json.Unmarshal([]byte(consJSON), &it.cons)
		out = append(out, it)
	}
	return out, store.Err(rows.Err(), "read results")
}

// frames are the item's results, a frame each.
func (it doneItem) frames() []FrameResult {
	var out []FrameResult
	c := it.cons
	if c.Accepted != nil {
		for f := range it.machine {
			out = append(out, FrameResult{ItemID: it.id, Frame: f, Accepted: c.Accepted, Machine: it.machine[f], Answers: c.Answers})
		}
		return out
	}
	for f, boxes := range c.Frames {
		out = append(out, FrameResult{ItemID: it.id, Frame: f, Boxes: boxes, Machine: it.machine[f], Answers: c.Answers})
	}
	return out
}

// WriteBack puts a review job's consolidated labels onto its analysis:
// every reviewed frame's detections become what people decided, each with
// reviewed_by_human, the machine's confidence kept as machine_confidence,
// confidence the share of the item's reviewers whose box (with the winning
// label) is in the cluster, and review saying what
// happened (accepted, adjusted, added, rejected: rejected boxes stay, at
// confidence 0, so that the record of the machine's mistake is kept).
// Presence is recomputed.
func WriteBack(ctx context.Context, tx *store.Tx, job Job) error {
	var body string
	if err := tx.QueryRowContext(ctx, `select result from analyses where tenant_id = $1 and id = $2`, tx.TenantID, job.AnalysisID).Scan(&body); err != nil {
		return store.Err(err, "read the analysis")
	}
	var res detect.Result
	if err := json.Unmarshal([]byte(body), &res); err != nil {
		return errcode.Wrap(errcode.Internal, err, "The analysis %d has no readable result", job.AnalysisID)
	}
	frames, err := Results(ctx, tx, job.ID)
	if err != nil {
		return err
	}
	byFrame := map[int]FrameResult{}
	for _, f := range frames {
		byFrame[f.Frame] = f
	}
	w, h := res.Metadata.Width, res.Metadata.Height
	for k, fr := range res.Frames {
		r, ok := byFrame[fr.FrameIndex]
		if !ok {
			continue
		}
		res.Frames[k].Detections = reviewed(fr.Detections, r, w, h)
	}
	res.UpdatePresence()
	out, _ := json.Marshal(res)
	_, err = tx.ExecContext(ctx, `update analyses set result = $3 where tenant_id = $1 and id = $2`, tx.TenantID, job.AnalysisID, string(out))
	return store.Err(err, "write the reviewed analysis")
}

func reviewed(machine []detect.Detection, r FrameResult, w, h int) []detect.Detection {
	out := []detect.Detection{}
	mark := func(d detect.Detection, conf float64, review string) detect.Detection {
		if !d.ReviewedByHuman {
			c := d.Confidence
			d.MachineConfidence = &c
		}
		d.Confidence, d.Review, d.ReviewedByHuman = conf, review, true
		return d
	}
	if r.Accepted != nil {
		for _, d := range machine {
			if *r.Accepted {
				out = append(out, mark(d, 1, "accepted"))
			} else {
				out = append(out, mark(d, 0, "rejected"))
			}
		}
		return out
	}
	used := make([]bool, len(machine))
	for _, c := range r.Boxes {
		b := detect.Box{X: c.Box.X, Y: c.Box.Y, W: c.Box.W, H: c.Box.H}
		best, bestIoU := -1, 0.5
		for i, d := range machine {
			if v := detect.IoU(d.Box, b); !used[i] && d.Label == c.Box.Label && v >= bestIoU {
				best, bestIoU = i, v
			}
		}
		share := math.Round(float64(c.Votes)/float64(max(r.Answers, 1))*1000) / 1000
		if best < 0 {
			out = append(out, detect.Detection{Label: c.Box.Label, Phrase: c.Box.Label, Confidence: share, Box: b, BoundingBox: detect.RatioOf(b, w, h),
				ReviewedByHuman: true, Review: "added"})
			continue
		}
		used[best] = true
		d := machine[best]
		review := "accepted"
		if d.Box != b {
			review = "adjusted"
		}
		d = mark(d, share, review)
		d.Box, d.BoundingBox = b, detect.RatioOf(b, w, h)
		out = append(out, d)
	}
	for i, d := range machine {
		if !used[i] {
			out = append(out, mark(d, 0, "rejected"))
		}
	}
	return out
}

// COCO is a COCO object-detection document.
type COCO struct {
	Info        map[string]any   `json:"info"`
	Images      []COCOImage      `json:"images"`
	Annotations []COCOAnnotation `json:"annotations"`
	Categories  []COCOCategory   `json:"categories"`
}

// COCOImage is one frame.
type COCOImage struct {
	ID         int    `json:"id"`
	FileName   string `json:"file_name"`
	Width      int    `json:"width"`
	Height     int    `json:"height"`
	FrameIndex int    `json:"frame_index"`
}

// COCOAnnotation is one box: bbox is [x, y, width, height] in pixels.
type COCOAnnotation struct {
	ID           int         `json:"id"`
	ImageID      int         `json:"image_id"`
	CategoryID   int         `json:"category_id"`
	BBox         [4]float64  `json:"bbox"`
	Area         float64     `json:"area"`
	IsCrowd      int         `json:"iscrowd"`
	Segmentation [][]float64 `json:"segmentation"`
	// Attributes are the box's attribute values, as CVAT writes them.
	Attributes map[string]string `json:"attributes,omitempty"`
}

// COCOCategory is one label.
type COCOCategory struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

// FrameFile names a frame's image in exports.
func FrameFile(frame int) string { return fmt.Sprintf("frame_%06d.png", frame) }

// boxesOf is what a frame holds after review: the consolidated boxes, or
// for verification the machine's boxes if accepted.
func boxesOf(f FrameResult) []Box {
	if f.Accepted != nil {
		if *f.Accepted {
			return f.Machine
		}
		return nil
	}
	var out []Box
	for _, c := range f.Boxes {
		out = append(out, c.Box)
	}
	return out
}

// ToCOCO builds the COCO document of a job's results.
func ToCOCO(job Job, frames []FrameResult, width, height int) COCO {
	doc := COCO{Info: map[string]any{"description": job.Name, "job_id": job.ID, "video_id": job.VideoID},
		Images: []COCOImage{}, Annotations: []COCOAnnotation{}, Categories: []COCOCategory{}}
	cat := map[string]int{}
	for i, l := range job.Labels {
		cat[l.Name] = i + 1
		doc.Categories = append(doc.Categories, COCOCategory{ID: i + 1, Name: l.Name})
	}
	for i, f := range frames {
		doc.Images = append(doc.Images, COCOImage{ID: i + 1, FileName: FrameFile(f.Frame), Width: width, Height: height, FrameIndex: f.Frame})
		for _, b := range boxesOf(f) {
			id, ok := cat[b.Label]
			if !ok {
				cat[b.Label] = len(doc.Categories) + 1
				id = cat[b.Label]
				doc.Categories = append(doc.Categories, COCOCategory{ID: id, Name: b.Label})
			}
			doc.Annotations = append(doc.Annotations, COCOAnnotation{ID: len(doc.Annotations) + 1, ImageID: i + 1, CategoryID: id,
				BBox: [4]float64{float64(b.X), float64(b.Y), float64(b.W), float64(b.H)}, Area: float64(b.W * b.H), Segmentation: [][]float64{}, Attributes: b.Attributes})
		}
	}
	return doc
}

// WriteYOLO writes one frame's boxes as YOLO text: a line per box, "class
// centre-x centre-y width height" as shares of the frame; classes index the
// job's labels (classes.txt).
func WriteYOLO(w io.Writer, job Job, f FrameResult, width, height int) {
	idx := map[string]int{}
	for i, l := range job.Labels {
		idx[l.Name] = i
	}
	for _, b := range boxesOf(f) {
		c, ok := idx[b.Label]
		if !ok {
			continue
		}
		fmt.Fprintf(w, "%d %.6f %.6f %.6f %.6f\n", c, (float64(b.X)+float64(b.W)/2)/float64(width), (float64(b.Y)+float64(b.H)/2)/float64(height),
			float64(b.W)/float64(width), float64(b.H)/float64(height))
	}
}

// Classes is classes.txt of a YOLO export.
func Classes(job Job) string {
	var names []string
	for _, l := range job.Labels {
		names = append(names, l.Name)
	}
	return strings.Join(names, "\n") + "\n"
}

// WorkerStats is one worker's record on one job.
type WorkerStats struct {
	Email        string   `json:"email"`
	Accepted     int      `json:"accepted"` // tasks taken
	Submitted    int      `json:"submitted"`
	Released     int      `json:"released"`
	Skipped      int      `json:"skipped"`
	Expired      int      `json:"expired"`
	Open         int      `json:"open"`
	ActiveMillis int64    `json:"active_ms"`
	Agreement    *float64 `json:"agreement,omitempty"` // mean over consolidated items
}

// Progress is a job's state for its owner.
type Progress struct {
	Job       Job           `json:"job"`
	ItemsDone int           `json:"items_done"`
	Workers   []WorkerStats `json:"workers"`
}

// GetProgress reports a job's items done and each worker's record.
func GetProgress(ctx context.Context, db *store.DB, tenantID, jobID int64) (Progress, error) {
	var p Progress
	// Lapsed leases are counted as expired, not open (so this runs in a
	// read-write transaction).
	err := db.InTenant(ctx, tenantID, func(tx *store.Tx) error {
		var err error
		p, err = progressOf(ctx, tx, jobID)
		return err
	})
	return p, err
}

func progressOf(ctx context.Context, tx *store.Tx, jobID int64) (Progress, error) {
	job, err := GetJob(ctx, tx, jobID)
	if err != nil {
		return Progress{}, err
	}
	if err := expire(ctx, tx, stamp(Now())); err != nil {
		return Progress{}, err
	}
	p := Progress{Job: job, Workers: []WorkerStats{}}
	if err := tx.QueryRowContext(ctx, `select count(*) from label_items where tenant_id = $1 and job_id = $2 and status = 'done'`, tx.TenantID, jobID).Scan(&p.ItemsDone); err != nil {
		return p, store.Err(err, "count items")
	}
	rows, err := tx.QueryContext(ctx, `select u.email, count(*),
		sum(case when t.status = 'submitted' then 1 else 0 end), sum(case when t.status = 'released' then 1 else 0 end),
		sum(case when t.status = 'skipped' then 1 else 0 end), sum(case when t.status = 'expired' then 1 else 0 end),
		sum(case when t.status = 'leased' then 1 else 0 end), sum(t.active_ms), avg(t.agreement)
		from label_tasks t join users u on u.tenant_id = t.tenant_id and u.id = t.worker_id
		where t.tenant_id = $1 and t.job_id = $2 group by u.email order by u.email`, tx.TenantID, jobID)
	if err != nil {
		return p, store.Err(err, "count tasks")
	}
	defer rows.Close()
	for rows.Next() {
		var s WorkerStats
		if err := rows.Scan(&s.Email, &s.Accepted, &s.Submitted, &s.Released, &s.Skipped, &s.Expired, &s.Open, &s.ActiveMillis, &s.Agreement); err != nil {
			return p, store.Err(err, "count tasks")
		}
		p.Workers = append(p.Workers, s)
	}
	return p, rows.Err()
}

// ItemPreview is an item of a job as its owner sees it: its first frame,
// what the machine proposed there and, once the item is done, what people
// decided (boxes, or a verify job's verdict).
type ItemPreview struct {
	ID       int64
	Frame    int // the item's first frame
	Frames   int // how many frames the item has
	Reason   string
	Done     bool
	Machine  []Box
	Result   []Box
	Accepted *bool // verify jobs
	Answers  int
}

// Previews lists up to limit items of a job, the finished ones first.
func Previews(ctx context.Context, db *store.DB, tenantID, jobID int64, limit int) ([]ItemPreview, error) {
	var out []ItemPreview
	err := db.ReadTenant(ctx, tenantID, func(tx *store.Tx) error {
		var err error
		out, err = previews(ctx, tx, jobID, limit)
		return err
	})
	return out, err
}

func previews(ctx context.Context, tx *store.Tx, jobID int64, limit int) ([]ItemPreview, error) {
	rows, err := tx.QueryContext(ctx, `select id, frames, reason, machine, status, consolidated from label_items
		where tenant_id = $1 and job_id = $2 order by status, id limit $3`, tx.TenantID, jobID, limit)
	if err != nil {
		return nil, store.Err(err, "read items")
	}
	defer rows.Close()
	var out []ItemPreview
	for rows.Next() {
		var p ItemPreview
		var frames, machine, status, cons string
		if err := rows.Scan(&p.ID, &frames, &p.Reason, &machine, &status, &cons); err != nil {
			return nil, store.Err(err, "read items")
		}
		var fs []int
		var m map[int][]Box
		var c Consolidated
		json.Unmarshal([]byte(frames), &fs)
		json.Unmarshal([]byte(machine), &m)
		json.Unmarshal([]byte(cons), &c)
		if len(fs) == 0 {
			continue
		}
		p.Frame, p.Frames, p.Done, p.Machine = fs[0], len(fs), status == "done", m[fs[0]]
		p.Accepted, p.Answers = c.Accepted, c.Answers
		for _, cl := range c.Frames[fs[0]] {
			p.Result = append(p.Result, cl.Box)
		}
		out = append(out, p)
	}
	return out, store.Err(rows.Err(), "read items")
}
