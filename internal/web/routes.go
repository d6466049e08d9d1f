package web

import (
	_ "embed"
	"errors"
	"net/http"

	"github.com/scry-dev/scry/internal/ask"
	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/tenant"
)

//go:embed openapi.json
var openapi []byte

var admins = []string{"admin"}

func (s *Server) routeTable() []route {
	return []route{
		{method: "GET", path: "/healthz", public: true, handle: s.healthz},
		{method: "GET", path: "/metrics", public: true, handle: s.serveMetrics},
		{method: "GET", path: "/api/openapi.json", public: true, handle: s.openAPI},
		{method: "POST", path: "/api/v1/session", public: true, handle: s.signIn},
		{method: "DELETE", path: "/api/v1/session", handle: s.signOut},
		{method: "DELETE", path: "/api/v1/sessions", handle: s.signOutEverywhere},
		{method: "GET", path: "/api/v1/me", handle: s.me},
		{method: "POST", path: "/api/v1/ask", handle: s.ask},
		{method: "GET", path: "/api/v1/history", handle: s.history},
		{method: "GET", path: "/api/v1/users", roles: admins, handle: s.listUsers},
		{method: "POST", path: "/api/v1/users", roles: admins, handle: s.addUser},
		{method: "DELETE", path: "/api/v1/users/{email}", roles: admins, handle: s.removeUser},
		{method: "POST", path: "/api/v1/imports/hr", roles: []string{"admin", "hr"}, handle: s.importHR},
		{method: "GET", path: "/api/v1/label/jobs", roles: admins, handle: s.listLabelJobs},
		{method: "POST", path: "/api/v1/label/jobs", roles: admins, handle: s.createLabelJob},
		{method: "GET", path: "/api/v1/label/jobs/{id}", roles: admins, handle: s.labelJobProgress},
		{method: "GET", path: "/api/v1/label/jobs/{id}/export", roles: admins, handle: s.exportLabelJob},
	}
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request, _ *caller) error {
	if err := s.db.ReadGlobal(r.Context(), func(tx *store.Tx) error { return tx.QueryRowContext(r.Context(), "select 1").Scan(new(int)) }); err != nil {
		return errcode.Wrap(errcode.Unavailable, err, "The database does not answer")
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
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

func (s *Server) record(r *http.Request, tenantID int64, slug, actor, action, target string, details map[string]any, change func(*store.Tx) error) error {
	return s.audit.Record(r.Context(), s.db, tenantID, audit.Record{Tenant: slug, Actor: actor, Action: action, Target: target, Details: details}, change)
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
		return "", errcode.New(errcode.Unauthenticated, "The tenant, email or password is not right")
	}
	remote := s.clientAddr(r).String()
	var value string
	started, err := identity.SignIn(r.Context(), s.db, t.ID, s.attempt(r, identity.AppDoor, email, password, identity.DefaultMaxFailures),
		func(tx *store.Tx, a identity.Account) error {
			var err error
			if value, err = identity.NewSession(r.Context(), tx, a.ID); err != nil {
				return err
			}
			return audit.Append(r.Context(), tx, audit.Record{Tenant: t.Slug, Actor: "user:" + a.Email, Action: "session.signin", Target: a.Email, Outcome: "ok",
				Details: map[string]any{"remote": remote}})
		})
	if err != nil {
		details := map[string]any{"remote": remote}
		switch {
		case errors.Is(err, identity.ErrWrongDoor):
			details["reason"] = "workforce account at the main sign-in"
		case errcode.Is(err, errcode.RateLimited):
			details["reason"] = "locked"
		}
		s.db.Global(r.Context(), func(tx *store.Tx) error {
			if started > 0 {
				if err := audit.Append(r.Context(), tx, audit.Record{Tenant: t.Slug, Actor: "anonymous", Action: "session.lockout", Target: email, Outcome: "refused",
					Details: map[string]any{"remote": remote, "wait_seconds": int(started.Seconds())}}); err != nil {
					return err
				}
			}
			return audit.Append(r.Context(), tx, audit.Record{Tenant: t.Slug, Actor: "anonymous", Action: "session.signin", Target: email, Outcome: "refused", Details: details})
		})
	}
	s.audit.Publish(r.Context(), s.db)
	return value, err
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request, c *caller) error {
	if c.sessionHash != "" {
		if err := s.db.InTenant(r.Context(), c.tenantID, func(tx *store.Tx) error { return identity.EndSession(r.Context(), tx, c.sessionHash) }); err != nil {
			return err
		}
	}
	http.SetCookie(w, s.cookie("", -1))
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) signOutEverywhere(w http.ResponseWriter, r *http.Request, c *caller) error {
	err := s.record(r, c.tenantID, c.tenantSlug, "user:"+c.user.Email, "session.signout_everywhere", c.user.Email, nil, func(tx *store.Tx) error {
		return identity.EndAllSessions(r.Context(), tx, c.user.ID)
	})
	if err != nil {
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
}

// ask answers exactly as `scry ask --json`; the identity is the caller's.
func (s *Server) ask(w http.ResponseWriter, r *http.Request, c *caller) error {
	var req askRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	ans, err := s.answer(r, c, req.Question, req.Now)
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
	var h []ask.HistoryEntry
	err := s.db.ReadTenant(r.Context(), c.tenantID, func(tx *store.Tx) error {
		var err error
		h, err = ask.History(r.Context(), tx, c.user.ID, 50)
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"history": h})
	return nil
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request, c *caller) error {
	var us []identity.User
	err := s.db.ReadTenant(r.Context(), c.tenantID, func(tx *store.Tx) error {
		var err error
		us, err = identity.List(r.Context(), tx)
		return err
	})
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
	u := identity.User{Email: req.Email, Role: role, EmployeeID: req.EmployeeID, Name: req.Name}
	err = s.record(r, c.tenantID, c.tenantSlug, "user:"+c.user.Email, "user.add", req.Email, map[string]any{"role": role}, func(tx *store.Tx) error {
		u, err = identity.Add(r.Context(), tx, u)
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, u)
	return nil
}

func (s *Server) removeUser(w http.ResponseWriter, r *http.Request, c *caller) error {
	email := r.PathValue("email")
	err := s.record(r, c.tenantID, c.tenantSlug, "user:"+c.user.Email, "user.remove", email, nil, func(tx *store.Tx) error {
		return identity.Remove(r.Context(), tx, email)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// importHR takes employees, shifts and absences as a multipart upload and
// imports them all-or-nothing into the caller's tenant.
func (s *Server) importHR(w http.ResponseWriter, r *http.Request, c *caller) error {
	counts, err := s.importUpload(r, c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, counts)
	return nil
}
