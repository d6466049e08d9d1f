package cli_test

import (
	"encoding/json"
	"testing"
)

// TestWorkforcePlanApply: plan says what apply would change (exit 2) and
// from which state; applying that plan makes it so; planning again finds
// nothing to change (exit 0); a plan made before the apply is refused.
func TestWorkforcePlanApply(t *testing.T) {
	data := t.TempDir()
	if out, errs, code := run(t, data, "tenant", "create", "acme-retail"); code != 0 {
		t.Fatalf("tenant: %s %s", out, errs)
	}
	file, plan := "../workforce/testdata/example.yaml", t.TempDir()+"/plan.json"
	out, errs, code := run(t, data, "workforce", "plan", "--tenant", "acme-retail", "-f", file, "--out", plan, "--json")
	var p struct {
		Base    string
		Changes []map[string]any
	}
	if err := json.Unmarshal([]byte(out), &p); err != nil || code != 2 || len(p.Changes) == 0 || p.Base == "" {
		t.Fatalf("first plan: exit %d, %d changes, base %q: %s %s", code, len(p.Changes), p.Base, out, errs)
	}
	if out, errs, code := run(t, data, "workforce", "apply", "--tenant", "acme-retail", plan); code != 0 {
		t.Fatalf("apply the plan: %d %s %s", code, out, errs)
	}
	out, _, code = run(t, data, "workforce", "plan", "--tenant", "acme-retail", "-f", file, "--json")
	if err := json.Unmarshal([]byte(out), &p); err != nil || code != 0 || len(p.Changes) != 0 {
		t.Fatalf("plan after apply: exit %d, %v", code, p.Changes)
	}
	if _, errs, code := run(t, data, "workforce", "apply", "--tenant", "acme-retail", plan); code == 0 {
		t.Fatalf("a stale plan was applied: %s", errs)
	}
}
