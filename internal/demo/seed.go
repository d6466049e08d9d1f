package demo

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/riverqueue/river"

	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/detect"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/hr"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/labeling"
	"github.com/scry-dev/scry/internal/media"
	"github.com/scry-dev/scry/internal/objstore"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/tenant"
	"github.com/scry-dev/scry/internal/video"
	"github.com/scry-dev/scry/internal/workforce"
)

// User is a demo user Seed made (or found made), with the password Password.
type User struct {
	Tenant     string `json:"tenant"`
	Email      string `json:"email"`
	Role       string `json:"role"`
	EmployeeID string `json:"employee_id,omitempty"`
}

// Review is See's and Label's demo in acme-retail: a generated shelf video,
// its analysis, the review job over its unsure boxes and the workers who
// can take it.
type Review struct {
	Video    string   `json:"video"`
	Analysis int64    `json:"analysis"`
	Job      int64    `json:"job"`
	Workers  []string `json:"workers"`
	// The real photograph's video and its analyses by the object
	// detector, or why there are none.
	Photo         string           `json:"photo"`
	PhotoAnalyses map[string]int64 `json:"photo_analyses,omitempty"`
	PhotoNote     string           `json:"photo_note,omitempty"`
}

// Seeded is what Seed made: the users of every demo tenant, and the video
// demo (nil without ffmpeg).
type Seeded struct {
	Users  []User
	Review *Review
}

// Work runs the job queue until analysis id of the tenant is done or
// failed: the CLI works it in its own process, telling its progress.
type Work func(ctx context.Context, tenantID, id int64) (video.Analysis, error)

// Seed creates the demo tenants (skipping those that exist), imports their
// data and adds an admin, an hr user, a manager and an employee each; then,
// with ffmpeg, acme-retail's video demo. Every act is audited as the same
// act by a person would be, by actor. Its analyses are queued on jobs and
// worked by work. Run again, it adds nothing.
func Seed(ctx context.Context, db *store.DB, log *audit.Log, objs objstore.Store, actor string, jobs *river.Client[*sql.Tx], work Work) (Seeded, error) {
	var out Seeded
	for _, d := range Tenants {
		users, err := seedTenant(ctx, db, log, actor, d)
		if err != nil {
			return out, err
		}
		out.Users = append(out.Users, users...)
	}
	review, err := seedReview(ctx, db, log, objs, actor, jobs, work)
	out.Review = review
	return out, err
}

// seedTenant creates tenant d if it does not exist, imports its HR data and
// adds its four users (those that exist are kept).
func seedTenant(ctx context.Context, db *store.DB, log *audit.Log, actor string, d Tenant) ([]User, error) {
	t, err := tenant.Get(ctx, db, d.Slug)
	if errcode.Is(err, errcode.NotFound) {
		t, err = tenant.New(ctx, db, log, actor, d.Slug, d.Name)
	}
	if err != nil {
		return nil, err
	}
	dir, err := Extract(d.Slug, "")
	if err != nil {
		return nil, err
	}
	by := audit.Actor{DB: db, Log: log, TenantID: t.ID, Tenant: t.Slug, Name: actor}
	_, err = hr.ImportAs(ctx, by, dir, "demo:"+d.Slug, nil)
	os.RemoveAll(dir)
	if err != nil {
		return nil, err
	}
	var mgr, emp hr.Person
	if err := db.ReadTenant(ctx, t.ID, func(tx *store.Tx) error { mgr, emp, err = hr.SampleTeam(ctx, tx); return err }); err != nil {
		return nil, err
	}
	var users []User
	for _, u := range []identity.User{
		{Email: "admin@" + d.Domain, Role: identity.Admin},
		{Email: "hr@" + d.Domain, Role: identity.HR},
		{Email: mgr.Email, Role: identity.Manager, EmployeeID: mgr.EmployeeID},
		{Email: emp.Email, Role: identity.Employee, EmployeeID: emp.EmployeeID},
	} {
		err := by.Do(ctx, "user.add", u.Email, map[string]any{"role": u.Role},
			func(tx *store.Tx) error {
				if _, err := identity.Add(ctx, tx, u); err != nil {
					return err
				}
				return identity.SetPassword(ctx, tx, u.Email, Password)
			})
		if err != nil && !errcode.Is(err, errcode.AlreadyExists) {
			return nil, err
		}
		users = append(users, User{d.Slug, u.Email, string(u.Role), u.EmployeeID})
	}
	return users, nil
}

// demoWorkforce is the demo tenant's reviewers: loopback only, MFA optional
// so the demo can be tried without an authenticator app.
const demoWorkforce = `user_pool: {password: {min_length: 12}, mfa: optional}
invitation: {method: temporary_password, subject: "Review portal", body: "Sign in at {portal_url} as {email} with {password}."}
workforce: {name: acme-reviewers, source_ips: ["127.0.0.0/8", "::1/128"]}
teams: [{name: video-reviewers, description: Reviews the machine's unsure boxes}]
members:
  - {email: ana.reviewer@acme-retail.example, name: Ana Reviewer, teams: [video-reviewers]}
  - {email: bo.checker@acme-retail.example, name: Bo Checker, teams: [video-reviewers]}
`

// seedReview gives acme-retail a workforce, a generated shelf video, its
// analysis and a review job, so that See and Label can be tried at once.
// Without ffmpeg it seeds nothing and says so; run again, it adds nothing.
func seedReview(ctx context.Context, db *store.DB, log *audit.Log, objs objstore.Store, actor string, jobs *river.Client[*sql.Tx], work Work) (*Review, error) {
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		return nil, nil
	}
	t, err := tenant.Get(ctx, db, "acme-retail")
	if err != nil {
		return nil, err
	}
	spec, err := workforce.Parse([]byte(demoWorkforce), "demo workforce")
	if err != nil {
		return nil, err
	}
	by := audit.Actor{DB: db, Log: log, TenantID: t.ID, Tenant: t.Slug, Name: actor}
	out := &Review{}
	err = by.Do(ctx, "workforce.apply", "demo", nil, func(tx *store.Tx) error {
		if _, _, err := workforce.Apply(ctx, tx, spec, ""); err != nil {
			return err
		}
		for _, m := range spec.Members {
			if err := identity.SetPassword(ctx, tx, m.Email, Password); err != nil {
				return err
			}
			out.Workers = append(out.Workers, m.Email)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "scry-demo-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	// A shelf: a red box, a thin blue bracket the colour detector is unsure
	// of (0.56), and a price sign.
	clip := filepath.Join(dir, "shelf-camera.mp4")
	if b, err := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=0x8a8f94:s=640x360:r=25:d=6",
		"-f", "lavfi", "-i", "color=c=red:s=80x80:r=25:d=6", "-f", "lavfi", "-i", "color=c=blue:s=120x8:r=25:d=6", "-f", "lavfi", "-i", "color=c=blue:s=8x120:r=25:d=6",
		"-filter_complex", "[0][1]overlay=x='60+20*t':y=100[a];[a][2]overlay=x=400:y=232[b];[b][3]overlay=x=400:y=120,format=yuv420p",
		"-c:v", "libx264", clip).CombinedOutput(); err != nil {
		return nil, errcode.Wrap(errcode.Internal, fmt.Errorf("%v: %s", err, b), "ffmpeg could not make the demo video")
	}
	v, _, err := video.Add(ctx, by, objs, clip, media.DefaultLimits)
	if err != nil {
		return nil, err
	}
	out.Video = v.Filename
	as, err := video.Analyses(ctx, db, t.ID, v.ID)
	if err != nil {
		return nil, err
	}
	for _, a := range as {
		if a.Status == "done" && out.Analysis == 0 {
			out.Analysis = a.ID
		}
	}
	if out.Analysis == 0 {
		out.Analysis, err = analyze(ctx, by, objs, jobs, work, video.Request{Video: v, Prompt: "Detect the red box and the blue shape",
			Options: video.JobOptions{FPS: 1, MinConfidence: 0.3, Setup: detect.Setup{Detector: detect.BackendBuiltin}}})
		if err != nil {
			return nil, err
		}
	}
	if err := seedPhoto(ctx, by, objs, jobs, work, out); err != nil {
		return nil, err
	}
	existing, err := labeling.ListJobs(ctx, db, t.ID)
	if err != nil {
		return nil, err
	}
	if len(existing) > 0 {
		out.Job = existing[len(existing)-1].ID
		return out, nil
	}
	req := labeling.Request{Name: "Check the shelf camera", Kind: labeling.KindAdjust, Video: v.ID, Analysis: out.Analysis, Team: "video-reviewers",
		WorkersPerItem: 2, Instructions: "# Check every box\n- Fix boxes that are **off**\n- Draw what the machine missed\n- Delete boxes on nothing"}
	job, err := labeling.NewJob(ctx, by, req)
	out.Job = job.ID
	return out, err
}

// analyze queues an analysis (video.Start, audited) and works it to its
// end; one that does not finish is an error.
func analyze(ctx context.Context, by audit.Actor, objs objstore.Store, jobs *river.Client[*sql.Tx], work Work, req video.Request) (int64, error) {
	id, err := video.Start(ctx, by, jobs, objs, req)
	if err != nil {
		return 0, err
	}
	if a, err := work(ctx, by.TenantID, id); err != nil || a.Status != "done" {
		return 0, errcode.New(errcode.Internal, "The demo analysis %q did not finish (%v %s)", req.Prompt, err, a.Error)
	}
	return id, nil
}

// photoPrompts are what the demo asks of the real photograph: things that
// are there, found by the object detector.
var photoPrompts = []string{"Detect the people", "Detect if a dog appears"}

// seedPhoto adds a 6-second video panning across a real photograph and,
// when the object detector is installed, its analyses for photoPrompts;
// run again, it adds nothing.
func seedPhoto(ctx context.Context, by audit.Actor, objs objstore.Store, jobs *river.Client[*sql.Tx], work Work, out *Review) error {
	dir, err := os.MkdirTemp("", "scry-demo-photo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	photo, clip := filepath.Join(dir, "meadow.jpg"), filepath.Join(dir, "meadow-walk.mp4")
	if err := os.WriteFile(photo, Photo, 0o600); err != nil {
		return err
	}
	if b, err := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-y", "-loop", "1", "-framerate", "25", "-t", "6", "-i", photo,
		"-vf", "scale=1280:-2,crop=1024:640:'(in_w-1024)*t/6':'(in_h-640)/2',format=yuv420p", "-c:v", "libx264", clip).CombinedOutput(); err != nil {
		return errcode.Wrap(errcode.Internal, fmt.Errorf("%v: %s", err, b), "ffmpeg could not make the demo photo video")
	}
	v, _, err := video.Add(ctx, by, objs, clip, media.DefaultLimits)
	if err != nil {
		return err
	}
	out.Photo = v.Filename
	if _, err := detect.SharedObjects(); err != nil {
		out.PhotoNote = "not analysed: " + errcode.From(err).Message
		return nil
	}
	as, err := video.Analyses(ctx, by.DB, by.TenantID, v.ID)
	if err != nil {
		return err
	}
	out.PhotoAnalyses = map[string]int64{}
	for _, a := range as {
		if a.Status == "done" {
			out.PhotoAnalyses[a.Prompt] = a.ID
		}
	}
	for _, prompt := range photoPrompts {
		if out.PhotoAnalyses[prompt] != 0 {
			continue
		}
		id, err := analyze(ctx, by, objs, jobs, work, video.Request{Video: v, Prompt: prompt,
			Options: video.JobOptions{FPS: 2, Setup: detect.Setup{Detector: detect.BackendBuiltin}}})
		if err != nil {
			return err
		}
		out.PhotoAnalyses[prompt] = id
	}
	return nil
}
