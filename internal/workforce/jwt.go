package workforce

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/store"
)

// TokenTTL is how long a token given to an app client is valid.
const TokenTTL = 10 * time.Minute

type signingKey struct {
	kid string
	key ed25519.PrivateKey
}

// keys returns the tenant's signing keys, creating the first on demand.
func keys(ctx context.Context, tx *store.Tx) ([]signingKey, error) {
	rows, err := tx.QueryContext(ctx, `select kid, private_key from signing_keys where tenant_id = $1 order by created_at desc`, tx.TenantID)
	if err != nil {
		return nil, store.Err(err, "read signing keys")
	}
	var out []signingKey
	for rows.Next() {
		var kid, raw string
		rows.Scan(&kid, &raw)
		b, err := base64.StdEncoding.DecodeString(raw)
		if err == nil && len(b) == ed25519.PrivateKeySize {
			out = append(out, signingKey{kid, ed25519.PrivateKey(b)})
		}
	}
	rows.Close()
	if len(out) > 0 {
		return out, nil
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	kidBytes := make([]byte, 8)
	rand.Read(kidBytes)
	k := signingKey{base64.RawURLEncoding.EncodeToString(kidBytes), priv}
	if _, err := tx.ExecContext(ctx, `insert into signing_keys (tenant_id, kid, private_key, created_at) values ($1, $2, $3, $4)`,
		tx.TenantID, k.kid, base64.StdEncoding.EncodeToString(priv), time.Now().UTC().Format(time.RFC3339Nano)); err != nil {
		return nil, store.Err(err, "create signing key")
	}
	return []signingKey{k}, nil
}

// JWKS is the tenant's public keys as a JSON Web Key Set (the first
// request makes the key).
func JWKS(ctx context.Context, db *store.DB, tenantID int64) (map[string]any, error) {
	ks, err := store.Write(ctx, db, tenantID, func(tx *store.Tx) ([]signingKey, error) { return keys(ctx, tx) })
	if err != nil {
		return nil, err
	}
	var list []map[string]string
	for _, k := range ks {
		list = append(list, map[string]string{"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig", "kid": k.kid,
			"x": base64.RawURLEncoding.EncodeToString(k.key.Public().(ed25519.PublicKey))})
	}
	return map[string]any{"keys": list}, nil
}

// Claims are what a token says about a worker.
type Claims struct {
	Email string   `json:"email"`
	Teams []string `json:"teams"`
	jwt.RegisteredClaims
}

// Authorize checks that clientName is an app client of this tenant and
// redirect one of its callback URLs, then signs a token for the worker.
func Authorize(ctx context.Context, db *store.DB, tenantID int64, issuer, clientName, redirect string, userID int64, email string) (string, error) {
	return store.Write(ctx, db, tenantID, func(tx *store.Tx) (string, error) {
		return authorize(ctx, tx, issuer, clientName, redirect, userID, email)
	})
}

func authorize(ctx context.Context, tx *store.Tx, issuer, clientName, redirect string, userID int64, email string) (string, error) {
	var raw string
	if err := tx.QueryRowContext(ctx, `select callback_urls from app_clients where tenant_id = $1 and name = $2`, tx.TenantID, clientName).Scan(&raw); err != nil {
		return "", errcode.New(errcode.Invalid, "No app client %q in this workforce", clientName)
	}
	var urls []string
	json.Unmarshal([]byte(raw), &urls)
	if !slices.Contains(urls, redirect) {
		return "", errcode.New(errcode.Invalid, "%q is not a callback URL of app client %q", redirect, clientName)
	}
	ks, err := keys(ctx, tx)
	if err != nil {
		return "", err
	}
	teams, err := TeamsOf(ctx, tx, userID)
	if err != nil {
		return "", err
	}
	names := []string{}
	for _, t := range teams {
		names = append(names, t.Name)
	}
	now := time.Now()
	c := Claims{Email: email, Teams: names, RegisteredClaims: jwt.RegisteredClaims{
		Issuer: issuer, Subject: fmt.Sprint(userID), Audience: jwt.ClaimStrings{clientName},
		IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(TokenTTL)),
	}}
	tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, c)
	tok.Header["kid"] = ks[0].kid
	return tok.SignedString(ks[0].key)
}

// Verify validates every claim of a token against a JWKS document: the
// EdDSA signature by a listed key, issuer, audience, expiry and not-before.
func Verify(token string, jwks []byte, issuer, audience string) (*Claims, error) {
	var set struct {
		Keys []struct{ Kid, Crv, X string } `json:"keys"`
	}
	if err := json.Unmarshal(jwks, &set); err != nil {
		return nil, err
	}
	var c Claims
	_, err := jwt.ParseWithClaims(token, &c, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		for _, k := range set.Keys {
			if k.Kid == kid && k.Crv == "Ed25519" {
				b, err := base64.RawURLEncoding.DecodeString(k.X)
				if err != nil || len(b) != ed25519.PublicKeySize {
					break
				}
				return ed25519.PublicKey(b), nil
			}
		}
		return nil, errors.New("unknown key id")
	}, jwt.WithValidMethods([]string{"EdDSA"}), jwt.WithIssuer(issuer), jwt.WithAudience(audience),
		jwt.WithExpirationRequired(), jwt.WithIssuedAt(), jwt.WithLeeway(5*time.Second))
	if err != nil {
		return nil, err
	}
	return &c, nil
}
