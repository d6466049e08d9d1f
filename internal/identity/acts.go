package identity

import (
	"context"
	"strconv"
	"time"

	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/store"
)

// The use cases the doors call to manage a tenant's users: each opens its
// own transaction and, when it changes something, records the act (the
// same action, target and details from the CLI, the JSON API and the pages).

// AddUser adds u to by's tenant and, with invite, gives them an invitation
// (for the door to mail) in the same transaction.
func AddUser(ctx context.Context, by audit.Actor, u User, invite bool) (User, Invitation, error) {
	var inv Invitation
	details := map[string]any{"role": u.Role, "employee_id": u.EmployeeID, "invited": invite}
	err := by.Do(ctx, "user.add", u.Email, details, func(tx *store.Tx) error {
		var err error
		if u, err = Add(ctx, tx, u); err != nil || !invite {
			return err
		}
		if inv, err = InviteUser(ctx, tx, u.Email); err != nil {
			return err
		}
		u.Status = "invited"
		return nil
	})
	return u, inv, err
}

// ResendInvitation replaces a user's invitation with a new one (InviteUser).
func ResendInvitation(ctx context.Context, by audit.Actor, email string) (Invitation, error) {
	var inv Invitation
	err := by.Do(ctx, "user.invite", email, map[string]any{"resend": true}, func(tx *store.Tx) error {
		var err error
		inv, err = InviteUser(ctx, tx, email)
		return err
	})
	return inv, err
}

// RemoveUser removes a user (Remove); kept says they stay as a tombstone
// because their labeling answers keep their author.
func RemoveUser(ctx context.Context, by audit.Actor, email string) (kept bool, err error) {
	details := map[string]any{}
	err = by.Do(ctx, "user.remove", email, details, func(tx *store.Tx) error {
		kept, err = Remove(ctx, tx, email)
		details["kept_for_history"] = kept
		return err
	})
	return kept, err
}

// ChangeUserPassword sets a user's password for an operator (SetPassword).
func ChangeUserPassword(ctx context.Context, by audit.Actor, email, password string) error {
	return by.Do(ctx, "user.passwd", email, nil, func(tx *store.Tx) error { return SetPassword(ctx, tx, email, password) })
}

// IssueToken makes an API token named name for the user with email.
func IssueToken(ctx context.Context, by audit.Actor, email, name string, ttl time.Duration) (Token, error) {
	var tok Token
	err := by.Do(ctx, "token.create", email, map[string]any{"name": name}, func(tx *store.Tx) error {
		var err error
		tok, err = CreateToken(ctx, tx, email, name, ttl)
		return err
	})
	return tok, err
}

// WithdrawToken revokes the token with id.
func WithdrawToken(ctx context.Context, by audit.Actor, id int64) error {
	return by.Do(ctx, "token.revoke", strconv.FormatInt(id, 10), nil, func(tx *store.Tx) error { return RevokeToken(ctx, tx, id) })
}

// SignOutEverywhere ends every session of u.
func SignOutEverywhere(ctx context.Context, by audit.Actor, u User) error {
	return by.Do(ctx, "session.signout_everywhere", u.Email, nil, func(tx *store.Tx) error { return EndAllSessions(ctx, tx, u.ID) })
}

// ActivateAccount is an invited user choosing their first password from
// their invitation's code (Activate), recorded as their own act.
func ActivateAccount(ctx context.Context, by audit.Actor, email, code, password, remote string) error {
	return by.Do(ctx, "user.activate", email, map[string]any{"remote": remote}, func(tx *store.Tx) error {
		_, err := Activate(ctx, tx, email, code, password)
		return err
	})
}

// Users lists the tenant's users.
func Users(ctx context.Context, db *store.DB, tenantID int64) ([]User, error) {
	return store.Read(ctx, db, tenantID, func(tx *store.Tx) ([]User, error) { return List(ctx, tx) })
}

// UsersStanding lists the tenant's users with Standing's words for those
// whose status alone would mislead.
func UsersStanding(ctx context.Context, db *store.DB, tenantID int64) ([]User, map[int64]string, error) {
	var us []User
	var standing map[int64]string
	err := db.ReadTenant(ctx, tenantID, func(tx *store.Tx) error {
		var err error
		if us, err = List(ctx, tx); err != nil {
			return err
		}
		standing, err = Standing(ctx, tx)
		return err
	})
	return us, standing, err
}

// UserByEmail finds a user of the tenant by email (any case).
func UserByEmail(ctx context.Context, db *store.DB, tenantID int64, email string) (User, error) {
	return store.Read(ctx, db, tenantID, func(tx *store.Tx) (User, error) { return ByEmail(ctx, tx, email) })
}

// OpenedVia says how the session with hash was opened (SessionVia).
func OpenedVia(ctx context.Context, db *store.DB, tenantID int64, hash string) (string, error) {
	return store.Read(ctx, db, tenantID, func(tx *store.Tx) (string, error) { return SessionVia(ctx, tx, hash) })
}
