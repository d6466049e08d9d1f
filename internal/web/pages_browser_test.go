package web

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/riverqueue/river"

	"github.com/scry-dev/scry/internal/detect"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/labeling"
	"github.com/scry-dev/scry/internal/media/mediatest"
	"github.com/scry-dev/scry/internal/objstore"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/video"
)

// analysisWorker works f's analysis queue until the test ends, as
// `scry serve --workers 1` does; it inserts jobs too.
func analysisWorker(t *testing.T, f *portalFixture) *river.Client[*sql.Tx] {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	jobs, err := video.NewClient(f.db, &video.Worker{DB: f.db, Objects: objstore.NewFolder(f.dataDir), Log: quiet, Audit: f.log}, 1, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if err := jobs.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		jobs.Stop(ctx)
	})
	return jobs
}

// ownerSignIn makes owner@acme-retail.example an admin of f's tenant
// (once) and signs them in in the browser.
func ownerSignIn(t *testing.T, f *portalFixture) step {
	t.Helper()
	ctx := context.Background()
	err := f.db.InTenant(ctx, f.tenant.ID, func(tx *store.Tx) error {
		if _, err := identity.Add(ctx, tx, identity.User{Email: "owner@acme-retail.example", Role: identity.Admin}); err != nil {
			return err
		}
		return identity.SetPassword(ctx, tx, "owner@acme-retail.example", newPassword)
	})
	if errcode.Is(err, errcode.AlreadyExists) {
		err = nil
	}
	if err != nil {
		t.Fatal(err)
	}
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	return chromedp.Steps(chromedp.Navigate(f.ts.URL+"/signin"), chromedp.WaitVisible(css("#tenant")),
		typed("#tenant", "acme-retail"), typed("#email", "owner@acme-retail.example"),
		typed("#password", newPassword), chromedp.Submit(css("#password")), chromedp.WaitVisible(css("#q")))
}

// TestBrowserVideosUploadAndAnalyse: on /admin/videos an admin uploads a
// video and starts an analysis from the page; the page shows the upload's
// progress and the analysis's (polling its status while a worker of the
// queue runs it), then opens the analysis: frames with timestamps, boxes
// named by their phrase in text of at least 12 px, a frame enlarged in a
// dialog; the library says when each video was added in words.
func TestBrowserVideosUploadAndAnalyse(t *testing.T) {
	bctx := browser(t)
	f := setupPortal(t, nil, nil)
	worker := analysisWorker(t, f)
	clip := mediatest.Square(t, "shelf.mp4", "red", 3)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	run := func(steps ...step) { t.Helper(); browserRun(t, bctx, steps...) }
	// What the progress lines said, kept across the page's navigation.
	const watch = `(() => { sessionStorage.setItem("seen", "[]");
		for (const id of ["upload-text", "new-analysis-text"]) new MutationObserver(() => {
			const seen = JSON.parse(sessionStorage.getItem("seen")); seen.push(id + ": " + document.getElementById(id).textContent);
			sessionStorage.setItem("seen", JSON.stringify(seen)); }).observe(document.getElementById(id), { childList: true, characterData: true, subtree: true });
		return true; })()`
	run(chromedp.EmulateViewport(1366, 900), ownerSignIn(t, f), chromedp.Navigate(f.ts.URL+"/admin/videos"), chromedp.WaitVisible(css("#analyse")),
		shot("videos-1-empty-1366"), chromedp.EmulateViewport(375, 800), shot("videos-1-empty-375"), chromedp.EmulateViewport(1366, 900),
		chromedp.SetUploadFiles(css("#video-file"), []string{clip}), typed("#prompt", "Detect the red box"), chromedp.SetValue(css("#fps"), "2"),
		void(chromedp.Evaluate[bool](watch)), chromedp.Click(css("#analyse-start")),
		waitFor(`location.pathname.includes("/analyses/") && !!document.getElementById("presence")`))
	seen := eval[[]string](t, bctx, `JSON.parse(sessionStorage.getItem("seen"))`)
	all := strings.Join(seen, " | ")
	if !strings.Contains(all, "upload-text: Uploaded shelf.mp4") || !regexp.MustCompile(`new-analysis-text: (Waiting for a worker…|Analysing: \d+%|Done)`).MatchString(all) {
		t.Errorf("progress shown: %s", all)
	}
	vs, err := video.List(context.Background(), f.db, f.tenant.ID)
	if err != nil || len(vs) != 1 {
		t.Fatalf("videos after the upload: %v %d", err, len(vs))
	}
	as, _ := video.Analyses(context.Background(), f.db, f.tenant.ID, vs[0].ID)
	if len(as) != 1 || as[0].Status != "done" || as[0].CreatedBy != "user:owner@acme-retail.example" || as[0].Options.FPS != 2 {
		t.Fatalf("analyses: %+v", as)
	}
	waitJS(t, bctx, `[...document.querySelectorAll(".frames img")].length > 0 && [...document.querySelectorAll(".frames img")].every(i => i.complete && i.naturalWidth === 320)`)
	run(shot("videos-2-analysis-1366"), chromedp.EmulateViewport(375, 800), shot("videos-2-analysis-375"), chromedp.EmulateViewport(1366, 900))
	labels := eval[[]string](t, bctx, `[...document.querySelectorAll(".frames .boxlabel")].map(l => l.textContent + "|" + getComputedStyle(l).fontSize)`)
	if len(labels) == 0 {
		t.Fatal("no box labels on the frames")
	}
	for _, l := range labels {
		name, size, _ := strings.Cut(l, "|")
		px, _ := strconv.ParseFloat(strings.TrimSuffix(size, "px"), 64)
		if !strings.HasPrefix(name, "red box ") || px < 12 {
			t.Errorf("box label %q at %s", name, size)
		}
	}
	if caps := eval[[]string](t, bctx, `[...document.querySelectorAll(".frames figcaption")].map(c => c.textContent)`); !regexp.MustCompile(`^0:0\d\.\d · frame \d+ · 1 box$`).MatchString(caps[0]) {
		t.Errorf("frame captions: %q", caps)
	}
	dated := regexp.MustCompile(`^([A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d [AP]M|\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d) UTC$`)
	if added := eval[string](t, bctx, `document.querySelector("#videos tbody td:nth-child(4)").textContent`); !dated.MatchString(added) {
		t.Errorf("added: %q", added)
	}
	if facts := eval[string](t, bctx, `document.getElementById("analysis-facts").textContent`); !strings.HasPrefix(facts, "Done · 2 frames analysed a second · started by user:owner@acme-retail.example on ") {
		t.Errorf("analysis facts: %q", facts)
	}
	// A frame opens large; its labels stay the same readable size.
	thumb := eval[float64](t, bctx, `document.querySelector(".frames img").getBoundingClientRect().width`)
	run(chromedp.Click(css(".frames .enlarge")), waitFor(`document.getElementById("enlarged").open`), shot("videos-3-enlarged-1366"))
	if big := eval[float64](t, bctx, `document.querySelector("#enlarged img").getBoundingClientRect().width`); big < 2*thumb {
		t.Errorf("the enlarged frame is %v px wide, the thumbnail %v", big, thumb)
	}
	if l := eval[string](t, bctx, `getComputedStyle(document.querySelector("#enlarged .boxlabel")).fontSize`); l != "13px" {
		t.Errorf("enlarged label size %s", l)
	}
	run(chromedp.EmulateViewport(375, 800), shot("videos-3-enlarged-375"), chromedp.Click(css("#enlarged-close")), waitFor(`!document.getElementById("enlarged").open`),
		chromedp.EmulateViewport(1366, 900))
	// A second analysis of the video in the library (no upload) while no
	// worker runs: the page says it waits, and goes on when one starts.
	stop, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := worker.Stop(stop); err != nil {
		t.Fatal(err)
	}
	run(chromedp.Navigate(f.ts.URL+"/admin/videos"), chromedp.WaitVisible(css("#analyse")),
		chromedp.SetValue(css("#video-choice"), vs[0].ID), waitFor(`document.getElementById("file-row").hidden`),
		typed("#prompt", "Detect the blue box"), chromedp.Click(css("#analyse-start")),
		waitFor(`document.getElementById("new-analysis-text").textContent === "Waiting for a worker…" && document.getElementById("upload-text").textContent === "already in the library"`),
		shot("videos-4-waiting-1366"))
	analysisWorker(t, f)
	run(waitFor(`location.pathname.includes("/analyses/") && !!document.getElementById("presence")`))
	if as, _ = video.Analyses(context.Background(), f.db, f.tenant.ID, vs[0].ID); len(as) != 2 || as[0].Prompt != "Detect the blue box" {
		t.Errorf("second analysis: %+v", as)
	}
}

// TestBrowserEditorPaletteObjectsPhone: the portal editor shows its labels
// as a palette with colours and keys (a key chooses, as a click does); the
// object list hides a box, accepts one and rejects another (a rejected box
// is not handed in); nothing moves the frame; the saved time and the
// thank-you belong to their task; on a phone the frame is as wide as the
// screen and Submit is on screen without scrolling.
func TestBrowserEditorPaletteObjectsPhone(t *testing.T) {
	bctx := browser(t)
	f := setupPortal(t, nil, nil)
	ctx := context.Background()
	v, a := analysedVideo(t, f)
	var res detect.Result
	json.Unmarshal(a.Result, &res)
	err := f.db.InTenant(ctx, f.tenant.ID, func(tx *store.Tx) error {
		_, err := labeling.Create(ctx, tx, labeling.Spec{Kind: labeling.KindAdjust, VideoID: v.ID, AnalysisID: a.ID, Team: "video-reviewers",
			WorkersPerItem: 1, TimeLimit: 10 * time.Minute, Lifetime: time.Hour, IoU: 0.5, Below: 0.6}, v, &res, "t")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	portalSignInBrowser(t, bctx, f, "ana.reviewer@acme-retail.example")
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	run := func(steps ...step) { t.Helper(); browserRun(t, bctx, steps...) }
	taskID := `((scryLabel.state().task || {}).id || 0)`
	run(chromedp.EmulateViewport(1366, 900), chromedp.Click(css("#start")), chromedp.WaitVisible(css("#work")),
		waitFor(taskID+` > 0 && document.activeElement === document.getElementById("stage")`), shot("editor-1-1366"))
	first := eval[int](t, bctx, taskID)
	top := `document.getElementById("stage").getBoundingClientRect().top`
	top0 := eval[float64](t, bctx, top)
	// The palette: a button a label, its key and colour on screen.
	pal := eval[[]string](t, bctx, `[...document.querySelectorAll("#palette button")].map(b => b.querySelector("kbd").textContent + "|" + b.querySelector(".name").textContent + "|" + getComputedStyle(b.querySelector(".swatch")).backgroundColor + "|" + b.getAttribute("aria-checked"))`)
	labels := eval[[]string](t, bctx, `scryLabel.state().task.labels.map(l => l.name)`)
	if len(pal) != len(labels) || len(pal) < 2 || !strings.HasPrefix(pal[0], "1|"+labels[0]+"|rgb(") || !strings.HasSuffix(pal[0], "|true") || !strings.HasPrefix(pal[1], "2|"+labels[1]+"|rgb(") {
		t.Fatalf("palette %q for labels %q", pal, labels)
	}
	run(chromedp.KeyEvent("2"), waitFor(fmt.Sprintf(`scryLabel.state().current === %q && document.querySelector('#palette button[data-label=%q]').getAttribute("aria-checked") === "true"`, labels[1], labels[1])))
	run(chromedp.Click(css(`#palette button[data-label="`+labels[0]+`"]`)), waitFor(fmt.Sprintf(`scryLabel.state().current === %q`, labels[0])))
	// The object list: one row a box of the frame.
	frame := eval[int](t, bctx, `scryLabel.state().task.frames[0]`)
	boxes := fmt.Sprintf(`scryLabel.state().boxes[%d]`, frame)
	n := eval[int](t, bctx, boxes+`.length`)
	if rows := eval[int](t, bctx, `document.querySelectorAll("#boxes li button.obj-name").length`); n < 2 || rows != n {
		t.Fatalf("%d boxes, %d rows in the object list", n, rows)
	}
	run(chromedp.Click(css(`#boxes li:nth-child(1) .obj-reject`)), waitFor(boxes+`[0].rejected && document.querySelector("#boxes li:nth-child(1)").classList.contains("rejected")`),
		chromedp.Click(css(`#boxes li:nth-child(2) .obj-accept`)), waitFor(boxes+`[1].accepted`),
		chromedp.Click(css(`#boxes li:nth-child(2) .obj-hide`)), waitFor(boxes+`[1].hidden && document.querySelector("#boxes li:nth-child(2) .obj-hide").textContent === "Show"`),
		shot("editor-2-reviewed-1366"))
	// Undo takes back the hiding's neighbour step, the accept; redo puts it back.
	run(chromedp.Click(css("#undo")), waitFor(`!`+boxes+`[1].accepted`), chromedp.Click(css("#redo")), waitFor(boxes+`[1].accepted`))
	run(void(chromedp.Evaluate[any](`scryLabel.save()`, chromedp.EvalAwaitPromise)), waitFor(fmt.Sprintf(`document.getElementById("saved").textContent.startsWith("Task %d: draft saved at ")`, first)))
	// Nothing above the frame moves it: another frame, a selection, a label.
	run(chromedp.Click(css("#next")), waitFor(`scryLabel.state().pos > 0`), chromedp.Click(css("#prev")))
	if got := eval[float64](t, bctx, top); got != top0 {
		t.Errorf("the frame moved from %v to %v px", top0, got)
	}
	run(chromedp.Click(css("#submit")), waitFor(fmt.Sprintf(`%s > 0 && %s !== %d && document.activeElement === document.getElementById("stage")`, taskID, taskID, first)), shot("editor-3-next-task-1366"))
	if th := eval[string](t, bctx, `document.getElementById("thanks").textContent`); th != fmt.Sprintf("Task %d submitted — thank you.", first) {
		t.Errorf("thank-you: %q", th)
	}
	if s := eval[string](t, bctx, `document.getElementById("saved").textContent`); s != "" {
		t.Errorf("the next task shows the last one's saved time: %q", s)
	}
	var answer labeling.Answer
	f.db.ReadTenant(ctx, f.tenant.ID, func(tx *store.Tx) error {
		var body string
		if err := tx.QueryRowContext(ctx, `select answer from label_tasks where tenant_id = $1 and id = $2`, f.tenant.ID, first).Scan(&body); err != nil {
			return err
		}
		return json.Unmarshal([]byte(body), &answer)
	})
	if len(answer.Frames[frame]) != n-1 {
		t.Errorf("handed in %d boxes on frame %d of %d, one rejected: %+v", len(answer.Frames[frame]), frame, n, answer)
	}
	// A phone: the frame fills the width, Submit is on screen.
	run(chromedp.EmulateViewport(375, 800), waitFor(`innerWidth === 375 && Math.abs(document.getElementById("stage").getBoundingClientRect().width - 375) < 1`), shot("editor-4-phone-375"))
	left := eval[float64](t, bctx, `scryLabel.clientOf(0, 0).x`)
	right := eval[float64](t, bctx, `scryLabel.clientOf(scryLabel.state().task.width, 0).x`)
	if left > 1 || right < 374 {
		t.Errorf("on a phone the frame spans %v–%v px of 375", left, right)
	}
	if ok := eval[bool](t, bctx, `(() => { const r = document.getElementById("submit").getBoundingClientRect();
		return r.top >= 0 && r.bottom <= innerHeight && document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === document.getElementById("submit"); })()`); !ok {
		t.Error("on a phone Submit is not on screen")
	}
}

// TestDatesInReadersLanguage: pages write dates as the reader's language
// does (Accept-Language), UTC named; an unknown language gets the default.
func TestDatesInReadersLanguage(t *testing.T) {
	at := time.Date(2026, 12, 2, 17, 5, 0, 0, time.UTC)
	for header, want := range map[string]string{
		"":                           "2 Dec 2026, 17:05 UTC",
		"en-GB,en;q=0.9":             "2 Dec 2026, 17:05 UTC",
		"en-US,en;q=0.9":             "Dec 2, 2026, 5:05 PM UTC",
		"de-DE,de;q=0.9,en;q=0.5":    "2. Dez. 2026, 17:05 UTC",
		"fr-CH, fr;q=0.9, en;q=0.8":  "2 déc. 2026, 17:05 UTC",
		"es-419":                     "2 dic 2026, 17:05 UTC",
		"nl":                         "2 dec 2026, 17:05 UTC",
		"ja-JP":                      "2 Dec 2026, 17:05 UTC",
		"not a language header ;;;=": "2 Dec 2026, 17:05 UTC",
	} {
		r, _ := http.NewRequest("GET", "/", nil)
		r.Header.Set("Accept-Language", header)
		if got := dateStyles[readerDates(r)].style.at(at); got != want {
			t.Errorf("Accept-Language %q: %q, want %q", header, got, want)
		}
	}
	// A page: the last import, for a German and an American reader.
	f := setup(t, store.SQLite)
	admin := f.signIn(t, "alpha", "admin@alpha.example")
	if resp, out := upload(t, f, admin, map[string]string{"employees": "../hr/testdata/valid/employees.csv", "shifts": "../hr/testdata/valid/shifts.csv", "absences": "../hr/testdata/valid/absences.csv"}); resp.StatusCode != 200 {
		t.Fatalf("import: %d %v", resp.StatusCode, out)
	}
	for lang, pattern := range map[string]string{"de": `Last import: \d{1,2}\. \S+ \d{4}, \d\d:\d\d UTC by admin@alpha\.example`, "en-US": `Last import: [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d [AP]M UTC by`} {
		req, _ := http.NewRequest("GET", f.ts.URL+"/admin/import", nil)
		req.AddCookie(&http.Cookie{Name: "scry_session", Value: admin})
		req.Header.Set("Accept-Language", lang)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !regexp.MustCompile(pattern).Match(body) {
			t.Errorf("%s: the last import is not written %s: %s", lang, pattern, regexp.MustCompile(`Last import:[^<]*`).Find(body))
		}
	}
}
