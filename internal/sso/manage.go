package sso

import (
	"context"
	"errors"
	"os"
	"path/filepath"

	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/store"
)

// LoadFile reads an sso.yaml file: Parse, and the SAML IdP metadata file it
// names (relative to the yaml's folder) read and checked.
func LoadFile(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, errcode.New(errcode.Invalid, "Cannot read %s: %v", path, errors.Unwrap(err))
	}
	c, err := Parse(data, path)
	if err != nil {
		return nil, err
	}
	if c.SAML != nil && c.SAML.IdPMetadataFile != "" {
		mp := c.SAML.IdPMetadataFile
		if !filepath.IsAbs(mp) {
			mp = filepath.Join(filepath.Dir(path), mp)
		}
		md, err := os.ReadFile(mp)
		if err != nil {
			return nil, errcode.New(errcode.Invalid, "%s: saml.idp_metadata_file: cannot read %s", path, mp)
		}
		if _, err := ParseIdPMetadata(md); err != nil {
			return nil, errcode.New(errcode.Invalid, "%s: saml.idp_metadata_file: %s: %s", path, mp, errcode.From(err).Message)
		}
		c.SAML.IdPMetadata = string(md)
		c.SAML.IdPMetadataFile = ""
	}
	return c, nil
}

// Set stores cfg as by's tenant's single sign-on, its secrets sealed with the
// key in keyFile (created on first use). The SAML service provider keeps
// its key across sets, so the copy of its metadata the IdP holds stays
// right; it gets one the first time. Audited as sso.set.
func Set(ctx context.Context, by audit.Actor, keyFile string, cfg *Config) error {
	sealer, err := OpenSealer(keyFile, true)
	if err != nil {
		return err
	}
	details := map[string]any{"password_signin": cfg.PasswordAllowed(), "jit": cfg.JIT}
	if cfg.OIDC != nil {
		details["oidc_issuer"] = cfg.OIDC.Issuer
	}
	return by.Do(ctx, "sso.set", by.Tenant, details, func(tx *store.Tx) error {
		sec := secrets{}
		old, oldSec, err := loadSecrets(ctx, tx, sealer)
		if err != nil {
			// None yet, or sealed with another key: nothing is kept.
			old = nil
		}
		if cfg.OIDC != nil {
			sec.OIDCClientSecret = cfg.OIDC.ClientSecret
			if sec.OIDCClientSecret == "" && keepsSecret(cfg.OIDC, old) {
				sec.OIDCClientSecret = oldSec.OIDCClientSecret
			}
			if sec.OIDCClientSecret == "" {
				return errcode.New(errcode.Invalid, "oidc.client_secret: missing (no stored secret for this issuer and client)")
			}
		}
		if cfg.SAML != nil {
			if old != nil && old.SAML != nil && oldSec.SAMLKey != "" {
				cfg.SAML.Certificate, sec.SAMLKey = old.SAML.Certificate, oldSec.SAMLKey
			} else {
				k, c, err := newSPKey(by.Tenant)
				if err != nil {
					return err
				}
				cfg.SAML.Certificate, sec.SAMLKey = c, k
			}
			if cfg.SAML.IdPMetadataURL == "" && cfg.SAML.IdPMetadata == "" {
				return errcode.New(errcode.Invalid, "saml: no IdP metadata")
			}
		}
		return Save(ctx, tx, sealer, cfg, sec)
	})
}

// Show is tenant t's single sign-on without its secrets.
func Show(ctx context.Context, db *store.DB, tenantID int64) (*Config, error) {
	return store.Read(ctx, db, tenantID, func(tx *store.Tx) (*Config, error) { return Load(ctx, tx) })
}

// RemoveFor deletes by's tenant's single sign-on (password sign-in is on
// again: the way back when no one can sign in through the provider).
// Audited as sso.remove.
func RemoveFor(ctx context.Context, by audit.Actor) error {
	return by.Do(ctx, "sso.remove", by.Tenant, nil, func(tx *store.Tx) error {
		return Remove(ctx, tx)
	})
}

// SwitchPasswordSignIn turns password sign-in on or off for by's tenant.
// Audited as sso.password_signin.
func SwitchPasswordSignIn(ctx context.Context, by audit.Actor, on bool) error {
	return by.Do(ctx, "sso.password_signin", by.Tenant, map[string]any{"on": on},
		func(tx *store.Tx) error { return SetPasswordSignIn(ctx, tx, on) })
}
