package web

import (
	"embed"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/scry-dev/scry/internal/ask"
	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/detect"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/hr"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/labeling"
	"github.com/scry-dev/scry/internal/video"
	"github.com/scry-dev/scry/internal/workforce"
)

//go:embed ui
var uiFS embed.FS

// pageNames are the page templates, each with ui/layout.html.
var pageNames = []string{"signin", "ask", "users", "import", "portal_signin", "portal_home", "portal_task", "labeling", "videos", "activate", "status", "sso"}

// The default language's pages are parsed at start-up: a missing or broken
// template stops it.
var _ = pagesIn(0)

// parsePages parses every page, its dates written in style.
func parsePages(style dateStyle) map[string]*template.Template {
	funcs := template.FuncMap{"when": style.when}
	for k, f := range pageFuncs {
		funcs[k] = f
	}
	out := map[string]*template.Template{}
	for _, name := range pageNames {
		out[name] = template.Must(template.New(name).Funcs(funcs).ParseFS(uiFS, "ui/layout.html", "ui/"+name+".html"))
	}
	return out
}

// pageFuncs format numbers for pages ("when", dates, is per reader).
var pageFuncs = template.FuncMap{
	"fields":  strings.Fields,
	"outcome": ask.OutcomeWords,
	"codes":   codes,
	"minutes": func(ms int64) string { return (time.Duration(ms) * time.Millisecond).Round(time.Second).String() },
	"percent": func(v float64) string { return fmt.Sprintf("%.0f%%", v*100) },
	"seconds": func(ms int64) string { return fmt.Sprintf("%.1f s", float64(ms)/1000) },
	"clock":   detect.Clock,
	"todo":    todo,
	"sub":     func(a, b int) int { return a - b },
	// count says "1 box", "3 boxes": a page counts in words, not "box(es)"
	"count": func(n int, one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return fmt.Sprintf("%d %s", n, many)
	},
	"agreement": func(a *float64) string {
		if a == nil {
			return "–"
		}
		return fmt.Sprintf("%.2f", *a)
	},
}

// snakeCase finds the names a file holds as written (non_binary,
// manager_id) in a message for people.
var snakeCase = regexp.MustCompile(`\b[a-z0-9]+(?:_[a-z0-9]+)+\b`)

// codes escapes s and sets the names in it as code: in "manager_id =
// \"E0002\": expected the employee_id of an employee" they are what the
// reader must type, not words.
func codes(s string) template.HTML {
	return template.HTML(snakeCase.ReplaceAllString(template.HTMLEscapeString(s), "<code>$0</code>"))
}

// pageData is what every page template gets.
type pageData struct {
	Title, Page, Tenant string
	Status              int // of an error page (403, 404)
	User                *identity.User
	Error, Notice       string
	Invalid             string // the id of the form field an error is about
	Problems            []string
	ProblemRows         []hr.Problem // a refused import's problems, a row each
	ProblemsShown       int          // how many are shown before "show all"
	ProblemsCSV         template.URL // all of them as a CSV file to download
	Form                map[string]string
	Question, Now       string
	Context             string // the shown answer's query (JSON), sent back with the next question for follow-ups
	Suggestions         []string
	View                *answerView // the answer shown, in words
	History             []ask.HistoryEntry
	UserRows            []userRow
	Link                string // an invitation link shown once (invitations that went to the outbox)
	Jobs                []labeling.Job
	Progress            *labeling.Progress
	Items               []itemView // a job's items, previewed
	Videos              []video.Video
	Analyses            []video.Analysis // finished ones, for the labeling form
	VideoRows           []videoRow
	Analysis            *video.Analysis
	Result              *detect.Result
	Frames              []frameView // an analysis's frames with boxes
	Teams               []workforce.Team
	Layouts             []hr.FileLayout // the import's expected files and columns
	LastImport          string
	SignIn              *signInOptions // the sign-in page's single sign-on buttons
	SSO                 *ssoView       // the admin's single sign-on page
}

// render writes a page, its dates in the reader's language; d is
// pageData, or portalData for the portal's.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, d any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if err := pagesIn(readerDates(r))[name].ExecuteTemplate(w, "layout", d); err != nil {
		s.log.Error("render", "page", name, "err", err)
	}
}

// page wraps an HTML handler: a caller who is not signed in goes to the
// sign-in page; a caller without the role gets a 403 page in the app's
// layout, with a way back.
func (s *Server) page(roles []identity.Role, h func(w http.ResponseWriter, r *http.Request, c *caller)) http.HandlerFunc {
	return s.pageWith(roles, false, h)
}

// pageWith is page; an upload page gets the upload limit and deadlines,
// any other form 1 MiB.
func (s *Server) pageWith(roles []identity.Role, upload bool, h func(w http.ResponseWriter, r *http.Request, c *caller)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if rl, _ := r.Context().Value(logKey).(*reqLog); rl != nil {
			rl.route = r.Method + " " + r.URL.Path
		}
		if upload {
			s.allowUpload(w, r)
		} else {
			r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		}
		c, err := s.authenticateFull(r)
		if err != nil {
			http.Redirect(w, r, "/signin", http.StatusSeeOther)
			return
		}
		if rl, _ := r.Context().Value(logKey).(*reqLog); rl != nil {
			rl.tenant, rl.user = c.tenantSlug, c.user.Email
		}
		if len(roles) > 0 && !slices.Contains(roles, c.user.Role) {
			d := s.base(c, "Not for your role", "")
			d.Status, d.Error = http.StatusForbidden, fmt.Sprintf("Your role (%s) may not open this page.", c.user.Role)
			s.render(w, r, http.StatusForbidden, "status", d)
			return
		}
		h(w, r, c)
	}
}

func (s *Server) pageRoutes(mux *http.ServeMux) {
	static, _ := fs.Sub(uiFS, "ui/static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/ask", http.StatusSeeOther) })
	mux.HandleFunc("GET /signin", func(w http.ResponseWriter, r *http.Request) {
		d := pageData{Title: "Sign in", Form: map[string]string{}}
		if slug := r.URL.Query().Get("tenant"); slug != "" {
			d.Form["tenant"], d.SignIn = slug, s.signInOptionsFor(r, slug)
		}
		s.render(w, r, http.StatusOK, "signin", d)
	})
	mux.HandleFunc("POST /signin", s.signInForm)
	mux.HandleFunc("POST /signout", s.page(nil, s.signOutForm))
	// Only a POST asks: a link (GET /ask?q=…) merely fills the box, so nobody
	// can plant an audited question by sending someone a link. Workers of the
	// private workforce have the portal, not the tenant's HR data.
	mux.HandleFunc("GET /ask", s.page(people, s.askPage))
	mux.HandleFunc("POST /ask", s.page(people, s.askPage))
	mux.HandleFunc("POST /ask.csv", s.page(people, s.askCSV))
	mux.HandleFunc("GET /admin/users", s.page(admins, s.usersPage))
	mux.HandleFunc("POST /admin/users", s.page(admins, s.usersPage))
	mux.HandleFunc("GET /t/{tenant}/activate", s.activatePage)
	mux.HandleFunc("POST /t/{tenant}/activate", s.activatePage)
	mux.HandleFunc("GET /admin/import", s.page(importers, s.importPage))
	mux.HandleFunc("POST /admin/import", s.pageWith(importers, true, s.importPage))
	mux.HandleFunc("GET /admin/import/template/{file}", s.page(importers, s.importTemplate))
	mux.HandleFunc("GET /admin/videos", s.page(admins, s.videosPage))
	mux.HandleFunc("GET /admin/videos/{video}/analyses/{analysis}", s.page(admins, s.videosPage))
	mux.HandleFunc("GET /admin/videos/{video}/analyses/{analysis}/frames/{frame}", s.page(admins, s.analysisFrame))
	mux.HandleFunc("GET /admin/labeling", s.page(admins, s.labelingPage))
	mux.HandleFunc("POST /admin/labeling", s.page(admins, s.labelingPage))
	mux.HandleFunc("GET /admin/labeling/{id}", s.page(admins, s.labelingPage))
	mux.HandleFunc("POST /admin/labeling/{id}/cancel", s.page(admins, s.cancelJobPage))
	mux.HandleFunc("GET /admin/labeling/{id}/frames/{frame}", s.page(admins, s.jobFrame))
}

// notFound answers an unknown address: a page in the app's layout for a
// browser, the JSON error for the API and every other client.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/api/") || !strings.Contains(r.Header.Get("Accept"), "text/html") {
		writeError(w, errcode.New(errcode.NotFound, "No such page or API route"))
		return
	}
	d := pageData{Title: "Page not found", Status: http.StatusNotFound, Error: "There is no page at this address."}
	if c, err := s.authenticateFull(r); err == nil {
		d = s.base(c, d.Title, "")
		d.Status, d.Error = http.StatusNotFound, "There is no page at this address."
	}
	s.render(w, r, http.StatusNotFound, "status", d)
}

func (s *Server) signInForm(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	r.ParseForm()
	form := map[string]string{"tenant": r.PostForm.Get("tenant"), "email": r.PostForm.Get("email")}
	value, err := s.startSession(r, form["tenant"], form["email"], r.PostForm.Get("password"))
	if err != nil {
		s.render(w, r, errcode.HTTPStatus(err), "signin", pageData{Title: "Sign in", Form: form, Error: s.failure(r, err).Message, SignIn: s.signInOptionsFor(r, form["tenant"])})
		return
	}
	http.SetCookie(w, s.cookie(value, int(s.cfg.Sessions.Absolute.Seconds())))
	http.Redirect(w, r, "/ask", http.StatusSeeOther)
}

func (s *Server) signOutForm(w http.ResponseWriter, r *http.Request, c *caller) {
	s.logFailure(r, "sign out", identity.SignOut(r.Context(), s.db, c.tenantID, c.sessionHash))
	http.SetCookie(w, s.cookie("", -1))
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

func (s *Server) base(c *caller, title, page string) pageData {
	u := c.user
	return pageData{Title: title, Page: page, Tenant: c.tenantSlug, User: &u}
}

// askPage shows the ask page; with ?answer= the answer a POST just gave
// (see shownAnswers), which a reload shows again without asking again.
func (s *Server) askPage(w http.ResponseWriter, r *http.Request, c *caller) {
	if r.Method == http.MethodPost {
		s.askPost(w, r, c)
		return
	}
	d := s.base(c, "Ask", "ask")
	d.Question, d.Now = strings.TrimSpace(r.URL.Query().Get("q")), r.URL.Query().Get("now")
	status := http.StatusOK
	if id := r.URL.Query().Get("answer"); id != "" {
		if sh := s.shown.get(id, c.tenantID, c.user.ID); sh != nil {
			d.Question, d.Now, d.Context, d.Error, status = sh.question, sh.now, sh.context, sh.err, sh.status
			if sh.answer != nil {
				scope, _ := s.engine.ScopeWords(r.Context(), ask.Asker{TenantID: c.tenantID, User: c.user})
				d.View = answerViewOf(sh.answer, s.engine.Model, printer(r), askDate(sh.now).Format(time.DateOnly), scope)
			}
		} else {
			d.Notice = "This answer is no longer kept here; press Ask to ask the question again."
		}
	}
	d.Suggestions = s.engine.Suggestions(r.Context(), ask.Asker{TenantID: c.tenantID, User: c.user}, askDate(d.Now))
	var err error
	d.History, err = ask.History(r.Context(), s.db, c.tenantID, c.user.ID, 12)
	s.logFailure(r, "read what the page shows", err)
	s.render(w, r, status, "ask", d)
}

// askDate is the date a question is asked at: the page's now, else today.
func askDate(now string) time.Time {
	if t, err := time.Parse(time.DateOnly, now); err == nil {
		return t
	}
	return time.Now().UTC()
}

// askPost asks (recorded in the history and the audit log) and sends the
// browser to the page that shows the answer: the result page is a GET, so
// a reload does not ask again.
func (s *Server) askPost(w http.ResponseWriter, r *http.Request, c *caller) {
	sh := &shown{tenantID: c.tenantID, userID: c.user.ID, at: time.Now(), status: http.StatusOK}
	sh.question, sh.now = strings.TrimSpace(r.PostFormValue("q")), r.PostFormValue("now")
	if sh.question != "" {
		prev, err := followedUp(r)
		if err == nil {
			sh.answer, err = s.answer(r, c, sh.question, sh.now, prev)
		}
		if err != nil {
			sh.answer, sh.err, sh.status = nil, s.failure(r, err).Message, errcode.HTTPStatus(err)
		} else if sh.answer.Error == nil && sh.answer.Query != nil {
			b, _ := json.Marshal(sh.answer.Query)
			sh.context = string(b)
		}
	}
	u := url.Values{"q": {sh.question}, "answer": {s.shown.put(sh)}}
	if sh.now != "" {
		u.Set("now", sh.now)
	}
	http.Redirect(w, r, "/ask?"+u.Encode(), http.StatusSeeOther)
}

// followedUp is the previous answer's query a page form sends back with a
// follow-up question (nil when there is none). Like the API's context it
// is only a starting point: validated and scoped like any query.
func followedUp(r *http.Request) (*ask.Query, error) {
	raw := r.PostFormValue("context")
	if raw == "" {
		return nil, nil
	}
	var q ask.Query
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&q); err != nil {
		return nil, errcode.New(errcode.Invalid, "The previous answer sent with this question is not a structured query; ask it again in full")
	}
	return &q, nil
}

// answer asks a question for the caller (ask.Engine.Answer) and counts it;
// a refusal is an answer with an error.
func (s *Server) answer(r *http.Request, c *caller, question, nowParam string, prev *ask.Query) (*ask.Answer, error) {
	now := time.Now().UTC()
	if nowParam != "" {
		t, err := time.Parse("2006-01-02", nowParam)
		if err != nil {
			return nil, errcode.New(errcode.Invalid, "now %q is not a date YYYY-MM-DD", nowParam)
		}
		now = t
	}
	ans, err := s.engine.Answer(r.Context(), ask.Asker{TenantID: c.tenantID, Tenant: c.tenantSlug, User: c.user}, ask.Question{Text: question, Now: now, Prev: prev})
	if err != nil {
		s.metrics.outcome("scry_asks_total", string(errcode.From(err).Code))
		return nil, err
	}
	s.metrics.outcome("scry_asks_total", ans.Outcome())
	return ans, nil
}

func (s *Server) askCSV(w http.ResponseWriter, r *http.Request, c *caller) {
	prev, err := followedUp(r)
	if err != nil {
		http.Error(w, s.failure(r, err).Message, errcode.HTTPStatus(err))
		return
	}
	ans, err := s.answer(r, c, r.PostFormValue("q"), r.PostFormValue("now"), prev)
	if err != nil || ans.Error != nil {
		http.Error(w, "This question has no table to download.", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="scry-answer.csv"`)
	cw := csv.NewWriter(w)
	head := make([]string, len(ans.Columns))
	for i, col := range ans.Columns {
		head[i] = col.Name
	}
	cw.Write(head)
	for _, row := range ans.Rows {
		rec := make([]string, len(row))
		for i, v := range row {
			if v != nil {
				rec[i] = csvSafe(fmt.Sprint(v))
			}
		}
		cw.Write(rec)
	}
	cw.Flush()
}

// csvSafe keeps a spreadsheet from reading a cell as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		if _, err := fmt.Sscan(s, new(float64)); err != nil {
			return "'" + s
		}
	}
	return s
}

// importPage takes the three CSV files as an upload and imports them
// all-or-nothing, as `scry import hr` does; with ?dry_run=1 it only checks
// them (`scry import hr --dry-run`). The page says which columns each file
// needs and when the data was last imported.
func (s *Server) importPage(w http.ResponseWriter, r *http.Request, c *caller) {
	d := s.base(c, "Import", "import")
	d.Layouts = hr.Layouts()
	status := http.StatusOK
	if r.Method == http.MethodPost {
		dry := r.URL.Query().Get("dry_run") == "1"
		counts, err := s.importUpload(r, c, dry)
		switch {
		case err != nil:
			e := s.failure(r, err)
			d.Error, d.Problems, status = e.Message, e.Details, errcode.HTTPStatus(err)
			var ps hr.Problems
			if errors.As(err, &ps) {
				d.Problems, d.ProblemRows, d.ProblemsShown, d.ProblemsCSV = nil, ps, min(len(ps), problemsShown), problemsCSV(ps)
			}
			if dry {
				d.Error = "Checked, nothing changed: " + d.Error
			}
		case dry:
			e, sh, a := counts.Nouns()
			d.Notice = printer(r).Sprintf("The files are valid: an import would store %d %s, %d %s and %d %s. Nothing was changed (this was a check only).", counts.Employees, e, counts.Shifts, sh, counts.Absences, a)
		default:
			e, sh, a := counts.Nouns()
			d.Notice = printer(r).Sprintf("Imported %d %s, %d %s and %d %s in %.1f s.", counts.Employees, e, counts.Shifts, sh, counts.Absences, a, counts.Seconds)
		}
	}
	rec, ok, err := audit.Latest(r.Context(), s.db, c.tenantSlug, "hr.import")
	s.logFailure(r, "read the last import", err)
	if ok {
		n := func(k string) int64 { f, _ := rec.Details[k].(float64); return int64(f) }
		last := hr.Counts{Employees: n("employees"), Shifts: n("shifts"), Absences: n("absences")}
		e, sh, a := last.Nouns()
		d.LastImport = printer(r).Sprintf("%s by %s: %d %s, %d %s and %d %s.", dateStyles[readerDates(r)].style.at(rec.Time),
			strings.TrimPrefix(rec.Actor, "user:"), last.Employees, e, last.Shifts, sh, last.Absences, a)
	}
	s.render(w, r, status, "import", d)
}

// problemsShown is how many of an import's problems the page lists
// before "show all": enough to see what kind of problem it is.
const problemsShown = 50

// problemsCSV is a refused import's problems as a CSV file in a data:
// address, so that a long list can be fixed from a spreadsheet (the
// upload itself is gone once the page is shown).
func problemsCSV(ps hr.Problems) template.URL {
	var b strings.Builder
	cw := csv.NewWriter(&b)
	cw.Write([]string{"file", "line", "column", "field", "value", "what to do"})
	for _, p := range ps {
		cw.Write([]string{p.File, fmt.Sprint(p.Line), fmt.Sprint(p.Column), p.Field, csvSafe(p.ShortValue()), todo(p)})
	}
	cw.Flush()
	return template.URL("data:text/csv;charset=utf-8," + url.PathEscape(b.String()))
}

// todo says what to do about a problem: the import's "expected …" as an
// instruction.
func todo(p hr.Problem) string {
	switch {
	case p.Line == 0:
		return "Send " + p.Expected
	case p.Field != "":
		return "Change it to " + p.Expected
	default:
		return "Make the line " + p.Expected
	}
}

// importTemplate downloads the header line of one of the three files.
func (s *Server) importTemplate(w http.ResponseWriter, r *http.Request, c *caller) {
	t, ok := hr.Template(r.PathValue("file"))
	if !ok {
		s.notFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", r.PathValue("file")))
	io.WriteString(w, t)
}

// importUpload saves an upload of the three files and imports them (or,
// dry, only checks them: nothing changes, so nothing is audited); an
// import is counted in /metrics and audited either way.
func (s *Server) importUpload(r *http.Request, c *caller, dry bool) (hr.Counts, error) {
	var counts hr.Counts
	dir, err := s.uploadDir("hr-")
	if err != nil {
		return counts, err
	}
	defer os.RemoveAll(dir)
	if err := saveUpload(r, dir); err != nil {
		if !dry {
			s.metrics.outcome("scry_hr_imports_total", "refused")
		}
		return counts, err
	}
	if dry {
		return hr.DryRun(r.Context(), s.db, c.tenantID, dir)
	}
	counts, err = hr.ImportAs(r.Context(), s.actor(c), dir, "upload", nil)
	outcome := "ok"
	if err != nil {
		outcome = "refused"
		if errcode.From(err).Code == errcode.Internal {
			outcome = "failed"
		}
	}
	s.metrics.outcome("scry_hr_imports_total", outcome)
	return counts, err
}

// tooLarge names the limit when err is an upload over it.
func tooLarge(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return errcode.Wrap(errcode.Invalid, err, "The upload is larger than this server's limit of %d MiB (scry serve --max-upload)", tooBig.Limit>>20)
	}
	return nil
}

// saveUpload streams the parts of a multipart upload into files in dir,
// so that memory does not grow with the upload.
func saveUpload(r *http.Request, dir string) error {
	mr, err := r.MultipartReader()
	if err != nil {
		return errcode.New(errcode.Invalid, "Send the three files as a multipart form")
	}
	got := map[string]bool{}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err := tooLarge(err); err != nil {
			return err
		}
		if err != nil {
			return errcode.Wrap(errcode.Invalid, err, "The upload was cut off")
		}
		name := part.FormName()
		if name != "employees" && name != "shifts" && name != "absences" {
			continue
		}
		f, err := os.Create(filepath.Join(dir, name+".csv"))
		if err != nil {
			return err
		}
		_, err = io.Copy(f, part)
		f.Close()
		if err := tooLarge(err); err != nil {
			return err
		}
		if err != nil {
			return errcode.Wrap(errcode.Invalid, err, "The upload of %s.csv was cut off", name)
		}
		got[name] = true
	}
	for _, n := range []string{"employees", "shifts", "absences"} {
		if !got[n] {
			return errcode.New(errcode.Invalid, "The upload lacks %s.csv", n)
		}
	}
	return nil
}
