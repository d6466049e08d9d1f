package web

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/scry-dev/scry/internal/sso/ssotest"
	"github.com/scry-dev/scry/internal/store"
)

// ssoPagePost posts the admin page's form (multipart when file is set)
// with a session cookie and returns the status and the page.
func ssoPagePost(t *testing.T, f *fixture, cookie string, form url.Values, file []byte) (int, string) {
	t.Helper()
	var body io.Reader = strings.NewReader(form.Encode())
	ctype := "application/x-www-form-urlencoded"
	if file != nil {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		for k, vs := range form {
			for _, v := range vs {
				mw.WriteField(k, v)
			}
		}
		fw, _ := mw.CreateFormFile("idp_metadata", "idp.xml")
		fw.Write(file)
		mw.Close()
		body, ctype = &b, mw.FormDataContentType()
	}
	req, _ := http.NewRequest("POST", f.ts.URL+"/admin/sso", body)
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, b := sendWith(t, req, cookie)
	return resp.StatusCode, b
}

// getPage fetches a page with a session cookie.
func getPage(t *testing.T, f *fixture, path, cookie string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", f.ts.URL+path, nil)
	return sendWith(t, req, cookie)
}

// sendWith sends req with a session cookie and reads the answer.
func sendWith(t *testing.T, req *http.Request, cookie string) (*http.Response, string) {
	t.Helper()
	req.AddCookie(&http.Cookie{Name: "scry_session", Value: cookie})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func opYAML(op *ssotest.OP, name, secret string, extra string) string {
	s := fmt.Sprintf("jit: true\noidc:\n  name: %s\n  issuer: %s\n  client_id: scry-alpha\n", name, op.URL)
	if secret != "" {
		s += "  client_secret: " + secret + "\n"
	}
	return s + "  scopes: [openid, email, groups]\n  allowed_domains: [alpha.example]\n  role_from: groups\n  roles: {scry-admins: admin, scry-hr: hr}\n" + extra
}

// TestSSOAdminPage: an admin sets the tenant's single sign-on on
// /admin/sso (read as strictly as the CLI), and it works at once with
// zitadel's provider; the secret is never shown and is kept when left
// out for the same client; password sign-in goes off only from a session
// opened through the provider; removal needs the tenant's name; SAML IdP
// metadata can be uploaded; every change is audited; only admins get in.
func TestSSOAdminPage(t *testing.T) {
	f := &ssoFixture{fixture: setup(t, store.SQLite), idp: map[string]provider{}}
	f.key = f.srv.sso.KeyFile
	op := ssotest.NewOP(t, ssotest.OPClient{ID: "scry-alpha", Secret: "page secret 7d1c", RedirectURIs: []string{f.redirect("alpha")}})
	op.AddUser("admin@alpha.example", idpPassword, map[string]any{"groups": []string{"scry-admins"}})
	f.idp["alpha"] = op
	admin := f.signIn(t, "alpha", "admin@alpha.example")
	set := func(cookie, yaml string) (int, string) {
		return ssoPagePost(t, f.fixture, cookie, url.Values{"action": {"set"}, "settings": {yaml}}, nil)
	}

	if st, body := set(admin, opYAML(op, "Zitadel", "page secret 7d1c", "")); st != 200 || !strings.Contains(body, "Single sign-on is set") {
		t.Fatalf("set: %d\n%s", st, body)
	}
	resp, page := getPage(t, f.fixture, "/admin/sso", admin)
	if resp.StatusCode != 200 || !strings.Contains(page, op.URL) || strings.Contains(page, "page secret 7d1c") || !strings.Contains(page, "never shown") {
		t.Fatalf("the page after set: %d\n%s", resp.StatusCode, page)
	}
	if n := auditCount(t, f.db, "alpha", "sso.set", "ok", nil); n != 1 {
		t.Fatalf("%d sso.set records", n)
	}
	if st, body, ck := f.oidcSignIn(t, "alpha", "admin@alpha.example"); st != http.StatusSeeOther || ck == "" {
		t.Fatalf("sign-in with the page's settings: %d %s", st, body)
	}
	// Edited without the secret, same client: the stored secret is kept.
	if st, body := set(admin, opYAML(op, "Zitadel renamed", "", "")); st != 200 {
		t.Fatalf("set without the secret: %d\n%s", st, body)
	}
	st, body, sso := f.oidcSignIn(t, "alpha", "admin@alpha.example")
	if st != http.StatusSeeOther {
		t.Fatalf("sign-in after an edit without the secret: %d %s", st, body)
	}
	for _, tc := range []struct{ name, yaml, want string }{
		{"another client without its secret", strings.Replace(opYAML(op, "Z", "", ""), "client_id: scry-alpha", "client_id: other", 1), "client_secret"},
		{"an unknown key, with its line", opYAML(op, "Z", "", "colour: blue\n"), "field colour not found"},
		{"password off from a password session", opYAML(op, "Z", "", "password_signin: false\n"), "Sign in with the identity provider first"},
	} {
		if st, body := set(admin, tc.yaml); st != 400 || !strings.Contains(body, tc.want) {
			t.Fatalf("%s: %d, want a refusal saying %q\n%s", tc.name, st, tc.want, body)
		}
	}
	// From the provider's session it may go off.
	if st, body := set(sso, opYAML(op, "Z", "", "password_signin: false\n")); st != 200 {
		t.Fatalf("password off from an SSO session: %d\n%s", st, body)
	}
	if st, _, _ := jsonSignIn(t, f.ts.URL, "alpha", "admin@alpha.example", password); st != 401 {
		t.Fatalf("password sign-in after the page switched it off: %d", st)
	}
	// SAML with uploaded IdP metadata.
	idp := ssotest.NewSAML(t, nil)
	resp, err := http.Get(idp.MetadataURL)
	if err != nil {
		t.Fatal(err)
	}
	md, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	samlYAML := opYAML(op, "Z", "", "saml:\n  name: Test SAML\n  allowed_domains: [alpha.example]\n  default_role: employee\n  employee_from: email\n")
	if st, body := ssoPagePost(t, f.fixture, sso, url.Values{"action": {"set"}, "settings": {samlYAML}}, []byte("<not metadata/>")); st != 400 || !strings.Contains(body, "uploaded IdP metadata") {
		t.Fatalf("bad upload: %d\n%s", st, body)
	}
	if st, body := ssoPagePost(t, f.fixture, sso, url.Values{"action": {"set"}, "settings": {samlYAML}}, md); st != 200 {
		t.Fatalf("upload: %d\n%s", st, body)
	}
	// Kept on the next edit without an upload.
	if st, body := set(sso, samlYAML); st != 200 || !strings.Contains(body, "stored copy") {
		t.Fatalf("edit keeping the stored metadata: %d\n%s", st, body)
	}
	// Removal: the tenant's name confirms it.
	if st, _ := ssoPagePost(t, f.fixture, sso, url.Values{"action": {"remove"}, "confirm": {"beta"}}, nil); st != 400 {
		t.Fatalf("remove with a wrong confirmation: %d", st)
	}
	if st, body := ssoPagePost(t, f.fixture, sso, url.Values{"action": {"remove"}, "confirm": {"alpha"}}, nil); st != 200 || !strings.Contains(body, "No single sign-on is configured") {
		t.Fatalf("remove: %d\n%s", st, body)
	}
	if n := auditCount(t, f.db, "alpha", "sso.remove", "ok", nil); n != 1 {
		t.Fatalf("%d sso.remove records", n)
	}
	if n := auditCount(t, f.db, "alpha", "sso.set", "ok", nil); n != 5 {
		t.Fatalf("%d sso.set records, want 5", n)
	}
	if st, _, _ := jsonSignIn(t, f.ts.URL, "alpha", "admin@alpha.example", password); st != 200 {
		t.Fatalf("password sign-in after removal: %d", st)
	}
	// Only admins.
	mgr := f.signIn(t, "alpha", "manager@alpha.example")
	if resp, _ := getPage(t, f.fixture, "/admin/sso", mgr); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a manager on /admin/sso: %d", resp.StatusCode)
	}
	if st, _ := set(mgr, opYAML(op, "Z", "x", "")); st != http.StatusForbidden {
		t.Fatalf("a manager setting SSO: %d", st)
	}
}

// TestBrowserSSOAdminPage: in headless Chromium at 1366 and 375 px, an
// admin sets single sign-on on /admin/sso by typing sso.yaml, sees it
// (never the secret), and the tenant's sign-in page offers the provider.
func TestBrowserSSOAdminPage(t *testing.T) {
	ctx := browser(t)
	f := setup(t, store.SQLite)
	op := ssotest.NewOP(t, ssotest.OPClient{ID: "scry-alpha", Secret: "browser secret 91ab", RedirectURIs: []string{f.ts.URL + "/t/alpha/sso/oidc/callback"}})
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	browserRun(t, ctx, chromedp.Navigate(f.ts.URL+"/signin"), chromedp.WaitVisible(css("#tenant")),
		typed("#tenant", "alpha"), typed("#email", "admin@alpha.example"), typed("#password", password),
		chromedp.Submit(css("#password")), chromedp.WaitVisible(css("#q")),
		chromedp.Navigate(f.ts.URL+"/admin/sso"), chromedp.WaitVisible(css("#sso-none")),
		chromedp.EmulateViewport(1366, 900), shot("sso-admin-1-empty-1366"),
		chromedp.SetValue(css("#sso-settings"), opYAML(op, "Acme Zitadel", "browser secret 91ab", "max_session_hours: 8\n")),
		chromedp.Click(css("#sso-save")), chromedp.WaitVisible(css("#sso-oidc-name")),
		shot("sso-admin-2-set-1366"), chromedp.EmulateViewport(375, 800), shot("sso-admin-3-set-375"), chromedp.EmulateViewport(1280, 900))
	if name := eval[string](t, ctx, `document.querySelector("#sso-oidc-name").textContent`); name != "Acme Zitadel" {
		t.Fatalf("the page shows %q", name)
	}
	if eval[bool](t, ctx, `document.body.innerHTML.includes("browser secret 91ab")`) {
		t.Fatal("the page shows the client secret")
	}
	if eval[bool](t, ctx, `document.querySelector("#sso-settings").value.includes("browser secret 91ab")`) {
		t.Fatal("the editor holds the client secret")
	}
	browserRun(t, ctx, chromedp.Navigate(f.ts.URL+"/t/alpha/signin"), chromedp.WaitVisible(css("#sso-oidc")))
	if txt := eval[string](t, ctx, `document.querySelector("#sso-oidc").textContent`); txt != "Sign in with Acme Zitadel" {
		t.Fatalf("the sign-in button says %q", txt)
	}
	// The PNGs for people to look at, outside the repository.
	if dir := os.Getenv("SCRY_SHOTS"); dir != "" {
		os.MkdirAll(dir, 0o755)
		for _, n := range []string{"sso-admin-1-empty-1366", "sso-admin-2-set-1366", "sso-admin-3-set-375"} {
			if b, err := os.ReadFile(filepath.Join("..", "..", "testout", "browser", n+".png")); err == nil {
				os.WriteFile(filepath.Join(dir, n+".png"), b, 0o644)
			}
		}
	}
}
