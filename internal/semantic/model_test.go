package semantic_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/semantic"
)

func TestBuiltinModelIsValid(t *testing.T) {
	m := semantic.BuiltinHR()
	for _, want := range []string{"headcount", "hours_worked", "planned_hours", "attendance", "absence_days", "absence_cases", "absence_duration", "hourly_wage", "age"} {
		if _, ok := m.Measures[want]; !ok {
			t.Errorf("built-in model lacks measure %s", want)
		}
	}
	for _, want := range []string{"department", "position", "location", "contract_type", "gender", "manager", "employee", "absence_type", "status", "day", "week", "month", "quarter", "year", "weekday", "hour"} {
		if _, ok := m.Dimensions[want]; !ok {
			t.Errorf("built-in model lacks dimension %s", want)
		}
	}
	if !m.Measures["hourly_wage"].Sensitive {
		t.Error("hourly_wage must be sensitive")
	}
}

func TestCustomModelErrors(t *testing.T) {
	cases := map[string]string{
		"name: x\nentities: {a: {table: t, key: id}}\nmeasures: {m: {entity: a, agg: count, label: m, synonyms: [m]}}\nbogus: 1\n": "line 4",
		"name: x\nentities: {a: {table: t, key: id}}\nmeasures: {m: {entity: b, agg: count, label: m, synonyms: [m]}}\n":           "measures.m.entity",
		"name: x\nentities: {a: {table: t, key: id}}\nmeasures: {m: {entity: a, agg: median, label: m, synonyms: [m]}}\n":          "measures.m.agg",
		"name: x\nentities: {a: {table: t, key: id}}\ndimensions: {d: {time: fortnight, synonyms: [d]}}\n":                         "dimensions.d.time",
		"entities: {}\n": "name: missing",
	}
	dir := t.TempDir()
	for body, want := range cases {
		p := filepath.Join(dir, "m.yaml")
		os.WriteFile(p, []byte(body), 0o644)
		_, err := semantic.Load(p)
		if !errcode.Is(err, errcode.Invalid) || !strings.Contains(err.Error(), want) {
			t.Errorf("model %q: got %v, want an invalid_input naming %q", body, err, want)
		}
	}
	good := filepath.Join(dir, "good.yaml")
	os.WriteFile(good, semantic.BuiltinYAML(), 0o644)
	if _, err := semantic.Load(good); err != nil {
		t.Fatalf("the built-in model as a file: %v", err)
	}
}
