// Package identity holds the people who use scry: users, their roles and the
// employee record a user may be linked to.
package identity

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/mail"
	"strings"
	"time"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/store"
)

// Role decides what a user may see and do.
type Role string

const (
	Admin    Role = "admin"    // everything in their tenant
	HR       Role = "hr"       // every employee of their tenant
	Manager  Role = "manager"  // themselves and everyone below them
	Employee Role = "employee" // only themselves
	Worker   Role = "worker"   // a member of the private workforce: the labeling portal only
)

// ParseRole validates a role name.
func ParseRole(s string) (Role, error) {
	switch r := Role(strings.ToLower(s)); r {
	case Admin, HR, Manager, Employee:
		return r, nil
	}
	return "", errcode.New(errcode.Invalid, "Role %q is not one of admin, hr, manager, employee", s)
}

// User is a person who signs in to a tenant.
type User struct {
	ID         int64     `json:"id"`
	TenantID   int64     `json:"-"`
	Email      string    `json:"email"`
	Name       string    `json:"name,omitempty"`
	Role       Role      `json:"role"`
	EmployeeID string    `json:"employee_id,omitempty"`
	Status     string    `json:"status"`
	CreatedAt  time.Time `json:"created_at"`
}

// ValidateEmail checks that s is a plain address (no display name).
func ValidateEmail(s string) error {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return errcode.New(errcode.Invalid, "Email %q is not a valid address like name@example.com", s)
	}
	return nil
}

// Add creates a user inside tx. Manager and employee users must be linked to
// an existing employee record of the same tenant.
func Add(ctx context.Context, tx *store.Tx, u User) (User, error) {
	if err := ValidateEmail(u.Email); err != nil {
		return u, err
	}
	if _, err := ParseRole(string(u.Role)); err != nil && u.Role != Worker {
		return u, err
	}
	if (u.Role == Manager || u.Role == Employee) && u.EmployeeID == "" {
		return u, errcode.New(errcode.Invalid, "Role %s needs --employee <employee_id> to know whose data the user may see", u.Role)
	}
	if u.EmployeeID != "" {
		var n int
		if err := tx.QueryRowContext(ctx, `select count(*) from employees where tenant_id = $1 and employee_id = $2`,
			tx.TenantID, u.EmployeeID).Scan(&n); err != nil {
			return u, store.Err(err, "check employee")
		}
		if n == 0 {
			return u, errcode.New(errcode.NotFound, "No employee %q in this tenant; import the HR data first (scry import hr)", u.EmployeeID)
		}
	}
	u.TenantID = tx.TenantID
	u.Status = "active"
	u.CreatedAt = time.Now().UTC().Truncate(time.Second)
	err := tx.QueryRowContext(ctx, `insert into users (tenant_id, email, email_lower, name, role, employee_id, status, created_at)
		values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`,
		tx.TenantID, u.Email, strings.ToLower(u.Email), u.Name, string(u.Role), nullable(u.EmployeeID), u.Status,
		u.CreatedAt.Format(time.RFC3339)).Scan(&u.ID)
	if err = store.Err(err, "add user"); errcode.Is(err, errcode.AlreadyExists) {
		return u, errcode.New(errcode.AlreadyExists, "A user with email %s already exists in this tenant", u.Email)
	}
	return u, err
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

const userCols = `id, tenant_id, email, name, role, coalesce(employee_id, ''), status, created_at`

func scanUser(s interface{ Scan(...any) error }) (User, error) {
	var u User
	var created string
	err := s.Scan(&u.ID, &u.TenantID, &u.Email, &u.Name, &u.Role, &u.EmployeeID, &u.Status, &created)
	u.CreatedAt, _ = time.Parse(time.RFC3339, created)
	return u, err
}

// ByEmail finds a user by email, compared case-insensitively.
func ByEmail(ctx context.Context, tx *store.Tx, email string) (User, error) {
	u, err := scanUser(tx.QueryRowContext(ctx, `select `+userCols+` from users where tenant_id = $1 and email_lower = $2`,
		tx.TenantID, strings.ToLower(strings.TrimSpace(email))))
	if err = store.Err(err, "get user"); errcode.Is(err, errcode.NotFound) {
		return u, errcode.New(errcode.NotFound, "No user %s in this tenant", email)
	}
	return u, err
}

// List returns the tenant's users ordered by email (removed ones are gone).
func List(ctx context.Context, tx *store.Tx) ([]User, error) {
	rows, err := tx.QueryContext(ctx, `select `+userCols+` from users where tenant_id = $1 and status <> 'removed' order by email_lower`, tx.TenantID)
	if err != nil {
		return nil, store.Err(err, "list users")
	}
	defer rows.Close()
	out := []User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, store.Err(err, "scan user")
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// Removed is the status of a user kept only as the author of history.
const Removed = "removed"

// Remove takes a user out of the tenant: they can no longer sign in, their
// sessions, tokens and team memberships end and their address is free for a
// new account. A user whom history points at (a worker's labeling answers)
// is kept as a tombstone — status removed, no credentials, an address no
// sign-in can match — so that the answers keep their author; anyone else is
// deleted. The last active admin of a tenant cannot be removed. It reports
// whether a tombstone was kept.
func Remove(ctx context.Context, tx *store.Tx, email string) (kept bool, err error) {
	u, err := ByEmail(ctx, tx, email)
	if err != nil {
		return false, err
	}
	if u.Role == Admin && u.Status == "active" {
		if err := keepAnAdmin(ctx, tx, u); err != nil {
			return false, err
		}
	}
	err = tx.Savepoint(ctx, func() error {
		_, err := tx.ExecContext(ctx, `delete from users where tenant_id = $1 and id = $2`, tx.TenantID, u.ID)
		return store.Err(err, "remove user")
	})
	if !errcode.Is(err, errcode.Conflict) {
		return false, err
	}
	// The email column keeps the address history shows; email_lower, which
	// sign-in and uniqueness use, becomes a value no address can equal.
	if _, err := tx.ExecContext(ctx, `update users set status = $1, email_lower = 'removed:' || id, employee_id = null, password_hash = null,
		must_change_password = 0, mfa_secret = null, mfa_enrolled_at = null, invite_expires_at = null where tenant_id = $2 and id = $3`,
		Removed, tx.TenantID, u.ID); err != nil {
		return false, store.Err(err, "keep removed user for history")
	}
	for _, q := range []string{
		`delete from sessions where tenant_id = $1 and user_id = $2`,
		`delete from api_tokens where tenant_id = $1 and user_id = $2`,
		`delete from team_members where tenant_id = $1 and user_id = $2`,
	} {
		if _, err := tx.ExecContext(ctx, q, tx.TenantID, u.ID); err != nil {
			return false, store.Err(err, "end removed user's access")
		}
	}
	return true, nil
}

// keepAnAdmin refuses to remove admin u when no other active admin would be
// left to administer the tenant. On PostgreSQL the admins' rows are locked,
// so two admins removing each other at once cannot both succeed (SQLite's
// single writer already serialises them).
func keepAnAdmin(ctx context.Context, tx *store.Tx, u User) error {
	rows, err := tx.QueryContext(ctx, `select id from users where tenant_id = $1 and role = 'admin' and status = 'active'`+tx.Dialect.ForUpdate(), tx.TenantID)
	if err != nil {
		return store.Err(err, "count admins")
	}
	others := 0
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return store.Err(err, "count admins")
		}
		if id != u.ID {
			others++
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return store.Err(err, "count admins")
	}
	if others == 0 {
		return errcode.New(errcode.Conflict, "%s is the last admin of this tenant; add another admin before removing this one", u.Email)
	}
	return nil
}

// InvitationTTL is how long an organisation user's invitation link works.
const InvitationTTL = 7 * 24 * time.Hour

// Invitation is a one-time activation code for an organisation user, to
// send to them once its transaction has committed. Code is shown nowhere
// else and stored only hashed.
type Invitation struct {
	Email   string
	Role    Role
	Code    string
	Expires time.Time
}

// InviteUser gives a user who has not chosen a password yet a new
// activation code (the old one stops working) valid for InvitationTTL, and
// signs them out everywhere. Workers are invited by their workforce
// (workforce.Reinvite), with the portal's own steps.
func InviteUser(ctx context.Context, tx *store.Tx, email string) (Invitation, error) {
	u, err := ByEmail(ctx, tx, email)
	if err != nil {
		return Invitation{}, err
	}
	if u.Role == Worker {
		return Invitation{}, errcode.New(errcode.Invalid, "%s is a workforce member: `scry workforce resend` invites them to the portal", u.Email)
	}
	if u.Status != "invited" && u.Status != "active" {
		return Invitation{}, errcode.New(errcode.Conflict, "%s is %s and cannot be invited", u.Email, u.Status)
	}
	var hash *string
	if err := tx.QueryRowContext(ctx, `select password_hash from users where tenant_id = $1 and id = $2`, tx.TenantID, u.ID).Scan(&hash); err != nil {
		return Invitation{}, store.Err(err, "read user")
	}
	if u.Status == "active" && hash != nil {
		return Invitation{}, errcode.New(errcode.Conflict, "%s has already chosen a password; they sign in at /signin", u.Email)
	}
	b := make([]byte, 16)
	rand.Read(b)
	inv := Invitation{Email: u.Email, Role: u.Role, Code: base64.RawURLEncoding.EncodeToString(b), Expires: time.Now().UTC().Add(InvitationTTL).Truncate(time.Second)}
	if err := Invite(ctx, tx, u.ID, HashPassword(inv.Code), inv.Expires); err != nil {
		return Invitation{}, err
	}
	return inv, EndAllSessions(ctx, tx, u.ID)
}

// errBadInvitation is the one answer to every wrong, used or expired code.
var errBadInvitation = errcode.New(errcode.Unauthenticated, "This invitation link is not valid, was already used or has expired; ask your administrator for a new one")

// Activate sets an invited organisation user's first password from their
// invitation code; the code then stops working and the user is active.
func Activate(ctx context.Context, tx *store.Tx, email, code, password string) (User, error) {
	var hash, expires *string
	u, err := scanUserWith(tx.QueryRowContext(ctx, `select `+userCols+`, password_hash, invite_expires_at from users
		where tenant_id = $1 and email_lower = $2 and status = 'invited' and role <> 'worker'`,
		tx.TenantID, strings.ToLower(strings.TrimSpace(email))), &hash, &expires)
	if err := checkSignIn(err, hash, code); err != nil {
		if errcode.From(err).Code == errcode.Internal {
			return u, err
		}
		return u, errBadInvitation
	}
	if expires == nil {
		return u, errBadInvitation
	}
	if t, _ := time.Parse(time.RFC3339, *expires); time.Now().After(t) {
		return u, errBadInvitation
	}
	if err := CheckPassword(password, 12, u.Email, ""); err != nil {
		return u, err
	}
	_, err = tx.ExecContext(ctx, `update users set password_hash = $1, password_set_at = $2, must_change_password = 0, status = 'active', invite_expires_at = null
		where tenant_id = $3 and id = $4`, HashPassword(password), now(), tx.TenantID, u.ID)
	u.Status = "active"
	return u, store.Err(err, "activate user")
}

// Standing describes, for users whose status alone would mislead, where
// they really are: "invited until 2026-12-09", "invitation expired
// 2026-12-09", or "no password yet" (an active user who was never given
// one, say by `scry user add` without `scry user passwd`). Users missing from
// the map are what their status says.
func Standing(ctx context.Context, tx *store.Tx) (map[int64]string, error) {
	rows, err := tx.QueryContext(ctx, `select id, status, coalesce(invite_expires_at, ''), password_hash is null from users
		where tenant_id = $1 and (status = 'invited' or (status = 'active' and password_hash is null))`, tx.TenantID)
	if err != nil {
		return nil, store.Err(err, "read user standing")
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var status, exp string
		var noPassword bool
		if err := rows.Scan(&id, &status, &exp, &noPassword); err != nil {
			return nil, store.Err(err, "read user standing")
		}
		switch t, err := time.Parse(time.RFC3339, exp); {
		case status == "active":
			out[id] = "no password yet"
		case err != nil:
			out[id] = "invited"
		case time.Now().After(t):
			out[id] = "invitation expired " + t.Format("2006-01-02")
		default:
			out[id] = "invited until " + t.Format("2006-01-02")
		}
	}
	return out, rows.Err()
}

// Provision brings user u to role and employee record as an identity
// provider says at a single sign-on, and makes an invited user active (the
// provider vouched for them; their invitation stops working). An active
// admin who is the tenant's last is not demoted: Provision returns the
// role kept. Managers and employees must have an employee record of the
// tenant.
func Provision(ctx context.Context, tx *store.Tx, u User, role Role, employeeID string) (Role, error) {
	if (role == Manager || role == Employee) && employeeID == "" {
		return u.Role, errcode.New(errcode.Invalid, "Role %s needs an employee record", role)
	}
	if u.Role == Admin && role != Admin && u.Status == "active" {
		if err := keepAnAdmin(ctx, tx, u); err != nil {
			role = Admin
		}
	}
	if role == u.Role && employeeID == u.EmployeeID && u.Status == "active" {
		return role, nil
	}
	// An invitation's code is stored as the password hash: it must not
	// become a password when the provider activates the user.
	_, err := tx.ExecContext(ctx, `update users set role = $1, employee_id = $2, status = 'active', invite_expires_at = null,
		password_hash = case when status = 'invited' then null else password_hash end,
		must_change_password = case when status = 'invited' then 0 else must_change_password end
		where tenant_id = $3 and id = $4`, string(role), nullable(employeeID), tx.TenantID, u.ID)
	return role, store.Err(err, "provision user")
}
