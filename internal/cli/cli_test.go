package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/scry-dev/scry/internal/cli"
	"github.com/scry-dev/scry/internal/demo"
	"github.com/scry-dev/scry/internal/hr"
)

// run executes scry in-process and returns stdout, stderr and exit status.
func run(t *testing.T, data string, args ...string) (string, string, int) {
	t.Helper()
	return runCtx(t, context.Background(), data, args...)
}

// runCtx is run under ctx, which the test may cancel as a Ctrl-C would.
func runCtx(t *testing.T, ctx context.Context, data string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	env := cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string {
		if k == "SCRY_DATA" {
			return data
		}
		return ""
	}}
	code := cli.Run(ctx, args, env)
	return out.String(), errb.String(), code
}

func TestEveryCommandHasHelpWithExample(t *testing.T) {
	for _, path := range [][]string{{"tenant", "create"}, {"tenant", "list"}, {"tenant", "show"}, {"user", "add"}, {"user", "list"},
		{"user", "show"}, {"user", "remove"}, {"import", "hr"}, {"migrate"}, {"audit", "log"}, {"audit", "verify"},
		{"demo", "seed"}, {"ask"}, {"eval"}, {"model", "validate"}} {
		out, _, code := run(t, t.TempDir(), append(path, "--help")...)
		if code != 0 || !strings.Contains(out, "Example:") || !strings.Contains(out, "--json") {
			t.Errorf("scry %s --help: exit %d, output:\n%s", strings.Join(path, " "), code, out)
		}
	}
}

func TestJSONErrorsAndExitCodes(t *testing.T) {
	data := t.TempDir()
	out, _, code := run(t, data, "tenant", "create", "Bad_Slug", "--json")
	var e struct {
		Error struct{ Code, Message string }
	}
	if err := json.Unmarshal([]byte(out), &e); err != nil || code != 2 || e.Error.Code != "invalid_input" || e.Error.Message == "" {
		t.Fatalf("bad slug: exit %d, %q", code, out)
	}
	if _, _, code := run(t, data, "tenant", "create", "acme", "--name", "Acme Inc"); code != 0 {
		t.Fatal("create failed")
	}
	out, _, code = run(t, data, "tenant", "create", "acme", "--json")
	if code != 2 || !strings.Contains(out, `"already_exists"`) {
		t.Fatalf("duplicate: exit %d %s", code, out)
	}
	out, _, code = run(t, data, "tenant", "show", "nope", "--json")
	if code != 2 || !strings.Contains(out, `"not_found"`) {
		t.Fatalf("unknown tenant: exit %d %s", code, out)
	}
	out, _, code = run(t, data, "tenant", "list", "--json")
	if code != 0 || !strings.Contains(out, `"Acme Inc"`) {
		t.Fatalf("list: %s", out)
	}
	if _, _, code := run(t, data, "nonsense"); code != 2 {
		t.Fatalf("unknown command exit %d", code)
	}
	out, _, code = run(t, data, "audit", "verify", "--json")
	if code != 0 || !strings.Contains(out, `"records": 2`) {
		t.Fatalf("verify: exit %d %s", code, out)
	}
}

// TestDemoSeedAndAsk seeds the demo tenants and asks as each role.
func TestDemoSeedAndAsk(t *testing.T) {
	data := t.TempDir()
	out, errs, code := run(t, data, "demo", "seed", "--json")
	if code != 0 {
		t.Fatalf("seed: %d %s %s", code, out, errs)
	}
	var seeded struct {
		Users []struct{ Tenant, Email, Role, EmployeeID string } `json:"users"`
	}
	json.Unmarshal([]byte(out), &seeded)
	if len(seeded.Users) != 12 {
		t.Fatalf("seeded %d users", len(seeded.Users))
	}
	ask := func(tenant, as, q string) (map[string]any, int) {
		out, _, code := run(t, data, "ask", "--tenant", tenant, "--as", as, "--now", demo.Now, "--json", q)
		var a map[string]any
		if err := json.Unmarshal([]byte(out), &a); err != nil {
			t.Fatalf("ask %q: no JSON: %s", q, out)
		}
		return a, code
	}
	a, code := ask("acme-retail", "admin@acme-retail.example", "How many employees do we have?")
	rows := a["rows"].([]any)
	if code != 0 || len(rows) != 1 || rows[0].([]any)[0].(float64) < 200 {
		t.Fatalf("admin headcount: %v", a)
	}
	var mgr, emp string
	for _, u := range seeded.Users {
		if u.Tenant == "acme-retail" && u.Role == "manager" {
			mgr = u.Email
		}
		if u.Tenant == "acme-retail" && u.Role == "employee" {
			emp = u.Email
		}
	}
	m, _ := ask("acme-retail", mgr, "How many employees do we have?")
	if got := m["rows"].([]any)[0].([]any)[0].(float64); got >= rows[0].([]any)[0].(float64) || got < 2 {
		t.Fatalf("manager sees %v employees", got)
	}
	e, _ := ask("acme-retail", emp, "List all employees")
	if n := len(e["rows"].([]any)); n != 1 {
		t.Fatalf("employee sees %d people", n)
	}
	r, code := ask("acme-retail", "admin@acme-retail.example", "Rank our employees by race")
	if code != 2 || r["error"].(map[string]any)["code"] != "forbidden_topic" {
		t.Fatalf("forbidden topic: %d %v", code, r)
	}
	// Every ask lands in the audit log, and the log verifies.
	out, _, _ = run(t, data, "audit", "log", "--tenant", "acme-retail", "--json")
	if strings.Count(out, `"action": "ask"`) != 4 {
		t.Fatalf("audit log holds %d asks", strings.Count(out, `"action": "ask"`))
	}
	if _, errs, code := run(t, data, "audit", "verify"); code != 0 {
		t.Fatalf("verify: %s", errs)
	}
}

var binary string

func TestMain(m *testing.M) {
	dir, _ := os.MkdirTemp("", "scry-bin-")
	binary = filepath.Join(dir, "scry")
	if out, err := exec.Command("go", "build", "-o", binary, "../../cmd/scry").CombinedOutput(); err != nil {
		os.Stderr.Write(out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func runBin(t *testing.T, data string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "SCRY_DATA="+data)
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	}
	return string(out), code
}

// TestImportCrashSafety SIGKILLs `scry import hr` at random moments while
// it runs: the tenant's data is always entirely the old or entirely the new
// import, and the audit log always verifies.
func TestImportCrashSafety(t *testing.T) {
	data := t.TempDir()
	maple, err := demo.Extract("maple-district", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	gen := t.TempDir()
	if err := hr.Generate(gen, 60_000, 7); err != nil {
		t.Fatal(err)
	}
	if out, code := runBin(t, data, "tenant", "create", "crash"); code != 0 {
		t.Fatal(out)
	}
	counts := func() string {
		out, code := runBin(t, data, "tenant", "show", "crash", "--json")
		if code != 0 {
			t.Fatalf("show: %s", out)
		}
		var v struct{ Employees, Shifts, Absences int }
		json.Unmarshal([]byte(out), &v)
		return strings.Join([]string{itoa(v.Employees), itoa(v.Shifts), itoa(v.Absences)}, "/")
	}
	// One full import of each, to know the states and how long an import takes.
	states := map[string]bool{}
	var longest time.Duration
	for _, src := range []string{gen, maple} {
		t0 := time.Now()
		if out, code := runBin(t, data, "import", "hr", "--tenant", "crash", src); code != 0 {
			t.Fatal(out)
		}
		longest = max(longest, time.Since(t0))
		states[counts()] = true
	}
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	interrupted := 0
	for i := 0; interrupted < 20 && i < 80; i++ {
		src := []string{gen, maple}[i%2]
		cmd := exec.Command(binary, "import", "hr", "--tenant", "crash", src)
		cmd.Env = append(os.Environ(), "SCRY_DATA="+data)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// The kill lands at a random instant of an import (not a wait for
		// a condition): the test waits for the process, killed or done.
		kill := time.AfterFunc(time.Duration(rng.Int63n(int64(longest))), func() { cmd.Process.Signal(syscall.SIGKILL) })
		if err := cmd.Wait(); err != nil {
			interrupted++ // killed before it finished
		}
		kill.Stop()
		if got := counts(); !states[got] {
			t.Fatalf("after kill %d the tenant holds %s: neither import (%v)", i, got, states)
		}
		if out, code := runBin(t, data, "audit", "verify"); code != 0 {
			t.Fatalf("after kill %d audit verify: %s", i, out)
		}
	}
	t.Logf("%d imports killed while running (an import takes up to %v)", interrupted, longest)
	if interrupted < 20 {
		t.Fatalf("only %d kills landed during an import", interrupted)
	}
}

func itoa(n int) string { return jsonNum(n) }

func jsonNum(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestServeRefusesBadUploadLimit(t *testing.T) {
	for _, v := range []string{"12XB", "0", "-5MiB", "GiB"} {
		_, stderr, code := run(t, t.TempDir(), "serve", "--addr", "127.0.0.1:0", "--max-upload", v)
		if code != 2 || !strings.Contains(stderr, "--max-upload") {
			t.Errorf("--max-upload %s: exit %d, %s", v, code, stderr)
		}
	}
}

// TestImportRefusesControlCharactersAndLongFields: the CLI door of the HR
// field checks: exit 2 and file:line:column for each problem.
func TestImportRefusesControlCharactersAndLongFields(t *testing.T) {
	data := t.TempDir()
	if _, errs, code := run(t, data, "tenant", "create", "tt"); code != 0 {
		t.Fatal(errs)
	}
	dir := t.TempDir()
	for _, f := range []string{"employees.csv", "shifts.csv", "absences.csv"} {
		b, err := os.ReadFile(filepath.Join("..", "hr", "testdata", "valid", f))
		if err != nil {
			t.Fatal(err)
		}
		if f == "employees.csv" {
			b = bytes.Replace(b, []byte("Arthur"), []byte("Art\x00hur"), 1)
			b = bytes.Replace(b, []byte("Executive"), bytes.Repeat([]byte("D"), 10_000), 1)
			b = bytes.Replace(b, []byte("1985-03-04,2018-02-01"), []byte("2019-03-04,2018-02-01"), 1)
		}
		os.WriteFile(filepath.Join(dir, f), b, 0o644)
	}
	_, errs, code := run(t, data, "import", "hr", "--tenant", "tt", dir)
	for _, want := range []string{"employees.csv:2:9", "employees.csv:3:6", "employees.csv:4:2"} {
		if code != 2 || !strings.Contains(errs, want) {
			t.Errorf("import: exit %d, want 2 and %s in\n%.2000s", code, want, errs)
		}
	}
}

// TestServeRefusesNonPositiveSessionLimits: a zero or negative session
// limit would end every session at once; serve refuses it before starting.
func TestServeRefusesNonPositiveSessionLimits(t *testing.T) {
	for _, args := range [][]string{{"--session-idle", "0s"}, {"--session-idle", "-5m"}, {"--session-max", "0"}, {"--session-max", "-1h"}} {
		_, stderr, code := run(t, t.TempDir(), append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
		if code != 2 || !strings.Contains(stderr, "must be positive") {
			t.Errorf("serve %v: exit %d, %s", args, code, stderr)
		}
	}
}
