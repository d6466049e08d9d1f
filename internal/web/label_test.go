package web

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"github.com/scry-dev/scry/internal/detect"
	"github.com/scry-dev/scry/internal/labeling"
	"github.com/scry-dev/scry/internal/media"
	"github.com/scry-dev/scry/internal/media/mediatest"
	"github.com/scry-dev/scry/internal/objstore"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
	"github.com/scry-dev/scry/internal/testwait"
	"github.com/scry-dev/scry/internal/video"
	"github.com/scry-dev/scry/internal/workforce"
)

const newPassword = "violet-harbour-lantern-42"

// memberClient signs a member in over HTTP through the whole first visit:
// temporary password, a password of their own, TOTP enrollment.
func memberClient(t *testing.T, f *portalFixture, email string) *http.Client {
	t.Helper()
	c := client(t, "")
	base := f.ts.URL + "/t/acme-retail/portal"
	post(t, c, base+"/signin", url.Values{"email": {email}, "password": {f.invites[email]}})
	_, _, body := post(t, c, base+"/step", url.Values{"new": {newPassword}, "confirm": {newPassword}})
	m := reSecret.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("%s: no TOTP enrollment page", email)
	}
	code, _ := totp.GenerateCode(m[1], time.Now())
	if status, path, _ := post(t, c, base+"/step", url.Values{"code": {code}}); status != 200 || !strings.HasSuffix(path, "/portal") {
		t.Fatalf("%s: sign-in ended at %d %s", email, status, path)
	}
	return c
}

// portalCall sends a JSON request to the worker API and decodes the answer.
func portalCall(t *testing.T, c *http.Client, f *portalFixture, method, path string, body any, out any) int {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = strings.NewReader(string(b))
	}
	req, _ := http.NewRequest(method, f.ts.URL+"/t/acme-retail/portal/api"+path, r)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode
}

// analysedVideo generates a clip (a red square, and a thin blue L whose box
// it fills poorly, so the built-in detector is unsure of it: 0.56), adds it
// and analyses it through a river job.
func analysedVideo(t *testing.T, f *portalFixture) (video.Video, video.Analysis) {
	t.Helper()
	ctx := context.Background()
	clip := filepath.Join(t.TempDir(), "shelf.mp4")
	mediatest.FFmpeg(t, "-f", "lavfi", "-i", "color=c=gray:s=640x360:r=25:d=2", "-f", "lavfi", "-i", "color=c=red:s=80x80:r=25:d=2",
		"-f", "lavfi", "-i", "color=c=blue:s=120x8:r=25:d=2", "-f", "lavfi", "-i", "color=c=blue:s=8x120:r=25:d=2",
		"-filter_complex", "[0][1]overlay=x=100:y=100[a];[a][2]overlay=x=400:y=232[b];[b][3]overlay=x=400:y=120,format=yuv420p", clip)
	v, _, err := video.Add(ctx, storetest.Actor(f.db, f.tenant, "t"), objstore.NewFolder(f.dataDir), clip, media.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	jobs := analysisWorker(t, f)
	var id int64
	err = f.db.InTenant(ctx, f.tenant.ID, func(tx *store.Tx) error {
		id, err = video.Queue(ctx, tx, jobs, objstore.NewFolder(f.dataDir), video.Request{Video: v, Prompt: "Detect the red box and the blue shape", Actor: "t",
			Options: video.JobOptions{FPS: 1, MinConfidence: 0.3, Setup: detect.Setup{Detector: "builtin"}}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var a video.Analysis
	testwait.Eventually(t, 3*time.Minute, func() error {
		if a, err = video.GetAnalysis(ctx, f.db, f.tenant.ID, id); err != nil {
			t.Fatal(err)
		}
		switch a.Status {
		case "done":
			return nil
		case "failed":
			t.Fatalf("analysis failed: %s", a.Error)
		}
		return fmt.Errorf("the analysis is %s", a.Status)
	})
	return v, a
}

// noTaskWaiting is the portal page saying the worker's queue is empty.
const noTaskWaiting = `document.getElementById("status").textContent.includes("No task is waiting")`

// void runs an action for its effect only.
func void[T any](a chromedp.Action[T]) step {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := a(ctx, tg)
		return chromedp.Void{}, err
	}
}

func lbox(x, y, w, h int, label string) labeling.Box {
	return labeling.Box{X: x, Y: y, W: w, H: h, Label: label}
}

// TestLabelReviewEndToEnd: a generated video is analysed; a review job
// takes its detections under 0.6 with 3 workers per item; two workers
// answer over HTTP, the third in headless Chromium, drawing a box with the
// mouse; the last answer consolidates the items and writes the reviewed
// boxes onto the analysis; the COCO export is valid.
func TestLabelReviewEndToEnd(t *testing.T) {
	bctx := browser(t)
	cy := "cy.third@acme-retail.example"
	f := setupPortal(t, nil, nil, workforce.Member{Email: cy, Name: "Cy Third", Teams: []string{"video-reviewers"}})
	ctx := context.Background()
	v, a := analysedVideo(t, f)
	var res detect.Result
	json.Unmarshal(a.Result, &res)
	var job labeling.Job
	err := f.db.InTenant(ctx, f.tenant.ID, func(tx *store.Tx) error {
		var err error
		job, err = labeling.Create(ctx, tx, labeling.Spec{Kind: labeling.KindAdjust, VideoID: v.ID, AnalysisID: a.ID, Team: "video-reviewers",
			WorkersPerItem: 3, TimeLimit: 10 * time.Minute, Lifetime: time.Hour, IoU: 0.5, Below: 0.6,
			Instructions: "# Check every box\n- Fix boxes that are **off**\n- Draw what the machine missed"}, v, &res, "t")
		return err
	})
	if err != nil || job.Items != 2 {
		t.Fatalf("job: %v, %d items (frames %d)", err, job.Items, len(res.Frames))
	}
	red, shape, missed := lbox(100, 100, 80, 80, "box"), lbox(400, 120, 120, 120, "shape"), lbox(250, 250, 80, 60, "box")
	answers := map[string]map[int][]labeling.Box{
		"ana.reviewer@acme-retail.example": {0: {red, shape, missed}, 25: {red, shape}},
		"bo.checker@acme-retail.example":   {0: {red, shape}, 25: {red, shape}},
	}
	for email, byFrame := range answers {
		c := memberClient(t, f, email)
		for range 2 {
			var got struct{ Task *taskView }
			if code := portalCall(t, c, f, "POST", "/take", nil, &got); code != 200 || got.Task == nil {
				t.Fatalf("%s take: %d", email, code)
			}
			task := got.Task
			if task.Width != 640 || len(task.Machine[task.Frames[0]]) != 2 || !strings.Contains(string(task.InstructionsHTML), "<strong>off</strong>") {
				t.Fatalf("task as served: %+v", task)
			}
			resp, err := c.Get(fmt.Sprintf("%s/t/acme-retail/portal/api/tasks/%d/frames/%d", f.ts.URL, task.ID, task.Frames[0]))
			if err != nil || resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/jpeg" {
				t.Fatalf("frame: %v %v", err, resp)
			}
			resp.Body.Close()
			frame := task.Frames[0]
			if code := portalCall(t, c, f, "PUT", fmt.Sprintf("/tasks/%d/draft", task.ID), map[string]any{"draft": map[string]any{"frames": byFrame}, "active_ms": 2000}, nil); code != 204 {
				t.Fatalf("draft: %d", code)
			}
			var r labeling.SubmitResult
			if code := portalCall(t, c, f, "POST", fmt.Sprintf("/tasks/%d/submit", task.ID),
				map[string]any{"answer": labeling.Answer{Frames: map[int][]labeling.Box{frame: byFrame[frame]}}, "active_ms": 4000}, &r); code != 200 || r.ItemDone {
				t.Fatalf("%s submit frame %d: %d %+v", email, frame, code, r)
			}
		}
	}
	// The third worker, in the browser.
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	run := func(steps ...step) {
		t.Helper()
		if err := chromedp.Do(bctx, steps...); err != nil {
			t.Fatal(err)
		}
	}
	run(chromedp.Navigate(f.ts.URL+"/t/acme-retail/portal"), chromedp.WaitVisible(css("#email")),
		typed("#email", cy), typed("#password", f.invites[cy]),
		chromedp.Submit(css("#password")), chromedp.WaitVisible(css("#new")),
		typed("#new", newPassword), typed("#confirm", newPassword),
		chromedp.Submit(css("#confirm")), chromedp.WaitVisible(css("#secret")))
	secret := eval[string](t, bctx, `document.getElementById("secret").textContent`)
	code, _ := totp.GenerateCode(secret, time.Now())
	// A task is on screen when the page has loaded its frames and boxes:
	// label.js shows #work only at the end of load().
	taskShown := func(frame int) string {
		return fmt.Sprintf(`(() => { const s = scryLabel.state(); return !!(s.task && s.task.frames[0] === %d && !document.getElementById("work").hidden); })()`, frame)
	}
	run(typed("#code", code), chromedp.Submit(css("#code")), chromedp.WaitVisible(css("#start")),
		chromedp.Click(css("#start")), chromedp.WaitVisible(css("#work")))
	waitJS(t, bctx, taskShown(0))
	if n := eval[int](t, bctx, `scryLabel.state().boxes[0].length`); n != 2 {
		t.Fatalf("machine boxes pre-drawn: %d", n)
	}
	from := eval[map[string]float64](t, bctx, `scryLabel.clientOf(250, 250)`)
	to := eval[map[string]float64](t, bctx, `scryLabel.clientOf(330, 310)`)
	run(chromedp.DragAndDropXY(from["x"], from["y"], to["x"], to["y"], 12), shot("label-1-drawn"))
	drawn := eval[map[string]float64](t, bctx, `(() => { const b = scryLabel.state().boxes[0][2]; return {x: b.x, y: b.y, w: b.w, h: b.h}; })()`)
	if detect.IoU(detect.Box{X: int(drawn["x"]), Y: int(drawn["y"]), W: int(drawn["w"]), H: int(drawn["h"])}, detect.Box{X: 250, Y: 250, W: 80, H: 60}) < 0.9 {
		t.Fatalf("the box drawn with the mouse: %v", drawn)
	}
	// Undo (Ctrl+Z, or the button) takes the drawn box away; redo (Ctrl+Shift+Z) brings it back.
	key := func(shift bool) string {
		return fmt.Sprintf(`document.getElementById("stage").dispatchEvent(new KeyboardEvent("keydown", {key: "z", ctrlKey: true, shiftKey: %v, bubbles: true}))`, shift)
	}
	boxesOn0 := `scryLabel.state().boxes[0].length`
	eval[bool](t, bctx, key(false))
	if n := eval[int](t, bctx, boxesOn0); n != 2 {
		t.Errorf("after Ctrl+Z: %d boxes", n)
	}
	eval[bool](t, bctx, key(true))
	if n := eval[int](t, bctx, boxesOn0); n != 3 {
		t.Errorf("after Ctrl+Shift+Z: %d boxes", n)
	}
	run(chromedp.Click(css("#undo")), waitFor(boxesOn0+` === 2`), chromedp.Click(css("#redo")), waitFor(boxesOn0+` === 3`))
	if pos := eval[string](t, bctx, `document.getElementById("frame-pos").textContent`); !strings.HasPrefix(pos, "frame 1 of ") {
		t.Errorf("frame counter: %q", pos)
	}
	// The next frame is context (half a second later): it shows, but takes no box.
	run(chromedp.Click(css("#next")), chromedp.DragAndDropXY(from["x"], from["y"], to["x"], to["y"], 12), shot("label-1b-context"))
	if pos := eval[string](t, bctx, `document.getElementById("frame-pos").textContent`); !strings.Contains(pos, "frame 13") || !strings.Contains(pos, "view only") {
		t.Errorf("context frame: %q", pos)
	}
	if n := eval[int](t, bctx, `(scryLabel.state().boxes[13] || []).length`); n != 0 {
		t.Errorf("a box was drawn on a context frame")
	}
	run(chromedp.Click(css("#prev")))
	// Autosave, then a reload restores the drawn box.
	run(void(chromedp.Evaluate[any](`scryLabel.save()`, chromedp.EvalAwaitPromise)), chromedp.Reload(), chromedp.WaitVisible(css("#work")))
	waitJS(t, bctx, taskShown(0))
	if n := eval[int](t, bctx, `scryLabel.state().boxes[0].length`); n != 3 {
		t.Fatalf("boxes after a reload: %d", n)
	}
	run(chromedp.Click(css("#submit")))
	waitJS(t, bctx, taskShown(25))
	run(shot("label-2-next-frame"), chromedp.Click(css("#submit")))
	waitJS(t, bctx, noTaskWaiting)
	// The analysis now carries the reviewed boxes.
	a, err = video.GetAnalysis(ctx, f.db, f.tenant.ID, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	var after detect.Result
	json.Unmarshal(a.Result, &after)
	reviews := map[string]int{}
	for _, fr := range after.Frames {
		for _, d := range fr.Detections {
			if !d.ReviewedByHuman {
				t.Errorf("frame %d: %s not reviewed", fr.FrameIndex, d.Label)
			}
			reviews[d.Review]++
			if d.Review == "added" && (fr.FrameIndex != 0 || d.Confidence != 0.667 || d.MachineConfidence != nil) {
				t.Errorf("added box: %+v", d)
			}
			if d.Label == "shape" && (d.MachineConfidence == nil || *d.MachineConfidence != 0.563 || d.Confidence != 1) {
				t.Errorf("shape after review: %+v", d)
			}
		}
	}
	if reviews["added"] != 1 || reviews["accepted"] != 4 {
		t.Errorf("reviews: %v", reviews)
	}
	var done labeling.Job
	f.db.ReadTenant(ctx, f.tenant.ID, func(tx *store.Tx) error { done, err = labeling.GetJob(ctx, tx, job.ID); return err })
	export, err := labeling.ExportJob(ctx, f.db, objstore.NewFolder(f.dataDir), f.tenant.ID, job.ID, "coco", false)
	if err != nil {
		t.Fatal(err)
	}
	b := export.Document
	var coco struct {
		Images []struct {
			ID            int
			FileName      string `json:"file_name"`
			Width, Height int
		}
		Annotations []struct {
			ImageID    int `json:"image_id"`
			CategoryID int `json:"category_id"`
			BBox       []float64
		}
		Categories []struct {
			ID   int
			Name string
		}
	}
	if err := json.Unmarshal(b, &coco); err != nil || done.Status != "done" || len(coco.Images) != 2 || len(coco.Annotations) != 5 || len(coco.Categories) != 2 {
		t.Fatalf("COCO: %v %s", err, b)
	}
	for _, an := range coco.Annotations {
		if len(an.BBox) != 4 || an.BBox[0] < 0 || an.BBox[1] < 0 || an.BBox[0]+an.BBox[2] > 640 || an.BBox[1]+an.BBox[3] > 360 || an.ImageID < 1 || an.ImageID > 2 || an.CategoryID < 1 || an.CategoryID > 2 {
			t.Errorf("annotation out of bounds: %+v", an)
		}
	}
	// The owner follows the job on the admin page and makes the next one there.
	run(chromedp.EmulateViewport(1366, 900), ownerSignIn(t, f), chromedp.Navigate(fmt.Sprintf("%s/admin/labeling/%d", f.ts.URL, job.ID)), chromedp.WaitVisible(css("#workers")),
		waitFor(`[...document.querySelectorAll("#items img")].every(i => i.complete && i.naturalWidth === 640)`), shot("label-3-admin-job"),
		chromedp.EmulateViewport(375, 800), shot("label-3-admin-job-375"), chromedp.EmulateViewport(1366, 900))
	// Each item previewed: its frame with the machine's boxes, and the
	// result people made, named and timed.
	items := eval[[]string](t, bctx, `[...document.querySelectorAll("#items .item")].map(i => i.querySelectorAll(".box.machine").length + "|" + i.querySelectorAll(".result .box").length + "|" + i.querySelector(".note").textContent)`)
	if len(items) != 2 || !regexp.MustCompile(`^[1-9]\|[2-9]\|Item \d+ · 0:00\.0 · frame 0 · `).MatchString(items[0]) || !regexp.MustCompile(`^[1-9]\|[2-9]\|Item \d+ · 0:01\.0 · frame 25 · `).MatchString(items[1]) {
		t.Errorf("item previews: %q", items)
	}
	if names := eval[string](t, bctx, `[...document.querySelectorAll("#items .boxlabel")].map(b => b.textContent).join(",")`); !strings.Contains(names, "box") || !strings.Contains(names, "shape") {
		t.Errorf("item preview labels: %q", names)
	}
	// The same export through the JSON API: YOLO comes as a zip archive.
	b64, err := chromedp.Run(bctx, chromedp.Evaluate[string](fmt.Sprintf(`fetch("/api/v1/label/jobs/%d/export?format=yolo").then(r => r.arrayBuffer()).then(b => btoa(String.fromCharCode(...new Uint8Array(b))))`, job.ID), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	zipped, _ := base64.StdEncoding.DecodeString(b64)
	zr, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	if err != nil {
		t.Fatalf("yolo export is not a zip archive: %v", err)
	}
	var names []string
	for _, zf := range zr.File {
		names = append(names, zf.Name)
	}
	if !slices.Contains(names, "classes.txt") || !slices.Contains(names, "labels/frame_000000.txt") || len(names) != 3 {
		t.Errorf("yolo archive holds %v", names)
	}
	if rows := eval[int](t, bctx, `document.querySelectorAll("#workers tbody tr").length`); rows != 3 {
		t.Errorf("per-worker rows on the admin page: %d", rows)
	}
	// The videos page shows the reviewed analysis with its frames drawn.
	run(chromedp.Navigate(f.ts.URL+"/admin/videos"), chromedp.WaitVisible(css("#videos")),
		chromedp.Click(css(`#videos a`)), chromedp.WaitVisible(css("#presence")))
	loaded := `Array.from(document.querySelectorAll(".frames img")).filter(i => i.complete && i.naturalWidth === 640).length`
	waitJS(t, bctx, loaded+" >= 2")
	run(shot("see-1-analysis"))
	if n := eval[int](t, bctx, loaded); n != 2 {
		t.Errorf("drawn frames loaded on the analysis page: %d", n)
	}
	if p := eval[string](t, bctx, `document.getElementById("presence").textContent`); !strings.Contains(p, "blue shape") || !strings.Contains(p, "yes") {
		t.Errorf("presence table: %q", p)
	}
	run(chromedp.Navigate(fmt.Sprintf("%s/admin/labeling/%d", f.ts.URL, job.ID)), chromedp.WaitVisible(css("#kind")),
		chromedp.SetValue(css("#kind"), "verify"), chromedp.SetValue(css("#analysis"), fmt.Sprint(a.ID)),
		chromedp.SetValue(css("#team"), "video-reviewers"),
		chromedp.SetValue(css("#workers-per-item"), "1"), chromedp.SetValue(css("#sample"), "1"),
		chromedp.Click(css("form.grid-form button")))
	// The form posts and redirects to the new job's page (or shows an error).
	waitJS(t, bctx, fmt.Sprintf(`location.pathname.endsWith("/%d") || !!document.querySelector(".error")`, job.ID+1))
	run(chromedp.WaitVisible(css("#jobs")), shot("label-4-admin-new-job"))
	if e := eval[string](t, bctx, `(document.querySelector(".error") || {}).textContent || ""`); e != "" {
		t.Fatalf("creating a job on the admin page: %s", e)
	}
	if h := eval[string](t, bctx, `document.getElementById("job").textContent`); !strings.Contains(h, fmt.Sprintf("Job %d", job.ID+1)) {
		t.Errorf("after creating a job on the page: %q", h)
	}
	// The verification job, in the portal: a rejection needs a reason.
	code, _ = totp.GenerateCode(secret, time.Now().Add(30*time.Second))
	run(chromedp.Navigate(f.ts.URL+"/t/acme-retail/portal/signin"), chromedp.WaitVisible(css("#email")),
		typed("#email", cy), typed("#password", newPassword), chromedp.Submit(css("#password")),
		chromedp.WaitVisible(css("#code")), typed("#code", code), chromedp.Submit(css("#code")), chromedp.WaitVisible(css("#start")),
		chromedp.Navigate(f.ts.URL+"/t/acme-retail/portal/task"), chromedp.WaitVisible(css("#verify")))
	waitJS(t, bctx, taskShown(0))
	run(shot("label-5-verify"), chromedp.Click(css("#reject")))
	if st := eval[string](t, bctx, `document.getElementById("status").textContent`); !strings.Contains(st, "Say why") {
		t.Errorf("reject without a reason: %q", st)
	}
	run(typed("#reject-reason", "the box is on the shelf edge"), chromedp.Click(css("#reject")))
	waitJS(t, bctx, taskShown(25))
	run(chromedp.Click(css("#accept")))
	waitJS(t, bctx, noTaskWaiting)
	vp, err := labeling.GetProgress(ctx, f.db, f.tenant.ID, job.ID+1)
	if vp.Job.Status != "done" || vp.ItemsDone != 2 {
		t.Fatalf("verification job: %v %+v", err, vp)
	}
	// The owner again (the portal's sign-in took the browser's session): the verdicts on the job's page.
	run(ownerSignIn(t, f), chromedp.Navigate(fmt.Sprintf("%s/admin/labeling/%d", f.ts.URL, job.ID+1)), chromedp.WaitVisible(css("#items")), shot("label-6-verified-items"))
	if v := eval[string](t, bctx, `[...document.querySelectorAll("#items .verdict")].map(v => v.textContent).join(",")`); v != "rejected,accepted" {
		t.Errorf("verdicts on the job page: %q", v)
	}
	a, _ = video.GetAnalysis(ctx, f.db, f.tenant.ID, a.ID)
	var verified detect.Result
	json.Unmarshal(a.Result, &verified)
	for _, fr := range verified.Frames {
		for _, d := range fr.Detections {
			want, conf := "accepted", 1.0
			if fr.FrameIndex == 0 {
				want, conf = "rejected", 0
			}
			if d.Review != want || d.Confidence != conf {
				t.Errorf("after verification, frame %d %s: %s at %.2f, want %s", fr.FrameIndex, d.Label, d.Review, d.Confidence, want)
			}
		}
	}
}

func jsonUnmarshal(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

func jsonBody(v any) io.Reader {
	if v == nil {
		return nil
	}
	b, _ := json.Marshal(v)
	return strings.NewReader(string(b))
}
