package cli_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAuditKeyFlag: with --audit-key the signing key lives in that file and
// not in the data folder; verification checks with it; and verification
// without any verifier key says audit_tampered (exit 2) and creates none.
func TestAuditKeyFlag(t *testing.T) {
	data := t.TempDir()
	key := filepath.Join(t.TempDir(), "audit.key")
	if out, _, code := run(t, data, "tenant", "create", "keyed", "--audit-key", key); code != 0 {
		t.Fatalf("tenant create: %s", out)
	}
	if _, err := os.Stat(key); err != nil {
		t.Fatalf("no key written to --audit-key: %v", err)
	}
	for _, name := range []string{"signing.key", "verifier.key"} {
		if _, err := os.Stat(filepath.Join(data, "audit", name)); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("%s written in the data folder although --audit-key was given", name)
		}
	}
	if out, errs, code := run(t, data, "audit", "verify", "--audit-key", key); code != 0 {
		t.Fatalf("verify with the key: %d %s %s", code, out, errs)
	}
	out, _, code := run(t, data, "audit", "verify", "--json")
	if code != 2 || !strings.Contains(out, `"audit_tampered"`) {
		t.Fatalf("verify without a verifier key: exit %d %s", code, out)
	}
	if entries, _ := os.ReadDir(filepath.Join(data, "audit")); len(entries) != 1 {
		t.Fatalf("verification created files in the audit folder: %v", entries)
	}
}
