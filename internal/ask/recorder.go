package ask

import (
	"context"
	"sort"

	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/store"
)

// recorder writes each answered question to the asker's history and the
// audit log. Requests that arrive together share one transaction per tenant
// and one signed head (group commit, and audit.PublishSoon): every request
// still waits until its records are durable, but sixteen concurrent askers
// cost one fsync, not sixteen, on SQLite's single writer.
type recorder struct {
	db    *store.DB
	audit *audit.Log
	queue chan *askRecord
}

func newRecorder(db *store.DB, log *audit.Log) *recorder {
	r := &recorder{db: db, audit: log, queue: make(chan *askRecord, 256)}
	go r.loop()
	return r
}

type askRecord struct {
	tenantID int64
	rec      audit.Record // its Outcome is the audit outcome (audit.OutcomeOf)
	userID   int64
	question string
	outcome  string // for the history: ok or the error code
	done     chan error
	// ctx is the asker's without its end: what the audit record is
	// appended under (it names the process, audit.WithProcess).
	ctx context.Context
}

const maxBatch = 64

// record writes one question's records and waits until they are committed.
func (r *recorder) record(ctx context.Context, a *askRecord) error {
	a.done = make(chan error, 1)
	a.ctx = context.WithoutCancel(ctx)
	select {
	case r.queue <- a:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-a.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (r *recorder) loop() {
	for first := range r.queue {
		batch := []*askRecord{first}
	drain:
		for len(batch) < maxBatch {
			select {
			case a := <-r.queue:
				batch = append(batch, a)
			default:
				break drain
			}
		}
		r.write(batch)
	}
}

func (r *recorder) write(batch []*askRecord) {
	ctx := context.Background()
	byTenant := map[int64][]*askRecord{}
	for _, a := range batch {
		byTenant[a.tenantID] = append(byTenant[a.tenantID], a)
	}
	tenants := make([]int64, 0, len(byTenant))
	for t := range byTenant {
		tenants = append(tenants, t)
	}
	sort.Slice(tenants, func(i, j int) bool { return tenants[i] < tenants[j] })
	for _, t := range tenants {
		group := byTenant[t]
		err := r.db.InTenant(ctx, t, func(tx *store.Tx) error {
			for _, a := range group {
				if err := RecordHistory(ctx, tx, a.userID, a.question, a.outcome); err != nil {
					return err
				}
				if err := audit.Append(a.ctx, tx, a.rec); err != nil {
					return err
				}
			}
			return nil
		})
		for _, a := range group {
			a.done <- err
		}
	}
	r.audit.PublishSoon(r.db)
}
