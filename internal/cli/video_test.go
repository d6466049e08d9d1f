package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scry-dev/scry/internal/media/mediatest"
)

// TestVideoCommands walks the tenant workflow as a user would: add (twice,
// and a bad file), list, analyze waiting and detached, show, audit.
func TestVideoCommands(t *testing.T) {
	data := t.TempDir()
	clip := mediatest.Square(t, "shelf.mp4", "red", 3)
	if _, errs, code := run(t, data, "tenant", "create", "acme"); code != 0 {
		t.Fatalf("tenant create: %s", errs)
	}
	junk := filepath.Join(t.TempDir(), "junk.mov")
	os.WriteFile(junk, []byte("this is not a video at all, just words"), 0o600)
	if _, errs, code := run(t, data, "video", "add", "--tenant", "acme", junk); code != 2 || !strings.Contains(errs, "junk.mov") {
		t.Errorf("bad file: exit %d, %s", code, errs)
	}
	out, errs, code := run(t, data, "video", "add", "--tenant", "acme", clip, "--json")
	var added struct {
		Video   struct{ ID string }
		Existed bool
	}
	if code != 0 || json.Unmarshal([]byte(out), &added) != nil || len(added.Video.ID) != 64 || added.Existed {
		t.Fatalf("add: %d %s %s", code, out, errs)
	}
	id := added.Video.ID[:10]
	if out, _, code := run(t, data, "video", "add", "--tenant", "acme", clip); code != 0 || !strings.Contains(out, "Already in the library") {
		t.Errorf("second add: %d %s", code, out)
	}
	if out, _, _ := run(t, data, "video", "list", "--tenant", "acme"); !strings.Contains(out, "shelf.mp4") || strings.Count(out, "\n") != 1 {
		t.Errorf("list: %s", out)
	}
	// Detached: queued, not worked.
	out, _, code = run(t, data, "video", "analyze", "--tenant", "acme", id, "--prompt", "Detect the red box", "--detach", "--json")
	var queued struct {
		ID     int64
		Status string
	}
	if code != 0 || json.Unmarshal([]byte(out), &queued) != nil || queued.Status != "queued" {
		t.Fatalf("detached analyze: %d %s", code, out)
	}
	// Waiting: this process works the queue (the detached one too) with progress.
	out, errs, code = run(t, data, "video", "analyze", "--tenant", "acme", id, "--prompt", "Detect if a blue box appears", "--fps", "5")
	if code != 0 || !strings.Contains(out, "done") || !strings.Contains(out, "present=false") || !strings.Contains(errs, "100%") && !strings.Contains(errs, "%") {
		t.Fatalf("analyze: %d\n%s\n%s", code, out, errs)
	}
	out, _, _ = run(t, data, "video", "show", "--tenant", "acme", id, "--json")
	var shown struct {
		Analyses []struct {
			ID     int64
			Status string
		}
	}
	json.Unmarshal([]byte(out), &shown)
	if len(shown.Analyses) != 2 {
		t.Fatalf("show: %s", out)
	}
	for _, a := range shown.Analyses {
		if a.Status != "done" {
			t.Errorf("analysis %d is %s after a worker ran", a.ID, a.Status)
		}
	}
	out, _, code = run(t, data, "video", "show", "--tenant", "acme", id, "--analysis", jsonNum(int(queued.ID)), "--json")
	var one struct {
		Result struct {
			Presence []struct {
				Phrase  string
				Present bool
			}
		}
	}
	if code != 0 || json.Unmarshal([]byte(out), &one) != nil || len(one.Result.Presence) != 1 || !one.Result.Presence[0].Present {
		t.Errorf("show --analysis: %d %.300s", code, out)
	}
	if _, errs, code := run(t, data, "video", "analyze", "--tenant", "acme", id, "--prompt", "Detect the"); code != 2 || !strings.Contains(errs, "names nothing") {
		t.Errorf("bad prompt: exit %d %s", code, errs)
	}
	if _, errs, code := run(t, data, "video", "show", "--tenant", "acme", "ffffffffff"); code != 2 || !strings.Contains(errs, "No video") {
		t.Errorf("unknown id: exit %d %s", code, errs)
	}
	out, _, _ = run(t, data, "audit", "log", "--tenant", "acme")
	if strings.Count(out, "video.add") != 1 || strings.Count(out, "video.analyze") < 3 {
		t.Errorf("audit log:\n%s", out)
	}
	if _, _, code := run(t, data, "audit", "verify"); code != 0 {
		t.Errorf("audit verify failed")
	}
}
