package ask_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
)

// TestLabelingActivity: the private workforce's tasks are a dataset Ask
// answers over, for admins and HR only. Three reviewers in two teams
// finished tasks last week (and one this week, and one task expired).
func TestLabelingActivity(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		f := load(t, d, "acme-retail")
		ctx := context.Background()
		tid := f.tenants["acme-retail"]
		err := f.db.InTenant(ctx, tid, func(tx *store.Tx) error {
			var err error
			exec := func(q string, args ...any) {
				if err == nil {
					_, err = tx.ExecContext(ctx, q, args...)
				}
			}
			exec(`insert into videos (tenant_id, id, filename, ext, size_bytes, info, added_by, added_at) values ($1, 'v1', 'a.mp4', '.mp4', 1, '{}', 't', 'now')`, tid)
			id := func(q string, args ...any) int64 {
				var n int64
				if err == nil {
					err = tx.QueryRowContext(ctx, q+" returning id", args...).Scan(&n)
				}
				return n
			}
			jobs := map[int]int64{}
			for i, team := range []string{"video-reviewers", "text-checkers"} {
				jobs[900+i] = id(`insert into label_jobs (tenant_id, name, kind, video_id, team, workers_per_item, time_limit_s, expires_at, instructions, labels, settings, status, created_by, created_at)
					values ($1, $2, 'boxes', 'v1', $3, 1, 600, '2027-01-01T00:00:00.000Z', '', '[]', '{}', 'open', 't', 'now')`, tid, "job "+team, team)
			}
			users := map[string]int64{}
			for _, email := range []string{"ana@x.example", "bo@x.example", "cy@x.example"} {
				u, aerr := identity.Add(ctx, tx, identity.User{Email: email, Role: identity.Worker})
				if err == nil {
					err = aerr
				}
				users[email] = u.ID
			}
			// (reviewer, job, status, finished day, active minutes)
			tasks := []struct {
				who    string
				job    int
				status string
				day    string
				min    int
			}{
				{"ana@x.example", 900, "submitted", "2026-11-17", 2}, {"ana@x.example", 900, "submitted", "2026-11-18", 4},
				{"ana@x.example", 900, "submitted", "2026-11-21", 6}, {"bo@x.example", 900, "submitted", "2026-11-19", 10},
				{"cy@x.example", 901, "submitted", "2026-11-20", 3}, {"cy@x.example", 901, "submitted", "2026-11-24", 5},
				{"bo@x.example", 901, "expired", "2026-11-20", 0},
			}
			for _, tk := range tasks {
				item := id(`insert into label_items (tenant_id, job_id, frames, reason, machine, status) values ($1, $2, '[0]', 'frame', '{}', 'done')`, tid, jobs[tk.job])
				exec(`insert into label_tasks (tenant_id, job_id, item_id, worker_id, status, leased_at, lease_expires, finished_at, active_ms)
					values ($1, $2, $3, $4, $5, $6, $6, $6, $7)`, tid, jobs[tk.job], item, users[tk.who], tk.status, tk.day+"T10:00:00.000Z", tk.min*60000)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		a, err := f.ask(t, "acme-retail", "admin", "How many tasks did each reviewer finish last week?")
		if err != nil {
			t.Fatal(err)
		}
		got := fmt.Sprint(a.Rows)
		if got != "[[ana@x.example 3] [bo@x.example 1] [cy@x.example 1]]" || a.Chart.Type != "bar" {
			t.Errorf("tasks per reviewer last week: %s (%s)", got, a.Chart.Type)
		}
		// this month: video-reviewers 4 tasks of 2, 4, 6, 10 min = 5.5; text-checkers 3 and 5 = 4
		a, err = f.ask(t, "acme-retail", "hr", "Average time per task by team this month")
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(a.Rows); got != "[[video-reviewers 5.5] [text-checkers 4]]" {
			t.Errorf("minutes per task by team: %s", got)
		}
		for _, as := range []string{"manager:E002", "employee:E002"} {
			if _, err := f.ask(t, "acme-retail", as, "How many tasks did each reviewer finish last week?"); errcode.From(err).Code != errcode.PermissionDenied {
				t.Errorf("%s asking about labeling: %v", as, err)
			}
		}
		if _, err := f.ask(t, "acme-retail", "admin", "How many tasks did each reviewer finish in Lyon?"); err == nil {
			t.Error("an employee filter on labeling activity was accepted")
		}
	})
}
