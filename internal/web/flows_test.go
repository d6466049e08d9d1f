package web

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"github.com/scry-dev/scry/internal/labeling"
	"github.com/scry-dev/scry/internal/media"
	"github.com/scry-dev/scry/internal/media/mediatest"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/video"
)

// browserRun runs chromedp steps, failing the test on the first error.
func browserRun(t *testing.T, ctx context.Context, steps ...step) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// until waits (at most 15 s) for a script to be true in the page.
func until(js string) step {
	return void(chromedp.Poll[bool](js, chromedp.WithPollingTimeout(15*time.Second)))
}

// portalSignInBrowser walks an invited member through the portal's first
// sign-in in the browser: temporary password, own password, TOTP.
func portalSignInBrowser(t *testing.T, ctx context.Context, f *portalFixture, email string) {
	t.Helper()
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	browserRun(t, ctx, chromedp.Navigate(f.ts.URL+"/t/acme-retail/portal"), chromedp.WaitVisible(css("#email")),
		chromedp.SendKeys(css("#email"), email), chromedp.SendKeys(css("#password"), f.invites[email]),
		chromedp.Submit(css("#password")), chromedp.WaitVisible(css("#new")),
		chromedp.SendKeys(css("#new"), newPassword), chromedp.SendKeys(css("#confirm"), newPassword),
		chromedp.Submit(css("#confirm")), chromedp.WaitVisible(css("#secret")))
	secret := eval[string](t, ctx, `document.getElementById("secret").textContent`)
	code, _ := totp.GenerateCode(secret, time.Now())
	browserRun(t, ctx, chromedp.SendKeys(css("#code"), code), chromedp.Submit(css("#code")), chromedp.WaitVisible(css("#start")))
}

// TestBrowserReleaseAndSkip: in the portal editor, Release gives the task
// back and Skip (with a reason) too, each followed by the next task; the
// page and the worker API agree on the request (it carries active_ms).
func TestBrowserReleaseAndSkip(t *testing.T) {
	bctx := browser(t)
	f := setupPortal(t, nil, nil)
	ctx := context.Background()
	clip := mediatest.Square(t, "shelf.mp4", "red", 3)
	v, _, err := video.Add(ctx, f.db, f.dataDir, f.tenant.ID, "t", clip, media.DefaultLimits, nil)
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
	browserRun(t, bctx, chromedp.Click(css("#start")), chromedp.WaitVisible(css("#work")), until(taskID+` > 0`))
	first := eval[int](t, bctx, taskID)
	browserRun(t, bctx, chromedp.Click(css("#release")), until(fmt.Sprintf(`%s > 0 && %s !== %d`, taskID, taskID, first)))
	second := eval[int](t, bctx, taskID)
	// Skip needs a reason, then goes through.
	browserRun(t, bctx, chromedp.Click(css("#skip")))
	if st := eval[string](t, bctx, `document.getElementById("status").textContent`); !strings.Contains(st, "Say why") {
		t.Errorf("skip without a reason: %q", st)
	}
	browserRun(t, bctx, chromedp.SendKeys(css("#skip-reason"), "the frame is blurred"), chromedp.Click(css("#skip")),
		until(fmt.Sprintf(`%s > 0 && %s !== %d`, taskID, taskID, second)), shot("portal-after-skip"))
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
