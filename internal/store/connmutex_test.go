package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"path/filepath"
	"testing"
)

// The bulk insert sets the SQLite connection's mutex aside only while it
// runs, and puts it back after, also when it fails or panics; statements
// run meanwhile do their work; anything that is not modernc's connection is
// left as it is.
func TestWithoutConnMutex(t *testing.T) {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		h := sqliteHandle(dc)
		if h == nil || h.Fmutex == 0 {
			t.Fatalf("no handle, or no mutex to set aside, in %T", dc)
		}
		saved := h.Fmutex
		exec := dc.(driver.ExecerContext)
		err := withoutConnMutex(dc, func() error {
			if h.Fmutex != 0 {
				t.Error("the mutex is still in place")
			}
			if _, err := exec.ExecContext(ctx, "create table t (x integer)", nil); err != nil {
				return err
			}
			_, err := exec.ExecContext(ctx, "insert into t values (?), (?)", []driver.NamedValue{{Ordinal: 1, Value: int64(1)}, {Ordinal: 2, Value: int64(2)}})
			return err
		})
		if err != nil || h.Fmutex != saved {
			t.Errorf("after a run: %v, mutex %#x, want %#x", err, h.Fmutex, saved)
		}
		func() {
			defer func() { _ = recover() }()
			_ = withoutConnMutex(dc, func() error { panic("boom") })
		}()
		if h.Fmutex != saved {
			t.Errorf("after a panic: mutex %#x, want %#x", h.Fmutex, saved)
		}
		if sqliteHandle(&struct{ db uintptr }{db: 1}) != nil || sqliteHandle("conn") != nil {
			t.Error("a handle found in something that is not modernc's connection")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := conn.QueryRowContext(ctx, "select sum(x) from t").Scan(&n); err != nil || n != 3 {
		t.Errorf("rows written without the mutex: sum %d (%v), want 3", n, err)
	}
}
