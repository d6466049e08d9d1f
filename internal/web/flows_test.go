package web

import (
	"context"
	"fmt"
	"github.com/scry-dev/scry/internal/testwait"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"github.com/scry-dev/scry/internal/labeling"
	"github.com/scry-dev/scry/internal/media"
	"github.com/scry-dev/scry/internal/media/mediatest"
	"github.com/scry-dev/scry/internal/objstore"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
	"github.com/scry-dev/scry/internal/video"
)

// browserRun runs chromedp steps, failing the test on the first error.
func browserRun(t *testing.T, ctx context.Context, steps ...step) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// waitJS waits (at most 15 s) for a script to be true in the page; while
// the page navigates, an evaluation error only means "not yet".
// typed types text into the field sel and waits until the field holds all
// of it, so that the next click or submit never sends a cut value. Under
// load keys get lost (the page moved the focus while they arrived):
// SendKeys returns once the browser has taken every key, so a field that
// does not then hold text is emptied and typed again.
func typed(sel, text string) step {
	value := fmt.Sprintf(`document.querySelector(%q).value`, sel)
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := chromedp.SendKeys(chromedp.CSS(sel), text)(ctx, tg); err != nil {
			return err
		}
		return testwait.Until(60*time.Second, func() error {
			got, err := chromedp.Evaluate[string](value)(ctx, tg)
			if err != nil || got == text {
				return err
			}
			// emptied and typed whole: where the caret lands on focus is the browser's choice
			if _, err := chromedp.SetValue(chromedp.CSS(sel), "")(ctx, tg); err != nil {
				return err
			}
			if _, err := chromedp.SendKeys(chromedp.CSS(sel), text)(ctx, tg); err != nil {
				return err
			}
			return fmt.Errorf("%s held %q of %q: typed again", sel, got, text)
		})
	})
}

func waitFor(js string) step {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		return testwait.Until(60*time.Second, func() error {
			ok, err := chromedp.Evaluate[bool](`document.readyState === "complete" && (`+js+`)`)(ctx, tg)
			if err == nil && !ok {
				err = fmt.Errorf("not yet: %s", js)
			}
			return err
		})
	})
}

// portalSignInBrowser walks an invited member through the portal's first
// sign-in in the browser: temporary password, own password, TOTP.
func portalSignInBrowser(t *testing.T, ctx context.Context, f *portalFixture, email string) {
	t.Helper()
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	browserRun(t, ctx, chromedp.Navigate(f.ts.URL+"/t/acme-retail/portal"), chromedp.WaitVisible(css("#email")),
		typed("#email", email), typed("#password", f.invites[email]),
		chromedp.Submit(css("#password")), chromedp.WaitVisible(css("#new")),
		typed("#new", newPassword), typed("#confirm", newPassword),
		chromedp.Submit(css("#confirm")), chromedp.WaitVisible(css("#secret")))
	secret := eval[string](t, ctx, `document.getElementById("secret").textContent`)
	code, _ := totp.GenerateCode(secret, time.Now())
	browserRun(t, ctx, typed("#code", code), chromedp.Submit(css("#code")), chromedp.WaitVisible(css("#start")))
}

// TestBrowserReleaseAndSkip: in the portal editor, Release gives the task
// back and Skip (with a reason) too, each followed by the next task; the
// page and the worker API agree on the request (it carries active_ms).
func TestBrowserReleaseAndSkip(t *testing.T) {
	bctx := browser(t)
	f := setupPortal(t, nil, nil)
	ctx := context.Background()
	clip := mediatest.Square(t, "shelf.mp4", "red", 3)
	v, _, err := video.Add(ctx, storetest.Actor(f.db, f.tenant, "t"), objstore.NewFolder(f.dataDir), clip, media.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	var job labeling.Job
	err = f.db.InTenant(ctx, f.tenant.ID, func(tx *store.Tx) error {
		job, err = labeling.Create(ctx, tx, labeling.Spec{Kind: labeling.KindBoxes, VideoID: v.ID, Team: "video-reviewers", WorkersPerItem: 1,
			TimeLimit: 10 * time.Minute, Lifetime: time.Hour, IoU: 0.5, Every: time.Second, Labels: []labeling.Label{{Name: "box"}}}, v, nil, "t")
		return err
	})
	if err != nil || job.Items != 3 {
		t.Fatalf("job: %v, %d items", err, job.Items)
	}
	portalSignInBrowser(t, bctx, f, "ana.reviewer@acme-retail.example")
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	taskID := `((scryLabel.state().task || {}).id || 0)`
	browserRun(t, bctx, chromedp.Click(css("#start")), chromedp.WaitVisible(css("#work")), waitFor(taskID+` > 0`))
	first := eval[int](t, bctx, taskID)
	// the next task is shown when the page gives the frame the focus (its
	// last step): typing before that would land partly on the frame
	browserRun(t, bctx, chromedp.Click(css("#release")), waitFor(fmt.Sprintf(`%s > 0 && %s !== %d && document.activeElement === document.getElementById("stage")`, taskID, taskID, first)))
	second := eval[int](t, bctx, taskID)
	// Skip needs a reason, then goes through.
	// The refusal moves the focus to the reason: typing starts after that.
	browserRun(t, bctx, chromedp.Click(css("#skip")),
		waitFor(`document.getElementById("status").textContent.includes("Say why") && document.activeElement === document.getElementById("skip-reason")`))
	// The reason is set, not typed: under load keys typed into the field
	// were lost or the field was re-rendered between keys (this test is
	// about skipping with a reason; typing is TestBrowserPortalJourney's).
	browserRun(t, bctx, void(chromedp.Evaluate[any](`document.getElementById("skip-reason").value = "the frame is blurred"`)),
		waitFor(`document.getElementById("skip-reason").value === "the frame is blurred"`), chromedp.Click(css("#skip")),
		waitFor(fmt.Sprintf(`%s > 0 && %s !== %d`, taskID, taskID, second)), shot("portal-after-skip"))
	got := map[int64][2]string{}
	f.db.ReadTenant(ctx, f.tenant.ID, func(tx *store.Tx) error {
		rows, err := tx.QueryContext(ctx, `select id, status, reason from label_tasks where tenant_id = $1`, f.tenant.ID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var st, reason string
			rows.Scan(&id, &st, &reason)
			got[id] = [2]string{st, reason}
		}
		return rows.Err()
	})
	if got[int64(first)] != [2]string{"released", ""} || got[int64(second)] != [2]string{"skipped", "the frame is blurred"} || len(got) != 3 {
		t.Fatalf("tasks after release and skip: %v (first %d, second %d)", got, first, second)
	}
}

// TestBrowserUsersInvite: an admin adds a user on /admin/users; the user
// is invited (an .eml in the outbox, the link shown once on the page) and
// listed as invited; a refused form keeps what was typed; a resent
// invitation replaces the first link; the user chooses a password from the
// link, signs in, and is listed as active; the admin removes them, and
// cannot remove the tenant's last admin.
func TestBrowserUsersInvite(t *testing.T) {
	bctx := browser(t)
	f := setup(t, store.SQLite)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	signIn := func(email, pw string) step {
		return chromedp.Steps(chromedp.Navigate(f.ts.URL+"/signin"), chromedp.WaitVisible(css("#tenant")),
			typed("#tenant", "alpha"), typed("#email", email),
			typed("#password", pw), chromedp.Submit(css("#password")), chromedp.WaitVisible(css("#q")))
	}
	status := func(email string) string {
		return eval[string](t, bctx, fmt.Sprintf(`(document.querySelector('#users tr[data-email=%q] .status') || {}).textContent || "(not listed)"`, email))
	}
	newcomer := "new.hr@alpha.example"
	browserRun(t, bctx, signIn("admin@alpha.example", password),
		chromedp.Navigate(f.ts.URL+"/admin/users"), chromedp.WaitVisible(css("#adduser")),
		// A manager needs an employee id: refused, and what was typed stays.
		typed("#email", "new.manager@alpha.example"), chromedp.SetValue(css("#role"), "manager"),
		chromedp.Click(css("#adduser button")), chromedp.WaitVisible(css(".error")))
	if e, v, r := eval[string](t, bctx, `document.querySelector(".error").textContent`), eval[string](t, bctx, `document.getElementById("email").value`),
		eval[string](t, bctx, `document.getElementById("role").value`); !strings.Contains(e, "employee") || v != "new.manager@alpha.example" || r != "manager" {
		t.Errorf("refused add: error %q, email kept %q, role kept %q", e, v, r)
	}
	browserRun(t, bctx, chromedp.SetValue(css("#email"), newcomer), chromedp.SetValue(css("#role"), "hr"),
		chromedp.Click(css("#adduser button")), chromedp.WaitVisible(css("#invite-link")), shot("users-1-invited"))
	firstLink := eval[string](t, bctx, `document.querySelector("#invite-link code").textContent`)
	if st := status(newcomer); !strings.HasPrefix(st, "invited until") {
		t.Errorf("status after adding: %q", st)
	}
	outbox, _ := os.ReadDir(filepath.Join(f.srv.cfg.DataDir, "outbox"))
	if len(outbox) != 1 {
		t.Fatalf("outbox holds %d messages", len(outbox))
	}
	eml, _ := os.ReadFile(filepath.Join(f.srv.cfg.DataDir, "outbox", outbox[0].Name()))
	if !strings.Contains(strings.ReplaceAll(string(eml), "\r\n", "\n"), firstLink) {
		t.Errorf("the mailed invitation does not hold the link shown:\n%s", eml)
	}
	// Resend: a new link; the first stops working.
	browserRun(t, bctx, chromedp.Click(css(fmt.Sprintf(`#users tr[data-email=%q] .resend`, newcomer))), waitFor(`!!document.querySelector(".notice") && document.querySelector(".notice").textContent.includes("new invitation")`))
	link := eval[string](t, bctx, `document.querySelector("#invite-link code").textContent`)
	if link == firstLink {
		t.Fatal("the resent invitation has the same link")
	}
	browserRun(t, bctx, chromedp.Click(css(".signout button")), chromedp.WaitVisible(css("#tenant")),
		chromedp.Navigate(firstLink), chromedp.WaitVisible(css("#password")),
		typed("#password", newPassword), typed("#confirm", newPassword),
		chromedp.Submit(css("#confirm")), chromedp.WaitVisible(css(".error")))
	browserRun(t, bctx, chromedp.Navigate(link), chromedp.WaitVisible(css("#password")),
		typed("#password", newPassword), typed("#confirm", newPassword),
		chromedp.Submit(css("#confirm")), chromedp.WaitVisible(css(".notice")), shot("users-2-activated"),
		signIn(newcomer, newPassword))
	// The admin sees the truth, removes the newcomer, and cannot remove the last admin.
	browserRun(t, bctx, chromedp.Click(css(".signout button")), chromedp.WaitVisible(css("#tenant")),
		signIn("admin@alpha.example", password), chromedp.Navigate(f.ts.URL+"/admin/users"), chromedp.WaitVisible(css("#users")))
	if st := status(newcomer); st != "active" {
		t.Errorf("status after activation: %q", st)
	}
	browserRun(t, bctx, chromedp.Click(css(fmt.Sprintf(`#users tr[data-email=%q] .remove`, newcomer))), waitFor(`!!document.querySelector(".notice")`))
	if st := status(newcomer); st != "(not listed)" {
		t.Errorf("after removal the newcomer is %q", st)
	}
	browserRun(t, bctx, chromedp.Click(css(`#users tr[data-email="admin@alpha.example"] .remove`)), chromedp.WaitVisible(css(".error")), shot("users-3-last-admin"))
	if e := eval[string](t, bctx, `document.querySelector(".error").textContent`); !strings.Contains(e, "last admin") {
		t.Errorf("removing the last admin on the page: %q", e)
	}
	if st := status("admin@alpha.example"); st != "active" {
		t.Errorf("the last admin after a refused removal: %q", st)
	}
}

// TestBrowserNewJobForm: the new-job form opens with settings it accepts
// (boxes every 2 s without an analysis; a review of the newest finished
// analysis once there is one); a refusal names the form's field, in the
// page's words, not the command line's, and keeps everything typed.
func TestBrowserNewJobForm(t *testing.T) {
	bctx := browser(t)
	f := setupPortal(t, nil, nil)
	ctx := context.Background()
	clip := mediatest.Square(t, "shelf.mp4", "red", 3)
	v, _, err := video.Add(ctx, storetest.Actor(f.db, f.tenant, "t"), objstore.NewFolder(f.dataDir), clip, media.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	jobs := func() int {
		var n int
		f.db.ReadTenant(ctx, f.tenant.ID, func(tx *store.Tx) error {
			return tx.QueryRowContext(ctx, `select count(*) from label_jobs where tenant_id = $1`, f.tenant.ID).Scan(&n)
		})
		return n
	}
	createdJob := `location.pathname.match(/\/admin\/labeling\/\d+$/) !== null && !document.querySelector(".error")`
	browserRun(t, bctx, ownerSignIn(t, f),
		chromedp.Navigate(f.ts.URL+"/admin/labeling"), chromedp.WaitVisible(css("#newjob")), shot("label-form-1-defaults"),
		chromedp.Click(css("#newjob button")), waitFor(createdJob))
	if n := jobs(); n != 1 {
		t.Fatalf("the default form (no analysis) made %d jobs", n)
	}
	// With a finished analysis, the form offers to review it, and that works too.
	res := `{"metadata":{"width":320,"height":180,"frame_rate":10,"frame_count":30,"duration_ms":3000},"frames":[{"frame_index":0,"detections":[{"label":"box","phrase":"red box","confidence":0.4,"box":{"x":40,"y":50,"w":60,"h":60},"bounding_box":{"left":0.125,"top":0.28,"width":0.19,"height":0.33}}]}],"presence":[{"phrase":"red box","present":true}]}`
	err = f.db.InTenant(ctx, f.tenant.ID, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `insert into analyses (tenant_id, video_id, prompt, options, status, progress, result, created_by, created_at)
			values ($1, $2, 'Detect the red box', '{}', 'done', 1, $3, 't', 'now')`, f.tenant.ID, v.ID, res)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	browserRun(t, bctx, chromedp.Navigate(f.ts.URL+"/admin/labeling"), chromedp.WaitVisible(css("#newjob")))
	if k, a := eval[string](t, bctx, `document.getElementById("kind").value`), eval[string](t, bctx, `document.getElementById("analysis").value`); k != "adjust" || a == "" {
		t.Errorf("defaults with an analysis: kind %q, analysis %q", k, a)
	}
	browserRun(t, bctx, chromedp.Click(css("#newjob button")), waitFor(createdJob))
	if n := jobs(); n != 2 {
		t.Fatalf("the default form (review) made %d jobs in all, want 2", n)
	}
	// Refusals name the page's field and keep what was typed.
	for _, tc := range []struct{ id, value, want string }{
		{"workers-per-item", "12", "Workers per item: 12 is not between 1 and 9"},
		{"limit", "ten", `Minutes per task: "ten" is not a number`},
	} {
		browserRun(t, bctx, chromedp.Navigate(f.ts.URL+"/admin/labeling"), chromedp.WaitVisible(css("#newjob")),
			chromedp.SetValue(css("#kind"), "boxes"), chromedp.SetValue(css("#labels"), "person,cart"),
			chromedp.SetValue(css("#instructions"), "Draw every person and cart."),
			chromedp.SetValue(css("#"+tc.id), tc.value), chromedp.Click(css("#newjob button")), chromedp.WaitVisible(css(".error")))
		e := eval[string](t, bctx, `document.querySelector(".error").textContent`)
		kept := eval[[]string](t, bctx, fmt.Sprintf(`["kind", "labels", "instructions", %q].map(id => document.getElementById(id).value)`, tc.id))
		invalid := eval[string](t, bctx, `(document.querySelector("[aria-invalid=true]") || {}).id || ""`)
		if !strings.Contains(e, tc.want) || strings.Contains(e, "--") || strings.Contains(e, "scry ") {
			t.Errorf("refusal: %q, want %q in the page's words", e, tc.want)
		}
		if strings.Join(kept, "|") != "boxes|person,cart|Draw every person and cart.|"+tc.value || invalid != tc.id {
			t.Errorf("after the refusal: kept %q, marked %q", kept, invalid)
		}
	}
	browserRun(t, bctx, shot("label-form-2-refused"))
	if n := jobs(); n != 2 {
		t.Fatalf("refused forms made jobs: %d", n)
	}
	// A job named on the form, its columns in words, cancelled from its page.
	browserRun(t, bctx, chromedp.Navigate(f.ts.URL+"/admin/labeling"), chromedp.WaitVisible(css("#newjob")),
		typed("#name", "Shelf camera, week 48"), chromedp.Click(css("#newjob button")), waitFor(createdJob),
		chromedp.EmulateViewport(1366, 900), shot("label-form-3-named-job-1366"), chromedp.EmulateViewport(375, 800), shot("label-form-3-named-job-375"), chromedp.EmulateViewport(1280, 900))
	if h := eval[string](t, bctx, `document.getElementById("job").textContent`); !strings.Contains(h, "Shelf camera, week 48") {
		t.Errorf("the job's name: %q", h)
	}
	if th := eval[string](t, bctx, `document.querySelector("#workers thead").textContent`); !strings.Contains(th, "Tasks taken") || strings.Contains(th, "Accepted") {
		t.Errorf("per-worker columns: %q", th)
	}
	browserRun(t, bctx, chromedp.Click(css("#canceljob button")), waitFor(`!document.getElementById("canceljob") && document.getElementById("job") !== null`), shot("label-form-4-cancelled"))
	if p := eval[string](t, bctx, `document.querySelector("#job + p").textContent`); !strings.Contains(p, "cancelled") {
		t.Errorf("after cancelling: %q", p)
	}
}
