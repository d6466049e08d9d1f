package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/sso"
	"github.com/scry-dev/scry/internal/sso/ssotest"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
)

// portalSSO is the workforce portal's fixture with zitadel's provider on
// loopback set as acme-retail's single sign-on; workforce says whether the
// workforce is opted in.
func portalSSO(t *testing.T, workforce bool) (*portalFixture, *ssotest.OP) {
	t.Helper()
	f := setupPortal(t, nil, nil)
	c := ssotest.OPClient{ID: "scry", Secret: "portal secret", RedirectURIs: []string{f.ts.URL + "/t/acme-retail/sso/oidc/callback"}}
	op := ssotest.NewOP(t, c)
	for _, email := range []string{"ana.reviewer@acme-retail.example", "hr.lead@acme-retail.example", "stranger@acme-retail.example"} {
		op.AddUser(email, idpPassword, map[string]any{"groups": []string{"scry-hr"}})
	}
	ctx := context.Background()
	if err := f.db.InTenant(ctx, f.tenant.ID, func(tx *store.Tx) error {
		_, err := identity.Add(ctx, tx, identity.User{Email: "hr.lead@acme-retail.example", Role: identity.HR})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	cfg := oidcConfig(op.URL, c.ID, c.Secret, "acme-retail", true)
	cfg.WorkforcePortal = workforce
	by := storetest.Actor(f.db, f.tenant, "test")
	by.Log = f.log
	if err := sso.Set(ctx, by, sso.DefaultKeyFile(f.dataDir), cfg); err != nil {
		t.Fatal(err)
	}
	return f, op
}

// portalOIDC runs the portal's sign-in with the provider for email and
// returns the last status, the path it ended at and the page.
func portalOIDC(t *testing.T, f *portalFixture, op *ssotest.OP, c *http.Client, email string) (int, string, string) {
	t.Helper()
	nc := *c
	nc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := nc.Get(f.ts.URL + "/t/acme-retail/portal/sso/oidc/start")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("portal SSO start: %d", resp.StatusCode)
	}
	resp, err = c.Get(op.Authorize(t, resp.Header.Get("Location"), email, idpPassword))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Request.URL.Path, string(b)
}

// TestWorkforcePortalSSO: a workforce opted in signs in at its portal with
// the tenant's identity provider (zitadel's, on loopback) and lands in the
// portal, with a session that opens the portal only; the portal's
// password sign-in is off (audited); only workforce members get in there;
// a worker still cannot use the main door.
func TestWorkforcePortalSSO(t *testing.T) {
	f, op := portalSSO(t, true)
	base := f.ts.URL + "/t/acme-retail/portal"
	c := client(t, "")
	b := getBody(t, c, base+"/signin")
	if !strings.Contains(string(b), `id="portal-sso-oidc"`) || strings.Contains(string(b), `type="password"`) {
		t.Fatalf("the opted-in portal's sign-in page:\n%s", b)
	}
	email := "ana.reviewer@acme-retail.example"
	if code, _, body := post(t, c, base+"/signin", url.Values{"email": {email}, "password": {f.invites[email]}}); code != 401 || !strings.Contains(body, "identity provider") {
		t.Fatalf("portal password sign-in while opted in: %d", code)
	}
	if n := auditCount(t, f.db, "acme-retail", "portal.signin", "refused", map[string]any{"reason": "the workforce signs in with the identity provider"}); n != 1 {
		t.Fatalf("%d refused portal password sign-ins audited", n)
	}
	code, path, body := portalOIDC(t, f, op, c, email)
	if code != 200 || path != "/t/acme-retail/portal" || !strings.Contains(body, "video-reviewers") {
		t.Fatalf("worker through the provider: %d %s\n%s", code, path, body)
	}
	if n := auditCount(t, f.db, "acme-retail", "sso.signin", "ok", map[string]any{"door": "portal", "role": "worker"}); n != 1 {
		t.Fatalf("%d portal SSO sign-ins audited", n)
	}
	// The portal session opens no app route.
	resp, err := c.Get(f.ts.URL + "/api/v1/me")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("app route with a portal session: %d", resp.StatusCode)
	}
	for _, tc := range []struct{ email, reason string }{
		{"hr.lead@acme-retail.example", "not a workforce member"},
		{"stranger@acme-retail.example", "no workforce member"},
	} {
		code, _, _ := portalOIDC(t, f, op, client(t, ""), tc.email)
		if code != http.StatusUnauthorized {
			t.Fatalf("%s at the portal: %d", tc.email, code)
		}
		if r := lastSSO(t, f.db, "acme-retail"); r.Outcome != audit.OutcomeRefused || !strings.Contains(fmt.Sprint(r.Details["reason"]), tc.reason) {
			t.Fatalf("%s audited as %+v", tc.email, r)
		}
	}
	// The main door still refuses the worker, opted in or not.
	mc := browserless(t)
	resp, err = mc.Get(f.ts.URL + "/t/acme-retail/sso/oidc/start")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	st, _, ck := callback(t, mc, op.Authorize(t, resp.Header.Get("Location"), email, idpPassword))
	if st != http.StatusUnauthorized || ck != "" {
		t.Fatalf("worker at the main door: %d", st)
	}
	if r := lastSSO(t, f.db, "acme-retail"); !strings.Contains(fmt.Sprint(r.Details["reason"]), "workforce account") {
		t.Fatalf("audited as %+v", r)
	}
}

// TestWorkforcePortalKeepsItsSignIn: with single sign-on set but the
// workforce not opted in, the portal keeps its password sign-in and offers
// no provider; its SSO start is not there.
func TestWorkforcePortalKeepsItsSignIn(t *testing.T) {
	f, _ := portalSSO(t, false)
	base := f.ts.URL + "/t/acme-retail/portal"
	c := client(t, "")
	b := getBody(t, c, base+"/signin")
	if strings.Contains(string(b), "portal-sso-") || !strings.Contains(string(b), `type="password"`) {
		t.Fatalf("the portal's sign-in page:\n%s", b)
	}
	resp, err := c.Get(base + "/sso/oidc/start")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("portal SSO start without the opt-in: %d", resp.StatusCode)
	}
	email := "ana.reviewer@acme-retail.example"
	if code, _, body := post(t, c, base+"/signin", url.Values{"email": {email}, "password": {f.invites[email]}}); code != 200 || !strings.Contains(body, "Choose your own password") {
		t.Fatalf("portal password sign-in: %d", code)
	}
}

// TestBrowserWorkforcePortalSSO: in headless Chromium, a reviewer opens the
// opted-in portal, signs in at zitadel's login page and lands in the
// portal with their teams.
func TestBrowserWorkforcePortalSSO(t *testing.T) {
	ctx := browser(t)
	f, _ := portalSSO(t, true)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	browserRun(t, ctx, chromedp.Navigate(f.ts.URL+"/t/acme-retail/portal"), chromedp.WaitVisible(css("#portal-sso-oidc")), shot("portal-sso-01-signin"),
		chromedp.Click(css("#portal-sso-oidc")), chromedp.WaitVisible(css("#username")),
		typed("#username", "ana.reviewer@acme-retail.example"), typed("#password", idpPassword), chromedp.Submit(css("#password")),
		waitFor(`location.pathname === "/t/acme-retail/portal" && document.body.textContent.includes("video-reviewers")`), shot("portal-sso-02-home"))
}

// getBody is the body of a GET that must answer.
func getBody(t *testing.T, c *http.Client, url string) []byte {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return b
}
