package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/scry-dev/scry/internal/detect"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/labeling"
	"github.com/scry-dev/scry/internal/tenant"
	"github.com/scry-dev/scry/internal/video"
	"github.com/scry-dev/scry/internal/workforce"
)

// portalAPI wraps a worker's JSON route: the portal's checks (tenant,
// allow-list), then a full portal session of a worker of this tenant, then
// the per-user rate limit. Everything answers in the one error vocabulary.
func (s *Server) portalAPI(h func(w http.ResponseWriter, r *http.Request, t tenant.Tenant, c *caller) error) http.HandlerFunc {
	return s.portalLimit(256<<10, func(w http.ResponseWriter, r *http.Request, t tenant.Tenant, p workforce.Policy) {
		c := s.portalSession(r, t, p)
		if c == nil || c.stage != identity.StagePortal {
			writeError(w, errcode.New(errcode.Unauthenticated, "Sign in to the portal first"))
			return
		}
		if rl, _ := r.Context().Value(logKey).(*reqLog); rl != nil {
			rl.tenant, rl.user = t.Slug, c.user.Email
		}
		if !s.limiter(fmt.Sprintf("user:%d", c.user.ID), s.cfg.PerUser).Allow() {
			w.Header().Set("Retry-After", "1")
			writeError(w, errcode.New(errcode.RateLimited, "Too many requests; slow down"))
			return
		}
		if err := h(w, r, t, c); err != nil {
			s.failure(r, err)
			writeError(w, err)
		}
	})
}

// workerRoute is a route of the worker API (in the OpenAPI document too).
type workerRoute struct {
	method, path string
	handle       func(w http.ResponseWriter, r *http.Request, t tenant.Tenant, c *caller) error
}

func (s *Server) workerRoutes() []workerRoute {
	return []workerRoute{
		{"POST", "/t/{tenant}/portal/api/take", s.apiTake},
		{"GET", "/t/{tenant}/portal/api/tasks/{id}", s.apiTask},
		{"GET", "/t/{tenant}/portal/api/tasks/{id}/frames/{frame}", s.apiFrame},
		{"PUT", "/t/{tenant}/portal/api/tasks/{id}/draft", s.apiDraft},
		{"POST", "/t/{tenant}/portal/api/tasks/{id}/submit", s.apiSubmit},
		{"POST", "/t/{tenant}/portal/api/tasks/{id}/release", s.apiRelease},
	}
}

func (s *Server) labelRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /t/{tenant}/portal/task", s.portal(s.taskPage))
	for _, rt := range s.workerRoutes() {
		mux.HandleFunc(rt.method+" "+rt.path, s.portalAPI(rt.handle))
	}
}

func taskID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errcode.New(errcode.NotFound, "No such task")
	}
	return id, nil
}

// taskView is a task as the page gets it: with its instructions as HTML
// and the frame size.
type taskView struct {
	*labeling.Task
	InstructionsHTML template.HTML `json:"instructions_html"`
	Width            int           `json:"width"`
	Height           int           `json:"height"`
	Context          []int         `json:"context"` // frames around the task's, view only
}

func view(task *labeling.Task) *taskView {
	if task == nil {
		return nil
	}
	return &taskView{Task: task, InstructionsHTML: markdown(task.Instructions), Width: task.Video.Info.Width, Height: task.Video.Info.Height,
		Context: task.ContextFrames()}
}

func (s *Server) apiTake(w http.ResponseWriter, r *http.Request, t tenant.Tenant, c *caller) error {
	task, err := labeling.Take(r.Context(), s.db, t.ID, c.user.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"task": view(task)})
	return nil
}

func (s *Server) apiTask(w http.ResponseWriter, r *http.Request, t tenant.Tenant, c *caller) error {
	id, err := taskID(r)
	if err != nil {
		return err
	}
	task, err := labeling.GetTask(r.Context(), s.db, t.ID, c.user.ID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"task": view(&task)})
	return nil
}

// apiFrame serves a frame of the worker's own task at full resolution as
// JPEG, cut once and kept in the object store (video.FrameJPEG).
func (s *Server) apiFrame(w http.ResponseWriter, r *http.Request, t tenant.Tenant, c *caller) error {
	id, err := taskID(r)
	if err != nil {
		return err
	}
	frame, err := strconv.Atoi(r.PathValue("frame"))
	if err != nil {
		return errcode.New(errcode.NotFound, "No such frame")
	}
	b, err := labeling.TaskFrame(r.Context(), s.db, s.cfg.Objects, t.ID, c.user.ID, id, frame)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	w.Write(b)
	return nil
}

type draftRequest struct {
	Draft  json.RawMessage `json:"draft"`
	Active int64           `json:"active_ms"`
}

func (s *Server) apiDraft(w http.ResponseWriter, r *http.Request, t tenant.Tenant, c *caller) error {
	id, err := taskID(r)
	if err != nil {
		return err
	}
	var req draftRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := labeling.SaveDraft(r.Context(), s.db, t.ID, c.user.ID, id, req.Draft, req.Active); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type submitRequest struct {
	Answer labeling.Answer `json:"answer"`
	Active int64           `json:"active_ms"`
}

func (s *Server) apiSubmit(w http.ResponseWriter, r *http.Request, t tenant.Tenant, c *caller) error {
	id, err := taskID(r)
	if err != nil {
		return err
	}
	var req submitRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	res, err := labeling.Submit(r.Context(), s.db, t.ID, c.user.ID, id, req.Answer, req.Active)
	if err != nil {
		return err
	}
	outcome := "stored"
	switch {
	case res.Duplicate:
		outcome = "duplicate"
	case res.JobDone:
		outcome = "job_done"
	case res.ItemDone:
		outcome = "item_done"
	}
	s.metrics.outcome("scry_label_submits_total", outcome)
	writeJSON(w, http.StatusOK, res)
	return nil
}

type releaseRequest struct {
	Skip   bool   `json:"skip"`
	Reason string `json:"reason"`
	Active int64  `json:"active_ms"` // the page sends it with every finish, as with a submit
}

func (s *Server) apiRelease(w http.ResponseWriter, r *http.Request, t tenant.Tenant, c *caller) error {
	id, err := taskID(r)
	if err != nil {
		return err
	}
	var req releaseRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := labeling.Release(r.Context(), s.db, t.ID, c.user.ID, id, req.Skip, req.Reason, req.Active); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) taskPage(w http.ResponseWriter, r *http.Request, t tenant.Tenant, p workforce.Policy) {
	c := s.portalSession(r, t, p)
	if c == nil || c.stage != identity.StagePortal {
		http.Redirect(w, r, "/t/"+t.Slug+"/portal", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "portal_task", portalData{Title: "Label", Tenant: t.Slug, Email: c.user.Email})
}

var (
	mdHeading = regexp.MustCompile(`^(#{1,3})\s+(.*)$`)
	mdBold    = regexp.MustCompile(`\*\*([^*]+)\*\*`)
	mdItalic  = regexp.MustCompile(`\*([^*]+)\*`)
	mdCode    = regexp.MustCompile("`([^`]+)`")
)

// markdown renders the Markdown that instructions need — headings, lists,
// paragraphs, bold, italics and code — from escaped text, so that no HTML
// an instruction file carries reaches the page.
func markdown(src string) template.HTML {
	var out strings.Builder
	inList := false
	para := []string{}
	flush := func() {
		if len(para) > 0 {
			out.WriteString("<p>" + strings.Join(para, " ") + "</p>\n")
			para = para[:0]
		}
		if inList {
			out.WriteString("</ul>\n")
			inList = false
		}
	}
	inline := func(s string) string {
		s = template.HTMLEscapeString(s)
		s = mdBold.ReplaceAllString(s, "<strong>$1</strong>")
		s = mdItalic.ReplaceAllString(s, "<em>$1</em>")
		return mdCode.ReplaceAllString(s, "<code>$1</code>")
	}
	for _, line := range strings.Split(src, "\n") {
		line = strings.TrimRight(line, " \r")
		switch {
		case line == "":
			flush()
		case mdHeading.MatchString(line):
			flush()
			m := mdHeading.FindStringSubmatch(line)
			n := len(m[1]) + 1
			fmt.Fprintf(&out, "<h%d>%s</h%d>\n", n, inline(m[2]), n)
		case strings.HasPrefix(line, "- ") || strings.HasPrefix(line, "* "):
			if len(para) > 0 {
				out.WriteString("<p>" + strings.Join(para, " ") + "</p>\n")
				para = para[:0]
			}
			if !inList {
				out.WriteString("<ul>\n")
				inList = true
			}
			out.WriteString("<li>" + inline(line[2:]) + "</li>\n")
		default:
			para = append(para, inline(line))
		}
	}
	flush()
	return template.HTML(out.String())
}

// The owner's side: jobs through the JSON API (admins).

func (s *Server) listLabelJobs(w http.ResponseWriter, r *http.Request, c *caller) error {
	jobs, err := labeling.ListJobs(r.Context(), s.db, c.tenantID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"jobs": jobs})
	return nil
}

// newLabelJob creates a job from a request (labeling.NewJob, audited), for
// the API and the admin page.
func (s *Server) newLabelJob(r *http.Request, c *caller, req labeling.Request) (labeling.Job, error) {
	return labeling.NewJob(r.Context(), s.actor(c), req)
}

func (s *Server) createLabelJob(w http.ResponseWriter, r *http.Request, c *caller) error {
	var req labeling.Request
	if err := decode(r, &req); err != nil {
		return err
	}
	job, err := s.newLabelJob(r, c, req)
	if fe := labeling.AsFieldError(err); fe != nil {
		return errcode.Wrap(errcode.Invalid, err, "%s: %s", fe.Field, fe.Problem) // the JSON key, not the CLI's flag
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, job)
	return nil
}

func (s *Server) progress(r *http.Request, c *caller) (labeling.Progress, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return labeling.Progress{}, errcode.New(errcode.NotFound, "No such job")
	}
	return labeling.GetProgress(r.Context(), s.db, c.tenantID, id)
}

func (s *Server) labelJobProgress(w http.ResponseWriter, r *http.Request, c *caller) error {
	p, err := s.progress(r, c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

// exportLabelJob answers a job's export (labeling.ExportJob): a JSON
// document (coco, analysis), or a zip archive when it comes with files
// (yolo, or images=1).
func (s *Server) exportLabelJob(w http.ResponseWriter, r *http.Request, c *caller) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return errcode.New(errcode.NotFound, "No such job")
	}
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "coco"
	}
	e, err := labeling.ExportJob(r.Context(), s.db, s.cfg.Objects, c.tenantID, id, format, r.URL.Query().Get("images") == "1")
	if err != nil {
		return err
	}
	if len(e.Files) == 0 {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.json"`, e.Name))
		w.Write(e.Document)
		return nil
	}
	var buf bytes.Buffer // built whole first: a failure is an error status, not half an archive
	if err := e.Zip(&buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.zip"`, e.Name))
	w.Write(buf.Bytes())
	return nil
}

// labelingPage lists the jobs with a form for a new one; /admin/labeling/N
// shows job N's progress per worker on top.
// jobFields are the new-job form's fields: the Request key a refusal
// names, the form control's id, and its label as the page shows it.
var jobFields = map[string][2]string{
	"video": {"video", "Video"}, "kind": {"kind", "Kind"}, "analysis": {"analysis", "Analysis"}, "team": {"team", "Work team"},
	"labels": {"labels", "Labels"}, "every_seconds": {"every", "A frame every … seconds"},
	"below": {"below", "Review detections under this confidence"}, "sample": {"sample", "Share of the other frames"},
	"workers_per_item": {"workers-per-item", "Workers per item"}, "time_limit_seconds": {"limit", "Minutes per task"},
}

// jobForm reads the new-job form into a Request; a number that is not one
// is refused naming its field (instead of silently becoming a default).
func jobForm(form map[string]string) (labeling.Request, error) {
	req := labeling.Request{Name: form["name"], Kind: form["kind"], Video: form["video"], Team: form["team"], Instructions: form["instructions"]}
	num := func(key, field string, dst *float64) error {
		if form[key] == "" {
			return nil
		}
		v, err := strconv.ParseFloat(form[key], 64)
		if err != nil {
			return &errcode.Error{Code: errcode.Invalid, Message: fmt.Sprintf("%s: %q is not a number", jobFields[field][1], form[key]),
				Err: &labeling.FieldError{Field: field, Problem: fmt.Sprintf("%q is not a number", form[key])}}
		}
		*dst = v
		return nil
	}
	var analysis, every, workers, limit float64
	for _, n := range []struct {
		key, field string
		dst        *float64
	}{{"analysis", "analysis", &analysis}, {"every", "every_seconds", &every}, {"below", "below", &req.Below}, {"sample", "sample", &req.Sample},
		{"workers", "workers_per_item", &workers}, {"limit", "time_limit_seconds", &limit}} {
		if err := num(n.key, n.field, n.dst); err != nil {
			return req, err
		}
	}
	req.Analysis, req.WorkersPerItem, req.TimeLimitS = int64(analysis), int(workers), int(limit*60)
	if req.Kind == labeling.KindBoxes {
		// Labels and frame spacing are a boxes job's; a review takes its
		// labels from the analysis and its frames from the detections.
		req.Labels, req.EverySeconds = form["labels"], every
	}
	return req, nil
}

// labelingPage lists the jobs, shows one job's progress, and makes a new
// job from the form. The form opens with settings that make a valid job
// (a review of the newest finished analysis, or boxes every 2 s), and a
// refusal names the form's field and keeps what was typed.
func (s *Server) labelingPage(w http.ResponseWriter, r *http.Request, c *caller) {
	d := s.base(c, "Labeling", "labeling")
	status := http.StatusOK
	fail := func(err error) { d.Error, status = s.failure(r, err).Message, errcode.HTTPStatus(err) }
	if r.PathValue("id") != "" {
		if p, err := s.progress(r, c); err != nil {
			fail(err)
		} else {
			d.Progress = &p
			d.Items, err = s.itemViews(r, c, p.Job)
			s.logFailure(r, "read the job's items", err)
		}
	}
	o, err := labeling.ReadOverview(r.Context(), s.db, c.tenantID)
	s.logFailure(r, "read what the page shows", err)
	d.Jobs, d.Teams, d.Videos, d.Analyses = o.Jobs, o.Teams, o.Videos, o.Analyses
	d.Form = map[string]string{"kind": labeling.KindBoxes, "every": "2", "labels": "object", "below": "0.6", "sample": "0.1", "workers": "3", "limit": "10"}
	if len(d.Videos) > 0 {
		d.Form["video"] = d.Videos[0].ID
	}
	if len(d.Analyses) > 0 { // newest first: review it
		d.Form["kind"], d.Form["analysis"], d.Form["video"] = labeling.KindAdjust, strconv.FormatInt(d.Analyses[0].ID, 10), d.Analyses[0].VideoID
	}
	if len(d.Teams) > 0 {
		d.Form["team"] = d.Teams[0].Name
	}
	if r.Method == http.MethodPost {
		for _, k := range []string{"name", "video", "kind", "analysis", "team", "labels", "every", "below", "sample", "workers", "limit", "instructions"} {
			d.Form[k] = strings.TrimSpace(r.PostFormValue(k))
		}
		req, err := jobForm(d.Form)
		var job labeling.Job
		if err == nil {
			job, err = s.newLabelJob(r, c, req)
		}
		if err == nil {
			http.Redirect(w, r, fmt.Sprintf("/admin/labeling/%d#job", job.ID), http.StatusSeeOther)
			return
		}
		fail(err)
		if fe := labeling.AsFieldError(err); fe != nil {
			if f, ok := jobFields[fe.Field]; ok {
				d.Error, d.Invalid = f[1]+": "+fe.Problem, f[0]
			}
		}
	}
	s.render(w, r, status, "labeling", d)
}

// shownItems is how many of a job's items its page previews.
const shownItems = 24

// itemView is an item of a job on its page: its first frame with the
// machine's boxes, and with people's result once the item is done.
type itemView struct {
	labeling.ItemPreview
	Image, Reason, Time string
	Verdict             string // a verify job's: accepted or rejected
	Machine, Result     []boxView
}

// itemViews previews a job's first items, the finished ones first.
func (s *Server) itemViews(r *http.Request, c *caller, job labeling.Job) ([]itemView, error) {
	v, err := video.Get(r.Context(), s.db, c.tenantID, job.VideoID)
	if err != nil {
		return nil, err
	}
	ps, err := labeling.Previews(r.Context(), s.db, c.tenantID, job.ID, shownItems)
	colour := map[string]string{}
	for i, l := range job.Labels {
		colour[l.Name] = detect.BoxColour(i)
	}
	boxes := func(bs []labeling.Box) []boxView {
		var out []boxView
		for _, b := range bs {
			bv := boxView{Left: pct(b.X, v.Info.Width), Top: pct(b.Y, v.Info.Height), Width: pct(b.W, v.Info.Width), Height: pct(b.H, v.Info.Height),
				Name: b.Label, Colour: colour[b.Label]}
			if bv.Colour == "" {
				bv.Colour = detect.BoxColour(len(colour))
			}
			if b.Confidence != nil {
				bv.Confidence = *b.Confidence
			}
			out = append(out, bv)
		}
		return out
	}
	out := make([]itemView, len(ps))
	for i, p := range ps {
		ms := int64(0)
		if v.Info.FrameRate > 0 {
			ms = int64(float64(p.Frame) * 1000 / v.Info.FrameRate)
		}
		out[i] = itemView{ItemPreview: p, Image: fmt.Sprintf("/admin/labeling/%d/frames/%d", job.ID, p.Frame), Reason: itemReasons[p.Reason],
			Time: detect.Clock(ms), Machine: boxes(p.Machine), Result: boxes(p.Result)}
		if p.Accepted != nil {
			out[i].Verdict = map[bool]string{true: "accepted", false: "rejected"}[*p.Accepted]
		}
		if out[i].Reason == "" {
			out[i].Reason = strings.ReplaceAll(p.Reason, "_", " ")
		}
	}
	return out, err
}

// itemReasons say why an item was made, in words.
var itemReasons = map[string]string{"frame": "a frame every few seconds", "keyframe": "a shot's first frame", "low_confidence": "the machine was unsure",
	"sample": "a sample of the sure frames", "presence": "the phrase was found"}

// pct is n as a percentage of of.
func pct(n, of int) float64 {
	if of <= 0 {
		return 0
	}
	return float64(n) * 100 / float64(of)
}

// jobFrame serves a frame of a job's video as JPEG (cut once, kept in the
// object store), for the job's item previews.
func (s *Server) jobFrame(w http.ResponseWriter, r *http.Request, c *caller) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	frame, ferr := strconv.Atoi(r.PathValue("frame"))
	if err != nil || ferr != nil {
		s.notFound(w, r)
		return
	}
	b, err := labeling.JobFrame(r.Context(), s.db, s.cfg.Objects, c.tenantID, id, frame)
	if err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	w.Write(b)
}

// cancelJobPage cancels a job from its page (as `scry label job cancel`
// does, audited the same way) and shows the job again.
func (s *Server) cancelJobPage(w http.ResponseWriter, r *http.Request, c *caller) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	if err := labeling.Cancel(r.Context(), s.actor(c), id); err != nil {
		d := s.base(c, "Labeling", "labeling")
		d.Error = s.failure(r, err).Message
		s.render(w, r, errcode.HTTPStatus(err), "status", d)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/labeling/%d#job", id), http.StatusSeeOther)
}
