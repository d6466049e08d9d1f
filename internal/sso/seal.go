package sso

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/fsatomic"
)

// Sealer encrypts a tenant's SSO secrets with AES-256-GCM under a key kept
// in a file, not in the database: a copy of the database alone (a backup,
// a read-only SQL injection) does not give the client secret or the SAML
// key away. Each sealed value is bound to its tenant (additional data), so
// it cannot be moved to another tenant's row and still open.
type Sealer struct {
	path string
	key  []byte
	id   string // the first bytes of the key's SHA-256, to name a wrong key
}

// DefaultKeyFile is where the key lives when no --sso-key is given.
func DefaultKeyFile(dataDir string) string { return filepath.Join(dataDir, "sso", "secret.key") }

// OpenSealer reads the key in path; with create, a missing key is made
// (32 random bytes, mode 0600). Only `scry sso set` creates one: reading a
// secret never does, since a new key cannot open what an old one sealed.
func OpenSealer(path string, create bool) (*Sealer, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && create {
		k := make([]byte, 32)
		rand.Read(k)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("create SSO key folder: %w", err)
		}
		raw = []byte(base64.StdEncoding.EncodeToString(k) + "\n")
		if err := fsatomic.WriteFile(path, raw, 0o600); err != nil {
			return nil, fmt.Errorf("write SSO key: %w", err)
		}
	} else if errors.Is(err, os.ErrNotExist) {
		return nil, errcode.New(errcode.Invalid, "The SSO key %s does not exist: give the file that `scry sso set` used (--sso-key or SCRY_SSO_KEY), or run `scry sso set` again", path)
	} else if err != nil {
		return nil, fmt.Errorf("read SSO key: %w", err)
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(raw)))
	if err != nil || len(key) != 32 {
		return nil, errcode.New(errcode.Invalid, "The SSO key %s is not 32 bytes in base64", path)
	}
	sum := sha256.Sum256(key)
	return &Sealer{path: path, key: key, id: hex.EncodeToString(sum[:4])}, nil
}

func (s *Sealer) aead() cipher.AEAD {
	block, _ := aes.NewCipher(s.key) // 32 bytes: cannot fail
	g, _ := cipher.NewGCM(block)
	return g
}

func bound(tenantID int64) []byte {
	return []byte("scry-sso-secrets:tenant:" + strconv.FormatInt(tenantID, 10))
}

// Seal encrypts plaintext for tenantID: "v1:<key id>:<base64 nonce+ciphertext>".
func (s *Sealer) Seal(tenantID int64, plaintext []byte) string {
	g := s.aead()
	nonce := make([]byte, g.NonceSize())
	rand.Read(nonce)
	ct := g.Seal(nonce, nonce, plaintext, bound(tenantID))
	return "v1:" + s.id + ":" + base64.StdEncoding.EncodeToString(ct)
}

// Open decrypts what Seal made for the same tenant.
func (s *Sealer) Open(tenantID int64, sealed string) ([]byte, error) {
	parts := strings.SplitN(sealed, ":", 3)
	if len(parts) != 3 || parts[0] != "v1" {
		return nil, errcode.New(errcode.Invalid, "The stored SSO secrets are not in a form this scry reads")
	}
	if parts[1] != s.id {
		return nil, errcode.New(errcode.Invalid, "The SSO secrets were sealed with another key than %s (key %s, this one is %s): give the right --sso-key, or run `scry sso set` again", s.path, parts[1], s.id)
	}
	ct, err := base64.StdEncoding.DecodeString(parts[2])
	g := s.aead()
	if err != nil || len(ct) < g.NonceSize() {
		return nil, errcode.New(errcode.Invalid, "The stored SSO secrets are damaged")
	}
	pt, err := g.Open(nil, ct[:g.NonceSize()], ct[g.NonceSize():], bound(tenantID))
	if err != nil {
		return nil, errcode.Wrap(errcode.Invalid, err, "The stored SSO secrets do not open for this tenant with this key")
	}
	return pt, nil
}
