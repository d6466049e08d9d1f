package audit_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/objstore/objstoretest"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
)

// TestProcessesAppendToOneLog: two processes (two store handles, two
// logs, each with its own data folder, sharing the database, the object
// store and the audit key) append 40 records at once. The log has every
// record once, in one sequence, every head any of them signed verifies
// against the one tree, and no size was signed twice differently. Run on
// both databases, with the heads in the folder (SQLite) and in S3
// (PostgreSQL: the multi-machine setup).
func TestProcessesAppendToOneLog(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		kind := objstoretest.Folder
		if d == store.Postgres {
			kind = objstoretest.S3
		}
		ctx := context.Background()
		cfg := storetest.Config(t, d)
		dirs := []string{t.TempDir(), t.TempDir()}
		objs := objstoretest.Machines(t, kind, dirs...)
		key := filepath.Join(t.TempDir(), "audit.key")
		type proc struct {
			db  *store.DB
			log *audit.Log
		}
		var procs []proc
		for i := range dirs {
			db, err := store.Open(ctx, cfg) // on SQLite: one file, two handles

			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			log, err := audit.OpenKey(objs[i], dirs[i], key)
			if err != nil {
				t.Fatal(err)
			}
			procs = append(procs, proc{db, log})
		}
		const n = 40
		start := time.Now()
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := 0; i < n; i++ {
			p := procs[i%2]
			wg.Add(1)
			go func() {
				defer wg.Done()
				rec := audit.Record{Tenant: "acme", Actor: fmt.Sprintf("proc%d", i%2), Action: "test.append", Target: fmt.Sprint(i)}
				errs <- p.log.Record(ctx, p.db, 0, rec, nil)
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("append: %v", err)
			}
		}
		t.Logf("%s: %d concurrent appends from 2 processes in %s", d, n, time.Since(start).Round(time.Millisecond))
		for i, p := range procs {
			rep, err := p.log.Verify(ctx, p.db)
			if err != nil || rep.Records != n || rep.NewestHead != n || rep.Heads < 2 {
				t.Fatalf("verify from process %d: %+v %v", i, rep, err)
			}
		}
		recs, err := audit.List(ctx, procs[0].db, "acme", 0)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for i, r := range recs {
			if r.Seq != int64(i) || seen[r.Target] {
				t.Fatalf("record %d: seq %d, target %s seen before %v", i, r.Seq, r.Target, seen[r.Target])
			}
			seen[r.Target] = true
		}
		if len(seen) != n {
			t.Fatalf("%d distinct records, want %d", len(seen), n)
		}

		// A third process with a key of its own may not sign heads here.
		_, err = audit.OpenKey(objs[0], t.TempDir(), filepath.Join(t.TempDir(), "other.key"))
		if errcode.From(err).Code != errcode.Invalid {
			t.Fatalf("a process with another key started: %v", err)
		}
		// Without --audit-key each data folder would make its own key: the
		// second process to share a fresh store is refused.
		fresh := objstoretest.Machines(t, kind, t.TempDir(), t.TempDir())
		if _, err := audit.OpenKey(fresh[0], t.TempDir(), ""); err != nil {
			t.Fatal(err)
		}
		if _, err := audit.OpenKey(fresh[1], t.TempDir(), ""); errcode.From(err).Code != errcode.Invalid {
			t.Fatalf("a second process made a key of its own: %v", err)
		}
	})
}
