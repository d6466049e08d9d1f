package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// CopyRows encodes rows for one table in PostgreSQL's binary COPY format,
// as they come, into one buffer that CopyInto sends in one statement.
// pgx's CopyFrom took rows as [][]any (a slice and boxed values per row),
// asked the server for the columns' types on every call and planned the
// encoding of every value: 0.7 s of CPU in a million-shift import. Here the
// types are read once and a value is written straight into the buffer.
type CopyRows struct {
	kinds []copyKind
	buf   []byte
	rows  int
	// the last date text and its day: rows mostly come a day at a time
	lastDate string
	lastDay  int32
}

type copyKind uint8

const (
	copyBigint copyKind = iota
	copyInteger
	copyDouble
	copyText
	copyDate
)

var copyKinds = map[string]copyKind{"bigint": copyBigint, "integer": copyInteger, "double precision": copyDouble, "text": copyText, "date": copyDate}

// pgEpoch is day 0 of PostgreSQL's binary dates, in days since 1970-01-01.
const pgEpoch = 10957

// copyHeader opens every binary COPY stream: the signature, no flags, no
// header extension.
var copyHeader = []byte("PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00")

// CopyRows reads the types of cols of table (once, not once a COPY) and
// returns an empty encoder for its rows.
func (tx *Tx) CopyRows(ctx context.Context, table string, cols []string) (*CopyRows, error) {
	if tx.conn == nil {
		return nil, fmt.Errorf("copy into %s: not a PostgreSQL transaction", table)
	}
	// on the driver's connection, whole: a writer goroutine's COPY may take
	// the connection as soon as database/sql lets go of it, which it does
	// while rows are still being read
	var names, types []string
	err := tx.raw("read the columns of "+table, func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("unexpected driver connection %T", dc)
		}
		return c.Conn().QueryRow(ctx, "select array_agg(attname::text), array_agg(format_type(atttypid, null)) from pg_attribute where attrelid = $1::regclass and attnum > 0 and not attisdropped",
			pgx.Identifier{table}.Sanitize()).Scan(&names, &types)
	})
	if err != nil {
		return nil, err
	}
	typeOf := map[string]string{}
	for i, n := range names {
		typeOf[n] = types[i]
	}
	c := &CopyRows{buf: append(make([]byte, 0, 1<<20), copyHeader...)}
	for _, col := range cols {
		k, ok := copyKinds[typeOf[col]]
		if !ok {
			return nil, fmt.Errorf("copy into %s: column %s is of type %q, which CopyRows does not write", table, col, typeOf[col])
		}
		c.kinds = append(c.kinds, k)
	}
	return c, nil
}

// Add encodes one row: int64 (bigint, integer), float64, string (text, or
// a date as YYYY-MM-DD), time.Time (a date: its day in its own location,
// as pgx writes one) or nil (NULL).
func (c *CopyRows) Add(vals ...any) error {
	if len(vals) != len(c.kinds) {
		return fmt.Errorf("copy: %d values for %d columns", len(vals), len(c.kinds))
	}
	start := len(c.buf)
	c.buf = binary.BigEndian.AppendUint16(c.buf, uint16(len(vals)))
	for i, v := range vals {
		if err := c.value(c.kinds[i], v); err != nil {
			c.buf = c.buf[:start]
			return fmt.Errorf("copy: column %d: %w", i+1, err)
		}
	}
	c.rows++
	return nil
}

func (c *CopyRows) value(k copyKind, v any) error {
	be := binary.BigEndian
	switch v := v.(type) {
	case nil:
		c.buf = be.AppendUint32(c.buf, math.MaxUint32) // length -1
		return nil
	case int64:
		switch k {
		case copyBigint:
			c.buf = be.AppendUint64(be.AppendUint32(c.buf, 8), uint64(v))
			return nil
		case copyInteger:
			if v < math.MinInt32 || v > math.MaxInt32 {
				return fmt.Errorf("%d is out of range for an integer", v)
			}
			c.buf = be.AppendUint32(be.AppendUint32(c.buf, 4), uint32(int32(v)))
			return nil
		}
	case float64:
		if k == copyDouble {
			c.buf = be.AppendUint64(be.AppendUint32(c.buf, 8), math.Float64bits(v))
			return nil
		}
	case string:
		switch k {
		case copyText:
			c.buf = append(be.AppendUint32(c.buf, uint32(len(v))), v...)
			return nil
		case copyDate:
			if v != c.lastDate {
				t, err := time.Parse(time.DateOnly, v)
				if err != nil {
					return err
				}
				c.lastDate, c.lastDay = strings.Clone(v), int32(t.Unix()/86400-pgEpoch)
			}
			c.buf = be.AppendUint32(be.AppendUint32(c.buf, 4), uint32(c.lastDay))
			return nil
		}
	case time.Time:
		if k == copyDate {
			y, m, d := v.Date()
			day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix()/86400 - pgEpoch
			c.buf = be.AppendUint32(be.AppendUint32(c.buf, 4), uint32(int32(day)))
			return nil
		}
	}
	return fmt.Errorf("a %T cannot be written to a column of kind %d", v, k)
}

// Rows is how many rows are held; Size how many bytes, the stream's header
// included.
func (c *CopyRows) Rows() int { return c.rows }
func (c *CopyRows) Size() int { return len(c.buf) }

// Take returns the rows held as one COPY stream and starts another.
func (c *CopyRows) Take() []byte {
	data := binary.BigEndian.AppendUint16(c.buf, math.MaxUint16) // the trailer: -1
	c.buf, c.rows = append(make([]byte, 0, cap(data)), copyHeader...), 0
	return data
}

// CopyInto sends data (a stream of CopyRows.Take) into table with one
// COPY. PostgreSQL refuses COPY into a table under row-level security:
// table is one without (a temporary table of this transaction, or a table
// staged by StageHR).
func (tx *Tx) CopyInto(ctx context.Context, table string, cols []string, data []byte) error {
	if tx.conn == nil {
		return fmt.Errorf("copy into %s: not a PostgreSQL transaction", table)
	}
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = pgx.Identifier{c}.Sanitize()
	}
	sql := "copy " + pgx.Identifier{table}.Sanitize() + " (" + strings.Join(quoted, ", ") + ") from stdin binary"
	return tx.raw("copy into "+table, func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy into %s: unexpected driver connection %T", table, dc)
		}
		_, err := c.Conn().PgConn().CopyFrom(ctx, bytes.NewReader(data), sql)
		return err
	})
}
