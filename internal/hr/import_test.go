package hr_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/hr"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
	"github.com/scry-dev/scry/internal/tenant"
)

// copyValid copies testdata/valid into a new folder and applies edit.
func copyValid(t *testing.T, edit func(dir string)) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"employees.csv", "shifts.csv", "absences.csv"} {
		b, err := os.ReadFile(filepath.Join("testdata", "valid", f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, f), b, 0o644)
	}
	if edit != nil {
		edit(dir)
	}
	return dir
}

func replaceIn(file, old, new string) func(string) {
	return func(dir string) {
		p := filepath.Join(dir, file)
		b, _ := os.ReadFile(p)
		os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o644)
	}
}

func snapshot(t *testing.T, db *store.DB, id int64) string {
	t.Helper()
	var s string
	err := db.ReadTenant(context.Background(), id, func(tx *store.Tx) error {
		var parts []string
		for _, q := range []string{
			"select count(*) || ':' || coalesce(max(last_name), '') from employees where tenant_id = $1",
			"select count(*) || ':' || coalesce(sum(hours), 0) from shifts where tenant_id = $1",
			"select count(*) || ':' || coalesce(sum(days), 0) from absences where tenant_id = $1",
			"select count(*) || ':' || coalesce(sum(hours), 0) || ':' || coalesce(sum(shifts), 0) from shift_totals where tenant_id = $1",
			"select count(*) || ':' || coalesce(sum(hours), 0) || ':' || coalesce(sum(shifts), 0) from tenant_shift_totals where tenant_id = $1",
			"select count(*) || ':' || coalesce(sum(hours), 0) || ':' || coalesce(sum(shifts), 0) from tenant_shift_starts where tenant_id = $1",
		} {
			var v string
			if err := tx.QueryRowContext(context.Background(), q, id).Scan(&v); err != nil {
				return err
			}
			parts = append(parts, v)
		}
		s = strings.Join(parts, "|")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestImportBadInput(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(string)
		where string // expected in the first problem: file:line[:column]
	}{
		{"missing column", replaceIn("employees.csv", ",hourly_wage\n", "\n"), "employees.csv:1"},
		{"extra unknown column", replaceIn("absences.csv", "days\n", "days,note\n"), "absences.csv:1:7"},
		{"bad date", replaceIn("shifts.csv", "2026-11-03", "2026-02-30"), "shifts.csv:4:3"},
		{"unknown enum", replaceIn("absences.csv", "vacation", "holiday"), "absences.csv:3:3"},
		{"negative hours", replaceIn("shifts.csv", "4.00,Sales", "-4.00,Sales"), "shifts.csv:3:7"},
		{"dangling manager", replaceIn("employees.csv", ",E1,Lyon", ",E99,Lyon"), "employees.csv:3:13"},
		{"manager cycle", replaceIn("employees.csv", "35,,Paris", "35,E3,Paris"), "employees.csv:"},
		{"duplicate id", replaceIn("shifts.csv", "S2,", "S1,"), "shifts.csv:3:1"},
		{"truncated last line", func(dir string) {
			p := filepath.Join(dir, "absences.csv")
			b, _ := os.ReadFile(p)
			os.WriteFile(p, b[:len(b)-12], 0o644)
		}, "absences.csv:3"},
		{"non-UTF-8 bytes", replaceIn("employees.csv", "Arthur", "Arth\xffur"), "employees.csv:4:2"},
		{"empty file", func(dir string) { os.WriteFile(filepath.Join(dir, "shifts.csv"), nil, 0o644) }, "shifts.csv:1"},
		{"missing file", func(dir string) { os.Remove(filepath.Join(dir, "absences.csv")) }, "absences.csv: expected the file absences.csv in "},
		{"end before start", replaceIn("absences.csv", "2026-11-10,2026-11-12,3", "2026-11-12,2026-11-10,3"), "absences.csv:2:5"},
		{"unknown employee", replaceIn("shifts.csv", "S2,E3", "S2,E7"), "shifts.csv:3:2"},
		// Control characters, over-long fields and impossible dates (issue 11, item 10).
		{"NUL in a name", replaceIn("employees.csv", "Arthur", "Art\x00hur"), "employees.csv:4:2"},
		{"tab in a department", replaceIn("employees.csv", "Executive", "Exec\tutive"), "employees.csv:2:9"},
		{"line break inside quotes", replaceIn("employees.csv", ",Nora,", ",\"No\nra\","), "employees.csv:3:2"},
		{"C1 control in a location", replaceIn("shifts.csv", "Lyon,worked", "Ly\u0085on,worked"), "shifts.csv:2:9"},
		{"10 KB department", replaceIn("employees.csv", "Executive", strings.Repeat("D", 10_000)), "employees.csv:2:9"},
		{"201-character last name", replaceIn("employees.csv", "Clerk", strings.Repeat("é", 201)), "employees.csv:4:3"},
		{"65-character shift id", replaceIn("shifts.csv", "S2,", strings.Repeat("s", 65)+","), "shifts.csv:3:1"},
		{"255-character email", replaceIn("employees.csv", "sam@t.example", strings.Repeat("a", 245)+"@t.example"), "employees.csv:5:4"},
		{"10 MB name on one line", replaceIn("employees.csv", "Elise", strings.Repeat("n", 10<<20)), "employees.csv:2: a row of at most"},
		{"10 MB quoted name over many lines", replaceIn("employees.csv", ",Nora,", ",\""+strings.Repeat("n\n", 5<<20)+"\","), "employees.csv:3: a row of at most"},
		{"birth after hire", replaceIn("employees.csv", "1999-05-06,2022-03-01", "2023-05-06,2022-03-01"), "employees.csv:4:6"},
		{"birth on hire day", replaceIn("employees.csv", "1999-05-06,2022-03-01", "2022-03-01,2022-03-01"), "employees.csv:4:6"},
	}
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		ctx := context.Background()
		tn := storetest.Tenant(t, db, "tt")
		valid := copyValid(t, nil)
		if err := db.InTenant(ctx, tn.ID, func(tx *store.Tx) error {
			c, err := hr.Import(ctx, tx, valid, nil)
			if c.Employees != 4 || c.Shifts != 5 || c.Absences != 2 {
				t.Errorf("counts %+v", c)
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		before := snapshot(t, db, tn.ID)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				dir := copyValid(t, tc.edit)
				err := db.InTenant(ctx, tn.ID, func(tx *store.Tx) error { _, err := hr.Import(ctx, tx, dir, nil); return err })
				e := errcode.From(err)
				if e.Code != errcode.Invalid || errcode.ExitStatus(err) != 2 {
					t.Fatalf("got %v, want invalid_input (exit 2)", err)
				}
				if len(e.Details) == 0 || !strings.HasPrefix(e.Details[0], tc.where) {
					t.Fatalf("first problem %q, want it at %s (all: %v)", first(e.Details), tc.where, e.Details)
				}
				if after := snapshot(t, db, tn.ID); after != before {
					t.Fatalf("previous data changed: %s → %s", before, after)
				}
			})
		}
	})
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

func TestImportListsManyProblems(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	tn := storetest.Tenant(t, db, "tt")
	dir := copyValid(t, func(dir string) {
		var b strings.Builder
		b.WriteString("shift_id,employee_id,date,start_time,end_time,break_minutes,hours,position,location,status\n")
		for i := 0; i < 30; i++ {
			b.WriteString("S" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + ",E3,2026-13-01,08:00,09:00,0,1.00,P,L,worked\n")
		}
		os.WriteFile(filepath.Join(dir, "shifts.csv"), []byte(b.String()), 0o644)
	})
	err := db.InTenant(ctx, tn.ID, func(tx *store.Tx) error { _, err := hr.Import(ctx, tx, dir, nil); return err })
	// every problem, not the first few: an admin fixes the file once
	e := errcode.From(err)
	var ps hr.Problems
	if len(e.Details) != 30 || !errors.As(err, &ps) || len(ps) != 30 || ps[29].Line != 31 || ps[29].Field != "date" || !strings.HasPrefix(e.Message, "The HR files have 30 problems;") {
		t.Fatalf("listed %d problems, want 30: %v", len(e.Details), err)
	}
}

func TestReimportReplacesOnlyThatTenant(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		ctx := context.Background()
		a, b := storetest.Tenant(t, db, "ta"), storetest.Tenant(t, db, "tb")
		valid := copyValid(t, nil)
		for _, tn := range []tenant.Tenant{a, b} {
			if err := db.InTenant(ctx, tn.ID, func(tx *store.Tx) error { _, err := hr.Import(ctx, tx, valid, nil); return err }); err != nil {
				t.Fatal(err)
			}
		}
		bBefore := snapshot(t, db, b.ID)
		smaller := copyValid(t, func(dir string) {
			os.WriteFile(filepath.Join(dir, "shifts.csv"), []byte("shift_id,employee_id,date,start_time,end_time,break_minutes,hours,position,location,status\nS9,E1,2026-01-05,08:00,10:00,0,2.00,Director,Paris,worked\n"), 0o644)
		})
		if err := db.InTenant(ctx, a.ID, func(tx *store.Tx) error { _, err := hr.Import(ctx, tx, smaller, nil); return err }); err != nil {
			t.Fatal(err)
		}
		// one shift: its week's and its month's rollup rows, and the tenant's day, week and month
		if got := snapshot(t, db, a.ID); !strings.Contains(got, "|1:2") || !strings.HasPrefix(strings.Split(got, "|")[3], "2:4") || !strings.HasPrefix(strings.Split(got, "|")[4], "3:6") {
			t.Errorf("tenant a after re-import: %s", got)
		}
		if got := snapshot(t, db, b.ID); got != bBefore {
			t.Errorf("tenant b changed: %s → %s", bBefore, got)
		}
	})
}

// A refused row still uses its id: a later row that uses it again is
// listed in the same answer, whichever of the two rows is refused, in each
// of the three files.
func TestReusedIDOfARefusedRowIsListed(t *testing.T) {
	cases := []struct {
		name  string
		edits []func(string)
		want  []string // problems that must be listed, by their beginning
	}{
		{"shift refused first", []func(string){replaceIn("shifts.csv", "S1,E2,2026-11-02", "S1,E2,2026-13-02"), replaceIn("shifts.csv", "S2,", "S1,")},
			[]string{"shifts.csv:2:3: date", "shifts.csv:3:1: shift_id = \"S1\": expected a unique id (already used on line 2)"}},
		{"shift refused second", []func(string){replaceIn("shifts.csv", "S2,E3,2026-11-02", "S1,E3,2026-13-02")},
			[]string{"shifts.csv:3:3: date", "shifts.csv:3:1: shift_id = \"S1\": expected a unique id (already used on line 2)"}},
		{"employee refused first", []func(string){replaceIn("employees.csv", "1980-01-02", "1980-02-30"), replaceIn("employees.csv", "E2,Nora", "E1,Nora")},
			[]string{"employees.csv:2:6: birth_date", "employees.csv:3:1: employee_id = \"E1\": expected a unique id (already used on line 2)"}},
		{"absence refused first", []func(string){replaceIn("absences.csv", "A1,E3,sick_leave", "A1,E3,sick"), replaceIn("absences.csv", "A2,", "A1,")},
			[]string{"absences.csv:2:3: type", "absences.csv:3:1: absence_id = \"A1\": expected a unique id (already used on line 2)"}},
	}
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		ctx := context.Background()
		tn := storetest.Tenant(t, db, "tt")
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				dir := copyValid(t, func(dir string) {
					for _, e := range tc.edits {
						e(dir)
					}
				})
				err := db.InTenant(ctx, tn.ID, func(tx *store.Tx) error { _, err := hr.Import(ctx, tx, dir, nil); return err })
				got := errcode.From(err).Details
				for _, w := range tc.want {
					found := false
					for _, p := range got {
						found = found || strings.HasPrefix(p, w)
					}
					if !found {
						t.Errorf("no problem %q among %q", w, got)
					}
				}
			})
		}
	})
}

// One of a thing is singular in the sentences that report an import.
func TestCountsNouns(t *testing.T) {
	e, s, a := hr.Counts{Employees: 1, Shifts: 2, Absences: 0}.Nouns()
	if e != "employee" || s != "shifts" || a != "absences" {
		t.Errorf("nouns %q %q %q", e, s, a)
	}
	db := storetest.Open(t, store.SQLite)
	dir := copyValid(t, replaceIn("absences.csv", "vacation", "holiday"))
	tn := storetest.Tenant(t, db, "nouns")
	_, err := hr.DryRun(context.Background(), db, tn.ID, dir)
	// a check says it was one, not that an import was refused
	if msg := errcode.From(err).Message; !strings.HasPrefix(msg, "The HR files have 1 problem; this was a check: nothing was changed. First: absences.csv:") {
		t.Errorf("message of a check %q", msg)
	}
	err = db.InTenant(context.Background(), tn.ID, func(tx *store.Tx) error { _, err := hr.Import(context.Background(), tx, dir, nil); return err })
	if msg := errcode.From(err).Message; !strings.HasPrefix(msg, "The HR files have 1 problem; nothing was imported and the tenant's previous data is unchanged.") {
		t.Errorf("message of an import %q", msg)
	}
}

// On PostgreSQL an import copies a tenant's shifts and rollups into new
// tables, without row-level security, that become its partitions. The
// database still keeps each tenant to its own rows there: the new table
// refuses another tenant's row (its CHECK is written by the owner function
// from the transaction's tenant, not by this code), no tenant can stage
// another's tables or swap what it did not stage, and the partitions
// themselves are out of the application's reach: only their parents, under
// their policies, are read.
func TestStagedTablesHoldOnlyTheirTenant(t *testing.T) {
	db := storetest.Open(t, store.Postgres)
	ctx := context.Background()
	valid := copyValid(t, nil)
	a, b := storetest.Tenant(t, db, "sa"), storetest.Tenant(t, db, "sb")
	for _, tn := range []int64{a.ID, b.ID} {
		if err := db.InTenant(ctx, tn, func(tx *store.Tx) error { _, err := hr.Import(ctx, tx, valid, nil); return err }); err != nil {
			t.Fatal(err)
		}
	}
	tables := []string{"shifts", "shift_totals", "tenant_shift_totals", "tenant_shift_starts"}
	// refused runs fn as tenant a and wants it refused for the reason given
	refused := func(what, why string, fn func(tx *store.Tx) error) {
		t.Helper()
		if err := db.InTenant(ctx, a.ID, fn); err == nil || !strings.Contains(err.Error(), why) {
			t.Errorf("%s: %v, want refused: %s", what, err, why)
		}
	}
	row := "('S9', 'E1', '2026-01-05', '08:00', '16:00', 30, 7.5, 'P', 'L', 'worked')"
	refused("a row of tenant b in a's staged shifts", "check constraint", func(tx *store.Tx) error {
		if err := tx.StageHR(ctx, tables); err != nil {
			t.Errorf("staging: %v", err)
			return nil
		}
		insert := "insert into " + tx.StagedHR("shifts") + " values ($1, " + row[1:]
		if _, err := tx.ExecContext(ctx, insert, a.ID); err != nil {
			t.Errorf("a's own row in a's staged shifts: %v", err)
			return nil
		}
		_, err := tx.ExecContext(ctx, insert, b.ID)
		return err
	})
	refused("writing b's staged shifts", "does not exist", func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, fmt.Sprintf("insert into shifts_%d_new values ($1, %s", b.ID, row[1:]), b.ID)
		return err
	})
	refused("staging a table that is not partitioned by tenant", "not partitioned", func(tx *store.Tx) error {
		return tx.StageHR(ctx, []string{"employees"})
	})
	refused("swapping in tables never staged", "was not staged", func(tx *store.Tx) error {
		return tx.SwapHR(ctx, tables, time.Second)
	})
	for _, tn := range []int64{a.ID, b.ID} {
		refused(fmt.Sprintf("reading the partition of tenant %d itself", tn), "permission denied", func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, fmt.Sprintf("select count(*) from shift_totals_%d", tn))
			return err
		})
		refused(fmt.Sprintf("writing into the partition of tenant %d", tn), "permission denied", func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, fmt.Sprintf("insert into shifts_%d values ($1, %s", tn, row[1:]), tn)
			return err
		})
	}
	// a temporary table of the application's own named like a parent is
	// not what the owner functions read (their search path puts pg_temp
	// last): the staged table has the parent's columns, not the decoy's
	err := db.InTenant(ctx, a.ID, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, "create temp table shifts (tenant_id bigint, decoy text) partition by list (tenant_id)"); err != nil {
			return err
		}
		if err := tx.StageHR(ctx, []string{"shifts"}); err != nil {
			return err
		}
		var decoys, columns int
		if err := tx.QueryRowContext(ctx, `select count(*) filter (where attname = 'decoy'), count(*) from pg_attribute
			where attrelid = $1::regclass and attnum > 0 and not attisdropped`, tx.StagedHR("shifts")).Scan(&decoys, &columns); err != nil {
			return err
		}
		if decoys != 0 || columns != 11 {
			t.Errorf("staged beside a decoy: %d decoy columns of %d, want shifts' 11", decoys, columns)
		}
		return errors.New("roll back")
	})
	if err == nil || err.Error() != "roll back" {
		t.Errorf("staging beside a decoy: %v", err)
	}
	// the owner functions take table names from the application role: a
	// table of its own (here a temporary one whose index calls a function
	// of its own, which the owner would run while building it) is refused
	// before anything is done with it
	decoy := func(tx *store.Tx) error {
		for _, q := range []string{
			"create temp table evil (tenant_id bigint not null, x int) partition by list (tenant_id)",
			"create function pg_temp.f(int) returns int language sql immutable as 'select 1'",
			"create index on evil (pg_temp.f(x))",
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				t.Errorf("%s: %v", q, err)
			}
		}
		return nil
	}
	refused("staging a temporary table of the application's", "not partitioned by tenant", func(tx *store.Tx) error {
		decoy(tx)
		return tx.StageHR(ctx, []string{"evil"})
	})
	refused("swapping in a temporary table of the application's", "not partitioned by tenant", func(tx *store.Tx) error {
		decoy(tx)
		return tx.SwapHR(ctx, []string{"evil"}, time.Second)
	})
	refused("swapping in a temporary table named like a staged one", "was not staged", func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, "create temp table "+tx.StagedHR("shifts")+" (tenant_id bigint)"); err != nil {
			t.Errorf("the temporary table: %v", err)
		}
		return tx.SwapHR(ctx, []string{"shifts"}, time.Second)
	})
	if err := db.InTenant(ctx, 0, func(tx *store.Tx) error { return tx.StageHR(ctx, tables) }); err == nil {
		t.Error("staging with no tenant bound: allowed")
	}
	// what a's staging did, rolled back, left nothing behind; both tenants
	// still read their own import whole
	for _, tn := range []int64{a.ID, b.ID} {
		var shifts, other int
		err := db.ReadTenant(ctx, tn, func(tx *store.Tx) error {
			return tx.QueryRowContext(ctx, "select count(*), count(*) filter (where tenant_id <> $1) from shifts", tn).Scan(&shifts, &other)
		})
		if err != nil || shifts == 0 || other != 0 {
			t.Errorf("tenant %d reads %d shifts, %d of another tenant (%v)", tn, shifts, other, err)
		}
	}
}

// An employee row refused for one of its fields still names an employee:
// the shifts, absences and reports that refer to it are not also listed as
// of an unknown employee (one bad birth date used to bury its fix under a
// problem for every shift of that person). An id no row holds at all is
// still reported, and so is what else is wrong with a row that refers to
// the refused employee.
func TestRefusedEmployeeIsNotAlsoUnknown(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	tn := storetest.Tenant(t, db, "refused")
	for _, tc := range []struct {
		name string
		edit func(string)
		want []string // every problem, in order
	}{
		{"a field of the row", replaceIn("employees.csv", "E2,Nora,Lead,nora@t.example,female,1985-03-04", "E2,Nora,Lead,nora@t.example,female,1985-13-04"),
			[]string{"employees.csv:3:6: birth_date"}},
		{"a check across fields", replaceIn("employees.csv", "E2,Nora,Lead,nora@t.example,female,1985-03-04", "E2,Nora,Lead,nora@t.example,female,2019-03-04"),
			[]string{"employees.csv:3:6: birth_date"}},
		{"and a shift's own hours", func(dir string) {
			replaceIn("employees.csv", "E2,Nora,Lead,nora@t.example,female,1985-03-04", "E2,Nora,Lead,nora@t.example,female,1985-13-04")(dir)
			replaceIn("shifts.csv", "S1,E2,2026-11-02,08:00,16:30,30,8.00", "S1,E2,2026-11-02,08:00,16:30,30,9.00")(dir)
		}, []string{"employees.csv:3:6: birth_date", "shifts.csv:2:7: hours"}},
		{"an id no row holds", replaceIn("shifts.csv", "S1,E2,", "S1,E9,"), []string{"shifts.csv:2:2: employee_id"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := db.InTenant(ctx, tn.ID, func(tx *store.Tx) error { _, err := hr.Import(ctx, tx, copyValid(t, tc.edit), nil); return err })
			got := errcode.From(err).Details
			if len(got) != len(tc.want) {
				t.Fatalf("problems %q, want %d starting %q", got, len(tc.want), tc.want)
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("problem %d: %q, want %s…", i+1, got[i], w)
				}
			}
		})
	}
}
