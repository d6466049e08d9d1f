package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"net/http"
	"strconv"

	"github.com/scry-dev/scry/internal/detect"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/media"
	"github.com/scry-dev/scry/internal/video"
)

// videoRow is a video with its analyses, for the videos page.
type videoRow struct {
	Video    video.Video
	Analyses []video.Analysis
}

// videosPage lists the tenant's videos and their analyses; with an
// analysis in the path it shows that analysis: presence, text, and the
// analysed frames that hold boxes, drawn.
func (s *Server) videosPage(w http.ResponseWriter, r *http.Request, c *caller) {
	d := s.base(c, "Videos", "videos")
	status := http.StatusOK
	vs, err := video.List(r.Context(), s.db, c.tenantID)
	if err != nil {
		d.Error, status = s.failure(r, err).Message, errcode.HTTPStatus(err)
	}
	all, _ := video.Analyses(r.Context(), s.db, c.tenantID, "")
	byVideo := map[string][]video.Analysis{}
	for _, a := range all {
		byVideo[a.VideoID] = append(byVideo[a.VideoID], a)
	}
	for _, v := range vs {
		d.VideoRows = append(d.VideoRows, videoRow{v, byVideo[v.ID]})
	}
	if r.PathValue("analysis") != "" {
		if a, res, err := s.analysisOf(r, c); err != nil {
			d.Error, status = s.failure(r, err).Message, errcode.HTTPStatus(err)
		} else {
			d.Analysis, d.Result, d.Frames = &a, res, frameViews(a, res, shownFrames)
		}
	}
	s.render(w, r, status, "videos", d)
}

// shownFrames is how many of an analysis's frames with boxes its page shows.
const shownFrames = 12

// frameView is an analysed frame on the page: the plain frame with its
// boxes and their names drawn by the page (text a person can read at any
// size, at least 12 px), its time in the video, and the frame with the
// boxes drawn into it at full size.
type frameView struct {
	Plain, Drawn string // addresses
	Index        int
	Millis       int64
	Boxes        []boxView
}

// boxView is a box in percent of the frame, named by the phrase it answers.
type boxView struct {
	Left, Top, Width, Height float64
	Name, Colour             string
	Confidence               float64
}

// frameViews are the first n analysed frames that hold detections.
func frameViews(a video.Analysis, res *detect.Result, n int) []frameView {
	var out []frameView
	if res == nil {
		return out
	}
	for _, fr := range res.Frames {
		if len(fr.Detections) == 0 {
			continue
		}
		if len(out) == n {
			break
		}
		u := fmt.Sprintf("/admin/videos/%s/analyses/%d/frames/%d", a.VideoID, a.ID, fr.FrameIndex)
		fv := frameView{Plain: u + "?plain=1", Drawn: u, Index: fr.FrameIndex, Millis: fr.TimestampMillis}
		for _, d := range fr.Detections {
			b := d.BoundingBox
			fv.Boxes = append(fv.Boxes, boxView{Left: b.Left * 100, Top: b.Top * 100, Width: b.Width * 100, Height: b.Height * 100,
				Name: d.Name(), Colour: d.Colour(), Confidence: d.Confidence})
		}
		out = append(out, fv)
	}
	return out
}

// analysisOf reads the analysis of the path, which must be of the path's
// video and of the caller's tenant.
func (s *Server) analysisOf(r *http.Request, c *caller) (video.Analysis, *detect.Result, error) {
	id, err := strconv.ParseInt(r.PathValue("analysis"), 10, 64)
	if err != nil {
		return video.Analysis{}, nil, errcode.New(errcode.NotFound, "No such analysis")
	}
	a, err := video.GetAnalysis(r.Context(), s.db, c.tenantID, id)
	if err != nil {
		return a, nil, err
	}
	if a.VideoID != r.PathValue("video") {
		return a, nil, errcode.New(errcode.NotFound, "No such analysis of this video")
	}
	if len(a.Result) == 0 {
		return a, nil, nil
	}
	res := &detect.Result{}
	if err := json.Unmarshal(a.Result, res); err != nil {
		return a, nil, errcode.Wrap(errcode.Internal, err, "Analysis %d has no readable result", a.ID)
	}
	return a, res, nil
}

// analysisFrame draws an analysed frame with its boxes as PNG.
func (s *Server) analysisFrame(w http.ResponseWriter, r *http.Request, c *caller) {
	a, res, err := s.analysisOf(r, c)
	frame, ferr := strconv.Atoi(r.PathValue("frame"))
	if err == nil && (ferr != nil || res == nil) {
		err = errcode.New(errcode.NotFound, "No such frame")
	}
	if err != nil {
		writeError(w, err)
		return
	}
	var dets []detect.Detection
	found := false
	for _, fr := range res.Frames {
		if fr.FrameIndex == frame {
			dets, found = fr.Detections, true
		}
	}
	v, err := video.Get(r.Context(), s.db, c.tenantID, a.VideoID)
	if err == nil && !found {
		err = errcode.New(errcode.NotFound, "Frame %d was not analysed", frame)
	}
	if err == nil && r.URL.Query().Get("plain") == "1" { // the page draws the boxes
		var b []byte
		if b, err = video.FrameJPEG(r.Context(), s.cfg.Objects, c.tenantID, v, frame); err == nil {
			w.Header().Set("Content-Type", "image/jpeg")
			w.Header().Set("Cache-Control", "private, max-age=3600")
			w.Write(b)
			return
		}
	}
	var f media.Frame
	if err == nil {
		f, err = video.FrameAt(r.Context(), s.cfg.Objects, c.tenantID, v, frame)
	}
	if err != nil {
		writeError(w, err)
		return
	}
	var buf bytes.Buffer
	png.Encode(&buf, detect.DrawDetections(f, dets))
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, max-age=60")
	w.Write(buf.Bytes())
}

type analyzeRequest struct {
	Prompt        string   `json:"prompt"`
	FPS           float64  `json:"fps"`
	MinConfidence *float64 `json:"min_confidence"`
}

// startAnalysis queues an analysis of a video of the tenant on the job
// queue, as `scry video analyze --detach` does (audited as video.analyze);
// a running `scry serve --workers N` or `scry worker` works it.
func (s *Server) startAnalysis(w http.ResponseWriter, r *http.Request, c *caller) error {
	var req analyzeRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	v, err := video.Get(r.Context(), s.db, c.tenantID, r.PathValue("video"))
	if err != nil {
		return err
	}
	opts := video.JobOptions{FPS: req.FPS, MinConfidence: 0.5, Setup: detect.Setup{Detector: "builtin"}}
	if opts.FPS == 0 {
		opts.FPS = 2
	}
	if req.MinConfidence != nil {
		opts.MinConfidence = *req.MinConfidence
	}
	if s.jobs == nil {
		return errcode.New(errcode.Unavailable, "This server has no job queue; start the analysis with scry video analyze")
	}
	id, err := video.Start(r.Context(), s.actor(c), s.jobs, s.cfg.Objects, video.Request{Video: v, Prompt: req.Prompt, Options: opts})
	if err != nil {
		return err
	}
	a, err := video.GetAnalysis(r.Context(), s.db, c.tenantID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"analysis": a})
	return nil
}

// analysisStatus is an analysis's state for a page or a script that
// waits on it: status and progress, without the result (GET it from
// scry video show, or open its page).
func (s *Server) analysisStatus(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, _, err := s.analysisOf(r, c)
	if err != nil {
		return err
	}
	a.Result = nil
	writeJSON(w, http.StatusOK, map[string]any{"analysis": a, "page": fmt.Sprintf("/admin/videos/%s/analyses/%d#analysis", a.VideoID, a.ID)})
	return nil
}
