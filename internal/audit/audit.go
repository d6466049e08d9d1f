// Package audit keeps scry's tamper-evident audit log. Every record is a leaf
// of one append-only Merkle tree (golang.org/x/mod/sumdb/tlog) stored next to
// the data it describes and written in the same transaction; after each write
// a signed tree head goes to files outside the database, so that rewriting
// the database alone cannot hide a change.
package audit

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/fsatomic"
	"github.com/scry-dev/scry/internal/store"
)

// Record is one audited act.
type Record struct {
	Seq     int64          `json:"seq"`
	Time    time.Time      `json:"time"`
	Tenant  string         `json:"tenant"` // slug, or "" for installation-wide acts
	Actor   string         `json:"actor"`
	Action  string         `json:"action"`
	Target  string         `json:"target"`
	Outcome string         `json:"outcome"` // ok, refused, failed
	Details map[string]any `json:"details,omitempty"`
}

// leaf is the exact byte form hashed into the tree; field order is fixed.
func leaf(seq int64, t, tenant, actor, action, target, outcome, details string) []byte {
	b, _ := json.Marshal([]any{seq, t, tenant, actor, action, target, outcome, details})
	return b
}

// LeafOf is the exact bytes of a stored record that the tree hashes.
func LeafOf(r Record) []byte {
	details := "{}"
	if len(r.Details) > 0 {
		b, _ := json.Marshal(r.Details)
		details = string(b)
	}
	return leaf(r.Seq, r.Time.UTC().Format(time.RFC3339Nano), r.Tenant, r.Actor, r.Action, r.Target, r.Outcome, details)
}

// Log appends records and publishes signed tree heads in dir.
type Log struct {
	dir      string
	signer   note.Signer
	verifier note.Verifier
}

const keyName = "scry-audit"

// Open loads the signing key from <data>/audit, generating it on first use.
func Open(dataDir string) (*Log, error) {
	dir := filepath.Join(dataDir, "audit")
	if err := os.MkdirAll(filepath.Join(dir, "heads"), 0o750); err != nil {
		return nil, fmt.Errorf("create audit folder: %w", err)
	}
	keyPath := filepath.Join(dir, "signing.key")
	skey, err := os.ReadFile(keyPath)
	if errors.Is(err, os.ErrNotExist) {
		s, v, gerr := note.GenerateKey(rand.Reader, keyName)
		if gerr != nil {
			return nil, gerr
		}
		if err := fsatomic.WriteFile(filepath.Join(dir, "verifier.key"), []byte(v+"\n"), 0o644); err != nil {
			return nil, err
		}
		if err := fsatomic.WriteFile(keyPath, []byte(s+"\n"), 0o600); err != nil {
			return nil, err
		}
		skey = []byte(s)
	} else if err != nil {
		return nil, fmt.Errorf("read audit key: %w", err)
	}
	signer, err := note.NewSigner(strings.TrimSpace(string(skey)))
	if err != nil {
		return nil, fmt.Errorf("audit key %s: %w", keyPath, err)
	}
	vkey, err := os.ReadFile(filepath.Join(dir, "verifier.key"))
	if err != nil {
		return nil, fmt.Errorf("read audit verifier key: %w", err)
	}
	verifier, err := note.NewVerifier(strings.TrimSpace(string(vkey)))
	if err != nil {
		return nil, fmt.Errorf("audit verifier key: %w", err)
	}
	return &Log{dir: dir, signer: signer, verifier: verifier}, nil
}

// txHashes reads stored hashes inside a transaction.
type txHashes struct {
	ctx context.Context
	tx  *store.Tx
}

func (r txHashes) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, idx := range indexes {
		var b []byte
		if err := r.tx.QueryRowContext(r.ctx, `select hash from audit_hashes where idx = $1`, idx).Scan(&b); err != nil {
			return nil, store.Err(err, fmt.Sprintf("read audit hash %d", idx))
		}
		copy(out[i][:], b)
	}
	return out, nil
}

// Append adds rec to the log inside tx, so that the record exists exactly
// when the change it describes does. Call Publish after the commit.
func Append(ctx context.Context, tx *store.Tx, rec Record) error {
	if tx.Dialect == store.Postgres {
		// One writer at a time: the tree is a sequence.
		if _, err := tx.ExecContext(ctx, `select pg_advisory_xact_lock(7319002)`); err != nil {
			return store.Err(err, "lock audit log")
		}
	}
	var n int64
	if err := tx.QueryRowContext(ctx, `select coalesce(max(seq) + 1, 0) from audit_records`).Scan(&n); err != nil {
		return store.Err(err, "count audit records")
	}
	if rec.Time.IsZero() {
		rec.Time = time.Now()
	}
	details := "{}"
	if len(rec.Details) > 0 {
		b, err := json.Marshal(rec.Details)
		if err != nil {
			return fmt.Errorf("audit details: %w", err)
		}
		details = string(b)
	}
	ts := rec.Time.UTC().Format(time.RFC3339Nano)
	data := leaf(n, ts, rec.Tenant, rec.Actor, rec.Action, rec.Target, rec.Outcome, details)
	hashes, err := tlog.StoredHashes(n, data, txHashes{ctx, tx})
	if err != nil {
		return fmt.Errorf("audit hashes: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `insert into audit_records (seq, time, tenant, actor, action, target, outcome, details)
		values ($1, $2, $3, $4, $5, $6, $7, $8)`, n, ts, rec.Tenant, rec.Actor, rec.Action, rec.Target, rec.Outcome, details); err != nil {
		return store.Err(err, "insert audit record")
	}
	base := tlog.StoredHashIndex(0, n)
	for i, h := range hashes {
		if _, err := tx.ExecContext(ctx, `insert into audit_hashes (idx, hash) values ($1, $2)`, base+int64(i), h[:]); err != nil {
			return store.Err(err, "insert audit hash")
		}
	}
	return nil
}

// Publish signs the current tree head and writes it to <data>/audit/heads.
func (l *Log) Publish(ctx context.Context, db *store.DB) error {
	var tree tlog.Tree
	err := db.ReadGlobal(ctx, func(tx *store.Tx) error {
		if err := tx.QueryRowContext(ctx, `select count(*) from audit_records`).Scan(&tree.N); err != nil {
			return store.Err(err, "count audit records")
		}
		if tree.N == 0 {
			return nil
		}
		h, err := tlog.TreeHash(tree.N, txHashes{ctx, tx})
		tree.Hash = h
		return err
	})
	if err != nil || tree.N == 0 {
		return err
	}
	msg, err := note.Sign(&note.Note{Text: string(tlog.FormatTree(tree))}, l.signer)
	if err != nil {
		return err
	}
	return fsatomic.WriteFile(filepath.Join(l.dir, "heads", fmt.Sprintf("%012d.note", tree.N)), msg, 0o644)
}

// Record runs change in a transaction of tenantID together with the audit
// record rec (outcome "ok"), then publishes the new head. If change fails,
// the failure itself is recorded (outcome "refused" for a person's mistake,
// "failed" otherwise) in its own transaction, and change's error returned.
func (l *Log) Record(ctx context.Context, db *store.DB, tenantID int64, rec Record, change func(*store.Tx) error) error {
	err := db.InTenant(ctx, tenantID, func(tx *store.Tx) error {
		if change != nil {
			if err := change(tx); err != nil {
				return err
			}
		}
		rec.Outcome = "ok"
		return Append(ctx, tx, rec)
	})
	if err != nil {
		rec.Outcome = "failed"
		e := errcode.From(err)
		if e.Code != errcode.Internal {
			rec.Outcome = "refused"
		}
		if rec.Details == nil {
			rec.Details = map[string]any{}
		}
		rec.Details["error"] = string(e.Code)
		if aerr := db.Global(ctx, func(tx *store.Tx) error { return Append(ctx, tx, rec) }); aerr == nil {
			l.Publish(ctx, db)
		}
		return err
	}
	return l.Publish(ctx, db)
}

// List returns the records of tenant (all when tenant is ""), oldest first.
func List(ctx context.Context, db *store.DB, tenant string, limit int) ([]Record, error) {
	var out []Record
	err := db.ReadGlobal(ctx, func(tx *store.Tx) error {
		q := `select seq, time, tenant, actor, action, target, outcome, details from audit_records`
		args := []any{}
		if tenant != "" {
			q += ` where tenant = $1`
			args = append(args, tenant)
		}
		q += ` order by seq`
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return store.Err(err, "list audit records")
		}
		defer rows.Close()
		for rows.Next() {
			var r Record
			var ts, details string
			if err := rows.Scan(&r.Seq, &ts, &r.Tenant, &r.Actor, &r.Action, &r.Target, &r.Outcome, &details); err != nil {
				return store.Err(err, "scan audit record")
			}
			r.Time, _ = time.Parse(time.RFC3339Nano, ts)
			json.Unmarshal([]byte(details), &r.Details)
			out = append(out, r)
		}
		return rows.Err()
	})
	if limit > 0 && len(out) > limit {
		out = out[len(out)-limit:]
	}
	return out, err
}

// memHashes is a tlog.HashReader over hashes recomputed in memory.
type memHashes []tlog.Hash

func (m memHashes) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, idx := range indexes {
		if idx < 0 || idx >= int64(len(m)) {
			return nil, fmt.Errorf("hash %d not in tree", idx)
		}
		out[i] = m[idx]
	}
	return out, nil
}

// Report is what Verify found.
type Report struct {
	Records      int64  `json:"records"`
	Heads        int    `json:"signed_heads"`
	NewestHead   int64  `json:"newest_head_size"`
	UnsignedTail int64  `json:"unsigned_tail"` // records written after the newest head (a crash between commit and publish)
	TreeHash     string `json:"tree_hash"`
}

func tampered(format string, args ...any) error {
	return errcode.New(errcode.Tampered, "Audit log tampered: "+format, args...)
}

// Verify recomputes every hash from the records, compares them with the
// stored hashes, checks every signed head's signature and that each is a
// prefix of the current tree (a tlog consistency proof). The first problem
// found is returned as an audit_tampered error naming the place.
func (l *Log) Verify(ctx context.Context, db *store.DB) (Report, error) {
	var rep Report
	var mem memHashes
	err := db.ReadGlobal(ctx, func(tx *store.Tx) error {
		rows, err := tx.QueryContext(ctx, `select seq, time, tenant, actor, action, target, outcome, details from audit_records order by seq`)
		if err != nil {
			return store.Err(err, "read audit records")
		}
		defer rows.Close()
		var n int64
		for rows.Next() {
			var seq int64
			var t, tenant, actor, action, target, outcome, details string
			if err := rows.Scan(&seq, &t, &tenant, &actor, &action, &target, &outcome, &details); err != nil {
				return store.Err(err, "scan audit record")
			}
			if seq != n {
				return tampered("record %d is missing (found record %d in its place)", n, seq)
			}
			hs, err := tlog.StoredHashes(n, leaf(seq, t, tenant, actor, action, target, outcome, details), mem)
			if err != nil {
				return err
			}
			mem = append(mem, hs...)
			n++
		}
		if err := rows.Err(); err != nil {
			return store.Err(err, "read audit records")
		}
		rep.Records = n
		hrows, err := tx.QueryContext(ctx, `select idx, hash from audit_hashes order by idx`)
		if err != nil {
			return store.Err(err, "read audit hashes")
		}
		defer hrows.Close()
		var i int64
		for hrows.Next() {
			var idx int64
			var h []byte
			if err := hrows.Scan(&idx, &h); err != nil {
				return store.Err(err, "scan audit hash")
			}
			if idx != i || i >= int64(len(mem)) {
				return tampered("stored hash %d is missing or extra (record %d)", i, recordOfHash(i, n))
			}
			if string(h) != string(mem[i][:]) {
				return tampered("record %d does not match its stored hash %d", recordOfHash(i, n), i)
			}
			i++
		}
		if err := hrows.Err(); err != nil {
			return store.Err(err, "read audit hashes")
		}
		if i != int64(len(mem)) {
			return tampered("stored hashes end at %d but the records need %d (record %d)", i, len(mem), recordOfHash(i, n))
		}
		return nil
	})
	if err != nil {
		return rep, err
	}
	heads, err := l.readHeads()
	if err != nil {
		return rep, err
	}
	rep.Heads = len(heads)
	if rep.Records == 0 {
		if len(heads) > 0 {
			return rep, tampered("the log is empty but signed head %s says it held %d records", heads[len(heads)-1].file, heads[len(heads)-1].tree.N)
		}
		return rep, nil
	}
	if len(heads) == 0 {
		return rep, tampered("there is no signed tree head in %s for %d records", filepath.Join(l.dir, "heads"), rep.Records)
	}
	current, err := tlog.TreeHash(rep.Records, mem)
	if err != nil {
		return rep, err
	}
	rep.TreeHash = current.String()
	newest := heads[len(heads)-1]
	rep.NewestHead = newest.tree.N
	rep.UnsignedTail = rep.Records - newest.tree.N
	// Newest first: a truncated log shows first as a head larger than the log.
	for k := len(heads) - 1; k >= 0; k-- {
		h := heads[k]
		if h.tree.N > rep.Records {
			return rep, tampered("signed head %s covers %d records but the log has only %d (truncated at record %d)", h.file, h.tree.N, rep.Records, rep.Records)
		}
		proof, err := tlog.ProveTree(rep.Records, h.tree.N, mem)
		if err != nil {
			return rep, err
		}
		if err := tlog.CheckTree(proof, rep.Records, current, h.tree.N, h.tree.Hash); err != nil {
			return rep, tampered("signed head %s is not a prefix of the current tree (records before %d were changed)", h.file, h.tree.N)
		}
	}
	return rep, nil
}

// recordOfHash finds the record whose append stored hash index idx.
func recordOfHash(idx, n int64) int64 {
	return int64(sort.Search(int(n), func(i int) bool { return tlog.StoredHashIndex(0, int64(i)+1) > idx }))
}

type head struct {
	file string
	tree tlog.Tree
}

func (l *Log) readHeads() ([]head, error) {
	dir := filepath.Join(l.dir, "heads")
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read signed heads: %w", err)
	}
	var out []head
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".note") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		n, err := note.Open(b, note.VerifierList(l.verifier))
		if err != nil {
			return nil, tampered("signed head %s does not carry a valid signature of this installation's key", path)
		}
		t, err := tlog.ParseTree([]byte(n.Text))
		if err != nil {
			return nil, tampered("signed head %s is malformed", path)
		}
		if want, _ := strconv.ParseInt(strings.TrimSuffix(e.Name(), ".note"), 10, 64); want != t.N {
			return nil, tampered("signed head %s names size %d in its file name but %d inside", path, want, t.N)
		}
		out = append(out, head{file: path, tree: t})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].tree.N < out[j].tree.N })
	return out, nil
}
