package store_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
)

// CopyRows writes every kind of value the HR import copies in PostgreSQL's
// binary COPY format: what is read back is what was added, through two
// COPYs of one encoder; a value that does not fit its column is refused
// without leaving half a row behind; a column of a type it does not write
// is refused when the encoder is made.
func TestCopyRows(t *testing.T) {
	db := storetest.Open(t, store.Postgres)
	ctx := context.Background()
	tn := storetest.Tenant(t, db, "copy")
	cols := []string{"id", "big", "small", "real", "words", "day"}
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	rows := [][]any{
		{int64(1), int64(math.MaxInt64), int64(math.MinInt32), 1.25, "tab\there, newline\nand \\ backslash", "2024-02-29"},
		{int64(2), nil, nil, nil, nil, nil},
		{int64(3), int64(-1), int64(math.MaxInt32), -0.1, "", day("1999-12-31")},
		{int64(4), int64(0), int64(0), 1e300, "é ✓", "1970-01-01"},
	}
	var got []string
	err := db.InTenant(ctx, tn.ID, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, "create temp table copied (id bigint, big bigint, small integer, real double precision, words text, day date, at timestamptz) on commit drop"); err != nil {
			return err
		}
		if _, err := tx.CopyRows(ctx, "copied", []string{"id", "at"}); err == nil || !strings.Contains(err.Error(), "timestamp with time zone") {
			t.Errorf("a timestamptz column: %v, want a refusal naming its type", err)
		}
		enc, err := tx.CopyRows(ctx, "copied", cols)
		if err != nil {
			return err
		}
		for _, bad := range [][]any{
			{int64(9), int64(0), int64(math.MaxInt32 + 1), 0.0, "", "2024-01-01"}, // too large for an integer
			{int64(9), int64(0), 1.5, 0.0, "", "2024-01-01"},                      // a float for an integer
			{int64(9), int64(0), int64(0), 0.0, "", "2024-13-01"},                 // no such month
			{int64(9), int64(0), int64(0), 0.0, ""},                               // a value short
		} {
			size := enc.Size()
			if err := enc.Add(bad...); err == nil {
				t.Errorf("Add(%v) was accepted", bad)
			}
			if enc.Size() != size || enc.Rows() != 0 {
				t.Errorf("a refused row left %d bytes, %d rows", enc.Size()-size, enc.Rows())
			}
		}
		for i, r := range rows {
			if err := enc.Add(r...); err != nil {
				return err
			}
			if i == 1 { // two COPYs of one encoder
				if err := tx.CopyInto(ctx, "copied", cols, enc.Take()); err != nil {
					return err
				}
			}
		}
		if err := tx.CopyInto(ctx, "copied", cols, enc.Take()); err != nil {
			return err
		}
		r, err := tx.QueryContext(ctx, "select concat_ws('|', id, coalesce(big::text, 'null'), coalesce(small::text, 'null'), coalesce(real::text, 'null'), coalesce(words, 'null'), coalesce(day::text, 'null')) from copied order by id")
		if err != nil {
			return err
		}
		defer r.Close()
		for r.Next() {
			var s string
			if err := r.Scan(&s); err != nil {
				return err
			}
			got = append(got, s)
		}
		return r.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"1|9223372036854775807|-2147483648|1.25|tab\there, newline\nand \\ backslash|2024-02-29",
		"2|null|null|null|null|null",
		"3|-1|2147483647|-0.1||1999-12-31",
		"4|0|0|1e+300|é ✓|1970-01-01",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("read back\n%q\nwant\n%q", got, want)
	}
}

// Making an encoder reads the table's columns on the transaction's
// connection while other goroutines copy on it: the read must hold the
// connection until its rows are read (through database/sql it let go of
// the connection with the rows still coming, and a COPY begun then failed
// with "conn busy").
func TestCopyRowsBesideCopies(t *testing.T) {
	db := storetest.Open(t, store.Postgres)
	ctx := context.Background()
	tn := storetest.Tenant(t, db, "copy-busy")
	err := db.InTenant(ctx, tn.ID, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, "create temp table busy (n bigint, s text) on commit drop"); err != nil {
			return err
		}
		cols := []string{"n", "s"}
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for g := range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				enc, err := tx.CopyRows(ctx, "busy", cols)
				if err != nil {
					errs <- err
					return
				}
				for i := range 200 {
					if err := enc.Add(int64(g*1000+i), strings.Repeat("x", 100)); err != nil {
						errs <- err
						return
					}
					if err := tx.CopyInto(ctx, "busy", cols, enc.Take()); err != nil {
						errs <- err
						return
					}
					if _, err := tx.CopyRows(ctx, "busy", cols); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, "select count(*) from busy").Scan(&n); err != nil {
			return err
		}
		if n != 600 {
			t.Errorf("%d rows copied, want 600", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
