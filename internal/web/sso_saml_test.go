package web

import (
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/sso"
	"github.com/scry-dev/scry/internal/sso/ssotest"
	"github.com/scry-dev/scry/internal/store"
)

func samlConfig(idp *ssotest.SAML, slug string) *sso.Config {
	return &sso.Config{JIT: true, SAML: &sso.SAMLConfig{Name: "Test SAML " + slug, IdPMetadataURL: idp.MetadataURL,
		Mapping: sso.Mapping{AllowedDomains: []string{slug + ".example", "t.example"}, RoleFrom: "eduPersonAffiliation",
			Roles: map[string]string{"admins": "admin", "hr": "hr"}, DefaultRole: "employee", EmployeeFrom: "email"}}}
}

// setupSAML gives alpha and beta each crewjam's SAML IdP on loopback, with
// scry's SP metadata of that tenant registered at it.
func setupSAML(t *testing.T, d store.Dialect) (*ssoFixture, map[string]*ssotest.SAML) {
	t.Helper()
	f := &ssoFixture{fixture: setup(t, d), idp: map[string]provider{}}
	f.key = f.srv.sso.KeyFile
	idps := map[string]*ssotest.SAML{}
	for _, slug := range []string{"alpha", "beta"} {
		idp := ssotest.NewSAML(t, nil)
		f.setConfig(t, slug, samlConfig(idp, slug))
		idp.AddServiceProvider(t, "scry-"+slug, f.ts.URL+"/t/"+slug+"/sso/saml/metadata")
		idp.AddUser(t, "admin", "admin@"+slug+".example", idpPassword, "staff", "admins")
		idp.AddUser(t, "arthur", "arthur@t.example", idpPassword, "staff")
		idp.AddUser(t, "outsider", "someone@elsewhere.example", idpPassword, "admins")
		idps[slug] = idp
	}
	return f, idps
}

var hiddenInput = regexp.MustCompile(`name="(SAMLRequest|SAMLResponse|RelayState)" value="([^"]*)"`)
var formAction = regexp.MustCompile(`<form method="post" action="([^"]*)"`)

func formValues(page string) (string, url.Values) {
	v := url.Values{}
	for _, m := range hiddenInput.FindAllStringSubmatch(page, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	action := ""
	if m := formAction.FindStringSubmatch(page); m != nil {
		action = html.UnescapeString(m[1])
	}
	return action, v
}

// samlAnswer starts a sign-in at slug and signs user in at the IdP; it
// returns the ACS address and the form the IdP's page would post there.
func (f *ssoFixture) samlAnswer(t *testing.T, c *http.Client, slug, user string) (string, url.Values) {
	t.Helper()
	resp, err := c.Get(f.ts.URL + "/t/" + slug + "/sso/saml/start")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("saml start: %d", resp.StatusCode)
	}
	idp := &http.Client{}
	resp, err = idp.Get(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	action, form := formValues(string(b))
	form.Set("user", user)
	form.Set("password", idpPassword)
	resp, err = idp.PostForm(action, form)
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	acs, answer := formValues(string(b))
	if answer.Get("SAMLResponse") == "" {
		t.Fatalf("the IdP did not answer with a SAMLResponse: %d %s", resp.StatusCode, b)
	}
	return acs, answer
}

func postACS(t *testing.T, c *http.Client, acs string, form url.Values) (int, string, string) {
	t.Helper()
	resp, err := c.PostForm(acs, form)
	return sessionAnswer(t, resp, err)
}

// TestSAMLSignIn: through crewjam's IdP on loopback, an admin (mapped from
// eduPersonAffiliation) and an employee created just in time (linked to
// the employee record with their email) sign in and ask within their scope.
func TestSAMLSignIn(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			f, _ := setupSAML(t, d)
			c := browserless(t)
			acs, form := f.samlAnswer(t, c, "alpha", "admin")
			st, body, admin := postACS(t, c, acs, form)
			if st != http.StatusSeeOther || admin == "" {
				t.Fatalf("admin: %d %s", st, body)
			}
			_, me := f.do(t, "GET", "/api/v1/me", nil, withCookie(admin))
			if u := me["user"].(map[string]any); u["role"] != "admin" {
				t.Fatalf("me: %v", me)
			}
			if n := headcount(t, f.fixture, admin); n != 3 {
				t.Fatalf("admin headcount %v", n)
			}
			acs, form = f.samlAnswer(t, c, "alpha", "arthur")
			st, _, emp := postACS(t, c, acs, form)
			if st != http.StatusSeeOther {
				t.Fatalf("employee: %d", st)
			}
			_, me = f.do(t, "GET", "/api/v1/me", nil, withCookie(emp))
			if u := me["user"].(map[string]any); u["role"] != "employee" || u["employee_id"] != "E3" {
				t.Fatalf("JIT employee: %v", me)
			}
			if n := headcount(t, f.fixture, emp); n != 1 {
				t.Fatalf("employee headcount %v, want 1 (themselves)", n)
			}
			if n := auditCount(t, f.db, "alpha", "sso.signin", "ok", map[string]any{"protocol": "saml"}); n != 2 {
				t.Fatalf("%d SAML sign-ins audited", n)
			}
		})
	}
}

// TestSAMLRefusals: a replayed, unsigned, altered, expired or other
// tenant's assertion is refused, and the audit log says why.
func TestSAMLRefusals(t *testing.T) {
	f, idps := setupSAML(t, store.SQLite)
	refused := func(t *testing.T, slug, st, reason string, status int, cookie string) {
		t.Helper()
		if status != http.StatusUnauthorized || cookie != "" {
			t.Fatalf("%s: %d cookie %q", st, status, cookie)
		}
		r := lastSSO(t, f.db, slug)
		t.Logf("%s: refused, audited reason %q", st, r.Details["reason"])
		if r.Outcome != audit.OutcomeRefused || !strings.Contains(fmt.Sprint(r.Details["reason"]), reason) {
			t.Fatalf("%s: audited as %+v, want %q", st, r, reason)
		}
	}
	t.Run("replayed", func(t *testing.T) {
		c := browserless(t)
		acs, form := f.samlAnswer(t, c, "alpha", "admin")
		if st, _, ck := postACS(t, c, acs, form); st != http.StatusSeeOther || ck == "" {
			t.Fatalf("first: %d", st)
		}
		st, _, ck := postACS(t, c, acs, form)
		refused(t, "alpha", "same answer again", "RelayState unknown", st, ck)
		// The same assertion with the RelayState of a new sign-in: it does
		// not answer that request.
		_, fresh := f.samlAnswer(t, c, "alpha", "arthur")
		form.Set("RelayState", fresh.Get("RelayState"))
		st, _, ck = postACS(t, c, acs, form)
		refused(t, "alpha", "old assertion, new RelayState", "InResponseTo", st, ck)
	})
	t.Run("unsigned", func(t *testing.T) {
		c := browserless(t)
		acs, form := f.samlAnswer(t, c, "alpha", "admin")
		raw, _ := base64.StdEncoding.DecodeString(form.Get("SAMLResponse"))
		stripped := regexp.MustCompile(`(?s)<ds:Signature.*?</ds:Signature>`).ReplaceAllString(string(raw), "")
		if stripped == string(raw) {
			t.Fatalf("no signature to strip in %s", raw)
		}
		form.Set("SAMLResponse", base64.StdEncoding.EncodeToString([]byte(stripped)))
		st, _, ck := postACS(t, c, acs, form)
		refused(t, "alpha", "unsigned", "not signed", st, ck)
	})
	t.Run("altered", func(t *testing.T) {
		c := browserless(t)
		acs, form := f.samlAnswer(t, c, "alpha", "arthur")
		raw, _ := base64.StdEncoding.DecodeString(form.Get("SAMLResponse"))
		altered := strings.ReplaceAll(string(raw), ">staff<", ">admins<")
		if altered == string(raw) {
			t.Fatal("nothing to alter")
		}
		form.Set("SAMLResponse", base64.StdEncoding.EncodeToString([]byte(altered)))
		st, _, ck := postACS(t, c, acs, form)
		refused(t, "alpha", "altered", "Signature could not be verified", st, ck)
	})
	// Tenant A's IdP can never sign anyone into tenant B: alpha's answer
	// posted to beta's ACS, with a RelayState beta issued, is not signed
	// by beta's IdP, is not for beta's audience nor sent to beta's ACS.
	t.Run("tenant A's assertion at tenant B", func(t *testing.T) {
		c := browserless(t)
		_, form := f.samlAnswer(t, c, "alpha", "admin")
		_, betaForm := f.samlAnswer(t, c, "beta", "admin")
		form.Set("RelayState", betaForm.Get("RelayState"))
		st, _, ck := postACS(t, c, f.ts.URL+"/t/beta/sso/saml/acs", form)
		refused(t, "beta", "alpha's assertion at beta", "Could not verify certificate", st, ck)
	})
	t.Run("another audience", func(t *testing.T) {
		// beta's IdP also knows alpha's SP: an assertion it makes for alpha
		// is refused at beta even with beta's RelayState.
		idps["beta"].AddServiceProvider(t, "scry-alpha", f.ts.URL+"/t/alpha/sso/saml/metadata")
		f.setConfig(t, "alpha", samlConfig(idps["beta"], "alpha"))
		c := browserless(t)
		_, form := f.samlAnswer(t, c, "alpha", "arthur") // beta's IdP, alpha's audience
		_, betaForm := f.samlAnswer(t, c, "beta", "arthur")
		form.Set("RelayState", betaForm.Get("RelayState"))
		st, _, ck := postACS(t, c, f.ts.URL+"/t/beta/sso/saml/acs", form)
		refused(t, "beta", "alpha's audience at beta", "Destination", st, ck)
		f.setConfig(t, "alpha", samlConfig(idps["alpha"], "alpha"))
	})
	t.Run("expired", func(t *testing.T) {
		// The IdP's clock stands 150 s behind: it still takes scry's request
		// (at most 180 s of skew), and its assertion is issued longer ago
		// than the 90 s an assertion lives.
		past := time.Now().Add(-150 * time.Second)
		stale := ssotest.NewSAML(t, &past)
		f.setConfig(t, "beta", samlConfig(stale, "beta"))
		stale.AddServiceProvider(t, "scry-beta", f.ts.URL+"/t/beta/sso/saml/metadata")
		stale.AddUser(t, "admin", "admin@beta.example", idpPassword, "admins")
		c := browserless(t)
		acs, form := f.samlAnswer(t, c, "beta", "admin")
		st, _, ck := postACS(t, c, acs, form)
		refused(t, "beta", "expired", "expired", st, ck)
		f.setConfig(t, "beta", samlConfig(idps["beta"], "beta"))
	})
	// An IdP-initiated sign-in (crewjam's shortcut: an unsolicited, signed
	// response for alpha's SP) is refused with a message saying where to
	// start, even when a RelayState of a real pending sign-in rides along.
	t.Run("IdP-initiated", func(t *testing.T) {
		idps["alpha"].AddShortcut(t, "scry", f.ts.URL+"/t/alpha/sso/saml/metadata")
		jar, _ := cookiejar.New(nil)
		idp := &http.Client{Jar: jar}
		get := func() []byte {
			resp, err := idp.Get(idps["alpha"].URL + "/login/scry")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return b
		}
		action, form := formValues(string(get()))
		form.Set("user", "admin")
		form.Set("password", idpPassword)
		resp, err := idp.PostForm(action, form) // signed in at the IdP
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		b := get()
		acs, answer := formValues(string(b))
		if answer.Get("SAMLResponse") == "" || acs != f.ts.URL+"/t/alpha/sso/saml/acs" {
			t.Fatalf("the IdP did not start a sign-in at alpha: %s", b)
		}
		c := browserless(t)
		st, body, ck := postACS(t, c, acs, answer)
		if st != http.StatusUnauthorized || ck != "" || !strings.Contains(body, "Sign-in has to start here") {
			t.Fatalf("unsolicited: %d cookie %q\n%s", st, ck, body)
		}
		if r := lastSSO(t, f.db, "alpha"); r.Outcome != audit.OutcomeRefused || !strings.Contains(fmt.Sprint(r.Details["reason"]), "unsolicited (IdP-initiated)") {
			t.Fatalf("audited as %+v", r)
		}
		_, pending := f.samlAnswer(t, c, "alpha", "admin")
		answer.Set("RelayState", pending.Get("RelayState"))
		st, body, ck = postACS(t, c, acs, answer)
		if st != http.StatusUnauthorized || ck != "" || !strings.Contains(body, "Sign-in has to start here") {
			t.Fatalf("unsolicited with a pending RelayState: %d cookie %q", st, ck)
		}
	})
	t.Run("domain not allowed", func(t *testing.T) {
		c := browserless(t)
		acs, form := f.samlAnswer(t, c, "alpha", "outsider")
		st, _, ck := postACS(t, c, acs, form)
		refused(t, "alpha", "outsider", "email domain not allowed", st, ck)
	})
}

// TestBrowserSAMLJourney: in headless Chromium, an admin signs in through
// crewjam's SAML IdP (its own login form and auto-posting answer) and asks.
func TestBrowserSAMLJourney(t *testing.T) {
	ctx := browser(t)
	f, _ := setupSAML(t, store.SQLite)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	browserRun(t, ctx, chromedp.Navigate(f.ts.URL+"/t/alpha/signin"), chromedp.WaitVisible(css("#sso-saml")),
		chromedp.Click(css("#sso-saml")), chromedp.WaitVisible(css(`input[name="user"]`)),
		typed(`input[name="user"]`, "admin"), typed(`input[name="password"]`, idpPassword), shot("saml-01-idp"),
		chromedp.Submit(css(`input[name="password"]`)), chromedp.WaitVisible(css("#q")), shot("saml-02-ask"))
	who := eval[string](t, ctx, `document.querySelector(".who").textContent`)
	if !strings.Contains(who, "admin@alpha.example") || !strings.Contains(who, "admin") {
		t.Fatalf("signed in as %q", who)
	}
	q := "How many employees do we have?"
	browserRun(t, ctx, typed("#q", q), chromedp.Submit(css("#q")),
		waitFor(fmt.Sprintf(`document.querySelector("#answer .answered")?.dataset.question === %q`, q)), shot("saml-03-answer"))
	if n := auditCount(t, f.db, "alpha", "sso.signin", "ok", map[string]any{"protocol": "saml"}); n != 1 {
		t.Fatalf("%d SAML sign-ins audited", n)
	}
}
