package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"

	"github.com/scry-dev/scry/internal/demo"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/hr"
	"github.com/scry-dev/scry/internal/video"
)

// demoSeed seeds the demo tenants (demo.Seed), working the video demo's
// analyses here on the job queue.
func demoSeed(ctx context.Context, c *call) error {
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	log, err := c.audit()
	if err != nil {
		return err
	}
	jobs, err := c.jobClient(db, 1, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	seeded, err := demo.Seed(ctx, db, log, c.objects, c.actor(), jobs, func(ctx context.Context, tenantID, id int64) (video.Analysis, error) {
		return c.work(ctx, db, jobs, tenantID, id)
	})
	if err != nil {
		return err
	}
	users, review := seeded.Users, seeded.Review
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
