package sso

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"encoding/xml"
	"errors"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/beevik/etree"
	"github.com/crewjam/saml"
	"github.com/crewjam/saml/samlsp"

	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/tenant"
)

// newSPKey makes a service provider's key and self-signed certificate
// (ECDSA P-256, ten years): the IdP knows the SP by its metadata, so the
// certificate only carries the key. An ECDSA key also means the metadata
// offers no encryption key: assertions come in the clear, where their own
// signature can be required.
func newSPKey(slug string) (keyPEM, certPEM string, err error) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", "", err
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: "scry SAML SP " + slug},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(10, 0, 0), KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &k.PublicKey, k)
	if err != nil {
		return "", "", err
	}
	pk, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return "", "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pk})), string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})), nil
}

// ParseIdPMetadata checks IdP metadata XML: an entity with an IdP SSO
// descriptor and a signing certificate.
func ParseIdPMetadata(data []byte) (*saml.EntityDescriptor, error) {
	ed, err := samlsp.ParseMetadata(data)
	if err != nil {
		return nil, errcode.Wrap(errcode.Invalid, err, "not SAML IdP metadata: %v", err)
	}
	if len(ed.IDPSSODescriptors) == 0 {
		return nil, errcode.New(errcode.Invalid, "the metadata has no IDPSSODescriptor: it is not an identity provider's")
	}
	return ed, nil
}

// samlSP is a tenant's service provider with its IdP's metadata.
type samlSP struct {
	idpURL  string // the metadata URL it was fetched from ("" for a stored copy)
	ed      *saml.EntityDescriptor
	fetched time.Time
}

func (s *Service) idpMetadata(ctx context.Context, tenantID int64, c *SAMLConfig) (*saml.EntityDescriptor, error) {
	if c.IdPMetadataURL == "" {
		return ParseIdPMetadata([]byte(c.IdPMetadata))
	}
	if v, ok := s.sps.Load(tenantID); ok {
		if m := v.(*samlSP); m.idpURL == c.IdPMetadataURL && time.Since(m.fetched) < providerTTL {
			return m.ed, nil
		}
	}
	u, _ := url.Parse(c.IdPMetadataURL)
	ed, err := samlsp.FetchMetadata(ctx, s.client(), *u)
	if err != nil {
		return nil, errcode.Wrap(errcode.Unavailable, err, "The organisation's identity provider's metadata could not be read")
	}
	s.sps.Store(tenantID, &samlSP{idpURL: c.IdPMetadataURL, ed: ed, fetched: time.Now()})
	return ed, nil
}

// SPURLs are a tenant's service provider addresses under base (the public
// address of scry): the metadata URL is also its entity id (the audience
// assertions must name) and the ACS the recipient they must be sent to.
func SPURLs(base, slug string) (metadata, acs url.URL) {
	m, _ := url.Parse(strings.TrimSuffix(base, "/") + "/t/" + url.PathEscape(slug) + "/sso/saml/metadata")
	a, _ := url.Parse(strings.TrimSuffix(base, "/") + "/t/" + url.PathEscape(slug) + "/sso/saml/acs")
	return *m, *a
}

func (s *Service) serviceProvider(ctx context.Context, t tenant.Tenant, cfg *Config, sec secrets, base string) (*saml.ServiceProvider, error) {
	if cfg.SAML == nil {
		return nil, errcode.New(errcode.NotFound, "This organisation signs in with OpenID Connect, not SAML")
	}
	blk, _ := pem.Decode([]byte(sec.SAMLKey))
	cblk, _ := pem.Decode([]byte(cfg.SAML.Certificate))
	if blk == nil || cblk == nil {
		return nil, errcode.New(errcode.Invalid, "The SAML service provider has no key: run `scry sso set` again")
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, errcode.Wrap(errcode.Invalid, err, "The SAML service provider's key is damaged: run `scry sso set` again")
	}
	cert, err := x509.ParseCertificate(cblk.Bytes)
	if err != nil {
		return nil, errcode.Wrap(errcode.Invalid, err, "The SAML service provider's certificate is damaged: run `scry sso set` again")
	}
	ed, err := s.idpMetadata(ctx, t.ID, cfg.SAML)
	if err != nil {
		return nil, err
	}
	meta, acs := SPURLs(base, t.Slug)
	sp := &saml.ServiceProvider{
		EntityID: meta.String(), Key: k.(crypto.Signer), Certificate: cert, MetadataURL: meta, AcsURL: acs,
		IDPMetadata: ed, AuthnNameIDFormat: saml.EmailAddressNameIDFormat,
		AssertionConsumerServiceBindings: []string{saml.HTTPPostBinding},
		RejectSHA1Signatures:             true,
		ReplayCache:                      replayCache{ctx: ctx, s: s, tenantID: t.ID},
	}
	return sp, nil
}

// replayCache records accepted assertion ids in the tenant's rows: a
// replayed assertion is refused, also by another scry process.
type replayCache struct {
	ctx      context.Context
	s        *Service
	tenantID int64
}

func (r replayCache) Consume(id string, expires time.Time) error {
	err := r.s.DB.InTenant(r.ctx, r.tenantID, func(tx *store.Tx) error { return markUsed(r.ctx, tx, "saml:"+id, expires) })
	if errors.Is(err, errReplayed) {
		return saml.ErrAssertionReplayed
	}
	return err
}

// SPMetadata is tenant t's service provider metadata (XML) under base.
func (s *Service) SPMetadata(ctx context.Context, t tenant.Tenant, base string) ([]byte, error) {
	cfg, sec, err := s.settings(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	sp, err := s.serviceProvider(ctx, t, cfg, sec, base)
	if err != nil {
		return nil, err
	}
	return xml.MarshalIndent(sp.Metadata(), "", "  ")
}

// BeginSAML starts a sign-in at t's SAML IdP (HTTP-Redirect binding) and
// returns the address to send the browser to. The request id is stored
// under the RelayState in t's rows and consumed by the answer.
// portal says the sign-in starts at the workforce's review portal.
func (s *Service) BeginSAML(ctx context.Context, t tenant.Tenant, base string, portal bool) (string, error) {
	cfg, sec, err := s.settings(ctx, t.ID)
	if err != nil {
		return "", err
	}
	sp, err := s.serviceProvider(ctx, t, cfg, sec, base)
	if err != nil {
		return "", err
	}
	req, err := sp.MakeAuthenticationRequest(sp.GetSSOBindingLocation(saml.HTTPRedirectBinding), saml.HTTPRedirectBinding, saml.HTTPPostBinding)
	if err != nil {
		return "", errcode.Wrap(errcode.Unavailable, err, "The identity provider's metadata offers no HTTP-Redirect sign-in")
	}
	relay := random()[:40]
	if err := s.DB.InTenant(ctx, t.ID, func(tx *store.Tx) error {
		return putPending(ctx, tx, relay, pending{Protocol: "saml", RequestID: req.ID, Portal: portal})
	}); err != nil {
		return "", err
	}
	u, err := req.Redirect(relay, sp)
	if err != nil {
		return "", err
	}
	return u.String(), nil
}

// FinishSAML checks the IdP's answer posted to t's ACS: it must answer a
// request t started (its RelayState and InResponseTo), be signed by t's
// IdP — the assertion itself, not only the response —, name t's SP as
// audience and t's ACS as recipient and destination, be within its time
// conditions and never have been accepted before.
func (s *Service) FinishSAML(ctx context.Context, t tenant.Tenant, base string, r *http.Request, remote string) (Outcome, Person, error) {
	var person Person
	root, err := responseXML(r.PostForm.Get("SAMLResponse"))
	if err != nil {
		return Outcome{}, person, refuse("assertion refused: " + err.Error())
	}
	if root.SelectAttrValue("InResponseTo", "") == "" {
		return Outcome{}, person, &refusal{reason: "unsolicited (IdP-initiated) response refused: only answers to scry's own requests are taken", err: errUnsolicited}
	}
	var pend pending
	err = s.DB.InTenant(ctx, t.ID, func(tx *store.Tx) error {
		var err error
		pend, err = takePending(ctx, tx, r.PostForm.Get("RelayState"), "saml")
		return err
	})
	if err == errUnknownState {
		return Outcome{}, person, refuse("RelayState unknown to this tenant, already used or expired")
	} else if err != nil {
		return Outcome{}, person, err
	}
	cfg, sec, err := s.settings(ctx, t.ID)
	if err != nil {
		return Outcome{}, person, err
	}
	sp, err := s.serviceProvider(ctx, t, cfg, sec, base)
	if err != nil {
		return Outcome{}, person, err
	}
	if err := assertionSigned(root); err != nil {
		return Outcome{}, person, refuse("assertion refused: " + err.Error())
	}
	a, err := sp.ParseResponse(r, []string{pend.RequestID})
	if err != nil {
		var ire *saml.InvalidResponseError
		if errors.As(err, &ire) && ire.PrivateErr != nil {
			err = ire.PrivateErr
		}
		return Outcome{}, person, refuse("assertion refused: "+audit.CapText(err.Error()), err)
	}
	c := cfg.SAML
	person = Person{Protocol: "saml", Provider: sp.IDPMetadata.EntityID}
	if a.Subject != nil && a.Subject.NameID != nil {
		person.Subject = a.Subject.NameID.Value
		person.Email = a.Subject.NameID.Value
	}
	if c.EmailFrom != "" {
		v := attribute(a, c.EmailFrom)
		person.Email = ""
		if len(v) == 1 {
			person.Email = v[0]
		}
	}
	person.Values = attribute(a, c.RoleFrom)
	if c.EmployeeFrom != "" && c.EmployeeFrom != "email" {
		if v := attribute(a, c.EmployeeFrom); len(v) == 1 {
			person.EmployeeID = v[0]
		}
	}
	for _, st := range a.AuthnStatements {
		if st.SessionNotOnOrAfter != nil && (person.Ends.IsZero() || st.SessionNotOnOrAfter.Before(person.Ends)) {
			person.Ends = *st.SessionNotOnOrAfter
		}
	}
	out, err := s.complete(ctx, t, cfg, c.Mapping, person, pend.Portal, remote)
	return out, person, err
}

// attribute is the values of the attribute called name (its Name or
// FriendlyName) across the assertion's statements.
func attribute(a *saml.Assertion, name string) []string {
	if name == "" {
		return nil
	}
	var out []string
	for _, st := range a.AttributeStatements {
		for _, at := range st.Attributes {
			if at.Name == name || at.FriendlyName == name {
				for _, v := range at.Values {
					out = append(out, v.Value)
				}
			}
		}
	}
	return out
}

// errUnsolicited is what a person sees who comes from the identity
// provider's own portal (an IdP-initiated sign-in): such a response answers
// no request, so nothing ties it to the browser that brings it — anyone
// holding one of their own assertions could sign a victim in as themselves
// (login CSRF). It is refused, and the person is told where to start.
var errUnsolicited = errcode.New(errcode.Unauthenticated, "Sign-in has to start here: use the button below (a sign-in started from the identity provider's own portal is not accepted)")

// responseXML reads the posted SAMLResponse's root element.
func responseXML(b64 string) (*etree.Element, error) {
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, errors.New("the SAMLResponse is not base64")
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(bytes.Clone(raw)); err != nil || doc.Root() == nil {
		return nil, errors.New("the SAMLResponse is not XML")
	}
	return doc.Root(), nil
}

// assertionSigned requires every assertion of the response to carry its
// own signature (checked by crewjam as it parses): a signed response
// around an unsigned assertion is not enough, and encrypted assertions are
// not offered (the SP metadata has no encryption key) so not accepted.
func assertionSigned(root *etree.Element) error {
	if len(root.SelectElements("EncryptedAssertion")) > 0 {
		return errors.New("encrypted assertions are not accepted")
	}
	as := root.SelectElements("Assertion")
	if len(as) != 1 {
		return errors.New("the response must hold exactly one assertion")
	}
	if as[0].SelectElement("Signature") == nil {
		return errors.New("the assertion is not signed")
	}
	return nil
}
