// Package store opens scry's database — embedded SQLite in the data folder by
// default, PostgreSQL when a URL is given — applies the embedded migrations,
// and runs every tenant-owned read and write inside a transaction bound to one
// tenant. On PostgreSQL that binding is also enforced by row-level security.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/scry-dev/scry/internal/errcode"
)

// Dialect tells the SQL flavours apart where they differ.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Config says where the data lives.
type Config struct {
	DataDir     string // the data folder; the SQLite file lives here
	DatabaseURL string // PostgreSQL URL for the application role; empty = SQLite
	MigrateURL  string // PostgreSQL URL for the owner role that runs migrations; empty = DatabaseURL
	AppRole     string // PostgreSQL role granted access by migrations (default scry_app)
}

// DB is an open store. Writes go through one connection on SQLite (its single
// writer); reads use a pool.
type DB struct {
	Dialect Dialect
	write   *sql.DB
	read    *sql.DB
	cfg     Config
}

// Open opens (creating when needed) the store and applies pending migrations.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	if cfg.AppRole == "" {
		cfg.AppRole = "scry_app"
	}
	var db *DB
	var err error
	if cfg.DatabaseURL == "" {
		db, err = openSQLite(cfg)
	} else {
		db, err = openPostgres(cfg)
	}
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if db.Dialect == Postgres {
		if err := db.checkAppRole(ctx); err != nil {
			db.Close()
			return nil, err
		}
	}
	return db, nil
}

// createSQLite creates the database file with 16 KiB pages if there is
// none yet (a database keeps the page size it was created with, and the
// driver sets a DSN's pragmas in name order, WAL before the page size): a
// million-shift import took 5.4–5.8 s against 6.1–6.9 s with 4 KiB pages
// (fewer B-tree page splits), questions that read every shift 180–200 ms
// against 240 ms, and those the rollups answer the same.
func createSQLite(path string) error {
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	db, err := sql.Open("sqlite", sqliteFile(path))
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Exec("pragma page_size = 16384; pragma journal_mode = wal")
	return err
}

// legacySQLite is the file earlier versions opened for path, whose
// unescaped '#' or '?' ended the file name there, when that file holds a
// database and path holds none; "" otherwise.
func legacySQLite(path string) string {
	cut := strings.IndexAny(path, "#?")
	if cut < 0 {
		return ""
	}
	if _, err := os.Stat(path); err == nil {
		return ""
	}
	legacy := path[:cut]
	head := make([]byte, 16)
	f, err := os.Open(legacy)
	if err != nil {
		return ""
	}
	defer f.Close()
	if _, err := io.ReadFull(f, head); err != nil || string(head) != "SQLite format 3\x00" {
		return ""
	}
	return legacy
}

// sqliteFile is path as the file: URI SQLite opens, its '%', '?' and '#'
// escaped: a data folder with a '#' in its name opened the file named by
// what came before it (the rest was read as a URI fragment), another
// folder's database.
func sqliteFile(path string) string {
	return "file:" + strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}

func openSQLite(cfg Config) (*DB, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, errcode.Wrap(errcode.Invalid, err, "Cannot create the data folder %s", cfg.DataDir)
	}
	path := filepath.Join(cfg.DataDir, "scry.db")
	if legacy := legacySQLite(path); legacy != "" {
		return nil, errcode.New(errcode.Invalid, "Earlier versions of scry kept this data folder's database at %s (a '#' or '?' in the folder's name cut its path short); move it into the folder before starting scry: mv '%s' '%s'", legacy, legacy, path)
	}
	if err := createSQLite(path); err != nil {
		return nil, err
	}
	base := sqliteFile(path) + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_pragma=temp_store(MEMORY)"
	// The writer and each of the readers get an 8 MB page cache, so that
	// memory stays bounded however long the server runs. (A 32 MB writer
	// cache added 45 MB to a million-shift import's peak and no speed:
	// 42–58 s against 42 s on a loaded machine, inserts append.)
	w, err := sql.Open("sqlite", base+"&_pragma=cache_size(-8000)&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1) // SQLite has one writer; queueing here beats SQLITE_BUSY
	w.SetConnMaxIdleTime(0)
	r, err := sql.Open("sqlite", base+"&_pragma=cache_size(-8000)&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(8)
	return &DB{Dialect: SQLite, write: w, read: r, cfg: cfg}, nil
}

func openPostgres(cfg Config) (*DB, error) {
	p, err := sql.Open("pgx", cfg.DatabaseURL)
	if err != nil {
		return nil, errcode.Wrap(errcode.Invalid, err, "The database URL is not valid")
	}
	p.SetMaxOpenConns(20)
	p.SetMaxIdleConns(20)
	p.SetConnMaxIdleTime(5 * time.Minute)
	return &DB{Dialect: Postgres, write: p, read: p, cfg: cfg}, nil
}

// Close releases the connections.
func (db *DB) Close() error {
	err := db.write.Close()
	if db.read != db.write {
		if e := db.read.Close(); err == nil {
			err = e
		}
	}
	return err
}

// checkAppRole refuses to run as a role that row-level security would not
// bind: a superuser, a BYPASSRLS role, or the owner of the tables.
func (db *DB) checkAppRole(ctx context.Context) error {
	var super, bypass, owner bool
	var user string
	err := db.read.QueryRowContext(ctx, `
		select r.rolname, r.rolsuper, r.rolbypassrls,
		       exists (select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
		               where n.nspname = current_schema() and c.relname = 'employees'
		                 and pg_has_role(current_user, c.relowner, 'USAGE'))
		from pg_roles r where r.rolname = current_user`).Scan(&user, &super, &bypass, &owner)
	if err != nil {
		return db.Err(err, "check the database role")
	}
	if super || bypass || owner {
		return errcode.New(errcode.Invalid,
			"The database URL connects as %q, which bypasses row-level security (superuser, BYPASSRLS or table owner); connect as the application role and give the owner role in SCRY_MIGRATE_DATABASE_URL (see README, PostgreSQL)", user)
	}
	return nil
}

// Tx is a transaction bound to one tenant (or to none, for global tables).
type Tx struct {
	*sql.Tx
	Dialect  Dialect
	TenantID int64
	conn     *sql.Conn       // a write's connection, for COPY (PostgreSQL) and ExecEach
	staged   map[string]bool // PostgreSQL: the staging tables CopyFrom created
	// mu guards what goes to the driver's connection outside database/sql
	// (raw): prepared, and ended, set as the transaction ends, after which
	// the connection would run a statement outside it (autocommitted)
	mu       sync.Mutex
	prepared map[string]driver.Stmt
	ended    bool
}

// raw runs f on the transaction's driver connection while the transaction
// is open. A lost connection (driver.ErrBadConn) and a panic come back as
// errors: either would make sql.Conn.Raw close the connection, which waits
// for the open transaction, for ever.
func (tx *Tx) raw(what string, f func(dc any) error) error {
	tx.mu.Lock()
	defer tx.mu.Unlock()
	if tx.ended {
		return fmt.Errorf("%s: %w", what, sql.ErrTxDone)
	}
	return tx.conn.Raw(func(dc any) (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("%s: panic: %v", what, p)
			}
		}()
		if err = f(dc); errors.Is(err, driver.ErrBadConn) {
			err = fmt.Errorf("%s: the database connection was lost (%v)", what, err.Error())
		}
		// A failed statement may have ended the transaction (SQLite's
		// INSERT OR ROLLBACK rolls it back), after which the connection
		// would run the next one on its own, committed: none follows.
		tx.ended = tx.ended || err != nil
		return err
	})
}

// ExecEach runs query once for every n values of args, in order, holding
// the transaction's connection for all of them: the bulk insert of an
// import, 32 rows a statement. The values go to the driver's statement as
// they are (int64, float64, string, time.Time or nil, checked here), not
// through database/sql's conversion of every argument of every call,
// which took 0.3 s of a million-shift import on SQLite. On SQLite the
// statement goes through SQLite's C API, prepared for the call
// (execEachSQLite); elsewhere through the driver's statement, prepared once
// per transaction and closed with it.
func (tx *Tx) ExecEach(ctx context.Context, query string, args []any, n int) error {
	switch {
	case tx.conn == nil:
		return errors.New("exec each: a read-only transaction")
	case n <= 0 || len(args)%n != 0:
		return fmt.Errorf("exec each: %d values do not make statements of %d", len(args), n)
	}
	for i, v := range args { // all of them before any statement runs
		switch v.(type) {
		case int64, float64, string, time.Time, nil:
		default:
			return fmt.Errorf("exec each: value %d is a %T", i+1, v)
		}
	}
	return tx.raw("exec each", func(dc any) error {
		if tx.Dialect == SQLite {
			return withoutConnMutex(dc, func() error {
				if err, ok := execEachSQLite(ctx, dc, query, args, n); ok {
					return err
				}
				return tx.execEach(ctx, dc, query, args, n)
			})
		}
		return tx.execEach(ctx, dc, query, args, n)
	})
}

// execEach runs ExecEach through the driver's prepared statement.
func (tx *Tx) execEach(ctx context.Context, dc any, query string, args []any, n int) error {
	stmt := tx.prepared[query]
	if stmt == nil {
		prep, ok := dc.(driver.ConnPrepareContext)
		if !ok {
			return fmt.Errorf("exec each: driver connection %T cannot prepare", dc)
		}
		var err error
		if stmt, err = prep.PrepareContext(ctx, query); err != nil {
			return err
		}
		if tx.prepared == nil {
			tx.prepared = map[string]driver.Stmt{}
		}
		tx.prepared[query] = stmt
	}
	exec, ok := stmt.(driver.StmtExecContext)
	if !ok {
		return fmt.Errorf("exec each: driver statement %T cannot execute", stmt)
	}
	named := make([]driver.NamedValue, n)
	for i := range named {
		named[i].Ordinal = i + 1
	}
	for from := 0; from < len(args); from += n {
		for i, v := range args[from : from+n] {
			named[i].Value = v
		}
		if _, err := exec.ExecContext(ctx, named); err != nil {
			return err
		}
	}
	return nil
}

// end closes what ExecEach prepared, before the transaction ends, and
// refuses every later use of the driver's connection through raw.
func (tx *Tx) end() error {
	tx.mu.Lock()
	defer tx.mu.Unlock()
	tx.ended = true
	if len(tx.prepared) == 0 {
		return nil
	}
	return tx.conn.Raw(func(any) error {
		var errs []error
		for _, s := range tx.prepared {
			errs = append(errs, s.Close())
		}
		tx.prepared = nil
		return errors.Join(errs...)
	})
}

// CopyFrom bulk-loads rows into table inside this transaction. PostgreSQL
// refuses COPY into tables under row-level security, so the rows are copied
// into a transaction-local staging table, and MoveStaged moves what is
// there with one INSERT … SELECT, which the policies check like any
// insert. (The HR import moves every 65,536 rows, while it reads on; a
// move and a TRUNCATE per COPY of 4,096 rows took longer than the COPYs.)
func (tx *Tx) CopyFrom(ctx context.Context, table string, cols []string, data []byte) error {
	if tx.conn == nil {
		return fmt.Errorf("copy into %s: not a PostgreSQL transaction", table)
	}
	stage := pgx.Identifier{"stage_" + table}.Sanitize()
	target := pgx.Identifier{table}.Sanitize()
	if !tx.staged[table] { // once, not once a batch
		if _, err := tx.ExecContext(ctx, "create temp table if not exists "+stage+" (like "+target+") on commit drop"); err != nil {
			return err
		}
		if tx.staged == nil {
			tx.staged = map[string]bool{}
		}
		tx.staged[table] = true
	}
	return tx.CopyInto(ctx, "stage_"+table, cols, data)
}

// MoveStaged inserts the rows CopyFrom staged for table into it and empties
// the staging table; nothing when none were staged.
func (tx *Tx) MoveStaged(ctx context.Context, table string, cols []string) error {
	if !tx.staged[table] {
		return nil
	}
	stage := pgx.Identifier{"stage_" + table}.Sanitize()
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = pgx.Identifier{c}.Sanitize()
	}
	colList := strings.Join(quoted, ", ")
	if _, err := tx.ExecContext(ctx, "insert into "+pgx.Identifier{table}.Sanitize()+" ("+colList+") select "+colList+" from "+stage); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, "truncate "+stage)
	return err
}

// InTenant runs fn in a read-write transaction bound to tenantID. On
// PostgreSQL the binding is the transaction-local setting scry.tenant_id that
// the row-level security policies read; without it every policy yields no rows.
func (db *DB) InTenant(ctx context.Context, tenantID int64, fn func(*Tx) error) error {
	return db.run(ctx, db.write, false, tenantID, fn)
}

// ReadTenant runs fn in a read-only transaction bound to tenantID.
func (db *DB) ReadTenant(ctx context.Context, tenantID int64, fn func(*Tx) error) error {
	return db.run(ctx, db.read, true, tenantID, fn)
}

// Read is ReadTenant for a read that returns one value: the shape of a
// domain package's read use case around its step.
func Read[T any](ctx context.Context, db *DB, tenantID int64, fn func(*Tx) (T, error)) (T, error) {
	return valueOf(ctx, db.ReadTenant, tenantID, fn)
}

// Write is InTenant for a change that returns one value.
func Write[T any](ctx context.Context, db *DB, tenantID int64, fn func(*Tx) (T, error)) (T, error) {
	return valueOf(ctx, db.InTenant, tenantID, fn)
}

func valueOf[T any](ctx context.Context, run func(context.Context, int64, func(*Tx) error) error, tenantID int64, fn func(*Tx) (T, error)) (T, error) {
	var v T
	err := run(ctx, tenantID, func(tx *Tx) error {
		var err error
		v, err = fn(tx)
		return err
	})
	return v, err
}

// Global runs fn in a read-write transaction bound to no tenant: only global
// tables (tenants, audit) are visible on PostgreSQL.
func (db *DB) Global(ctx context.Context, fn func(*Tx) error) error {
	return db.run(ctx, db.write, false, 0, fn)
}

// ReadGlobal is Global, read-only.
func (db *DB) ReadGlobal(ctx context.Context, fn func(*Tx) error) error {
	return db.run(ctx, db.read, true, 0, fn)
}

func (db *DB) run(ctx context.Context, pool *sql.DB, readOnly bool, tenantID int64, fn func(*Tx) error) error {
	opts := &sql.TxOptions{}
	if readOnly && db.Dialect == Postgres {
		opts.ReadOnly = true // SQLite's read pool is query_only instead
	}
	var conn *sql.Conn
	begin := pool.BeginTx
	if !readOnly {
		c, err := pool.Conn(ctx)
		if err != nil {
			return db.Err(err, "get connection")
		}
		defer c.Close()
		conn, begin = c, c.BeginTx
	}
	sqlTx, err := begin(ctx, opts)
	if err != nil {
		return db.Err(err, "begin transaction")
	}
	tx := &Tx{Tx: sqlTx, Dialect: db.Dialect, TenantID: tenantID, conn: conn}
	if db.Dialect == Postgres && tenantID != 0 {
		if _, err := sqlTx.ExecContext(ctx, `select set_config('scry.tenant_id', $1, true)`, fmt.Sprint(tenantID)); err != nil {
			return rollback(sqlTx, db.Err(err, "bind transaction to tenant"))
		}
	}
	defer func() {
		if p := recover(); p != nil { // fn panicked: end it all before the connection goes back
			tx.end()
			sqlTx.Rollback()
			panic(p)
		}
	}()
	err = fn(tx)
	if cerr := tx.end(); err == nil && cerr != nil {
		err = db.Err(cerr, "close statements")
	}
	if err != nil {
		return rollback(sqlTx, err)
	}
	if err := sqlTx.Commit(); err != nil {
		return db.Err(err, "commit")
	}
	return nil
}

// rollback ends a failed transaction and returns its failure, joined with
// the rollback's own error when there is one: a transaction whose rollback
// failed may have left its connection unusable, and that must be seen. A
// transaction the driver already ended (its context was cancelled) is not
// a second failure.
func rollback(tx *sql.Tx, cause error) error {
	if err := tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
		return errors.Join(cause, Err(err, "roll back"))
	}
	return cause
}

// Savepoint runs fn so that its failure undoes only fn's statements and
// leaves the transaction usable (PostgreSQL otherwise refuses every later
// statement of a transaction in which one failed).
func (tx *Tx) Savepoint(ctx context.Context, fn func() error) error {
	if _, err := tx.ExecContext(ctx, "savepoint scry_try"); err != nil {
		return Err(err, "savepoint")
	}
	if err := fn(); err != nil {
		if _, rerr := tx.ExecContext(ctx, "rollback to savepoint scry_try"); rerr != nil {
			return errors.Join(err, Err(rerr, "rollback to savepoint"))
		}
		return err
	}
	_, err := tx.ExecContext(ctx, "release savepoint scry_try")
	return Err(err, "release savepoint")
}

// SetStatementTimeout limits how long statements of this transaction may run
// (PostgreSQL; SQLite queries are bounded by the context instead).
func (tx *Tx) SetStatementTimeout(ctx context.Context, d time.Duration) error {
	if tx.Dialect != Postgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, fmt.Sprintf("set local statement_timeout = %d", d.Milliseconds()))
	return err
}

// Err turns a driver error into a sentinel-carrying scry error.
func (db *DB) Err(err error, what string) error {
	return Err(err, what)
}

// Err turns a driver error into scry's one vocabulary (errcode): a unique
// violation is already_exists, a missing row not_found, a row others still
// point at conflict, a stopped statement timeout; anything else stays
// internal with the operation named for the log. The messages are generic:
// a domain function that knows what was missing says it better.
func Err(err error, what string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return errcode.Wrap(errcode.NotFound, fmt.Errorf("%s: %w", what, err), "Not found")
	}
	if isTimeout(err) {
		return errcode.Wrap(errcode.Timeout, fmt.Errorf("%s: %w", what, err),
			"This took longer than scry allows and was stopped; narrow it down (a shorter period, one department) or try again when scry is less busy")
	}
	var pe *pgconn.PgError
	se, sqliteErr := sqliteCode(err)
	pgErr := errors.As(err, &pe)
	if pgErr && pe.Code == "23505" || sqliteErr && (se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY) {
		return errcode.Wrap(errcode.AlreadyExists, fmt.Errorf("%s: %w", what, err), "It already exists")
	}
	if pgErr && pe.Code == "23503" || sqliteErr && se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY {
		return errcode.Wrap(errcode.Conflict, fmt.Errorf("%s: %w", what, err), "Other records still refer to it")
	}
	if errcode.From(err).Code != errcode.Internal {
		return err
	}
	if errors.Is(err, context.Canceled) {
		return errcode.Stopped(fmt.Errorf("%s: %w", what, err))
	}
	return fmt.Errorf("%s: %w", what, err)
}

// isTimeout reports whether err is a statement stopped for taking too long:
// a context deadline (SQLite interrupts the statement) or PostgreSQL's
// statement_timeout (SQLSTATE 57014, query_canceled).
func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "57014" {
		return true
	}
	se, ok := sqliteCode(err)
	return ok && se.Code() == sqlite3.SQLITE_INTERRUPT
}

// sqliteCode finds an error of SQLite's in err: the driver's, or one that
// execEachSQLite made of SQLite's own result code.
func sqliteCode(err error) (interface{ Code() int }, bool) {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se, true
	}
	var own *sqliteError
	if errors.As(err, &own) {
		return own, true
	}
	return nil, false
}

// ReadPoolSize is how many connections reads may hold at once (on
// PostgreSQL the pool that writes share).
func (db *DB) ReadPoolSize() int { return db.read.Stats().MaxOpenConnections }

// Placeholders returns "$from, $from+1, … " for n values, for multi-row inserts.
func Placeholders(from, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "$%d", from+i)
	}
	return b.String()
}

// Ping checks that the database answers a query (health checks).
func (db *DB) Ping(ctx context.Context) error {
	return db.ReadGlobal(ctx, func(tx *Tx) error { return tx.QueryRowContext(ctx, "select 1").Scan(new(int)) })
}
