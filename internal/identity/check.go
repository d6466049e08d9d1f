package identity

import (
	"context"
	"errors"
	"sync"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/tenant"
)

// Caller is who a credential belongs to: never read from a request's body.
type Caller struct {
	TenantID    int64
	TenantSlug  string
	User        User
	SessionHash string // set for a session, "" for a token
	Stage       string // a session's stage (StageApp, StagePortal or a portal step still to pass); "" for a token
}

// SessionRead is a credential as read, before the writes it may need (its
// idle clock, its end) are made by Checker.Settle. Reading and writing are
// apart so that most requests never wait for SQLite's single writer, and so
// that a door may read a session in a transaction that reads other things
// too (the portal reads it with its workforce's policy).
type SessionRead struct {
	caller Caller
	touch  bool
	err    error
}

// ReadCredential reads a session or token of tx's tenant (hash from
// ParseCredential; prefix says which).
func ReadCredential(ctx context.Context, tx *store.Tx, prefix, hash string, p SessionPolicy) SessionRead {
	r := SessionRead{caller: Caller{TenantID: tx.TenantID}}
	if prefix == TokenPrefix {
		r.caller.User, r.err = TokenUser(ctx, tx, hash)
	} else {
		r.caller.SessionHash = hash
		r.caller.User, r.caller.Stage, r.touch, r.err = SessionStage(ctx, tx, hash, p)
	}
	return r
}

// Checker is the session check every door of the server shares: a session
// cookie or an API token to its caller, under a session policy.
type Checker struct {
	db    *store.DB
	slugs sync.Map // tenant id → slug: slugs never change once a tenant exists
	// failed is told of a write the check goes on without (touching a
	// session's idle clock, deleting an expired one): such an error is
	// logged by the door, never shown and never fatal to the request.
	failed func(what string, err error)
}

// NewChecker checks credentials against db; failed hears of writes that failed.
func NewChecker(db *store.DB, failed func(what string, err error)) *Checker {
	return &Checker{db: db, failed: failed}
}

// Check resolves a session id or token (prefix SessionPrefix or
// TokenPrefix, value as the client sent it) to its caller. A missing,
// forged, expired or revoked credential is unauthenticated; a busy or
// broken database answers its own code instead of signing the user out.
func (k *Checker) Check(ctx context.Context, prefix, value string, p SessionPolicy) (Caller, error) {
	tenantID, hash, ok := ParseCredential(prefix, value)
	if !ok {
		return Caller{}, errcode.New(errcode.Unauthenticated, "Sign in first")
	}
	var read SessionRead
	err := k.db.ReadTenant(ctx, tenantID, func(tx *store.Tx) error {
		read = ReadCredential(ctx, tx, prefix, hash, p)
		if read.err != nil {
			return nil
		}
		if slug, ok := k.slugs.Load(tenantID); ok {
			read.caller.TenantSlug = slug.(string)
			return nil
		}
		slug, err := tenant.SlugOf(ctx, tx)
		if err != nil {
			return err
		}
		read.caller.TenantSlug = slug
		k.slugs.Store(tenantID, slug)
		return nil
	})
	if err != nil && read.err == nil {
		read.err = err // the read's own error, not the commit's, says what went wrong
	}
	return k.Settle(ctx, read)
}

// Settle makes the writes a read credential needs (an expired session is
// deleted, a stale idle clock restarted) and returns its caller.
func (k *Checker) Settle(ctx context.Context, r SessionRead) (Caller, error) {
	c := r.caller
	switch {
	case errors.Is(r.err, ErrSessionExpired):
		k.failed("end an expired session", SignOut(ctx, k.db, c.TenantID, c.SessionHash))
	case r.err == nil && r.touch:
		k.failed("touch a session", k.db.InTenant(ctx, c.TenantID, func(tx *store.Tx) error { return Touch(ctx, tx, c.SessionHash) }))
	}
	if r.err != nil {
		// Only an unknown or ended credential asks to sign in again.
		if code := errcode.From(r.err).Code; code != errcode.Unauthenticated && code != errcode.NotFound {
			return Caller{}, r.err
		}
		return Caller{}, errcode.New(errcode.Unauthenticated, "Sign in first")
	}
	return c, nil
}

// SignOut ends one session (the door clears its cookie whatever happens).
func SignOut(ctx context.Context, db *store.DB, tenantID int64, hash string) error {
	return db.InTenant(ctx, tenantID, func(tx *store.Tx) error { return EndSession(ctx, tx, hash) })
}
