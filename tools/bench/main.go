// Command bench measures scry against its anchors side by side, in one run
// on one machine, so that whatever else the machine does slows both alike:
// Ask's questions against DuckDB over the same generated files, and the HR
// import against `sqlite3 .import` and `psql \copy` of the same files.
//
// It is a module of its own (tools/bench/go.mod) because DuckDB comes as a
// cgo library of some 60 MB: the scry binary, built from the main module,
// neither links nor downloads it, and `make test` never builds it.
//
//	scry demo generate --shifts 1000000 /tmp/gen-1m
//	cd tools/bench && go run . --data /tmp/gen-1m --scry ../../scry
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/scry-dev/scry/internal/ask"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/hr"
	"github.com/scry-dev/scry/internal/semantic"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/tenant"
)

// now is the demo's today, which the generated data is spread around.
var now = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

// question is one question for scry and the same for DuckDB in SQL.
type question struct {
	as, text, duck string
}

// scope of manager G00002 in the generated tree: themselves and everyone below.
const scopeCTE = `with recursive scope(id) as (select employee_id from employees where employee_id = 'G00002'
	union select e.employee_id from employees e join scope s on e.manager_id = s.id) `

var questions = []question{
	{"admin", "Hours worked per department last month",
		`select e.department, round(sum(s.hours), 2) v from shifts s join employees e on e.employee_id = s.employee_id
		 where s.status = 'worked' and s.date between '2026-10-01' and '2026-10-31' group by 1 order by v desc, 1`},
	{"admin", "Worked hours per week per position for the last 3 months",
		`select date_trunc('week', s.date) w, s.position, round(sum(s.hours), 2) from shifts s
		 where s.status = 'worked' and s.date between '2026-08-01' and '2026-10-31' group by 1, 2 order by 1, 2`},
	{"admin", "Hours worked per month",
		`select strftime(s.date, '%Y-%m') m, round(sum(s.hours), 2) from shifts s
		 where s.status = 'worked' and s.date <= '2026-11-25' group by 1 order by 1`},
	{"admin", "How many hours were worked this year?",
		`select round(sum(s.hours), 2) from shifts s where s.status = 'worked' and s.date between '2026-01-01' and '2026-11-25'`},
	{"admin", "Number of shifts by location and quarter in 2025",
		`select s.location, strftime(s.date, '%Y') || '-Q' || quarter(s.date) q, count(*) from shifts s
		 where s.date between '2025-01-01' and '2025-12-31' group by 1, 2 order by 2, 1`},
	{"admin", "Number of shifts by weekday and start hour",
		`select dayofweek(s.date) d, hour(s.start_time) h, count(*) from shifts s
		 where s.status = 'worked' and s.date <= '2026-11-25' group by 1, 2 order by 1, 2`},
	{"manager:G00002", "Hours worked per week this quarter",
		scopeCTE + `select date_trunc('week', s.date) w, round(sum(s.hours), 2) from shifts s
		 where s.employee_id in (select id from scope) and s.status = 'worked' and s.date between '2026-10-01' and '2026-11-25' group by 1 order by 1`},
}

// showRuns: print every run's time (is the slowest the first, cold one?)
var showRuns *bool

func main() {
	data := flag.String("data", "", "folder of the generated files (scry demo generate)")
	runs := flag.Int("runs", 15, "runs of each question on each engine")
	pgURL := flag.String("postgres", "", "PostgreSQL URL of the application role (empty: SQLite only)")
	pgOwner := flag.String("postgres-owner", "", "PostgreSQL URL of the owner role, for migrations")
	pgAdmin := flag.String("psql", "", "psql connection string for the \\copy anchor (a scratch database)")
	scryBin := flag.String("scry", "", "the scry binary, for the import of the whole process")
	scryBefore := flag.String("scry-before", "", "an earlier scry binary whose import is timed in the same runs (with --postgres-before)")
	pgBefore := flag.String("postgres-before", "", "PostgreSQL application URL of another database, for --scry-before")
	pgOwnerBefore := flag.String("postgres-owner-before", "", "its owner URL")
	importOnly := flag.Bool("import-only", false, "only the imports")
	skipImport := flag.Bool("skip-import", false, "only the questions")
	showRuns = flag.Bool("show-runs", false, "print every run's time, in the order run, before the table")
	reuse := flag.String("reuse", "", "ask an imported tenant instead of importing: SQLITE_DATA_DIR:TENANT_ID[,POSTGRES_TENANT_ID] (a 10M import takes many minutes)")
	flag.Parse()
	if *data == "" {
		fmt.Fprintln(os.Stderr, "bench: --data is required")
		os.Exit(2)
	}
	if *importOnly {
		before := binary{*scryBefore, *pgBefore, *pgOwnerBefore}
		if err := importRatios(*data, binary{*scryBin, *pgURL, *pgOwner}, before, *pgAdmin); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*data, *runs, *pgURL, *pgOwner, *pgAdmin, *scryBin, *skipImport, *reuse); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(data string, runs int, pgURL, pgOwner, psql, scryBin string, skipImport bool, reuse string) error {
	ctx := context.Background()
	if !skipImport && scryBin != "" {
		if err := importRatios(data, binary{scryBin, pgURL, pgOwner}, binary{}, psql); err != nil {
			return err
		}
	}
	duck, took, err := loadDuck(data)
	if err != nil {
		return err
	}
	defer duck.Close()
	fmt.Printf("DuckDB load of the CSVs: %.2f s\n", took.Seconds())
	type engine struct {
		name string
		db   *store.DB
		id   int64
	}
	var engines []engine
	dir, err := os.MkdirTemp("", "scry-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cfgs := []store.Config{{DataDir: dir}}
	var reused []int64 // tenant ids, in the order of cfgs
	if reuse != "" {
		liteDir, ids, _ := strings.Cut(reuse, ":")
		cfgs[0].DataDir = liteDir
		for _, s := range strings.Split(ids, ",") {
			var id int64
			if _, err := fmt.Sscan(s, &id); err != nil {
				return fmt.Errorf("--reuse %q: %w", reuse, err)
			}
			reused = append(reused, id)
		}
	}
	if pgURL != "" {
		cfgs = append(cfgs, store.Config{DataDir: dir, DatabaseURL: pgURL, MigrateURL: pgOwner, AppRole: os.Getenv("SCRY_APP_ROLE")})
	}
	for i, cfg := range cfgs {
		db, err := store.Open(ctx, cfg)
		if err != nil {
			return err
		}
		defer db.Close()
		if i < len(reused) {
			engines = append(engines, engine{string(db.Dialect), db, reused[i]})
			continue
		}
		id, took, err := importTenant(ctx, db, data)
		if err != nil {
			return err
		}
		fmt.Printf("scry import (%s, in process): %.2f s\n", db.Dialect, took.Seconds())
		engines = append(engines, engine{string(db.Dialect), db, id})
	}
	fmt.Printf("\n| question | asker | engine | scry (rollups) p50 / p95 | scry (facts only) p50 / p95 | DuckDB p50 / p95 | ratio p50 (rollups ÷ DuckDB) |\n|---|---|---|---|---|---|---|\n")
	// One engine of each kind per database for the whole run, as a server
	// keeps one: an engine builds a tenant's parser (its vocabulary: 10,000
	// people's names at 10M shifts) at its first question and again only
	// after an import, which took 200–600 ms here. A first question asked
	// untimed builds it, so that it is not charged to whichever question
	// comes first (it was charged to every question's first run when each
	// question made its own engines).
	type pair struct{ withRollups, factsOnly *ask.Engine }
	pairs := map[string]pair{}
	for _, e := range engines {
		p := pair{&ask.Engine{DB: e.db, Model: semantic.BuiltinHR(), NoCache: true, Timeout: 10 * time.Second},
			&ask.Engine{DB: e.db, Model: semantic.BuiltinHR(), NoCache: true, FactsOnly: true, Timeout: 10 * time.Second}}
		who, err := ask.AskerFor(e.id, "admin")
		if err != nil {
			return err
		}
		for _, eng := range []*ask.Engine{p.withRollups, p.factsOnly} {
			t0 := time.Now()
			if _, err := eng.Ask(ctx, who, "How many employees do we have?", now); err != nil {
				return fmt.Errorf("%s: first question: %w", e.name, err)
			}
			fmt.Printf("%s: first question (builds the tenant's parser), untimed below: %.0f ms\n", e.name, float64(time.Since(t0).Microseconds())/1000)
		}
		pairs[e.name] = p
	}
	for _, q := range questions {
		for _, e := range engines {
			withRollups, factsOnly := pairs[e.name].withRollups, pairs[e.name].factsOnly
			who, err := ask.AskerFor(e.id, q.as)
			if err != nil {
				return err
			}
			var tr, tf, td []time.Duration
			var rowsScry [][]any
			var rowsDuck, timeouts int
			// interleaved, so that a busy moment of the machine hits all three
			for i := 0; i < runs; i++ {
				t0 := time.Now()
				a, err := withRollups.Ask(ctx, who, q.text, now)
				if err != nil {
					return fmt.Errorf("%s %q: %w", e.name, q.text, err)
				}
				tr = append(tr, time.Since(t0))
				rowsScry = a.Rows
				t0 = time.Now()
				if _, err := factsOnly.Ask(ctx, who, q.text, now); err != nil && !errcode.Is(err, errcode.Timeout) {
					return fmt.Errorf("%s %q (facts): %w", e.name, q.text, err)
				} else if err != nil {
					timeouts++ // what a user got before: the question stopped at its time limit
				}
				tf = append(tf, time.Since(t0))
				t0 = time.Now()
				n, err := queryDuck(duck, q.duck)
				if err != nil {
					return fmt.Errorf("duckdb %q: %w", q.text, err)
				}
				td = append(td, time.Since(t0))
				rowsDuck = n
			}
			note := ""
			if len(rowsScry) != rowsDuck {
				note = fmt.Sprintf(" (rows differ: scry %d, DuckDB %d)", len(rowsScry), rowsDuck)
			}
			if *showRuns {
				fmt.Printf("runs %s %s %q: rollups %s; facts %s; DuckDB %s\n", e.name, q.as, q.text, msList(tr), msList(tf), msList(td))
			}
			facts := pct(tf)
			if timeouts > 0 {
				facts += fmt.Sprintf(" (%d of %d stopped at the %s limit)", timeouts, runs, factsOnly.Timeout)
			}
			fmt.Printf("| %s | %s | %s | %s | %s | %s | %.2f×%s |\n", q.text, q.as, e.name, pct(tr), facts, pct(td),
				float64(quantile(tr, 0.5))/float64(quantile(td, 0.5)), note)
		}
	}
	return nil
}

func pct(ds []time.Duration) string {
	return fmt.Sprintf("%s / %s", ms(quantile(ds, 0.5)), ms(quantile(ds, 0.95)))
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func quantile(ds []time.Duration, q float64) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[int(math.Ceil(q*float64(len(s))))-1]
}

func importTenant(ctx context.Context, db *store.DB, data string) (int64, time.Duration, error) {
	var tn tenant.Tenant
	slug := fmt.Sprintf("bench-%d", time.Now().UnixNano())
	if err := db.Global(ctx, func(tx *store.Tx) error { var err error; tn, err = tenant.Create(ctx, tx, slug, ""); return err }); err != nil {
		return 0, 0, err
	}
	t0 := time.Now()
	err := db.InTenant(ctx, tn.ID, func(tx *store.Tx) error { _, err := hr.Import(ctx, tx, data, nil); return err })
	return tn.ID, time.Since(t0), err
}

func loadDuck(data string) (*sql.DB, time.Duration, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, 0, err
	}
	t0 := time.Now()
	for _, t := range []string{"employees", "shifts", "absences"} {
		q := fmt.Sprintf("create table %s as select * from read_csv('%s', header = true, auto_detect = true)", t, filepath.Join(data, t+".csv"))
		if _, err := db.Exec(q); err != nil {
			return nil, 0, err
		}
	}
	return db, time.Since(t0), nil
}

func queryDuck(db *sql.DB, q string) (int, error) {
	rows, err := db.Query(q)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

// binary is a scry binary and the PostgreSQL database its imports go to.
type binary struct{ path, pgURL, pgOwner string }

// importRatios times `scry import hr` (the whole process, validation and
// rollups included) against the databases' own bulk loaders of the same
// files into plain tables, each three times, alternating; with an earlier
// binary, its imports too, in the same rounds.
func importRatios(data string, scry, before binary, psql string) error {
	dir, err := os.MkdirTemp("", "scry-bench-import-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	timeCmd := func(env []string, name string, args ...string) (time.Duration, error) {
		cmd := exec.Command(name, args...)
		cmd.Env = append(os.Environ(), env...)
		t0 := time.Now()
		out, err := cmd.CombinedOutput()
		if err != nil {
			return 0, fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
		return time.Since(t0), nil
	}
	abs, _ := filepath.Abs(data)
	sqliteScript := ".mode csv\n"
	psqlScript := "drop table if exists employees, shifts, absences;\n"
	for _, t := range []string{"employees", "shifts", "absences"} {
		sqliteScript += fmt.Sprintf(".import %s %s\n", filepath.Join(abs, t+".csv"), t)
		head, err := header(filepath.Join(abs, t+".csv"))
		if err != nil {
			return err
		}
		psqlScript += fmt.Sprintf("create table %s (%s text);\n\\copy %s from '%s' csv header\n", t, strings.Join(head, " text, "), t, filepath.Join(abs, t+".csv"))
	}
	if err := os.WriteFile(filepath.Join(dir, "import.sqlite"), []byte(sqliteScript), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "import.psql"), []byte(psqlScript), 0o644); err != nil {
		return err
	}
	type times struct{ scry, before, anchor []time.Duration }
	var lite, pg times
	// one data folder for every PostgreSQL run of a binary: its audit heads
	// must match the one audit log its database keeps
	importLite := func(b binary, i int, name string) (time.Duration, error) {
		data := filepath.Join(dir, fmt.Sprintf("%s-%d", name, i))
		if _, err := timeCmd(nil, b.path, "tenant", "create", "bench", "--data", data); err != nil {
			return 0, err
		}
		defer os.RemoveAll(data)
		return timeCmd(nil, b.path, "import", "hr", "--data", data, "--tenant", "bench", abs)
	}
	importPG := func(b binary, i int, name string) (time.Duration, error) {
		env := []string{"SCRY_DATABASE_URL=" + b.pgURL, "SCRY_MIGRATE_DATABASE_URL=" + b.pgOwner}
		data := filepath.Join(dir, name+"-pg")
		slug := fmt.Sprintf("bench-%d-%d", time.Now().Unix(), i)
		if _, err := timeCmd(env, b.path, "tenant", "create", slug, "--data", data); err != nil {
			return 0, err
		}
		return timeCmd(env, b.path, "import", "hr", "--data", data, "--tenant", slug, abs)
	}
	for i := 0; i < 3; i++ {
		d, err := importLite(scry, i, "scry")
		if err != nil {
			return err
		}
		lite.scry = append(lite.scry, d)
		if before.path != "" {
			if d, err = importLite(before, i, "before"); err != nil {
				return err
			}
			lite.before = append(lite.before, d)
		}
		// sqlite3 creates plain tables (every column text, named by the
		// header) and loads them with no check at all: a SQLite load's floor
		db := filepath.Join(dir, fmt.Sprintf("anchor-%d.db", i))
		d, err = timeCmd(nil, "sh", "-c", fmt.Sprintf("sqlite3 %s < %s", db, filepath.Join(dir, "import.sqlite")))
		if err != nil {
			return err
		}
		os.Remove(db)
		lite.anchor = append(lite.anchor, d)
		if scry.pgURL == "" || psql == "" {
			continue
		}
		if d, err = importPG(scry, i, "scry"); err != nil {
			return err
		}
		pg.scry = append(pg.scry, d)
		if before.path != "" && before.pgURL != "" {
			if d, err = importPG(before, i, "before"); err != nil {
				return err
			}
			pg.before = append(pg.before, d)
		}
		if d, err = timeCmd(nil, "psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", psql, "-f", filepath.Join(dir, "import.psql")); err != nil {
			return err
		}
		pg.anchor = append(pg.anchor, d)
	}
	fmt.Printf("| import (whole process) | scry median (runs) | anchor median (runs) | ratio | before median (runs) | before ratio |\n|---|---|---|---|---|---|\n")
	show := func(name, anchor string, p times) {
		if len(p.scry) == 0 {
			return
		}
		s, a := quantile(p.scry, 0.5), quantile(p.anchor, 0.5)
		fmt.Printf("| %s | %.2f s (%s) | %s %.2f s (%s) | %.2f× |", name, s.Seconds(), secs(p.scry), anchor, a.Seconds(), secs(p.anchor), s.Seconds()/a.Seconds())
		if len(p.before) > 0 {
			b := quantile(p.before, 0.5)
			fmt.Printf(" %.2f s (%s) | %.2f× |", b.Seconds(), secs(p.before), b.Seconds()/a.Seconds())
		} else {
			fmt.Printf(" | |")
		}
		fmt.Println()
	}
	show("SQLite", "sqlite3 .import", lite)
	show("PostgreSQL", "psql \\copy", pg)
	fmt.Println()
	return nil
}

// msList is every run's time in milliseconds, in the order run.
func msList(ds []time.Duration) string {
	var s []string
	for _, d := range ds {
		s = append(s, fmt.Sprintf("%.0f", float64(d.Microseconds())/1000))
	}
	return strings.Join(s, " ")
}

func secs(ds []time.Duration) string {
	var s []string
	for _, d := range ds {
		s = append(s, fmt.Sprintf("%.2f", d.Seconds()))
	}
	return strings.Join(s, ", ")
}

func header(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, 4096)
	n, _ := f.Read(buf)
	line, _, _ := strings.Cut(string(buf[:n]), "\n")
	return strings.Split(strings.TrimSpace(line), ","), nil
}
