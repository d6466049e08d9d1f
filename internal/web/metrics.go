package web

import (
	"fmt"
	"io"
	"sort"
	"sync"
	"time"
)

// metrics counts what /metrics reports in the Prometheus text format.
type metrics struct {
	mu        sync.Mutex
	requests  map[[2]string]int64 // route, status class
	durations map[string]*histogram
	outcomes  map[string]map[string]int64 // counter → outcome → count
}

// outcomeCounters are the counters by outcome, in the order printed.
var outcomeCounters = []struct{ name, help string }{
	{"scry_asks_total", "Questions asked, by outcome."},
	{"scry_hr_imports_total", "HR imports through the server, by outcome."},
	{"scry_label_submits_total", "Labeling answers submitted through the portal, by outcome (stored, duplicate, item_done, job_done)."},
}

var buckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}

type histogram struct {
	counts []int64
	sum    float64
	n      int64
}

func newMetrics() *metrics {
	m := &metrics{requests: map[[2]string]int64{}, durations: map[string]*histogram{}, outcomes: map[string]map[string]int64{}}
	for _, c := range outcomeCounters {
		m.outcomes[c.name] = map[string]int64{}
	}
	return m
}

func (m *metrics) request(route string, status int, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[[2]string{route, fmt.Sprintf("%dxx", status/100)}]++
	h := m.durations[route]
	if h == nil {
		h = &histogram{counts: make([]int64, len(buckets))}
		m.durations[route] = h
	}
	s := d.Seconds()
	for i, b := range buckets {
		if s <= b {
			h.counts[i]++
		}
	}
	h.sum += s
	h.n++
}

// outcome counts one event of a counter of outcomeCounters.
func (m *metrics) outcome(counter, outcome string) {
	m.mu.Lock()
	m.outcomes[counter][outcome]++
	m.mu.Unlock()
}

func counter(w io.Writer, name, help string, vals map[string]int64) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s counter\n", name, help, name)
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "%s{outcome=%q} %d\n", name, k, vals[k])
	}
}

func (m *metrics) write(w io.Writer) {
	m.mu.Lock()
	defer m.mu.Unlock()
	fmt.Fprintln(w, "# HELP scry_http_requests_total HTTP requests by route and status class.")
	fmt.Fprintln(w, "# TYPE scry_http_requests_total counter")
	var keys [][2]string
	for k := range m.requests {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0]+keys[i][1] < keys[j][0]+keys[j][1] })
	for _, k := range keys {
		fmt.Fprintf(w, "scry_http_requests_total{route=%q,status=%q} %d\n", k[0], k[1], m.requests[k])
	}
	fmt.Fprintln(w, "# HELP scry_http_request_duration_seconds HTTP request latency by route.")
	fmt.Fprintln(w, "# TYPE scry_http_request_duration_seconds histogram")
	var routes []string
	for r := range m.durations {
		routes = append(routes, r)
	}
	sort.Strings(routes)
	for _, r := range routes {
		h := m.durations[r]
		for i, b := range buckets {
			fmt.Fprintf(w, "scry_http_request_duration_seconds_bucket{route=%q,le=\"%g\"} %d\n", r, b, h.counts[i])
		}
		fmt.Fprintf(w, "scry_http_request_duration_seconds_bucket{route=%q,le=\"+Inf\"} %d\n", r, h.n)
		fmt.Fprintf(w, "scry_http_request_duration_seconds_sum{route=%q} %g\n", r, h.sum)
		fmt.Fprintf(w, "scry_http_request_duration_seconds_count{route=%q} %d\n", r, h.n)
	}
	for _, c := range outcomeCounters {
		counter(w, c.name, c.help, m.outcomes[c.name])
	}
}
