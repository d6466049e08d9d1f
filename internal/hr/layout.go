package hr

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/store"
)

// FileLayout says what one of the three files holds, for people preparing
// them (the import page, its templates).
type FileLayout struct {
	Name    string // employees.csv
	Columns []ColumnLayout
}

// ColumnLayout is one expected column and what it holds.
type ColumnLayout struct {
	Name     string
	Holds    string // "a date YYYY-MM-DD", from the check the import runs
	Optional bool
}

// Layouts are the three files' columns, in the order the import expects.
func Layouts() []FileLayout {
	var out []FileLayout
	for _, spec := range []fileSpec{employeesSpec, shiftsSpec, absencesSpec} {
		f := FileLayout{Name: spec.name}
		for _, c := range spec.columns {
			// an empty value is refused saying what was expected: the same
			// words the import's problems use
			_, holds := c.parse("")
			f.Columns = append(f.Columns, ColumnLayout{Name: c.name, Holds: holds, Optional: c.optional})
		}
		out = append(out, f)
	}
	return out
}

// Template is the header line of a file (employees.csv…), to fill in.
func Template(name string) (string, bool) {
	for _, l := range Layouts() {
		if l.Name == name {
			names := make([]string, len(l.Columns))
			for i, c := range l.Columns {
				names[i] = c.Name
			}
			return strings.Join(names, ",") + "\n", true
		}
	}
	return "", false
}

// errDryRun rolls a dry run's transaction back.
var errDryRun = errors.New("dry run")

// DryRun checks the three files in dir exactly as Import does and reports
// what it would import, or the problems, then rolls everything back: the
// tenant's data is unchanged either way.
func DryRun(ctx context.Context, db *store.DB, tenantID int64, dir string) (Counts, error) {
	var counts Counts
	err := db.InTenant(ctx, tenantID, func(tx *store.Tx) error {
		var err error
		if counts, err = importFiles(ctx, tx, dir, nil, true); err != nil {
			return err
		}
		return errDryRun
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	return counts, err
}

// ImportAs is the import as a door runs it: Import in a transaction of
// by's tenant, recorded as "hr.import" of target (the folder, "upload") with
// the counts stored.
func ImportAs(ctx context.Context, by audit.Actor, dir, target string, progress io.Writer) (Counts, error) {
	var counts Counts
	details := map[string]any{}
	err := by.Do(ctx, "hr.import", target, details, func(tx *store.Tx) error {
		var err error
		counts, err = Import(ctx, tx, dir, progress)
		details["employees"], details["shifts"], details["absences"] = counts.Employees, counts.Shifts, counts.Absences
		return err
	})
	return counts, err
}
