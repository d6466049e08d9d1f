package cli_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scry-dev/scry/internal/labeling"
	"github.com/scry-dev/scry/internal/media/mediatest"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/tenant"
)

// TestLabelCommands: a review job made from the command line, worked
// through the library as one worker, then followed and exported.
func TestLabelCommands(t *testing.T) {
	data := t.TempDir()
	clip := mediatest.Square(t, "shelf.mp4", "red", 2)
	must := func(args ...string) string {
		t.Helper()
		out, errs, code := run(t, data, args...)
		if code != 0 {
			t.Fatalf("scry %v: exit %d\n%s%s", args, code, out, errs)
		}
		return out
	}
	must("tenant", "create", "acme-retail")
	must("workforce", "apply", "--tenant", "acme-retail", "-f", "../workforce/testdata/example.yaml")
	var added struct{ Video struct{ ID string } }
	json.Unmarshal([]byte(must("video", "add", "--tenant", "acme-retail", clip, "--json")), &added)
	vid := added.Video.ID[:12]
	var an struct{ ID int64 }
	json.Unmarshal([]byte(must("video", "analyze", "--tenant", "acme-retail", vid, "--prompt", "Detect the red box", "--fps", "1", "--json")), &an)
	// Refusals name the field.
	for args, want := range map[string]string{
		"--kind adjust --team video-reviewers":                                            "--analysis",
		"--kind boxes --team video-reviewers --every 1s":                                  "--labels",
		"--kind boxes --team nobody --every 1s --labels car":                              "no work team",
		"--kind boxes --team video-reviewers --labels car":                                "--every",
		"--kind verify --team video-reviewers --analysis 999":                             "No analysis 999",
		"--kind boxes --team video-reviewers --every 1s --labels a --workers-per-item 12": "between 1 and 9",
	} {
		_, errs, code := run(t, data, append([]string{"label", "job", "create", "--tenant", "acme-retail", "--video", vid}, strings.Fields(args)...)...)
		if code != 2 || !strings.Contains(errs, want) {
			t.Errorf("create %s: exit %d %q, want %q", args, code, errs, want)
		}
	}
	// Every analysed frame (2) has a box at 0.99: --sample 1 takes them all.
	var job labeling.Job
	json.Unmarshal([]byte(must("label", "job", "create", "--tenant", "acme-retail", "--video", vid, "--analysis", jsonNum(int(an.ID)),
		"--kind", "adjust", "--sample", "1", "--team", "video-reviewers", "--json")), &job)
	if job.Items != 2 || len(job.Labels) != 1 {
		t.Fatalf("job: %+v", job)
	}
	if out := must("label", "job", "list", "--tenant", "acme-retail"); !strings.Contains(out, "adjust") {
		t.Errorf("list: %s", out)
	}
	// One worker answers both items: the first as the machine had it, the second moved.
	ctx := context.Background()
	db, err := store.Open(ctx, store.Config{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	tn, _ := tenant.Get(ctx, db, "acme-retail")
	var worker int64
	err = db.ReadTenant(ctx, tn.ID, func(tx *store.Tx) error {
		return tx.QueryRowContext(ctx, `select id from users where tenant_id = $1 and email = 'ana.reviewer@acme-retail.example'`, tn.ID).Scan(&worker)
	})
	for i := range 2 {
		if err != nil {
			break
		}
		task, terr := labeling.Take(ctx, db, tn.ID, worker)
		if terr != nil || task == nil {
			t.Fatalf("take: %v %v", terr, task)
		}
		f := task.Frames[0]
		b := task.Machine[f][0]
		b.X += 10 * i
		_, err = labeling.Submit(ctx, db, tn.ID, worker, task.ID, labeling.Answer{Frames: map[int][]labeling.Box{f: {{X: b.X, Y: b.Y, W: b.W, H: b.H, Label: b.Label}}}}, 1000)
	}
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	id := jsonNum(int(job.ID))
	if out := must("label", "job", "show", "--tenant", "acme-retail", id); !strings.Contains(out, "2 of 2 items done") || !strings.Contains(out, "ana.reviewer") {
		t.Errorf("show: %s", out)
	}
	dir := t.TempDir()
	must("label", "export", "--tenant", "acme-retail", id, "--format", "coco", "--out", filepath.Join(dir, "coco.json"), "--images")
	var coco labeling.COCO
	b, _ := os.ReadFile(filepath.Join(dir, "coco.json"))
	if json.Unmarshal(b, &coco) != nil || len(coco.Images) != 2 || len(coco.Annotations) != 2 || coco.Annotations[1].BBox[0] != 50 {
		t.Errorf("coco: %s", b)
	}
	if _, err := os.Stat(filepath.Join(dir, "images", coco.Images[0].FileName)); err != nil {
		t.Errorf("frame image: %v", err)
	}
	must("label", "export", "--tenant", "acme-retail", id, "--format", "yolo", "--out", filepath.Join(dir, "yolo"))
	classes, _ := os.ReadFile(filepath.Join(dir, "yolo", "classes.txt"))
	lines, _ := os.ReadFile(filepath.Join(dir, "yolo", "labels", "frame_000000.txt"))
	// the box at (40, 50) 60×60 in 320×180: centre (70, 80)
	if string(classes) != "box\n" || string(lines) != "0 0.218750 0.444444 0.187500 0.333333\n" {
		t.Errorf("yolo: %q %q", classes, lines)
	}
	must("label", "export", "--tenant", "acme-retail", id, "--format", "analysis", "--out", filepath.Join(dir, "analysis.json"))
	b, _ = os.ReadFile(filepath.Join(dir, "analysis.json"))
	if !strings.Contains(string(b), `"reviewed_by_human":true`) || !strings.Contains(string(b), `"review":"adjusted"`) {
		t.Errorf("analysis export: %.400s", b)
	}
}
