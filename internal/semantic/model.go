// Package semantic holds the semantic model that sits between questions and
// tables: entities, measures, dimensions and their synonyms. The built-in HR
// model is a YAML file embedded in the binary; a custom model is the same
// format, checked by `scry model validate`.
package semantic

import (
	"bytes"
	_ "embed"
	"fmt"
	"os"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/scry-dev/scry/internal/errcode"
)

//go:embed hr.yaml
var builtinHR []byte

// Entity is a table of facts or of people.
type Entity struct {
	Table    string            `yaml:"table"`
	Key      string            `yaml:"key"`
	Date     string            `yaml:"date,omitempty"`
	Start    string            `yaml:"start,omitempty"`
	End      string            `yaml:"end,omitempty"`
	Employee string            `yaml:"employee,omitempty"`
	Events   map[string]string `yaml:"events,omitempty"`
}

// Measure is a number the model can compute.
type Measure struct {
	Entity    string  `yaml:"entity"`
	Agg       string  `yaml:"agg"` // count, sum, avg
	Column    string  `yaml:"column,omitempty"`
	Scale     float64 `yaml:"scale,omitempty"` // the column times this (units: milliseconds to minutes)
	Status    string  `yaml:"status,omitempty"`
	Event     string  `yaml:"event,omitempty"`
	Sensitive bool    `yaml:"sensitive,omitempty"`
	// Derived names a measure computed by code from several columns
	// (labor_cost, overtime) instead of Column: a model file chooses among
	// them and never writes an expression.
	Derived string `yaml:"derived,omitempty"`
	// Rank decides between two measures named in one question: the higher
	// (the more specific) is the question's.
	Rank int `yaml:"rank,omitempty"`
	// Parts says the measure adds up to a whole, so that a few groups of it
	// may be drawn as a pie.
	Parts    bool     `yaml:"parts,omitempty"`
	Label    string   `yaml:"label"`
	Title    string   `yaml:"title"`
	Synonyms []string `yaml:"synonyms"`
	// Unit is what the measure's values are counted in (year, day, hour,
	// minute; none for counts and money), so that a question asking for
	// them "in days" is read when it is the unit and refused when not.
	Unit string `yaml:"unit,omitempty"`
}

// Dimension is something answers can be grouped or filtered by.
type Dimension struct {
	Column       string   `yaml:"column,omitempty"`
	From         string   `yaml:"from,omitempty"`
	ShiftsColumn string   `yaml:"shifts_column,omitempty"`
	Time         string   `yaml:"time,omitempty"` // grain: day, week, month, quarter, year, weekday, hour
	Synonyms     []string `yaml:"synonyms"`
}

// Model is a whole semantic model.
type Model struct {
	Name       string                         `yaml:"name"`
	Entities   map[string]Entity              `yaml:"entities"`
	Measures   map[string]Measure             `yaml:"measures"`
	Dimensions map[string]Dimension           `yaml:"dimensions"`
	Enums      map[string]map[string][]string `yaml:"enums"`
}

// DerivedMeasures are the measures the compiler computes from several
// columns: labor_cost = hours worked × hourly wage; overtime = each
// person's hours beyond their contracted weekly hours, week by week
// (undertime: short of them, in the weeks they worked);
// turnover_rate = the leavers of a period per 100 of its average headcount
// (the mean of the headcounts on its first and last days).
var DerivedMeasures = map[string]bool{"labor_cost": true, "overtime": true, "undertime": true, "turnover_rate": true}

// BuiltinYAML is the embedded HR model as written.
func BuiltinYAML() []byte { return builtinHR }

// BuiltinHR returns the embedded HR model.
func BuiltinHR() *Model {
	m, err := Parse(builtinHR, "hr.yaml")
	if err != nil {
		panic("built-in model: " + err.Error()) // a broken embedded file is a build defect
	}
	return m
}

// Load reads and validates a model file.
func Load(path string) (*Model, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, errcode.Wrap(errcode.Invalid, err, "Cannot read model file %s", path)
	}
	return Parse(b, path)
}

var aggs = map[string]bool{"count": true, "count_distinct": true, "sum": true, "avg": true, "min": true, "max": true}
var grains = map[string]bool{"day": true, "week": true, "month": true, "quarter": true, "year": true, "weekday": true, "hour": true, "clock": true}

// Parse decodes a model strictly (unknown keys are errors) and validates
// that every reference resolves.
func Parse(b []byte, name string) (*Model, error) {
	var m Model
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		return nil, errcode.Wrap(errcode.Invalid, err, "%s: %s", name, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	var probs []string
	add := func(f string, a ...any) { probs = append(probs, fmt.Sprintf(f, a...)) }
	if m.Name == "" {
		add("name: missing")
	}
	if len(m.Entities) == 0 {
		add("entities: at least one entity is needed")
	}
	for n, e := range m.Entities {
		if e.Table == "" || e.Key == "" {
			add("entities.%s: table and key are required", n)
		}
	}
	for _, n := range SortedKeys(m.Measures) {
		ms := m.Measures[n]
		if _, ok := m.Entities[ms.Entity]; !ok {
			add("measures.%s.entity: %q is not an entity of this model", n, ms.Entity)
		}
		if !aggs[ms.Agg] {
			add("measures.%s.agg: %q is not one of count, count_distinct, sum, avg, min, max", n, ms.Agg)
		}
		if ms.Derived != "" && !DerivedMeasures[ms.Derived] {
			add("measures.%s.derived: %q is not one of labor_cost, overtime, turnover_rate", n, ms.Derived)
		}
		if ms.Agg != "count" && ms.Column == "" && ms.Derived == "" {
			add("measures.%s.column: needed for agg %s", n, ms.Agg)
		}
		if ms.Label == "" {
			add("measures.%s.label: missing", n)
		}
		if len(ms.Synonyms) == 0 {
			add("measures.%s.synonyms: at least one word is needed", n)
		}
	}
	for _, n := range SortedKeys(m.Dimensions) {
		d := m.Dimensions[n]
		switch {
		case d.Time != "":
			if !grains[d.Time] {
				add("dimensions.%s.time: %q is not a grain (day, week, month, quarter, year, weekday, hour, clock)", n, d.Time)
			}
		case d.Column == "":
			add("dimensions.%s: needs column or time", n)
		default:
			if _, ok := m.Entities[d.From]; !ok {
				add("dimensions.%s.from: %q is not an entity of this model", n, d.From)
			}
		}
	}
	if len(probs) > 0 {
		return nil, &errcode.Error{Code: errcode.Invalid, Message: fmt.Sprintf("%s: %d problem(s), first: %s", name, len(probs), probs[0]), Details: probs}
	}
	return &m, nil
}

// SortedKeys returns a map's keys in order.
func SortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
