package store_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
)

// TestStatementTimeoutIsTimeout: a statement stopped by PostgreSQL's
// statement_timeout, or by the deadline SQLite's statements run under,
// is the error code timeout (503, exit 1) — not internal (500).
func TestStatementTimeoutIsTimeout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		ctx := context.Background()
		// A statement that runs for seconds on either database.
		slow := `with recursive n(i) as (select 1 union all select i + 1 from n where i < 100000000) select count(*) from n`
		timeout := 50 * time.Millisecond
		qctx := ctx
		if d == store.SQLite {
			var cancel context.CancelFunc
			qctx, cancel = context.WithTimeout(ctx, timeout)
			defer cancel()
		}
		err := db.ReadGlobal(qctx, func(tx *store.Tx) error {
			if err := tx.SetStatementTimeout(qctx, timeout); err != nil {
				return err
			}
			var n int64
			return store.Err(tx.QueryRowContext(qctx, slow).Scan(&n), "slow statement")
		})
		if !errcode.Is(err, errcode.Timeout) || errcode.HTTPStatus(err) != http.StatusServiceUnavailable || errcode.ExitStatus(err) != 1 {
			t.Fatalf("a timed-out statement: %v (code %s, HTTP %d, exit %d), want timeout, 503, 1",
				err, errcode.From(err).Code, errcode.HTTPStatus(err), errcode.ExitStatus(err))
		}
	})
}
