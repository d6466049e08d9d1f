package cli_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/cli/benchload"
	"github.com/scry-dev/scry/internal/detect"
	"github.com/scry-dev/scry/internal/hr"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/labeling"
	"github.com/scry-dev/scry/internal/media"
	"github.com/scry-dev/scry/internal/media/mediatest"
	"github.com/scry-dev/scry/internal/objstore"
	"github.com/scry-dev/scry/internal/objstore/objstoretest"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
	"github.com/scry-dev/scry/internal/tenant"
	"github.com/scry-dev/scry/internal/testwait"
	"github.com/scry-dev/scry/internal/video"
	"github.com/scry-dev/scry/internal/workforce"
)

// cluster is an installation spread over processes: one PostgreSQL, one
// S3 server (versitygw), one audit key, and a data folder per process.
type cluster struct {
	cfg      store.Config
	env      []string // what every process shares
	objs     objstore.Store
	db       *store.DB // the test's own handle, for seeding and checking
	auditKey string
}

func newCluster(t testing.TB) *cluster {
	t.Helper()
	cfg := storetest.Config(t, store.Postgres) // skips without PostgreSQL
	spec, aws := objstoretest.Server(t)        // skips without versitygw
	c := &cluster{cfg: cfg, auditKey: filepath.Join(t.TempDir(), "audit.key")}
	shared := map[string]string{"SCRY_DATABASE_URL": cfg.DatabaseURL, "SCRY_MIGRATE_DATABASE_URL": cfg.MigrateURL,
		"SCRY_OBJECT_STORE": spec, "SCRY_AUDIT_KEY": c.auditKey, "SCRY_TRUSTED_PROXIES": "127.0.0.1/32"}
	for k, v := range aws {
		shared[k] = v
	}
	// deploy/systemd/scry.env names what the processes share: the same
	// variables as here, so the units run as this test does.
	envFile, err := os.ReadFile("../../deploy/systemd/scry.env")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(envFile), "\n") {
		if k, _, ok := strings.Cut(line, "="); ok && !strings.HasPrefix(line, "#") {
			if _, set := shared[k]; !set {
				t.Fatalf("deploy/systemd/scry.env sets %s, which the cluster does not share", k)
			}
		}
	}
	c.env = os.Environ()
	for k, v := range shared {
		c.env = append(c.env, k+"="+v)
	}
	// A killed worker's analysis goes to another 10 s after its last
	// heartbeat (1 min by default), to keep the test short.
	c.env = append(c.env, "SCRY_RESCUE_AFTER=10s")
	objs, err := objstore.Open(spec, t.TempDir(), func(k string) string { return aws[k] })
	if err != nil {
		t.Fatal(err)
	}
	c.objs = objs
	if c.db, err = store.Open(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.db.Close() })
	// What an installation does first (deploy/systemd/scry-migrate.service):
	// migrate, make the bucket, create the audit key.
	c.run(t, unit(t, "scry-migrate.service", "")...)
	return c
}

// start runs scry with args in a data folder of its own; its output goes
// to a log file shown if the test fails.
func (c *cluster) start(t testing.TB, name string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(c.env, "SCRY_DATA="+t.TempDir())
	logf, err := os.Create(filepath.Join(t.TempDir(), name+".log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		logf.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logf.Name())
			if len(b) > 4000 {
				b = b[len(b)-4000:]
			}
			t.Logf("--- %s (end of its log):\n%s", name, b)
		}
	})
	return cmd
}

// run runs a short scry command and returns its stdout.
func (c *cluster) run(t testing.TB, args ...string) string {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(c.env, "SCRY_DATA="+t.TempDir())
	var out, errs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errs
	if err := cmd.Run(); err != nil {
		t.Fatalf("scry %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errs.String())
	}
	return out.String()
}

func freeAddr(t testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// unit is the command line of deploy/systemd/<file>'s ExecStart, its
// instance (%i) given, the scry it runs this test's binary: the processes of
// these tests are the units' processes. (Their Environment= is the data
// folder, a temporary one here.)
func unit(t testing.TB, file, instance string) []string {
	t.Helper()
	b, err := os.ReadFile("../../deploy/systemd/" + file)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if cmd, ok := strings.CutPrefix(line, "ExecStart="); ok {
			args := strings.Fields(strings.ReplaceAll(cmd, "%i", instance))
			if args[0] != "/usr/local/bin/scry" {
				t.Fatalf("%s runs %s, not scry", file, args[0])
			}
			return args[1:]
		}
	}
	t.Fatalf("%s has no ExecStart", file)
	return nil
}

// serve starts deploy/systemd/scry-serve@.service's `scry serve --workers
// 0` and waits until /healthz says the database and the object store
// answer. The test adds high rate limits: its 200 reviewers all come from
// one address.
func (c *cluster) serve(t testing.TB, name string) (*exec.Cmd, string) {
	t.Helper()
	addr := freeAddr(t)
	_, port, _ := net.SplitHostPort(addr)
	cmd := c.start(t, name, append(unit(t, "scry-serve@.service", port), "--rate-per-ip", "100000", "--rate-per-user", "100000")...)
	addr = "127.0.0.1:" + port
	testwait.Eventually(t, 2*time.Minute, func() error {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			return err
		}
		var h map[string]string
		json.NewDecoder(resp.Body).Decode(&h)
		resp.Body.Close()
		if resp.StatusCode != 200 || h["object_store"] != "ok" {
			return fmt.Errorf("healthz: %s %v", resp.Status, h)
		}
		return nil
	})
	return cmd, addr
}

// balancer is the load balancer in front of the servers: round robin; a
// server that refuses the connection (dead) is skipped, as a real load
// balancer's health check would; a request cut off inside a server fails
// (502), as it would behind a real one.
func balancer(t testing.TB, addrs ...string) string {
	var next atomic.Uint64
	tr := &http.Transport{MaxIdleConnsPerHost: 512}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		first := int(next.Add(1))
		for i := range addrs {
			req, _ := http.NewRequestWithContext(r.Context(), r.Method, "http://"+addrs[(first+i)%len(addrs)]+r.URL.RequestURI(), bytes.NewReader(body))
			req.Header = r.Header.Clone()
			resp, err := tr.RoundTrip(req)
			var op *net.OpError
			if errors.As(err, &op) && op.Op == "dial" {
				continue // never reached the server: safe to send to the next
			}
			if err != nil {
				http.Error(w, "bad gateway", http.StatusBadGateway)
				return
			}
			for k, v := range resp.Header {
				w.Header()[k] = v
			}
			w.WriteHeader(resp.StatusCode)
			io.Copy(w, resp.Body)
			resp.Body.Close()
			return
		}
		http.Error(w, "no server answers", http.StatusServiceUnavailable)
	}))
	t.Cleanup(ts.Close)
	t.Cleanup(tr.CloseIdleConnections)
	return ts.URL
}

const clusterPassword = "a long enough password"

// seedAdmin makes tenant slug with HR data and an admin who can sign in.
func (c *cluster) seedAdmin(t testing.TB, slug string) string {
	t.Helper()
	ctx := context.Background()
	tn := storetest.Tenant(t, c.db, slug)
	email := "admin@" + slug + ".example"
	err := c.db.InTenant(ctx, tn.ID, func(tx *store.Tx) error {
		if _, err := hr.Import(ctx, tx, "../hr/testdata/valid", nil); err != nil {
			return err
		}
		if _, err := identity.Add(ctx, tx, identity.User{Email: email, Role: identity.Admin}); err != nil {
			return err
		}
		return identity.SetPassword(ctx, tx, email, clusterPassword)
	})
	if err != nil {
		t.Fatal(err)
	}
	return email
}

// client is a signed-in admin speaking to one address.
type client struct {
	t      *testing.T
	cookie string
}

func signIn(t *testing.T, base, slug, email string) *client {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"tenant": slug, "email": email, "password": clusterPassword})
	resp, err := http.Post(base+"/api/v1/session", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, ck := range resp.Cookies() {
		if ck.Name == "scry_session" {
			return &client{t: t, cookie: ck.Name + "=" + ck.Value}
		}
	}
	t.Fatalf("sign in on %s: %s", base, resp.Status)
	return nil
}

func (c *client) do(method, url, ctype string, body io.Reader) (int, []byte) {
	c.t.Helper()
	req, _ := http.NewRequest(method, url, body)
	req.Header.Set("Cookie", c.cookie)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// TestSeveralProcesses is the installation of deploy/systemd: two `scry
// serve` and two `scry worker` processes run from the units' command
// lines, each with its own data folder, on one PostgreSQL and one S3 server.
//
//   - A video uploaded through server A is analysed by a worker; worker 1,
//     which took the analysis, is SIGKILLed mid-analysis and worker 2
//     finishes it; server B shows the result and cuts a frame from S3.
//   - A reviewer signs in to the portal on A (temporary password, own
//     password, TOTP) and takes a task through B; the TOTP code used on A
//     is refused on B; failed sign-ins on A and B count against one lockout.
//   - An import through A changes the answer B gives to the same question.
//   - 200 reviewers work a labeling job through a load balancer over A and
//     B; A is SIGKILLed in the middle: every acknowledged answer is stored,
//     no task was leased twice, the job completes.
//   - `scry audit verify` passes over records written by all four
//     processes, each record naming its process.
func TestSeveralProcesses(t *testing.T) {
	c := newCluster(t)
	ctx := context.Background()
	email := c.seedAdmin(t, "multi")
	srvA, addrA := c.serve(t, "serve-a")
	srvB, addrB := c.serve(t, "serve-b")
	a := signIn(t, "http://"+addrA, "multi", email)

	// The video goes up through A, in parts, into S3.
	clip := filepath.Join(t.TempDir(), "long.mp4")
	mediatest.FFmpeg(t, "-f", "lavfi", "-i", "testsrc=s=640x360:r=25:d=40", "-pix_fmt", "yuv420p", clip)
	f, err := os.Open(clip)
	if err != nil {
		t.Fatal(err)
	}
	code, body := a.do("POST", "http://"+addrA+"/api/v1/videos?filename=long.mp4", "application/octet-stream", f)
	f.Close()
	var added struct{ Video video.Video }
	if json.Unmarshal(body, &added); code != 201 || added.Video.ID == "" {
		t.Fatalf("upload through A: %d %s", code, body)
	}
	tn, err := tenant.Get(ctx, c.db, "multi")
	if err != nil {
		t.Fatal(err)
	}
	if l, err := c.objs.List(ctx, fmt.Sprintf("videos/%d/%s", tn.ID, added.Video.ID)); err != nil || len(l) != 1 || l[0].Size != added.Video.Size {
		t.Fatalf("the video is not in S3: %v %v", l, err)
	}

	// Worker 1 takes the analysis and is killed mid-analysis; worker 2
	// ends it while the rest of the test runs.
	w1 := c.start(t, "worker-1", unit(t, "scry-worker@.service", "1")...)
	var queued struct{ ID int64 }
	json.Unmarshal([]byte(c.run(t, "video", "analyze", "--tenant", "multi", added.Video.ID, "--prompt", "Detect the red box", "--fps", "5", "--detach", "--json")), &queued)
	testwait.Eventually(t, 3*time.Minute, func() error {
		an, err := video.GetAnalysis(ctx, c.db, tn.ID, queued.ID)
		if err != nil || an.Status != "running" || an.Progress == 0 {
			return fmt.Errorf("analysis %d: %s %.2f %v", queued.ID, an.Status, an.Progress, err)
		}
		return nil
	})
	w2 := c.start(t, "worker-2", unit(t, "scry-worker@.service", "2")...)
	w1.Process.Signal(syscall.SIGKILL)
	w1.Wait()
	killed := time.Now()

	reviewerAcrossServers(t, c, "http://"+addrA, "http://"+addrB)

	// An import through A: B's next answer is the new data's.
	b := signIn(t, "http://"+addrB, "multi", email)
	ask := func(cl *client, base string) string {
		code, body := cl.do("POST", base+"/api/v1/ask", "application/json", strings.NewReader(`{"question":"Total hours worked","now":"2026-11-25"}`))
		if code != 200 {
			t.Fatalf("ask: %d %s", code, body)
		}
		var ans struct{ Rows [][]any }
		json.Unmarshal(body, &ans)
		return fmt.Sprint(ans.Rows)
	}
	before := ask(b, "http://"+addrB)
	ask(b, "http://"+addrB) // now cached on B
	ct, form := importBody(t)
	if code, body := a.do("POST", "http://"+addrA+"/api/v1/imports/hr", ct, form); code != 200 {
		t.Fatalf("import through A: %d %s", code, body)
	}
	if after := ask(b, "http://"+addrB); after == before {
		t.Fatalf("B still answers %s after A's import", after)
	}

	// 200 reviewers through the load balancer; A dies in the middle.
	setup, err := benchload.Prepare(ctx, c.db, c.objs, "multi-label", 200, 300, 3, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	lb := balancer(t, addrA, addrB)
	var mu sync.Mutex
	acked := map[int64]string{}
	resc := make(chan benchload.Result)
	go func() {
		resc <- benchload.Run(ctx, benchload.Config{BaseURL: lb, Tenant: "multi-label", Cookies: setup.Cookies, Duration: 5 * time.Minute, Labels: setup.Labels,
			OnAck: func(id int64, a json.RawMessage) { mu.Lock(); acked[id] = string(a); mu.Unlock() }})
	}()
	testwait.Eventually(t, 3*time.Minute, func() error {
		mu.Lock()
		defer mu.Unlock()
		if len(acked) < 300*3/5 {
			return fmt.Errorf("%d answers acknowledged", len(acked))
		}
		return nil
	})
	mu.Lock()
	atKill := len(acked)
	mu.Unlock()
	pidA := srvA.Process.Pid
	srvA.Process.Signal(syscall.SIGKILL)
	srvA.Wait()
	res2 := <-resc
	t.Logf("200 reviewers over A and B: %d answers acknowledged before A was killed, %d in all, %.0f tasks/s, errors %v, %d out of work",
		atKill, len(acked), res2.PerSecond, res2.Errors, res2.OutOfWork)
	if res2.OutOfWork != 200 {
		t.Fatalf("the job did not end: %d reviewers out of work", res2.OutOfWork)
	}
	problems, err := benchload.Check(ctx, c.db, setup.Tenant.ID, setup.Job.ID, acked)
	if err != nil || len(problems) > 0 {
		t.Fatalf("after A was killed: %v %v", err, problems)
	}

	// Worker 2 ended what worker 1 began; B shows it.
	var done video.Analysis
	testwait.Eventually(t, 6*time.Minute, func() error {
		var err error
		if done, err = video.GetAnalysis(ctx, c.db, tn.ID, queued.ID); err != nil || done.Status != "done" {
			return fmt.Errorf("analysis %d after worker 1 died: %s %v", queued.ID, done.Status, err)
		}
		return nil
	})
	t.Logf("worker 1 killed mid-analysis; worker 2 finished it %s later", time.Since(killed).Round(time.Second))
	if code, page := b.do("GET", fmt.Sprintf("http://%s/admin/videos/%s/analyses/%d", addrB, added.Video.ID, queued.ID), "", nil); code != 200 || !bytes.Contains(page, []byte("red box")) {
		t.Fatalf("the result through B: %d", code)
	}
	var res struct {
		Frames []struct {
			FrameIndex int `json:"frame_index"`
		}
	}
	json.Unmarshal(done.Result, &res)
	if len(res.Frames) == 0 {
		t.Fatalf("empty result: %s", done.Result)
	}
	if code, img := b.do("GET", fmt.Sprintf("http://%s/admin/videos/%s/analyses/%d/frames/%d", addrB, added.Video.ID, queued.ID, res.Frames[0].FrameIndex), "", nil); code != 200 || !bytes.HasPrefix(img, []byte("\x89PNG")) {
		t.Fatalf("a frame through B: %d", code)
	}

	// One audit log: records of all four processes, each naming its
	// process; B and worker 2 stop as systemd stops them (SIGTERM), signing
	// their last heads; verify passes with no unsigned tail.
	for _, p := range []*exec.Cmd{srvB, w2} {
		p.Process.Signal(syscall.SIGTERM)
		if err := p.Wait(); err != nil {
			t.Fatalf("after SIGTERM: %v", err)
		}
	}
	host, _ := os.Hostname()
	recs, err := audit.List(ctx, c.db, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	acts := map[string]map[string]int{}
	for _, r := range recs {
		if p, ok := r.Details["process"].(string); ok {
			if acts[p] == nil {
				acts[p] = map[string]int{}
			}
			acts[p][r.Action]++
		}
	}
	for _, want := range []struct {
		role   string
		pid    int
		action string
	}{{"serve", pidA, "session.signin"}, {"serve", srvB.Process.Pid, "session.signin"},
		{"worker", w1.Process.Pid, "video.analysis.start"}, {"worker", w2.Process.Pid, "video.analysis.finish"}} {
		if p := fmt.Sprintf("%s %s:%d", want.role, host, want.pid); acts[p][want.action] == 0 {
			t.Errorf("no %s record of %s: %v", want.action, p, acts)
		}
	}
	var rep struct {
		Records      int64 `json:"records"`
		UnsignedTail int64 `json:"unsigned_tail"`
	}
	json.Unmarshal([]byte(c.run(t, "audit", "verify", "--json")), &rep)
	if rep.Records != int64(len(recs)) || rep.UnsignedTail != 0 {
		t.Fatalf("audit verify: %+v, want %d records and no unsigned tail", rep, len(recs))
	}
	t.Logf("audit verify: %d records, heads in S3; acts by process: %v", rep.Records, acts)
}

// reviewerAcrossServers: a reviewer of a workforce with TOTP signs in to
// the portal on A and works through B (the session is a row in the
// database); the TOTP code used on A is refused on B; failed sign-ins
// alternating between A and B lock the account on both.
func reviewerAcrossServers(t *testing.T, c *cluster, baseA, baseB string) {
	t.Helper()
	ctx := context.Background()
	spec, err := workforce.Parse([]byte(`user_pool: {password: {min_length: 12}, mfa: required, lockout: {max_failures: 5}}
invitation: {method: temporary_password, subject: "Invited", body: "{password}"}
workforce: {name: reviewers, source_ips: ["127.0.0.0/8"]}
teams: [{name: review}]
members:
  - {email: ana@review.example, teams: [review]}
  - {email: bo@review.example, teams: [review]}
`), "review.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var tn tenant.Tenant
	if err := c.db.Global(ctx, func(tx *store.Tx) error { tn, err = tenant.Create(ctx, tx, "review", ""); return err }); err != nil {
		t.Fatal(err)
	}
	clip := filepath.Join(t.TempDir(), "review.mp4")
	mediatest.FFmpeg(t, "-f", "lavfi", "-i", "testsrc=s=128x72:r=25:d=0.4", "-pix_fmt", "yuv420p", clip)
	v, _, err := video.Add(ctx, storetest.Actor(c.db, tn, "t"), c.objs, clip, media.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	var invites []workforce.Invite
	err = c.db.InTenant(ctx, tn.ID, func(tx *store.Tx) error {
		if _, invites, err = workforce.Apply(ctx, tx, spec, ""); err != nil {
			return err
		}
		_, err := labeling.Create(ctx, tx, labeling.Spec{Name: "review", Kind: labeling.KindBoxes, Team: "review", WorkersPerItem: 1,
			TimeLimit: time.Minute, Lifetime: time.Hour, Labels: []labeling.Label{{Name: "person"}}, Every: time.Second / 25, IoU: 0.5}, v, nil, "t")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	temp := map[string]string{}
	for _, inv := range invites {
		temp[inv.Email] = inv.Secret
	}
	// One cookie jar: cookies are per host, not port, so A's session
	// cookie goes to B as a load balancer would send it.
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar}
	post := func(u string, form url.Values) (int, string, string) {
		t.Helper()
		resp, err := hc.PostForm(u, form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Request.URL.Path, string(b)
	}
	portalA, portalB := baseA+"/t/review/portal", baseB+"/t/review/portal"
	const own = "violet-harbour-lantern-42"
	post(portalA+"/signin", url.Values{"email": {"ana@review.example"}, "password": {temp["ana@review.example"]}})
	_, _, page := post(portalA+"/step", url.Values{"new": {own}, "confirm": {own}})
	m := regexp.MustCompile(`<code id="secret">([A-Z2-7]+)</code>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no TOTP enrollment on A: %.300s", page)
	}
	now := time.Now()
	first, _ := totp.GenerateCode(m[1], now)
	if code, path, _ := post(portalA+"/step", url.Values{"code": {first}}); code != 200 || !strings.HasSuffix(path, "/portal") {
		t.Fatalf("TOTP on A: %d %s", code, path)
	}
	resp, err := hc.Post(portalB+"/api/take", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	var took struct{ Task *struct{ ID int64 } }
	json.NewDecoder(resp.Body).Decode(&took)
	resp.Body.Close()
	if resp.StatusCode != 200 || took.Task == nil {
		t.Fatalf("the reviewer signed in on A takes a task through B: %d %+v", resp.StatusCode, took)
	}

	// Signed out, signed in again on B: A's code is spent there too.
	post(portalA+"/signout", nil)
	if code, _, body := post(portalB+"/signin", url.Values{"email": {"ana@review.example"}, "password": {own}}); code != 200 || !strings.Contains(body, "Code from your authenticator") {
		t.Fatalf("sign-in on B: %d", code)
	}
	if code, _, body := post(portalB+"/step", url.Values{"code": {first}}); code != 401 || !strings.Contains(body, "already used") {
		t.Fatalf("the code used on A, replayed on B: %d", code)
	}
	next, _ := totp.GenerateCode(m[1], now.Add(30*time.Second))
	if code, path, _ := post(portalB+"/step", url.Values{"code": {next}}); code != 200 || !strings.HasSuffix(path, "/portal") {
		t.Fatalf("the next code on B: %d %s", code, path)
	}

	// Five failures, alternating A and B, lock the account on both.
	for i := range 5 {
		base := []string{portalA, portalB}[i%2]
		if code, _, _ := post(base+"/signin", url.Values{"email": {"bo@review.example"}, "password": {"a wrong password!"}}); code != 401 {
			t.Fatalf("failure %d: %d", i+1, code)
		}
	}
	for _, base := range []string{portalA, portalB} {
		if _, _, body := post(base+"/signin", url.Values{"email": {"bo@review.example"}, "password": {temp["bo@review.example"]}}); !strings.Contains(body, "try again in") {
			t.Fatalf("after 5 failures on A and B, %s lets the right password in", base)
		}
	}
}

// importBody is a multipart upload of the HR test data with one shift an
// hour shorter than what seedAdmin imported.
func importBody(t *testing.T) (string, io.Reader) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, name := range []string{"employees", "shifts", "absences"} {
		b, err := os.ReadFile("../hr/testdata/valid/" + name + ".csv")
		if err != nil {
			t.Fatal(err)
		}
		if name == "shifts" {
			b = []byte(strings.Replace(string(b), "S4,E4,2026-06-01,09:00,17:00,60,7.00", "S4,E4,2026-06-01,09:00,17:00,120,6.00", 1))
		}
		w, _ := mw.CreateFormFile(name, name+".csv")
		w.Write(b)
	}
	mw.Close()
	return mw.FormDataContentType(), &buf
}

// BenchmarkSeveralProcesses measures what a second process adds on this
// machine, on PostgreSQL and versitygw, with the units' command lines:
// the labeling load (200 reviewers back to back for 30 s through the load
// balancer) over 1 and 2 `scry serve`, and 4 video analyses (86 s of
// 640×360 video at 2 frames/s) worked by 1 and 2 `scry worker`. Minutes of
// full load an iteration:
//
//	go test -run '^$' -bench SeveralProcesses -benchtime 1x ./internal/cli/
//
// The figures are in README, Performance.
func BenchmarkSeveralProcesses(b *testing.B) {
	for n := 1; n <= 2; n++ {
		b.Run(fmt.Sprintf("label/servers=%d", n), func(b *testing.B) {
			c := newCluster(b)
			ctx := context.Background()
			var addrs []string
			for i := range n {
				_, addr := c.serve(b, fmt.Sprintf("serve-%d", i))
				addrs = append(addrs, addr)
			}
			lb := balancer(b, addrs...)
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				setup, err := benchload.Prepare(ctx, c.db, c.objs, fmt.Sprintf("measure-%d", i), 200, 3000, 3, time.Minute)
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				res := benchload.Run(ctx, benchload.Config{BaseURL: lb, Tenant: setup.Tenant.Slug, Cookies: setup.Cookies, Duration: 30 * time.Second, Labels: setup.Labels})
				if len(res.Errors) > 0 {
					b.Fatalf("errors: %v", res.Errors)
				}
				b.ReportMetric(res.PerSecond, "tasks/s")
				b.ReportMetric(res.TakeP50, "take-p50-ms")
				b.ReportMetric(res.TakeP99, "take-p99-ms")
				b.ReportMetric(res.SubmitP99, "submit-p99-ms")
			}
		})
	}
	for n := 1; n <= 2; n++ {
		b.Run(fmt.Sprintf("video/workers=%d", n), func(b *testing.B) {
			c := newCluster(b)
			ctx := context.Background()
			c.seedAdmin(b, "measure-video")
			tn, err := tenant.Get(ctx, c.db, "measure-video")
			if err != nil {
				b.Fatal(err)
			}
			var clips []video.Video
			for i := range 4 {
				clip := filepath.Join(b.TempDir(), "clip.mp4")
				mediatest.FFmpeg(b, "-f", "lavfi", "-i", fmt.Sprintf("testsrc=s=640x360:r=25:d=%d", 20+i), "-pix_fmt", "yuv420p", clip)
				v, _, err := video.Add(ctx, storetest.Actor(c.db, tn, "t"), c.objs, clip, media.DefaultLimits)
				if err != nil {
					b.Fatal(err)
				}
				clips = append(clips, v)
			}
			alog, err := audit.OpenKey(c.objs, b.TempDir(), c.auditKey)
			if err != nil {
				b.Fatal(err)
			}
			inserter, err := video.NewClient(c.db, &video.Worker{DB: c.db, Objects: c.objs, Audit: alog}, 0, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err != nil {
				b.Fatal(err)
			}
			for i := range n {
				c.start(b, fmt.Sprintf("worker-%d", i), unit(b, "scry-worker@.service", fmt.Sprint(i))...)
			}
			for i := 0; i < b.N; i++ {
				start := time.Now()
				var ids []int64
				for _, v := range clips {
					err := c.db.InTenant(ctx, tn.ID, func(tx *store.Tx) error {
						id, err := video.Queue(ctx, tx, inserter, c.objs, video.Request{Video: v, Prompt: "Detect the red box", Actor: "t",
							Options: video.JobOptions{FPS: 2, MinConfidence: 0.5, Setup: detect.Setup{Detector: "builtin"}}})
						ids = append(ids, id)
						return err
					})
					if err != nil {
						b.Fatal(err)
					}
				}
				testwait.Eventually(b, 20*time.Minute, func() error {
					for _, id := range ids {
						if a, err := video.GetAnalysis(ctx, c.db, tn.ID, id); err != nil || a.Status != "done" {
							return fmt.Errorf("analysis %d: %s %v", id, a.Status, err)
						}
					}
					return nil
				})
				secs := time.Since(start).Seconds()
				b.ReportMetric(secs, "s/4-analyses")
				b.ReportMetric(86/secs, "x-real-time")
			}
		})
	}
}

// TestWorkerHandsBackOnSIGTERM: `scry worker` stopped by SIGTERM in the
// middle of an analysis exits promptly and hands the analysis back to the
// queue (queued, with a note; no attempt counted), and the next worker
// finishes it. On SQLite: one machine, several processes, one file.
func TestWorkerHandsBackOnSIGTERM(t *testing.T) {
	data := t.TempDir()
	env := append(os.Environ(), "SCRY_DATA="+data)
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(binary, args...)
		cmd.Env = env
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("scry %s: %v %s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	clip := filepath.Join(t.TempDir(), "long.mp4")
	mediatest.FFmpeg(t, "-f", "lavfi", "-i", "testsrc=s=640x360:r=25:d=60", "-pix_fmt", "yuv420p", clip)
	run("tenant", "create", "handback")
	var added struct{ Video video.Video }
	json.Unmarshal([]byte(run("video", "add", "--tenant", "handback", clip, "--json")), &added)
	var queued video.Analysis
	json.Unmarshal([]byte(run("video", "analyze", "--tenant", "handback", added.Video.ID, "--prompt", "Detect the red box", "--fps", "5", "--detach", "--json")), &queued)
	show := func() video.Analysis {
		var a video.Analysis
		json.Unmarshal([]byte(run("video", "show", "--tenant", "handback", added.Video.ID, "--analysis", fmt.Sprint(queued.ID), "--json")), &a)
		return a
	}
	worker := func() *exec.Cmd {
		cmd := exec.Command(binary, "worker", "--workers", "1")
		cmd.Env = env
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		return cmd
	}
	w1 := worker()
	testwait.Eventually(t, 3*time.Minute, func() error {
		if a := show(); a.Status != "running" || a.Progress == 0 {
			return fmt.Errorf("analysis %s %.2f", a.Status, a.Progress)
		}
		return nil
	})
	w1.Process.Signal(syscall.SIGTERM)
	stopped := time.Now()
	if err := w1.Wait(); err != nil {
		t.Fatalf("worker after SIGTERM: %v", err)
	}
	if a := show(); a.Status != "queued" || !strings.Contains(a.Error, "handed back") {
		t.Fatalf("after SIGTERM the analysis is %s (%s), want queued and handed back", a.Status, a.Error)
	}
	t.Logf("the worker stopped %s after SIGTERM, its analysis queued again", time.Since(stopped).Round(time.Millisecond))
	worker()
	testwait.Eventually(t, 5*time.Minute, func() error {
		if a := show(); a.Status != "done" {
			return fmt.Errorf("analysis %s (%s)", a.Status, a.Error)
		}
		return nil
	})
}

// TestDeployUnitsVerify: systemd accepts the units of deploy/systemd (no
// unknown key, every command found), with this test's binary for scry and
// versitygw. TestSeveralProcesses runs their command lines.
func TestDeployUnitsVerify(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed")
	}
	dir := t.TempDir()
	env, err := os.ReadFile("../../deploy/systemd/scry.env")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "scry.env"), env, 0o644)
	var units []string
	for _, u := range []struct{ file, as string }{{"scry-migrate.service", ""}, {"scry-serve@.service", "scry-serve@8081.service"},
		{"scry-worker@.service", "scry-worker@1.service"}, {"versitygw.service", ""}} {
		b, err := os.ReadFile("../../deploy/systemd/" + u.file)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.NewReplacer("/usr/local/bin/scry", binary, "/usr/local/bin/versitygw", binary, "/etc/scry/scry.env", filepath.Join(dir, "scry.env")).Replace(string(b))
		name := cmp.Or(u.as, u.file)
		os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644)
		units = append(units, filepath.Join(dir, name))
	}
	out, err := exec.Command(analyze, append([]string{"verify", "--man=no"}, units...)...).CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
}
