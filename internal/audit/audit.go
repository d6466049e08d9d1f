// Package audit keeps scry's tamper-evident audit log. Every record is a leaf
// of one append-only Merkle tree (golang.org/x/mod/sumdb/tlog) stored next to
// the data it describes and written in the same transaction; after each write
// a signed tree head goes to the object store (the data folder, or the S3
// bucket several scry processes share), outside the database, so that
// rewriting the database alone cannot hide a change. Any number of
// processes append to the one log: the database serialises the appends.
package audit

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/bits"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/fsatomic"
	"github.com/scry-dev/scry/internal/objstore"
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
	Outcome string         `json:"outcome"` // OutcomeOK, OutcomeRefused, OutcomeDenied, OutcomeTimeout, OutcomeError
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

// Log appends records and publishes signed tree heads in an object store.
type Log struct {
	objs     objstore.Store
	signer   note.Signer
	verifier note.Verifier

	mu          sync.Mutex
	lastPublish time.Time
	pending     *time.Timer // a PublishSoon head waiting for its turn

	unrecorded bool // Unrecorded: runs changes and records nothing
}

// Unrecorded is a log that records nothing: for tests, fixtures and the
// load driver, which set up rows through the use cases. It is a value of
// its own, not a nil *Log, so that an actor built without its log fails
// (Record refuses a nil log) instead of acting unaudited.
var Unrecorded = &Log{unrecorded: true}

const keyName = "scry-audit"

// Open loads the signing key from <data>/audit, generating it on first use,
// with the heads in the data folder.
func Open(dataDir string) (*Log, error) { return OpenKey(objstore.NewFolder(dataDir), dataDir, "") }

// Object keys of the log's files in the object store.
const (
	headsPrefix = "audit/heads/"
	verifierKey = "audit/verifier.key"
)

func headKey(n int64) string { return fmt.Sprintf("%s%012d.note", headsPrefix, n) }

// OpenKey is Open with the signing key in keyFile (generated there on first
// use) when keyFile is not empty. A key kept outside the data folder is what
// stops one who can write that folder from rewriting the database and
// signing new heads over it; the public half is then derived from the key
// itself, never read from the data folder.
//
// The signing key is a local file (a secret: never in the object store);
// processes that share an object store must share the key too, and one
// whose key did not sign the newest head refuses to start.
func OpenKey(objs objstore.Store, dataDir, keyFile string) (*Log, error) {
	ctx := context.Background()
	keyPath := keyFile
	if keyPath == "" {
		keyPath = filepath.Join(dataDir, "audit", "signing.key")
		if err := os.MkdirAll(filepath.Dir(keyPath), 0o750); err != nil {
			return nil, fmt.Errorf("create audit folder: %w", err)
		}
	}
	skey, err := os.ReadFile(keyPath)
	if errors.Is(err, os.ErrNotExist) {
		s, v, gerr := note.GenerateKey(rand.Reader, keyName)
		if gerr != nil {
			return nil, gerr
		}
		if keyFile == "" {
			// A verifier key in the store is another process's: a new
			// key here would sign heads that one cannot verify.
			if _, err := objs.Stat(ctx, verifierKey); err == nil {
				return nil, errcode.New(errcode.Invalid, "%s already holds an audit verifier key, and this process has no signing key (%s): every scry process sharing an object store needs the same --audit-key", objs, keyPath)
			}
			if err := objstore.PutBytes(ctx, objs, verifierKey, []byte(v+"\n")); err != nil {
				return nil, err
			}
		}
		if err := fsatomic.WriteFile(keyPath, []byte(s+"\n"), 0o600); err != nil {
			return nil, fmt.Errorf("write audit key: %w", err)
		}
		skey = []byte(s)
	} else if err != nil {
		return nil, fmt.Errorf("read audit key: %w", err)
	}
	signer, err := note.NewSigner(strings.TrimSpace(string(skey)))
	if err != nil {
		return nil, fmt.Errorf("audit key %s: %w", keyPath, err)
	}
	l, err := OpenVerifier(objs, keyFile)
	if err != nil {
		return nil, err
	}
	l.signer = signer
	if err := l.checkNewestHead(ctx); err != nil {
		return nil, err
	}
	return l, nil
}

// checkNewestHead refuses a key that did not sign the newest head: two
// processes with two keys would write heads that cannot both verify.
func (l *Log) checkNewestHead(ctx context.Context) error {
	heads, err := l.headFiles(ctx)
	if err != nil || len(heads) == 0 {
		return err
	}
	b, err := objstore.ReadAll(ctx, l.objs, heads[len(heads)-1].key)
	if objstore.IsNotExist(err) {
		return nil // pruned meanwhile: a newer one exists and is checked at publish
	}
	if err != nil {
		return fmt.Errorf("read the newest audit head: %w", err)
	}
	if _, err := note.Open(b, note.VerifierList(l.verifier)); err != nil {
		return errcode.New(errcode.Invalid, "The audit key of this process did not sign the newest head in %s (%s): every scry process sharing an object store needs the same --audit-key", l.objs, heads[len(heads)-1].key)
	}
	return nil
}

// OpenVerifier opens the log for verification only: it reads the public key
// (derived from keyFile when given, else <data>/audit/verifier.key) and
// never creates a key. A missing or unreadable key is audit_tampered: the
// heads cannot be checked, and a new key would make any forgery pass.
func OpenVerifier(objs objstore.Store, keyFile string) (*Log, error) {
	var vkey string
	if keyFile != "" {
		b, err := os.ReadFile(keyFile)
		if err != nil {
			return nil, errcode.Wrap(errcode.Tampered, err, "Audit log cannot be verified: the audit key %s cannot be read", keyFile)
		}
		if vkey, err = verifierOf(strings.TrimSpace(string(b))); err != nil {
			return nil, errcode.Wrap(errcode.Tampered, err, "Audit log cannot be verified: %s is not an audit signing key", keyFile)
		}
	} else {
		b, err := objstore.ReadAll(context.Background(), objs, verifierKey)
		if err != nil {
			return nil, errcode.Wrap(errcode.Tampered, err, "Audit log cannot be verified: its verifier key %s in %s is missing or unreadable", verifierKey, objs)
		}
		vkey = strings.TrimSpace(string(b))
	}
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, errcode.Wrap(errcode.Tampered, err, "Audit log cannot be verified: its verifier key is malformed")
	}
	return &Log{objs: objs, verifier: verifier}, nil
}

// verifierOf derives the public verifier key from a note signing key
// ("PRIVATE+KEY+name+hash+base64(alg, seed)").
func verifierOf(skey string) (string, error) {
	parts := strings.SplitN(skey, "+", 5) // the key data is base64: it may hold "+"
	if len(parts) != 5 || parts[0] != "PRIVATE" || parts[1] != "KEY" {
		return "", errors.New("not a note signing key")
	}
	raw, err := base64.StdEncoding.DecodeString(parts[4])
	if err != nil || len(raw) != 1+ed25519.SeedSize || raw[0] != 1 {
		return "", errors.New("not an Ed25519 note signing key")
	}
	pub := ed25519.NewKeyFromSeed(raw[1:]).Public().(ed25519.PublicKey)
	return note.NewEd25519VerifierKey(parts[2], pub)
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

type processKey struct{}

// WithProcess names, for the records appended under ctx, the process that
// writes them (see ProcessName): with several servers and workers on one
// log, a record says which of them acted, in its details' "process".
func WithProcess(ctx context.Context, name string) context.Context {
	return context.WithValue(ctx, processKey{}, name)
}

// ProcessName names this process for WithProcess: its role (serve,
// worker), host and process id, e.g. "worker db-7:4121".
func ProcessName(role string) string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s %s:%d", role, host, os.Getpid())
}

// Append adds rec to the log inside tx, so that the record exists exactly
// when the change it describes does. Call Publish after the commit.
func Append(ctx context.Context, tx *store.Tx, rec Record) error {
	if p, _ := ctx.Value(processKey{}).(string); p != "" {
		d := make(map[string]any, len(rec.Details)+1) // the caller's map stays as it was
		for k, v := range rec.Details {
			d[k] = v
		}
		d["process"] = p
		rec.Details = d
	}
	if err := tx.AdvisoryLock(ctx, store.LockAudit); err != nil { // one writer at a time: the tree is a sequence
		return err
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

// Publish signs the current tree head and writes it to <data>/audit/heads,
// then prunes old heads (see pruneHeads).
func (l *Log) Publish(ctx context.Context, db *store.DB) error {
	if l.signer == nil {
		return errors.New("audit log opened for verification only")
	}
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
	key := headKey(tree.N)
	msg, err := note.Sign(&note.Note{Text: string(tlog.FormatTree(tree))}, l.signer)
	if err != nil {
		return err
	}
	// Another process may have signed this size already. The database
	// serialises appends, so its tree is this tree, and Ed25519 signatures
	// are deterministic: the same key writes the same bytes. Different
	// bytes mean another key, which must not go unnoticed.
	if old, err := objstore.ReadAll(ctx, l.objs, key); err == nil {
		if string(old) != string(msg) {
			return fmt.Errorf("audit head %s was signed by another key or over another tree: every scry process sharing the object store needs the same --audit-key", key)
		}
		return nil
	}
	if err := objstore.PutBytes(ctx, l.objs, key, msg); err != nil {
		return err
	}
	l.mu.Lock()
	l.lastPublish = time.Now() // any head starts PublishSoon's interval anew
	l.mu.Unlock()
	return l.pruneHeads(ctx)
}

// PublishEvery bounds how often PublishSoon signs a head: a head per
// audited act would be a file per failed sign-in of an attack. Records
// between heads are the "unsigned tail" that Verify reports; it is at most
// this old while the process runs.
const PublishEvery = time.Second

// PublishSoon signs a head now, or once PublishEvery has passed since the
// last one: acts that come in a burst share one head. It does not wait.
func (l *Log) PublishSoon(db *store.DB) {
	l.mu.Lock()
	defer l.mu.Unlock()
	wait := PublishEvery - time.Since(l.lastPublish)
	if wait <= 0 {
		l.lastPublish = time.Now()
		go l.publishLogged(db)
		return
	}
	if l.pending == nil {
		var t *time.Timer
		t = time.AfterFunc(wait, func() {
			l.mu.Lock()
			if l.pending == t {
				l.pending = nil
			}
			l.lastPublish = time.Now()
			l.mu.Unlock()
			l.publishLogged(db)
		})
		l.pending = t
	}
}

// Flush signs the head that PublishSoon has waiting, now: a server calls
// it when it stops, so that it leaves no unsigned tail behind.
func (l *Log) Flush(ctx context.Context, db *store.DB) error {
	l.mu.Lock()
	t := l.pending
	l.pending = nil
	l.mu.Unlock()
	if t == nil || !t.Stop() {
		return nil // nothing waiting, or its publish is running already
	}
	return l.Publish(ctx, db)
}

// publishLogged publishes in the background; a failure leaves an unsigned
// tail that the next head covers, so it is logged, not returned.
func (l *Log) publishLogged(db *store.DB) {
	if err := l.Publish(context.Background(), db); err != nil {
		slog.Warn("audit: signing a tree head failed; the next one covers these records", "err", err)
	}
}

// KeepNewestHeads and the power-of-two rule below are the pruning policy
// for <data>/audit/heads: the newest 64 heads are kept, and of the older
// ones the first head at or past each power of two of the record count
// (2, 4, …, 2^k), so the folder holds at most about 64 + log2(records)
// files however long scry runs. Every head covers all records before its
// size, so the newest alone proves the whole log; older heads are kept to
// catch a log truncated back together with its newest heads.
const KeepNewestHeads = 64

func (l *Log) pruneHeads(ctx context.Context) error {
	heads, err := l.headFiles(ctx)
	if err != nil {
		return err
	}
	if len(heads) <= KeepNewestHeads {
		return nil
	}
	old := heads[:len(heads)-KeepNewestHeads]
	keep := map[int]bool{}
	for i := range old {
		// the first head past a power of two: its size's highest bit is
		// higher than its predecessor's
		if i == 0 || bits.Len64(uint64(old[i].n)) > bits.Len64(uint64(old[i-1].n)) {
			keep[i] = true
		}
	}
	for i, h := range old {
		if !keep[i] {
			if err := l.objs.Delete(ctx, h.key); err != nil {
				return fmt.Errorf("prune audit head: %w", err)
			}
		}
	}
	return nil
}

type headFile struct {
	key string
	n   int64
}

// headFiles lists the heads by the size in their names, oldest first.
func (l *Log) headFiles(ctx context.Context) ([]headFile, error) {
	list, err := l.objs.List(ctx, headsPrefix)
	if err != nil {
		return nil, fmt.Errorf("list signed heads: %w", err)
	}
	var out []headFile
	for _, o := range list {
		name, ok := strings.CutSuffix(strings.TrimPrefix(o.Key, headsPrefix), ".note")
		if !ok {
			continue
		}
		n, _ := strconv.ParseInt(name, 10, 64)
		out = append(out, headFile{o.Key, n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].n < out[j].n })
	return out, nil
}

// Outcomes of the outcome column: what happened to the act a record is of.
const (
	OutcomeOK       = "ok"
	OutcomeRefused  = "refused"  // invalid or not understood input
	OutcomeDenied   = "denied"   // the actor may not do it
	OutcomeTimeout  = "timeout"  // it took longer than allowed and was stopped
	OutcomeCanceled = "canceled" // its caller stopped it (an interrupt, a shutdown, a client gone)
	OutcomeError    = "error"    // something broke inside scry
)

// OutcomeOf is the outcome column for an act that ended with err.
func OutcomeOf(err error) string {
	if err == nil {
		return OutcomeOK
	}
	switch errcode.From(err).Code {
	case errcode.PermissionDenied, errcode.Unauthenticated:
		return OutcomeDenied
	case errcode.Timeout:
		return OutcomeTimeout
	case errcode.Canceled:
		return OutcomeCanceled
	case errcode.Internal, errcode.Unavailable:
		return OutcomeError
	}
	return OutcomeRefused
}

// Record runs change in a transaction of tenantID together with the audit
// record rec (outcome "ok"), then publishes the new head. If change fails,
// the failure itself is recorded (its outcome from OutcomeOf) in its own
// transaction, and change's error returned. Unrecorded runs change alone;
// a nil Log refuses, so that an act is never done unaudited by mistake.
func (l *Log) Record(ctx context.Context, db *store.DB, tenantID int64, rec Record, change func(*store.Tx) error) error {
	switch {
	case l == nil:
		return errcode.New(errcode.Internal, "no audit log to record %s in", rec.Action)
	case l.unrecorded:
		if change == nil {
			return nil
		}
		return db.InTenant(ctx, tenantID, change)
	}
	err := db.InTenant(ctx, tenantID, func(tx *store.Tx) error {
		if change != nil {
			if err := change(tx); err != nil {
				return err
			}
		}
		rec.Outcome = OutcomeOK
		return Append(ctx, tx, rec)
	})
	if err != nil {
		err = errcode.Interrupted(ctx, err)
		rec.Outcome = OutcomeOf(err)
		if rec.Details == nil {
			rec.Details = map[string]any{}
		}
		rec.Details["error"] = string(errcode.From(err).Code)
		// an act stopped by its caller (an interrupt, a client gone) is
		// still an act: its record does not share the cancellation
		nctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), noteTimeout)
		defer cancel()
		if aerr := l.Note(nctx, db, rec); aerr != nil {
			slog.Error("audit: recording a failed act failed", "action", rec.Action, "err", aerr)
		}
		return err
	}
	return l.Publish(ctx, db)
}

// Actor is who does audited acts, in which tenant: the use cases of the
// domain packages take one, so that every door records an act alike.
type Actor struct {
	DB       *store.DB
	Log      *Log
	TenantID int64
	Tenant   string // the tenant's slug, as records name it
	Name     string // as records name the actor: "user:ann@example.com", "cli:root"
}

// Do runs change in a transaction of the actor's tenant, recorded as
// action on target with details (which change may fill in), as Log.Record.
func (a Actor) Do(ctx context.Context, action, target string, details map[string]any, change func(*store.Tx) error) error {
	return a.Log.Record(ctx, a.DB, a.TenantID, Record{Tenant: a.Tenant, Actor: a.Name, Action: action, Target: target, Details: details}, change)
}

// noteTimeout bounds the record of a failed act made after its caller
// stopped waiting.
const noteTimeout = 10 * time.Second

// Note appends rec, an act that changed nothing of its own (a refused
// sign-in, a portal step), in a transaction of its own and publishes it: at
// once, or with its burst when anyone can cause the act (actor
// "anonymous"), so that a flood of refusals does not write a head each.
func (l *Log) Note(ctx context.Context, db *store.DB, rec Record) error {
	switch {
	case l == nil:
		return errcode.New(errcode.Internal, "no audit log to record %s in", rec.Action)
	case l.unrecorded:
		return nil
	}
	if err := db.Global(ctx, func(tx *store.Tx) error { return Append(ctx, tx, rec) }); err != nil {
		return err
	}
	if rec.Actor == "anonymous" {
		l.PublishSoon(db)
		return nil
	}
	if err := l.Publish(ctx, db); err != nil {
		slog.Warn("audit: signing a tree head failed; the next one covers this record", "err", err)
	}
	return nil
}

// CapText bounds what an unauthenticated request can make scry store.
func CapText(v string) string {
	const most = 200
	if len(v) > most {
		return strings.ToValidUTF8(v[:most], "")
	}
	return v
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
	heads, err := l.readHeads(ctx)
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
		return rep, tampered("there is no signed tree head in %s (%s) for %d records", l.objs, headsPrefix, rep.Records)
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

func (l *Log) readHeads(ctx context.Context) ([]head, error) {
	files, err := l.headFiles(ctx)
	if err != nil {
		return nil, err
	}
	var out []head
	for _, f := range files {
		b, err := objstore.ReadAll(ctx, l.objs, f.key)
		if objstore.IsNotExist(err) {
			continue // pruned by a running server since the listing
		}
		if err != nil {
			return nil, err
		}
		n, err := note.Open(b, note.VerifierList(l.verifier))
		if err != nil {
			return nil, tampered("signed head %s does not carry a valid signature of this installation's key", f.key)
		}
		t, err := tlog.ParseTree([]byte(n.Text))
		if err != nil {
			return nil, tampered("signed head %s is malformed", f.key)
		}
		if f.n != t.N {
			return nil, tampered("signed head %s names size %d in its file name but %d inside", f.key, f.n, t.N)
		}
		out = append(out, head{file: f.key, tree: t})
	}
	return out, nil
}
