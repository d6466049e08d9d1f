package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/boombuler/barcode/qr"

	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/tenant"
	"github.com/scry-dev/scry/internal/workforce"
)

// portalData is what the portal templates get.
type portalData struct {
	Title, Tenant, Step, Error, Email, Secret string
	MinLength                                 int
	Form                                      map[string]string
	QR                                        template.HTML
	Teams                                     []workforce.Team
	OfferMFA                                  bool
	User                                      *identity.User // always nil: the portal has no app navigation
	Page                                      string
	SSO                                       []ssoButton // the workforce signs in with the tenant's identity provider
}

// portal wraps a portal handler: the tenant must exist, the client address
// must be on the workforce's allow-list (else a plain 403 page).
func (s *Server) portal(h func(w http.ResponseWriter, r *http.Request, t tenant.Tenant, p workforce.Policy)) http.HandlerFunc {
	return s.portalLimit(16<<10, h)
}

// portalLimit is portal with a body limit of its own (the labeling API
// takes answers and drafts larger than a sign-in form).
func (s *Server) portalLimit(limit int64, h func(w http.ResponseWriter, r *http.Request, t tenant.Tenant, p workforce.Policy)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if rl, _ := r.Context().Value(logKey).(*reqLog); rl != nil {
			rl.route = r.Method + " " + r.Pattern
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		t, err := tenant.Get(r.Context(), s.db, r.PathValue("tenant"))
		if err != nil {
			http.Error(w, "There is no portal here.", http.StatusNotFound)
			return
		}
		// One read finds the workforce's policy and, when the request
		// carries a session of this tenant, that session too.
		p, read, err := workforce.AtPortal(r.Context(), s.db, t.ID, s.sessionOf(r, t.ID))
		if err != nil {
			writeError(w, err)
			return
		}
		var sess *portalSessionRead
		if read != nil {
			sess = &portalSessionRead{read: *read}
		}
		r = r.WithContext(context.WithValue(r.Context(), portalSessionKey{}, sess))
		if !p.Exists {
			http.Error(w, "This organisation has no review portal.", http.StatusNotFound)
			return
		}
		if !p.Allows(s.clientAddr(r)) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintln(w, "Your network address is not allowed to reach this portal.")
			return
		}
		h(w, r, t, p)
	}
}

func (s *Server) portalRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /t/{tenant}/portal", s.portal(s.portalHome))
	mux.HandleFunc("GET /t/{tenant}/portal/signin", s.portal(s.portalSignIn))
	mux.HandleFunc("POST /t/{tenant}/portal/signin", s.portal(s.portalSignIn))
	mux.HandleFunc("GET /t/{tenant}/portal/step", s.portal(s.portalStep))
	mux.HandleFunc("POST /t/{tenant}/portal/step", s.portal(s.portalStep))
	mux.HandleFunc("POST /t/{tenant}/portal/signout", s.portal(s.portalSignOut))
	mux.HandleFunc("GET /t/{tenant}/portal/authorize", s.portal(s.portalAuthorize))
	mux.HandleFunc("GET /t/{tenant}/portal/activate", s.portal(s.portalActivate))
	mux.HandleFunc("POST /t/{tenant}/portal/mfa", s.portal(s.portalMFASetup))
	mux.HandleFunc("GET /t/{tenant}/.well-known/jwks.json", s.jwks)
	s.labelRoutes(mux)
}

// issuer is the iss of the tenant's tokens: its public base URL.
func (s *Server) issuer(r *http.Request, slug string) string {
	base := strings.TrimRight(s.cfg.PublicURL, "/")
	if base == "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	return base + "/t/" + slug
}

func (s *Server) jwks(w http.ResponseWriter, r *http.Request) {
	t, err := tenant.Get(r.Context(), s.db, r.PathValue("tenant"))
	if err != nil {
		writeError(w, err)
		return
	}
	set, err := workforce.JWKS(r.Context(), s.db, t.ID)
	if err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=300")
	writeJSON(w, http.StatusOK, set)
}

// portalAuthorize sends a signed-in worker back to an app client's
// registered callback with a signed token (EdDSA JWT).
func (s *Server) portalAuthorize(w http.ResponseWriter, r *http.Request, t tenant.Tenant, p workforce.Policy) {
	c := s.portalSession(r, t, p)
	if c == nil || c.stage != identity.StagePortal {
		http.Redirect(w, r, "/t/"+t.Slug+"/portal/signin", http.StatusSeeOther)
		return
	}
	q := r.URL.Query()
	token, err := workforce.Authorize(r.Context(), s.db, t.ID, s.issuer(r, t.Slug), q.Get("client_id"), q.Get("redirect_uri"), c.user.ID, c.user.Email)
	if err != nil {
		http.Error(w, s.failure(r, err).Message, errcode.HTTPStatus(err))
		return
	}
	s.portalAudit(r, t, "worker:"+c.user.Email, "portal.authorize", q.Get("client_id"), "ok", nil)
	target, _ := url.Parse(q.Get("redirect_uri"))
	v := target.Query()
	v.Set("token", token)
	if st := q.Get("state"); st != "" {
		v.Set("state", st)
	}
	target.RawQuery = v.Encode()
	http.Redirect(w, r, target.String(), http.StatusSeeOther)
}

func (s *Server) portalAudit(r *http.Request, t tenant.Tenant, actor, action, target, outcome string, details map[string]any) {
	if details == nil {
		details = map[string]any{}
	}
	details["remote"] = s.clientAddr(r).String()
	s.logFailure(r, "audit: recording a portal act", s.audit.Note(r.Context(), s.db, audit.Record{Tenant: t.Slug, Actor: actor, Action: action, Target: target, Outcome: outcome, Details: details}))
}

// portalSessionRead is a portal request's session as read with its
// policy (portalLimit), settled on first use.
type portalSessionRead struct {
	read identity.SessionRead
	once sync.Once
	out  *caller
}

type portalSessionKey struct{}

// sessionOf is the hash of the session cookie the request carries, if it
// is one of tenant tenantID.
func (s *Server) sessionOf(r *http.Request, tenantID int64) string {
	prefix, value, err := s.credential(r)
	if err != nil || prefix != identity.SessionPrefix {
		return ""
	}
	id, hash, ok := identity.ParseCredential(prefix, value)
	if !ok || id != tenantID {
		return ""
	}
	return hash
}

// portalSession returns the worker's session in this tenant, if any, under
// the user pool's session policy (read by portalLimit with the policy).
func (s *Server) portalSession(r *http.Request, t tenant.Tenant, p workforce.Policy) *caller {
	sr, _ := r.Context().Value(portalSessionKey{}).(*portalSessionRead)
	if sr == nil {
		return nil
	}
	sr.once.Do(func() {
		if c, err := s.sessions.Settle(r.Context(), sr.read); err == nil {
			c.TenantSlug = t.Slug
			sr.out = callerOf(c)
		}
	})
	if sr.out == nil || sr.out.user.Role != identity.Worker {
		return nil
	}
	return sr.out
}

func (s *Server) portalHome(w http.ResponseWriter, r *http.Request, t tenant.Tenant, p workforce.Policy) {
	c := s.portalSession(r, t, p)
	if c == nil {
		http.Redirect(w, r, "/t/"+t.Slug+"/portal/signin", http.StatusSeeOther)
		return
	}
	if c.stage != identity.StagePortal {
		http.Redirect(w, r, "/t/"+t.Slug+"/portal/step", http.StatusSeeOther)
		return
	}
	teams, enrolled, err := workforce.Home(r.Context(), s.db, t.ID, c.user.ID)
	s.logFailure(r, "read what the page shows", err)
	s.render(w, r, http.StatusOK, "portal_home", portalData{Title: "Review portal", Tenant: t.Slug, Email: c.user.Email, Teams: teams,
		OfferMFA: p.UserPool.MFA == "optional" && !enrolled})
}

func (s *Server) portalSignIn(w http.ResponseWriter, r *http.Request, t tenant.Tenant, p workforce.Policy) {
	d := portalData{Title: "Sign in", Tenant: t.Slug, Step: "signin", Form: map[string]string{}, SSO: s.portalButtons(r, t.Slug)}
	if r.Method != http.MethodPost {
		s.render(w, r, http.StatusOK, "portal_signin", d)
		return
	}
	r.ParseForm()
	email := strings.ToLower(strings.TrimSpace(r.PostForm.Get("email")))
	d.Form["email"] = email
	if d.SSO != nil {
		// Opted in: the provider is the only way in, as at the main door
		// with password sign-in off.
		s.portalAudit(r, t, "anonymous", "portal.signin", email, "refused", map[string]any{"reason": "the workforce signs in with the identity provider"})
		d.Error = "This portal signs in with your organisation's identity provider."
		s.render(w, r, http.StatusUnauthorized, "portal_signin", d)
		return
	}
	// The same checks and the same messages whether or not the account exists.
	value, started, err := workforce.SignIn(r.Context(), s.db, t.ID, p, s.attempt(r, identity.PortalDoor, email, r.PostForm.Get("password"), p.UserPool.Lockout.MaxFailures))
	if err != nil {
		e := s.failure(r, err)
		if e.Code == errcode.Internal {
			writeError(w, err)
			return
		}
		s.portalRefused(r, t, "anonymous", "portal.signin", email, started, err)
		d.Error = e.Message
		if e.Code == errcode.Unauthenticated {
			d.Error = "The email or password is not right."
		}
		s.render(w, r, errcode.HTTPStatus(err), "portal_signin", d)
		return
	}
	s.portalAudit(r, t, "worker:"+email, "portal.signin", email, "ok", nil)
	http.SetCookie(w, s.cookie(value, int(s.cfg.Sessions.Absolute.Seconds())))
	http.Redirect(w, r, "/t/"+t.Slug+"/portal/step", http.StatusSeeOther)
}

// attempt is a sign-in attempt from this request's client.
func (s *Server) attempt(r *http.Request, door identity.Door, email, password string, maxFailures int) identity.Attempt {
	return identity.Attempt{Door: door, Email: email, Password: password, Remote: s.clientAddr(r).String(), MaxFailures: maxFailures}
}

// portalRefused audits a refused sign-in or step, and the delay it
// started, if any.
func (s *Server) portalRefused(r *http.Request, t tenant.Tenant, actor, action, target string, started time.Duration, err error) {
	if started > 0 {
		s.portalAudit(r, t, actor, "portal.lockout", target, "refused", map[string]any{"wait_seconds": int(started.Seconds())})
	}
	details := map[string]any{}
	if errcode.Is(err, errcode.RateLimited) {
		details["reason"] = "locked"
	}
	s.portalAudit(r, t, actor, action, target, "refused", details)
}

// portalMFASetup lets a worker of a pool with optional MFA enroll.
func (s *Server) portalMFASetup(w http.ResponseWriter, r *http.Request, t tenant.Tenant, p workforce.Policy) {
	c := s.portalSession(r, t, p)
	if c == nil || c.stage != identity.StagePortal || p.UserPool.MFA == "off" {
		http.Redirect(w, r, "/t/"+t.Slug+"/portal", http.StatusSeeOther)
		return
	}
	s.logFailure(r, "start MFA enrollment", workforce.OfferEnrollment(r.Context(), s.db, t.ID, c.sessionHash))
	http.Redirect(w, r, "/t/"+t.Slug+"/portal/step", http.StatusSeeOther)
}

// portalActivate is the one-time link of an activation-link invitation: its
// code stands in for the temporary password, then the steps follow.
func (s *Server) portalActivate(w http.ResponseWriter, r *http.Request, t tenant.Tenant, p workforce.Policy) {
	q := r.URL.Query()
	value, started, err := workforce.Activate(r.Context(), s.db, t.ID, s.attempt(r, identity.PortalDoor, q.Get("email"), q.Get("code"), p.UserPool.Lockout.MaxFailures))
	if err != nil {
		if s.failure(r, err).Code == errcode.Internal {
			writeError(w, err)
			return
		}
		s.portalRefused(r, t, "anonymous", "portal.activate", q.Get("email"), started, err)
		s.render(w, r, http.StatusUnauthorized, "portal_signin", portalData{Title: "Sign in", Tenant: t.Slug, Step: "signin", Form: map[string]string{},
			Error: "This activation link is not valid or has expired."})
		return
	}
	s.portalAudit(r, t, "worker:"+q.Get("email"), "portal.activate", q.Get("email"), "ok", nil)
	http.SetCookie(w, s.cookie(value, int(s.cfg.Sessions.Absolute.Seconds())))
	http.Redirect(w, r, "/t/"+t.Slug+"/portal/step", http.StatusSeeOther)
}

// portalStep runs the step the session is at: a new password, TOTP
// enrollment or a TOTP code.
func (s *Server) portalStep(w http.ResponseWriter, r *http.Request, t tenant.Tenant, p workforce.Policy) {
	c := s.portalSession(r, t, p)
	if c == nil {
		http.Redirect(w, r, "/t/"+t.Slug+"/portal/signin", http.StatusSeeOther)
		return
	}
	if c.stage == identity.StagePortal {
		http.Redirect(w, r, "/t/"+t.Slug+"/portal", http.StatusSeeOther)
		return
	}
	d := portalData{Title: map[string]string{"password": "Choose a password", "mfa_enroll": "Set up two-step sign-in", "mfa": "Two-step sign-in"}[c.stage],
		Tenant: t.Slug, Step: c.stage, MinLength: p.UserPool.Password.MinLength}
	status := http.StatusOK
	if r.Method == http.MethodPost {
		r.ParseForm()
		var started time.Duration
		var err error
		switch c.stage {
		case "password":
			err = workforce.ChooseOwnPassword(r.Context(), s.db, t.ID, p, c.user, c.sessionHash, r.PostForm.Get("new"), r.PostForm.Get("confirm"))
		case "mfa_enroll", "mfa":
			started, err = workforce.CheckCode(r.Context(), s.db, t.ID, p, c.user, c.sessionHash, r.PostForm.Get("code"), s.clientAddr(r).String())
		}
		action := map[string]string{"password": "portal.password_change", "mfa_enroll": "portal.mfa_enroll", "mfa": "portal.mfa"}[c.stage]
		if err == nil {
			s.portalAudit(r, t, "worker:"+c.user.Email, action, c.user.Email, "ok", nil)
			http.Redirect(w, r, "/t/"+t.Slug+"/portal/step", http.StatusSeeOther)
			return
		}
		if s.failure(r, err).Code == errcode.Internal {
			writeError(w, err)
			return
		}
		s.portalRefused(r, t, "worker:"+c.user.Email, action, c.user.Email, started, err)
		d.Error, status = s.failure(r, err).Message, errcode.HTTPStatus(err)
	}
	if c.stage == "mfa_enroll" {
		key, err := workforce.BeginEnrollment(r.Context(), s.db, t.ID, t.Slug, c.user)
		if err == nil {
			d.Secret = key.Secret()
			d.QR, err = qrSVG(key.URL())
		}
		if err != nil {
			writeError(w, err)
			return
		}
	}
	s.render(w, r, status, "portal_signin", d)
}

func (s *Server) portalSignOut(w http.ResponseWriter, r *http.Request, t tenant.Tenant, p workforce.Policy) {
	if c := s.portalSession(r, t, p); c != nil {
		s.logFailure(r, "portal sign out", identity.SignOut(r.Context(), s.db, t.ID, c.sessionHash))
	}
	http.SetCookie(w, s.cookie("", -1))
	http.Redirect(w, r, "/t/"+t.Slug+"/portal/signin", http.StatusSeeOther)
}

// qrSVG draws a QR code as SVG squares.
func qrSVG(content string) (template.HTML, error) {
	code, err := qr.Encode(content, qr.M, qr.Auto)
	if err != nil {
		return "", err
	}
	n := code.Bounds().Dx()
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="-4 -4 %d %d" role="img" aria-label="QR code" shape-rendering="crispEdges"><rect x="-4" y="-4" width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n+8, n+8, n+8, n+8)
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			if r, _, _, _ := code.At(x, y).RGBA(); r == 0 {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x, y)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return template.HTML(b.String()), nil
}
