package sso

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/store"
)

// secrets are the sealed part of a tenant's settings.
type secrets struct {
	OIDCClientSecret string `json:"oidc_client_secret,omitempty"`
	SAMLKey          string `json:"saml_key,omitempty"` // PEM (PKCS#8) of the service provider's key
}

// ErrNotConfigured is the answer for a tenant without single sign-on.
var ErrNotConfigured = errcode.New(errcode.NotFound, "This organisation has no single sign-on configured")

// Save stores cfg for the transaction's tenant, its secrets sealed.
func Save(ctx context.Context, tx *store.Tx, sealer *Sealer, cfg *Config, sec secrets) error {
	pub, err := json.Marshal(cfg)
	if err != nil {
		return err
	}
	raw, _ := json.Marshal(sec)
	sealed := sealer.Seal(tx.TenantID, raw)
	pw := 0
	if cfg.PasswordAllowed() {
		pw = 1
	}
	_, err = tx.ExecContext(ctx, `insert into sso_configs (tenant_id, config, secrets, password_signin, updated_at) values ($1, $2, $3, $4, $5)
		on conflict (tenant_id) do update set config = excluded.config, secrets = excluded.secrets, password_signin = excluded.password_signin, updated_at = excluded.updated_at`,
		tx.TenantID, string(pub), sealed, pw, now())
	return store.Err(err, "save SSO settings")
}

// Load reads the tenant's settings without their secrets (ErrNotConfigured
// when there are none): enough for the sign-in page and the admin page.
func Load(ctx context.Context, tx *store.Tx) (*Config, error) {
	c, _, err := load(ctx, tx)
	return c, err
}

func load(ctx context.Context, tx *store.Tx) (*Config, string, error) {
	var pub, sealed string
	var pw int
	err := tx.QueryRowContext(ctx, `select config, secrets, password_signin from sso_configs where tenant_id = $1`, tx.TenantID).Scan(&pub, &sealed, &pw)
	if err = store.Err(err, "read SSO settings"); errcode.Is(err, errcode.NotFound) {
		return nil, "", ErrNotConfigured
	} else if err != nil {
		return nil, "", err
	}
	var c Config
	if err := json.Unmarshal([]byte(pub), &c); err != nil {
		return nil, "", errcode.Wrap(errcode.Internal, err, "The stored SSO settings are damaged")
	}
	allowed := pw == 1
	c.PasswordSignIn = &allowed
	return &c, sealed, nil
}

// loadSecrets reads the settings with their secrets opened.
func loadSecrets(ctx context.Context, tx *store.Tx, sealer *Sealer) (*Config, secrets, error) {
	var sec secrets
	c, sealed, err := load(ctx, tx)
	if err != nil {
		return nil, sec, err
	}
	raw, err := sealer.Open(tx.TenantID, sealed)
	if err != nil {
		return nil, sec, err
	}
	if err := json.Unmarshal(raw, &sec); err != nil {
		return nil, sec, errcode.Wrap(errcode.Internal, err, "The stored SSO secrets are damaged")
	}
	if c.OIDC != nil {
		c.OIDC.ClientSecret = sec.OIDCClientSecret
	}
	return c, sec, nil
}

// PasswordAllowed says whether the tenant's people may sign in with a
// password at the main door (true when no single sign-on is configured).
func PasswordAllowed(ctx context.Context, db *store.DB, tenantID int64) (bool, error) {
	return store.Read(ctx, db, tenantID, func(tx *store.Tx) (bool, error) { return passwordAllowed(ctx, tx) })
}

func passwordAllowed(ctx context.Context, tx *store.Tx) (bool, error) {
	var pw int
	err := tx.QueryRowContext(ctx, `select password_signin from sso_configs where tenant_id = $1`, tx.TenantID).Scan(&pw)
	if err = store.Err(err, "read SSO settings"); errcode.Is(err, errcode.NotFound) {
		return true, nil
	}
	return pw == 1, err
}

// SetPasswordSignIn switches password sign-in on or off.
func SetPasswordSignIn(ctx context.Context, tx *store.Tx, on bool) error {
	pw := 0
	if on {
		pw = 1
	}
	res, err := tx.ExecContext(ctx, `update sso_configs set password_signin = $1, updated_at = $2 where tenant_id = $3`, pw, now(), tx.TenantID)
	if err != nil {
		return store.Err(err, "switch password sign-in")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotConfigured
	}
	return nil
}

// Remove deletes the tenant's single sign-on; password sign-in is then on
// again. Sessions opened through the provider run to their end.
func Remove(ctx context.Context, tx *store.Tx) error {
	res, err := tx.ExecContext(ctx, `delete from sso_configs where tenant_id = $1`, tx.TenantID)
	if err != nil {
		return store.Err(err, "remove SSO settings")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotConfigured
	}
	for _, q := range []string{`delete from sso_pending where tenant_id = $1`, `delete from sso_used where tenant_id = $1`} {
		if _, err := tx.ExecContext(ctx, q, tx.TenantID); err != nil {
			return store.Err(err, "remove SSO state")
		}
	}
	return nil
}

// pending is a sign-in sent to the identity provider.
type pending struct {
	Protocol    string
	RequestID   string // SAML: the AuthnRequest's id
	Nonce       string // OIDC
	Verifier    string // OIDC: the PKCE code verifier
	BrowserHash string // SHA-256 of the binding cookie ("" for SAML)
	Portal      bool   // started at the workforce's review portal
}

// pendingTTL is how long a person has at the identity provider.
const pendingTTL = 10 * time.Minute

func hashOf(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func random() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func now() string { return time.Now().UTC().Format(time.RFC3339Nano) }

// stamp is fixed-width so that stamps compare as strings in SQL.
const stamp = "2006-01-02T15:04:05.000000000Z"

// putPending stores p under key (the state, or the SAML request id).
func putPending(ctx context.Context, tx *store.Tx, key string, p pending) error {
	t := time.Now().UTC()
	if _, err := tx.ExecContext(ctx, `delete from sso_pending where tenant_id = $1 and expires_at < $2`, tx.TenantID, t.Format(stamp)); err != nil {
		return store.Err(err, "forget expired SSO sign-ins")
	}
	portal := 0
	if p.Portal {
		portal = 1
	}
	_, err := tx.ExecContext(ctx, `insert into sso_pending (tenant_id, id_hash, protocol, request_id, nonce, verifier, browser_hash, expires_at, portal)
		values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, tx.TenantID, hashOf(key), p.Protocol, p.RequestID, p.Nonce, p.Verifier, p.BrowserHash,
		t.Add(pendingTTL).Format(stamp), portal)
	return store.Err(err, "remember SSO sign-in")
}

// errUnknownState answers a state that was never issued by this tenant,
// was used already or has expired.
var errUnknownState = errors.New("unknown, used or expired state")

// takePending consumes the pending sign-in under key: a second use of the
// same state finds nothing. The delete is the decision, so two requests
// racing with one state cannot both pass.
func takePending(ctx context.Context, tx *store.Tx, key, protocol string) (pending, error) {
	var p pending
	var exp string
	var portal int
	err := tx.QueryRowContext(ctx, `delete from sso_pending where tenant_id = $1 and id_hash = $2 and protocol = $3
		returning request_id, nonce, verifier, browser_hash, expires_at, portal`, tx.TenantID, hashOf(key), protocol).
		Scan(&p.RequestID, &p.Nonce, &p.Verifier, &p.BrowserHash, &exp, &portal)
	if err = store.Err(err, "take SSO sign-in"); errcode.Is(err, errcode.NotFound) {
		return p, errUnknownState
	} else if err != nil {
		return p, err
	}
	if t, _ := time.Parse(stamp, exp); time.Now().After(t) {
		return p, errUnknownState
	}
	p.Protocol, p.Portal = protocol, portal == 1
	return p, nil
}

// errReplayed is a token nonce or assertion id seen before.
var errReplayed = errors.New("replayed")

// markUsed records id as accepted until expires; a second time it is
// errReplayed (the primary key decides, so racing replays fail too).
func markUsed(ctx context.Context, tx *store.Tx, id string, expires time.Time) error {
	t := time.Now().UTC()
	if _, err := tx.ExecContext(ctx, `delete from sso_used where tenant_id = $1 and expires_at < $2`, tx.TenantID, t.Format(stamp)); err != nil {
		return store.Err(err, "forget old SSO ids")
	}
	err := tx.Savepoint(ctx, func() error {
		_, err := tx.ExecContext(ctx, `insert into sso_used (tenant_id, id, expires_at) values ($1, $2, $3)`, tx.TenantID, id, expires.UTC().Format(stamp))
		return store.Err(err, "record SSO id")
	})
	if errcode.Is(err, errcode.AlreadyExists) {
		return errReplayed
	}
	return err
}
