package ssotest

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// OP is zitadel's OpenID provider (github.com/zitadel/oidc/v3: pkg/op
// served by its example server, with the example's in-memory storage and
// login page) on loopback. It is a provider written by others and used as
// they ship it: code flow with PKCE S256, client authentication, one-use
// codes, nonces, RS256 ID tokens and a userinfo endpoint. Like many real
// providers it keeps the ID token thin when it also issues an access
// token: email and profile come from the userinfo endpoint. What this
// file adds is only a user store that tests can fill, a "groups" scope
// that releases each user's extra claims (groups, employee_id …), and an
// ID-token lifetime per client, so a genuinely expired token can be had.
type OP struct {
	URL string // the issuer
	// UserinfoCalls counts requests to the userinfo endpoint: the ID token
	// alone never names the email, so a sign-in that worked asked there.
	UserinfoCalls atomic.Int64

	users *userStore
	store *opStorage
}

// OPClient is a confidential web client registered at the provider.
type OPClient struct {
	ID, Secret   string
	RedirectURIs []string
}

// NewOP starts a provider on 127.0.0.1 that knows clients; it stops with
// the test.
func NewOP(t testing.TB, clients ...OPClient) *OP {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	issuer := "http://" + ln.Addr().String()
	users := &userStore{byID: map[string]*storage.User{}, claims: map[string]map[string]any{}}
	registered := map[string]*storage.Client{}
	for _, c := range clients {
		registered[c.ID] = storage.WebClient(c.ID, c.Secret, c.RedirectURIs...)
	}
	st := &opStorage{Storage: storage.NewStorageWithClients(users, registered), users: users, lifetime: map[string]time.Duration{}}
	o := &OP{URL: issuer, users: users, store: st}
	router := exampleop.SetupServer(issuer, st, nil, false)
	count := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/userinfo" {
			o.UserinfoCalls.Add(1)
		}
		router.ServeHTTP(w, r)
	})
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: count, ReadHeaderTimeout: 10 * time.Second}}
	srv.Start()
	t.Cleanup(srv.Close)
	return o
}

// AddUser makes a person known: they sign in with email and password;
// claims (say "groups", "employee_id") are released with the groups scope.
func (o *OP) AddUser(email, password string, claims map[string]any) {
	o.users.mu.Lock()
	defer o.users.mu.Unlock()
	id := "user-" + email
	o.users.byID[id] = &storage.User{ID: id, Username: email, Password: password, Email: email, EmailVerified: true,
		FirstName: strings.Split(email, "@")[0], LastName: "Test"}
	o.users.claims[id] = claims
}

// SetIDTokenLifetime makes the ID tokens the provider issues to client
// live d (negative: already expired when issued).
func (o *OP) SetIDTokenLifetime(clientID string, d time.Duration) {
	o.store.mu.Lock()
	defer o.store.mu.Unlock()
	o.store.lifetime[clientID] = d
}

// Authorize signs email in at the provider's own login page, as a browser
// would, from the authorization URL scry sent the browser to; it returns
// the address the provider sends the browser back to (scry's callback
// with the code and state).
func (o *OP) Authorize(t testing.TB, authURL, email, password string) string {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(r *http.Request, _ []*http.Request) error {
		if !strings.HasPrefix(r.URL.String(), o.URL) {
			return http.ErrUseLastResponse // back at scry: stop there
		}
		return nil
	}}
	resp, err := c.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	id := resp.Request.URL.Query().Get("authRequestID")
	if resp.StatusCode != http.StatusOK || id == "" {
		t.Fatalf("the provider did not show its login page: %d at %s", resp.StatusCode, resp.Request.URL)
	}
	resp, err = c.PostForm(o.URL+"/login/username", url.Values{"id": {id}, "username": {email}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	back := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || back == "" {
		t.Fatalf("the provider did not sign %s in: %d %s", email, resp.StatusCode, b)
	}
	return back
}

// userStore is the example storage's UserStore, filled by tests.
type userStore struct {
	mu     sync.Mutex
	byID   map[string]*storage.User
	claims map[string]map[string]any
}

func (u *userStore) GetUserByID(id string) *storage.User {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.byID[id]
}

func (u *userStore) GetUserByUsername(name string) *storage.User {
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, x := range u.byID {
		if x.Username == name {
			return x
		}
	}
	return nil
}

func (u *userStore) ExampleClientID() string { return storage.ServiceUserID }

func (u *userStore) extra(id string) map[string]any {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.claims[id]
}

// groupsScope releases a user's extra claims, in the ID token and at the
// userinfo endpoint.
const groupsScope = "groups"

// opStorage is the example storage with the groups scope and the
// per-client ID-token lifetime.
type opStorage struct {
	*storage.Storage
	users *userStore

	mu       sync.Mutex
	lifetime map[string]time.Duration
}

func (s *opStorage) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	c, err := s.Storage.GetClientByClientID(ctx, id)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	d, ok := s.lifetime[id]
	s.mu.Unlock()
	if !ok {
		d = time.Hour
	}
	return opClient{Client: c, lifetime: d}, nil
}

func (s *opStorage) SetUserinfoFromRequest(ctx context.Context, ui *oidc.UserInfo, req op.IDTokenRequest, scopes []string) error {
	if err := s.Storage.SetUserinfoFromRequest(ctx, ui, req, scopes); err != nil {
		return err
	}
	if slices.Contains(scopes, groupsScope) {
		s.addExtra(ui, req.GetSubject())
	}
	return nil
}

func (s *opStorage) SetUserinfoFromToken(ctx context.Context, ui *oidc.UserInfo, tokenID, subject, origin string) error {
	if err := s.Storage.SetUserinfoFromToken(ctx, ui, tokenID, subject, origin); err != nil {
		return err
	}
	s.addExtra(ui, subject)
	return nil
}

func (s *opStorage) addExtra(ui *oidc.UserInfo, subject string) {
	for k, v := range s.users.extra(subject) {
		ui.AppendClaims(k, v)
	}
}

// opClient lets a client ask for the groups scope and gives its ID tokens
// the lifetime set for it.
type opClient struct {
	op.Client
	lifetime time.Duration
}

func (c opClient) IsScopeAllowed(scope string) bool {
	return scope == groupsScope || c.Client.IsScopeAllowed(scope)
}

func (c opClient) IDTokenLifetime() time.Duration { return c.lifetime }
