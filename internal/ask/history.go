package ask

import (
	"context"
	"time"

	"github.com/scry-dev/scry/internal/store"
)

// HistoryEntry is one question a user asked.
type HistoryEntry struct {
	ID       int64     `json:"id"`
	Question string    `json:"question"`
	Outcome  string    `json:"outcome"` // ok or the refusal code
	AskedAt  time.Time `json:"asked_at"`
}

// RecordHistory remembers a question of userID.
func RecordHistory(ctx context.Context, tx *store.Tx, userID int64, question, outcome string) error {
	_, err := tx.ExecContext(ctx, `insert into ask_history (tenant_id, user_id, question, outcome, created_at) values ($1, $2, $3, $4, $5)`,
		tx.TenantID, userID, question, outcome, time.Now().UTC().Format(time.RFC3339))
	return store.Err(err, "record question")
}

// History returns the newest questions of userID, newest first.
func History(ctx context.Context, db *store.DB, tenantID, userID int64, limit int) ([]HistoryEntry, error) {
	return store.Read(ctx, db, tenantID, func(tx *store.Tx) ([]HistoryEntry, error) { return history(ctx, tx, userID, limit) })
}

func history(ctx context.Context, tx *store.Tx, userID int64, limit int) ([]HistoryEntry, error) {
	rows, err := tx.QueryContext(ctx, `select id, question, outcome, created_at from ask_history where tenant_id = $1 and user_id = $2 order by id desc limit $3`,
		tx.TenantID, userID, limit)
	if err != nil {
		return nil, store.Err(err, "read history")
	}
	defer rows.Close()
	out := []HistoryEntry{}
	for rows.Next() {
		var h HistoryEntry
		var at string
		if err := rows.Scan(&h.ID, &h.Question, &h.Outcome, &at); err != nil {
			return nil, store.Err(err, "scan history")
		}
		h.AskedAt, _ = time.Parse(time.RFC3339, at)
		out = append(out, h)
	}
	return out, rows.Err()
}
