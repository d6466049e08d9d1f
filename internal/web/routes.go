package web

import (
	"context"
	_ "embed"
	"errors"
	"net/http"
	"time"

	"github.com/scry-dev/scry/internal/ask"
	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/tenant"
)

//go:embed openapi.json
var openapi []byte

var admins = []identity.Role{identity.Admin}

// people are the organisation's own roles: everyone but workforce workers,
// who only have the labeling portal.
var people = []identity.Role{identity.Admin, identity.HR, identity.Manager, identity.Employee}

// importers may load a tenant's HR data.
var importers = []identity.Role{identity.Admin, identity.HR}

func (s *Server) routeTable() []route {
	return []route{
		{method: "GET", path: "/healthz", public: true, handle: s.healthz},
		{method: "GET", path: "/metrics", public: true, handle: s.serveMetrics},
		{method: "GET", path: "/api/openapi.json", public: true, handle: s.openAPI},
		{method: "POST", path: "/api/v1/session", public: true, handle: s.signIn},
		{method: "DELETE", path: "/api/v1/session", handle: s.signOut},
		{method: "DELETE", path: "/api/v1/sessions", handle: s.signOutEverywhere},
		{method: "GET", path: "/api/v1/me", handle: s.me},
		{method: "POST", path: "/api/v1/ask", roles: people, handle: s.ask},
		{method: "GET", path: "/api/v1/history", roles: people, handle: s.history},
		{method: "GET", path: "/api/v1/users", roles: admins, handle: s.listUsers},
		{method: "POST", path: "/api/v1/users", roles: admins, handle: s.addUser},
		{method: "DELETE", path: "/api/v1/users/{email}", roles: admins, handle: s.removeUser},
		{method: "POST", path: "/api/v1/users/{email}/invitation", roles: admins, handle: s.reinviteUser},
		{method: "POST", path: "/api/v1/imports/hr", roles: importers, upload: true, handle: s.importHR},
		{method: "POST", path: "/api/v1/videos", roles: admins, upload: true, handle: s.addVideo},
		{method: "POST", path: "/api/v1/videos/{video}/analyses", roles: admins, handle: s.startAnalysis},
		{method: "GET", path: "/api/v1/videos/{video}/analyses/{analysis}", roles: admins, handle: s.analysisStatus},
		{method: "GET", path: "/api/v1/label/jobs", roles: admins, handle: s.listLabelJobs},
		{method: "POST", path: "/api/v1/label/jobs", roles: admins, handle: s.createLabelJob},
		{method: "GET", path: "/api/v1/label/jobs/{id}", roles: admins, handle: s.labelJobProgress},
		{method: "GET", path: "/api/v1/label/jobs/{id}/export", roles: admins, handle: s.exportLabelJob},
	}
}

// healthz says whether this server can work: the database and the object
// store both answer (within 5 s). A load balancer takes a server whose
// answer is 503 out of rotation; the log says why, the answer says which.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request, _ *caller) error {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	status, out := http.StatusOK, map[string]string{"status": "ok", "database": "ok", "object_store": "ok"}
	check := func(name string, err error) {
		if err != nil {
			s.log.Warn("health check failed", "part", name, "err", err)
			status, out["status"], out[name] = http.StatusServiceUnavailable, "unavailable", "unavailable"
		}
	}
	check("database", s.db.Ping(ctx))
	check("object_store", s.cfg.Objects.Check(ctx))
	writeJSON(w, status, out)
	return nil
}

func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request, _ *caller) error {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	s.metrics.write(w)
	return nil
}

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request, _ *caller) error {
	w.Header().Set("Content-Type", "application/json")
	w.Write(openapi)
	return nil
}

func (s *Server) cookie(value string, maxAge int) *http.Cookie {
	name := "scry_session" // browsers accept __Host- cookies only when Secure
	if s.tls() {
		name = cookieName
	}
	return &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, Secure: s.tls(), SameSite: http.SameSiteLaxMode, MaxAge: maxAge}
}

// actor is the signed-in caller as the audit log names them.
func (s *Server) actor(c *caller) audit.Actor {
	return audit.Actor{DB: s.db, Log: s.audit, TenantID: c.tenantID, Tenant: c.tenantSlug, Name: c.actor()}
}

type signInRequest struct {
	Tenant   string `json:"tenant"`
	Email    string `json:"email"`
	Password string `json:"password"`
}

// signIn starts a session; every failure answers the same 401.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request, _ *caller) error {
	var req signInRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	value, err := s.startSession(r, req.Tenant, req.Email, req.Password)
	if err != nil {
		return err
	}
	http.SetCookie(w, s.cookie(value, int(s.cfg.Sessions.Absolute.Seconds())))
	c, err := s.authenticateValue(r, identity.SessionPrefix, value, s.cfg.Sessions)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"user": c.user, "tenant": c.tenantSlug})
	return nil
}

// startSession checks the credentials and opens a session (a new id at
// every sign-in); success and failure are both audited. Workforce accounts
// are refused here exactly like a wrong password: they sign in through
// their portal, which enforces their pool's MFA and lockout.
func (s *Server) startSession(r *http.Request, slug, email, password string) (string, error) {
	t, terr := tenant.Get(r.Context(), s.db, slug)
	if terr != nil {
		identity.SpendPasswordTime(password) // the same work as a wrong password
		// Installation-wide (no tenant label): the slug is whatever was typed.
		s.auditFailedSignIn(r, "", "session.signin", email, map[string]any{"remote": s.clientAddr(r).String(), "tenant": audit.CapText(slug), "reason": "unknown tenant"})
		return "", errcode.New(errcode.Unauthenticated, "The tenant, email or password is not right")
	}
	remote := s.clientAddr(r).String()
	if off, err := s.passwordRefused(r, t.ID); err != nil {
		return "", err
	} else if off {
		identity.SpendPasswordTime(password)
		s.auditFailedSignIn(r, t.Slug, "session.signin", email, map[string]any{"remote": remote, "reason": "password sign-in is off for this tenant"})
		return "", errcode.New(errcode.Unauthenticated, "This organisation signs in with its identity provider: use the button on its sign-in page (/t/%s/signin)", t.Slug)
	}
	value, started, err := identity.SignIn(r.Context(), s.db, t.ID, s.attempt(r, identity.AppDoor, email, password, identity.DefaultMaxFailures),
		func(identity.Account) (string, error) { return identity.StageApp, nil },
		func(a identity.Account) audit.Record {
			return audit.Record{Tenant: t.Slug, Actor: "user:" + a.Email, Action: "session.signin", Target: a.Email, Outcome: audit.OutcomeOK,
				Details: map[string]any{"remote": remote}}
		})
	if err != nil {
		details := map[string]any{"remote": remote}
		switch {
		case errors.Is(err, identity.ErrWrongDoor):
			details["reason"] = "workforce account at the main sign-in"
		case errcode.Is(err, errcode.RateLimited):
			details["reason"] = "locked"
		}
		if started > 0 {
			s.auditFailedSignIn(r, t.Slug, "session.lockout", email, map[string]any{"remote": remote, "wait_seconds": int(started.Seconds())})
		}
		s.auditFailedSignIn(r, t.Slug, "session.signin", email, details)
		return "", err
	}
	if err := s.audit.Publish(r.Context(), s.db); err != nil {
		s.log.Warn("audit: signing a tree head failed; the next one covers this sign-in", "err", err)
	}
	return value, nil
}

// auditFailedSignIn records a refused sign-in. Anyone can cause one, so it
// shares a signed head with its burst (PublishSoon) instead of writing a
// head file each.
func (s *Server) auditFailedSignIn(r *http.Request, slug, action, email string, details map[string]any) {
	rec := audit.Record{Tenant: slug, Actor: "anonymous", Action: action, Target: audit.CapText(email), Outcome: audit.OutcomeRefused, Details: details}
	s.logFailure(r, "audit: recording a failed sign-in", s.audit.Note(r.Context(), s.db, rec))
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request, c *caller) error {
	if c.sessionHash != "" {
		if err := identity.SignOut(r.Context(), s.db, c.tenantID, c.sessionHash); err != nil {
			return err
		}
	}
	http.SetCookie(w, s.cookie("", -1))
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) signOutEverywhere(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := identity.SignOutEverywhere(r.Context(), s.actor(c), c.user); err != nil {
		return err
	}
	http.SetCookie(w, s.cookie("", -1))
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) me(w http.ResponseWriter, r *http.Request, c *caller) error {
	writeJSON(w, http.StatusOK, map[string]any{"user": c.user, "tenant": c.tenantSlug})
	return nil
}

type askRequest struct {
	Question string `json:"question"`
	Now      string `json:"now,omitempty"`
	// Context is the previous answer's query, for a follow-up ("what about
	// last year?"); it is validated and scoped like any query.
	Context *ask.Query `json:"context,omitempty"`
}

// ask answers exactly as `scry ask --json`; the identity is the caller's.
func (s *Server) ask(w http.ResponseWriter, r *http.Request, c *caller) error {
	var req askRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	ans, err := s.answer(r, c, req.Question, req.Now, req.Context)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if ans.Error != nil {
		status = errcode.HTTPStatus(&errcode.Error{Code: ans.Error.Code})
	}
	ans.Explain = nil
	writeJSON(w, status, ans)
	return nil
}

func (s *Server) history(w http.ResponseWriter, r *http.Request, c *caller) error {
	h, err := ask.History(r.Context(), s.db, c.tenantID, c.user.ID, 50)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"history": h})
	return nil
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request, c *caller) error {
	us, err := identity.Users(r.Context(), s.db, c.tenantID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": us})
	return nil
}

type addUserRequest struct {
	Email      string `json:"email"`
	Role       string `json:"role"`
	EmployeeID string `json:"employee_id,omitempty"`
	Name       string `json:"name,omitempty"`
}

func (s *Server) addUser(w http.ResponseWriter, r *http.Request, c *caller) error {
	var req addUserRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	role, err := identity.ParseRole(req.Role)
	if err != nil {
		return err
	}
	u, sent, err := s.addUserInvited(r, c, identity.User{Email: req.Email, Role: role, EmployeeID: req.EmployeeID, Name: req.Name})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, struct {
		identity.User
		Invitation sentInvitation `json:"invitation"`
	}{u, sent})
	return nil
}

// reinviteUser sends a user who has not chosen a password a new invitation.
func (s *Server) reinviteUser(w http.ResponseWriter, r *http.Request, c *caller) error {
	sent, err := s.resendInvitation(r, c, r.PathValue("email"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"invitation": sent})
	return nil
}

func (s *Server) removeUser(w http.ResponseWriter, r *http.Request, c *caller) error {
	if _, err := identity.RemoveUser(r.Context(), s.actor(c), r.PathValue("email")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// importHR takes employees, shifts and absences as a multipart upload and
// imports them all-or-nothing into the caller's tenant.
func (s *Server) importHR(w http.ResponseWriter, r *http.Request, c *caller) error {
	counts, err := s.importUpload(r, c, false)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, counts)
	return nil
}
