package store_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
)

// Median gives the middle value, the mean of the two middle ones for an
// even count, NULLs left out and NULL for none, the same on both databases.
func TestMedian(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		rows := "select 'a' as g, 1.0 as x union all select 'a', 3.0 union all select 'a', 2.0" +
			" union all select 'b', 4.0 union all select 'b', 1.0 union all select 'b', cast(null as double precision)" +
			" union all select 'c', cast(null as double precision) union all select 'd', 7" +
			" union all select 'e', 5 union all select 'e', 1 union all select 'e', 2 union all select 'e', 10"
		want := map[string]sql.NullFloat64{"a": {Float64: 2, Valid: true}, "b": {Float64: 2.5, Valid: true}, "c": {}, "d": {Float64: 7, Valid: true}, "e": {Float64: 3.5, Valid: true}}
		got := map[string]sql.NullFloat64{}
		err := db.Global(context.Background(), func(tx *store.Tx) error {
			r, err := tx.QueryContext(context.Background(), "select g, "+d.Median("x")+" from ("+rows+") t group by g order by g")
			if err != nil {
				return err
			}
			defer r.Close()
			for r.Next() {
				var g string
				var v sql.NullFloat64
				if err := r.Scan(&g, &v); err != nil {
					return err
				}
				got[g] = v
			}
			return r.Err()
		})
		if err != nil {
			t.Fatal(err)
		}
		for g, w := range want {
			if got[g] != w {
				t.Errorf("median of %s: got %+v, want %+v", g, got[g], w)
			}
		}
	})
}
