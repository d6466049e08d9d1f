package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/scry-dev/scry/internal/ask"
	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/cli/benchload"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/web"
)

// benchQuestions mix the kinds of question of the development set.
var benchQuestions = []string{
	"How many employees do we have?", "How many employees are in the Logistics department?",
	"Show me all part-time employees who worked more than 30 hours last month", "Give me the gender parity",
	"Give me the worked hours per week per position for the last 3 months", "Who's working today?",
	"Show me employee attendance over the last 6 months", "Compare hours worked across departments this year",
	"What's the breakdown of full-time vs. part-time staff?", "Headcount by department", "How many sick days did each department have this year?",
	"Top 5 employees by hours worked last month", "Average age of employees by department", "How has attendance changed this year?",
	"Number of shifts by weekday and start hour", "Who was on sick leave last week?", "Show me everyone's upcoming vacation time",
}

func benchCommand() *command {
	return &command{name: "bench", summary: "load tests on this machine's loopback", subs: []*command{
		{name: "http", summary: "serve in-process on 127.0.0.1 and send POST /api/v1/ask from N clients for a while; report throughput, latency and memory",
			usage:   "--tenant <slug> --as <email> [--clients 16] [--duration 60s] [--now YYYY-MM-DD]",
			example: "scry demo seed && scry bench http --tenant acme-retail --as admin@acme-retail.example --clients 16 --duration 60s --now 2026-11-25",
			flags: func(fs *flag.FlagSet, c *call) {
				tenantFlag(fs)
				fs.String("as", "", "the user the clients ask as (a token is made for the run)")
				fs.Int("clients", 16, "concurrent clients")
				fs.Duration("duration", 60*time.Second, "how long to send (at most 10m)")
				fs.String("now", "", "reference date sent with every question")
				fs.Bool("no-cache", false, "run every question against the database (no result cache)")
				engineFlags(fs, c)
			},
			run: benchHTTP},
		{name: "label", summary: "simulated workers take and submit labeling tasks on loopback; report tasks/s, take and submit latency, and check that nothing was lost or given twice",
			usage:   "[--workers 200] [--duration 60s] [--think 1s] [--frames 20000] [--workers-per-item 3] [--url http://127.0.0.1:8080]",
			example: "scry bench label --workers 200 --duration 60s\nSCRY_DATABASE_URL=postgres://… scry bench label --workers 200 --duration 60s",
			flags: func(fs *flag.FlagSet, c *call) {
				fs.Int("workers", 200, "simulated workers, each with a session of its own")
				fs.Duration("duration", 60*time.Second, "how long to load (at most 10m)")
				fs.Int("frames", 20000, "items of the job (one frame each)")
				fs.Int("workers-per-item", 3, "answers per item")
				fs.String("url", "", "a running scry serve on the same data to load (default: serve in-process on 127.0.0.1)")
				fs.String("tenant", "", "the new tenant the run creates (default load-<time>)")
				fs.Duration("think", time.Second, "time a worker spends on a task, 0.5–1.5× at random (0: back to back, to measure capacity)")
			},
			run: benchLabel},
	}}
}

func benchLabel(ctx context.Context, c *call) error {
	workers, _ := strconv.Atoi(c.flag("workers"))
	frames, _ := strconv.Atoi(c.flag("frames"))
	wpi, _ := strconv.Atoi(c.flag("workers-per-item"))
	dur, _ := time.ParseDuration(c.flag("duration"))
	if workers < 1 || workers > 1000 || frames < 1 || frames > 1_000_000 || wpi < 1 || wpi > 9 || dur <= 0 || dur > 10*time.Minute {
		return errcode.New(errcode.Invalid, "--workers 1–1000, --frames 1–1000000, --workers-per-item 1–9, --duration at most 10m")
	}
	slug := firstNonEmpty(c.flag("tenant"), fmt.Sprintf("load-%d", time.Now().Unix()))
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.env.Stderr, "preparing tenant %s: %d workers, a job of %d items × %d answers …\n", slug, workers, frames, wpi)
	setup, err := benchload.Prepare(ctx, db, c.objects, slug, workers, frames, wpi, 10*time.Minute)
	if err != nil {
		return err
	}
	base := c.flag("url")
	if base == "" {
		log, err := c.audit()
		if err != nil {
			return err
		}
		var stop func()
		if base, stop, err = c.serveLoopback(ctx, db, log, nil); err != nil {
			return err
		}
		defer stop()
	}
	var mu sync.Mutex
	acked := map[int64]string{}
	fmt.Fprintf(c.env.Stderr, "loading %s for %s …\n", base, dur)
	think, _ := time.ParseDuration(c.flag("think"))
	res := benchload.Run(ctx, benchload.Config{BaseURL: base, Tenant: slug, Cookies: setup.Cookies, Duration: dur, Labels: setup.Labels, Think: think,
		OnAck: func(id int64, a json.RawMessage) { mu.Lock(); acked[id] = string(a); mu.Unlock() }})
	problems, err := benchload.Check(ctx, db, setup.Tenant.ID, setup.Job.ID, acked)
	if err != nil {
		return err
	}
	out := map[string]any{"tenant": slug, "dialect": db.Dialect, "result": res, "acknowledged": len(acked), "problems": problems}
	if err := c.out(out, func(w io.Writer) {
		fmt.Fprintf(w, "%s on %s: %d workers, %d submits in %.0f s = %.0f tasks/s; take p50 %.1f / p99 %.1f ms; submit p50 %.1f / p99 %.1f ms; errors %v; %d acknowledged, problems: %v\n",
			slug, db.Dialect, res.Workers, res.Submits, res.Seconds, res.PerSecond, res.TakeP50, res.TakeP99, res.SubmitP50, res.SubmitP99, res.Errors, len(acked), problems)
	}); err != nil {
		return err
	}
	if len(problems) > 0 {
		return errcode.New(errcode.Conflict, "The load run found %d problem(s): %v", len(problems), problems)
	}
	return nil
}

// serveLoopback serves in-process on a free loopback port, without rate
// limits (the load comes from one address), until stop is called.
func (c *call) serveLoopback(ctx context.Context, db *store.DB, log *audit.Log, eng *ask.Engine) (base string, stop func(), err error) {
	srv := web.New(web.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), PerIP: 1e6, PerUser: 1e6, DataDir: c.dataDir, Objects: c.objects}, db, log, eng)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	sctx, cancel := context.WithCancel(ctx)
	go srv.Serve(sctx, ln)
	return "http://" + ln.Addr().String(), cancel, nil
}

func rssMB() float64 {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmRSS:") {
			kb, _ := strconv.Atoi(strings.Fields(l)[1])
			return float64(kb) / 1024
		}
	}
	return 0
}

func benchHTTP(ctx context.Context, c *call) error {
	clients, _ := strconv.Atoi(c.flag("clients"))
	dur, _ := time.ParseDuration(c.flag("duration"))
	if clients < 1 || clients > 256 || dur <= 0 || dur > 10*time.Minute {
		return errcode.New(errcode.Invalid, "--clients must be 1–256 and --duration at most 10m")
	}
	db, t, log, err := c.tenantAudit(ctx)
	if err != nil {
		return err
	}
	by := c.actorIn(db, log, t)
	tok, err := identity.IssueToken(ctx, by, c.flag("as"), "bench http", time.Hour)
	if err != nil {
		return err
	}
	defer func() {
		if err := identity.WithdrawToken(context.Background(), by, tok.ID); err != nil {
			fmt.Fprintf(c.env.Stderr, "scry: the bench token %d could not be revoked (it expires within the hour): %v\n", tok.ID, err)
		}
	}()
	eng, err := c.engine(db)
	if err != nil {
		return err
	}
	eng.NoCache = c.flag("no-cache") == "true"
	// The clients stand for as many people of one tenant: the per-user
	// limit would make them one person's queue. The tenant's limit applies.
	eng.Limits.PerUser = clients
	base, stop, err := c.serveLoopback(ctx, db, log, eng)
	if err != nil {
		return err
	}
	defer stop()
	url := base + "/api/v1/ask"
	rssStart := rssMB()
	fmt.Fprintf(c.env.Stderr, "sending to %s from %d clients for %s …\n", url, clients, dur)

	var mu sync.Mutex
	var lat []time.Duration
	errs := map[string]int{}
	deadline := time.Now().Add(dur)
	var rssSamples []float64
	sampler := time.NewTicker(dur / 6)
	defer sampler.Stop()
	go func() {
		for range sampler.C {
			mu.Lock()
			rssSamples = append(rssSamples, rssMB())
			mu.Unlock()
		}
	}()
	var wg sync.WaitGroup
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}, Timeout: 30 * time.Second}
	for w := 0; w < clients; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; time.Now().Before(deadline) && ctx.Err() == nil; i++ {
				body, _ := json.Marshal(map[string]string{"question": benchQuestions[i%len(benchQuestions)], "now": c.flag("now")})
				req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+tok.Secret)
				req.Header.Set("Content-Type", "application/json")
				t0 := time.Now()
				resp, err := client.Do(req)
				d := time.Since(t0)
				key := ""
				if err != nil {
					key = "transport"
				} else {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						key = strconv.Itoa(resp.StatusCode)
					}
				}
				mu.Lock()
				lat = append(lat, d)
				if key != "" {
					errs[key]++
				}
				mu.Unlock()
			}
		}(w)
	}
	wg.Wait()
	rssEnd := rssMB()
	pct := func(p float64) float64 { return benchload.Percentile(lat, p) }
	res := map[string]any{"requests": len(lat), "seconds": dur.Seconds(), "per_second": float64(len(lat)) / dur.Seconds(),
		"p50_ms": pct(0.5), "p95_ms": pct(0.95), "p99_ms": pct(0.99), "errors": errs, "rss_start_mb": rssStart, "rss_end_mb": rssEnd, "rss_samples_mb": rssSamples, "clients": clients}
	return c.out(res, func(w io.Writer) {
		fmt.Fprintf(w, "%d requests in %s from %d clients: %.0f/s; latency p50 %.1f ms, p95 %.1f ms, p99 %.1f ms; errors %v; RSS %.0f MB at start, %.0f MB at end (along the way: %.0f)\n",
			len(lat), dur, clients, res["per_second"], pct(0.5), pct(0.95), pct(0.99), errs, rssStart, rssEnd, rssSamples)
	})
}
