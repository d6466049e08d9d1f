package workforce

import (
	"context"

	"github.com/pquerna/otp"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/store"
)

// The portal's sign-in steps: after the password, a worker may have to
// choose their own password, enroll an authenticator or give a code, as
// the pool's policy says, before the session opens on the portal.

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
	var key *otp.Key
	err := db.InTenant(ctx, tenantID, func(tx *store.Tx) error {
		var err error
		key, err = identity.BeginTOTP(ctx, tx, u, "scry "+tenantSlug)
		return err
	})
	return key, err
}
