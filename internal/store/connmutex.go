package store

import (
	"unsafe"

	sqlite3 "modernc.org/sqlite/lib"
)

// withoutConnMutex runs f, a run of calls on the SQLite driver connection
// dc made by this goroutine alone, with that connection's SQLite mutex set
// aside, and puts it back before returning (also on a panic).
//
// Why: modernc's driver opens every connection SQLITE_OPEN_FULLMUTEX, so
// each sqlite3_bind_* locks and unlocks the connection's mutex (and so does
// the bind_null that clears each text after a statement): about 19 lock and
// unlock pairs a shift, 0.65 s of a 3.15 s million-shift import whose time
// is all on that one connection. The mutex protects nothing here: the
// driver's documentation says a connection must not be used by two
// goroutines at once whatever the mutex, database/sql hands a connection to
// one user at a time, and Tx.raw holds it for the whole call. SQLite runs
// every API call with a NULL mutex as a no-op (its SQLITE_OPEN_NOMUTEX
// mode), and sqlite3_interrupt, the one call the driver makes from another
// goroutine (a cancelled context), takes no mutex.
//
// The connection's handle is an unexported field of the driver's
// connection: if a later driver version renames or retypes it, this runs f
// with the mutex, as before; Tsqlite3's layout is that of the pinned
// driver, checked by the compiler.
func withoutConnMutex(dc any, f func() error) error {
	handle := sqliteHandle(dc)
	if handle == nil {
		return f()
	}
	saved := handle.Fmutex
	handle.Fmutex = 0
	defer func() { handle.Fmutex = saved }()
	return f()
}

// sqliteHandle is the sqlite3 handle of modernc's driver connection dc,
// nil if dc is not one.
func sqliteHandle(dc any) *sqlite3.Tsqlite3 {
	addr := sqliteConnField(dc, "db")
	if addr == 0 {
		return nil
	}
	return *(**sqlite3.Tsqlite3)(unsafe.Pointer(&addr))
}
