package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scry-dev/scry/internal/ask"
	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/demo"
	"github.com/scry-dev/scry/internal/hr"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/semantic"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
	"github.com/scry-dev/scry/internal/tenant"
)

const password = "a long enough password"

type fixture struct {
	srv *Server
	ts  *httptest.Server
	db  *store.DB
	cfg store.Config
}

// setup starts a real server on loopback with tenants alpha and beta, each
// with an admin, a manager (E2) and an employee (E3).
func setup(t testing.TB, d store.Dialect) *fixture {
	t.Helper()
	cfg := storetest.Config(t, d)
	ctx := context.Background()
	db, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	log, err := audit.Open(cfg.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, slug := range []string{"alpha", "beta"} {
		tn := storetest.Tenant(t, db, slug)
		err := db.InTenant(ctx, tn.ID, func(tx *store.Tx) error {
			if _, err := hr.Import(ctx, tx, "../hr/testdata/valid", nil); err != nil {
				return err
			}
			for _, u := range []identity.User{
				{Email: "admin@" + slug + ".example", Role: identity.Admin},
				{Email: "manager@" + slug + ".example", Role: identity.Manager, EmployeeID: "E2"},
				{Email: "employee@" + slug + ".example", Role: identity.Employee, EmployeeID: "E3"},
			} {
				if _, err := identity.Add(ctx, tx, u); err != nil {
					return err
				}
				if err := identity.SetPassword(ctx, tx, u.Email, password); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	srv := New(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), PerIP: 1000, PerUser: 1000, DataDir: cfg.DataDir}, db, log,
		&ask.Engine{DB: db, Model: semantic.BuiltinHR()})
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &fixture{srv: srv, ts: ts, db: db, cfg: cfg}
}

type reqOpt func(*http.Request)

func withCookie(v string) reqOpt {
	return func(r *http.Request) { r.AddCookie(&http.Cookie{Name: "scry_session", Value: v}) }
}
func withBearer(v string) reqOpt {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+v) }
}
func withHeader(k, v string) reqOpt { return func(r *http.Request) { r.Header.Set(k, v) } }

func (f *fixture) do(t testing.TB, method, path string, body any, opts ...reqOpt) (*http.Response, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, f.ts.URL+path, rd)
	req.Header.Set("Content-Type", "application/json")
	for _, o := range opts {
		o(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp, out
}

func (f *fixture) signIn(t testing.TB, tenant, email string) string {
	t.Helper()
	resp, body := f.do(t, "POST", "/api/v1/session", map[string]string{"tenant": tenant, "email": email, "password": password})
	if resp.StatusCode != 200 {
		t.Fatalf("sign in %s/%s: %d %v", tenant, email, resp.StatusCode, body)
	}
	for _, c := range resp.Cookies() {
		if c.Name == "scry_session" {
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
				t.Fatalf("session cookie attributes: %+v", c)
			}
			return c.Value
		}
	}
	t.Fatal("no session cookie")
	return ""
}

func TestSignInAskSignOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		f := setup(t, d)
		a := f.signIn(t, "alpha", "ADMIN@alpha.example")
		b := f.signIn(t, "alpha", "admin@alpha.example")
		if a == b {
			t.Fatal("two sign-ins got the same session id")
		}
		resp, ans := f.do(t, "POST", "/api/v1/ask", map[string]string{"question": "How many employees do we have?", "now": "2026-11-25"}, withCookie(a))
		if resp.StatusCode != 200 || ans["chart"].(map[string]any)["type"] != "number" {
			t.Fatalf("ask: %d %v", resp.StatusCode, ans)
		}
		if got := ans["rows"].([]any)[0].([]any)[0].(float64); got != 3 {
			t.Fatalf("headcount %v, want 3 (one of four has left)", got)
		}
		resp, ans = f.do(t, "POST", "/api/v1/ask", map[string]string{"question": "Rank our employees by race"}, withCookie(a))
		if resp.StatusCode != 400 || ans["error"].(map[string]any)["code"] != "forbidden_topic" || ans["question"] == nil {
			t.Fatalf("refusal: %d %v", resp.StatusCode, ans)
		}
		_, h := f.do(t, "GET", "/api/v1/history", nil, withCookie(a))
		if n := len(h["history"].([]any)); n != 2 {
			t.Fatalf("history holds %d questions", n)
		}
		// A manager sees only the team: E2 and E3 (E4 has left).
		m := f.signIn(t, "alpha", "manager@alpha.example")
		_, ans = f.do(t, "POST", "/api/v1/ask", map[string]string{"question": "List all employees", "now": "2026-11-25"}, withCookie(m))
		if rows := ans["rows"].([]any); len(rows) != 2 {
			t.Fatalf("manager sees %v", rows)
		}
		// A follow-up sends the previous query back as context; the manager's
		// scope still applies, whatever the context says.
		_, first := f.do(t, "POST", "/api/v1/ask", map[string]string{"question": "How many employees are in Retail?", "now": "2026-11-25"}, withCookie(a))
		_, next := f.do(t, "POST", "/api/v1/ask", map[string]any{"question": "and in Executive?", "now": "2026-11-25", "context": first["query"]}, withCookie(a))
		if got := fmt.Sprint(next["rows"]); got != "[[1]]" {
			t.Fatalf("follow-up: %v", next)
		}
		// (no one in the team is in Executive: a refusal, not a 0 that
		// reads as a fact about Executive)
		_, next = f.do(t, "POST", "/api/v1/ask", map[string]any{"question": "and in Executive?", "now": "2026-11-25", "context": first["query"]}, withCookie(m))
		if e, _ := next["error"].(map[string]any); e == nil || e["code"] != "permission_denied" || len(fmt.Sprint(next["rows"])) > 2 {
			t.Fatalf("manager's follow-up outside the team: %v", next)
		}
		// Sign out: the cookie is dead; sign out everywhere ends the other session too.
		if resp, _ := f.do(t, "DELETE", "/api/v1/session", nil, withCookie(a)); resp.StatusCode != 204 {
			t.Fatalf("sign out: %d", resp.StatusCode)
		}
		if resp, _ := f.do(t, "GET", "/api/v1/me", nil, withCookie(a)); resp.StatusCode != 401 {
			t.Fatalf("after sign out: %d", resp.StatusCode)
		}
		c := f.signIn(t, "alpha", "admin@alpha.example")
		if resp, _ := f.do(t, "DELETE", "/api/v1/sessions", nil, withCookie(c)); resp.StatusCode != 204 {
			t.Fatalf("sign out everywhere: %d", resp.StatusCode)
		}
		if resp, _ := f.do(t, "GET", "/api/v1/me", nil, withCookie(b)); resp.StatusCode != 401 {
			t.Fatalf("other session after sign out everywhere: %d", resp.StatusCode)
		}
	})
}

func TestSignInFailuresLookAlike(t *testing.T) {
	f := setup(t, store.SQLite)
	var bodies []string
	for _, c := range []map[string]string{
		{"tenant": "alpha", "email": "admin@alpha.example", "password": "wrong password!!"},
		{"tenant": "alpha", "email": "nobody@alpha.example", "password": password},
		{"tenant": "gamma", "email": "admin@alpha.example", "password": password},
		{"tenant": "beta", "email": "admin@alpha.example", "password": password},
	} {
		resp, body := f.do(t, "POST", "/api/v1/session", c)
		b, _ := json.Marshal(body)
		if resp.StatusCode != 401 {
			t.Fatalf("%v: %d", c, resp.StatusCode)
		}
		bodies = append(bodies, string(b))
	}
	for _, b := range bodies[1:] {
		if b != bodies[0] {
			t.Fatalf("failures differ: %s vs %s", bodies[0], b)
		}
	}
}

// TestEveryRouteRefusesStrangers walks the route table: without a
// credential, with a forged or expired one, with another tenant's token,
// from another origin, or with too small a role, nothing gets through.
func TestEveryRouteRefusesStrangers(t *testing.T) {
	f := setup(t, store.SQLite)
	alphaAdmin := f.signIn(t, "alpha", "admin@alpha.example")
	alphaMgr := f.signIn(t, "alpha", "manager@alpha.example")
	var betaToken string
	ctx := context.Background()
	beta, _ := tenant.Get(ctx, f.db, "beta")
	f.db.InTenant(ctx, beta.ID, func(tx *store.Tx) error {
		tok, err := identity.CreateToken(ctx, tx, "admin@beta.example", "test", 0)
		betaToken = tok.Secret
		return err
	})
	// an expired session of alpha
	expired := f.signIn(t, "alpha", "employee@alpha.example")
	alpha, _ := tenant.Get(ctx, f.db, "alpha")
	_, hash, _ := identity.ParseCredential(identity.SessionPrefix, expired)
	f.db.InTenant(ctx, alpha.ID, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `update sessions set last_seen_at = '2020-01-01T00:00:00Z' where id_hash = $1`, hash)
		return err
	})
	forgedOtherTenant := strings.Replace(alphaAdmin, "s1.", "s2.", 1) // alpha's secret presented as beta's
	for _, rt := range f.srv.routes {
		if rt.public {
			continue
		}
		path := strings.Replace(rt.path, "{email}", "admin@beta.example", 1)
		body := map[string]string{"question": "How many employees do we have?", "email": "x@alpha.example", "role": "admin"}
		for name, opt := range map[string]reqOpt{
			"no credential":        func(*http.Request) {},
			"forged cookie":        withCookie("s1.AAAAAAAAAAAAAAAAAAAAAA"),
			"garbage cookie":       withCookie("'; drop table sessions; --"),
			"other tenant's id":    withCookie(forgedOtherTenant),
			"expired session":      withCookie(expired),
			"revoked-style bearer": withBearer("scry_1.AAAAAAAAAAAAAAAAAAAAAA"),
		} {
			resp, out := f.do(t, rt.method, path, body, opt)
			if resp.StatusCode != 401 {
				t.Errorf("%s %s with %s: %d %v", rt.method, path, name, resp.StatusCode, out)
			}
		}
		// CSRF: a browser request from another origin with a valid cookie.
		if rt.method != "GET" {
			resp, _ := f.do(t, rt.method, path, body, withCookie(alphaAdmin), withHeader("Sec-Fetch-Site", "cross-site"), withHeader("Origin", "https://evil.example"))
			if resp.StatusCode != 403 {
				t.Errorf("%s %s cross-origin: %d", rt.method, path, resp.StatusCode)
			}
		}
		if len(rt.roles) > 0 && !slices.Contains(rt.roles, identity.Manager) { // routes for managers too refuse workers: TestWorkerCannotAsk
			if resp, _ := f.do(t, rt.method, path, body, withCookie(alphaMgr)); resp.StatusCode != 403 {
				t.Errorf("%s %s as manager: %d", rt.method, path, resp.StatusCode)
			}
		}
	}
	// A session of alpha acting on beta's user: not found, and beta's user survives.
	if resp, _ := f.do(t, "DELETE", "/api/v1/users/admin@beta.example", nil, withCookie(alphaAdmin)); resp.StatusCode != 404 {
		t.Errorf("alpha deleting beta's user: %d", resp.StatusCode)
	}
	// Beta's token sees beta only.
	_, users := f.do(t, "GET", "/api/v1/users", nil, withBearer(betaToken))
	b, _ := json.Marshal(users)
	if strings.Contains(string(b), "alpha.example") || !strings.Contains(string(b), "admin@beta.example") {
		t.Errorf("beta token lists %s", b)
	}
	_, me := f.do(t, "GET", "/api/v1/me", nil, withBearer(betaToken))
	if me["tenant"] != "beta" {
		t.Errorf("beta token is %v", me)
	}
}

func TestHeadersLimitsAndMetrics(t *testing.T) {
	f := setup(t, store.SQLite)
	resp, _ := f.do(t, "GET", "/healthz", nil)
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"} {
		if resp.Header.Get(h) == "" {
			t.Errorf("missing %s", h)
		}
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q", csp)
	}
	a := f.signIn(t, "alpha", "admin@alpha.example")
	big := map[string]string{"question": strings.Repeat("x", 100<<10)}
	if resp, out := f.do(t, "POST", "/api/v1/ask", big, withCookie(a)); resp.StatusCode != 400 {
		t.Errorf("100 KiB body: %d %v", resp.StatusCode, out)
	}
	req, _ := http.NewRequest("GET", f.ts.URL+"/metrics", nil)
	r, _ := http.DefaultClient.Do(req)
	m, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if !strings.Contains(string(m), `scry_http_requests_total{route="POST /api/v1/session",status="2xx"} 1`) {
		t.Errorf("metrics:\n%s", m)
	}
	// per-IP rate limit
	f.srv.cfg.PerIP = 2
	f.srv.limits.Clear()
	limited := false
	for i := 0; i < 20; i++ {
		if resp, _ := f.do(t, "GET", "/healthz", nil); resp.StatusCode == 429 {
			limited = true
			break
		}
	}
	if !limited {
		t.Error("no 429 after 20 quick requests at 2/s")
	}
}

// TestOpenAPIMatchesRoutes keeps /api/openapi.json true: every route is
// documented and every documented operation exists.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	f := setup(t, store.SQLite)
	resp, doc := f.do(t, "GET", "/api/openapi.json", nil)
	if resp.StatusCode != 200 || doc["openapi"] != "3.1.0" {
		t.Fatalf("openapi: %d %v", resp.StatusCode, doc["openapi"])
	}
	paths := doc["paths"].(map[string]any)
	documented := map[string]bool{}
	for p, ops := range paths {
		for m := range ops.(map[string]any) {
			documented[strings.ToUpper(m)+" "+p] = true
		}
	}
	keys := []string{}
	for _, rt := range f.srv.routes {
		keys = append(keys, rt.method+" "+rt.path)
	}
	for _, rt := range f.srv.workerRoutes() {
		keys = append(keys, rt.method+" "+rt.path)
	}
	for _, key := range keys {
		if !documented[key] {
			t.Errorf("route %s is not in the OpenAPI document", key)
		}
		delete(documented, key)
	}
	for k := range documented {
		t.Errorf("the OpenAPI document lists %s, which the server does not have", k)
	}
}

func TestGracefulShutdown(t *testing.T) {
	f := setup(t, store.SQLite)
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.srv.Serve(ctx, ln) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v", err)
	}
	resp.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("shutdown: %v", err)
		}
	case <-time.After(time.Minute): // a bound for a stuck shutdown, not a wait
		t.Fatal("server did not stop")
	}
}

func upload(t *testing.T, f *fixture, cookie string, files map[string]string) (*http.Response, map[string]any) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for name, path := range files {
		w, _ := mw.CreateFormFile(name, name+".csv")
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", f.ts.URL+"/api/v1/imports/hr", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: "scry_session", Value: cookie})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp, out
}

func TestImportUpload(t *testing.T) {
	f := setup(t, store.SQLite)
	admin := f.signIn(t, "alpha", "admin@alpha.example")
	good := map[string]string{"employees": "../hr/testdata/valid/employees.csv", "shifts": "../hr/testdata/valid/shifts.csv", "absences": "../hr/testdata/valid/absences.csv"}
	resp, out := upload(t, f, admin, good)
	if resp.StatusCode != 200 || out["shifts"].(float64) != 5 {
		t.Fatalf("upload: %d %v", resp.StatusCode, out)
	}
	bad := t.TempDir() + "/shifts.csv"
	os.WriteFile(bad, []byte("shift_id,employee_id\nS1,E1\n"), 0o644)
	resp, out = upload(t, f, admin, map[string]string{"employees": good["employees"], "shifts": bad, "absences": good["absences"]})
	if resp.StatusCode != 400 || !strings.Contains(out["error"].(map[string]any)["message"].(string), "shifts.csv:1") {
		t.Fatalf("bad upload: %d %v", resp.StatusCode, out)
	}
	resp, _ = upload(t, f, f.signIn(t, "alpha", "manager@alpha.example"), good)
	if resp.StatusCode != 403 {
		t.Fatalf("manager upload: %d", resp.StatusCode)
	}
	_, ans := f.do(t, "POST", "/api/v1/ask", map[string]string{"question": "How many shifts are there?", "now": "2026-11-25"}, withCookie(admin))
	if ans["rows"] == nil {
		t.Fatalf("ask after refused import: %v", ans)
	}
	req, _ := http.NewRequest("GET", f.ts.URL+"/metrics", nil)
	r, _ := http.DefaultClient.Do(req)
	m, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if !strings.Contains(string(m), `scry_hr_imports_total{outcome="ok"} 1`) || !strings.Contains(string(m), `scry_hr_imports_total{outcome="refused"} 1`) {
		t.Errorf("import counters:\n%s", m)
	}
}

// TestImportUploadDemoFiles sends the real demo files (6 MB, far over the
// 64 KiB JSON limit) through the API, a refused upload that lists every
// problem, and one over a lowered upload limit.
func TestImportUploadDemoFiles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		f := setup(t, d)
		admin := f.signIn(t, "alpha", "admin@alpha.example")
		dir, err := demo.Extract("acme-retail", t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		files := map[string]string{"employees": dir + "/employees.csv", "shifts": dir + "/shifts.csv", "absences": dir + "/absences.csv"}
		resp, out := upload(t, f, admin, files)
		if resp.StatusCode != 200 || out["employees"].(float64) != 241 || out["shifts"].(float64) != 86347 || out["absences"].(float64) != 1976 {
			t.Fatalf("demo upload: %d %v", resp.StatusCode, out)
		}

		var b strings.Builder
		b.WriteString("shift_id,employee_id,date,start_time,end_time,break_minutes,hours,position,location,status\n")
		for i := range 30 {
			fmt.Fprintf(&b, "S%d,E3,2026-13-01,08:00,09:00,0,1.00,P,L,worked\n", i)
		}
		bad := t.TempDir() + "/shifts.csv"
		os.WriteFile(bad, []byte(b.String()), 0o644)
		resp, out = upload(t, f, admin, map[string]string{"employees": "../hr/testdata/valid/employees.csv", "shifts": bad, "absences": "../hr/testdata/valid/absences.csv"})
		e, _ := out["error"].(map[string]any)
		details, _ := e["details"].([]any)
		if resp.StatusCode != 400 || e["code"] != "invalid_input" || len(details) != 30 || !strings.HasPrefix(details[29].(string), "shifts.csv:31:3") {
			t.Fatalf("refused upload: %d %v", resp.StatusCode, out)
		}

		small := &fixture{db: f.db, srv: New(Config{Logger: f.srv.log, MaxUpload: 1 << 20, PerIP: 1000, PerUser: 1000}, f.db, f.srv.audit, f.srv.engine)}
		small.ts = httptest.NewServer(small.srv.Handler())
		defer small.ts.Close()
		resp, out = upload(t, small, admin, files)
		e, _ = out["error"].(map[string]any)
		if resp.StatusCode != 400 || !strings.Contains(fmt.Sprint(e["message"]), "limit of 1 MiB") {
			t.Fatalf("upload over the limit: %d %v", resp.StatusCode, out)
		}
	})
}
