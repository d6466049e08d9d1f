package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scry-dev/scry/internal/ask"
	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/cli"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/labeling"
	"github.com/scry-dev/scry/internal/media/mediatest"
	"github.com/scry-dev/scry/internal/semantic"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
	"github.com/scry-dev/scry/internal/tenant"
	"github.com/scry-dev/scry/internal/web"
)

// runIn is run against the store of cfg (SQLite in its data folder, or a
// PostgreSQL schema).
func runIn(t *testing.T, cfg store.Config, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	vars := map[string]string{"SCRY_DATA": cfg.DataDir, "SCRY_DATABASE_URL": cfg.DatabaseURL, "SCRY_MIGRATE_DATABASE_URL": cfg.MigrateURL}
	env := cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return vars[k] }}
	code := cli.Run(context.Background(), args, env)
	return out.String(), errb.String(), code
}

// TestRemoveWorkersWithHistory: three workers take labeling tasks (one
// answers); they are removed through the three doors — `scry user remove`,
// DELETE /api/v1/users/{email} and `scry workforce destroy -f` — on both
// databases. Their tasks and answers stay, attributed to their address;
// they are no longer users, cannot sign in and their address can be used
// again. The last admin cannot be removed through either door.
func TestRemoveWorkersWithHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		cfg := storetest.Config(t, d)
		ctx := context.Background()
		must := func(args ...string) string {
			t.Helper()
			out, errs, code := runIn(t, cfg, args...)
			if code != 0 {
				t.Fatalf("scry %v: exit %d\n%s%s", args, code, out, errs)
			}
			return out
		}
		example, _ := os.ReadFile("../workforce/testdata/example.yaml")
		spec := filepath.Join(t.TempDir(), "workforce.yaml")
		os.WriteFile(spec, append(example, "  - {email: cy.third@acme-retail.example, teams: [video-reviewers]}\n"...), 0o600)
		must("tenant", "create", "acme-retail")
		must("user", "add", "--tenant", "acme-retail", "--email", "admin@acme-retail.example", "--role", "admin")
		must("workforce", "apply", "--tenant", "acme-retail", "-f", spec)
		clip := mediatest.Square(t, "shelf.mp4", "red", 2)
		var added struct{ Video struct{ ID string } }
		json.Unmarshal([]byte(must("video", "add", "--tenant", "acme-retail", clip, "--json")), &added)
		var job labeling.Job
		json.Unmarshal([]byte(must("label", "job", "create", "--tenant", "acme-retail", "--video", added.Video.ID[:12], "--kind", "boxes",
			"--every", "1s", "--labels", "box", "--team", "video-reviewers", "--workers-per-item", "3", "--json")), &job)

		db, err := store.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		tn, _ := tenant.Get(ctx, db, "acme-retail")
		workers := []string{"ana.reviewer@acme-retail.example", "bo.checker@acme-retail.example", "cy.third@acme-retail.example"}
		for i, email := range workers {
			var u identity.User
			if err := db.ReadTenant(ctx, tn.ID, func(tx *store.Tx) error { u, err = identity.ByEmail(ctx, tx, email); return err }); err != nil {
				t.Fatal(err)
			}
			task, err := labeling.Take(ctx, db, tn.ID, u.ID)
			if err != nil || task == nil {
				t.Fatalf("%s takes: %v %v", email, task, err)
			}
			if i == 0 { // ana answers; bo and cy keep their leases open
				f := task.Frames[0]
				if _, err := labeling.Submit(ctx, db, tn.ID, u.ID, task.ID, labeling.Answer{Frames: map[int][]labeling.Box{f: {{X: 1, Y: 2, W: 30, H: 40, Label: "box"}}}}, 1500); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := db.InTenant(ctx, tn.ID, func(tx *store.Tx) error {
			return identity.SetPassword(ctx, tx, "admin@acme-retail.example", "a long enough password")
		}); err != nil {
			t.Fatal(err)
		}

		// Door 1: the command line.
		if out := must("user", "remove", "--tenant", "acme-retail", "--email", workers[0], "--json"); !strings.Contains(out, `"kept_for_history": true`) {
			t.Errorf("user remove: %s", out)
		}
		// Door 2: the API.
		log, err := audit.Open(cfg.DataDir)
		if err != nil {
			t.Fatal(err)
		}
		srv := web.New(web.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), PerIP: 1000, PerUser: 1000}, db, log, &ask.Engine{DB: db, Model: semantic.BuiltinHR()})
		ts := httptest.NewServer(srv.Handler())
		defer ts.Close()
		resp, err := http.Post(ts.URL+"/api/v1/session", "application/json",
			strings.NewReader(`{"tenant":"acme-retail","email":"admin@acme-retail.example","password":"a long enough password"}`))
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("sign in: %v %v", resp, err)
		}
		resp.Body.Close()
		cookie := resp.Cookies()[0]
		del := func(email string) int {
			req, _ := http.NewRequest("DELETE", ts.URL+"/api/v1/users/"+email, nil)
			req.AddCookie(cookie)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		if status := del(workers[1]); status != 204 {
			t.Errorf("DELETE %s: %d", workers[1], status)
		}
		// The last admin stays, through either door.
		if status := del("admin@acme-retail.example"); status != 409 {
			t.Errorf("DELETE the last admin: %d, want 409", status)
		}
		if _, errs, code := runIn(t, cfg, "user", "remove", "--tenant", "acme-retail", "--email", "admin@acme-retail.example"); code != 2 || !strings.Contains(errs, "last admin") {
			t.Errorf("user remove of the last admin: exit %d %s", code, errs)
		}
		// Door 3: destroying the workforce, confirmed by its file (a file of
		// another workforce is refused).
		other := filepath.Join(t.TempDir(), "other.yaml")
		os.WriteFile(other, bytes.Replace(example, []byte("name: acme-reviewers"), []byte("name: someone-else"), 1), 0o600)
		if _, errs, code := runIn(t, cfg, "workforce", "destroy", "--tenant", "acme-retail", "-f", other); code != 2 || !strings.Contains(errs, "someone-else") {
			t.Errorf("destroy with another workforce's file: exit %d %s", code, errs)
		}
		if out := must("workforce", "destroy", "--tenant", "acme-retail", "-f", spec); !strings.Contains(out, "cy.third") {
			t.Errorf("destroy: %s", out)
		}

		// History stays: every task, the answer, the per-worker record.
		progress, err := labeling.GetProgress(ctx, db, tn.ID, job.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, w := range progress.Workers {
			got[w.Email] = true
		}
		if len(progress.Workers) != 3 || !got[workers[0]] || !got[workers[2]] {
			t.Errorf("workers after removal: %+v", progress.Workers)
		}
		if out := must("user", "list", "--tenant", "acme-retail"); strings.Contains(out, "reviewer") || strings.Contains(out, "checker") {
			t.Errorf("removed users still listed:\n%s", out)
		}
		// The address is free again: the same file applies as new members.
		if out := must("workforce", "apply", "--tenant", "acme-retail", "-f", spec); !strings.Contains(out, "+ member ana.reviewer@acme-retail.example") {
			t.Errorf("re-apply after removal: %s", out)
		}
		var tasks, answered int
		db.ReadTenant(ctx, tn.ID, func(tx *store.Tx) error {
			return tx.QueryRowContext(ctx, `select count(*), count(nullif(answer, '')) from label_tasks where tenant_id = $1`, tn.ID).Scan(&tasks, &answered)
		})
		if tasks != 3 || answered != 1 {
			t.Errorf("label tasks after removals: %d (%d answered), want 3 (1)", tasks, answered)
		}
	})
}
