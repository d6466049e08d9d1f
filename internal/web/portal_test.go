package web

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	smtpd "github.com/emersion/go-smtp"
	"github.com/pquerna/otp/totp"

	"github.com/scry-dev/scry/internal/ask"
	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/semantic"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
	"github.com/scry-dev/scry/internal/tenant"
	"github.com/scry-dev/scry/internal/workforce"
)

type mailbox struct {
	mu   sync.Mutex
	msgs map[string]string
}

func (m *mailbox) NewSession(*smtpd.Conn) (smtpd.Session, error) { return &mailSession{box: m}, nil }

type mailSession struct {
	box *mailbox
	to  []string
}

func (s *mailSession) Reset()                                {}
func (s *mailSession) Logout() error                         { return nil }
func (s *mailSession) Mail(string, *smtpd.MailOptions) error { return nil }
func (s *mailSession) Rcpt(to string, _ *smtpd.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}
func (s *mailSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	s.box.mu.Lock()
	for _, to := range s.to {
		s.box.msgs[to] = string(b)
	}
	s.box.mu.Unlock()
	return err
}

type portalFixture struct {
	ts      *httptest.Server
	db      *store.DB
	tenant  tenant.Tenant
	invites map[string]string // email → temporary password, as received by mail
	dataDir string
	log     *audit.Log
}

// setupPortal applies the example workforce (with allow, if set, as
// its allow-list), mails the invitations through a real SMTP server and
// starts the server.
func setupPortal(t *testing.T, allow []string, proxies []netip.Prefix, extra ...workforce.Member) *portalFixture {
	t.Helper()
	cfg := storetest.Config(t, store.SQLite)
	ctx := context.Background()
	db, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	log, _ := audit.Open(cfg.DataDir)
	var tn tenant.Tenant
	db.Global(ctx, func(tx *store.Tx) error {
		var err error
		tn, err = tenant.Create(ctx, tx, "acme-retail", "")
		return err
	})
	b, _ := os.ReadFile("../workforce/testdata/example.yaml")
	spec, err := workforce.Parse(b, "example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if allow != nil {
		spec.Workforce.SourceIPs = allow
	}
	spec.Members = append(spec.Members, extra...)
	var invites []workforce.Invite
	if err := db.InTenant(ctx, tn.ID, func(tx *store.Tx) error { _, invites, err = workforce.Apply(ctx, tx, spec, ""); return err }); err != nil {
		t.Fatal(err)
	}
	box := &mailbox{msgs: map[string]string{}}
	smtp := smtpd.NewServer(box)
	smtp.Domain, smtp.AllowInsecureAuth = "localhost", true
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	go smtp.Serve(ln)
	t.Cleanup(func() { smtp.Close() })
	srv := New(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), PerIP: 1000, PerUser: 1000, TrustedProxies: proxies, DataDir: cfg.DataDir}, db, log,
		&ask.Engine{DB: db, Model: semantic.BuiltinHR()})
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	f := &portalFixture{ts: ts, db: db, tenant: tn, invites: map[string]string{}, dataDir: cfg.DataDir, log: log}
	mailer := workforce.SMTP{URL: "smtp://" + ln.Addr().String()}
	for _, inv := range invites {
		body := workforce.Render(spec.Invitation.Body, map[string]string{"name": inv.Name, "email": inv.Email, "portal_url": ts.URL + "/t/acme-retail/portal", "password": inv.Secret})
		if err := mailer.Send(inv.Email, spec.Invitation.Subject, body); err != nil {
			t.Fatal(err)
		}
	}
	re := regexp.MustCompile(`temporary password (\S+?)\.?\r?\n`)
	box.mu.Lock()
	for to, msg := range box.msgs {
		if m := re.FindStringSubmatch(msg); m != nil {
			f.invites[to] = m[1]
		}
	}
	box.mu.Unlock()
	if len(f.invites) != len(spec.Members) {
		t.Fatalf("received %d invitations", len(f.invites))
	}
	return f
}

func client(t *testing.T, local string) *http.Client {
	jar, _ := cookiejar.New(nil)
	d := &net.Dialer{Timeout: 5 * time.Second}
	if local != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(local)}
	}
	return &http.Client{Jar: jar, Transport: &http.Transport{DialContext: d.DialContext}}
}

func post(t *testing.T, c *http.Client, u string, form url.Values, header ...string) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Request.URL.Path, string(b)
}

var reSecret = regexp.MustCompile(`<code id="secret">([A-Z2-7]+)</code>`)

// TestPortalJourney: the invitation's temporary password, a forced change,
// TOTP enrollment with a code computed from the secret, the portal; then a
// used code is refused and the next one accepted.
func TestPortalJourney(t *testing.T) {
	f := setupPortal(t, nil, nil)
	c := client(t, "")
	base := f.ts.URL + "/t/acme-retail/portal"
	resp, err := c.Get(base)
	if err != nil || !strings.HasSuffix(resp.Request.URL.Path, "/portal/signin") {
		t.Fatalf("portal without a session: %v %v", err, resp.Request.URL)
	}
	resp.Body.Close()
	email := "ana.reviewer@acme-retail.example"
	code, path, body := post(t, c, base+"/signin", url.Values{"email": {email}, "password": {f.invites[email]}})
	if code != 200 || !strings.Contains(body, "Choose your own password") {
		t.Fatalf("after temporary password: %d %s", code, path)
	}
	// The pool policy refuses common passwords and ones holding the name.
	for _, bad := range []string{"1qaz2wsx3edc", "ana.reviewer-2026!"} {
		if code, _, body := post(t, c, base+"/step", url.Values{"new": {bad}, "confirm": {bad}}); code != 400 || !strings.Contains(body, "class=\"error\"") {
			t.Fatalf("weak password %q accepted: %d", bad, code)
		}
	}
	newPassword := "violet-harbour-lantern-42"
	code, _, body = post(t, c, base+"/step", url.Values{"new": {newPassword}, "confirm": {newPassword}})
	m := reSecret.FindStringSubmatch(body)
	if code != 200 || m == nil || !strings.Contains(body, "<svg") {
		t.Fatalf("TOTP enrollment page: %d", code)
	}
	secret := m[1]
	now := time.Now()
	first, _ := totp.GenerateCode(secret, now)
	code, path, body = post(t, c, base+"/step", url.Values{"code": {first}})
	if code != 200 || !strings.HasSuffix(path, "/portal") || !strings.Contains(body, "video-reviewers") || !strings.Contains(body, "Open the labeling page") {
		t.Fatalf("landing in the portal: %d %s", code, path)
	}
	// Sign out, sign in with the new password: a TOTP code is asked, and the used one is refused.
	post(t, c, base+"/signout", nil)
	code, _, body = post(t, c, base+"/signin", url.Values{"email": {email}, "password": {newPassword}})
	if code != 200 || !strings.Contains(body, "Code from your authenticator") {
		t.Fatalf("second sign-in: %d", code)
	}
	if code, _, body := post(t, c, base+"/step", url.Values{"code": {first}}); code != 401 || !strings.Contains(body, "already used") {
		t.Fatalf("reused TOTP code: %d", code)
	}
	next, _ := totp.GenerateCode(secret, now.Add(30*time.Second))
	if code, path, _ := post(t, c, base+"/step", url.Values{"code": {next}}); code != 200 || !strings.HasSuffix(path, "/portal") {
		t.Fatalf("next TOTP code: %d %s", code, path)
	}
}

// TestPortalLockout: known and unknown accounts answer alike, and the
// delay doubles after each further failure.
func TestPortalLockout(t *testing.T) {
	f := setupPortal(t, []string{"127.0.0.0/8", "203.0.113.0/24"}, []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")})
	base := f.ts.URL + "/t/acme-retail/portal"
	run := func(email, ip string) []string {
		c := client(t, "")
		var out []string
		for i := 0; i < 6; i++ {
			code, _, body := post(t, c, base+"/signin", url.Values{"email": {email}, "password": {"wrong password!"}}, "X-Forwarded-For", ip)
			msg := regexp.MustCompile(`role="alert">([^<]*)<`).FindStringSubmatch(body)
			out = append(out, strings.Join([]string{http.StatusText(code), msg[1]}, ": "))
		}
		return out
	}
	known := run("ana.reviewer@acme-retail.example", "203.0.113.1")
	unknown := run("nobody@acme-retail.example", "203.0.113.2")
	// Known and unknown accounts answer alike (the seconds left may differ
	// by the time between the two runs).
	waits := regexp.MustCompile(`\d+ seconds?`)
	for i := range known {
		if waits.ReplaceAllString(known[i], "N seconds") != waits.ReplaceAllString(unknown[i], "N seconds") {
			t.Fatalf("attempt %d: known %q, unknown %q", i+1, known[i], unknown[i])
		}
	}
	// The wait shown is what remains of it: on a busy machine a second may
	// already have passed since the lock began.
	if !strings.Contains(known[4], "Unauthorized") || !regexp.MustCompile(`try again in (2 seconds|1 second)\b`).MatchString(known[5]) {
		t.Fatalf("lockout after 5 failures: %v", known)
	}
	// Let the delay pass; the next failure doubles it.
	ctx := context.Background()
	f.db.InTenant(ctx, f.tenant.ID, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `update login_failures set locked_until = '2000-01-01T00:00:00Z'`)
		return err
	})
	c := client(t, "")
	post(t, c, base+"/signin", url.Values{"email": {"ana.reviewer@acme-retail.example"}, "password": {"still wrong!!"}}, "X-Forwarded-For", "203.0.113.1")
	_, _, body := post(t, c, base+"/signin", url.Values{"email": {"ana.reviewer@acme-retail.example"}, "password": {"still wrong!!"}}, "X-Forwarded-For", "203.0.113.1")
	if !regexp.MustCompile(`try again in [34] seconds`).MatchString(body) {
		t.Fatalf("second lockout: %s", regexp.MustCompile(`role="alert">([^<]*)<`).FindString(body))
	}
}

// TestPortalAllowList: a source outside the allow-list gets a plain 403.
func TestPortalAllowList(t *testing.T) {
	f := setupPortal(t, []string{"127.0.0.1/32"}, nil)
	base := f.ts.URL + "/t/acme-retail/portal/signin"
	inside, err := client(t, "127.0.0.1").Get(base)
	if err != nil || inside.StatusCode != 200 {
		t.Fatalf("from 127.0.0.1: %v %v", err, inside)
	}
	inside.Body.Close()
	outside, err := client(t, "127.0.0.2").Get(base)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(outside.Body)
	outside.Body.Close()
	if outside.StatusCode != 403 || !strings.Contains(string(b), "not allowed") {
		t.Fatalf("from 127.0.0.2: %d %s", outside.StatusCode, b)
	}
	// A forged X-Forwarded-For from an untrusted peer changes nothing.
	req, _ := http.NewRequest("GET", base, nil)
	req.Header.Set("X-Forwarded-For", "127.0.0.1")
	resp, _ := client(t, "127.0.0.2").Do(req)
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Fatalf("forged X-Forwarded-For let 127.0.0.2 in: %d", resp.StatusCode)
	}
}

// TestAppClientTokens: a signed-in worker is sent to a registered callback
// with an EdDSA token that verifies against the published JWKS with every
// claim checked; unregistered callbacks and other audiences fail.
func TestAppClientTokens(t *testing.T) {
	f := setupPortal(t, nil, nil)
	c := client(t, "")
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.URL.Host == "localhost:3000" {
			return http.ErrUseLastResponse // the app's callback: stop here and read the token
		}
		return nil
	}
	base := f.ts.URL + "/t/acme-retail/portal"
	email := "bo.checker@acme-retail.example"
	post(t, c, base+"/signin", url.Values{"email": {email}, "password": {f.invites[email]}})
	pw := "violet-harbour-lantern-42"
	_, _, body := post(t, c, base+"/step", url.Values{"new": {pw}, "confirm": {pw}})
	secret := reSecret.FindStringSubmatch(body)[1]
	code, _ := totp.GenerateCode(secret, time.Now())
	post(t, c, base+"/step", url.Values{"code": {code}})

	resp, err := c.Get(base + "/authorize?client_id=review-dashboard&state=s1&redirect_uri=" + url.QueryEscape("http://localhost:3000/callback"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != 303 || loc.Host != "localhost:3000" || loc.Query().Get("state") != "s1" {
		t.Fatalf("authorize: %d %s", resp.StatusCode, loc)
	}
	token := loc.Query().Get("token")
	jr, _ := http.Get(f.ts.URL + "/t/acme-retail/.well-known/jwks.json")
	jwks, _ := io.ReadAll(jr.Body)
	jr.Body.Close()
	issuer := f.ts.URL + "/t/acme-retail"
	claims, err := workforce.Verify(token, jwks, issuer, "review-dashboard")
	if err != nil || claims.Email != email || len(claims.Teams) != 2 {
		t.Fatalf("verify: %v %+v", err, claims)
	}
	if _, err := workforce.Verify(token, jwks, issuer, "another-app"); err == nil {
		t.Fatal("a token for review-dashboard verified for another audience")
	}
	if _, err := workforce.Verify(token, jwks, "https://evil.example/t/acme-retail", "review-dashboard"); err == nil {
		t.Fatal("wrong issuer accepted")
	}
	tampered := token[:len(token)-4] + "AAAA"
	if _, err := workforce.Verify(tampered, jwks, issuer, "review-dashboard"); err == nil {
		t.Fatal("tampered token accepted")
	}
	for _, q := range []string{
		"client_id=review-dashboard&redirect_uri=" + url.QueryEscape("https://evil.example/callback"),
		"client_id=unknown&redirect_uri=" + url.QueryEscape("http://localhost:3000/callback"),
	} {
		r, _ := c.Get(base + "/authorize?" + q)
		r.Body.Close()
		if r.StatusCode != 400 {
			t.Errorf("authorize %s: %d", q, r.StatusCode)
		}
	}
}

// TestPortalResendRevokeActivate: a resent invitation replaces the old
// temporary password, a revoked member cannot sign in, and an activation
// link works once.
func TestPortalResendRevokeActivate(t *testing.T) {
	f := setupPortal(t, nil, nil)
	ctx := context.Background()
	base := f.ts.URL + "/t/acme-retail/portal"
	ana, bo := "ana.reviewer@acme-retail.example", "bo.checker@acme-retail.example"
	var inv workforce.Invite
	if err := f.db.InTenant(ctx, f.tenant.ID, func(tx *store.Tx) error { var err error; inv, err = workforce.Reinvite(ctx, tx, ana); return err }); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := post(t, client(t, ""), base+"/signin", url.Values{"email": {ana}, "password": {f.invites[ana]}}); code != 401 {
		t.Fatalf("old temporary password after resend: %d", code)
	}
	// The new one, as an activation link.
	link := base + "/activate?" + url.Values{"email": {ana}, "code": {inv.Secret}}.Encode()
	c := client(t, "")
	resp, err := c.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), "Choose your own password") {
		t.Fatalf("activation link: %d", resp.StatusCode)
	}
	post(t, c, base+"/step", url.Values{"new": {"violet-harbour-lantern-42"}, "confirm": {"violet-harbour-lantern-42"}})
	again, _ := client(t, "").Get(link)
	again.Body.Close()
	if again.StatusCode != 401 {
		t.Fatalf("activation link used twice: %d", again.StatusCode)
	}
	if err := f.db.InTenant(ctx, f.tenant.ID, func(tx *store.Tx) error { return workforce.Revoke(ctx, tx, bo) }); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := post(t, client(t, ""), base+"/signin", url.Values{"email": {bo}, "password": {f.invites[bo]}}); code != 401 {
		t.Fatalf("revoked member signed in: %d", code)
	}
}
