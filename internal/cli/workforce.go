package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/workforce"
)

func workforceCommand() *command {
	common := func(fs *flag.FlagSet, c *call) {
		tenantFlag(fs)
		fs.String("f", "", "the workforce file (YAML)")
	}
	return &command{name: "workforce", summary: "the private workforce as a file: plan, apply, destroy", subs: []*command{
		{name: "plan", summary: "show what apply would change (exit 0: nothing, 2: something)", usage: "--tenant <slug> -f workforce.yaml [--out plan.json]",
			example: "scry workforce plan --tenant acme-retail -f workforce.yaml --out plan.json",
			flags: func(fs *flag.FlagSet, c *call) {
				common(fs, c)
				fs.String("out", "", "save the plan here, to apply exactly it later")
			}, run: workforcePlan},
		{name: "apply", summary: "make the workforce what the file says, in one transaction; invite new members", usage: "--tenant <slug> (-f workforce.yaml | plan.json) [--smtp-url URL] [--portal-url URL]",
			example: "scry workforce apply --tenant acme-retail -f workforce.yaml\nscry workforce apply --tenant acme-retail plan.json",
			flags: func(fs *flag.FlagSet, c *call) {
				common(fs, c)
				mailFlags(fs, c)
			}, run: workforceApply},
		{name: "activity", summary: "sign-ins, failures, lockouts, password changes, MFA enrollments, invitations, applies and destroys, per worker",
			usage: "--tenant <slug> [--json]", example: "scry workforce activity --tenant acme-retail --json",
			flags: func(fs *flag.FlagSet, c *call) { tenantFlag(fs) }, run: workforceActivity},
		{name: "resend", summary: "send a member a new invitation (new temporary password and expiry)", usage: "--tenant <slug> --email <email>",
			example: "scry workforce resend --tenant acme-retail --email ana.reviewer@acme-retail.example",
			flags: func(fs *flag.FlagSet, c *call) {
				tenantFlag(fs)
				fs.String("email", "", "the member")
				mailFlags(fs, c)
			}, run: workforceResend},
		{name: "revoke", summary: "stop a member from signing in and end their sessions", usage: "--tenant <slug> --email <email>",
			example: "scry workforce revoke --tenant acme-retail --email bo.checker@acme-retail.example",
			flags:   func(fs *flag.FlagSet, c *call) { tenantFlag(fs); fs.String("email", "", "the member") }, run: workforceRevoke},
		{name: "destroy", summary: "remove the workforce: members, app clients, teams, settings", usage: "--tenant <slug> (--confirm <slug> | -f workforce.yaml)",
			example: "scry workforce destroy --tenant acme-retail --confirm acme-retail\nscry workforce destroy --tenant acme-retail -f workforce.yaml",
			flags: func(fs *flag.FlagSet, c *call) {
				common(fs, c)
				fs.String("confirm", "", "the tenant slug again, to confirm (or give the workforce file with -f: its name must be this workforce's)")
			}, run: workforceDestroy},
	}}
}

func mailFlags(fs *flag.FlagSet, c *call) {
	fs.String("smtp-url", c.env.Getenv("SCRY_SMTP_URL"), "send invitations through smtp://[user:pass@]host:port (default: .eml files in <data>/outbox) (env SCRY_SMTP_URL)")
	fs.String("portal-url", firstNonEmpty(c.env.Getenv("SCRY_PUBLIC_URL"), "http://127.0.0.1:8080"), "the address people reach scry at (env SCRY_PUBLIC_URL)")
}

func readSpec(c *call) (*workforce.Spec, error) {
	path := c.flag("f")
	if path == "" {
		return nil, errcode.New(errcode.Invalid, "%s needs -f workforce.yaml", c.path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, errcode.Wrap(errcode.Invalid, err, "Cannot read %s", path)
	}
	return workforce.Parse(b, path)
}

func printChanges(w io.Writer, changes []workforce.Change) {
	if len(changes) == 0 {
		fmt.Fprintln(w, "No changes: the workforce already matches the file.")
		return
	}
	for _, ch := range changes {
		fmt.Fprintln(w, ch)
	}
	fmt.Fprintf(w, "%d change(s).\n", len(changes))
}

func workforcePlan(ctx context.Context, c *call) error {
	spec, err := readSpec(c)
	if err != nil {
		return err
	}
	db, t, err := c.tenant(ctx)
	if err != nil {
		return err
	}
	plan, err := workforce.PlanFor(ctx, db, t, spec)
	if err != nil {
		return err
	}
	if out := c.flag("out"); out != "" {
		b, _ := json.MarshalIndent(plan, "", "  ")
		if err := os.WriteFile(out, b, 0o600); err != nil {
			return errcode.Wrap(errcode.Invalid, err, "Cannot write %s", out)
		}
	}
	if err := c.out(plan, func(w io.Writer) { printChanges(w, plan.Changes) }); err != nil {
		return err
	}
	if len(plan.Changes) > 0 {
		return silent{code: 2} // something would change
	}
	return nil
}

func workforceApply(ctx context.Context, c *call) error {
	var spec *workforce.Spec
	base := ""
	switch {
	case len(c.args) == 1 && c.flag("f") == "":
		b, err := os.ReadFile(c.args[0])
		if err != nil {
			return errcode.Wrap(errcode.Invalid, err, "Cannot read the plan %s", c.args[0])
		}
		var p workforce.Plan
		if err := json.Unmarshal(b, &p); err != nil || p.Spec == nil || p.Base == "" {
			return errcode.New(errcode.Invalid, "%s is not a plan saved by `scry workforce plan --out`", c.args[0])
		}
		if p.Tenant != c.flag("tenant") {
			return errcode.New(errcode.Invalid, "%s is a plan for tenant %q, not %q", c.args[0], p.Tenant, c.flag("tenant"))
		}
		spec, base = p.Spec, p.Base
	case len(c.args) == 0:
		var err error
		if spec, err = readSpec(c); err != nil {
			return err
		}
	default:
		return errcode.New(errcode.Invalid, "Give either -f workforce.yaml or a saved plan.json, not both")
	}
	by, t, err := c.by(ctx)
	if err != nil {
		return err
	}
	changes, invites, err := workforce.ApplyAs(ctx, by, spec, base)
	if err != nil {
		return err
	}
	mailer, sendErrs := c.sendInvites(t.Slug, spec.Invitation, invites)
	res := map[string]any{"changes": nonNilChanges(changes), "invited": len(invites), "sent_to": mailer.Where()}
	if err := c.out(res, func(w io.Writer) {
		printChanges(w, changes)
		if len(invites) > 0 {
			fmt.Fprintf(w, "Invited %d member(s); the messages went to %s.\n", len(invites), mailer.Where())
		}
	}); err != nil {
		return err
	}
	if len(sendErrs) > 0 {
		return &errcode.Error{Code: errcode.Unavailable, Message: fmt.Sprintf("The workforce was applied but %d invitation(s) could not be sent; fix the mail settings and resend", len(sendErrs)), Details: sendErrs}
	}
	return nil
}

func nonNilChanges(c []workforce.Change) []workforce.Change {
	if c == nil {
		return []workforce.Change{}
	}
	return c
}

func workforceDestroy(ctx context.Context, c *call) error {
	// Either confirmation will do: the tenant typed again, or the workforce
	// file, whose name Destroy checks against the tenant's workforce.
	named := ""
	if c.flag("f") != "" {
		spec, err := readSpec(c)
		if err != nil {
			return err
		}
		named = spec.Workforce.Name
	}
	if named == "" && c.flag("confirm") == "" || c.flag("confirm") != "" && c.flag("confirm") != c.flag("tenant") {
		return errcode.New(errcode.Invalid, "destroy removes every member, team and app client; repeat the tenant with --confirm %s or give the workforce file with -f", c.flag("tenant"))
	}
	by, _, err := c.by(ctx)
	if err != nil {
		return err
	}
	removed, err := workforce.DestroyAs(ctx, by, named)
	if err != nil {
		return err
	}
	return c.out(map[string]any{"removed": nonNilChanges(removed)}, func(w io.Writer) {
		if len(removed) == 0 {
			fmt.Fprintln(w, "There was no workforce to destroy.")
		}
		for _, ch := range removed {
			fmt.Fprintln(w, ch)
		}
	})
}

func workforceActivity(ctx context.Context, c *call) error {
	db, t, err := c.tenant(ctx)
	if err != nil {
		return err
	}
	recs, err := audit.List(ctx, db, t.Slug, 0)
	if err != nil {
		return err
	}
	byWorker := map[string][]audit.Record{}
	var workforceActs []audit.Record
	var order []string
	for _, r := range recs {
		switch {
		case strings.HasPrefix(r.Action, "portal.") || r.Action == "workforce.invite":
			if byWorker[r.Target] == nil {
				order = append(order, r.Target)
			}
			byWorker[r.Target] = append(byWorker[r.Target], r)
		case r.Action == "workforce.apply" || r.Action == "workforce.destroy":
			workforceActs = append(workforceActs, r)
		}
	}
	out := map[string]any{"workers": byWorker, "workforce": workforceActs}
	return c.out(out, func(w io.Writer) {
		for _, r := range workforceActs {
			fmt.Fprintf(w, "%s  %-18s %-8s by %s\n", r.Time.Format("2006-01-02 15:04:05"), r.Action, r.Outcome, r.Actor)
		}
		for _, who := range order {
			fmt.Fprintf(w, "\n%s\n", who)
			for _, r := range byWorker[who] {
				fmt.Fprintf(w, "  %s  %-24s %s\n", r.Time.Format("2006-01-02 15:04:05"), r.Action, r.Outcome)
			}
		}
	})
}

// sendInvites mails invitations after their transaction committed.
func (c *call) sendInvites(slug string, tmpl workforce.Invitation, invites []workforce.Invite) (workforce.Mailer, []string) {
	var mailer workforce.Mailer = workforce.Outbox{Objects: c.objects}
	if u := c.flag("smtp-url"); u != "" {
		mailer = workforce.SMTP{URL: u}
	}
	portal := strings.TrimRight(c.flag("portal-url"), "/") + "/t/" + slug + "/portal"
	var errs []string
	for _, inv := range invites {
		link := portal + "/activate?" + url.Values{"email": {inv.Email}, "code": {inv.Secret}}.Encode()
		body := workforce.Render(tmpl.Body, map[string]string{"name": firstNonEmpty(inv.Name, inv.Email), "email": inv.Email,
			"portal_url": portal, "password": inv.Secret, "link": link})
		if err := mailer.Send(inv.Email, tmpl.Subject, body); err != nil {
			errs = append(errs, fmt.Sprintf("%s: %v", inv.Email, err))
		}
	}
	return mailer, errs
}

func workforceResend(ctx context.Context, c *call) error {
	by, t, err := c.by(ctx)
	if err != nil {
		return err
	}
	inv, tmpl, err := workforce.ResendAs(ctx, by, c.flag("email"))
	if err != nil {
		return err
	}
	mailer, errs := c.sendInvites(t.Slug, tmpl, []workforce.Invite{inv})
	if len(errs) > 0 {
		return &errcode.Error{Code: errcode.Unavailable, Message: "The invitation could not be sent", Details: errs}
	}
	return c.out(map[string]any{"invited": inv.Email, "expires": inv.Expires, "sent_to": mailer.Where()}, func(w io.Writer) {
		fmt.Fprintf(w, "Sent a new invitation to %s (valid until %s) through %s.\n", inv.Email, inv.Expires.Format("2006-01-02"), mailer.Where())
	})
}

func workforceRevoke(ctx context.Context, c *call) error {
	by, _, err := c.by(ctx)
	if err != nil {
		return err
	}
	email := c.flag("email")
	if err := workforce.RevokeAs(ctx, by, email); err != nil {
		return err
	}
	return c.out(map[string]any{"revoked": email}, func(w io.Writer) { fmt.Fprintf(w, "%s can no longer sign in.\n", email) })
}
