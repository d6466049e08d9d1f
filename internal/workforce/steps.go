package workforce

import (
	"context"
	"strings"
	"time"

	"github.com/pquerna/otp"

	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/store"
)

// The portal's sign-in steps: after the password, a worker may have to
// choose their own password, enroll an authenticator or give a code, as
// the pool's policy says, before the session opens on the portal.

// Sessions is the user pool's session policy.
func (p Policy) Sessions() identity.SessionPolicy {
	return identity.SessionPolicy{Idle: time.Duration(p.UserPool.Session.IdleMinutes) * time.Minute, Absolute: time.Duration(p.UserPool.Session.AbsoluteHours) * time.Hour}
}

// AtPortal reads, in one transaction, what every portal request needs: the
// workforce's policy and, when the request carries a session (hash from
// identity.ParseCredential, "" for none) of this tenant, that session under
// the pool's policy, for the door to settle when it needs the caller.
func AtPortal(ctx context.Context, db *store.DB, tenantID int64, sessionHash string) (Policy, *identity.SessionRead, error) {
	var p Policy
	var sess *identity.SessionRead
	err := db.ReadTenant(ctx, tenantID, func(tx *store.Tx) error {
		var err error
		if p, err = CurrentPolicy(ctx, tx); err != nil || !p.Exists || sessionHash == "" {
			return err
		}
		read := identity.ReadCredential(ctx, tx, identity.SessionPrefix, sessionHash, p.Sessions())
		sess = &read
		return nil
	})
	return p, sess, err
}

// NextStage is where a worker goes after a password check or a step.
func (p Policy) NextStage(mustChange, enrolled bool) string {
	switch {
	case mustChange:
		return "password"
	case enrolled && p.UserPool.MFA != "off":
		return "mfa"
	case p.UserPool.MFA == "required":
		return "mfa_enroll"
	}
	return identity.StagePortal
}

// ChooseOwnPassword replaces a worker's temporary password (new twice, as
// typed) and moves their session on to the step the policy asks next.
func ChooseOwnPassword(ctx context.Context, db *store.DB, tenantID int64, p Policy, u identity.User, sessionHash, newPassword, confirm string) error {
	if newPassword != confirm {
		return errcode.New(errcode.Invalid, "The two passwords differ")
	}
	return db.InTenant(ctx, tenantID, func(tx *store.Tx) error {
		if err := identity.ChangePassword(ctx, tx, u, newPassword, p.UserPool.Password.MinLength, sessionHash); err != nil {
			return err
		}
		enrolled, err := identity.MFAEnrolled(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		return identity.SetStage(ctx, tx, sessionHash, p.NextStage(false, enrolled))
	})
}

// BeginEnrollment is the TOTP secret a worker enrolls (the pending one
// when they come back), named "scry <tenant>" in their authenticator.
func BeginEnrollment(ctx context.Context, db *store.DB, tenantID int64, tenantSlug string, u identity.User) (*otp.Key, error) {
	return store.Write(ctx, db, tenantID, func(tx *store.Tx) (*otp.Key, error) { return identity.BeginTOTP(ctx, tx, u, "scry "+tenantSlug) })
}

// SignIn checks a worker's password at the portal under the pool's lockout
// and opens a session at the first step the policy asks for. It returns
// the session's cookie value and the delay the attempt started, if any.
func SignIn(ctx context.Context, db *store.DB, tenantID int64, p Policy, a identity.Attempt) (string, time.Duration, error) {
	a.Door = identity.PortalDoor // only workers pass, whatever the door says
	return identity.SignIn(ctx, db, tenantID, a, func(acct identity.Account) (string, error) {
		return p.NextStage(acct.MustChangePassword, acct.MFAEnrolled), nil
	}, nil)
}

// Activate is the one-time link of an activation-link invitation: its code
// stands in for the temporary password, once, and the session starts at
// choosing a password.
func Activate(ctx context.Context, db *store.DB, tenantID int64, a identity.Attempt) (string, time.Duration, error) {
	a.Door = identity.PortalDoor
	return identity.SignIn(ctx, db, tenantID, a, func(acct identity.Account) (string, error) {
		if !acct.MustChangePassword {
			return "", errcode.New(errcode.Unauthenticated, "This activation link was already used; sign in instead")
		}
		return "password", nil
	}, nil)
}

// CheckCode is the TOTP step (enrolling or signing in): codes are guessed
// like passwords, so they are counted per account (a key of their own,
// which a right password does not clear) and per address, with the same
// delays. A right code opens the session on the portal.
func CheckCode(ctx context.Context, db *store.DB, tenantID int64, p Policy, u identity.User, sessionHash, code, remote string) (time.Duration, error) {
	keys := identity.LockoutKeys("mfa:"+strings.ToLower(u.Email), remote)
	return identity.Guarded(ctx, db, tenantID, p.UserPool.Lockout.MaxFailures, keys, nil, func(tx *store.Tx) error {
		if err := identity.CheckTOTP(ctx, tx, u, code, time.Now()); err != nil {
			return err
		}
		return identity.SetStage(ctx, tx, sessionHash, identity.StagePortal)
	})
}

// OfferEnrollment sends a signed-in worker of a pool with optional MFA to
// the enrollment step.
func OfferEnrollment(ctx context.Context, db *store.DB, tenantID int64, sessionHash string) error {
	return db.InTenant(ctx, tenantID, func(tx *store.Tx) error { return identity.SetStage(ctx, tx, sessionHash, "mfa_enroll") })
}

// Home is what the portal's home page shows a worker: their teams, and
// whether they have an authenticator.
func Home(ctx context.Context, db *store.DB, tenantID, userID int64) (teams []Team, enrolled bool, err error) {
	err = db.ReadTenant(ctx, tenantID, func(tx *store.Tx) error {
		if teams, err = TeamsOf(ctx, tx, userID); err != nil {
			return err
		}
		enrolled, err = identity.MFAEnrolled(ctx, tx, userID)
		return err
	})
	return teams, enrolled, err
}

// ApplyAs applies spec for by (Apply), recorded as "workforce.apply" with
// one "workforce.invite" record per invitation, in one transaction; the
// door mails the invitations after it commits.
func ApplyAs(ctx context.Context, by audit.Actor, spec *Spec, base string) ([]Change, []Invite, error) {
	var changes []Change
	var invites []Invite
	details := map[string]any{}
	err := by.Do(ctx, "workforce.apply", spec.Workforce.Name, details, func(tx *store.Tx) error {
		var err error
		if changes, invites, err = Apply(ctx, tx, spec, base); err != nil {
			return err
		}
		details["changes"] = len(changes)
		for _, inv := range invites {
			if err := audit.Append(ctx, tx, audit.Record{Tenant: by.Tenant, Actor: by.Name, Action: "workforce.invite", Target: inv.Email, Outcome: audit.OutcomeOK,
				Details: map[string]any{"expires": inv.Expires.Format("2006-01-02")}}); err != nil {
				return err
			}
		}
		return nil
	})
	return changes, invites, err
}

// DestroyAs removes the tenant's workforce for by (Destroy; named, when
// given, must be its name).
func DestroyAs(ctx context.Context, by audit.Actor, named string) ([]Change, error) {
	var removed []Change
	details := map[string]any{}
	err := by.Do(ctx, "workforce.destroy", by.Tenant, details, func(tx *store.Tx) error {
		var err error
		removed, err = Destroy(ctx, tx, named)
		details["removed"] = len(removed)
		return err
	})
	return removed, err
}

// ResendAs gives a member a new invitation (Reinvite) and returns it with
// the workforce's message to mail it with.
func ResendAs(ctx context.Context, by audit.Actor, email string) (Invite, Invitation, error) {
	var inv Invite
	var tmpl Invitation
	err := by.Do(ctx, "workforce.invite", email, map[string]any{"resend": true}, func(tx *store.Tx) error {
		p, err := CurrentPolicy(ctx, tx)
		if err != nil {
			return err
		}
		tmpl = p.Invitation
		inv, err = Reinvite(ctx, tx, email)
		return err
	})
	return inv, tmpl, err
}

// RevokeAs stops a member from signing in (Revoke).
func RevokeAs(ctx context.Context, by audit.Actor, email string) error {
	return by.Do(ctx, "workforce.revoke", email, nil, func(tx *store.Tx) error { return Revoke(ctx, tx, email) })
}
