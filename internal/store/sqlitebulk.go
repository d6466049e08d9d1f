package store

import (
	"context"
	"fmt"
	"reflect"
	"unsafe"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// sqliteError is an error SQLite returned to execEachSQLite, with its
// extended result code: Err and isTimeout read it as they read the
// driver's own errors.
type sqliteError struct {
	code int
	msg  string
}

func (e *sqliteError) Error() string { return fmt.Sprintf("%s (%d)", e.msg, e.code) }
func (e *sqliteError) Code() int     { return e.code }

// execEachSQLite is ExecEach on modernc's SQLite connection dc: it
// prepares query itself and binds each value through SQLite's C API, the
// texts of a statement copied into one buffer that SQLite reads in place
// (SQLITE_STATIC). The driver's statement instead copied every text into
// memory of its own and freed it after, looked each parameter's name up
// and cleared every text binding again: 0.95 s of a million-shift import
// of 3.7 s, all of it on the one connection the import's time waits on.
// ok is false when dc is not modernc's connection (or its fields are not
// where this version of the driver keeps them) or a value is a
// time.Time, whose text the driver formats: the caller then runs the
// driver's statement.
func execEachSQLite(ctx context.Context, dc any, query string, args []any, n int) (err error, ok bool) {
	db := sqliteConnField(dc, "db")
	if db == 0 {
		return nil, false
	}
	texts := 0 // the most text bytes one statement binds
	for from := 0; from < len(args); from += n {
		size := 0
		for _, v := range args[from : from+n] {
			switch x := v.(type) {
			case string:
				size += len(x)
			case int64, float64, nil:
			default:
				return nil, false
			}
		}
		texts = max(texts, size)
	}
	tls := libc.NewTLS()
	defer tls.Close()
	fail := func() error {
		return &sqliteError{code: int(sqlite3.Xsqlite3_extended_errcode(tls, db)), msg: libc.GoString(sqlite3.Xsqlite3_errmsg(tls, db))}
	}
	// The texts' buffer is made first so that it is freed last: SQLite
	// may read a SQLITE_STATIC binding until the statement is finalized.
	// It is never NULL, also when every text is empty: SQLite binds a NULL
	// pointer as a NULL value.
	buf := libc.Xmalloc(tls, uint64(texts+1))
	if buf == 0 {
		return fmt.Errorf("exec each: out of memory for %d bytes", texts+1), true
	}
	defer libc.Xfree(tls, buf)
	text := unsafe.Slice((*byte)(cMemory(buf)), texts+1)
	q, err := libc.CString(query)
	if err != nil {
		return err, true
	}
	defer libc.Xfree(tls, q)
	pp := tls.Alloc(8)
	defer tls.Free(8)
	if rc := sqlite3.Xsqlite3_prepare_v2(tls, db, q, -1, pp, 0); rc != sqlite3.SQLITE_OK {
		return fail(), true
	}
	stmt := *(*uintptr)(cMemory(pp))
	if stmt == 0 {
		return nil, true // no statement in query (a comment): nothing to run, as through the driver
	}
	defer sqlite3.Xsqlite3_finalize(tls, stmt)
	for from := 0; from < len(args); from += n {
		if err := ctx.Err(); err != nil {
			return err, true
		}
		off := 0
		for i, v := range args[from : from+n] {
			var rc int32
			switch x := v.(type) {
			case int64:
				rc = sqlite3.Xsqlite3_bind_int64(tls, stmt, int32(i+1), x)
			case float64:
				rc = sqlite3.Xsqlite3_bind_double(tls, stmt, int32(i+1), x)
			case string:
				copy(text[off:], x)
				rc = sqlite3.Xsqlite3_bind_text(tls, stmt, int32(i+1), buf+uintptr(off), int32(len(x)), 0)
				off += len(x)
			case nil:
				rc = sqlite3.Xsqlite3_bind_null(tls, stmt, int32(i+1))
			}
			if rc != sqlite3.SQLITE_OK {
				return fail(), true
			}
		}
		rc := sqlite3.Xsqlite3_step(tls, stmt)
		for rc == sqlite3.SQLITE_ROW { // a RETURNING clause's rows, which ExecEach drops
			rc = sqlite3.Xsqlite3_step(tls, stmt)
		}
		if rc != sqlite3.SQLITE_DONE {
			err := fail()
			sqlite3.Xsqlite3_reset(tls, stmt)
			return err, true
		}
		sqlite3.Xsqlite3_reset(tls, stmt)
	}
	return nil, true
}

// sqliteConnField is the uintptr field name (a handle in the C heap of
// modernc's libc, which Go's collector neither moves nor frees) of
// modernc's driver connection dc; 0 if dc is not one or has no such field.
func sqliteConnField(dc any, name string) uintptr {
	v := reflect.ValueOf(dc)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct || v.Elem().Type().PkgPath() != "modernc.org/sqlite" {
		return 0
	}
	field := v.Elem().FieldByName(name)
	if !field.IsValid() || field.Kind() != reflect.Uintptr {
		return 0
	}
	return uintptr(field.Uint())
}

// cMemory is the address p, in the C heap of modernc's libc, as a pointer
// (through a variable, as the driver converts its own).
func cMemory(p uintptr) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&p)) }
