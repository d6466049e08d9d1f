package cli_test

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

const ssoFile = `# the organisation's identity provider
password_signin: false
jit: true
oidc:
  name: Acme Okta
  issuer: http://127.0.0.1:9/oauth2
  client_id: scry
  client_secret: the-very-secret-client-secret
  allowed_domains: [acme-retail.example]
  role_from: groups
  roles:
    scry-admins: admin
    scry-hr: hr
  default_role: employee
  employee_from: email
`

// TestSSOCommand: set reads the file strictly (file, line, key), seals the
// client secret with a key outside the database (0600), show never prints
// it, password sign-in can be switched off, and remove is the way back.
func TestSSOCommand(t *testing.T) {
	data := t.TempDir()
	key := filepath.Join(t.TempDir(), "sso.key")
	if _, errs, code := run(t, data, "tenant", "create", "acme-retail"); code != 0 {
		t.Fatal(errs)
	}
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o600)
		return p
	}
	bad := write("bad.yaml", strings.Replace(strings.Replace(ssoFile, "admin\n", "superuser\n", 1), "http://127.0.0.1:9/oauth2", "http://idp.example.com", 1))
	_, errs, code := run(t, data, "sso", "set", "--tenant", "acme-retail", "-f", bad, "--sso-key", key)
	if code != 2 || !strings.Contains(errs, "bad.yaml:6: oidc.issuer:") || !strings.Contains(errs, "must use https") ||
		!strings.Contains(errs, "bad.yaml:12: oidc.roles.scry-admins: \"superuser\" is not one of admin, hr, manager, employee") {
		t.Fatalf("bad file: exit %d\n%s", code, errs)
	}
	unknown := write("unknown.yaml", ssoFile+"  colour: blue\n")
	if _, errs, code := run(t, data, "sso", "set", "--tenant", "acme-retail", "-f", unknown, "--sso-key", key); code != 2 || !strings.Contains(errs, "line 16: field colour not found") {
		t.Fatalf("unknown key: exit %d\n%s", code, errs)
	}
	if _, errs, code := run(t, data, "sso", "set", "--tenant", "acme-retail", "-f", filepath.Join(dir, "missing.yaml"), "--sso-key", key); code != 2 || !strings.Contains(errs, "missing.yaml") {
		t.Fatalf("missing file: exit %d\n%s", code, errs)
	}
	good := write("sso.yaml", ssoFile)
	if out, errs, code := run(t, data, "sso", "set", "--tenant", "acme-retail", "-f", good, "--sso-key", key); code != 0 || strings.Contains(out, "the-very-secret") {
		t.Fatalf("set: exit %d\n%s%s", code, out, errs)
	}
	if st, err := os.Stat(key); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", st, err)
	}
	// The database holds the secret sealed, never in the clear.
	db, err := sql.Open("sqlite", filepath.Join(data, "scry.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var cfg, sealed string
	if err := db.QueryRow(`select config, secrets from sso_configs`).Scan(&cfg, &sealed); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(cfg+sealed, "the-very-secret") || !strings.HasPrefix(sealed, "v1:") {
		t.Fatalf("stored in the clear: %s %s", cfg, sealed)
	}
	out, _, code := run(t, data, "sso", "show", "--tenant", "acme-retail", "--json", "--public-url", "https://scry.example.com")
	var shown map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &shown) != nil || strings.Contains(out, "the-very-secret") ||
		!strings.Contains(out, "https://scry.example.com/t/acme-retail/sso/oidc/callback") || !strings.Contains(out, `"password_signin": false`) {
		t.Fatalf("show: exit %d\n%s", code, out)
	}
	out, _, _ = run(t, data, "audit", "log", "--tenant", "acme-retail", "--json")
	if !strings.Contains(out, `"sso.set"`) || strings.Contains(out, "the-very-secret") {
		t.Fatalf("audit of sso set:\n%s", out)
	}
	// The way back: remove puts password sign-in on again.
	if _, errs, code := run(t, data, "sso", "remove", "--tenant", "acme-retail"); code != 0 {
		t.Fatal(errs)
	}
	if _, errs, code := run(t, data, "sso", "show", "--tenant", "acme-retail"); code != 2 || !strings.Contains(errs, "no single sign-on") {
		t.Fatalf("show after remove: exit %d %s", code, errs)
	}
}
