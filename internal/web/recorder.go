package web

import (
	"context"
	"sort"
	"sync"

	"github.com/scry-dev/scry/internal/ask"
	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/store"
)

// askRecorder writes each answered question to the asker's history and the
// audit log. Requests that arrive together share one transaction per tenant
// and one signed head (group commit, and audit.PublishSoon): every request
// still waits until its records are durable, but sixteen concurrent askers
// cost one fsync, not sixteen, on SQLite's single writer.
type askRecorder struct {
	db    *store.DB
	audit *audit.Log
	base  context.Context // what the records are written under: names the process
	queue chan *askRecord
	once  sync.Once
}

type askRecord struct {
	tenantID int64
	rec      audit.Record // its Outcome is the audit outcome (audit.OutcomeOf)
	userID   int64
	question string
	outcome  string // for the history: ok or the error code
	done     chan error
}

const maxBatch = 64

func (r *askRecorder) start() {
	r.once.Do(func() {
		r.queue = make(chan *askRecord, 256)
		go r.loop()
	})
}

// record writes one question's records and waits until they are committed.
func (r *askRecorder) record(ctx context.Context, a *askRecord) error {
	r.start()
	a.done = make(chan error, 1)
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

func (r *askRecorder) loop() {
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

func (r *askRecorder) write(batch []*askRecord) {
	ctx := r.base
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
				if err := ask.RecordHistory(ctx, tx, a.userID, a.question, a.outcome); err != nil {
					return err
				}
				if err := audit.Append(ctx, tx, a.rec); err != nil {
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
