package hr_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

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
