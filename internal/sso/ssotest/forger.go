// Package ssotest runs identity providers on loopback for tests: zitadel's
// OpenID provider (OP), crewjam's SAML IdP (samlidp), and a small OpenID
// provider of our own (Forger) that exists only to issue the tokens no
// real provider issues — for another audience, unsigned, signed with an
// unpublished key, without the nonce — so the refusal of each is tested.
package ssotest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// OIDCUser is a person the forger knows.
type OIDCUser struct {
	Password string
	Claims   map[string]any // besides sub and email: say "groups"
}

// Forger is an OpenID provider on loopback (discovery, JWKS, authorization
// code with PKCE, a sign-in form, a token endpoint checking the client and
// the verifier, RS256 ID tokens signed with go-jose) whose next token can
// be spoiled on purpose. Happy paths run against OP, a real provider.
type Forger struct {
	URL          string // the issuer
	ClientID     string
	ClientSecret string

	key   *rsa.PrivateKey
	other *rsa.PrivateKey // a key the JWKS does not publish
	srv   *httptest.Server

	mu     sync.Mutex
	users  map[string]OIDCUser
	codes  map[string]grant
	tamper func(claims map[string]any) string // returns how to sign: "", "none", "other-key"
	// userinfo answers an access token with these claims (a copy of the ID
	// token's, as issued before any spoiling, changed by spoilInfo).
	userinfo  map[string]map[string]any
	spoilInfo func(claims map[string]any)
	Tokens    int // ID tokens issued
}

type grant struct {
	email, nonce, challenge, redirect string
	expires                           time.Time
}

// NewForger starts a forger for one client; it stops with the test.
func NewForger(t testing.TB, clientID, clientSecret string) *Forger {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	o2, _ := rsa.GenerateKey(rand.Reader, 2048)
	p := &Forger{ClientID: clientID, ClientSecret: clientSecret, key: k, other: o2, users: map[string]OIDCUser{}, codes: map[string]grant{}, userinfo: map[string]map[string]any{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("GET /jwks", p.jwks)
	mux.HandleFunc("GET /authorize", p.authorizeForm)
	mux.HandleFunc("POST /authorize", p.authorize)
	mux.HandleFunc("POST /token", p.token)
	mux.HandleFunc("GET /userinfo", p.userInfo)
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	p.URL = p.srv.URL
	return p
}

// AddUser makes a person known to the provider.
func (p *Forger) AddUser(email string, u OIDCUser) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.users[email] = u
}

// SpoilNext changes the claims of the next ID token (and returns how to
// sign it: "" with the published key, "none" unsigned, "other-key" with a
// key the provider does not publish).
func (p *Forger) SpoilNext(f func(claims map[string]any) string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tamper = f
}

// SpoilNextUserinfo changes what the userinfo endpoint says for the next
// token issued.
func (p *Forger) SpoilNextUserinfo(f func(claims map[string]any)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.spoilInfo = f
}

func (p *Forger) userInfo(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	info, ok := p.userinfo[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
	p.mu.Unlock()
	if !ok {
		tokenError(w, http.StatusUnauthorized, "invalid_token")
		return
	}
	writeJSON(w, info)
}

func (p *Forger) discovery(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, map[string]any{
		"issuer": p.URL, "authorization_endpoint": p.URL + "/authorize", "token_endpoint": p.URL + "/token",
		"jwks_uri": p.URL + "/jwks", "userinfo_endpoint": p.URL + "/userinfo", "response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"}, "code_challenge_methods_supported": []string{"S256"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
	})
}

func (p *Forger) jwks(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &p.key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
}

var form = template.Must(template.New("f").Parse(`<!doctype html><html><head><title>Test IdP</title></head><body>
<h1>Test identity provider</h1>{{if .Error}}<p id="idp-error">{{.Error}}</p>{{end}}
<form method="post" action="/authorize">
{{range $k, $v := .Query}}<input type="hidden" name="{{$k}}" value="{{index $v 0}}">{{end}}
<label for="idp-email">Email</label><input id="idp-email" name="email">
<label for="idp-password">Password</label><input id="idp-password" name="password" type="password">
<button id="idp-submit" type="submit">Sign in</button></form></body></html>`))

// authorizeForm checks the request and shows the sign-in form.
func (p *Forger) authorizeForm(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if err := p.checkAuthorize(q); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	form.Execute(w, map[string]any{"Query": q})
}

func (p *Forger) checkAuthorize(q url.Values) error {
	switch {
	case q.Get("client_id") != p.ClientID:
		return fmt.Errorf("unknown client")
	case q.Get("response_type") != "code":
		return fmt.Errorf("only the code flow")
	case q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "":
		return fmt.Errorf("PKCE S256 required")
	case !strings.Contains(" "+q.Get("scope")+" ", " openid "):
		return fmt.Errorf("scope openid required")
	case q.Get("redirect_uri") == "" || q.Get("state") == "" || q.Get("nonce") == "":
		return fmt.Errorf("redirect_uri, state and nonce required")
	}
	return nil
}

// authorize signs the person in and sends the browser back with a code.
func (p *Forger) authorize(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f := r.PostForm
	if err := p.checkAuthorize(f); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	p.mu.Lock()
	u, ok := p.users[f.Get("email")]
	p.mu.Unlock()
	if !ok || subtle.ConstantTimeCompare([]byte(u.Password), []byte(f.Get("password"))) != 1 {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusUnauthorized)
		q := url.Values{}
		for k, v := range f {
			if k != "email" && k != "password" {
				q[k] = v
			}
		}
		form.Execute(w, map[string]any{"Query": q, "Error": "Wrong email or password"})
		return
	}
	code := randomString()
	p.mu.Lock()
	p.codes[code] = grant{email: f.Get("email"), nonce: f.Get("nonce"), challenge: f.Get("code_challenge"), redirect: f.Get("redirect_uri"), expires: time.Now().Add(time.Minute)}
	p.mu.Unlock()
	back, _ := url.Parse(f.Get("redirect_uri"))
	q := back.Query()
	q.Set("code", code)
	q.Set("state", f.Get("state"))
	back.RawQuery = q.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// token exchanges a code, once, for an ID token: the client must
// authenticate and the verifier must match the challenge.
func (p *Forger) token(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != p.ClientID || subtle.ConstantTimeCompare([]byte(secret), []byte(p.ClientSecret)) != 1 {
		tokenError(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	p.mu.Lock()
	g, ok := p.codes[r.PostForm.Get("code")]
	delete(p.codes, r.PostForm.Get("code"))
	u := p.users[g.email]
	tamper := p.tamper
	p.tamper = nil
	p.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	switch {
	case r.PostForm.Get("grant_type") != "authorization_code" || !ok || time.Now().After(g.expires):
		tokenError(w, http.StatusBadRequest, "invalid_grant")
		return
	case base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge:
		tokenError(w, http.StatusBadRequest, "invalid_grant") // PKCE
		return
	case r.PostForm.Get("redirect_uri") != g.redirect:
		tokenError(w, http.StatusBadRequest, "invalid_grant")
		return
	}
	now := time.Now()
	claims := map[string]any{"iss": p.URL, "aud": p.ClientID, "sub": "sub-" + g.email, "email": g.email, "email_verified": true,
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "nonce": g.nonce}
	for k, v := range u.Claims {
		claims[k] = v
	}
	info := maps.Clone(claims)
	how := ""
	if tamper != nil {
		how = tamper(claims)
	}
	raw, err := p.sign(claims, how)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	p.mu.Lock()
	p.Tokens++
	p.mu.Unlock()
	access := randomString()
	p.mu.Lock()
	if p.spoilInfo != nil {
		p.spoilInfo(info)
		p.spoilInfo = nil
	}
	p.userinfo[access] = info
	p.mu.Unlock()
	writeJSON(w, map[string]any{"access_token": access, "token_type": "Bearer", "expires_in": 3600, "id_token": raw})
}

func (p *Forger) sign(claims map[string]any, how string) (string, error) {
	payload, _ := json.Marshal(claims)
	if how == "none" {
		enc := base64.RawURLEncoding
		return enc.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc.EncodeToString(payload) + ".", nil
	}
	key := p.key
	if how == "other-key" {
		key = p.other
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: "k1"}}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", err
	}
	jws, err := s.Sign(payload)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}

// Authorize signs email in at the forger's form from the authorization URL
// scry sent the browser to and returns where the forger sends the browser
// back: scry's callback with code and state.
func (p *Forger) Authorize(t testing.TB, authURL, email, password string) string {
	t.Helper()
	u, _ := url.Parse(authURL)
	form := u.Query()
	form.Set("email", email)
	form.Set("password", password)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(u.Scheme+"://"+u.Host+u.Path, form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("the forger did not sign %s in: %d", email, resp.StatusCode)
	}
	return resp.Header.Get("Location")
}

func tokenError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": code})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func randomString() string {
	b := make([]byte, 24)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
