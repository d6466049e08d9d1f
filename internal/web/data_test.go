package web

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/scry-dev/scry/internal/ask"
	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/store"
)

// TestAskLinkDoesNotAsk: GET /ask?q=… only fills the question box; only a
// POST (same origin) runs, records and audits a question, so a link sent to
// someone cannot plant a question in their history and the audit log.
func TestAskLinkDoesNotAsk(t *testing.T) {
	f := setup(t, store.SQLite)
	admin := f.signIn(t, "alpha", "admin@alpha.example")
	get := func(path string) (int, string) {
		resp, b := getPage(t, f, path, admin)
		return resp.StatusCode, b
	}
	asked := func() int {
		h, _ := ask.History(context.Background(), f.db, 1, 1, 50)
		recs, _ := audit.List(context.Background(), f.db, "alpha", 0)
		n := 0
		for _, r := range recs {
			if r.Action == "ask" {
				n++
			}
		}
		if n != len(h) {
			t.Fatalf("%d audited questions, %d in history", n, len(h))
		}
		return n
	}
	status, body := get("/ask?q=" + url.QueryEscape("Headcount by department") + "&now=2026-11-25")
	if status != 200 || !strings.Contains(body, `value="Headcount by department"`) || strings.Contains(body, "<table") {
		t.Fatalf("GET /ask?q=: %d, prefilled %v, answered %v", status, strings.Contains(body, `value="Headcount by department"`), strings.Contains(body, "<table"))
	}
	if status, _ := get("/ask.csv?q=Headcount+by+department"); status == 200 {
		t.Fatalf("GET /ask.csv answered: %d", status)
	}
	if n := asked(); n != 0 {
		t.Fatalf("a link asked %d question(s)", n)
	}
	form := url.Values{"q": {"Headcount by department"}, "now": {"2026-11-25"}}
	for _, path := range []string{"/ask", "/ask.csv"} {
		req, _ := http.NewRequest("POST", f.ts.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: "scry_session", Value: admin})
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), "Retail") {
			t.Fatalf("POST %s: %d %.300s", path, resp.StatusCode, b)
		}
	}
	if n := asked(); n != 2 {
		t.Fatalf("two POSTs asked %d question(s)", n)
	}
	// A cross-origin POST (a form on another site) is refused.
	req, _ := http.NewRequest("POST", f.ts.URL+"/ask", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.AddCookie(&http.Cookie{Name: "scry_session", Value: admin})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 || asked() != 2 {
		t.Fatalf("cross-site POST /ask: %d", resp.StatusCode)
	}
}

// TestWorkerCannotAsk: a workforce member signed in through the portal
// cannot open the ask page (which shows the tenant and its departments),
// download answers, or use the ask API.
func TestWorkerCannotAsk(t *testing.T) {
	f := setupPortal(t, nil, nil)
	c := memberClient(t, f, "ana.reviewer@acme-retail.example")
	for _, tc := range []struct{ method, path, body, ctype string }{
		{"GET", "/ask", "", ""},
		{"GET", "/ask?q=Headcount+by+department", "", ""},
		{"POST", "/ask", "q=Headcount+by+department", "application/x-www-form-urlencoded"},
		{"POST", "/ask.csv", "q=Headcount+by+department", "application/x-www-form-urlencoded"},
		{"POST", "/api/v1/ask", `{"question":"Headcount by department"}`, "application/json"},
		{"GET", "/api/v1/history", "", ""},
	} {
		req, _ := http.NewRequest(tc.method, f.ts.URL+tc.path, strings.NewReader(tc.body))
		if tc.ctype != "" {
			req.Header.Set("Content-Type", tc.ctype)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		// a portal session is no credential for the app: refused (401/403), or
		// for a page the sign-in form; never an answer, never a tenant's name
		signIn := resp.StatusCode == 200 && strings.Contains(string(b), "<title>Sign in")
		if resp.StatusCode != 401 && resp.StatusCode != 403 && !signIn || strings.Contains(string(b), "acme-retail") {
			t.Errorf("%s %s as a worker: %d %.200s", tc.method, tc.path, resp.StatusCode, b)
		}
	}
}

// TestAddUserInvitesThroughAPI: POST /api/v1/users invites the user (an
// .eml in the outbox), who is invited, not active, and cannot sign in
// until they choose a password; the invitation can be sent again.
func TestAddUserInvitesThroughAPI(t *testing.T) {
	f := setup(t, store.SQLite)
	admin := f.signIn(t, "alpha", "admin@alpha.example")
	resp, out := f.do(t, "POST", "/api/v1/users", map[string]string{"email": "new@alpha.example", "role": "hr"}, withCookie(admin))
	inv, _ := out["invitation"].(map[string]any)
	if resp.StatusCode != 201 || out["status"] != "invited" || out["email"] != "new@alpha.example" || inv["sent_to"] != "the server's outbox folder" {
		t.Fatalf("add: %d %v", resp.StatusCode, out)
	}
	resp, out = f.do(t, "POST", "/api/v1/users/new@alpha.example/invitation", nil, withCookie(admin))
	if resp.StatusCode != 200 {
		t.Fatalf("resend: %d %v", resp.StatusCode, out)
	}
	if resp, _ := f.do(t, "POST", "/api/v1/users/admin@alpha.example/invitation", nil, withCookie(admin)); resp.StatusCode != 409 {
		t.Fatalf("inviting a user who has a password: %d", resp.StatusCode)
	}
	if mails, _ := os.ReadDir(f.srv.cfg.DataDir + "/outbox"); len(mails) != 2 {
		t.Fatalf("outbox: %d messages, want 2", len(mails))
	}
	resp, _ = f.do(t, "POST", "/api/v1/session", map[string]string{"tenant": "alpha", "email": "new@alpha.example", "password": ""})
	if resp.StatusCode != 401 {
		t.Fatalf("an invited user signed in without a password: %d", resp.StatusCode)
	}
}

// TestServeSweepsOldUploads: an upload left behind by a killed process (over
// an hour old) is removed when the server starts; a recent one is kept.
func TestServeSweepsOldUploads(t *testing.T) {
	f := setup(t, store.SQLite)
	dir := f.srv.cfg.DataDir + "/uploads"
	for _, n := range []string{"hr-old", "hr-new"} {
		os.MkdirAll(dir+"/"+n, 0o700)
		os.WriteFile(dir+"/"+n+"/shifts.csv", []byte("x"), 0o600)
	}
	old := time.Now().Add(-2 * time.Hour)
	os.Chtimes(dir+"/hr-old", old, old)
	f.srv.sweepUploads()
	if _, err := os.Stat(dir + "/hr-old"); !os.IsNotExist(err) {
		t.Errorf("the old upload is still there: %v", err)
	}
	if _, err := os.Stat(dir + "/hr-new"); err != nil {
		t.Errorf("a recent upload was removed: %v", err)
	}
}
