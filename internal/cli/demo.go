package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/scry-dev/scry/internal/demo"
	"github.com/scry-dev/scry/internal/detect"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/hr"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/labeling"
	"github.com/scry-dev/scry/internal/media"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/tenant"
	"github.com/scry-dev/scry/internal/video"
	"github.com/scry-dev/scry/internal/workforce"
)

type seededUser struct {
	Tenant     string `json:"tenant"`
	Email      string `json:"email"`
	Role       string `json:"role"`
	EmployeeID string `json:"employee_id,omitempty"`
}

// demoSeed creates the demo tenants (skipping those that exist), imports
// their data and adds an admin, an hr user, a manager and an employee each.
func demoSeed(ctx context.Context, c *call) error {
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	var users []seededUser
	for _, d := range demo.Tenants {
		t, err := tenant.Get(ctx, db, d.Slug)
		if errcode.Is(err, errcode.NotFound) {
			err = c.record(ctx, db, tenant.Tenant{Slug: d.Slug}, "tenant.create", d.Slug, nil, func(tx *store.Tx) error {
				t, err = tenant.Create(ctx, tx, d.Slug, d.Name)
				return err
			})
			if err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		dir, err := demo.Extract(d.Slug, "")
		if err != nil {
			return err
		}
		err = c.record(ctx, db, t, "hr.import", "demo:"+d.Slug, nil, func(tx *store.Tx) error {
			_, err := hr.Import(ctx, tx, dir, nil)
			return err
		})
		os.RemoveAll(dir)
		if err != nil {
			return err
		}
		var mgr, emp hr.Person
		if err := db.ReadTenant(ctx, t.ID, func(tx *store.Tx) error { mgr, emp, err = hr.SampleTeam(ctx, tx); return err }); err != nil {
			return err
		}
		for _, u := range []identity.User{
			{Email: "admin@" + d.Domain, Role: identity.Admin},
			{Email: "hr@" + d.Domain, Role: identity.HR},
			{Email: mgr.Email, Role: identity.Manager, EmployeeID: mgr.EmployeeID},
			{Email: emp.Email, Role: identity.Employee, EmployeeID: emp.EmployeeID},
		} {
			err := c.record(ctx, db, t, "user.add", u.Email, map[string]any{"role": u.Role}, func(tx *store.Tx) error {
				if _, err := identity.Add(ctx, tx, u); err != nil {
					return err
				}
				return identity.SetPassword(ctx, tx, u.Email, demo.Password)
			})
			if err != nil && !errcode.Is(err, errcode.AlreadyExists) {
				return err
			}
			users = append(users, seededUser{d.Slug, u.Email, string(u.Role), u.EmployeeID})
		}
	}
	review, err := seedReview(ctx, c, db)
	if err != nil {
		return err
	}
	return c.out(map[string]any{"users": users, "now": demo.Now, "password": demo.Password, "review": review}, func(w io.Writer) {
		fmt.Fprintf(w, "Seeded %d demo tenants (data as of %s) with these users, each with the password %q (demo only):\n", len(demo.Tenants), demo.Now, demo.Password)
		for _, u := range users {
			fmt.Fprintf(w, "  %-15s %-9s %s %s\n", u.Tenant, u.Role, u.Email, u.EmployeeID)
		}
		self := "scry"
		if strings.HasPrefix(os.Args[0], "./") {
			self = os.Args[0] // as it was run, e.g. ./scry after make demo
		}
		fmt.Fprintf(w, "\nTry:\n")
		for _, q := range []struct{ as, q string }{
			{users[0].Email, "How many employees do we have?"},
			{users[0].Email, "Give me the worked hours per week per position for the last 3 months"},
			{users[2].Email, "How many hours did my team work over the past 7 weeks?"},
			{users[0].Email, "Give me the gender parity"},
		} {
			fmt.Fprintf(w, "  %s ask --tenant %s --as %s --now %s %q\n", self, users[0].Tenant, q.as, demo.Now, q.q)
		}
		if review == nil {
			fmt.Fprintf(w, "\n(No video demo: ffmpeg is not installed.)\n")
			return
		}
		fmt.Fprintf(w, "\nSee and Label: %s is analysed (analysis %d) and job %d asks the workforce to review its unsure boxes.\n", review.Video, review.Analysis, review.Job)
		fmt.Fprintf(w, "  Reviewers sign in at /t/acme-retail/portal as %s with the same password;\n", strings.Join(review.Workers, " or "))
		fmt.Fprintf(w, "  the admin follows the job at /admin/labeling/%d.\n", review.Job)
		if review.PhotoNote != "" {
			fmt.Fprintf(w, "  %s: %s\n", review.Photo, review.PhotoNote)
		}
		for prompt, id := range review.PhotoAnalyses {
			fmt.Fprintf(w, "  %s is analysed for %q (analysis %d): see /admin/videos.\n", review.Photo, prompt, id)
		}
	})
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

type seededReview struct {
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

// seedReview gives acme-retail a workforce, a generated shelf video, its
// analysis and a review job, so that See and Label can be tried at once.
// Without ffmpeg it seeds nothing and says so; run again, it adds nothing.
func seedReview(ctx context.Context, c *call, db *store.DB) (*seededReview, error) {
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
	out := &seededReview{}
	err = c.record(ctx, db, t, "workforce.apply", "demo", nil, func(tx *store.Tx) error {
		if _, _, err := workforce.Apply(ctx, tx, spec, ""); err != nil {
			return err
		}
		for _, m := range spec.Members {
			if err := identity.SetPassword(ctx, tx, m.Email, demo.Password); err != nil {
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
	v, _, err := video.Add(ctx, db, c.objects, t.ID, "demo", clip, media.DefaultLimits, nil)
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
		jobs, err := c.jobClient(db, 1, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			return nil, err
		}
		err = db.InTenant(ctx, t.ID, func(tx *store.Tx) error {
			out.Analysis, err = video.Queue(ctx, tx, jobs, c.objects, video.Request{Video: v, Prompt: "Detect the red box and the blue shape", Actor: "demo",
				Options: video.JobOptions{FPS: 1, MinConfidence: 0.3, Setup: detect.Setup{Detector: detect.BackendBuiltin}}})
			return err
		})
		if err != nil {
			return nil, err
		}
		if a, err := c.work(ctx, db, jobs, t.ID, out.Analysis); err != nil || a.Status != "done" {
			return nil, errcode.New(errcode.Internal, "The demo analysis did not finish (%v %s)", err, a.Error)
		}
	}
	if err := seedPhoto(ctx, c, db, t, out); err != nil {
		return nil, err
	}
	var existing []labeling.Job
	if err := db.ReadTenant(ctx, t.ID, func(tx *store.Tx) error { existing, err = labeling.ListJobs(ctx, tx); return err }); err != nil {
		return nil, err
	}
	if len(existing) > 0 {
		out.Job = existing[len(existing)-1].ID
		return out, nil
	}
	req := labeling.Request{Name: "Check the shelf camera", Kind: labeling.KindAdjust, Video: v.ID, Analysis: out.Analysis, Team: "video-reviewers",
		WorkersPerItem: 2, Instructions: "# Check every box\n- Fix boxes that are **off**\n- Draw what the machine missed\n- Delete boxes on nothing"}
	job, err := labeling.NewJob(ctx, db, t.ID, req, "demo", func(change func(*store.Tx) error) error {
		return c.record(ctx, db, t, "label.job.create", req.Name, nil, change)
	}, nil)
	out.Job = job.ID
	return out, err
}

// photoPrompts are what the demo asks of the real photograph: things that
// are there, found by the object detector.
var photoPrompts = []string{"Detect the people", "Detect if a dog appears"}

// seedPhoto adds a 6-second video panning across a real photograph and,
// when the object detector is installed, its analyses for photoPrompts;
// run again, it adds nothing.
func seedPhoto(ctx context.Context, c *call, db *store.DB, t tenant.Tenant, out *seededReview) error {
	dir, err := os.MkdirTemp("", "scry-demo-photo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	photo, clip := filepath.Join(dir, "meadow.jpg"), filepath.Join(dir, "meadow-walk.mp4")
	if err := os.WriteFile(photo, demo.Photo, 0o600); err != nil {
		return err
	}
	if b, err := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-y", "-loop", "1", "-framerate", "25", "-t", "6", "-i", photo,
		"-vf", "scale=1280:-2,crop=1024:640:'(in_w-1024)*t/6':'(in_h-640)/2',format=yuv420p", "-c:v", "libx264", clip).CombinedOutput(); err != nil {
		return errcode.Wrap(errcode.Internal, fmt.Errorf("%v: %s", err, b), "ffmpeg could not make the demo photo video")
	}
	v, _, err := video.Add(ctx, db, c.objects, t.ID, "demo", clip, media.DefaultLimits, nil)
	if err != nil {
		return err
	}
	out.Photo = v.Filename
	if _, err := detect.SharedObjects(); err != nil {
		out.PhotoNote = "not analysed: " + errcode.From(err).Message
		return nil
	}
	as, err := video.Analyses(ctx, db, t.ID, v.ID)
	if err != nil {
		return err
	}
	out.PhotoAnalyses = map[string]int64{}
	for _, a := range as {
		if a.Status == "done" {
			out.PhotoAnalyses[a.Prompt] = a.ID
		}
	}
	jobs, err := c.jobClient(db, 1, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	for _, prompt := range photoPrompts {
		if out.PhotoAnalyses[prompt] != 0 {
			continue
		}
		var id int64
		err = db.InTenant(ctx, t.ID, func(tx *store.Tx) error {
			id, err = video.Queue(ctx, tx, jobs, c.objects, video.Request{Video: v, Prompt: prompt, Actor: "demo",
				Options: video.JobOptions{FPS: 2, Setup: detect.Setup{Detector: detect.BackendBuiltin}}})
			return err
		})
		if err != nil {
			return err
		}
		if a, err := c.work(ctx, db, jobs, t.ID, id); err != nil || a.Status != "done" {
			return errcode.New(errcode.Internal, "The demo analysis %q did not finish (%v %s)", prompt, err, a.Error)
		}
		out.PhotoAnalyses[prompt] = id
	}
	return nil
}

// demoGenerate writes a generated tenant's three HR files into a folder,
// to import (`scry import hr`) and to reproduce the benchmarks with.
func demoGenerate(ctx context.Context, c *call) error {
	if err := c.need(1, "a folder to write employees.csv, shifts.csv and absences.csv into"); err != nil {
		return err
	}
	n, err := strconv.Atoi(c.flag("shifts"))
	if err != nil || n < 1 {
		return errcode.New(errcode.Invalid, "--shifts must be a whole number ≥ 1, not %q", c.flag("shifts"))
	}
	seed, err := strconv.ParseInt(c.flag("seed"), 10, 64)
	if err != nil {
		return errcode.New(errcode.Invalid, "--seed must be a whole number, not %q", c.flag("seed"))
	}
	dir := c.args[0]
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return errcode.Wrap(errcode.Invalid, err, "Cannot create the folder %s", dir)
	}
	if err := hr.Generate(dir, n, seed); err != nil {
		return errcode.Wrap(errcode.Internal, err, "Cannot write the generated files into %s", dir)
	}
	out := map[string]any{"folder": dir, "shifts": n, "employees": max(n/1000, 20), "seed": seed}
	return c.out(out, func(w io.Writer) {
		fmt.Fprintf(w, "wrote employees.csv, shifts.csv and absences.csv (%d shifts) into %s\n", n, dir)
	})
}
