package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/scry-dev/scry/internal/errcode"
)

// The SQL that differs between SQLite and PostgreSQL lives here, as methods
// of Dialect and Tx, so that the domain packages hold no dialect branches:
// dates (ISO text on SQLite, date on PostgreSQL), row locks (SQLite's
// single writer serialises what PostgreSQL locks), advisory locks and
// statistics.

// Shared says whether several scry processes can share the database
// (PostgreSQL): job heartbeats and cross-process locks matter only there.
func (d Dialect) Shared() bool { return d == Postgres }

// DateParam is a date parameter placeholder ($n) as the dialect compares
// it: a date on PostgreSQL, ISO text on SQLite.
func (d Dialect) DateParam(p string) string {
	if d == Postgres {
		return p + "::date"
	}
	return p
}

// DayOfStamp is the day (as DateParam compares it) of an RFC 3339 UTC
// timestamp kept as text.
func (d Dialect) DayOfStamp(col string) string {
	if d == Postgres {
		return "cast(substr(" + col + ", 1, 10) as date)"
	}
	return "substr(" + col + ", 1, 10)"
}

// Grain renders date column col at a time grain as text: day YYYY-MM-DD,
// week its Monday, month YYYY-MM, quarter YYYY-Qn, year YYYY; weekday is
// 0 (Sunday) to 6.
func (d Dialect) Grain(grain, col string) string {
	if d == Postgres {
		switch grain {
		case "day":
			return "to_char(" + col + ", 'YYYY-MM-DD')"
		case "week":
			return "to_char(date_trunc('week', " + col + "), 'YYYY-MM-DD')"
		case "month":
			return "to_char(" + col + ", 'YYYY-MM')"
		case "quarter":
			return "to_char(" + col + ", 'YYYY-\"Q\"Q')"
		case "year":
			return "to_char(" + col + ", 'YYYY')"
		case "weekday":
			return "cast(extract(dow from " + col + ") as integer)"
		}
		return col
	}
	switch grain {
	case "week":
		return "date(" + col + ", '-' || ((cast(strftime('%w', " + col + ") as integer) + 6) % 7) || ' days')"
	// Dates are ISO text on SQLite: cutting text is many times cheaper
	// than strftime, which parses every date.
	case "month":
		return "substr(" + col + ", 1, 7)"
	case "quarter":
		return "substr(" + col + ", 1, 4) || '-Q' || ((cast(substr(" + col + ", 6, 2) as integer) + 2) / 3)"
	case "year":
		return "substr(" + col + ", 1, 4)"
	case "weekday":
		return "cast(strftime('%w', " + col + ") as integer)"
	}
	return col // day
}

// Age is the completed years from date column born to the date parameter
// now ($n).
func (d Dialect) Age(now, born string) string {
	if d == Postgres {
		return "date_part('year', age(" + now + "::date, " + born + "))"
	}
	return "(cast(strftime('%Y', " + now + ") as integer) - cast(strftime('%Y', " + born + ") as integer) - (strftime('%m-%d', " + now + ") < strftime('%m-%d', " + born + ")))"
}

// MonthDay is date column col's month and day, 'MM-DD': the same day of
// any year (birthdays, work anniversaries).
func (d Dialect) MonthDay(col string) string {
	if d == Postgres {
		return "to_char(" + col + ", 'MM-DD')"
	}
	return "strftime('%m-%d', " + col + ")"
}

// Years is the fractional years from date column since to the date
// parameter now ($n).
func (d Dialect) Years(now, since string) string {
	if d == Postgres {
		return "((" + now + "::date - " + since + ") / 365.25)"
	}
	return "((julianday(" + now + ") - julianday(" + since + ")) / 365.25)"
}

// Cents turns a sum of hundredths × cents (exact integers) into money
// rounded half up to the cent, the same on both databases.
func (d Dialect) Cents(sum string) string {
	if d == Postgres {
		return "(div(" + sum + " + 50, 100) / 100.0)"
	}
	return "(((" + sum + ") + 50) / 100) / 100.0"
}

// NextDay is the day after date expression col, of col's own type.
func (d Dialect) NextDay(col string) string {
	if d == Postgres {
		return "(" + col + " + 1)"
	}
	return "date(" + col + ", '+1 day')"
}

// Median is the aggregate of expr's middle value (the mean of the two
// middle ones for an even count), NULLs left out, on both databases.
func (d Dialect) Median(expr string) string {
	if d == Postgres {
		return "percentile_cont(0.5) within group (order by " + expr + ")"
	}
	return "scry_median(" + expr + ")"
}

// Numeric readies expr for round(x, 2): PostgreSQL's numeric rounds a
// half up (7.675 is 7.68); SQLite's binary doubles may hold that half as
// 7.67499…, so they are nudged a billionth away from zero first, and both
// databases give the same cents.
func (d Dialect) Numeric(expr string) string {
	if d == Postgres {
		return "cast(" + expr + " as numeric)"
	}
	return "((" + expr + ") * (1 + 1e-12) + sign(" + expr + ") * 1e-9)"
}

// ForUpdate locks the rows a select reads until the transaction ends
// (PostgreSQL; SQLite's single writer already serialises writers).
func (d Dialect) ForUpdate() string {
	if d == Postgres {
		return " for update"
	}
	return ""
}

// NoKeyUpdate takes the rows a select reads for an update that leaves
// their keys alone, waiting for rows another transaction holds (inserts
// that refer to them, which take key-share locks, do not wait for it).
func (d Dialect) NoKeyUpdate() string {
	if d == Postgres {
		return " for no key update"
	}
	return ""
}

// SkipLocked takes the rows a select reads for an update, passing over
// rows another transaction holds rather than waiting for them.
func (d Dialect) SkipLocked() string {
	if d == Postgres {
		return " for no key update skip locked"
	}
	return ""
}

// LockRowsOf takes alias's rows of a joined select for an update.
func (d Dialect) LockRowsOf(alias string) string {
	if d == Postgres {
		return " for no key update of " + alias
	}
	return ""
}

// FewRows is a statement that sets up the transaction for queries that
// read few rows ("" where there is nothing to say): on PostgreSQL, no
// parallel workers, which cost more than the few thousand rollup rows they
// would share, and no JIT compilation, which the planner starts above a
// cost its row estimates easily pass (a manager's weekly hours at 10M
// shifts compiled for 80–90 ms to run for about 100 ms). One statement,
// one round trip.
func (d Dialect) FewRows() string {
	if d == Postgres {
		return "select set_config('max_parallel_workers_per_gather', '0', true), set_config('jit', 'off', true)"
	}
	return ""
}

// SeeksListedDates reports whether a rollup read is faster naming its
// periods one by one (date IN (…)) than by their range: on SQLite a list
// lets a scoped question seek each person in each period (a team's 7 weeks
// at 10,000 employees 37 → 12 ms); PostgreSQL's plan for the list took the
// same question from 34 to 60 ms.
func (d Dialect) SeeksListedDates() bool { return d == SQLite }

// GroupBySorting is a statement that makes the transaction's GROUP BYs
// sort rather than hash ("" where there is nothing to say): an INSERT …
// SELECT … GROUP BY … ORDER BY of the import's rollup runs (370,000 rows
// for a million shifts) hashed them in 21 batches spilled to disk and then
// sorted them again; sorting once and summing the sorted rows took about
// half as long (1.9–4.0 s against 6.0–6.7 s, loaded machine).
func (d Dialect) GroupBySorting() string {
	if d == Postgres {
		return "set local enable_hashagg = off"
	}
	return ""
}

// Advisory lock keys: one per thing serialised across processes.
const (
	LockAudit     int64 = 7319002 // the audit log: its tree is a sequence
	LockWorkforce int64 = 7319200 // a tenant's workforce apply (with the tenant as second key)
)

// AdvisoryLock holds key (and sub, when given) until the transaction ends,
// so that processes sharing a PostgreSQL database take turns. SQLite has
// one writer, which serialises them already.
func (tx *Tx) AdvisoryLock(ctx context.Context, key int64, sub ...int64) error {
	if tx.Dialect != Postgres {
		return nil
	}
	var err error
	if len(sub) > 0 {
		_, err = tx.ExecContext(ctx, `select pg_advisory_xact_lock($1::int, $2::int)`, key, sub[0])
	} else {
		_, err = tx.ExecContext(ctx, `select pg_advisory_xact_lock($1)`, key)
	}
	return Err(err, fmt.Sprintf("advisory lock %d", key))
}

// Copies says whether bulk loads go through COPY (PostgreSQL) rather than
// multi-row inserts; COPY cannot merge a row into an existing one.
func (d Dialect) Copies() bool { return d == Postgres }

// InsertAllOrNothing is the insert verb of a load whose any failure aborts
// it whole: SQLite then need not keep a statement journal to undo half a
// statement (a tenth of an import's time).
func (d Dialect) InsertAllOrNothing() string {
	if d == SQLite {
		return "insert or rollback into "
	}
	return "insert into "
}

// RowPlaceholders are the n placeholders of one row of a multi-row insert
// whose earlier rows took from-1: positional "?" on SQLite (it binds them
// without a per-name lookup, a fifth of an import's time), $n on
// PostgreSQL.
func (d Dialect) RowPlaceholders(from, n int) string {
	if d == SQLite {
		return strings.TrimSuffix(strings.Repeat("?,", n), ",")
	}
	return Placeholders(from, n)
}

// hrImportLock is the first key of the PostgreSQL advisory lock that
// serialises a tenant's HR imports (the second is the tenant).
const hrImportLock = 7319101

// LockHRImport makes the transaction's HR import wait for any other import
// of its tenant still running, until the end of that one's transaction.
// Two overlapping imports of one tenant on PostgreSQL otherwise each
// cleared the tenant's rows and wrote new ones beside the other's: one
// deadlocked or found an employee the other had just inserted. SQLite's
// write transactions already run one at a time.
func (tx *Tx) LockHRImport(ctx context.Context) error {
	if tx.Dialect != Postgres {
		return nil
	}
	// two int4 keys; a tenant id past 2^31 shares a lock with another (it only waits)
	_, err := tx.ExecContext(ctx, `select pg_advisory_xact_lock($1, ($2::bigint % 2147483647)::int)`, hrImportLock, tx.TenantID)
	return Err(err, "wait for the tenant's other import")
}

// StagedHR is the table an HR import writes into on PostgreSQL in place of
// table, a parent partitioned by tenant: a table of the import's own
// transaction that SwapHR makes the tenant's partition.
func (tx *Tx) StagedHR(table string) string {
	return table + "_" + strconv.FormatInt(tx.TenantID, 10) + "_new"
}

// StageHR creates, on PostgreSQL, the empty table StagedHR names for each
// of tables, for the transaction's tenant (the owner function scry_hr_stage:
// the database, not this code, writes its CHECK on the tenant). The import
// copies straight into it: no row-level security to refuse COPY, no index
// to keep up while it loads.
func (tx *Tx) StageHR(ctx context.Context, tables []string) error {
	_, err := tx.ExecContext(ctx, `select scry_hr_stage($1)`, tables)
	return Err(err, "stage the HR tables")
}

// SwapHR indexes and analyses the staged tables and makes them the
// tenant's partitions in place of the old ones (scry_hr_swap), trying for
// at most lockWait to find a moment when no question of any tenant holds
// the tables, without making questions wait for more than 100 ms. It is
// the import's last write: the tables stay locked until the commit. Tables
// held all that time by a long reader (a report, a dump) are Unavailable:
// a busy database, not a fault, and the same import may pass later.
func (tx *Tx) SwapHR(ctx context.Context, tables []string, lockWait time.Duration) error {
	_, err := tx.ExecContext(ctx, `select scry_hr_swap($1, make_interval(secs => $2))`, tables, lockWait.Seconds())
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "55P03" {
		return errcode.Wrap(errcode.Unavailable, err, "Another query held the tenants' shift tables for %s, so the import could not replace this tenant's; nothing was imported and the previous data is unchanged. Try again when that query has finished", lockWait)
	}
	return Err(err, "swap in the new HR tables")
}

// HRImported records that the transaction's tenant has new HR data: its
// hr_version moves on (caches keyed by it are stale) and PostgreSQL's
// planner statistics are refreshed. The application role may not update
// tenants rows on PostgreSQL; owner functions do that one change there.
func (tx *Tx) HRImported(ctx context.Context) error {
	if tx.Dialect != Postgres {
		_, err := tx.ExecContext(ctx, `update tenants set hr_version = hr_version + 1 where id = $1`, tx.TenantID)
		return Err(err, "bump hr version")
	}
	if _, err := tx.ExecContext(ctx, `select scry_bump_hr_version()`); err != nil {
		return Err(err, "bump hr version")
	}
	_, err := tx.ExecContext(ctx, `select scry_analyze_hr()`)
	return Err(err, "analyze")
}
