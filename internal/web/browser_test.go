package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"github.com/scry-dev/scry/internal/ask"
	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/demo"
	"github.com/scry-dev/scry/internal/hr"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/semantic"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
	"github.com/scry-dev/scry/internal/tenant"
	"github.com/scry-dev/scry/internal/testwait"
)

// browser starts headless Debian Chromium, or skips saying why.
func browser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("browser tests skipped: no chromium on PATH (apt-get install chromium)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	// A bound for a browser that hangs, not an expected duration: a loaded
	// machine (make test-load) takes several times an idle one's.
	ctx, cancel3 := context.WithTimeout(ctx, 5*time.Minute)
	t.Cleanup(cancel3)
	return ctx
}

type step = chromedp.Action[chromedp.Void]

// shot keeps a screenshot of the page under testout/browser and checks
// that the page speaks in words: no snake_case name (an internal code or
// column) in its text outside <code> (data a person types, such as a CSV
// column) — attributes are not text, so data-* and form values may hold them.
func shot(name string) step {
	dir := filepath.Join("..", "..", "testout", "browser")
	os.MkdirAll(dir, 0o755)
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		codes, err := chromedp.Evaluate[[]string](snakeCaseJS)(ctx, tg)
		if err != nil {
			return err
		}
		buf, err := chromedp.FullScreenshot(100)(ctx, tg) // quality 100 = PNG
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644); err != nil {
			return err
		}
		if len(codes) > 0 {
			return fmt.Errorf("page %s shows internal names: %q", name, codes)
		}
		return nil
	})
}

// snakeCaseJS lists the snake_case words of the page's text (hidden parts
// included), leaving out <code>, editors of code (class "code": a file
// format's keys are its words), scripts, styles and tooltips' markup.
const snakeCaseJS = `(() => {
	const b = document.body.cloneNode(true);
	b.querySelectorAll("code, .code, script, style").forEach((e) => e.remove());
	return b.textContent.match(/\b[a-z]+_[a-z_]+\b/g) || [];
})()`

// waitJS waits until js is true in the page; an error (the page is being
// navigated) just means "not yet".
func waitJS(t *testing.T, ctx context.Context, js string) {
	t.Helper()
	testwait.Eventually(t, 60*time.Second, func() error {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		if err == nil && !ok {
			err = fmt.Errorf("the page does not yet say %s", js)
		}
		return err
	})
}

// eval runs a script in the page and returns its value.
func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// askSite is acme-retail's demo data with an admin and a manager (Nora
// David, E0105), served for browser tests.
type askSite struct {
	ts  *httptest.Server
	db  *store.DB
	eng *ask.Engine
	tn  tenant.Tenant
}

func newAskSite(t *testing.T) *askSite {
	t.Helper()
	cfg := storetest.Config(t, store.SQLite)
	bg := context.Background()
	db, err := store.Open(bg, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	log, _ := audit.Open(cfg.DataDir)
	dir, _ := demo.Extract("acme-retail", t.TempDir())
	var tn tenant.Tenant
	db.Global(bg, func(tx *store.Tx) error {
		var err error
		tn, err = tenant.Create(bg, tx, "acme-retail", "Acme Retail")
		return err
	})
	err = db.InTenant(bg, tn.ID, func(tx *store.Tx) error {
		if _, err := hr.Import(bg, tx, dir, nil); err != nil {
			return err
		}
		for _, u := range []identity.User{{Email: "admin@acme-retail.example", Role: identity.Admin}, {Email: "nora.david@acme-retail.example", Role: identity.Manager, EmployeeID: "E0105"}} {
			if _, err := identity.Add(bg, tx, u); err != nil {
				return err
			}
			if err := identity.SetPassword(bg, tx, u.Email, password); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	eng := &ask.Engine{DB: db, Model: semantic.BuiltinHR()}
	srv := New(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), PerIP: 1000, PerUser: 1000}, db, log, eng)
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &askSite{ts: ts, db: db, eng: eng, tn: tn}
}

// appSignIn signs in to acme-retail's app at base and waits for the ask page.
func appSignIn(base, email string) step {
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	return chromedp.Steps(
		chromedp.Navigate(base+"/signin"),
		chromedp.WaitVisible(css("#tenant")),
		typed("#tenant", "acme-retail"),
		typed("#email", email),
		typed("#password", password),
		chromedp.Submit(css("#password")),
		chromedp.WaitVisible(css("#q")),
	)
}

// asked types q into the ask box, submits it and waits for its answer.
func asked(q string) step {
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	return chromedp.Steps(
		chromedp.Clear(css("#q")),
		typed("#q", q),
		// the old page is marked: the same question asked again shows the
		// same answer, which must not pass for the new page
		void(chromedp.Evaluate[int](`window.scryOldPage = 1`)),
		chromedp.Submit(css("#q")),
		// wait for the new page, not the answer still shown on the old one
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			js := fmt.Sprintf(`!window.scryOldPage && document.querySelector("#answer .answered")?.dataset.question === %q && document.readyState === "complete" && !!document.querySelector("#answer table, #answer .error, #answer .sentence")`, q)
			return testwait.Until(60*time.Second, func() error {
				ok, err := chromedp.Evaluate[bool](js)(ctx, tg)
				if err == nil && !ok {
					err = fmt.Errorf("no answer to %q", q)
				}
				return err // errors while the page navigates just mean "not yet"
			})
		}),
	)
}

// TestBrowserAskJourney: sign in, ask, see chart and table, a manager sees
// only the team, sign out — in a real browser, with screenshots kept under
// testout/browser.
func TestBrowserAskJourney(t *testing.T) {
	ctx := browser(t)
	site := newAskSite(t)
	ts, eng, tn, bg := site.ts, site.eng, site.tn, context.Background()

	// What the manager may see, from the engine directly.
	mgrAns, err := eng.Ask(bg, ask.Asker{TenantID: tn.ID, User: identity.User{Role: identity.Manager, EmployeeID: "E0105"}}, "List all employees", time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}

	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	signIn := func(email string) step { return appSignIn(ts.URL, email) }
	askQ := asked
	run := func(steps ...step) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatal(err)
		}
	}
	run(chromedp.Navigate(ts.URL+"/ask"), chromedp.WaitVisible(css("#tenant")), shot("01-signin"),
		signIn("admin@acme-retail.example"), shot("02-ask-empty"),
		askQ("Headcount by department"))
	rows := eval[int](t, ctx, `document.querySelectorAll("#answer tbody tr").length`)
	bars := eval[int](t, ctx, `document.querySelectorAll("#answer figure svg rect").length`)
	caption := eval[string](t, ctx, `document.querySelector("#answer caption").textContent`)
	explain := eval[string](t, ctx, `document.querySelector(".explain").textContent`)
	run(shot("03-ask-bar"),
		askQ("Give me the worked hours per week per position for the last 3 months"), shot("04-ask-line"),
		askQ("Number of shifts by weekday and start hour"), shot("05-ask-heatmap"),
		askQ("Rank employees by race"), shot("06-ask-refused"),
		askQ("List the names and hire dates of the cashiers hired before 2020, sorted by age"), shot("06b-ask-people-columns"),
		askQ("Hours worked on the graveyard shift last month"), shot("06c-ask-words-not-read"),
		askQ("Hours worked per department last month"), askQ("what about last year?"), shot("06d-ask-follow-up"))
	// the follow-up kept the measure and the grouping and changed the period
	if c := eval[string](t, ctx, `document.querySelector("#answer caption").textContent`); !strings.Contains(c, "Hours worked by department, last year") {
		t.Errorf("follow-up answered %q", c)
	}
	// people named by their hire, and the managers, as the page says them
	run(askQ("Average hourly wage of people hired in 2025"), shot("06e-ask-hired-in"))
	if e := eval[string](t, ctx, `document.querySelector(".explain").textContent`); !strings.Contains(e, "hire date within 2025") {
		t.Errorf("how I read 'hired in 2025': %q", e)
	}
	run(askQ("What % of each department is part-time?"), shot("06g-ask-share-within"))
	if n := eval[int](t, ctx, `document.querySelectorAll("#answer tbody tr").length`); n != 7 {
		t.Errorf("the part-time share of each department: %d rows, want one a department", n)
	}
	run(askQ("How many managers are in Paris?"), shot("06f-ask-managers"))
	if e := eval[string](t, ctx, `document.querySelector(".explain").textContent`); !strings.Contains(e, "manages someone") {
		t.Errorf("how I read 'managers': %q", e)
	}
	// a negation: the people with none of a fact, said as such
	run(askQ("Which cashiers have never been off sick?"), shot("06h-ask-never"))
	if e := eval[string](t, ctx, `document.querySelector(".explain").textContent`); !strings.Contains(e, "who have no such absences") {
		t.Errorf("how I read 'never been off sick': %q", e)
	}
	if c := eval[string](t, ctx, `document.querySelector("#answer caption").textContent`); !strings.Contains(c, "People with no sick leave, Cashier") {
		t.Errorf("'never been off sick' answered %q", c)
	}
	// the fewest of groups counts those with none, and says so
	run(askQ("Which department had the fewest sick days last week?"), shot("06i-ask-fewest"))
	if n := eval[string](t, ctx, `Array.from(document.querySelectorAll(".note")).map(e => e.textContent).join(" ")`); !strings.Contains(n, "Groups with none count as 0") {
		t.Errorf("the fewest sick days by department: notes %q", n)
	}
	// people ranked from the fewest, those with none at 0; a headcount per
	// month taken on each month's last day; both say so
	run(askQ("Who worked the fewest hours last week?"), shot("06j-ask-fewest-people"))
	if n := eval[string](t, ctx, `Array.from(document.querySelectorAll(".note")).map(e => e.textContent).join(" ")`); !strings.Contains(n, "People with none count as 0") {
		t.Errorf("the fewest hours by person: notes %q", n)
	}
	run(askQ("Headcount at the end of each month in 2025"), shot("06k-ask-headcount-per-month"))
	if n := eval[string](t, ctx, `Array.from(document.querySelectorAll(".note")).map(e => e.textContent).join(" ")`); !strings.Contains(n, "headcount is taken on its last day") {
		t.Errorf("headcount per month: notes %q", n)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#answer tbody tr").length`); n != 12 {
		t.Errorf("headcount per month in 2025: %d rows, want 12", n)
	}
	// the shifts themselves, as a table
	run(askQ("Which shifts did cashiers in Paris work last week?"), shot("06l-ask-shift-list"))
	if h := eval[string](t, ctx, `document.querySelector("#answer thead").textContent`); !strings.Contains(h, "Start time") || !strings.Contains(h, "End time") {
		t.Errorf("a list of shifts: header %q", h)
	}
	// "did … work": the shifts worked, not the plan
	if n, body := eval[int](t, ctx, `document.querySelectorAll("#answer tbody tr").length`), eval[string](t, ctx, `document.querySelector("#answer tbody").textContent`); n < 5 || strings.Contains(body, "planned") {
		t.Errorf("the cashiers' shifts in Paris last week: %d rows, %q", n, body)
	}
	// the median; absences in every month they overlap
	run(askQ("Median hourly wage by department"), shot("06m-ask-median"))
	if c := eval[string](t, ctx, `document.querySelector("#answer caption").textContent`); !strings.Contains(c, "Median hourly wage by department") {
		t.Errorf("median hourly wage by department answered %q", c)
	}
	run(askQ("Number of sick leaves per month this year"), shot("06n-ask-absences-per-month"))
	if e := eval[string](t, ctx, `document.querySelector(".explain").textContent`); !strings.Contains(e, "each absence in every month it overlaps") {
		t.Errorf("how I read sick leaves per month: %q", e)
	}
	run(chromedp.EmulateViewport(375, 800),
		askQ("Give me the gender parity"), shot("07-ask-mobile-pie"),
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(ts.URL+"/admin/users"), chromedp.WaitVisible(css("table")), shot("08-admin-users"),
		chromedp.Navigate(ts.URL+"/admin/import"), chromedp.WaitVisible(css("#employees")), shot("09-admin-import"),
		chromedp.Click(css(".signout button")), chromedp.WaitVisible(css("#tenant")))
	url := eval[string](t, ctx, `location.href`)
	if rows != 7 || bars < 7 || !strings.Contains(caption, "Employees by department") {
		t.Fatalf("headcount by department: %d rows, %d svg rects, caption %q", rows, bars, caption)
	}
	if !strings.Contains(explain, "every employee of this organisation") {
		t.Fatalf("how I read this: %q", explain)
	}
	if !strings.HasSuffix(url, "/signin") {
		t.Fatalf("after sign out at %s", url)
	}
	// Signed out: the ask page sends us back to sign in.
	run(chromedp.Navigate(ts.URL+"/ask?q=Headcount"), chromedp.WaitVisible(css("#tenant")))

	// The manager sees exactly the team.
	run(signIn("nora.david@acme-retail.example"), askQ("List all employees"), shot("10-manager-team"))
	names := eval[[]string](t, ctx, `[...document.querySelectorAll("#answer tbody tr td:nth-child(2)")].map(td => td.textContent)`)
	run(chromedp.Navigate(ts.URL + "/admin/users"))
	forbidden := eval[bool](t, ctx, `document.body.innerText.includes("may not open")`)
	if len(names) != len(mgrAns.Rows) || len(names) == 0 {
		t.Fatalf("manager sees %d people, the team has %d", len(names), len(mgrAns.Rows))
	}
	if !forbidden {
		t.Fatal("manager opened the admin users page")
	}
}

// TestBrowserPortalJourney: the invited worker's first sign-in in a real
// browser — temporary password, new password, TOTP enrollment, portal —
// with a screenshot of each step.
func TestBrowserPortalJourney(t *testing.T) {
	ctx := browser(t)
	f := setupPortal(t, nil, nil)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	run := func(steps ...step) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatal(err)
		}
	}
	email := "ana.reviewer@acme-retail.example"
	run(chromedp.Navigate(f.ts.URL+"/t/acme-retail/portal"), chromedp.WaitVisible(css("#email")), shot("portal-1-signin"),
		typed("#email", email), typed("#password", f.invites[email]),
		chromedp.Submit(css("#password")), chromedp.WaitVisible(css("#new")), shot("portal-2-new-password"),
		typed("#new", "violet-harbour-lantern-42"), typed("#confirm", "violet-harbour-lantern-42"),
		chromedp.Submit(css("#confirm")), chromedp.WaitVisible(css("#secret")), shot("portal-3-totp"))
	secret := eval[string](t, ctx, `document.getElementById("secret").textContent`)
	code, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	run(typed("#code", code), chromedp.Submit(css("#code")), chromedp.WaitVisible(css("#teams")), shot("portal-4-home"))
	teams := eval[string](t, ctx, `document.getElementById("teams").textContent`)
	if !strings.Contains(teams, "video-reviewers") {
		t.Fatalf("portal teams: %q", teams)
	}
}
