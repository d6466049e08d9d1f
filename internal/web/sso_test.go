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
	"github.com/scry-dev/scry/internal/store/storetest"
	"github.com/scry-dev/scry/internal/tenant"
	"github.com/scry-dev/scry/internal/testwait"
)

const idpPassword = "idp password for tests"

// provider is an OpenID provider a test signs people in at: zitadel's OP
// (real) or the forger (for tokens no real provider issues).
type provider interface {
	Authorize(t testing.TB, authURL, email, password string) string
}

// ssoFixture is the server of setup with an OpenID provider on loopback
// for each of alpha and beta.
type ssoFixture struct {
	*fixture
	idp map[string]provider // by tenant slug
	key string
}

func oidcConfig(issuer, clientID, secret, slug string, jit bool) *sso.Config {
	return &sso.Config{JIT: jit, OIDC: &sso.OIDCConfig{Name: "Test IdP " + slug, Issuer: issuer, ClientID: clientID, ClientSecret: secret,
		Scopes: []string{"openid", "email", "groups"},
		Mapping: sso.Mapping{AllowedDomains: []string{slug + ".example"}, RoleFrom: "groups",
			Roles:        map[string]string{"scry-admins": "admin", "scry-hr": "hr", "scry-managers": "manager"},
			EmployeeFrom: "employee_id"}}}
}

// idpPeople are the people each tenant's provider knows (by email) with
// their claims.
func idpPeople(slug string) map[string]map[string]any {
	return map[string]map[string]any{
		"admin@" + slug + ".example":   {"groups": []string{"staff", "scry-admins"}},
		"manager@" + slug + ".example": {"groups": []string{"scry-managers"}, "employee_id": "E2"},
		"new.hr@" + slug + ".example":  {"groups": []string{"scry-hr"}},
		"nobody@" + slug + ".example":  {"groups": []string{"staff"}},
		"someone@elsewhere.example":    {"groups": []string{"scry-admins"}},
	}
}

func (f *ssoFixture) redirect(slug string) string {
	return f.ts.URL + "/t/" + slug + "/sso/oidc/callback"
}

// setupSSO gives alpha and beta each zitadel's OpenID provider on
// loopback, with scry registered there as a confidential client.
func setupSSO(t *testing.T, d store.Dialect) *ssoFixture {
	t.Helper()
	f := &ssoFixture{fixture: setup(t, d), idp: map[string]provider{}}
	f.key = f.srv.sso.KeyFile
	for _, slug := range []string{"alpha", "beta"} {
		c := ssotest.OPClient{ID: "scry-" + slug, Secret: "secret of " + slug, RedirectURIs: []string{f.redirect(slug)}}
		op := ssotest.NewOP(t, c)
		for email, claims := range idpPeople(slug) {
			op.AddUser(email, idpPassword, claims)
		}
		f.idp[slug] = op
		f.setConfig(t, slug, oidcConfig(op.URL, c.ID, c.Secret, slug, true))
	}
	return f
}

// setupForger gives alpha and beta each the forger, for the tokens a real
// provider never issues.
func setupForger(t *testing.T) (*ssoFixture, map[string]*ssotest.Forger) {
	t.Helper()
	f := &ssoFixture{fixture: setup(t, store.SQLite), idp: map[string]provider{}}
	f.key = f.srv.sso.KeyFile
	forgers := map[string]*ssotest.Forger{}
	for _, slug := range []string{"alpha", "beta"} {
		p := ssotest.NewForger(t, "scry-"+slug, "secret of "+slug)
		for email, claims := range idpPeople(slug) {
			p.AddUser(email, ssotest.OIDCUser{Password: idpPassword, Claims: claims})
		}
		f.idp[slug], forgers[slug] = p, p
		f.setConfig(t, slug, oidcConfig(p.URL, p.ClientID, p.ClientSecret, slug, true))
	}
	return f, forgers
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
	by := storetest.Actor(f.db, f.tenant(t, slug), "test")
	by.Log = f.srv.audit
	if err := sso.Set(context.Background(), by, f.key, c); err != nil {
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

// callback brings the provider's answer to scry: the status, the page and
// the session cookie when one was set.
func callback(t *testing.T, c *http.Client, cb string) (int, string, string) {
	t.Helper()
	resp, err := c.Get(cb)
	return sessionAnswer(t, resp, err)
}

// sessionAnswer is an answer's status, page and session cookie, if one was set.
func sessionAnswer(t *testing.T, resp *http.Response, err error) (int, string, string) {
	t.Helper()
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
	return callback(t, c, f.authorize(t, f.start(t, c, slug), slug, email))
}

// authorize signs email in at slug's provider.
func (f *ssoFixture) authorize(t *testing.T, authURL, slug, email string) string {
	t.Helper()
	return f.idp[slug].Authorize(t, authURL, email, idpPassword)
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
			// zitadel keeps the ID token thin (no email beside an access
			// token): each sign-in read the email at the userinfo endpoint.
			if n := f.idp["alpha"].(*ssotest.OP).UserinfoCalls.Load(); n != 3 {
				t.Fatalf("%d userinfo requests, want 3", n)
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

// refusedAt checks that a sign-in at slug was refused with the same page
// and no session, and that the audit log keeps a reason holding reason.
func refusedAt(t *testing.T, f *ssoFixture, slug, reason string, st int, body, cookie string) {
	t.Helper()
	if st != http.StatusUnauthorized || cookie != "" || !strings.Contains(body, "Single sign-on did not let you in") {
		t.Fatalf("want a refusal: %d cookie %q", st, cookie)
	}
	rec := lastSSO(t, f.db, slug)
	if rec.Outcome != audit.OutcomeRefused || !strings.Contains(fmt.Sprint(rec.Details["reason"]), reason) {
		t.Fatalf("audited as %+v, want a refusal saying %q", rec, reason)
	}
}

// TestOIDCForgedTokens: the ID tokens no real provider issues — for
// another audience, unsigned, signed with a key the issuer does not
// publish, naming another issuer, without this sign-in's nonce, an
// unverified email — each come from the forger and are refused.
func TestOIDCForgedTokens(t *testing.T) {
	f, forgers := setupForger(t)
	alpha, beta := forgers["alpha"], forgers["beta"]
	spoil := func(how string, change func(c map[string]any)) func() {
		return func() {
			alpha.SpoilNext(func(c map[string]any) string {
				if change != nil {
					change(c)
				}
				return how
			})
		}
	}
	cases := []struct {
		name   string
		before func()
		reason string
	}{
		{"another audience", spoil("", func(c map[string]any) { c["aud"] = "scry-beta" }), "ID token refused"},
		{"several audiences, another authorized party", spoil("", func(c map[string]any) { c["aud"] = []string{"scry-alpha", "scry-beta"}; c["azp"] = "scry-beta" }), "another authorized party"},
		{"expired", spoil("", func(c map[string]any) { c["exp"] = time.Now().Add(-time.Minute).Unix() }), "expired"},
		{"unsigned (alg none)", spoil("none", nil), "ID token refused"},
		{"signed by a key the issuer does not publish", spoil("other-key", nil), "ID token refused"},
		{"another issuer", spoil("", func(c map[string]any) { c["iss"] = beta.URL }), "ID token refused"},
		{"another nonce", spoil("", func(c map[string]any) { c["nonce"] = "replayed-nonce" }), "nonce does not match"},
		{"no nonce", spoil("", func(c map[string]any) { delete(c, "nonce") }), "nonce does not match"},
		{"unverified email", spoil("", func(c map[string]any) { c["email_verified"] = false }), "not verified"},
		// A thin ID token (no email): the userinfo endpoint's answer
		// counts only when it is about the token's own subject.
		{"userinfo about another subject", func() {
			spoil("", func(c map[string]any) { delete(c, "email") })()
			alpha.SpoilNextUserinfo(func(c map[string]any) { c["sub"] = "sub-admin@beta.example" })
		}, "another subject"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.before()
			st, body, cookie := f.oidcSignIn(t, "alpha", "admin@alpha.example")
			refusedAt(t, f, "alpha", tc.reason, st, body, cookie)
		})
	}
	t.Run("thin ID token, email from userinfo", func(t *testing.T) {
		spoil("", func(c map[string]any) { delete(c, "email"); delete(c, "groups") })()
		if st, body, ck := f.oidcSignIn(t, "alpha", "admin@alpha.example"); st != http.StatusSeeOther || ck == "" {
			t.Fatalf("thin token: %d %s", st, body)
		}
		// The signed token's claims win over userinfo's.
		spoil("", func(c map[string]any) { c["groups"] = []string{"staff"} })()
		st, body, ck := f.oidcSignIn(t, "alpha", "admin@alpha.example")
		refusedAt(t, f, "alpha", "no role mapped", st, body, ck)
	})
	// No forged token can reach tenant B from A's provider at all: in the
	// code flow scry fetches the ID token itself from the token endpoint of
	// B's own issuer (TestOIDCRefusals brings A's code to B).
}

// TestOIDCRefusals: through zitadel's provider, every answer that must not
// sign anyone in is refused with the same page, and the audit log keeps
// the reason: an expired ID token, a person of another domain or with no
// mapped role, a replayed answer, an answer in another browser, tenant A's
// answer or code at tenant B, a person who must exist first.
func TestOIDCRefusals(t *testing.T) {
	f := setupSSO(t, store.SQLite)
	alpha := f.idp["alpha"].(*ssotest.OP)
	t.Run("expired ID token", func(t *testing.T) {
		alpha.SetIDTokenLifetime("scry-alpha", -2*time.Minute)
		defer alpha.SetIDTokenLifetime("scry-alpha", time.Hour)
		st, body, ck := f.oidcSignIn(t, "alpha", "admin@alpha.example")
		refusedAt(t, f, "alpha", "expired", st, body, ck)
	})
	t.Run("email domain not allowed", func(t *testing.T) {
		st, body, ck := f.oidcSignIn(t, "alpha", "someone@elsewhere.example")
		refusedAt(t, f, "alpha", "email domain not allowed", st, body, ck)
	})
	t.Run("no role mapped", func(t *testing.T) {
		st, body, ck := f.oidcSignIn(t, "alpha", "nobody@alpha.example")
		refusedAt(t, f, "alpha", "no role mapped", st, body, ck)
	})
	t.Run("replayed answer", func(t *testing.T) {
		c := browserless(t)
		cb := f.authorize(t, f.start(t, c, "alpha"), "alpha", "admin@alpha.example")
		if st, _, ck := callback(t, c, cb); st != http.StatusSeeOther || ck == "" {
			t.Fatalf("first use: %d", st)
		}
		st, body, ck := callback(t, c, cb)
		refusedAt(t, f, "alpha", "already used", st, body, ck)
		// The same code with a fresh state of this browser: the provider
		// took the code once and refuses it now.
		fresh := f.authorize(t, f.start(t, c, "alpha"), "alpha", "manager@alpha.example")
		fu, _ := url.Parse(fresh)
		q := fu.Query()
		old, _ := url.Parse(cb)
		q.Set("code", old.Query().Get("code"))
		fu.RawQuery = q.Encode()
		st, body, ck = callback(t, c, fu.String())
		refusedAt(t, f, "alpha", "refused the code", st, body, ck)
	})
	t.Run("answer in another browser", func(t *testing.T) {
		cb := f.authorize(t, f.start(t, browserless(t), "alpha"), "alpha", "admin@alpha.example")
		st, body, ck := callback(t, browserless(t), cb)
		refusedAt(t, f, "alpha", "not started by this browser", st, body, ck)
	})
	// Tenant A's provider can never sign anyone into tenant B: A's answer
	// (its state, its code) brought to B's callback finds no sign-in of
	// B's, and a code A's provider issued fails at B's provider.
	t.Run("tenant A's provider into tenant B", func(t *testing.T) {
		c := browserless(t)
		cb := f.authorize(t, f.start(t, c, "alpha"), "alpha", "admin@alpha.example")
		u, _ := url.Parse(cb)
		u.Path = strings.Replace(u.Path, "/t/alpha/", "/t/beta/", 1)
		st, body, ck := callback(t, c, u.String())
		refusedAt(t, f, "beta", "unknown to this tenant", st, body, ck)

		alpha.AddUser("admin@beta.example", idpPassword, map[string]any{"groups": []string{"scry-admins"}})
		cb2 := f.authorize(t, f.start(t, c, "beta"), "beta", "admin@beta.example")
		acb := f.authorize(t, f.start(t, browserless(t), "alpha"), "alpha", "admin@beta.example") // a code alpha's provider issued
		cb2u, _ := url.Parse(cb2)
		au, _ := url.Parse(acb)
		q := cb2u.Query()
		q.Set("code", au.Query().Get("code"))
		cb2u.RawQuery = q.Encode()
		st, body, ck = callback(t, c, cb2u.String())
		refusedAt(t, f, "beta", "refused the code", st, body, ck)
		// And a person of beta signing in at alpha's provider gets no session in beta.
		st, body, ck = f.oidcSignIn(t, "alpha", "admin@beta.example")
		refusedAt(t, f, "alpha", "email domain not allowed", st, body, ck)
	})
	// Both tenants at one provider (one organisation's Okta, two clients):
	// alpha's code at beta's callback is exchanged with beta's client, and
	// the provider refuses a code it issued to another client.
	t.Run("one provider, two tenants", func(t *testing.T) {
		shared := ssotest.NewOP(t, ssotest.OPClient{ID: "scry-alpha", Secret: "s-a", RedirectURIs: []string{f.redirect("alpha")}},
			ssotest.OPClient{ID: "scry-beta", Secret: "s-b", RedirectURIs: []string{f.redirect("beta")}})
		shared.AddUser("admin@beta.example", idpPassword, map[string]any{"groups": []string{"scry-admins"}})
		f.setConfig(t, "alpha", oidcConfig(shared.URL, "scry-alpha", "s-a", "alpha", true))
		f.setConfig(t, "beta", oidcConfig(shared.URL, "scry-beta", "s-b", "beta", true))
		defer f.setConfig(t, "alpha", oidcConfig(alpha.URL, "scry-alpha", "secret of alpha", "alpha", true))
		c := browserless(t)
		cb := shared.Authorize(t, f.start(t, c, "beta"), "admin@beta.example", idpPassword)
		acb := shared.Authorize(t, f.start(t, browserless(t), "alpha"), "admin@beta.example", idpPassword)
		cbu, _ := url.Parse(cb)
		au, _ := url.Parse(acb)
		q := cbu.Query()
		q.Set("code", au.Query().Get("code"))
		cbu.RawQuery = q.Encode()
		st, body, ck := callback(t, c, cbu.String())
		refusedAt(t, f, "beta", "refused the code", st, body, ck)
		// beta's own answer, in its own browser, is fine.
		if st, body, ck := callback(t, c, shared.Authorize(t, f.start(t, c, "beta"), "admin@beta.example", idpPassword)); st != http.StatusSeeOther || ck == "" {
			t.Fatalf("beta's own sign-in at the shared provider: %d %s", st, body)
		}
		f.setConfig(t, "beta", oidcConfig(f.idp["beta"].(*ssotest.OP).URL, "scry-beta", "secret of beta", "beta", true))
	})
	t.Run("users must exist", func(t *testing.T) {
		beta := f.idp["beta"].(*ssotest.OP)
		f.setConfig(t, "beta", oidcConfig(beta.URL, "scry-beta", "secret of beta", "beta", false))
		st, body, ck := f.oidcSignIn(t, "beta", "new.hr@beta.example")
		refusedAt(t, f, "beta", "requires users to exist", st, body, ck)
		if st, _, _ := f.oidcSignIn(t, "beta", "admin@beta.example"); st != http.StatusSeeOther {
			t.Fatalf("an existing user with JIT off: %d", st)
		}
	})
}

// TestSSOSessionEndsWithToken: a session opened with an ID token that
// expires soon ends then, though the session policy would allow hours.
func TestSSOSessionEndsWithToken(t *testing.T) {
	f := setupSSO(t, store.SQLite)
	f.idp["alpha"].(*ssotest.OP).SetIDTokenLifetime("scry-alpha", 3*time.Second)
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
			// zitadel's example login page, as it ships
			chromedp.Click(css("#sso-oidc")), chromedp.WaitVisible(css("#username")),
			typed("#username", email), typed("#password", idpPassword), shot("sso-02-provider"),
			chromedp.Submit(css("#password")), chromedp.WaitVisible(css("#q")))
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

// TestBrowserSSORefusals: in headless Chromium, an expired ID token from
// zitadel's provider and a person of another email domain each end on the
// tenant's sign-in page saying single sign-on did not let them in, with no
// session, and the audit log keeps why.
func TestBrowserSSORefusals(t *testing.T) {
	ctx := browser(t)
	f := setupSSO(t, store.SQLite)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	signIn := func(email, name string) step {
		return chromedp.Steps(chromedp.Navigate(f.ts.URL+"/t/alpha/signin"), chromedp.WaitVisible(css("#sso-oidc")),
			chromedp.Click(css("#sso-oidc")), chromedp.WaitVisible(css("#username")),
			typed("#username", email), typed("#password", idpPassword), chromedp.Submit(css("#password")),
			chromedp.WaitVisible(css(".error")), shot(name))
	}
	op := f.idp["alpha"].(*ssotest.OP)
	op.SetIDTokenLifetime("scry-alpha", -2*time.Minute)
	browserRun(t, ctx, signIn("admin@alpha.example", "sso-refused-expired"))
	if msg := eval[string](t, ctx, `document.querySelector(".error").textContent`); !strings.Contains(msg, "Single sign-on did not let you in") {
		t.Fatalf("the page says %q", msg)
	}
	if r := lastSSO(t, f.db, "alpha"); r.Outcome != audit.OutcomeRefused || !strings.Contains(fmt.Sprint(r.Details["reason"]), "expired") {
		t.Fatalf("audited as %+v", r)
	}
	op.SetIDTokenLifetime("scry-alpha", time.Hour)
	browserRun(t, ctx, signIn("someone@elsewhere.example", "sso-refused-domain"))
	if r := lastSSO(t, f.db, "alpha"); !strings.Contains(fmt.Sprint(r.Details["reason"]), "email domain not allowed") {
		t.Fatalf("audited as %+v", r)
	}
	// No session: the app sends this browser to sign in.
	browserRun(t, ctx, chromedp.Navigate(f.ts.URL+"/ask"), chromedp.WaitVisible(css("#tenant")))
	if u := eval[string](t, ctx, `location.pathname`); u != "/signin" {
		t.Fatalf("after the refusals /ask leads to %s", u)
	}
}
