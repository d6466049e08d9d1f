package sso

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/tenant"
)

// Service runs single sign-on for every tenant of an installation.
type Service struct {
	DB    *store.DB
	Audit *audit.Log
	// KeyFile holds the key the tenants' SSO secrets are sealed with
	// (DefaultKeyFile when empty); it is read at the first sign-in.
	KeyFile string
	// HTTP talks to identity providers (discovery, keys, tokens, metadata).
	HTTP *http.Client
	// SessionMax bounds every session (the server's absolute limit).
	SessionMax time.Duration
	Log        *slog.Logger

	sealerOnce sync.Once
	sealer     *Sealer
	sealerErr  error
	providers  sync.Map // tenant id → *oidcProvider
	sps        sync.Map // tenant id → *samlSP
}

// Forget drops what is kept of tenant tenantID's providers (discovery,
// keys, IdP metadata), so settings just changed take effect at once.
func (s *Service) Forget(tenantID int64) {
	s.providers.Delete(tenantID)
	s.sps.Delete(tenantID)
}

func (s *Service) sealerFor() (*Sealer, error) {
	s.sealerOnce.Do(func() { s.sealer, s.sealerErr = OpenSealer(s.KeyFile, false) })
	return s.sealer, s.sealerErr
}

func (s *Service) client() *http.Client {
	if s.HTTP != nil {
		return s.HTTP
	}
	return &http.Client{Timeout: 10 * time.Second}
}

// Person is what a checked token or assertion says about who signs in.
type Person struct {
	Protocol   string   // "oidc" or "saml"
	Provider   string   // the issuer or the IdP's entity id
	Subject    string   // sub or NameID
	Email      string   // the address the user is found by
	Values     []string // the values of the role claim or attribute
	EmployeeID string   // from EmployeeFrom, when it names a claim
	Ends       time.Time
}

// Outcome is a finished single sign-on.
type Outcome struct {
	Session string // the session cookie's value
	Ends    time.Time
	User    identity.User
	Created bool // made just in time
	Portal  bool // a workforce member's portal session
}

// refusal is a sign-in refused for a reason the audit log keeps and the
// person is not told in detail (Message is what they see).
type refusal struct {
	reason string
	err    error
}

func (r *refusal) Error() string { return r.reason }
func (r *refusal) Unwrap() error { return r.err }

// errRefused is what the person sees of any refusal: the details are in
// the audit log, for the tenant's admins.
var errRefused = errcode.New(errcode.Unauthenticated, "Single sign-on did not let you in; ask your administrator (the audit log says why)")

func refuse(reason string, args ...any) error {
	for _, a := range args {
		if e, ok := a.(error); ok {
			return &refusal{reason: reason, err: e}
		}
	}
	return &refusal{reason: reason, err: errRefused}
}

// roleRank orders roles by what they may see: the strongest mapped wins.
var roleRank = map[identity.Role]int{identity.Employee: 1, identity.Manager: 2, identity.HR: 3, identity.Admin: 4}

// mapRole is the role values give under m, or DefaultRole.
func mapRole(m Mapping, values []string) (identity.Role, bool) {
	var best identity.Role
	for _, v := range values {
		if r, ok := m.Roles[v]; ok {
			if role := identity.Role(strings.ToLower(r)); roleRank[role] > roleRank[best] {
				best = role
			}
		}
	}
	if best == "" && m.DefaultRole != "" {
		best = identity.Role(strings.ToLower(m.DefaultRole))
	}
	return best, best != ""
}

// complete turns a checked person into a session of tenant t: the user is
// found by email (a workforce account never: it signs in at its portal),
// or created with the mapped role when the tenant allows it; the role and
// employee record follow the provider at every sign-in; the session ends
// when the token or assertion does. A sign-in started at the workforce's
// portal (portal) instead opens a portal session for an existing
// workforce member, when the tenant opted the workforce in. The act and
// the user's creation are audited in the same transaction as the session.
func (s *Service) complete(ctx context.Context, t tenant.Tenant, cfg *Config, m Mapping, p Person, portal bool, remote string) (Outcome, error) {
	var out Outcome
	email := strings.TrimSpace(p.Email)
	if err := identity.ValidateEmail(email); err != nil {
		return out, refuse("the provider gave no usable email")
	}
	if !hasDomain(email, m.AllowedDomains) {
		return out, refuse("email domain not allowed")
	}
	if portal && !cfg.WorkforcePortal {
		return out, refuse("the workforce is not opted in to single sign-on")
	}
	role, ok := identity.Worker, true
	if !portal {
		role, ok = mapRole(m, p.Values)
	}
	if !ok {
		return out, refuse("no role mapped from the provider's values")
	}
	ends := p.Ends
	if limit := time.Now().Add(min(cfg.MaxSession(), s.sessionMax())); ends.IsZero() || ends.After(limit) {
		ends = limit
	}
	if !time.Now().Before(ends) {
		return out, refuse("token or assertion already expired")
	}
	stage := identity.StageApp
	err := s.DB.InTenant(ctx, t.ID, func(tx *store.Tx) error {
		if portal {
			u, err := identity.ByEmail(ctx, tx, email)
			switch {
			case errcode.Is(err, errcode.NotFound):
				return refuse("no workforce member with this email (members come from the workforce file)")
			case err != nil:
				return err
			case u.Role != identity.Worker:
				return refuse("not a workforce member: the main sign-in is theirs")
			case u.Status != "active" && u.Status != "invited":
				return refuse("workforce member is " + u.Status)
			}
			out.User, stage = u, identity.StagePortal
			return s.openSession(ctx, tx, t, p, stage, ends, remote, &out)
		}
		employee := p.EmployeeID
		if m.EmployeeFrom == "email" {
			var err error
			if employee, err = employeeByEmail(ctx, tx, email); err != nil {
				return err
			}
		}
		if role != identity.Manager && role != identity.Employee {
			employee = ""
		} else if employee == "" {
			return refuse("no employee record for a " + string(role))
		}
		u, err := identity.ByEmail(ctx, tx, email)
		switch {
		case errcode.Is(err, errcode.NotFound) && !cfg.JIT:
			return refuse("no such user and the tenant requires users to exist")
		case errcode.Is(err, errcode.NotFound):
			u, err = identity.Add(ctx, tx, identity.User{Email: email, Role: role, EmployeeID: employee})
			if err != nil {
				return refuse("just-in-time user refused: "+errcode.From(err).Message, err)
			}
			out.Created = true
			if err := audit.Append(ctx, tx, audit.Record{Tenant: t.Slug, Actor: p.Protocol + ":" + p.Provider, Action: "user.add", Target: u.Email,
				Outcome: audit.OutcomeOK, Details: map[string]any{"role": string(role), "employee": employee, "via": "sso just-in-time"}}); err != nil {
				return err
			}
		case err != nil:
			return err
		case u.Role == identity.Worker:
			return refuse("workforce account: it signs in at its portal")
		case u.Status != "active" && u.Status != "invited":
			return refuse("user is " + u.Status)
		default:
			kept, err := identity.Provision(ctx, tx, u, role, employee)
			if err != nil {
				return refuse("role refused: "+errcode.From(err).Message, err)
			}
			u.Role, u.EmployeeID, u.Status = kept, employee, "active"
		}
		out.User = u
		return s.openSession(ctx, tx, t, p, stage, ends, remote, &out)
	})
	if err != nil {
		return Outcome{}, err
	}
	if err := s.Audit.Publish(ctx, s.DB); err != nil && s.Log != nil {
		s.Log.Warn("audit: signing a tree head failed; the next one covers this sign-in", "err", err)
	}
	return out, nil
}

// openSession opens out.User's session at stage, bound to ends, and
// audits the sign-in in the same transaction.
func (s *Service) openSession(ctx context.Context, tx *store.Tx, t tenant.Tenant, p Person, stage string, ends time.Time, remote string, out *Outcome) error {
	value, err := identity.NewBoundSession(ctx, tx, out.User.ID, stage, p.Protocol, ends)
	if err != nil {
		return err
	}
	out.Session, out.Ends, out.Portal = value, ends, stage == identity.StagePortal
	door := "app"
	if out.Portal {
		door = "portal"
	}
	return audit.Append(ctx, tx, audit.Record{Tenant: t.Slug, Actor: "user:" + out.User.Email, Action: "sso.signin", Target: out.User.Email, Outcome: audit.OutcomeOK,
		Details: map[string]any{"remote": remote, "protocol": p.Protocol, "provider": p.Provider, "subject": audit.CapText(p.Subject), "door": door,
			"role": string(out.User.Role), "session_ends": ends.UTC().Format(time.RFC3339), "created": out.Created}})
}

func (s *Service) sessionMax() time.Duration {
	if s.SessionMax > 0 {
		return s.SessionMax
	}
	return 12 * time.Hour
}

// employeeByEmail finds the employee record whose email is the person's.
func employeeByEmail(ctx context.Context, tx *store.Tx, email string) (string, error) {
	var id string
	err := tx.QueryRowContext(ctx, `select employee_id from employees where tenant_id = $1 and lower(email) = $2 order by employee_id limit 1`,
		tx.TenantID, strings.ToLower(email)).Scan(&id)
	if err = store.Err(err, "find employee by email"); errcode.Is(err, errcode.NotFound) {
		return "", nil
	}
	return id, err
}

// Refused records a refused single sign-on in the audit log (reason and
// what was known) and returns what the person may see.
func (s *Service) Refused(ctx context.Context, slug, protocol, email, remote string, err error) error {
	reason := err.Error()
	var r *refusal
	if errors.As(err, &r) {
		reason = r.reason
	}
	var shown error
	switch e := errcode.From(err); {
	case r != nil && errors.Is(r.err, errUnsolicited):
		shown = errUnsolicited
	case r != nil:
		shown = errRefused
	case e.Code == errcode.Invalid:
		// The installation's settings (say a missing key file): for the admin.
		shown = errcode.New(errcode.Unavailable, "Single sign-on is not set up right here: %s", e.Message)
	default:
		shown = e
	}
	rec := audit.Record{Tenant: slug, Actor: "anonymous", Action: "sso.signin", Target: audit.CapText(email), Outcome: audit.OutcomeRefused,
		Details: map[string]any{"remote": remote, "protocol": protocol, "reason": audit.CapText(reason)}}
	if aerr := s.Audit.Note(ctx, s.DB, rec); aerr != nil {
		return errors.Join(shown, aerr)
	}
	return shown
}
