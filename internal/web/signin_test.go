package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
	"github.com/scry-dev/scry/internal/tenant"
)

// auditCount counts the tenant's audit records of action with outcome
// whose details hold every key-value of want.
func auditCount(t *testing.T, db *store.DB, slug, action, outcome string, want map[string]any) int {
	t.Helper()
	recs, err := audit.List(context.Background(), db, slug, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
next:
	for _, r := range recs {
		if r.Action != action || r.Outcome != outcome {
			continue
		}
		for k, v := range want {
			if r.Details[k] != v {
				continue next
			}
		}
		n++
	}
	return n
}

// jsonSignIn posts to the main sign-in and returns the status, the body and
// the session cookie, if any.
func jsonSignIn(t testing.TB, base, tenant, email, pw string, header ...string) (int, string, string) {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"tenant": tenant, "email": email, "password": pw})
	req, _ := http.NewRequest("POST", base+"/api/v1/session", strings.NewReader(string(b)))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	cookie := ""
	for _, c := range resp.Cookies() {
		if c.Name == "scry_session" {
			cookie = c.Value
		}
	}
	return resp.StatusCode, string(body), cookie
}

func cookieClient(t *testing.T, base, value string) *http.Client {
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(base)
	jar.SetCookies(u, []*http.Cookie{{Name: "scry_session", Value: value, Path: "/"}})
	return &http.Client{Jar: jar}
}

// TestWorkforceDoors: a worker with an active password cannot sign in at
// the main sign-in (JSON or page), is refused exactly like a wrong
// password, and the refusal is audited; the portal's routes take only a
// session that finished the portal's own steps, and the app's routes never
// take a portal session.
func TestWorkforceDoors(t *testing.T) {
	f := setupPortal(t, nil, nil)
	ctx := context.Background()
	ana, pw := "ana.reviewer@acme-retail.example", "violet-harbour-lantern-42"
	var anaID int64
	err := f.db.InTenant(ctx, f.tenant.ID, func(tx *store.Tx) error {
		u, err := identity.ByEmail(ctx, tx, ana)
		if err != nil {
			return err
		}
		anaID = u.ID
		if err := identity.ChangePassword(ctx, tx, u, pw, 12, ""); err != nil { // active, no change forced: only MFA stands in the way
			return err
		}
		if _, err := identity.Add(ctx, tx, identity.User{Email: "admin@acme-retail.example", Role: identity.Admin}); err != nil {
			return err
		}
		return identity.SetPassword(ctx, tx, "admin@acme-retail.example", password)
	})
	if err != nil {
		t.Fatal(err)
	}
	// The JSON door.
	wrongCode, wrongBody, _ := jsonSignIn(t, f.ts.URL, "acme-retail", "nobody@acme-retail.example", pw)
	code, body, cookie := jsonSignIn(t, f.ts.URL, "acme-retail", ana, pw)
	if code != 401 || body != wrongBody || wrongCode != 401 || cookie != "" {
		t.Fatalf("worker at POST /api/v1/session: %d %s (a wrong password: %d %s)", code, body, wrongCode, wrongBody)
	}
	// The page door.
	pageStatus := func(email string) (int, string) {
		code, _, body := post(t, client(t, ""), f.ts.URL+"/signin", url.Values{"tenant": {"acme-retail"}, "email": {email}, "password": {pw}})
		return code, body
	}
	code, page := pageStatus(ana)
	if wcode, wpage := pageStatus("nobody@acme-retail.example"); code != 401 || wcode != 401 || !strings.Contains(page, "The tenant, email or password is not right") ||
		strings.ReplaceAll(page, ana, "") != strings.ReplaceAll(wpage, "nobody@acme-retail.example", "") {
		t.Fatalf("worker at POST /signin: %d (a wrong password: %d)", code, wcode)
	}
	if n := auditCount(t, f.db, "acme-retail", "session.signin", "refused", map[string]any{"reason": "workforce account at the main sign-in"}); n != 2 {
		t.Fatalf("%d audited workforce refusals at the main sign-in, want 2", n)
	}

	// A session of the main door, even a worker's, never opens the portal.
	var workerAppSession string
	f.db.InTenant(ctx, f.tenant.ID, func(tx *store.Tx) error {
		workerAppSession, err = identity.NewSession(ctx, tx, anaID)
		return err
	})
	_, _, adminSession := jsonSignIn(t, f.ts.URL, "acme-retail", "admin@acme-retail.example", password)
	for name, value := range map[string]string{"a worker's main-door session": workerAppSession, "an admin's session": adminSession} {
		if code := portalCall(t, cookieClient(t, f.ts.URL, value), f, "POST", "/take", nil, nil); code != 401 {
			t.Errorf("take with %s: %d", name, code)
		}
	}
	// A portal session before its last step (TOTP) does not either.
	c := client(t, "")
	if code, _, body := post(t, c, f.ts.URL+"/t/acme-retail/portal/signin", url.Values{"email": {ana}, "password": {pw}}); code != 200 || !strings.Contains(body, `id="secret"`) {
		t.Fatalf("portal sign-in: %d", code)
	}
	if code := portalCall(t, c, f, "POST", "/take", nil, nil); code != 401 {
		t.Errorf("take before TOTP: %d", code)
	}
	// A finished portal session works in the portal and nowhere else.
	done := memberClient(t, f, "bo.checker@acme-retail.example")
	if code := portalCall(t, done, f, "POST", "/take", nil, nil); code != 200 {
		t.Errorf("take with a finished portal session: %d", code)
	}
	resp, err := done.Get(f.ts.URL + "/api/v1/me")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("GET /api/v1/me with a portal session: %d", resp.StatusCode)
	}
}

// TestWrongCodesCounted: wrong TOTP codes are counted like wrong
// passwords: after max_failures the next attempt waits, even with a right
// code, and each refusal and the lockout are audited.
func TestWrongCodesCounted(t *testing.T) {
	f := setupPortal(t, nil, nil)
	base := f.ts.URL + "/t/acme-retail/portal"
	ana := "ana.reviewer@acme-retail.example"
	c := client(t, "")
	post(t, c, base+"/signin", url.Values{"email": {ana}, "password": {f.invites[ana]}})
	_, _, body := post(t, c, base+"/step", url.Values{"new": {newPassword}, "confirm": {newPassword}})
	m := reSecret.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no TOTP enrollment page")
	}
	for i := 1; i <= 5; i++ { // the example pool's max_failures
		if code, _, _ := post(t, c, base+"/step", url.Values{"code": {"000000"}}); code != 401 {
			t.Fatalf("wrong code %d: %d", i, code)
		}
	}
	code, _, body := post(t, c, base+"/step", url.Values{"code": {"000000"}})
	if code != 429 || !strings.Contains(body, "try again in") {
		t.Fatalf("sixth wrong code: %d", code)
	}
	if n := auditCount(t, f.db, "acme-retail", "portal.mfa_enroll", "refused", nil); n != 6 {
		t.Errorf("%d refused codes audited, want 6", n)
	}
	if n := auditCount(t, f.db, "acme-retail", "portal.lockout", "refused", nil); n != 1 {
		t.Errorf("%d lockouts audited, want 1", n)
	}
}

// TestTrustedProxyClientAddress: behind a trusted proxy the rate limit and
// the sign-in audit use the client from X-Forwarded-For (the rightmost
// address that is not a trusted proxy), not the proxy.
func TestTrustedProxyClientAddress(t *testing.T) {
	f := setup(t, store.SQLite)
	f.srv.cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("10.0.0.0/8")}
	f.srv.cfg.PerIP = 2
	f.srv.limits.Clear()
	limited := func(xff string) bool {
		for range 20 {
			if resp, _ := f.do(t, "GET", "/healthz", nil, withHeader("X-Forwarded-For", xff)); resp.StatusCode == 429 {
				return true
			}
		}
		return false
	}
	if !limited("203.0.113.5") {
		t.Fatal("no 429 for one client after 20 quick requests at 2/s")
	}
	// Another client behind the same proxy is not limited by the first one…
	if resp, _ := f.do(t, "GET", "/healthz", nil, withHeader("X-Forwarded-For", "203.0.113.6")); resp.StatusCode != 200 {
		t.Fatalf("another client behind the proxy: %d", resp.StatusCode)
	}
	// …and the first cannot escape by adding an address on the left.
	if resp, _ := f.do(t, "GET", "/healthz", nil, withHeader("X-Forwarded-For", "198.51.100.1, 203.0.113.5")); resp.StatusCode != 429 {
		t.Fatalf("a forged leftmost hop escaped the limit: %d", resp.StatusCode)
	}
	// Through two trusted proxies, the client is the address before them.
	jsonSignIn(t, f.ts.URL, "alpha", "admin@alpha.example", "a wrong password!!", "X-Forwarded-For", "192.0.2.44, 10.1.2.3")
	if n := auditCount(t, f.db, "alpha", "session.signin", "refused", map[string]any{"remote": "192.0.2.44"}); n != 1 {
		t.Fatalf("%d refused sign-ins audited with the client's address", n)
	}
	// Without a trusted peer, X-Forwarded-For is ignored.
	f.srv.cfg.TrustedProxies = nil
	jsonSignIn(t, f.ts.URL, "alpha", "admin@alpha.example", "a wrong password!!", "X-Forwarded-For", "192.0.2.45")
	if n := auditCount(t, f.db, "alpha", "session.signin", "refused", map[string]any{"remote": "127.0.0.1"}); n != 1 {
		t.Fatalf("%d refused sign-ins audited with the peer's address", n)
	}
}

// TestClientAddr: the client behind trusted proxies is the rightmost
// address of X-Forwarded-For that is not one of them.
func TestClientAddr(t *testing.T) {
	s := &Server{cfg: Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}}}
	for _, c := range []struct{ peer, xff, want string }{
		{"192.0.2.1:5000", "203.0.113.9", "192.0.2.1"},                // an untrusted peer's header is ignored
		{"10.0.0.1:5000", "", "10.0.0.1"},                             // a proxy with no header is the client
		{"10.0.0.1:5000", "203.0.113.9", "203.0.113.9"},               // one proxy
		{"10.0.0.1:5000", "198.51.100.1, 203.0.113.9", "203.0.113.9"}, // a forged hop on the left is ignored
		{"10.0.0.1:5000", "203.0.113.9, 10.9.9.9", "203.0.113.9"},     // two proxies
		{"[::1]:5000", "203.0.113.9, 10.9.9.9", "203.0.113.9"},        // IPv6 proxy
		{"10.0.0.1:5000", "10.7.7.7, 10.9.9.9", "10.7.7.7"},           // every hop trusted: the leftmost
		{"10.0.0.1:5000", "not-an-ip, 203.0.113.9", "203.0.113.9"},    // garbage left of the client is not reached
		{"10.0.0.1:5000", "203.0.113.9, not-an-ip", "10.0.0.1"},       // garbage from the proxy side: stop at the proxy
		{"10.0.0.1:5000", "::ffff:203.0.113.9", "203.0.113.9"},        // mapped IPv4
	} {
		r, _ := http.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.peer
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := s.clientAddr(r).String(); got != c.want {
			t.Errorf("peer %s, X-Forwarded-For %q: %s, want %s", c.peer, c.xff, got, c.want)
		}
	}
}

// TestMainSignInLockout: the main sign-in locks out like the portal, with
// the same answers for a known and an unknown account, and audits the
// lockout.
func TestMainSignInLockout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		f := setup(t, d)
		run := func(email, ip string) []string {
			var out []string
			for range identity.DefaultMaxFailures + 1 {
				code, body, _ := jsonSignIn(t, f.ts.URL, "alpha", email, "a wrong password!!", "X-Forwarded-For", ip)
				out = append(out, fmt.Sprint(code, regexp.MustCompile(`\d+ seconds?`).ReplaceAllString(body, "N seconds")))
			}
			return out
		}
		f.srv.cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
		known, unknown := run("admin@alpha.example", "203.0.113.1"), run("nobody@alpha.example", "203.0.113.2")
		if !slices.Equal(known, unknown) || !strings.HasPrefix(known[4], "401") || !strings.HasPrefix(known[5], "429") || !strings.Contains(known[5], "try again in N seconds") {
			t.Fatalf("known %q\nunknown %q", known, unknown)
		}
		if n := auditCount(t, f.db, "alpha", "session.lockout", "refused", nil); n != 2 {
			t.Fatalf("%d lockouts audited, want 2", n)
		}
		// The right password waits too (the delay is made long here so that
		// a slow machine cannot outlast it), then works once it is over.
		ctx := context.Background()
		alpha, _ := tenant.Get(ctx, f.db, "alpha")
		setLock := func(until string) {
			if err := f.db.InTenant(ctx, alpha.ID, func(tx *store.Tx) error {
				_, err := tx.ExecContext(ctx, `update login_failures set locked_until = $1 where key = 'acct:admin@alpha.example'`, until)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		setLock("2100-01-01T00:00:00.000000000Z")
		if code, _, _ := jsonSignIn(t, f.ts.URL, "alpha", "admin@alpha.example", password, "X-Forwarded-For", "203.0.113.3"); code != 429 {
			t.Fatalf("right password during the delay: %d", code)
		}
		setLock("2000-01-01T00:00:00.000000000Z")
		if code, _, _ := jsonSignIn(t, f.ts.URL, "alpha", "admin@alpha.example", password, "X-Forwarded-For", "203.0.113.3"); code != 200 {
			t.Fatalf("right password after the delay: %d", code)
		}
	})
}
