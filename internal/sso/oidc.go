package sso

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/tenant"
)

// signingAlgs are the ID-token signatures accepted: asymmetric ones only,
// whatever the provider's discovery document claims ("none" and HMAC with
// a client secret never).
var signingAlgs = []string{oidc.RS256, oidc.RS384, oidc.RS512, oidc.PS256, oidc.PS384, oidc.PS512, oidc.ES256, oidc.ES384, oidc.ES512, oidc.EdDSA}

// oidcProvider is a tenant's discovered provider, kept for an hour.
type oidcProvider struct {
	issuer  string
	p       *oidc.Provider
	fetched time.Time
}

const providerTTL = time.Hour

func (s *Service) provider(ctx context.Context, tenantID int64, issuer string) (*oidc.Provider, error) {
	if v, ok := s.providers.Load(tenantID); ok {
		if p := v.(*oidcProvider); p.issuer == issuer && time.Since(p.fetched) < providerTTL {
			return p.p, nil
		}
	}
	// The key set the provider keeps fetches with the context's client.
	p, err := oidc.NewProvider(oidc.ClientContext(context.WithoutCancel(ctx), s.client()), issuer)
	if err != nil {
		return nil, errcode.Wrap(errcode.Unavailable, err, "The organisation's identity provider does not answer")
	}
	s.providers.Store(tenantID, &oidcProvider{issuer: issuer, p: p, fetched: time.Now()})
	return p, nil
}

func (s *Service) settings(ctx context.Context, tenantID int64) (*Config, secrets, error) {
	sealer, err := s.sealerFor()
	if err != nil {
		return nil, secrets{}, err
	}
	var c *Config
	var sec secrets
	err = s.DB.ReadTenant(ctx, tenantID, func(tx *store.Tx) error {
		var err error
		c, sec, err = loadSecrets(ctx, tx, sealer)
		return err
	})
	return c, sec, err
}

func oauthConfig(o *OIDCConfig, p *oidc.Provider, redirect string) *oauth2.Config {
	scopes := o.Scopes
	if len(scopes) == 0 {
		scopes = []string{oidc.ScopeOpenID, "email", "profile"}
	}
	return &oauth2.Config{ClientID: o.ClientID, ClientSecret: o.ClientSecret, Endpoint: p.Endpoint(), RedirectURL: redirect, Scopes: scopes}
}

// BeginOIDC starts a sign-in at tenant t's OpenID provider: it returns the
// provider's authorization URL and the value of the cookie that binds the
// answer to this browser. The state, nonce and PKCE verifier are stored
// (the state hashed) in t's rows, so the answer is accepted only at t's
// callback, once, within ten minutes, in the browser that started it.
// portal says the sign-in starts at the workforce's review portal.
func (s *Service) BeginOIDC(ctx context.Context, t tenant.Tenant, redirect string, portal bool) (authURL, binding string, err error) {
	cfg, _, err := s.settings(ctx, t.ID)
	if err != nil {
		return "", "", err
	}
	if cfg.OIDC == nil {
		return "", "", errcode.New(errcode.NotFound, "This organisation signs in with SAML, not OpenID Connect")
	}
	p, err := s.provider(ctx, t.ID, cfg.OIDC.Issuer)
	if err != nil {
		return "", "", err
	}
	state, nonce, verifier, binding := random(), random(), oauth2.GenerateVerifier(), random()
	err = s.DB.InTenant(ctx, t.ID, func(tx *store.Tx) error {
		return putPending(ctx, tx, state, pending{Protocol: "oidc", Nonce: nonce, Verifier: verifier, BrowserHash: hashOf(binding), Portal: portal})
	})
	if err != nil {
		return "", "", err
	}
	u := oauthConfig(cfg.OIDC, p, redirect).AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier))
	return u, binding, nil
}

// FinishOIDC completes a sign-in at t's callback from the provider's answer
// (query) and the browser's binding cookie. The ID token must be signed by
// a key of t's issuer with an asymmetric algorithm, name t's issuer and
// client as audience (and as authorized party when there are several),
// be unexpired and carry the nonce of this very state. Refusals are
// audited by the caller through Refused.
func (s *Service) FinishOIDC(ctx context.Context, t tenant.Tenant, redirect string, query url.Values, binding, remote string) (Outcome, Person, error) {
	var person Person
	if e := query.Get("error"); e != "" {
		return Outcome{}, person, refuse(fmt.Sprintf("the provider answered %s: %s", audit.CapText(e), audit.CapText(query.Get("error_description"))))
	}
	var pend pending
	err := s.DB.InTenant(ctx, t.ID, func(tx *store.Tx) error {
		var err error
		pend, err = takePending(ctx, tx, query.Get("state"), "oidc")
		return err
	})
	if err == errUnknownState {
		return Outcome{}, person, refuse("state unknown to this tenant, already used or expired")
	} else if err != nil {
		return Outcome{}, person, err
	}
	if binding == "" || hashOf(binding) != pend.BrowserHash {
		return Outcome{}, person, refuse("state not started by this browser")
	}
	cfg, _, err := s.settings(ctx, t.ID)
	if err != nil {
		return Outcome{}, person, err
	}
	if cfg.OIDC == nil {
		return Outcome{}, person, refuse("OpenID Connect is not configured")
	}
	o := cfg.OIDC
	p, err := s.provider(ctx, t.ID, o.Issuer)
	if err != nil {
		return Outcome{}, person, err
	}
	cctx := oidc.ClientContext(ctx, s.client())
	tok, err := oauthConfig(o, p, redirect).Exchange(cctx, query.Get("code"), oauth2.VerifierOption(pend.Verifier))
	if err != nil {
		return Outcome{}, person, refuse("the provider refused the code: "+audit.CapText(err.Error()), err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return Outcome{}, person, refuse("the provider sent no ID token")
	}
	idt, err := p.VerifierContext(cctx, &oidc.Config{ClientID: o.ClientID, SupportedSigningAlgs: signingAlgs}).Verify(cctx, raw)
	if err != nil {
		return Outcome{}, person, refuse("ID token refused: "+audit.CapText(err.Error()), err)
	}
	if idt.Nonce == "" || idt.Nonce != pend.Nonce {
		return Outcome{}, person, refuse("ID token nonce does not match this sign-in")
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return Outcome{}, person, refuse("ID token claims unreadable", err)
	}
	if len(idt.Audience) > 1 {
		if azp, _ := claims["azp"].(string); azp != o.ClientID {
			return Outcome{}, person, refuse("ID token has several audiences and another authorized party")
		}
	}
	emailClaim := o.EmailFrom
	if emailClaim == "" {
		emailClaim = "email"
	}
	employeeClaim := o.EmployeeFrom
	if employeeClaim == "email" {
		employeeClaim = "" // matched by the email, not a claim
	}
	if err := withUserInfo(cctx, p, tok, idt.Subject, claims, emailClaim, o.RoleFrom, employeeClaim); err != nil {
		return Outcome{}, person, err
	}
	person = Person{Protocol: "oidc", Provider: idt.Issuer, Subject: idt.Subject, Ends: idt.Expiry}
	person.Email, _ = claims[emailClaim].(string)
	if v, ok := claims["email_verified"].(bool); ok && !v && emailClaim == "email" {
		return Outcome{}, person, refuse("the provider says the email is not verified")
	}
	person.Values = stringsOf(claims[o.RoleFrom])
	if o.EmployeeFrom != "" && o.EmployeeFrom != "email" {
		if v := stringsOf(claims[o.EmployeeFrom]); len(v) == 1 {
			person.EmployeeID = v[0]
		}
	}
	out, err := s.complete(ctx, t, cfg, o.Mapping, person, pend.Portal, remote)
	return out, person, err
}

// withUserInfo completes claims from the provider's userinfo endpoint when
// the ID token lacks one that is needed: many providers keep the ID token
// thin when they also issue an access token (OIDC Core 5.4), so email or
// groups are only there. The answer counts only for the ID token's own
// subject (OIDC Core 5.3.2: else it may be another person's), and it never
// overrides what the signed ID token says.
func withUserInfo(ctx context.Context, p *oidc.Provider, tok *oauth2.Token, subject string, claims map[string]any, needed ...string) error {
	missing := false
	for _, c := range needed {
		if _, ok := claims[c]; c != "" && !ok {
			missing = true
		}
	}
	if !missing || p.UserInfoEndpoint() == "" {
		return nil
	}
	ui, err := p.UserInfo(ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		return refuse("the provider's userinfo endpoint refused: "+audit.CapText(err.Error()), err)
	}
	if ui.Subject != subject {
		return refuse("userinfo is about another subject than the ID token")
	}
	var more map[string]any
	if err := ui.Claims(&more); err != nil {
		return refuse("userinfo claims unreadable", err)
	}
	for k, v := range more {
		if _, ok := claims[k]; !ok {
			claims[k] = v
		}
	}
	return nil
}

// stringsOf reads a claim that is a string or a list of strings.
func stringsOf(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	case []string:
		return slices.Clone(x)
	}
	return nil
}
