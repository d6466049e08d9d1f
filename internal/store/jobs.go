package store

import (
	"context"
	"database/sql"
	"log/slog"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/scry-dev/scry/internal/errcode"
)

// JobDriver is the river driver over this store's write pool: the job queue
// lives in the same database as the data, so a job and the row it works on
// are inserted in one transaction.
func (db *DB) JobDriver() riverdriver.Driver[*sql.Tx] {
	return jobDriver(db.Dialect, db.write)
}

func jobDriver(d Dialect, pool *sql.DB) riverdriver.Driver[*sql.Tx] {
	if d == SQLite {
		return riversqlite.New(pool)
	}
	return riverdatabasesql.New(pool)
}

// migrateJobs brings river's own tables up to date. It runs before scry's
// migrations so that those can grant the application role what river needs.
func (db *DB) migrateJobs(ctx context.Context, conn *sql.DB) error {
	m, err := rivermigrate.New(jobDriver(db.Dialect, conn), &rivermigrate.Config{Logger: quietLogger})
	if err != nil {
		return errcode.Wrap(errcode.Internal, err, "Cannot prepare the job queue's migrations")
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return errcode.Wrap(errcode.Internal, err, "The job queue's migrations failed")
	}
	return nil
}

// quietLogger keeps river's own chatter off the command line; its errors
// come back as values.
var quietLogger = slog.New(slog.DiscardHandler)
