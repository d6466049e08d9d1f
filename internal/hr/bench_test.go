package hr_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scry-dev/scry/internal/demo"
	"github.com/scry-dev/scry/internal/hr"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
)

// peakRSS is the process's peak resident set (VmHWM) in MB.
func peakRSS() float64 {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			kb, _ := strconv.Atoi(strings.Fields(l)[1])
			return float64(kb) / 1024
		}
	}
	return 0
}

func benchImport(b *testing.B, d store.Dialect, dir string) {
	db := storetest.Open(b, d)
	ctx := context.Background()
	tn := storetest.Tenant(b, db, "bench")
	var rows int64
	for b.Loop() {
		err := db.InTenant(ctx, tn.ID, func(tx *store.Tx) error {
			c, err := hr.Import(ctx, tx, dir, nil)
			rows = c.Employees + c.Shifts + c.Absences
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(peakRSS(), "peak-RSS-MB")
}

// BenchmarkImport imports acme-retail (86k shifts) and a generated tenant of
// 1,000,000 shifts, committing each import, on both databases.
func BenchmarkImport(b *testing.B) {
	acme, err := demo.Extract("acme-retail", b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	big := b.TempDir()
	if err := hr.Generate(big, 1_000_000, 1); err != nil {
		b.Fatal(err)
	}
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		b.Run(string(d)+"/acme-retail", func(b *testing.B) { benchImport(b, d, acme) })
		b.Run(string(d)+"/generated-1M", func(b *testing.B) { benchImport(b, d, big) })
	}
}

// BenchmarkLoadFloor measures what an import within 2× of `sqlite3 .import`
// and `psql \copy` would have to fit around, on the shifts of the generated
// 1M tenant, parsed before the clock starts: on SQLite the database/sql
// insert of the rows through the pure-Go driver, 32 a statement, into a
// table with no key, no check and no rollup, committed; on PostgreSQL
// COPY of the rows into a new partition of shifts and its swap (index,
// ANALYZE, attach), committed, without rollups. The README sets these
// beside the anchors.
func BenchmarkLoadFloor(b *testing.B) {
	dir := b.TempDir()
	if err := hr.Generate(dir, 1_000_000, 1); err != nil {
		b.Fatal(err)
	}
	f, err := os.Open(dir + "/shifts.csv")
	if err != nil {
		b.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	cols, recs := recs[0], recs[1:]
	rows := make([][]any, len(recs))
	for i, r := range recs {
		brk, _ := strconv.ParseInt(r[5], 10, 64)
		hours, _ := strconv.ParseFloat(r[6], 64)
		rows[i] = []any{r[0], r[1], r[2], r[3], r[4], brk, hours, r[7], r[8], r[9]}
	}
	ctx := context.Background()
	b.Run("sqlite/driver-insert", func(b *testing.B) {
		db := storetest.Open(b, store.SQLite)
		tn := storetest.Tenant(b, db, "floor")
		const per = 32
		values := strings.TrimSuffix(strings.Repeat("("+strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",")+"),", per), ",")
		n := 0
		for b.Loop() {
			n++
			table := fmt.Sprintf("floor_%d", n)
			err := db.InTenant(ctx, tn.ID, func(tx *store.Tx) error {
				if _, err := tx.ExecContext(ctx, "create table "+table+" ("+strings.Join(cols, ", ")+")"); err != nil {
					return err
				}
				stmt, err := tx.PrepareContext(ctx, "insert into "+table+" values "+values)
				if err != nil {
					return err
				}
				args := make([]any, 0, per*len(cols))
				for i, r := range rows {
					if args = append(args, r...); (i+1)%per == 0 {
						if _, err := stmt.ExecContext(ctx, args...); err != nil {
							return err
						}
						args = args[:0]
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(rows))*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
	b.Run("postgres/copy-and-swap", func(b *testing.B) {
		db := storetest.Open(b, store.Postgres)
		n := 0
		for b.Loop() {
			n++
			tn := storetest.Tenant(b, db, fmt.Sprintf("floor-%d", n))
			err := db.InTenant(ctx, tn.ID, func(tx *store.Tx) error {
				if err := tx.StageHR(ctx, []string{"shifts"}); err != nil {
					return err
				}
				table, all := tx.StagedHR("shifts"), append([]string{"tenant_id"}, cols...)
				enc, err := tx.CopyRows(ctx, table, all)
				if err != nil {
					return err
				}
				row := []any{tn.ID}
				for _, r := range rows {
					if err := enc.Add(append(row[:1], r...)...); err != nil {
						return err
					}
					if enc.Size() >= 1<<20 {
						if err := tx.CopyInto(ctx, table, all, enc.Take()); err != nil {
							return err
						}
					}
				}
				if err := tx.CopyInto(ctx, table, all, enc.Take()); err != nil {
					return err
				}
				return tx.SwapHR(ctx, []string{"shifts"}, time.Second)
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(rows))*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
}
