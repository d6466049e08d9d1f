// Package sso signs a tenant's people in through the tenant's own identity
// provider: OpenID Connect (authorization code with PKCE) and SAML 2.0
// (a service provider per tenant). It holds the tenant's settings (read
// strictly from a file, secrets sealed with a key kept outside the
// database), the checks every token or assertion must pass, and the one
// use case that turns a checked identity into a session: an existing user,
// a user created just in time with the mapped role, or a refusal — each of
// them audited.
package sso

import (
	"bytes"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/scry-dev/scry/internal/yamlpath"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/identity"
)

// Config is a tenant's single sign-on, as written in sso.yaml. Secrets
// (the OIDC client secret, the SAML service provider's key) never leave
// the process in the clear: Settings is what is stored readable.
type Config struct {
	// PasswordSignIn false refuses password sign-in at the main door: the
	// organisation's people sign in with the identity provider only. The
	// way back is `scry sso set` with true, or `scry sso remove`.
	PasswordSignIn *bool `yaml:"password_signin" json:"password_signin"`
	// JIT creates a user at their first sign-in with the mapped role;
	// false refuses anyone who is not a user of the tenant already.
	JIT bool `yaml:"jit" json:"jit"`
	// MaxSessionHours bounds a session opened through the identity
	// provider when the token or assertion says nothing shorter.
	MaxSessionHours int `yaml:"max_session_hours" json:"max_session_hours"`
	// WorkforcePortal opts the workforce in: its members sign in at the
	// review portal with the identity provider (the provider's MFA instead
	// of the pool's TOTP), and the portal's password sign-in is off.
	// Members still come only from the workforce file: no one is created
	// at the portal, and the role stays worker.
	WorkforcePortal bool        `yaml:"workforce_portal" json:"workforce_portal"`
	OIDC            *OIDCConfig `yaml:"oidc" json:"oidc,omitempty"`
	SAML            *SAMLConfig `yaml:"saml" json:"saml,omitempty"`
}

// Mapping turns what the identity provider says about a person into a role
// and an employee record; OIDC reads claims, SAML attributes.
type Mapping struct {
	// AllowedDomains are the email domains that may sign in (at least one).
	AllowedDomains []string `yaml:"allowed_domains" json:"allowed_domains"`
	// RoleFrom is the claim or attribute whose values map to roles
	// (say "groups"); Roles maps a value to admin, hr, manager or employee.
	// A person with several mapped values gets the strongest role.
	RoleFrom string            `yaml:"role_from" json:"role_from"`
	Roles    map[string]string `yaml:"roles" json:"roles"`
	// DefaultRole is given when no value maps; empty refuses such a person.
	DefaultRole string `yaml:"default_role" json:"default_role,omitempty"`
	// EmployeeFrom names the claim or attribute holding the employee_id of
	// managers and employees; "email" matches the employee whose email is
	// the person's.
	EmployeeFrom string `yaml:"employee_from" json:"employee_from"`
}

// OIDCConfig is an OpenID Connect provider.
type OIDCConfig struct {
	Name         string   `yaml:"name" json:"name"` // the button says "Sign in with <name>"
	Issuer       string   `yaml:"issuer" json:"issuer"`
	ClientID     string   `yaml:"client_id" json:"client_id"`
	ClientSecret string   `yaml:"client_secret" json:"-"`
	Scopes       []string `yaml:"scopes" json:"scopes,omitempty"`
	EmailFrom    string   `yaml:"email_from" json:"email_from,omitempty"` // default "email"
	Mapping      `yaml:",inline"`
}

// SAMLConfig is a SAML 2.0 identity provider.
type SAMLConfig struct {
	Name string `yaml:"name" json:"name"`
	// IdPMetadataURL or IdPMetadata (the XML itself, or read from a file
	// by `scry sso set` when IdPMetadataFile is given): exactly one.
	IdPMetadataURL  string `yaml:"idp_metadata_url" json:"idp_metadata_url,omitempty"`
	IdPMetadataFile string `yaml:"idp_metadata_file" json:"-"`
	IdPMetadata     string `yaml:"-" json:"idp_metadata,omitempty"`
	// EmailFrom is the attribute holding the email; empty = the NameID.
	EmailFrom string `yaml:"email_from" json:"email_from,omitempty"`
	Mapping   `yaml:",inline"`
	// Certificate is the service provider's (PEM), made by `scry sso set`;
	// its key is sealed with the secrets.
	Certificate string `yaml:"-" json:"certificate,omitempty"`
}

// PasswordAllowed says whether password sign-in is on (the default).
func (c *Config) PasswordAllowed() bool {
	return c == nil || c.PasswordSignIn == nil || *c.PasswordSignIn
}

// MaxSession is the longest a session opened by the provider lasts.
func (c *Config) MaxSession() time.Duration {
	if c.MaxSessionHours <= 0 {
		return 12 * time.Hour
	}
	return time.Duration(c.MaxSessionHours) * time.Hour
}

// Parse reads sso.yaml strictly: an unknown key, a missing or bad value is
// refused as "file:line: key: problem", every problem at once.
func Parse(data []byte, file string) (*Config, error) {
	return parse(data, file, nil, false)
}

// ParseKeeping reads settings edited on the admin page: as Parse, but what
// the page never shows may be left out and is kept from old (the settings
// in force): the OIDC client secret, while the issuer and client id stay
// the same, and a stored copy of the SAML IdP metadata. idpMetadata, when
// not empty, is an uploaded IdP metadata file (a page has no file paths).
func ParseKeeping(data []byte, file string, old *Config, idpMetadata []byte) (*Config, error) {
	c, err := parse(data, file, old, len(idpMetadata) > 0)
	if err != nil {
		return nil, err
	}
	if s := c.SAML; s != nil {
		switch {
		case len(idpMetadata) > 0:
			if _, err := ParseIdPMetadata(idpMetadata); err != nil {
				return nil, errcode.New(errcode.Invalid, "the uploaded IdP metadata: %s", errcode.From(err).Message)
			}
			s.IdPMetadata = string(idpMetadata)
		case s.IdPMetadataURL == "":
			s.IdPMetadata = old.SAML.IdPMetadata // parse checked there is one
		}
	}
	return c, nil
}

// keepsSecret says whether settings o may leave the client secret out on
// the admin page: the one stored for the same issuer and client is kept.
func keepsSecret(o *OIDCConfig, old *Config) bool {
	return old != nil && old.OIDC != nil && old.OIDC.Issuer == o.Issuer && old.OIDC.ClientID == o.ClientID
}

func parse(data []byte, file string, old *Config, uploaded bool) (*Config, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, errcode.New(errcode.Invalid, "%s: %s", file, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		msg = strings.TrimPrefix(msg, "unmarshal errors:\n  ")
		return nil, errcode.New(errcode.Invalid, "%s: %s", file, strings.ReplaceAll(msg, "in type sso.", "in "))
	}
	var probs []string
	bad := func(path, format string, args ...any) {
		probs = append(probs, fmt.Sprintf("%s:%d: %s: %s", file, yamlpath.Line(&root, path), path, fmt.Sprintf(format, args...)))
	}
	if c.OIDC == nil && c.SAML == nil {
		bad("oidc", "the file needs an oidc or a saml section")
	}
	if c.MaxSessionHours < 0 || c.MaxSessionHours > 24*30 {
		bad("max_session_hours", "%d is not between 1 and 720 (leave it out for 12)", c.MaxSessionHours)
	}
	if o := c.OIDC; o != nil {
		if o.Name == "" {
			bad("oidc.name", "missing: the name people see on the button")
		}
		if err := checkURL(o.Issuer); err != nil {
			bad("oidc.issuer", "%v", err)
		}
		if o.ClientID == "" {
			bad("oidc.client_id", "missing")
		}
		if o.ClientSecret == "" && old == nil {
			bad("oidc.client_secret", "missing")
		} else if o.ClientSecret == "" && !keepsSecret(o, old) {
			bad("oidc.client_secret", "missing: a new issuer or client id needs its secret (the stored one is kept only for the same client)")
		}
		if len(o.Scopes) > 0 && !slices.Contains(o.Scopes, "openid") {
			bad("oidc.scopes", "must include openid")
		}
		checkMapping("oidc", o.Mapping, bad)
	}
	if s := c.SAML; s != nil {
		if s.Name == "" {
			bad("saml.name", "missing: the name people see on the button")
		}
		stored := old != nil && old.SAML != nil && old.SAML.IdPMetadataURL == "" && old.SAML.IdPMetadata != ""
		switch {
		case old != nil && s.IdPMetadataFile != "":
			bad("saml.idp_metadata_file", "upload the metadata file on this page instead")
		case old != nil && uploaded && s.IdPMetadataURL != "":
			bad("saml.idp_metadata_url", "give the URL or upload a file, not both")
		case old != nil && s.IdPMetadataURL == "" && !uploaded && !stored:
			bad("saml.idp_metadata_url", "give idp_metadata_url or upload the IdP's metadata file")
		case old == nil && (s.IdPMetadataURL == "") == (s.IdPMetadataFile == ""):
			bad("saml.idp_metadata_url", "give exactly one of idp_metadata_url and idp_metadata_file")
		case s.IdPMetadataURL != "":
			if err := checkURL(s.IdPMetadataURL); err != nil {
				bad("saml.idp_metadata_url", "%v", err)
			}
		}
		checkMapping("saml", s.Mapping, bad)
	}
	switch len(probs) {
	case 0:
	case 1:
		return nil, errcode.New(errcode.Invalid, "%s", probs[0])
	default:
		return nil, &errcode.Error{Code: errcode.Invalid, Message: fmt.Sprintf("%s has %d problems", file, len(probs)), Details: probs}
	}
	return &c, nil
}

func checkMapping(section string, m Mapping, bad func(path, format string, args ...any)) {
	if len(m.AllowedDomains) == 0 {
		bad(section+".allowed_domains", "missing: list the email domains that may sign in")
	}
	for i, d := range m.AllowedDomains {
		if d == "" || strings.ContainsAny(d, "@/ ") || !strings.Contains(d, ".") {
			bad(fmt.Sprintf("%s.allowed_domains[%d]", section, i), "%q is not a domain like example.com", d)
		}
	}
	if len(m.Roles) > 0 && m.RoleFrom == "" {
		bad(section+".role_from", "missing: the claim or attribute the roles map from (say groups)")
	}
	for v, r := range m.Roles {
		if _, err := identity.ParseRole(r); err != nil {
			bad(section+".roles."+v, "%q is not one of admin, hr, manager, employee", r)
		}
	}
	if m.DefaultRole != "" {
		if _, err := identity.ParseRole(m.DefaultRole); err != nil {
			bad(section+".default_role", "%q is not one of admin, hr, manager, employee", m.DefaultRole)
		}
	}
	if len(m.Roles) == 0 && m.DefaultRole == "" {
		bad(section+".roles", "missing: map at least one value to a role, or give default_role")
	}
}

// EditableYAML is c as the admin page shows it for editing: sso.yaml
// without the secrets and the stored IdP metadata, which the page never
// shows and keeps when left out.
func (c *Config) EditableYAML() string {
	var n yaml.Node
	if err := n.Encode(c); err != nil {
		return ""
	}
	prune(&n)
	var b strings.Builder
	b.WriteString("# client_secret and a stored IdP metadata file are never shown: left out, the stored ones are kept.\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&n); err != nil {
		return ""
	}
	enc.Close()
	return b.String()
}

// prune drops, from a mapping and the mappings in it, the keys the page
// never shows and the keys without a value.
func prune(n *yaml.Node) {
	if n.Kind != yaml.MappingNode {
		for _, c := range n.Content {
			prune(c)
		}
		return
	}
	var kept []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		empty := (v.Kind == yaml.ScalarNode && (v.Value == "" || v.Tag == "!!null")) || (v.Kind != yaml.ScalarNode && len(v.Content) == 0)
		if k.Value == "client_secret" || k.Value == "idp_metadata_file" || empty {
			continue
		}
		prune(v)
		kept = append(kept, k, v)
	}
	n.Content = kept
}

// checkURL accepts https, and http only on the loopback (a provider on the
// same machine, as in tests).
func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%q is not a URL like https://idp.example.com", s)
	}
	if u.Scheme == "https" {
		return nil
	}
	if u.Scheme == "http" && loopback(u.Hostname()) {
		return nil
	}
	return fmt.Errorf("%q must use https (http only on localhost)", s)
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// hasDomain says whether email's domain is one of domains, any case.
func hasDomain(email string, domains []string) bool {
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return false
	}
	d := strings.ToLower(email[at+1:])
	for _, x := range domains {
		if strings.ToLower(x) == d {
			return true
		}
	}
	return false
}
