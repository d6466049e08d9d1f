package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/hr"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/tenant"
)

func commands() *command {
	return &command{name: "scry", summary: "ask your workforce data, see into video, label with a private workforce", subs: []*command{
		{name: "tenant", summary: "create and list tenants", subs: []*command{
			{name: "create", summary: "create a tenant", usage: "<slug> [--name \"Display Name\"]",
				example: `scry tenant create acme-retail --name "Acme Retail"`,
				flags:   func(fs *flag.FlagSet, c *call) { fs.String("name", "", "display name (default: the slug)") },
				run:     tenantCreate},
			{name: "list", summary: "list tenants", example: "scry tenant list --json", run: tenantList},
			{name: "show", summary: "show one tenant", usage: "<slug>", example: "scry tenant show acme-retail", run: tenantShow},
		}},
		{name: "user", summary: "add, list, show and remove users of a tenant", subs: []*command{
			{name: "add", summary: "add a user", usage: "--tenant <slug> --email <email> --role admin|hr|manager|employee [--employee <employee_id>]",
				example: "scry user add --tenant acme-retail --email nora.david@acme-retail.example --role manager --employee E0002",
				flags: func(fs *flag.FlagSet, c *call) {
					tenantFlag(fs)
					fs.String("email", "", "the user's email (unique in the tenant, any case)")
					fs.String("role", "", "admin, hr, manager or employee")
					fs.String("employee", "", "employee_id this user is (required for manager and employee)")
					fs.String("name", "", "display name")
				},
				run: userAdd},
			{name: "list", summary: "list a tenant's users", usage: "--tenant <slug>", example: "scry user list --tenant acme-retail",
				flags: func(fs *flag.FlagSet, c *call) { tenantFlag(fs) }, run: userList},
			{name: "show", summary: "show one user", usage: "--tenant <slug> --email <email>",
				example: "scry user show --tenant acme-retail --email admin@acme-retail.example",
				flags:   func(fs *flag.FlagSet, c *call) { tenantFlag(fs); fs.String("email", "", "the user's email") }, run: userShow},
			{name: "passwd", summary: "set a user's password, read from standard input (12–128 characters, not a common one, not holding the user's name or email); ends the user's sessions", usage: "--tenant <slug> --email <email> < password.txt",
				example: "printf '%s' 'correct horse battery' | scry user passwd --tenant acme-retail --email admin@acme-retail.example",
				flags:   func(fs *flag.FlagSet, c *call) { tenantFlag(fs); fs.String("email", "", "the user's email") }, run: userPasswd},
			{name: "remove", summary: "remove a user", usage: "--tenant <slug> --email <email>",
				example: "scry user remove --tenant acme-retail --email old.admin@acme-retail.example",
				flags:   func(fs *flag.FlagSet, c *call) { tenantFlag(fs); fs.String("email", "", "the user's email") }, run: userRemove},
		}},
		{name: "token", summary: "API tokens for scripts (sent as Authorization: Bearer)", subs: []*command{
			{name: "create", summary: "create an API token for a user; it is shown once", usage: "--tenant <slug> --email <email> [--expires 30d] [--name N]",
				example: "scry token create --tenant acme-retail --email admin@acme-retail.example --expires 30d --name nightly-report",
				flags: func(fs *flag.FlagSet, c *call) {
					tenantFlag(fs)
					fs.String("email", "", "the user the token acts as")
					fs.String("expires", "", "lifetime such as 12h, 30d (default: no expiry)")
					fs.String("name", "", "a name to recognise the token by")
				}, run: tokenCreate},
			{name: "revoke", summary: "revoke an API token by id", usage: "--tenant <slug> <id>", example: "scry token revoke --tenant acme-retail 3",
				flags: func(fs *flag.FlagSet, c *call) { tenantFlag(fs) }, run: tokenRevoke},
		}},
		{name: "import", summary: "import data into a tenant", subs: []*command{
			{name: "hr", summary: "import employees.csv, shifts.csv and absences.csv (all-or-nothing; replaces the tenant's HR data)",
				usage:   "--tenant <slug> [--dry-run] <folder>",
				example: "scry import hr --tenant acme-retail ./hr/acme-retail\nscry import hr --tenant acme-retail --dry-run ./hr/acme-retail   # check only: report the problems, change nothing",
				flags: func(fs *flag.FlagSet, c *call) {
					tenantFlag(fs)
					fs.Bool("dry-run", false, "check the files and report every problem or what would be imported; change nothing")
				}, run: importHR},
		}},
		{name: "migrate", summary: "apply pending database migrations (also done on every start); make the S3 bucket and the audit key when missing", example: "scry migrate --json", run: migrate},
		{name: "audit", summary: "read and verify the tamper-evident audit log", subs: []*command{
			{name: "log", summary: "list audit records", usage: "[--tenant <slug>] [--limit N]", example: "scry audit log --tenant acme-retail --limit 20",
				flags: func(fs *flag.FlagSet, c *call) {
					fs.String("tenant", "", "only this tenant's records")
					fs.Int("limit", 0, "only the newest N records")
				}, run: auditLog},
			{name: "verify", summary: "recompute every hash and check the signed tree heads; exit 2 naming the first bad record",
				example: "scry audit verify\nscry audit verify --audit-key /etc/scry/audit.key   # the key kept outside the data folder", run: auditVerify},
		}},
		{name: "demo", summary: "demo data", subs: []*command{
			{name: "seed", summary: "create the three demo tenants with their HR data and four users each", example: "scry demo seed", run: demoSeed},
			{name: "generate", summary: "write a generated tenant's HR files (a thousand shifts per employee, 2021–2026) into a folder, for benchmarks",
				usage:   "--shifts N [--seed S] <folder>",
				example: "scry demo generate --shifts 10000000 /tmp/gen-10m && scry import hr --tenant big /tmp/gen-10m",
				flags: func(fs *flag.FlagSet, c *call) {
					fs.String("shifts", "1000000", "how many shifts")
					fs.String("seed", "1", "the same seed writes the same files")
				}, run: demoGenerate},
		}},
		askCommand(),
		serveCommand(),
		workerCommand(),
		benchCommand(),
		workforceCommand(),
		ssoCommand(),
		detectCommand(),
		videoCommand(),
		labelCommand(),
		evalCommand(),
		modelCommand(),
	}}
}

func tenantFlag(fs *flag.FlagSet) { fs.String("tenant", "", "tenant slug") }

// flagValue reads a flag of the current command by name.
func (c *call) flag(name string) string {
	if f := c.fs.Lookup(name); f != nil {
		return f.Value.String()
	}
	return ""
}

// tenant resolves the --tenant flag.
func (c *call) tenant(ctx context.Context) (*store.DB, tenant.Tenant, error) {
	slug := c.flag("tenant")
	if slug == "" {
		return nil, tenant.Tenant{}, errcode.New(errcode.Invalid, "%s needs --tenant <slug>", c.path)
	}
	db, err := c.open(ctx)
	if err != nil {
		return nil, tenant.Tenant{}, err
	}
	t, err := tenant.Get(ctx, db, slug)
	return db, t, err
}

// tenantAudit is c.tenant and the audit log, for commands that record acts.
func (c *call) tenantAudit(ctx context.Context) (*store.DB, tenant.Tenant, *audit.Log, error) {
	db, t, err := c.tenant(ctx)
	if err != nil {
		return nil, t, nil, err
	}
	log, err := c.audit()
	return db, t, log, err
}

// readTenant opens the tenant of --tenant and runs read, a read use case
// of it: the whole of what a listing command does before it prints.
func readTenant[T any](ctx context.Context, c *call, read func(context.Context, *store.DB, int64) (T, error)) (T, tenant.Tenant, error) {
	db, t, err := c.tenant(ctx)
	if err != nil {
		var none T
		return none, t, err
	}
	v, err := read(ctx, db, t.ID)
	return v, t, err
}

// openAudit opens the store and the audit log, for commands that record
// acts outside one tenant (or before there is one).
func (c *call) openAudit(ctx context.Context) (*store.DB, *audit.Log, error) {
	db, err := c.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	log, err := c.audit()
	return db, log, err
}

// by is who acts, for the use cases: this command's actor in the tenant of
// --tenant, with the audit log.
func (c *call) by(ctx context.Context) (audit.Actor, tenant.Tenant, error) {
	db, t, log, err := c.tenantAudit(ctx)
	if err != nil {
		return audit.Actor{}, t, err
	}
	return c.actorIn(db, log, t), t, nil
}

func (c *call) actorIn(db *store.DB, log *audit.Log, t tenant.Tenant) audit.Actor {
	return audit.Actor{DB: db, Log: log, TenantID: t.ID, Tenant: t.Slug, Name: c.actor()}
}

func tenantCreate(ctx context.Context, c *call) error {
	if err := c.need(1, "a tenant slug"); err != nil {
		return err
	}
	if err := tenant.ValidateSlug(c.args[0]); err != nil {
		return err
	}
	db, log, err := c.openAudit(ctx)
	if err != nil {
		return err
	}
	t, err := tenant.New(ctx, db, log, c.actor(), c.args[0], c.flag("name"))
	if err != nil {
		return err
	}
	return c.out(t, func(w io.Writer) { fmt.Fprintf(w, "Created tenant %s (%s).\n", t.Slug, t.Name) })
}

func tenantList(ctx context.Context, c *call) error {
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	ts, err := tenant.List(ctx, db)
	if err != nil {
		return err
	}
	return c.out(map[string]any{"tenants": ts}, func(w io.Writer) {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "SLUG\tNAME\tCREATED")
		for _, t := range ts {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", t.Slug, t.Name, t.CreatedAt.Format("2006-01-02"))
		}
		tw.Flush()
	})
}

func tenantShow(ctx context.Context, c *call) error {
	if err := c.need(1, "a tenant slug"); err != nil {
		return err
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	t, err := tenant.Get(ctx, db, c.args[0])
	if err != nil {
		return err
	}
	n, err := tenant.SizeOf(ctx, db, t.ID)
	if err != nil {
		return err
	}
	v := map[string]any{"tenant": t, "users": n.Users, "employees": n.Employees, "shifts": n.Shifts, "absences": n.Absences}
	return c.out(v, func(w io.Writer) {
		fmt.Fprintf(w, "%s (%s), created %s\n  users %d, employees %d, shifts %d, absences %d\n",
			t.Slug, t.Name, t.CreatedAt.Format("2006-01-02"), n.Users, n.Employees, n.Shifts, n.Absences)
	})
}

func userAdd(ctx context.Context, c *call) error {
	by, t, err := c.by(ctx)
	if err != nil {
		return err
	}
	role, err := identity.ParseRole(c.flag("role"))
	if err != nil {
		return err
	}
	u, _, err := identity.AddUser(ctx, by, identity.User{Email: c.flag("email"), Role: role, EmployeeID: c.flag("employee"), Name: c.flag("name")}, false)
	if err != nil {
		return err
	}
	return c.out(u, func(w io.Writer) { fmt.Fprintf(w, "Added %s (%s) to %s.\n", u.Email, u.Role, t.Slug) })
}

func userList(ctx context.Context, c *call) error {
	us, _, err := readTenant(ctx, c, identity.Users)
	if err != nil {
		return err
	}
	return c.out(map[string]any{"users": us}, func(w io.Writer) {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "EMAIL\tROLE\tEMPLOYEE\tSTATUS")
		for _, u := range us {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Email, u.Role, u.EmployeeID, u.Status)
		}
		tw.Flush()
	})
}

func userShow(ctx context.Context, c *call) error {
	db, t, err := c.tenant(ctx)
	if err != nil {
		return err
	}
	u, err := identity.UserByEmail(ctx, db, t.ID, c.flag("email"))
	if err != nil {
		return err
	}
	return c.out(u, func(w io.Writer) {
		fmt.Fprintf(w, "%s\n  role %s\n  employee %s\n  status %s\n  created %s\n", u.Email, u.Role, u.EmployeeID, u.Status, u.CreatedAt.Format("2006-01-02"))
	})
}

func userRemove(ctx context.Context, c *call) error {
	by, t, err := c.by(ctx)
	if err != nil {
		return err
	}
	email := c.flag("email")
	kept, err := identity.RemoveUser(ctx, by, email)
	if err != nil {
		return err
	}
	return c.out(map[string]any{"removed": email, "kept_for_history": kept}, func(w io.Writer) {
		fmt.Fprintf(w, "Removed %s from %s.\n", email, t.Slug)
		if kept {
			fmt.Fprintln(w, "Their labeling answers stay, attributed to this address; the account itself can no longer be used.")
		}
	})
}

// importMemoryLimit is the Go heap `scry import hr` aims to stay under.
const importMemoryLimit = 128 << 20

func importHR(ctx context.Context, c *call) error {
	if err := c.need(1, "the folder that holds employees.csv, shifts.csv and absences.csv"); err != nil {
		return err
	}
	by, t, err := c.by(ctx)
	if err != nil {
		return err
	}
	var counts hr.Counts
	if c.flag("dry-run") == "true" {
		// nothing changes, so nothing is audited: the real import will be
		if counts, err = hr.DryRun(ctx, by.DB, t.ID, c.args[0]); err != nil {
			return err
		}
		return c.out(map[string]any{"dry_run": true, "employees": counts.Employees, "shifts": counts.Shifts, "absences": counts.Absences}, func(w io.Writer) {
			e, sh, a := counts.Nouns()
			fmt.Fprintf(w, "Checked %s for %s: the files are valid; an import would store %d %s, %d %s and %d %s. Nothing was changed (dry run).\n",
				c.args[0], t.Slug, counts.Employees, e, counts.Shifts, sh, counts.Absences, a)
		})
	}
	// The import's live memory is mostly its id set (pointer-free, 6 bytes
	// a slot, 80 MB for 10M shifts): a soft limit makes the collector run
	// sooner as the heap nears it instead of letting it grow to twice the
	// live heap, so a 10M-shift import stays under 200 MB, while smaller
	// imports collect as usual. (This process does nothing else meanwhile.)
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(importMemoryLimit))
	if counts, err = hr.ImportAs(ctx, by, c.args[0], c.args[0], c.env.Stderr); err != nil {
		return err
	}
	return c.out(counts, func(w io.Writer) {
		e, sh, a := counts.Nouns()
		fmt.Fprintf(w, "Imported into %s: %d %s, %d %s, %d %s in %.1f s (%.0f rows/s).\n",
			t.Slug, counts.Employees, e, counts.Shifts, sh, counts.Absences, a, counts.Seconds, counts.RowsPerSecond)
	})
}

func migrate(ctx context.Context, c *call) error {
	db, err := c.open(ctx) // opening applies pending migrations
	if err != nil {
		return err
	}
	// An installation of several processes runs migrate once before
	// starting them: the bucket is made here when missing, and the audit
	// key created here on first use, before several processes could each
	// make one of their own.
	if b, ok := c.objects.(interface{ MakeBucket(context.Context) error }); ok {
		if err := b.MakeBucket(ctx); err != nil {
			return errcode.Wrap(errcode.Unavailable, err, "The object store %s does not answer or its bucket cannot be made", c.objects)
		}
	}
	if _, err := c.audit(); err != nil {
		return err
	}
	all, err := store.Migrations(db.Dialect)
	if err != nil {
		return err
	}
	latest := all[len(all)-1]
	return c.out(map[string]any{"dialect": db.Dialect, "version": latest.Version}, func(w io.Writer) {
		fmt.Fprintf(w, "Database (%s) is at migration %04d_%s.\n", db.Dialect, latest.Version, latest.Name)
	})
}

func auditLog(ctx context.Context, c *call) error {
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	limit := 0
	fmt.Sscan(c.flag("limit"), &limit)
	recs, err := audit.List(ctx, db, c.flag("tenant"), limit)
	if err != nil {
		return err
	}
	if recs == nil {
		recs = []audit.Record{}
	}
	return c.out(map[string]any{"records": recs}, func(w io.Writer) {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "SEQ\tTIME\tTENANT\tACTOR\tACTION\tTARGET\tOUTCOME")
		for _, r := range recs {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Seq, r.Time.Format("2006-01-02 15:04:05"), r.Tenant, r.Actor, r.Action, r.Target, r.Outcome)
		}
		tw.Flush()
	})
}

func auditVerify(ctx context.Context, c *call) error {
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	// Verification never creates a key: a missing one is audit_tampered.
	log, err := audit.OpenVerifier(c.objects, c.keyFile)
	if err != nil {
		return err
	}
	rep, err := log.Verify(ctx, db)
	if err != nil {
		return err
	}
	return c.out(rep, func(w io.Writer) {
		fmt.Fprintf(w, "Audit log verified: %d records, %d signed heads (newest covers %d), tree %s.\n",
			rep.Records, rep.Heads, rep.NewestHead, rep.TreeHash)
		if rep.UnsignedTail > 0 {
			fmt.Fprintf(w, "%d record(s) after the newest head are not yet signed (a stop between commit and signing).\n", rep.UnsignedTail)
		}
	})
}

func userPasswd(ctx context.Context, c *call) error {
	by, _, err := c.by(ctx)
	if err != nil {
		return err
	}
	b, err := io.ReadAll(io.LimitReader(c.env.Stdin, 4096))
	if err != nil {
		return err
	}
	pw := strings.TrimRight(string(b), "\r\n")
	email := c.flag("email")
	err = identity.ChangeUserPassword(ctx, by, email, pw)
	if err != nil {
		return err
	}
	return c.out(map[string]any{"email": email, "password_set": true}, func(w io.Writer) { fmt.Fprintf(w, "Password set for %s.\n", email) })
}

// parseLifetime reads 90m, 12h, 30d.
func parseLifetime(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	if strings.HasSuffix(s, "d") {
		n, err := strconv.Atoi(strings.TrimSuffix(s, "d"))
		if err == nil && n > 0 {
			return time.Duration(n) * 24 * time.Hour, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, errcode.New(errcode.Invalid, "--expires %q is not a lifetime such as 12h or 30d", s)
	}
	return d, nil
}

func tokenCreate(ctx context.Context, c *call) error {
	ttl, err := parseLifetime(c.flag("expires"))
	if err != nil {
		return err
	}
	by, _, err := c.by(ctx)
	if err != nil {
		return err
	}
	tok, err := identity.IssueToken(ctx, by, c.flag("email"), c.flag("name"), ttl)
	if err != nil {
		return err
	}
	return c.out(tok, func(w io.Writer) {
		fmt.Fprintf(w, "Token %d for %s (shown only now):\n%s\n", tok.ID, tok.Email, tok.Secret)
	})
}

func tokenRevoke(ctx context.Context, c *call) error {
	if err := c.need(1, "a token id"); err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.args[0], 10, 64)
	if err != nil {
		return errcode.New(errcode.Invalid, "%q is not a token id", c.args[0])
	}
	by, _, err := c.by(ctx)
	if err != nil {
		return err
	}
	if err := identity.WithdrawToken(ctx, by, id); err != nil {
		return err
	}
	return c.out(map[string]any{"revoked": id}, func(w io.Writer) { fmt.Fprintf(w, "Revoked token %d.\n", id) })
}
