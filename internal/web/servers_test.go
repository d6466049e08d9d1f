package web

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scry-dev/scry/internal/ask"
	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/objstore"
	"github.com/scry-dev/scry/internal/semantic"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
)

// another starts a second server over f's database, as a second scry
// serve process would: its own store handle, audit log, answer cache and
// rate limits; nothing shared with f but the database and the data folder's
// audit key and heads.
func another(t *testing.T, f *fixture) *fixture {
	t.Helper()
	db, err := store.Open(context.Background(), f.cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	log, err := audit.Open(f.cfg.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	srv := New(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), PerIP: 1000, PerUser: 1000, DataDir: f.cfg.DataDir}, db, log,
		&ask.Engine{DB: db, Model: semantic.BuiltinHR()})
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &fixture{srv: srv, ts: ts, db: db, cfg: f.cfg}
}

// TestTwoServersShareState: behind a load balancer a client's requests
// land on either server. A session made on A works on B and ends on both;
// failed sign-ins on A and B count against one lockout; an import through A
// changes the answers B gives (B's cached answer is keyed by the tenant's
// data version in the database); the audit log holds both servers' records
// and verifies.
func TestTwoServersShareState(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		a := setup(t, d)
		b := another(t, a)

		cookie := a.signIn(t, "alpha", "admin@alpha.example")
		if resp, body := b.do(t, "GET", "/api/v1/me", nil, withCookie(cookie)); resp.StatusCode != 200 {
			t.Fatalf("A's session on B: %d %v", resp.StatusCode, body)
		}

		ask := func(f *fixture) float64 {
			t.Helper()
			resp, body := f.do(t, "POST", "/api/v1/ask", map[string]string{"question": "Total hours worked", "now": "2026-11-25"}, withCookie(cookie))
			rows, _ := body["rows"].([]any)
			if resp.StatusCode != 200 || len(rows) != 1 {
				t.Fatalf("ask: %d %v", resp.StatusCode, body)
			}
			return rows[0].([]any)[len(rows[0].([]any))-1].(float64)
		}
		before := ask(b)
		if again := ask(b); again != before || before != 23 {
			t.Fatalf("hours worked %v then %v, want 23 twice (the second from B's cache)", before, again)
		}
		dir := t.TempDir()
		for _, name := range []string{"employees", "absences", "shifts"} {
			body, err := os.ReadFile("../hr/testdata/valid/" + name + ".csv")
			if err != nil {
				t.Fatal(err)
			}
			if name == "shifts" { // one shift loses an hour to a longer break
				body = []byte(strings.Replace(string(body), "S4,E4,2026-06-01,09:00,17:00,60,7.00", "S4,E4,2026-06-01,09:00,17:00,120,6.00", 1))
			}
			os.WriteFile(filepath.Join(dir, name+".csv"), body, 0o644)
		}
		files := map[string]string{}
		for _, name := range []string{"employees", "absences", "shifts"} {
			files[name] = filepath.Join(dir, name+".csv")
		}
		if resp, out := upload(t, a, cookie, files); resp.StatusCode != 200 {
			t.Fatalf("import through A: %d %v", resp.StatusCode, out)
		}
		if after := ask(b); after != 22 {
			t.Fatalf("B answers %v after A imported, want 22 (not its cached %v)", after, before)
		}

		// Failed sign-ins alternate between the servers: one count.
		for i := range identity.DefaultMaxFailures {
			f := []*fixture{a, b}[i%2]
			if code, body, _ := jsonSignIn(t, f.ts.URL, "alpha", "manager@alpha.example", "a wrong password!!"); code != 401 {
				t.Fatalf("failure %d: %d %s", i+1, code, body)
			}
		}
		for _, f := range []*fixture{a, b} {
			if code, body, _ := jsonSignIn(t, f.ts.URL, "alpha", "manager@alpha.example", password); code != 429 {
				t.Fatalf("after %d failures on two servers, the right password got %d %s, want 429", identity.DefaultMaxFailures, code, body)
			}
		}

		// Signing out on B ends the session on A.
		if resp, _ := b.do(t, "DELETE", "/api/v1/session", nil, withCookie(cookie)); resp.StatusCode/100 != 2 {
			t.Fatalf("sign out on B: %d", resp.StatusCode)
		}
		if resp, _ := a.do(t, "GET", "/api/v1/me", nil, withCookie(cookie)); resp.StatusCode != 401 {
			t.Fatalf("A still takes the session B ended: %d", resp.StatusCode)
		}

		ctx := context.Background()
		for _, f := range []*fixture{a, b} {
			if err := f.srv.audit.Flush(ctx, f.db); err != nil {
				t.Fatal(err)
			}
		}
		if err := a.srv.audit.Publish(ctx, a.db); err != nil {
			t.Fatal(err)
		}
		rep, err := b.srv.audit.Verify(ctx, b.db)
		if err != nil || rep.UnsignedTail != 0 {
			t.Fatalf("audit after two servers: %+v %v", rep, err)
		}
	})
}

// TestHealthzNamesWhatDoesNotAnswer: /healthz checks the database and the
// object store, and a load balancer's 503 says which one failed.
func TestHealthzNamesWhatDoesNotAnswer(t *testing.T) {
	f := setup(t, store.SQLite)
	if resp, body := f.do(t, "GET", "/healthz", nil); resp.StatusCode != 200 || body["database"] != "ok" || body["object_store"] != "ok" {
		t.Fatalf("healthy: %d %v", resp.StatusCode, body)
	}
	gone, err := objstore.NewS3(objstore.S3Config{Endpoint: "http://127.0.0.1:1", Bucket: "nowhere", AccessKey: "k", SecretKey: "s"})
	if err != nil {
		t.Fatal(err)
	}
	f.srv.cfg.Objects = gone
	if resp, body := f.do(t, "GET", "/healthz", nil); resp.StatusCode != 503 || body["status"] != "unavailable" || body["object_store"] != "unavailable" || body["database"] != "ok" {
		t.Fatalf("object store down: %d %v", resp.StatusCode, body)
	}
}
