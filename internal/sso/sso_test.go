package sso

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/identity"
)

func TestSealerBindsTenantAndKey(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenSealer(filepath.Join(dir, "k"), true)
	if err != nil {
		t.Fatal(err)
	}
	sealed := s.Seal(7, []byte("client secret"))
	if strings.Contains(sealed, "client secret") {
		t.Fatal("sealed in the clear")
	}
	if pt, err := s.Open(7, sealed); err != nil || string(pt) != "client secret" {
		t.Fatalf("open: %q %v", pt, err)
	}
	if _, err := s.Open(8, sealed); err == nil {
		t.Fatal("another tenant's row opened the secret")
	}
	other, _ := OpenSealer(filepath.Join(dir, "other"), true)
	if _, err := other.Open(7, sealed); err == nil || !strings.Contains(err.Error(), "sealed with another key") {
		t.Fatalf("another key: %v", err)
	}
	if _, err := OpenSealer(filepath.Join(dir, "missing"), false); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("a missing key is created when reading: %v", err)
	}
}

func TestMapRole(t *testing.T) {
	m := Mapping{Roles: map[string]string{"a": "admin", "h": "hr", "m": "manager"}}
	for _, tc := range []struct {
		values []string
		def    string
		want   identity.Role
	}{
		{[]string{"m", "a"}, "", identity.Admin},
		{[]string{"m", "x"}, "", identity.Manager},
		{[]string{"x"}, "employee", identity.Employee},
		{[]string{"x"}, "", ""},
		{nil, "", ""},
	} {
		m.DefaultRole = tc.def
		if got, _ := mapRole(m, tc.values); got != tc.want {
			t.Errorf("%v default %q: %q, want %q", tc.values, tc.def, got, tc.want)
		}
	}
}

func TestParseNamesLines(t *testing.T) {
	src := "jit: true\nsaml:\n  name: ADFS\n  idp_metadata_url: https://adfs.example.com/md\n  idp_metadata_file: md.xml\n  allowed_domains: [example.com, 'bad domain']\n  default_role: employee\n"
	_, err := Parse([]byte(src), "sso.yaml")
	if err == nil {
		t.Fatal("accepted")
	}
	msg := err.Error()
	for _, want := range []string{"sso.yaml:4: saml.idp_metadata_url: give exactly one", "sso.yaml:6: saml.allowed_domains[1]: \"bad domain\""} {
		if !strings.Contains(strings.Join(errDetails(err), "\n")+msg, want) {
			t.Errorf("missing %q in %s %v", want, msg, errDetails(err))
		}
	}
	if _, err := Parse([]byte("oidc:\n  name: X\n  issuer: https://idp.example.com\n  client_id: a\n  client_secret: b\n  allowed_domains: [example.com]\n  default_role: hr\n"), "ok.yaml"); err != nil {
		t.Fatalf("a good file: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("oidc:\n  name: X\n  issuer: https://idp.example.com\n  client_id: a\n  client_secret: b\n  allowed_domains: [example.com]\n  default_role: hr\n"))
	f.Add([]byte("saml:\n  allowed_domains: [a.b]\n  roles: {x: admin}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Parse(b, "f.yaml")
		if err == nil && c.OIDC == nil && c.SAML == nil {
			t.Fatal("accepted a file without a provider")
		}
	})
}

func errDetails(err error) []string {
	out := []string{err.Error()}
	if e, ok := err.(*errcode.Error); ok {
		out = append(out, e.Details...)
	}
	return out
}
