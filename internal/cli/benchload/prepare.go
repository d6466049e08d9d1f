package benchload

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/labeling"
	"github.com/scry-dev/scry/internal/media"
	"github.com/scry-dev/scry/internal/objstore"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/tenant"
	"github.com/scry-dev/scry/internal/video"
	"github.com/scry-dev/scry/internal/workforce"
)

// Setup is a prepared load: a tenant with a workforce, a job and one
// signed-in session per worker.
type Setup struct {
	Tenant  tenant.Tenant
	Job     labeling.Job
	Cookies []string
	Labels  []string
}

// benchWorkforce is the workforce of a load run: no MFA (the sessions are
// made directly; sign-in has its own benchmark), loopback allowed.
const benchWorkforce = `user_pool: {password: {min_length: 12}, mfa: off}
invitation: {method: temporary_password, subject: "Load test", body: "{password}"}
workforce: {name: load-test, source_ips: ["127.0.0.0/8", "::1/128"]}
teams: [{name: load}]
members: []
`

// Prepare makes a new tenant slug with a workforce of n workers in team
// "load", a generated video of frames frames, a boxes job over every frame
// with wpi workers per item, and a session per worker. Workers are added
// directly (no invitation mail, no password): the run measures the task
// API, not sign-in.
func Prepare(ctx context.Context, db *store.DB, objs objstore.Store, slug string, n, frames, wpi int, timeLimit time.Duration) (Setup, error) {
	var s Setup
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		return s, errcode.New(errcode.Invalid, "The load run makes its video with ffmpeg, which is not installed (apt-get install ffmpeg)")
	}
	err := db.Global(ctx, func(tx *store.Tx) error {
		var err error
		s.Tenant, err = tenant.Create(ctx, tx, slug, "load test")
		return err
	})
	if err != nil {
		return s, err
	}
	spec, err := workforce.Parse([]byte(benchWorkforce), "load-test workforce")
	if err != nil {
		return s, err
	}
	clip := filepath.Join(os.TempDir(), fmt.Sprintf("scry-load-%d.mp4", time.Now().UnixNano()))
	defer os.Remove(clip)
	secs := fmt.Sprintf("%.2f", float64(frames)/25)
	if out, err := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=s=128x72:r=25:d="+secs, "-frames:v", fmt.Sprint(frames),
		"-pix_fmt", "yuv420p", clip).CombinedOutput(); err != nil {
		return s, errcode.Wrap(errcode.Internal, fmt.Errorf("%v: %s", err, out), "ffmpeg could not make the load test's video")
	}
	// No audit log: the load test's rows are fixtures, not acts.
	bench := audit.Actor{DB: db, Log: audit.Unrecorded, TenantID: s.Tenant.ID, Tenant: s.Tenant.Slug, Name: "bench"}
	v, _, err := video.Add(ctx, bench, objs, clip, media.DefaultLimits)
	if err != nil {
		return s, err
	}
	s.Labels = []string{"person", "cart", "shelf"}
	err = db.InTenant(ctx, s.Tenant.ID, func(tx *store.Tx) error {
		if _, _, err := workforce.Apply(ctx, tx, spec, ""); err != nil {
			return err
		}
		for i := range n {
			u, err := identity.Add(ctx, tx, identity.User{Email: fmt.Sprintf("worker%03d@%s.example", i, slug), Role: identity.Worker})
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `insert into team_members (tenant_id, team, user_id) values ($1, 'load', $2)`, s.Tenant.ID, u.ID); err != nil {
				return err
			}
			// A finished portal session, as the portal's steps would leave it.
			sess, err := identity.NewStagedSession(ctx, tx, u.ID, identity.StagePortal)
			if err != nil {
				return err
			}
			s.Cookies = append(s.Cookies, "scry_session="+sess)
		}
		var labels []labeling.Label
		for _, l := range s.Labels {
			labels = append(labels, labeling.Label{Name: l})
		}
		s.Job, err = labeling.Create(ctx, tx, labeling.Spec{Name: "load test", Kind: labeling.KindBoxes, Team: "load", WorkersPerItem: wpi,
			TimeLimit: timeLimit, Lifetime: 24 * time.Hour, Labels: labels, Every: time.Second / 25, IoU: 0.5}, v, nil, "bench")
		return err
	})
	return s, err
}

// Check counts, at the end of a run, what must hold whatever happened:
// no item has more live tasks (leased or submitted) than its workers per
// item, nobody holds two leases, an item is done exactly when it has all
// its answers, and every answer the server acknowledged is stored as
// acknowledged. It returns the problems found (none is the goal).
func Check(ctx context.Context, db *store.DB, tenantID, jobID int64, acked map[int64]string) ([]string, error) {
	problems := []string{}
	err := db.ReadTenant(ctx, tenantID, func(tx *store.Tx) error {
		var wpi int
		if err := tx.QueryRowContext(ctx, `select workers_per_item from label_jobs where tenant_id = $1 and id = $2`, tenantID, jobID).Scan(&wpi); err != nil {
			return err
		}
		var over, doubleLease, badDone int
		if err := tx.QueryRowContext(ctx, `select count(*) from (select item_id from label_tasks where tenant_id = $1 and job_id = $2 and status in ('leased', 'submitted')
			group by item_id having count(*) > $3) x`, tenantID, jobID, wpi).Scan(&over); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `select count(*) from (select worker_id from label_tasks where tenant_id = $1 and status = 'leased' group by worker_id having count(*) > 1) x`,
			tenantID).Scan(&doubleLease); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `select count(*) from label_items i where i.tenant_id = $1 and i.job_id = $2 and
			(i.status = 'done') <> ((select count(*) from label_tasks t where t.tenant_id = $1 and t.item_id = i.id and t.status = 'submitted') >= $3)`,
			tenantID, jobID, wpi).Scan(&badDone); err != nil {
			return err
		}
		var liveWrong int
		if err := tx.QueryRowContext(ctx, `select count(*) from label_items i where i.tenant_id = $1 and i.job_id = $2 and
			i.live <> (select count(*) from label_tasks t where t.tenant_id = $1 and t.item_id = i.id and t.status in ('leased', 'submitted'))`,
			tenantID, jobID).Scan(&liveWrong); err != nil {
			return err
		}
		var status string
		var openItems, reallyOpen int
		if err := tx.QueryRowContext(ctx, `select status, open_items, (select count(*) from label_items i where i.tenant_id = $1 and i.job_id = $2 and i.status = 'open')
			from label_jobs where tenant_id = $1 and id = $2`, tenantID, jobID).Scan(&status, &openItems, &reallyOpen); err != nil {
			return err
		}
		if openItems != reallyOpen || (status == "done") != (reallyOpen == 0) {
			problems = append(problems, fmt.Sprintf("the job is %s with %d open items counted and %d really open", status, openItems, reallyOpen))
		}
		if liveWrong > 0 {
			problems = append(problems, fmt.Sprintf("%d item(s) whose count of live tasks is wrong", liveWrong))
		}
		if over > 0 {
			problems = append(problems, fmt.Sprintf("%d item(s) given to more than %d workers", over, wpi))
		}
		if doubleLease > 0 {
			problems = append(problems, fmt.Sprintf("%d worker(s) hold two leases", doubleLease))
		}
		if badDone > 0 {
			problems = append(problems, fmt.Sprintf("%d item(s) whose status disagrees with their answers", badDone))
		}
		rows, err := tx.QueryContext(ctx, `select id, status, answer from label_tasks where tenant_id = $1 and job_id = $2`, tenantID, jobID)
		if err != nil {
			return err
		}
		defer rows.Close()
		stored := map[int64][2]string{}
		for rows.Next() {
			var id int64
			var st, ans string
			rows.Scan(&id, &st, &ans)
			stored[id] = [2]string{st, ans}
		}
		lost := 0
		for id, ans := range acked {
			if got := stored[id]; got[0] != "submitted" || canonical(got[1]) != canonical(ans) {
				lost++
			}
		}
		if lost > 0 {
			problems = append(problems, fmt.Sprintf("%d acknowledged answer(s) missing or changed", lost))
		}
		return rows.Err()
	})
	return problems, err
}

// canonical is an answer in the server's own encoding, so that the client's
// JSON and the stored JSON compare by meaning.
func canonical(s string) string {
	var a labeling.Answer
	if json.Unmarshal([]byte(s), &a) != nil {
		return s
	}
	b, _ := json.Marshal(a)
	return string(b)
}
