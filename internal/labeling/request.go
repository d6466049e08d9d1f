package labeling

import (
	"context"
	"encoding/json"
	"time"

	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/detect"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/video"
)

// Request is a job as people ask for it — from the command line, the API
// (this is its JSON) or the admin page: durations in plain units, the
// video by id or prefix, labels as "car,truck,person:occluded=yes|no".
type Request struct {
	Name           string  `json:"name,omitempty"`
	Kind           string  `json:"kind"`
	Video          string  `json:"video"`
	Analysis       int64   `json:"analysis,omitempty"`
	Team           string  `json:"team"`
	Labels         string  `json:"labels,omitempty"`
	EverySeconds   float64 `json:"every_seconds,omitempty"`
	Keyframes      bool    `json:"keyframes,omitempty"`
	FramesPerItem  int     `json:"frames_per_item,omitempty"`
	Below          float64 `json:"below,omitempty"`
	Sample         float64 `json:"sample,omitempty"`
	WorkersPerItem int     `json:"workers_per_item,omitempty"`
	TimeLimitS     int     `json:"time_limit_seconds,omitempty"`
	LifetimeHours  float64 `json:"lifetime_hours,omitempty"`
	Instructions   string  `json:"instructions,omitempty"`
	IoU            float64 `json:"iou,omitempty"`
	Quorum         int     `json:"quorum,omitempty"`
}

// Defaults of a request, as the CLI's flags show them.
const (
	DefaultWorkersPerItem = 1
	DefaultTimeLimit      = 10 * time.Minute
	DefaultLifetime       = 72 * time.Hour
	DefaultBelow          = 0.6
	DefaultSample         = 0.1
	DefaultIoU            = 0.5
)

// spec fills the defaults and turns the request into a Spec.
func (r Request) spec() (Spec, error) {
	labels, err := ParseLabels(r.Labels)
	if err != nil {
		return Spec{}, err
	}
	or := func(v, d float64) float64 {
		if v == 0 {
			return d
		}
		return v
	}
	s := Spec{Name: r.Name, Kind: r.Kind, AnalysisID: r.Analysis, Team: r.Team, Labels: labels, Keyframes: r.Keyframes,
		FramesPerItem: r.FramesPerItem, Instructions: r.Instructions, Quorum: r.Quorum,
		Every:          time.Duration(r.EverySeconds * float64(time.Second)),
		WorkersPerItem: int(or(float64(r.WorkersPerItem), DefaultWorkersPerItem)),
		TimeLimit:      time.Duration(or(float64(r.TimeLimitS), DefaultTimeLimit.Seconds())) * time.Second,
		Lifetime:       time.Duration(or(r.LifetimeHours, DefaultLifetime.Hours()) * float64(time.Hour)),
		Below:          or(r.Below, DefaultBelow), Sample: r.Sample, IoU: or(r.IoU, DefaultIoU)}
	if s.Kind == "" {
		s.Kind = KindBoxes
	}
	if s.Kind == KindBoxes {
		s.Below, s.Sample = 0, 0
	}
	return s, nil
}

// NewJob resolves the request's video and analysis in by's tenant and
// creates the job, audited as label.job.create (details: kind,
// team and video as asked, then the job's number and item count). A request
// refused before the job is made (a field, the video, the analysis) leaves
// no record.
func NewJob(ctx context.Context, by audit.Actor, r Request) (Job, error) {
	spec, err := r.spec()
	if err != nil {
		return Job{}, err
	}
	if r.Video == "" {
		return Job{}, badField("video", "(scry video list shows them)", "choose the video")
	}
	v, err := video.Get(ctx, by.DB, by.TenantID, r.Video)
	if err != nil {
		return Job{}, err
	}
	spec.VideoID = v.ID
	var res *detect.Result
	if spec.AnalysisID != 0 {
		a, err := video.GetAnalysis(ctx, by.DB, by.TenantID, spec.AnalysisID)
		if err != nil {
			return Job{}, err
		}
		if a.VideoID != v.ID || a.Status != "done" {
			return Job{}, badField("analysis", "", "analysis %d is %s and of video %.12s; it must be a finished analysis of this video", a.ID, a.Status, a.VideoID)
		}
		res = new(detect.Result)
		if err := json.Unmarshal(a.Result, res); err != nil {
			return Job{}, errcode.Wrap(errcode.Internal, err, "Analysis %d has no readable result", a.ID)
		}
	}
	details := map[string]any{"kind": r.Kind, "team": r.Team, "video": r.Video}
	var job Job
	err = by.Do(ctx, "label.job.create", r.Name, details, func(tx *store.Tx) error {
		job, err = Create(ctx, tx, spec, v, res, by.Name)
		details["job"], details["items"] = job.ID, job.Items
		return err
	})
	return job, err
}
