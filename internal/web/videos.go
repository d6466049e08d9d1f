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
		d.Error, status = errcode.From(err).Message, errcode.HTTPStatus(err)
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
			d.Error, status = errcode.From(err).Message, errcode.HTTPStatus(err)
		} else {
			d.Analysis, d.Result = &a, res
			for _, fr := range resFrames(res) {
				if len(d.Frames) == 12 {
					break
				}
				d.Frames = append(d.Frames, fmt.Sprintf("/admin/videos/%s/analyses/%d/frames/%d", a.VideoID, a.ID, fr))
			}
		}
	}
	s.render(w, status, "videos", d)
}

// resFrames are the analysed frames that hold detections.
func resFrames(res *detect.Result) []int {
	var out []int
	if res == nil {
		return out
	}
	for _, fr := range res.Frames {
		if len(fr.Detections) > 0 {
			out = append(out, fr.FrameIndex)
		}
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
