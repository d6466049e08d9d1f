package ssotest

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/crewjam/saml/samlidp"
	dsig "github.com/russellhaering/goxmldsig"
)

// SAML is crewjam's SAML identity provider (samlidp) on loopback.
type SAML struct {
	URL         string // the IdP's base; its metadata is URL + "/metadata"
	MetadataURL string
	srv         *httptest.Server
}

// NewSAML starts a SAML IdP; with at set its clock stands still at that
// time (to issue assertions that have already expired).
func NewSAML(t testing.TB, at *time.Time) *SAML {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test idp"},
		NotBefore: time.Now().Add(-24 * time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse("http://" + ln.Addr().String())
	opts := samlidp.Options{URL: *base, Key: key, Certificate: cert, Store: &samlidp.MemoryStore{}, Logger: log.New(io.Discard, "", 0)}
	if at != nil {
		opts.Clock = dsig.NewFakeClockAt(*at)
	}
	idp, err := samlidp.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: idp}}
	srv.Start()
	t.Cleanup(srv.Close)
	return &SAML{URL: base.String(), MetadataURL: base.String() + "/metadata", srv: srv}
}

// AddUser makes a person known: name signs in at the form, email is the
// NameID, groups the eduPersonAffiliation attribute.
func (s *SAML) AddUser(t testing.TB, name, email, password string, groups ...string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"name": name, "password": password, "email": email, "groups": groups})
	s.put(t, "/users/"+name, body)
}

// AddServiceProvider registers an SP by its metadata (fetched from
// metadataURL, scry's per-tenant SP metadata).
func (s *SAML) AddServiceProvider(t testing.TB, id, metadataURL string) {
	t.Helper()
	resp, err := http.Get(metadataURL)
	if err != nil {
		t.Fatal(err)
	}
	md, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("SP metadata %s: %d %s", metadataURL, resp.StatusCode, md)
	}
	s.put(t, "/services/"+id, md)
}

// AddShortcut lets the IdP start a sign-in itself (IdP-initiated, an
// unsolicited response): GET URL/login/<name> sends the person to the SP
// whose entity id is spEntityID.
func (s *SAML) AddShortcut(t testing.TB, name, spEntityID string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"name": name, "service_provider": spEntityID})
	s.put(t, "/shortcuts/"+name, body)
}

func (s *SAML) put(t testing.TB, path string, body []byte) {
	t.Helper()
	req, _ := http.NewRequest("PUT", s.URL+path, bytes.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		t.Fatal(fmt.Errorf("PUT %s: %d", path, resp.StatusCode))
	}
}
