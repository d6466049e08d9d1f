package workforce_test

import (
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	smtpd "github.com/emersion/go-smtp"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/objstore"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
	"github.com/scry-dev/scry/internal/tenant"
	"github.com/scry-dev/scry/internal/workforce"
)

func example(t testing.TB) *workforce.Spec {
	t.Helper()
	b, err := os.ReadFile("testdata/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := workforce.Parse(b, "example.yaml")
	if err != nil {
		t.Fatalf("the issue's example must be accepted as written: %v", err)
	}
	return s
}

func setup(t *testing.T, d store.Dialect) (*store.DB, int64) {
	db := storetest.Open(t, d)
	ctx := context.Background()
	var tn tenant.Tenant
	if err := db.Global(ctx, func(tx *store.Tx) error {
		var err error
		tn, err = tenant.Create(ctx, tx, "acme-retail", "")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return db, tn.ID
}

func plan(t *testing.T, db *store.DB, id int64, s *workforce.Spec) (string, []workforce.Change) {
	t.Helper()
	var base string
	var ch []workforce.Change
	err := db.ReadTenant(context.Background(), id, func(tx *store.Tx) error {
		st, err := workforce.Load(context.Background(), tx)
		base, ch = st.Fingerprint(), workforce.Diff(st, s)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return base, ch
}

func apply(t *testing.T, db *store.DB, id int64, s *workforce.Spec, base string) ([]workforce.Change, []workforce.Invite, error) {
	var ch []workforce.Change
	var inv []workforce.Invite
	err := db.InTenant(context.Background(), id, func(tx *store.Tx) error {
		var err error
		ch, inv, err = workforce.Apply(context.Background(), tx, s, base)
		return err
	})
	return ch, inv, err
}

func TestPlanApplyDestroy(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		db, id := setup(t, d)
		ctx := context.Background()
		s := example(t)
		base, changes := plan(t, db, id, s)
		if len(changes) != 6 {
			t.Fatalf("first plan: %v", changes)
		}
		applied, invites, err := apply(t, db, id, s, base)
		if err != nil || len(applied) != 6 || len(invites) != 2 {
			t.Fatalf("apply: %v %v %v", err, applied, invites)
		}
		// Idempotence: a second apply changes nothing and says so.
		if ch, inv, err := apply(t, db, id, s, ""); err != nil || len(ch) != 0 || len(inv) != 0 {
			t.Fatalf("second apply: %v %v %v", err, ch, inv)
		}
		// The temporary password works once the invitation is out, and must be changed.
		_, _, err = identity.SignIn(ctx, db, id, identity.Attempt{Door: identity.AppDoor, Email: invites[0].Email, Password: invites[0].Secret, Remote: "192.0.2.1", MaxFailures: 5},
			func(identity.Account) (string, error) { return identity.StageApp, nil }, nil)
		if err == nil {
			t.Fatal("an invited (not yet active) worker signed in like an active user")
		}
		// Drift: a change made elsewhere shows up in the next plan.
		db.InTenant(ctx, id, func(tx *store.Tx) error {
			_, err := identity.Remove(ctx, tx, "bo.checker@acme-retail.example")
			return err
		})
		staleBase, drift := plan(t, db, id, s)
		if len(drift) != 1 || drift[0].Op != "+" || drift[0].Name != "bo.checker@acme-retail.example" {
			t.Fatalf("drift: %v", drift)
		}
		// A saved plan is refused once the state has moved.
		db.InTenant(ctx, id, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `update work_teams set description = 'edited by hand' where tenant_id = $1 and name = 'text-checkers'`, id)
			return err
		})
		if _, _, err := apply(t, db, id, s, staleBase); !errcode.Is(err, errcode.Conflict) {
			t.Fatalf("stale plan: %v", err)
		}
		// Updates: a member's teams and a team's description.
		s2 := example(t)
		s2.Members[0].Teams = []string{"text-checkers", "video-reviewers"}
		s2.Teams[0].Description = "Checks on-screen text"
		if _, ch := plan(t, db, id, s2); len(ch) != 3 {
			t.Fatalf("plan of edits: %v", ch)
		}
		if _, _, err := apply(t, db, id, s2, ""); err != nil {
			t.Fatal(err)
		}
		if _, ch := plan(t, db, id, s2); len(ch) != 0 {
			t.Fatalf("after edits: %v", ch)
		}
		// Removing a team from the file removes it and its memberships.
		s3 := example(t)
		s3.Teams = s3.Teams[1:] // keep video-reviewers
		s3.Members[0].Teams = []string{"video-reviewers"}
		s3.Members[1].Teams = []string{"video-reviewers"}
		ch, _, err := apply(t, db, id, s3, "")
		if err != nil || ch[len(ch)-1].Op != "-" || ch[len(ch)-1].Kind != "team" {
			t.Fatalf("remove team: %v %v", err, ch)
		}
		// Destroy removes in reverse order: members, app clients, teams, then the workforce.
		var removed []workforce.Change
		if err := db.InTenant(ctx, id, func(tx *store.Tx) error { var err error; removed, err = workforce.Destroy(ctx, tx, ""); return err }); err != nil {
			t.Fatal(err)
		}
		order := ""
		for _, r := range removed {
			if !strings.HasSuffix(order, r.Kind+",") {
				order += r.Kind + ","
			}
		}
		if order != "member,app_client,team,workforce," {
			t.Fatalf("destroy order %s", order)
		}
		if _, ch := plan(t, db, id, s); len(ch) != 6 {
			t.Fatalf("after destroy the plan should create everything again: %v", ch)
		}
	})
}

func TestSpecErrorsNameFileLineAndKey(t *testing.T) {
	base, _ := os.ReadFile("testdata/example.yaml")
	cases := []struct{ name, from, to, want string }{
		{"unknown key", "  mfa: required", "  mfa: required\n  colour: blue", "example.yaml: line 5: field colour not found"},
		{"bad CIDR", "10.20.0.0/16", "10.20.0.0/33", "example.yaml:13: workforce.source_ips[1]"},
		{"host bits", "10.20.0.0/16", "10.20.0.1/16", "example.yaml:13: workforce.source_ips[1]"},
		{"bad email", "bo.checker@acme-retail.example", "bo.checker", "example.yaml:23: members[1].email"},
		{"bad callback", "http://localhost:3000/callback", "http://example.com/callback", "example.yaml:16: app_clients[0].callback_urls[0]"},
		{"ftp callback", "http://localhost:3000/callback", "ftp://localhost/x", "app_clients[0].callback_urls[0]"},
		{"unknown team", "teams: [video-reviewers]}", "teams: [video-reviewer]}", "example.yaml:22: members[0].teams[0]"},
		{"bad mfa", "mfa: required", "mfa: sometimes", "example.yaml:4: user_pool.mfa"},
		{"zero idle", "lockout: {max_failures: 5}", "lockout: {max_failures: 5}\n  session: {idle_minutes: 0}", "example.yaml:6: user_pool.session.idle_minutes: 0 is not a positive number"},
		{"negative absolute", "lockout: {max_failures: 5}", "lockout: {max_failures: 5}\n  session: {absolute_hours: -3}", "example.yaml:6: user_pool.session.absolute_hours: -3 is not a positive number"},
		{"no password placeholder", "temporary password {password}", "temporary password", "invitation.body"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := strings.Replace(string(base), c.from, c.to, 1)
			_, err := workforce.Parse([]byte(doc), "example.yaml")
			if !errcode.Is(err, errcode.Invalid) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
	many := strings.Replace(string(base), `"127.0.0.0/8", `, strings.Repeat(`"127.0.0.0/8", `, 11), 1)
	if _, err := workforce.Parse([]byte(many), "example.yaml"); err == nil || !strings.Contains(err.Error(), "at most 10") {
		t.Fatalf("12 CIDRs: %v", err)
	}
}

func FuzzSpecReader(f *testing.F) {
	b, _ := os.ReadFile("testdata/example.yaml")
	f.Add(b)
	f.Add([]byte("members: [{email: a@b.c, teams: [x]}]"))
	f.Add([]byte("workforce: {name: x, source_ips: ['::/0', '1.2.3.4/32']}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := workforce.Parse(data, "f.yaml")
		if err != nil {
			if !errcode.Is(err, errcode.Invalid) {
				t.Fatalf("not an invalid_input: %v", err)
			}
			return
		}
		if len(s.Workforce.SourceIPs) > workforce.MaxSourceIPs || s.Workforce.Name == "" {
			t.Fatalf("accepted an invalid spec: %+v", s.Workforce)
		}
		// What is accepted plans deterministically against an empty state.
		if a, b := workforce.Diff(workforce.State{}, s), workforce.Diff(workforce.State{}, s); len(a) != len(b) {
			t.Fatal("diff is not deterministic")
		}
	})
}

// smtpServer is a real SMTP server in the test that keeps what it receives.
type smtpServer struct {
	mu   sync.Mutex
	msgs map[string]string
}

func (s *smtpServer) NewSession(*smtpd.Conn) (smtpd.Session, error) { return &smtpSession{srv: s}, nil }

type smtpSession struct {
	srv *smtpServer
	to  []string
}

func (s *smtpSession) Reset()                                {}
func (s *smtpSession) Logout() error                         { return nil }
func (s *smtpSession) Mail(string, *smtpd.MailOptions) error { return nil }
func (s *smtpSession) Rcpt(to string, _ *smtpd.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}
func (s *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	s.srv.mu.Lock()
	for _, to := range s.to {
		s.srv.msgs[to] = string(b)
	}
	s.srv.mu.Unlock()
	return err
}

// TestInvitationsOverSMTP sends the invitations of an apply through a real
// SMTP server and checks that the temporary password in the message is the
// one scry stored.
func TestInvitationsOverSMTP(t *testing.T) {
	be := &smtpServer{msgs: map[string]string{}}
	srv := smtpd.NewServer(be)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()
	db, id := setup(t, store.SQLite)
	s := example(t)
	_, invites, err := apply(t, db, id, s, "")
	if err != nil {
		t.Fatal(err)
	}
	mailer := workforce.SMTP{URL: "smtp://" + ln.Addr().String()}
	portal := "http://127.0.0.1:8080/t/acme-retail/portal"
	for _, inv := range invites {
		body := workforce.Render(s.Invitation.Body, map[string]string{"name": inv.Name, "email": inv.Email, "portal_url": portal, "password": inv.Secret})
		if err := mailer.Send(inv.Email, s.Invitation.Subject, body); err != nil {
			t.Fatal(err)
		}
	}
	be.mu.Lock()
	msg := be.msgs["ana.reviewer@acme-retail.example"]
	be.mu.Unlock()
	m := regexp.MustCompile(`temporary password (\S+?)\.?\r?\n`).FindStringSubmatch(msg)
	if m == nil || !strings.Contains(msg, "Subject: You're invited to the review portal") || !strings.Contains(msg, portal) {
		t.Fatalf("message:\n%s", msg)
	}
	var hash string
	db.ReadTenant(context.Background(), id, func(tx *store.Tx) error {
		return tx.QueryRowContext(context.Background(), `select password_hash from users where email_lower = 'ana.reviewer@acme-retail.example'`).Scan(&hash)
	})
	if !identity.VerifyPassword(hash, m[1]) {
		t.Fatalf("the password in the message (%q) is not the stored temporary password", m[1])
	}
	// The outbox is the default: one .eml per invitation.
	dir := t.TempDir()
	if err := (workforce.Outbox{Objects: objstore.NewFolder(dir)}).Send("x@y.example", "s", "b"); err != nil {
		t.Fatal(err)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "outbox", "*.eml")); len(files) != 1 {
		t.Fatalf("outbox holds %v", files)
	}
}
