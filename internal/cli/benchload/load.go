// Package benchload drives the worker API of the labeling portal as many
// simulated workers at once: each takes a task, answers it and takes the
// next, until the time is up or no work is left. `scry bench label` and the
// crash-safety test use it.
package benchload

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"time"
)

// Config says whom to load and how.
type Config struct {
	BaseURL  string   // e.g. http://127.0.0.1:8080
	Tenant   string   // the tenant's slug
	Cookies  []string // one session cookie ("name=value") per simulated worker
	Duration time.Duration
	Labels   []string // labels answers may use
	// Think is how long a worker spends on a task between take and submit
	// (each time 0.5–1.5× it, at random); 0 sends back to back, which
	// measures capacity rather than latency under a workforce's load.
	Think time.Duration
	// OnAck hears of every submission the server acknowledged (HTTP 200).
	OnAck func(taskID int64, answer json.RawMessage)
	// OnError hears of every failed request, by HTTP status or "transport"
	// (the crash test waits for workers to meet a dead server).
	OnError func(key string)
}

// Result is what the run measured.
type Result struct {
	Workers   int            `json:"workers"`
	Seconds   float64        `json:"seconds"`
	Takes     int            `json:"takes"`
	Submits   int            `json:"submits"`
	PerSecond float64        `json:"submits_per_second"`
	TakeP50   float64        `json:"take_p50_ms"`
	TakeP99   float64        `json:"take_p99_ms"`
	SubmitP50 float64        `json:"submit_p50_ms"`
	SubmitP99 float64        `json:"submit_p99_ms"`
	Errors    map[string]int `json:"errors"` // by HTTP status or "transport"
	OutOfWork int            `json:"workers_out_of_work"`
}

type task struct {
	ID     int64  `json:"id"`
	Frames []int  `json:"frames"`
	Kind   string `json:"kind"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
}

// Run loads the server until cfg.Duration passes, ctx ends or every worker
// is out of work.
func Run(ctx context.Context, cfg Config) Result {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: len(cfg.Cookies)}, Timeout: 30 * time.Second}
	api := cfg.BaseURL + "/t/" + cfg.Tenant + "/portal/api"
	var mu sync.Mutex
	var takes, submits []time.Duration
	errs := map[string]int{}
	out := 0
	fail := func(key string) {
		mu.Lock()
		errs[key]++
		mu.Unlock()
		if cfg.OnError != nil {
			cfg.OnError(key)
		}
	}
	do := func(method, path, cookie string, body any) (int, []byte, time.Duration, error) {
		var r io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			r = bytes.NewReader(b)
		}
		req, _ := http.NewRequestWithContext(ctx, method, api+path, r)
		req.Header.Set("Cookie", cookie)
		req.Header.Set("Content-Type", "application/json")
		t0 := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, nil, time.Since(t0), err
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, b, time.Since(t0), nil
	}
	start := time.Now()
	deadline := start.Add(cfg.Duration)
	var wg sync.WaitGroup
	for w, cookie := range cfg.Cookies {
		wg.Add(1)
		go func(w int, cookie string) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			// Workers arrive over one think time, as people do, rather
			// than all in the same millisecond.
			if cfg.Think > 0 {
				time.Sleep(time.Duration(float64(cfg.Think) * float64(w) / float64(len(cfg.Cookies))))
			}
			for time.Now().Before(deadline) && ctx.Err() == nil {
				code, b, d, err := do("POST", "/take", cookie, nil)
				if err != nil || code != 200 {
					fail(status(code, err))
					time.Sleep(50 * time.Millisecond)
					continue
				}
				var got struct{ Task *task }
				json.Unmarshal(b, &got)
				mu.Lock()
				takes = append(takes, d)
				mu.Unlock()
				if got.Task == nil {
					mu.Lock()
					out++
					mu.Unlock()
					return
				}
				if cfg.Think > 0 {
					select {
					case <-time.After(time.Duration((0.5 + rng.Float64()) * float64(cfg.Think))):
					case <-ctx.Done():
						return
					}
				}
				ans := answer(rng, got.Task, cfg.Labels)
				body, _ := json.Marshal(ans)
				code, _, d, err = do("POST", fmt.Sprintf("/tasks/%d/submit", got.Task.ID), cookie, map[string]any{"answer": json.RawMessage(body), "active_ms": 1000})
				if err != nil || code != 200 {
					fail(status(code, err))
					continue
				}
				mu.Lock()
				submits = append(submits, d)
				mu.Unlock()
				if cfg.OnAck != nil {
					cfg.OnAck(got.Task.ID, body)
				}
			}
		}(w, cookie)
	}
	wg.Wait()
	secs := time.Since(start).Seconds()
	return Result{Workers: len(cfg.Cookies), Seconds: secs, Takes: len(takes), Submits: len(submits), PerSecond: float64(len(submits)) / secs,
		TakeP50: Percentile(takes, 0.5), TakeP99: Percentile(takes, 0.99), SubmitP50: Percentile(submits, 0.5), SubmitP99: Percentile(submits, 0.99), Errors: errs, OutOfWork: out}
}

// answer is a plausible answer: a box or two near the middle of each frame
// (they overlap between workers, so consolidation has clusters to make),
// or a verdict.
func answer(rng *rand.Rand, t *task, labels []string) map[string]any {
	if t.Kind == "verify" {
		return map[string]any{"verdict": "accept"}
	}
	frames := map[string]any{}
	w, h := max(t.Width, 16), max(t.Height, 16)
	for _, f := range t.Frames {
		var boxes []map[string]any
		for range 1 + rng.IntN(2) {
			boxes = append(boxes, map[string]any{"x": w/4 + rng.IntN(3), "y": h/4 + rng.IntN(3), "w": w / 2, "h": h / 2, "label": labels[rng.IntN(len(labels))]})
		}
		frames[strconv.Itoa(f)] = boxes
	}
	return map[string]any{"frames": frames}
}

func status(code int, err error) string {
	if err != nil {
		return "transport"
	}
	return strconv.Itoa(code)
}

// Percentile is the p-th (0–1) of the durations, in milliseconds (0 for none).
func Percentile(ds []time.Duration, p float64) float64 {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return float64(s[int(p*float64(len(s)-1))].Microseconds()) / 1000
}
