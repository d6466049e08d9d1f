package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/sso"
)

// ssoKeyFlag is where the tenants' SSO secrets key lives: outside the
// database, like the audit key (default <data>/sso/secret.key).
func ssoKeyFlag(fs *flag.FlagSet, c *call) {
	fs.String("sso-key", c.env.Getenv("SCRY_SSO_KEY"), "file of the key that seals the tenants' SSO secrets, kept outside the database; empty = <data>/sso/secret.key (env SCRY_SSO_KEY)")
}

func (c *call) ssoKey() string {
	if k := c.flag("sso-key"); k != "" {
		return k
	}
	return sso.DefaultKeyFile(c.dataDir)
}

func ssoCommand() *command {
	return &command{name: "sso", summary: "single sign-on of a tenant's people through its identity provider (OpenID Connect, SAML)", subs: []*command{
		{name: "set", summary: "set the tenant's identity provider from a file (read strictly; secrets sealed with --sso-key)", usage: "--tenant <slug> -f sso.yaml",
			example: "scry sso set --tenant acme-retail -f sso.yaml --sso-key /etc/scry/sso.key",
			flags: func(fs *flag.FlagSet, c *call) {
				tenantFlag(fs)
				fs.String("f", "", "the SSO file (YAML)")
				ssoKeyFlag(fs, c)
			}, run: ssoSet},
		{name: "show", summary: "show the tenant's single sign-on (never its secrets) and the addresses to give the identity provider", usage: "--tenant <slug> [--public-url URL]",
			example: "scry sso show --tenant acme-retail --public-url https://scry.example.com",
			flags: func(fs *flag.FlagSet, c *call) {
				tenantFlag(fs)
				fs.String("public-url", c.env.Getenv("SCRY_PUBLIC_URL"), "the address people reach scry at, for the redirect URI and SAML addresses (env SCRY_PUBLIC_URL)")
			}, run: ssoShow},
		{name: "remove", summary: "remove the tenant's single sign-on; password sign-in is on again (the way back)", usage: "--tenant <slug>",
			example: "scry sso remove --tenant acme-retail",
			flags:   func(fs *flag.FlagSet, c *call) { tenantFlag(fs) }, run: ssoRemove},
	}}
}

func ssoSet(ctx context.Context, c *call) error {
	file := c.flag("f")
	if file == "" {
		return errcode.New(errcode.Invalid, "%s needs -f sso.yaml", c.path)
	}
	cfg, err := sso.LoadFile(file)
	if err != nil {
		return err
	}
	by, t, err := c.by(ctx)
	if err != nil {
		return err
	}
	if err := sso.Set(ctx, by, c.ssoKey(), cfg); err != nil {
		return err
	}
	if cfg.SAML != nil {
		cfg.SAML.IdPMetadata = "" // long; stored, not shown
	}
	return c.out(map[string]any{"tenant": t.Slug, "sso": cfg}, func(w io.Writer) {
		fmt.Fprintf(w, "Single sign-on of %s is set", t.Slug)
		if cfg.OIDC != nil {
			fmt.Fprintf(w, "; OpenID Connect: %s (%s)", cfg.OIDC.Name, cfg.OIDC.Issuer)
		}
		if cfg.SAML != nil {
			fmt.Fprintf(w, "; SAML: %s", cfg.SAML.Name)
		}
		fmt.Fprintf(w, ".\nPassword sign-in is %s. Secrets are sealed with %s.\n", onOff(cfg.PasswordAllowed()), c.ssoKey())
		fmt.Fprintf(w, "`scry sso show --tenant %s --public-url <url>` gives the addresses to register at the identity provider.\n", t.Slug)
	})
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func ssoShow(ctx context.Context, c *call) error {
	cfg, t, err := readTenant(ctx, c, sso.Show)
	if err != nil {
		return err
	}
	base := strings.TrimRight(c.flag("public-url"), "/")
	if base == "" {
		base = "https://<public url>"
	}
	meta, acs := sso.SPURLs(base, t.Slug)
	addr := map[string]string{"oidc_redirect_uri": base + "/t/" + t.Slug + "/sso/oidc/callback", "saml_metadata": meta.String(), "saml_acs": acs.String(),
		"signin_page": base + "/t/" + t.Slug + "/signin"}
	if cfg.SAML != nil {
		cfg.SAML.IdPMetadata = "" // long; stored, not shown
	}
	return c.out(map[string]any{"tenant": t.Slug, "sso": cfg, "addresses": addr}, func(w io.Writer) {
		fmt.Fprintf(w, "tenant           %s\npassword sign-in %s\nnew people       %s\nreview portal    %s\n", t.Slug, onOff(cfg.PasswordAllowed()),
			map[bool]string{true: "created at first sign-in (jit)", false: "refused unless they are users"}[cfg.JIT],
			map[bool]string{true: "the workforce signs in with the provider (workforce_portal)", false: "the workforce keeps its own sign-in"}[cfg.WorkforcePortal])
		if o := cfg.OIDC; o != nil {
			fmt.Fprintf(w, "oidc             %s\n  issuer         %s\n  client id      %s\n  client secret  (sealed)\n  domains        %s\n  roles from     %s %v default %q\n  employee from  %s\n  redirect URI   %s\n",
				o.Name, o.Issuer, o.ClientID, strings.Join(o.AllowedDomains, ", "), o.RoleFrom, o.Roles, o.DefaultRole, o.EmployeeFrom, addr["oidc_redirect_uri"])
		}
		if s := cfg.SAML; s != nil {
			md := s.IdPMetadataURL
			if md == "" {
				md = "(stored copy)"
			}
			fmt.Fprintf(w, "saml             %s\n  IdP metadata   %s\n  domains        %s\n  roles from     %s %v default %q\n  SP metadata    %s\n  ACS            %s\n",
				s.Name, md, strings.Join(s.AllowedDomains, ", "), s.RoleFrom, s.Roles, s.DefaultRole, addr["saml_metadata"], addr["saml_acs"])
		}
		fmt.Fprintf(w, "sign-in page     %s\n", addr["signin_page"])
	})
}

func ssoRemove(ctx context.Context, c *call) error {
	by, t, err := c.by(ctx)
	if err != nil {
		return err
	}
	if err := sso.RemoveFor(ctx, by); err != nil {
		return err
	}
	return c.out(map[string]any{"tenant": t.Slug, "removed": true}, func(w io.Writer) {
		fmt.Fprintf(w, "Single sign-on of %s is removed; its people sign in with their passwords again.\n", t.Slug)
	})
}
