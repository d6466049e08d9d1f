package audit

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/scry-dev/scry/internal/store"
)

// Latest returns the newest record of action in tenant with outcome ok
// ("when was HR data last imported, by whom"), and false when there is none.
func Latest(ctx context.Context, db *store.DB, tenant, action string) (Record, bool, error) {
	var r Record
	found := false
	err := db.ReadGlobal(ctx, func(tx *store.Tx) error {
		var ts, details string
		err := tx.QueryRowContext(ctx, `select seq, time, tenant, actor, action, target, outcome, details from audit_records
			where tenant = $1 and action = $2 and outcome = $3 order by seq desc limit 1`, tenant, action, OutcomeOK).
			Scan(&r.Seq, &ts, &r.Tenant, &r.Actor, &r.Action, &r.Target, &r.Outcome, &details)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return store.Err(err, "read latest audit record")
		}
		found = true
		r.Time, _ = time.Parse(time.RFC3339Nano, ts)
		json.Unmarshal([]byte(details), &r.Details)
		return nil
	})
	return r, found, err
}
