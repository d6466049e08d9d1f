package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/sso"
	"github.com/scry-dev/scry/internal/sso/ssotest"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/tenant"
	"github.com/scry-dev/scry/internal/testwait"
)

const idpPassword = "idp password for tests"

// ssoFixture is the server of setup with a real OpenID provider on
// loopback for each of alpha and beta.
type ssoFixture struct {
	*fixture
	idp map[string]*ssotest.OIDC // by tenant slug
	key string
}

func oidcConfig(idp *ssotest.OIDC, slug string, jit bool) *sso.Config {
	return &sso.Config{JIT: jit, OIDC: &sso.OIDCConfig{Name: "Test IdP " + slug, Issuer: idp.URL, ClientID: idp.ClientID, ClientSecret: idp.ClientSecret,
		Scopes: []string{"openid", "email", "groups"},
		Mapping: sso.Mapping{AllowedDomains: []string{slug + ".example"}, RoleFrom: "groups",
			Roles:        map[string]string{"scry-admins": "admin", "scry-hr": "hr", "scry-managers": "manager"},
			EmployeeFrom: "employee_id"}}}
}

func setupSSO(t *testing.T, d store.Dialect) *ssoFixture {
	t.Helper()
	f := &ssoFixture{fixture: setup(t, d), idp: map[string]*ssotest.OIDC{}}
	f.key = f.srv.sso.KeyFile
	for _, slug := range []string{"alpha", "beta"} {
		idp := ssotest.NewOIDC(t, "scry-"+slug, "secret of "+slug)
		idp.AddUser("admin@"+slug+".example", ssotest.OIDCUser{Password: idpPassword, Claims: map[string]any{"groups": []string{"staff", "scry-admins"}}})
		idp.AddUser("manager@"+slug+".example", ssotest.OIDCUser{Password: idpPassword, Claims: map[string]any{"groups": []string{"scry-managers"}, "employee_id": "E2"}})
		idp.AddUser("new.hr@"+slug+".example", ssotest.OIDCUser{Password: idpPassword, Claims: map[string]any{"groups": []string{"scry-hr"}}})
		idp.AddUser("nobody@"+slug+".example", ssotest.OIDCUser{Password: idpPassword, Claims: map[string]any{"groups": []string{"staff"}}})
		idp.AddUser("someone@elsewhere.example", ssotest.OIDCUser{Password: idpPassword, Claims: map[string]any{"groups": []string{"scry-admins"}}})
		f.idp[slug] = idp
		f.setConfig(t, slug, oidcConfig(idp, slug, true))
	}
	return f
}

func (f *ssoFixture) tenant(t *testing.T, slug string) tenant.Tenant {
	t.Helper()
	tn, err := tenant.Get(context.Background(), f.db, slug)
	if err != nil {
		t.Fatal(err)
	}
	return tn
}

func (f *ssoFixture) setConfig(t *testing.T, slug string, c *sso.Config) {
	t.Helper()
	if err := sso.Set(context.Background(), f.db, f.srv.audit, f.tenant(t, slug), f.key, "test", c); err != nil {
		t.Fatal(err)
	}
}

// browserless is a client with a cookie jar that does not follow
// redirects, so each hop of the flow can be looked at (and tampered with).
func browserless(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// start follows "Sign in with …" and returns the provider's address.
func (f *ssoFixture) start(t *testing.T, c *http.Client, slug string) string {
	t.Helper()
	resp, err := c.Get(f.ts.URL + "/t/" + slug + "/sso/oidc/start")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("start: %d", resp.StatusCode)
	}
	return resp.Header.Get("Location")
}

// authorize signs in at the provider (its form) and returns where the
// provider sends the browser back: scry's callback with code and state.
func authorize(t *testing.T, authURL, email string) string {
	t.Helper()
	u, _ := url.Parse(authURL)
	form := u.Query()
	form.Set("email", email)
	form.Set("password", idpPassword)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(u.Scheme+"://"+u.Host+u.Path, form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("the provider did not sign %s in: %d", email, resp.StatusCode)
	}
	return resp.Header.Get("Location")
}

// callback brings the provider's answer to scry: the status, the page and
// the session cookie when one was set.
func callback(t *testing.T, c *http.Client, cb string) (int, string, string) {
	t.Helper()
	resp, err := c.Get(cb)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, ck := range resp.Cookies() {
		if ck.Name == "scry_session" && ck.Value != "" {
			return resp.StatusCode, string(b), ck.Value
		}
	}
	return resp.StatusCode, string(b), ""
}

// oidcSignIn runs the whole flow for email at slug's provider.
func (f *ssoFixture) oidcSignIn(t *testing.T, slug, email string) (int, string, string) {
	t.Helper()
	c := browserless(t)
	return callback(t, c, authorize(t, f.start(t, c, slug), email))
}

// lastSSO is the newest sso.signin record of tenant slug.
func lastSSO(t *testing.T, db *store.DB, slug string) audit.Record {
	t.Helper()
	recs, err := audit.List(context.Background(), db, slug, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(recs) - 1; i >= 0; i-- {
		if recs[i].Action == "sso.signin" {
			return recs[i]
		}
	}
	t.Fatalf("no sso.signin record for %s", slug)
	return audit.Record{}
}

func headcount(t *testing.T, f *fixture, cookie string) float64 {
	t.Helper()
	resp, ans := f.do(t, "POST", "/api/v1/ask", map[string]string{"question": "How many employees do we have?", "now": "2026-11-25"}, withCookie(cookie))
	if resp.StatusCode != 200 {
		t.Fatalf("ask: %d %v", resp.StatusCode, ans)
	}
	return ans["rows"].([]any)[0].([]any)[0].(float64)
}

// TestOIDCSignIn: through a real provider on loopback, an admin (mapped
// from a group), a manager (mapped, with the employee record from a claim)
// and a new HR person (created just in time) sign in; each session asks
// within its scope; every sign-in and the creation are audited.
func TestOIDCSignIn(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			f := setupSSO(t, d)
			st, body, admin := f.oidcSignIn(t, "alpha", "admin@alpha.example")
			if st != http.StatusSeeOther || admin == "" {
				t.Fatalf("admin sign-in: %d %s", st, body)
			}
			_, me := f.do(t, "GET", "/api/v1/me", nil, withCookie(admin))
			if u := me["user"].(map[string]any); u["role"] != "admin" || me["tenant"] != "alpha" {
				t.Fatalf("me: %v", me)
			}
			if n := headcount(t, f.fixture, admin); n != 3 {
				t.Fatalf("admin headcount %v, want 3", n)
			}
			st, _, mgr := f.oidcSignIn(t, "alpha", "manager@alpha.example")
			if st != http.StatusSeeOther {
				t.Fatalf("manager sign-in: %d", st)
			}
			if n := headcount(t, f.fixture, mgr); n != 2 {
				t.Fatalf("manager headcount %v, want 2 (E2 and E3)", n)
			}
			st, _, hrc := f.oidcSignIn(t, "alpha", "new.hr@alpha.example")
			if st != http.StatusSeeOther {
				t.Fatalf("JIT sign-in: %d", st)
			}
			_, me = f.do(t, "GET", "/api/v1/me", nil, withCookie(hrc))
			if u := me["user"].(map[string]any); u["role"] != "hr" || u["email"] != "new.hr@alpha.example" {
				t.Fatalf("JIT user: %v", me)
			}
			if n := auditCount(t, f.db, "alpha", "user.add", "ok", map[string]any{"role": "hr", "via": "sso just-in-time"}); n != 1 {
				t.Fatalf("%d user.add records for the JIT user", n)
			}
			if n := auditCount(t, f.db, "alpha", "sso.signin", "ok", map[string]any{"protocol": "oidc"}); n != 3 {
				t.Fatalf("%d sso.signin ok records, want 3", n)
			}
			// The session ends with the ID token (an hour here), not after the policy's 12 h.
			var ends string
			f.db.ReadTenant(context.Background(), f.tenant(t, "alpha").ID, func(tx *store.Tx) error {
				_, h, _ := identity.ParseCredential(identity.SessionPrefix, admin)
				return tx.QueryRowContext(context.Background(), `select expires_at from sessions where tenant_id = $1 and id_hash = $2`, tx.TenantID, h).Scan(&ends)
			})
			if e, err := time.Parse(time.RFC3339Nano, ends); err != nil || time.Until(e) > 61*time.Minute || time.Until(e) < 50*time.Minute {
				t.Fatalf("session ends %q, want the token's expiry in an hour", ends)
			}
		})
	}
}

// TestOIDCRefusals: every token or answer that must not sign anyone in is
// refused with the same page, and the audit log keeps the reason.
func TestOIDCRefusals(t *testing.T) {
	f := setupSSO(t, store.SQLite)
	alpha, beta := f.idp["alpha"], f.idp["beta"]
	spoil := func(idp *ssotest.OIDC, how string, change func(c map[string]any)) func() {
		return func() {
			idp.SpoilNext(func(c map[string]any) string {
				if change != nil {
					change(c)
				}
				return how
			})
		}
	}
	cases := []struct {
		name, slug, email string
		before            func()
		reason            string
	}{
		{"another audience", "alpha", "admin@alpha.example", spoil(alpha, "", func(c map[string]any) { c["aud"] = "scry-beta" }), "ID token refused"},
		{"expired", "alpha", "admin@alpha.example", spoil(alpha, "", func(c map[string]any) { c["exp"] = time.Now().Add(-time.Minute).Unix() }), "expired"},
		{"unsigned (alg none)", "alpha", "admin@alpha.example", spoil(alpha, "none", nil), "ID token refused"},
		{"signed by a key the issuer does not publish", "alpha", "admin@alpha.example", spoil(alpha, "other-key", nil), "ID token refused"},
		{"another issuer", "alpha", "admin@alpha.example", spoil(alpha, "", func(c map[string]any) { c["iss"] = beta.URL }), "ID token refused"},
		{"another nonce", "alpha", "admin@alpha.example", spoil(alpha, "", func(c map[string]any) { c["nonce"] = "replayed-nonce" }), "nonce does not match"},
		{"no nonce", "alpha", "admin@alpha.example", spoil(alpha, "", func(c map[string]any) { delete(c, "nonce") }), "nonce does not match"},
		{"email domain not allowed", "alpha", "someone@elsewhere.example", nil, "email domain not allowed"},
		{"no role mapped", "alpha", "nobody@alpha.example", nil, "no role mapped"},
		{"unverified email", "alpha", "admin@alpha.example", spoil(alpha, "", func(c map[string]any) { c["email_verified"] = false }), "not verified"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.before != nil {
				tc.before()
			}
			st, body, cookie := f.oidcSignIn(t, tc.slug, tc.email)
			if st != http.StatusUnauthorized || cookie != "" || !strings.Contains(body, "Single sign-on did not let you in") {
				t.Fatalf("%s: %d cookie %q", tc.name, st, cookie)
			}
			rec := lastSSO(t, f.db, tc.slug)
			if rec.Outcome != audit.OutcomeRefused || !strings.Contains(fmt.Sprint(rec.Details["reason"]), tc.reason) {
				t.Fatalf("%s: audit %+v, want a refusal saying %q", tc.name, rec, tc.reason)
			}
		})
	}

	t.Run("replayed state", func(t *testing.T) {
		c := browserless(t)
		cb := authorize(t, f.start(t, c, "alpha"), "admin@alpha.example")
		if st, _, ck := callback(t, c, cb); st != http.StatusSeeOther || ck == "" {
			t.Fatalf("first use: %d", st)
		}
		if st, _, ck := callback(t, c, cb); st != http.StatusUnauthorized || ck != "" {
			t.Fatalf("replay: %d", st)
		}
		if r := lastSSO(t, f.db, "alpha"); !strings.Contains(fmt.Sprint(r.Details["reason"]), "already used") {
			t.Fatalf("replay audited as %+v", r)
		}
	})
	t.Run("answer in another browser", func(t *testing.T) {
		cb := authorize(t, f.start(t, browserless(t), "alpha"), "admin@alpha.example")
		if st, _, ck := callback(t, browserless(t), cb); st != http.StatusUnauthorized || ck != "" {
			t.Fatalf("another browser: %d", st)
		}
		if r := lastSSO(t, f.db, "alpha"); !strings.Contains(fmt.Sprint(r.Details["reason"]), "not started by this browser") {
			t.Fatalf("audited as %+v", r)
		}
	})
	// Tenant A's provider can never sign anyone into tenant B: A's answer
	// (its state, its code) brought to B's callback finds no sign-in of B's,
	// and a token A's provider signs for B's client and issuer fails B's keys.
	t.Run("tenant A's provider into tenant B", func(t *testing.T) {
		c := browserless(t)
		cb := authorize(t, f.start(t, c, "alpha"), "admin@alpha.example")
		u, _ := url.Parse(cb)
		u.Path = strings.Replace(u.Path, "/t/alpha/", "/t/beta/", 1)
		if st, _, ck := callback(t, c, u.String()); st != http.StatusUnauthorized || ck != "" {
			t.Fatalf("alpha's answer at beta: %d", st)
		}
		if r := lastSSO(t, f.db, "beta"); !strings.Contains(fmt.Sprint(r.Details["reason"]), "unknown to this tenant") {
			t.Fatalf("audited as %+v", r)
		}
		// beta's flow, but alpha's provider answers with a token claiming
		// to be beta's provider's, for beta's client: alpha's key is not beta's.
		cb2 := authorize(t, f.start(t, c, "beta"), "admin@beta.example")
		cb2u, _ := url.Parse(cb2)
		q := cb2u.Query()
		alpha.AddUser("admin@beta.example", ssotest.OIDCUser{Password: idpPassword, Claims: map[string]any{"groups": []string{"scry-admins"}}})
		acb := authorize(t, f.start(t, browserless(t), "alpha"), "admin@beta.example") // a code alpha's provider issued
		au, _ := url.Parse(acb)
		q.Set("code", au.Query().Get("code"))
		cb2u.RawQuery = q.Encode()
		if st, _, ck := callback(t, c, cb2u.String()); st != http.StatusUnauthorized || ck != "" {
			t.Fatalf("alpha's code at beta: %d", st)
		}
		if r := lastSSO(t, f.db, "beta"); !strings.Contains(fmt.Sprint(r.Details["reason"]), "refused the code") {
			t.Fatalf("audited as %+v", r)
		}
		// And a user of beta signing in at alpha's provider gets no session in beta.
		if st, _, _ := f.oidcSignIn(t, "alpha", "admin@beta.example"); st != http.StatusUnauthorized {
			t.Fatalf("beta's address through alpha: %d", st)
		}
	})
	t.Run("users must exist", func(t *testing.T) {
		f.setConfig(t, "beta", oidcConfig(beta, "beta", false))
		if st, _, _ := f.oidcSignIn(t, "beta", "new.hr@beta.example"); st != http.StatusUnauthorized {
			t.Fatalf("JIT off: %d", st)
		}
		if r := lastSSO(t, f.db, "beta"); !strings.Contains(fmt.Sprint(r.Details["reason"]), "requires users to exist") {
			t.Fatalf("audited as %+v", r)
		}
		if st, _, _ := f.oidcSignIn(t, "beta", "admin@beta.example"); st != http.StatusSeeOther {
			t.Fatalf("an existing user with JIT off: %d", st)
		}
	})
}

// TestSSOSessionEndsWithToken: a session opened with a token that expires
// soon ends then, though the session policy would allow hours.
func TestSSOSessionEndsWithToken(t *testing.T) {
	f := setupSSO(t, store.SQLite)
	f.idp["alpha"].SpoilNext(func(c map[string]any) string { c["exp"] = time.Now().Add(3 * time.Second).Unix(); return "" })
	st, _, cookie := f.oidcSignIn(t, "alpha", "admin@alpha.example")
	if st != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", st)
	}
	if resp, _ := f.do(t, "GET", "/api/v1/me", nil, withCookie(cookie)); resp.StatusCode != 200 {
		t.Fatalf("fresh session: %d", resp.StatusCode)
	}
	testwait.Eventually(t, 30*time.Second, func() error {
		if resp, _ := f.do(t, "GET", "/api/v1/me", nil, withCookie(cookie)); resp.StatusCode != 401 {
			return fmt.Errorf("session still open: %d", resp.StatusCode)
		}
		return nil
	})
}

// TestPasswordSignInOff: with password sign-in off the main door refuses
// passwords (audited), SSO still works, workforce portals are untouched,
// and the admin page switches it off only from an SSO session.
func TestPasswordSignInOff(t *testing.T) {
	f := setupSSO(t, store.SQLite)
	pw := f.signIn(t, "alpha", "admin@alpha.example")
	// From a password session the page refuses to switch passwords off.
	resp := pagePost(t, f.fixture, pw, "/admin/sso", url.Values{"password_signin": {"off"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("switch off from a password session: %d", resp.StatusCode)
	}
	_, _, ssoCookie := f.oidcSignIn(t, "alpha", "admin@alpha.example")
	if resp := pagePost(t, f.fixture, ssoCookie, "/admin/sso", url.Values{"password_signin": {"off"}}); resp.StatusCode != 200 {
		t.Fatalf("switch off from an SSO session: %d", resp.StatusCode)
	}
	st, body, _ := jsonSignIn(t, f.ts.URL, "alpha", "admin@alpha.example", password)
	if st != 401 || !strings.Contains(body, "identity provider") {
		t.Fatalf("password sign-in while off: %d %s", st, body)
	}
	if n := auditCount(t, f.db, "alpha", "session.signin", "refused", map[string]any{"reason": "password sign-in is off for this tenant"}); n != 1 {
		t.Fatalf("%d refusals audited", n)
	}
	if st, _, _ := jsonSignIn(t, f.ts.URL, "beta", "admin@beta.example", password); st != 200 {
		t.Fatalf("beta's password sign-in: %d", st)
	}
	if st, _, _ := f.oidcSignIn(t, "alpha", "admin@alpha.example"); st != http.StatusSeeOther {
		t.Fatalf("SSO while passwords are off: %d", st)
	}
	if n := auditCount(t, f.db, "alpha", "sso.password_signin", "ok", map[string]any{"on": false}); n != 1 {
		t.Fatalf("%d switches audited", n)
	}
	// The tenant's sign-in page shows the button and no password form.
	r, err := http.Get(f.ts.URL + "/t/alpha/signin")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if !strings.Contains(string(b), "Sign in with Test IdP alpha") || strings.Contains(string(b), `type="password"`) {
		t.Fatalf("sign-in page while passwords are off:\n%s", b)
	}
}

// pagePost posts a same-origin form with a session cookie.
func pagePost(t *testing.T, f *fixture, cookie, path string, form url.Values) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("POST", f.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.AddCookie(&http.Cookie{Name: "scry_session", Value: cookie})
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// TestBrowserSSOJourney: in headless Chromium, a manager finds the
// organisation's single sign-on from /signin, signs in at the real
// provider on loopback, lands in Ask with the mapped role and gets the
// team's answer only; then an admin signs in the same way, opens the
// single sign-on page and switches password sign-in off.
func TestBrowserSSOJourney(t *testing.T) {
	ctx := browser(t)
	f := setupSSO(t, store.SQLite)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	ssoSignIn := func(email string) step {
		return chromedp.Steps(
			chromedp.Navigate(f.ts.URL+"/signin"), chromedp.WaitVisible(css("#sso-tenant")),
			typed("#sso-tenant", "alpha"), chromedp.Submit(css("#sso-tenant")),
			chromedp.WaitVisible(css("#sso-oidc")), shot("sso-01-tenant-signin"),
			chromedp.Click(css("#sso-oidc")), chromedp.WaitVisible(css("#idp-email")),
			typed("#idp-email", email), typed("#idp-password", idpPassword), shot("sso-02-provider"),
			chromedp.Submit(css("#idp-password")), chromedp.WaitVisible(css("#q")))
	}
	browserRun(t, ctx, ssoSignIn("manager@alpha.example"), shot("sso-03-ask"))
	who := eval[string](t, ctx, `document.querySelector(".who").textContent`)
	if !strings.Contains(who, "manager@alpha.example") || !strings.Contains(who, "manager") || !strings.Contains(who, "alpha") {
		t.Fatalf("signed in as %q", who)
	}
	q := "List all employees"
	browserRun(t, ctx, typed("#q", q), chromedp.Submit(css("#q")),
		waitFor(fmt.Sprintf(`document.querySelector("#answer .answered")?.dataset.question === %q && !!document.querySelector("#answer table")`, q)),
		shot("sso-04-manager-team"))
	names := eval[[]string](t, ctx, `[...document.querySelectorAll("#answer tbody tr")].map(tr => tr.textContent)`)
	if len(names) != 2 || !strings.Contains(strings.Join(names, " "), "Nora") || !strings.Contains(strings.Join(names, " "), "Arthur") {
		t.Fatalf("the manager sees %q, want Nora and Arthur only", names)
	}
	browserRun(t, ctx, chromedp.Click(css(".signout button")), chromedp.WaitVisible(css("#tenant")),
		ssoSignIn("admin@alpha.example"),
		chromedp.Navigate(f.ts.URL+"/admin/sso"), chromedp.WaitVisible(css("#sso-password-switch")), shot("sso-05-admin-page"),
		chromedp.Click(css("#sso-password-switch")), waitFor(`document.querySelector("#sso-password-state")?.textContent === "off"`), shot("sso-06-password-off"))
	if n := auditCount(t, f.db, "alpha", "sso.signin", "ok", map[string]any{"protocol": "oidc"}); n != 2 {
		t.Fatalf("%d SSO sign-ins audited, want 2", n)
	}
	// The organisation's own sign-in page now offers only the provider.
	browserRun(t, ctx, chromedp.Click(css(".signout button")), chromedp.WaitVisible(css("#tenant")), chromedp.Navigate(f.ts.URL+"/t/alpha/signin"), chromedp.WaitVisible(css("#sso-oidc")),
		shot("sso-07-tenant-signin-sso-only"))
	if eval[bool](t, ctx, `!!document.querySelector("#password")`) {
		t.Fatal("the password form is still offered")
	}
}
