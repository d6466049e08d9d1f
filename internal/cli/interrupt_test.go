package cli_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scry-dev/scry/internal/hr"
	"github.com/scry-dev/scry/internal/testwait"
)

// reading reports whether this process has file open and has read into
// it: the moment an import is under way.
func reading(file string) error {
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return err
	}
	for _, fd := range fds {
		if target, _ := os.Readlink("/proc/self/fd/" + fd.Name()); target != file {
			continue
		}
		info, _ := os.ReadFile("/proc/self/fdinfo/" + fd.Name())
		for _, l := range strings.Split(string(info), "\n") {
			if pos, ok := strings.CutPrefix(l, "pos:"); ok {
				if n, _ := strconv.Atoi(strings.TrimSpace(pos)); n > 0 {
					return nil
				}
			}
		}
	}
	return fmt.Errorf("%s is not being read", file)
}

// TestInterruptedImport: Ctrl-C while `scry import hr` reads shifts.csv
// (its context canceled) says the import was stopped and not saved, not
// that scry broke; exits 1; leaves the tenant as it was; and the audit log
// still records the attempt, as canceled.
func TestInterruptedImport(t *testing.T) {
	data, files := t.TempDir(), t.TempDir()
	if err := hr.Generate(files, 300_000, 1); err != nil {
		t.Fatal(err)
	}
	if _, errs, code := run(t, data, "tenant", "create", "acme"); code != 0 {
		t.Fatal(errs)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	shifts, _ := filepath.Abs(filepath.Join(files, "shifts.csv"))
	go func() {
		if testwait.Until(time.Minute, func() error { return reading(shifts) }) == nil {
			cancel()
		}
	}()
	_, errs, code := runCtx(t, ctx, data, "import", "hr", "--tenant", "acme", files)
	if code != 1 || !strings.Contains(errs, "Stopped before it finished (interrupted); the change it was making was not saved") || strings.Contains(errs, "internal error") {
		t.Fatalf("interrupted import: exit %d, stderr:\n%s", code, errs)
	}
	out, _, _ := run(t, data, "tenant", "show", "acme", "--json")
	var shown struct{ Employees, Shifts, Absences int }
	if err := json.Unmarshal([]byte(out), &shown); err != nil || shown.Employees+shown.Shifts+shown.Absences != 0 {
		t.Fatalf("after the interrupt the tenant holds %+v (%v)", shown, err)
	}
	out, _, _ = run(t, data, "audit", "log", "--tenant", "acme", "--json")
	var log struct {
		Records []struct{ Action, Outcome string }
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(errors.Join(err, errors.New(out)))
	}
	for _, r := range log.Records {
		if r.Action == "hr.import" {
			if r.Outcome != "canceled" {
				t.Fatalf("the interrupted import is recorded as %q", r.Outcome)
			}
			return
		}
	}
	t.Fatalf("no hr.import in the audit log:\n%s", out)
}
