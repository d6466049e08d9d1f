package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/scry-dev/scry/internal/detect"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/labeling"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
	"github.com/scry-dev/scry/internal/tenant"
	"github.com/scry-dev/scry/internal/workforce"
)

// sessionClient is a client carrying a fresh finished portal session of
// email in tn (made in the store: these tests are about what a session may
// reach).
func sessionClient(t *testing.T, f *portalFixture, tn tenant.Tenant, email string) *http.Client {
	t.Helper()
	ctx := context.Background()
	var value string
	err := f.db.InTenant(ctx, tn.ID, func(tx *store.Tx) error {
		var id int64
		if err := tx.QueryRowContext(ctx, `select id from users where tenant_id = $1 and email = $2`, tn.ID, email).Scan(&id); err != nil {
			return err
		}
		var err error
		value, err = identity.NewStagedSession(ctx, tx, id, identity.StagePortal)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(f.ts.URL)
	jar.SetCookies(u, []*http.Cookie{{Name: "scry_session", Value: value, Path: "/"}})
	return &http.Client{Jar: jar}
}

// TestLabelIsolation walks every worker route as a worker of another team
// and as a worker of another tenant: nothing of the task is received, read
// or changed. Then: an expired lease cannot be submitted, and a double
// submit is idempotent, over HTTP.
func TestLabelIsolation(t *testing.T) {
	dee := "dee.text@acme-retail.example"
	f := setupPortal(t, nil, nil, workforce.Member{Email: dee, Teams: []string{"text-checkers"}})
	ctx := context.Background()
	v, a := analysedVideo(t, f)
	var res detect.Result
	jsonUnmarshal(t, a.Result, &res)
	err := f.db.InTenant(ctx, f.tenant.ID, func(tx *store.Tx) error {
		_, err := labeling.Create(ctx, tx, labeling.Spec{Kind: labeling.KindVerify, VideoID: v.ID, AnalysisID: a.ID, Team: "video-reviewers",
			WorkersPerItem: 2, TimeLimit: time.Minute, Lifetime: time.Hour, IoU: 0.5, Below: 0.6}, v, &res, "t")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// Another tenant with the same workforce file and a worker of the same team name.
	beta := storetest.Tenant(t, f.db, "beta")
	b, _ := os.ReadFile("../workforce/testdata/example.yaml")
	spec, _ := workforce.Parse(b, "example.yaml")
	spec.Members = []workforce.Member{{Email: "eve@beta.example", Teams: []string{"video-reviewers"}}}
	if err := f.db.InTenant(ctx, beta.ID, func(tx *store.Tx) error { _, _, err := workforce.Apply(ctx, tx, spec, ""); return err }); err != nil {
		t.Fatal(err)
	}
	ana := sessionClient(t, f, f.tenant, "ana.reviewer@acme-retail.example")
	var got struct{ Task *taskView }
	if code := portalCall(t, ana, f, "POST", "/take", nil, &got); code != 200 || got.Task == nil {
		t.Fatalf("ana's take: %d", code)
	}
	task := got.Task
	submitBody := map[string]any{"answer": map[string]any{"verdict": "accept"}, "active_ms": 1}
	routes := []struct {
		method, path string
		body         any
	}{
		{"GET", fmt.Sprintf("/tasks/%d", task.ID), nil},
		{"GET", fmt.Sprintf("/tasks/%d/frames/%d", task.ID, task.Frames[0]), nil},
		{"PUT", fmt.Sprintf("/tasks/%d/draft", task.ID), map[string]any{"draft": map[string]any{}, "active_ms": 1}},
		{"POST", fmt.Sprintf("/tasks/%d/submit", task.ID), submitBody},
		{"POST", fmt.Sprintf("/tasks/%d/release", task.ID), map[string]any{"skip": false, "reason": ""}},
	}
	deeC := sessionClient(t, f, f.tenant, dee)
	eve := sessionClient(t, f, beta, "eve@beta.example")
	if code := portalCall(t, deeC, f, "POST", "/take", nil, &got); code != 200 || got.Task != nil {
		t.Errorf("dee (team text-checkers) was given %+v", got.Task)
	}
	for _, rt := range routes {
		b := rt.body
		if code := portalCall(t, deeC, f, rt.method, rt.path, b, nil); code != http.StatusNotFound {
			t.Errorf("dee %s %s: %d, want 404", rt.method, rt.path, code)
		}
		// Eve's session belongs to beta: on acme's portal it is no session.
		if code := portalCall(t, eve, f, rt.method, rt.path, b, nil); code != http.StatusUnauthorized {
			t.Errorf("eve on acme %s %s: %d, want 401", rt.method, rt.path, code)
		}
		// On her own tenant's portal, acme's task id is nobody's.
		req, _ := http.NewRequest(rt.method, f.ts.URL+"/t/beta/portal/api"+rt.path, jsonBody(b))
		req.Header.Set("Content-Type", "application/json")
		if resp, err := eve.Do(req); err != nil || resp.StatusCode != http.StatusNotFound {
			t.Errorf("eve on beta %s %s: %v %v, want 404", rt.method, rt.path, err, resp.StatusCode)
		} else {
			resp.Body.Close()
		}
	}
	if code := portalCall(t, eve, f, "POST", "/take", nil, nil); code != http.StatusUnauthorized {
		t.Errorf("eve's take on acme: %d", code)
	}
	// The task is untouched by all that, and ana can submit it, twice.
	var r1, r2 labeling.SubmitResult
	ok := map[string]any{"answer": map[string]any{"verdict": "accept"}, "active_ms": 10}
	if code := portalCall(t, ana, f, "POST", fmt.Sprintf("/tasks/%d/submit", task.ID), ok, &r1); code != 200 || r1.Duplicate {
		t.Fatalf("ana's submit: %d %+v", code, r1)
	}
	if code := portalCall(t, ana, f, "POST", fmt.Sprintf("/tasks/%d/submit", task.ID), ok, &r2); code != 200 || !r2.Duplicate {
		t.Fatalf("ana's second submit: %d %+v", code, r2)
	}
	// Bo's lease runs out before he submits: refused with 409.
	bo := sessionClient(t, f, f.tenant, "bo.checker@acme-retail.example")
	if code := portalCall(t, bo, f, "POST", "/take", nil, &got); code != 200 || got.Task == nil {
		t.Fatalf("bo's take: %d", code)
	}
	labeling.Now = func() time.Time { return time.Now().Add(2 * time.Minute) }
	defer func() { labeling.Now = time.Now }()
	if code := portalCall(t, bo, f, "POST", fmt.Sprintf("/tasks/%d/submit", got.Task.ID), ok, nil); code != http.StatusConflict {
		t.Fatalf("submit after the lease ran out: %d, want 409", code)
	}
}
