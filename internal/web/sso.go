package web

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/sso"
	"github.com/scry-dev/scry/internal/tenant"
	"github.com/scry-dev/scry/internal/workforce"
)

// signInOptions is what a tenant's sign-in page offers.
type signInOptions struct {
	Tenant      string      // fixed when the page is the tenant's own
	Buttons     []ssoButton // "Sign in with …"
	PasswordOff bool
	Workforce   bool // the workforce signs in at its portal with the provider too
}

type ssoButton struct{ Protocol, Name, URL string }

// ssoRoutes are single sign-on's doors: a tenant's sign-in page, the way
// out to its identity provider and the way back, and its SAML metadata.
func (s *Server) ssoRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /t/{tenant}/signin", s.tenantSignInPage)
	mux.HandleFunc("GET /t/{tenant}/sso/oidc/start", s.ssoDoor(s.oidcStart))
	// The workforce's way in when the tenant opted it in: the portal's
	// allow-list applies, and the answer opens a portal session.
	mux.HandleFunc("GET /t/{tenant}/portal/sso/{protocol}/start", s.portal(s.portalSSOStart))
	mux.HandleFunc("GET /t/{tenant}/sso/oidc/callback", s.ssoDoor(s.oidcCallback))
	mux.HandleFunc("GET /t/{tenant}/sso/saml/start", s.ssoDoor(s.samlStart))
	mux.HandleFunc("POST /t/{tenant}/sso/saml/acs", s.ssoDoor(s.samlACS))
	mux.HandleFunc("GET /t/{tenant}/sso/saml/metadata", s.ssoDoor(s.samlMetadata))
	mux.HandleFunc("GET /admin/sso", s.page(admins, s.ssoPage))
	mux.HandleFunc("POST /admin/sso", s.page(admins, s.ssoPage))
}

// ssoBypass is the one cross-origin POST scry takes: the SAML response an
// identity provider's page posts to the ACS. It carries no session; what
// protects it is the IdP's signature, the pending request it must answer
// and the replay check.
const ssoBypass = "POST /t/{tenant}/sso/saml/acs"

func (s *Server) ssoDoor(h func(w http.ResponseWriter, r *http.Request, t tenant.Tenant)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if rl, _ := r.Context().Value(logKey).(*reqLog); rl != nil {
			rl.route = r.Method + " " + r.Pattern
		}
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		t, err := tenant.Get(r.Context(), s.db, r.PathValue("tenant"))
		if err != nil {
			http.Error(w, "There is no such organisation.", http.StatusNotFound)
			return
		}
		h(w, r, t)
	}
}

// publicBase is scry's address as people reach it: --public-url, or the
// request's own.
func (s *Server) publicBase(r *http.Request) string {
	if b := strings.TrimRight(s.cfg.PublicURL, "/"); b != "" {
		return b
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (s *Server) oidcRedirect(r *http.Request, slug string) string {
	return s.publicBase(r) + "/t/" + slug + "/sso/oidc/callback"
}

// signInOptionsFor reads what tenant slug's sign-in page offers; a tenant
// that does not exist, or has no single sign-on, offers the password form.
func (s *Server) signInOptionsFor(r *http.Request, slug string) *signInOptions {
	o := &signInOptions{Tenant: slug}
	t, err := tenant.Get(r.Context(), s.db, slug)
	if err != nil {
		return o
	}
	cfg, err := sso.Show(r.Context(), s.db, t.ID)
	if err != nil {
		if !errcode.Is(err, errcode.NotFound) {
			s.logFailure(r, "read SSO settings", err)
		}
		return o
	}
	if cfg.OIDC != nil {
		o.Buttons = append(o.Buttons, ssoButton{"oidc", cfg.OIDC.Name, "/t/" + t.Slug + "/sso/oidc/start"})
	}
	if cfg.SAML != nil {
		o.Buttons = append(o.Buttons, ssoButton{"saml", cfg.SAML.Name, "/t/" + t.Slug + "/sso/saml/start"})
	}
	o.PasswordOff, o.Workforce = !cfg.PasswordAllowed(), cfg.WorkforcePortal
	return o
}

func (s *Server) tenantSignInPage(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("tenant")
	s.render(w, r, http.StatusOK, "signin", pageData{Title: "Sign in", Form: map[string]string{"tenant": slug}, SignIn: s.signInOptionsFor(r, slug)})
}

// ssoCookie binds a sign-in at the provider to the browser that started
// it: the provider's answer is taken only with it.
const ssoCookie = "scry_sso"

func (s *Server) oidcStart(w http.ResponseWriter, r *http.Request, t tenant.Tenant) {
	s.oidcBegin(w, r, t, false)
}

func (s *Server) oidcBegin(w http.ResponseWriter, r *http.Request, t tenant.Tenant, portal bool) {
	u, binding, err := s.sso.BeginOIDC(r.Context(), t, s.oidcRedirect(r, t.Slug), portal)
	if err != nil {
		s.ssoFailed(w, r, t, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: ssoCookie, Value: binding, Path: "/t/" + t.Slug + "/sso/", HttpOnly: true, Secure: s.tls(),
		SameSite: http.SameSiteLaxMode, MaxAge: int((10 * time.Minute).Seconds())})
	http.Redirect(w, r, u, http.StatusFound)
}

func (s *Server) oidcCallback(w http.ResponseWriter, r *http.Request, t tenant.Tenant) {
	binding := ""
	if c, err := r.Cookie(ssoCookie); err == nil {
		binding = c.Value
	}
	http.SetCookie(w, &http.Cookie{Name: ssoCookie, Value: "", Path: "/t/" + t.Slug + "/sso/", HttpOnly: true, Secure: s.tls(), MaxAge: -1})
	out, person, err := s.sso.FinishOIDC(r.Context(), t, s.oidcRedirect(r, t.Slug), r.URL.Query(), binding, s.clientAddr(r).String())
	s.ssoSignedIn(w, r, t, "oidc", out, person, err)
}

func (s *Server) samlStart(w http.ResponseWriter, r *http.Request, t tenant.Tenant) {
	s.samlBegin(w, r, t, false)
}

func (s *Server) samlBegin(w http.ResponseWriter, r *http.Request, t tenant.Tenant, portal bool) {
	u, err := s.sso.BeginSAML(r.Context(), t, s.publicBase(r), portal)
	if err != nil {
		s.ssoFailed(w, r, t, err)
		return
	}
	http.Redirect(w, r, u, http.StatusFound)
}

// portalSSOStart sends a workforce member to the tenant's identity
// provider, when the tenant opted the workforce in.
func (s *Server) portalSSOStart(w http.ResponseWriter, r *http.Request, t tenant.Tenant, _ workforce.Policy) {
	if !s.signInOptionsFor(r, t.Slug).Workforce {
		http.Error(w, "This review portal signs in with passwords.", http.StatusNotFound)
		return
	}
	switch r.PathValue("protocol") {
	case "oidc":
		s.oidcBegin(w, r, t, true)
	case "saml":
		s.samlBegin(w, r, t, true)
	default:
		http.NotFound(w, r)
	}
}

// portalButtons are the portal's "Sign in with …" when the workforce is
// opted in to single sign-on (nil otherwise).
func (s *Server) portalButtons(r *http.Request, slug string) []ssoButton {
	o := s.signInOptionsFor(r, slug)
	if !o.Workforce {
		return nil
	}
	out := make([]ssoButton, len(o.Buttons))
	for i, b := range o.Buttons {
		out[i] = ssoButton{b.Protocol, b.Name, "/t/" + slug + "/portal/sso/" + b.Protocol + "/start"}
	}
	return out
}

func (s *Server) samlACS(w http.ResponseWriter, r *http.Request, t tenant.Tenant) {
	if err := r.ParseForm(); err != nil {
		s.ssoSignedIn(w, r, t, "saml", sso.Outcome{}, sso.Person{}, errcode.New(errcode.Invalid, "The identity provider's answer is not a form"))
		return
	}
	out, person, err := s.sso.FinishSAML(r.Context(), t, s.publicBase(r), r, s.clientAddr(r).String())
	s.ssoSignedIn(w, r, t, "saml", out, person, err)
}

func (s *Server) samlMetadata(w http.ResponseWriter, r *http.Request, t tenant.Tenant) {
	b, err := s.sso.SPMetadata(r.Context(), t, s.publicBase(r))
	if err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/samlmetadata+xml")
	w.Write(b)
}

// ssoSignedIn sets the session of a finished sign-in (its cookie lives as
// long as the session may) or shows the tenant's sign-in page with the
// refusal, which the audit log records with its reason.
func (s *Server) ssoSignedIn(w http.ResponseWriter, r *http.Request, t tenant.Tenant, protocol string, out sso.Outcome, p sso.Person, err error) {
	if err != nil {
		err = s.sso.Refused(r.Context(), t.Slug, protocol, p.Email, s.clientAddr(r).String(), err)
		s.ssoFailed(w, r, t, err)
		return
	}
	if rl, _ := r.Context().Value(logKey).(*reqLog); rl != nil {
		rl.tenant, rl.user = t.Slug, out.User.Email
	}
	http.SetCookie(w, s.cookie(out.Session, max(1, int(time.Until(out.Ends).Seconds()))))
	if out.Portal {
		http.Redirect(w, r, "/t/"+t.Slug+"/portal", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/ask", http.StatusSeeOther)
}

func (s *Server) ssoFailed(w http.ResponseWriter, r *http.Request, t tenant.Tenant, err error) {
	s.render(w, r, errcode.HTTPStatus(err), "signin", pageData{Title: "Sign in", Form: map[string]string{"tenant": t.Slug},
		Error: s.failure(r, err).Message, SignIn: s.signInOptionsFor(r, t.Slug)})
}

// passwordRefused says whether tenantID has switched password sign-in off
// at the main door.
func (s *Server) passwordRefused(r *http.Request, tenantID int64) (bool, error) {
	on, err := sso.PasswordAllowed(r.Context(), s.db, tenantID)
	return !on, err
}

// ssoPage is the admin's page of the tenant's single sign-on: what is set
// (never the secrets), the addresses to give the identity provider, the
// settings to edit (sso.yaml, read as strictly as by `scry sso set`, the
// IdP metadata as an upload), removal, and the password switch. Password
// sign-in can be switched off here only from a session opened through
// the provider — proof that the way in works; the way back is `scry sso
// set` or `scry sso remove` on the server. Each change is audited.
func (s *Server) ssoPage(w http.ResponseWriter, r *http.Request, c *caller) {
	d := s.base(c, "Single sign-on", "sso")
	t, err := tenant.Get(r.Context(), s.db, c.tenantSlug)
	if err != nil {
		http.Error(w, "No such organisation.", http.StatusNotFound)
		return
	}
	current := func() *sso.Config {
		cfg, err := sso.Show(r.Context(), s.db, t.ID)
		if err != nil && !errcode.Is(err, errcode.NotFound) {
			s.logFailure(r, "read SSO settings", err)
		}
		return cfg
	}
	cfg := current()
	draft := ""
	if r.Method == http.MethodPost {
		if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
			d.Error = "The form could not be read."
		} else if notice, err := s.ssoChange(r, c, t, cfg); err != nil {
			// The admin's draft stays in the editor with the problems.
			e := s.failure(r, err)
			d.Error, d.Problems, draft = e.Message, e.Details, r.PostForm.Get("settings")
		} else {
			d.Notice, cfg = notice, current()
		}
	}
	if draft == "" && cfg != nil {
		draft = cfg.EditableYAML()
	}
	meta, acs := sso.SPURLs(s.publicBase(r), t.Slug)
	d.SSO = &ssoView{Config: cfg, Callback: s.oidcRedirect(r, t.Slug), Metadata: meta.String(), ACS: acs.String(), Draft: draft}
	status := http.StatusOK
	if d.Error != "" {
		status = http.StatusBadRequest
	}
	s.render(w, r, status, "sso", d)
}

// ssoChange carries out the page's form: set, remove or the password
// switch; it returns what to tell the admin.
func (s *Server) ssoChange(r *http.Request, c *caller, t tenant.Tenant, cfg *sso.Config) (string, error) {
	by := s.actor(c)
	switch r.PostForm.Get("action") {
	case "set":
		old := cfg
		if old == nil {
			old = &sso.Config{} // nothing to keep
		}
		var upload []byte
		if f, _, err := r.FormFile("idp_metadata"); err == nil {
			upload, err = io.ReadAll(f)
			f.Close()
			if err != nil {
				return "", errcode.New(errcode.Invalid, "The IdP metadata file could not be read")
			}
		}
		next, err := sso.ParseKeeping([]byte(r.PostForm.Get("settings")), "settings", old, upload)
		if err != nil {
			return "", err
		}
		if !next.PasswordAllowed() && cfg.PasswordAllowed() {
			if err := s.viaProvider(r, c); err != nil {
				return "", err
			}
		}
		if err := sso.Set(r.Context(), by, s.sso.KeyFile, next); err != nil {
			return "", err
		}
		s.sso.Forget(t.ID)
		return "Single sign-on is set.", nil
	case "remove":
		if r.PostForm.Get("confirm") != t.Slug {
			return "", errcode.New(errcode.Invalid, "Type the organisation's name, %s, to remove single sign-on", t.Slug)
		}
		if err := sso.RemoveFor(r.Context(), by); err != nil {
			return "", err
		}
		s.sso.Forget(t.ID)
		return "Single sign-on is removed: people sign in with passwords again.", nil
	default:
		on := r.PostForm.Get("password_signin") == "on"
		if err := s.switchPassword(r, c, on); err != nil {
			return "", err
		}
		if on {
			return "Password sign-in is on.", nil
		}
		return "Password sign-in is off: people sign in with the identity provider.", nil
	}
}

type ssoView struct {
	Config                  *sso.Config
	Callback, Metadata, ACS string
	Draft                   string // the settings in the editor
}

func (s *Server) switchPassword(r *http.Request, c *caller, on bool) error {
	if !on {
		if err := s.viaProvider(r, c); err != nil {
			return err
		}
	}
	return sso.SwitchPasswordSignIn(r.Context(), s.actor(c), on)
}

// viaProvider refuses unless the caller's session was opened through the
// identity provider: password sign-in goes off only when that way in is
// shown to work for admins.
func (s *Server) viaProvider(r *http.Request, c *caller) error {
	via, err := identity.OpenedVia(r.Context(), s.db, c.tenantID, c.sessionHash)
	if err != nil {
		return err
	}
	if via != "oidc" && via != "saml" {
		return errcode.New(errcode.Conflict, "Sign in with the identity provider first: password sign-in is switched off only from a session that proves the provider lets admins in")
	}
	return nil
}
