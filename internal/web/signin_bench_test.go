package web

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/scry-dev/scry/internal/store"
)

// BenchmarkAskDuringFailedSignIns: one tenant's questions while another
// tenant receives 11 wrong sign-ins a second, against one server on SQLite
// (where every tenant shares one writer). Compare the sub-benchmarks'
// p95-ms with idle's (the target: within 2×). "one-address" is the
// attack of issue 11 (one client guessing accounts: the lockout soon stops
// its hashes); "new-address-each" sends each guess from a new address for
// a new account, so that every one costs a full password hash (the worst
// case: a distributed guesser).
func BenchmarkAskDuringFailedSignIns(b *testing.B) {
	f := setup(b, store.SQLite)
	f.srv.cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	beta := f.signIn(b, "beta", "admin@beta.example")
	ask := func(b *testing.B) time.Duration {
		t0 := time.Now()
		resp, _ := f.do(b, "POST", "/api/v1/ask", map[string]string{"question": "How many employees do we have?", "now": "2026-11-25"}, withCookie(beta))
		if resp.StatusCode != 200 {
			b.Fatalf("ask: %d", resp.StatusCode)
		}
		return time.Since(t0)
	}
	measure := func(b *testing.B) {
		ask(b) // warm the cache of answers and connections
		var ds []time.Duration
		for b.Loop() {
			ds = append(ds, ask(b))
		}
		slices.Sort(ds)
		b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(ds[int(0.95*float64(len(ds)-1))].Microseconds())/1000, "p95-ms")
	}
	b.Run("idle", measure)
	for _, load := range []struct {
		name string
		addr func(i int) string
	}{
		{"one-address", func(int) string { return "198.18.0.1" }},
		{"new-address-each", func(i int) string { return fmt.Sprintf("198.19.%d.%d", i/250, i%250+1) }},
	} {
		b.Run(load.name, func(b *testing.B) {
			ctx, cancel := context.WithCancel(context.Background())
			var wg sync.WaitGroup
			wg.Add(1)
			sent := 0
			go func() {
				defer wg.Done()
				tick := time.NewTicker(time.Second / 11)
				defer tick.Stop()
				var inflight sync.WaitGroup
				defer inflight.Wait()
				for i := 0; ; i++ {
					select {
					case <-ctx.Done():
						return
					case <-tick.C:
					}
					inflight.Add(1)
					sent++
					go func() {
						defer inflight.Done()
						jsonSignIn(b, f.ts.URL, "alpha", fmt.Sprintf("guess%d@alpha.example", i), "a wrong password!!", "X-Forwarded-For", load.addr(i))
					}()
				}
			}()
			measure(b)
			cancel()
			wg.Wait()
			b.ReportMetric(float64(sent)/b.Elapsed().Seconds(), "sign-ins/s")
		})
	}
}
