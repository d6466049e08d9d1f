package workforce

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"net/netip"
	"strings"
	"time"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/tenant"
)

// settingsOf is the part of a spec kept as one document in the workforce row.
type settingsDoc struct {
	UserPool   UserPool   `json:"user_pool"`
	Invitation Invitation `json:"invitation"`
	Workforce  Settings   `json:"workforce"`
}

// State is what the database holds now, in the shape of a spec; Exists is
// false when no workforce was ever applied (or it was destroyed).
type State struct {
	Exists bool
	Spec
}

// Load reads the tenant's current workforce.
func Load(ctx context.Context, tx *store.Tx) (State, error) {
	var st State
	var settings string
	err := tx.QueryRowContext(ctx, `select settings from workforce where tenant_id = $1`, tx.TenantID).Scan(&settings)
	switch err = store.Err(err, "read workforce"); {
	case err == nil:
		st.Exists = true
		var doc settingsDoc
		if err := json.Unmarshal([]byte(settings), &doc); err != nil {
			return st, fmt.Errorf("workforce settings: %w", err)
		}
		st.UserPool, st.Invitation, st.Workforce = doc.UserPool, doc.Invitation, doc.Workforce
	case !errcode.Is(err, errcode.NotFound):
		return st, err
	}
	rows, err := tx.QueryContext(ctx, `select name, description from work_teams where tenant_id = $1 order by name`, tx.TenantID)
	if err != nil {
		return st, store.Err(err, "read teams")
	}
	for rows.Next() {
		var t Team
		rows.Scan(&t.Name, &t.Description)
		st.Teams = append(st.Teams, t)
	}
	rows.Close()
	rows, err = tx.QueryContext(ctx, `select name, callback_urls from app_clients where tenant_id = $1 order by name`, tx.TenantID)
	if err != nil {
		return st, store.Err(err, "read app clients")
	}
	for rows.Next() {
		var c AppClient
		var urls string
		rows.Scan(&c.Name, &urls)
		json.Unmarshal([]byte(urls), &c.CallbackURLs)
		st.AppClients = append(st.AppClients, c)
	}
	rows.Close()
	rows, err = tx.QueryContext(ctx, `select u.email_lower, u.name, coalesce(m.team, '') from users u
		left join team_members m on m.tenant_id = u.tenant_id and m.user_id = u.id
		where u.tenant_id = $1 and u.role = 'worker' and u.status <> 'removed' order by u.email_lower, m.team`, tx.TenantID)
	if err != nil {
		return st, store.Err(err, "read members")
	}
	for rows.Next() {
		var email, name, team string
		rows.Scan(&email, &name, &team)
		if n := len(st.Members); n == 0 || st.Members[n-1].Email != email {
			st.Members = append(st.Members, Member{Email: email, Name: name})
		}
		if team != "" {
			m := &st.Members[len(st.Members)-1]
			m.Teams = append(m.Teams, team)
		}
	}
	rows.Close()
	return st, rows.Err()
}

// Fingerprint identifies a state, so a saved plan can tell whether the
// state moved since it was made.
func (st State) Fingerprint() string {
	b, _ := json.Marshal(st)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// Change is one line of a plan.
type Change struct {
	Op   string `json:"op"`   // + create, ~ update, - delete
	Kind string `json:"kind"` // settings, team, app_client, member
	Name string `json:"name"`
	Old  string `json:"old,omitempty"`
	New  string `json:"new,omitempty"`
}

func (c Change) String() string {
	switch c.Op {
	case "~":
		return fmt.Sprintf("~ %s %s: %s → %s", c.Kind, c.Name, c.Old, c.New)
	case "-":
		return fmt.Sprintf("- %s %s", c.Kind, c.Name)
	}
	if c.New != "" {
		return fmt.Sprintf("+ %s %s (%s)", c.Kind, c.Name, c.New)
	}
	return fmt.Sprintf("+ %s %s", c.Kind, c.Name)
}

// Plan is what apply would do; saved with --out and applied only if the
// state still has the fingerprint it was made from.
type Plan struct {
	Tenant  string   `json:"tenant"`
	Base    string   `json:"base"`
	Spec    *Spec    `json:"spec"`
	Changes []Change `json:"changes"`
}

func js(v any) string { b, _ := json.Marshal(v); return string(b) }

// Diff lists the changes that turn state into spec, in apply order:
// settings, teams, app clients, members; deletions last, members first.
func Diff(st State, s *Spec) []Change {
	var out []Change
	want := settingsDoc{s.UserPool, s.Invitation, s.Workforce}
	have := settingsDoc{st.UserPool, st.Invitation, st.Workforce}
	switch {
	case !st.Exists:
		out = append(out, Change{Op: "+", Kind: "workforce", Name: s.Workforce.Name, New: fmt.Sprintf("mfa %s, %d source CIDRs", s.UserPool.MFA, len(s.Workforce.SourceIPs))})
	default:
		for _, f := range []struct {
			name     string
			old, new any
		}{
			{"user_pool", have.UserPool, want.UserPool}, {"invitation", have.Invitation, want.Invitation}, {"workforce", have.Workforce, want.Workforce},
		} {
			if js(f.old) != js(f.new) {
				out = append(out, Change{Op: "~", Kind: "settings", Name: f.name, Old: js(f.old), New: js(f.new)})
			}
		}
	}
	teams := map[string]Team{}
	for _, t := range st.Teams {
		teams[t.Name] = t
	}
	for _, t := range s.Teams {
		if old, ok := teams[t.Name]; !ok {
			out = append(out, Change{Op: "+", Kind: "team", Name: t.Name})
		} else if old.Description != t.Description {
			out = append(out, Change{Op: "~", Kind: "team", Name: t.Name, Old: fmt.Sprintf("%q", old.Description), New: fmt.Sprintf("%q", t.Description)})
		}
	}
	clients := map[string]AppClient{}
	for _, c := range st.AppClients {
		clients[c.Name] = c
	}
	for _, c := range s.AppClients {
		if old, ok := clients[c.Name]; !ok {
			out = append(out, Change{Op: "+", Kind: "app_client", Name: c.Name, New: strings.Join(c.CallbackURLs, ", ")})
		} else if js(old.CallbackURLs) != js(c.CallbackURLs) {
			out = append(out, Change{Op: "~", Kind: "app_client", Name: c.Name, Old: js(old.CallbackURLs), New: js(c.CallbackURLs)})
		}
	}
	members := map[string]Member{}
	for _, m := range st.Members {
		members[m.Email] = m
	}
	for _, m := range s.Members {
		old, ok := members[m.Email]
		switch {
		case !ok:
			out = append(out, Change{Op: "+", Kind: "member", Name: m.Email, New: "teams " + js(nonNil(m.Teams)) + ", invited"})
		case old.Name != m.Name:
			out = append(out, Change{Op: "~", Kind: "member", Name: m.Email, Old: fmt.Sprintf("name %q", old.Name), New: fmt.Sprintf("name %q", m.Name)})
		}
		if ok && js(nonNil(old.Teams)) != js(nonNil(m.Teams)) {
			out = append(out, Change{Op: "~", Kind: "member", Name: m.Email, Old: "teams " + js(nonNil(old.Teams)), New: "teams " + js(nonNil(m.Teams))})
		}
	}
	// Deletions last, in dependency order: members, app clients, teams.
	out = append(out, removed(s.Members, st.Members, func(m Member) string { return m.Email }, "member")...)
	out = append(out, removed(s.AppClients, st.AppClients, func(c AppClient) string { return c.Name }, "app_client")...)
	out = append(out, removed(s.Teams, st.Teams, func(t Team) string { return t.Name }, "team")...)
	return out
}

// removed lists as deletions what the state has and the file no longer names.
func removed[T any](want, have []T, key func(T) string, kind string) []Change {
	named := map[string]bool{}
	for _, w := range want {
		named[key(w)] = true
	}
	var out []Change
	for _, h := range have {
		if !named[key(h)] {
			out = append(out, Change{Op: "-", Kind: kind, Name: key(h)})
		}
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Invite is an invitation to send once the apply has committed.
type Invite struct {
	Email, Name, Secret string
	Expires             time.Time
}

// lock keeps two applies to one tenant from running at once (SQLite's
// single writer already serialises them).
func lock(ctx context.Context, tx *store.Tx) error {
	return tx.AdvisoryLock(ctx, store.LockWorkforce, tx.TenantID)
}

// PlanFor is what applying spec to tenant t would change, and the
// fingerprint of the state it was computed from (apply refuses the plan
// once that state has moved on).
func PlanFor(ctx context.Context, db *store.DB, t tenant.Tenant, spec *Spec) (Plan, error) {
	plan := Plan{Tenant: t.Slug, Spec: spec, Changes: []Change{}}
	err := db.ReadTenant(ctx, t.ID, func(tx *store.Tx) error {
		st, err := Load(ctx, tx)
		if err != nil {
			return err
		}
		plan.Base = st.Fingerprint()
		if ch := Diff(st, spec); ch != nil {
			plan.Changes = ch
		}
		return nil
	})
	return plan, err
}

// Apply makes the database hold spec, in dependency order, inside tx. It
// refuses when base is set and the state is no longer the one it names.
func Apply(ctx context.Context, tx *store.Tx, s *Spec, base string) ([]Change, []Invite, error) {
	if err := lock(ctx, tx); err != nil {
		return nil, nil, err
	}
	st, err := Load(ctx, tx)
	if err != nil {
		return nil, nil, err
	}
	if base != "" && st.Fingerprint() != base {
		return nil, nil, errcode.New(errcode.Conflict, "The workforce changed since this plan was made; run plan again")
	}
	changes := Diff(st, s)
	if len(changes) == 0 {
		return nil, nil, nil
	}
	now := time.Now().UTC()
	doc := js(settingsDoc{s.UserPool, s.Invitation, s.Workforce})
	if _, err := tx.ExecContext(ctx, `insert into workforce (tenant_id, name, settings, updated_at) values ($1, $2, $3, $4)
		on conflict (tenant_id) do update set name = excluded.name, settings = excluded.settings, updated_at = excluded.updated_at`,
		tx.TenantID, s.Workforce.Name, doc, now.Format(time.RFC3339)); err != nil {
		return nil, nil, store.Err(err, "save workforce settings")
	}
	for _, t := range s.Teams {
		if _, err := tx.ExecContext(ctx, `insert into work_teams (tenant_id, name, description) values ($1, $2, $3)
			on conflict (tenant_id, name) do update set description = excluded.description`, tx.TenantID, t.Name, t.Description); err != nil {
			return nil, nil, store.Err(err, "save team")
		}
	}
	for _, c := range s.AppClients {
		if _, err := tx.ExecContext(ctx, `insert into app_clients (tenant_id, name, callback_urls) values ($1, $2, $3)
			on conflict (tenant_id, name) do update set callback_urls = excluded.callback_urls`, tx.TenantID, c.Name, js(c.CallbackURLs)); err != nil {
			return nil, nil, store.Err(err, "save app client")
		}
	}
	have := map[string]bool{}
	for _, m := range st.Members {
		have[m.Email] = true
	}
	var invites []Invite
	expires := now.AddDate(0, 0, s.UserPool.TemporaryPasswordValidityDays)
	for _, m := range s.Members {
		if !have[m.Email] {
			secret := TemporaryPassword()
			u, err := identity.Add(ctx, tx, identity.User{Email: m.Email, Name: m.Name, Role: identity.Worker})
			if err != nil {
				if errcode.Is(err, errcode.AlreadyExists) {
					return nil, nil, errcode.New(errcode.Conflict, "%s is already a user of this tenant with another role; workers need their own address", m.Email)
				}
				return nil, nil, err
			}
			if err := identity.Invite(ctx, tx, u.ID, identity.HashPassword(secret), expires); err != nil {
				return nil, nil, err
			}
			invites = append(invites, Invite{Email: m.Email, Name: m.Name, Secret: secret, Expires: expires})
		} else if _, err := tx.ExecContext(ctx, `update users set name = $1 where tenant_id = $2 and email_lower = $3 and role = 'worker'`, m.Name, tx.TenantID, m.Email); err != nil {
			return nil, nil, store.Err(err, "rename member")
		}
		if _, err := tx.ExecContext(ctx, `delete from team_members where tenant_id = $1 and user_id = (select id from users where tenant_id = $1 and email_lower = $2)`, tx.TenantID, m.Email); err != nil {
			return nil, nil, store.Err(err, "reset memberships")
		}
		for _, t := range m.Teams {
			if _, err := tx.ExecContext(ctx, `insert into team_members (tenant_id, team, user_id) select $1, $2, id from users where tenant_id = $1 and email_lower = $3`,
				tx.TenantID, t, m.Email); err != nil {
				return nil, nil, store.Err(err, "add membership")
			}
		}
	}
	// Deletions, in reverse dependency order: members, app clients, teams.
	for _, c := range changes {
		if c.Op != "-" {
			continue
		}
		if err := remove(ctx, tx, c.Kind, c.Name); err != nil {
			return nil, nil, err
		}
	}
	return changes, invites, nil
}

func remove(ctx context.Context, tx *store.Tx, kind, name string) error {
	if kind == "member" {
		// One way out for every door: a member who answered labeling tasks
		// stays as their answers' author (identity.Remove).
		_, err := identity.Remove(ctx, tx, name)
		return err
	}
	q := map[string]string{
		"app_client": `delete from app_clients where tenant_id = $1 and name = $2`,
		"team":       `delete from work_teams where tenant_id = $1 and name = $2`,
	}[kind]
	_, err := tx.ExecContext(ctx, q, tx.TenantID, name)
	return store.Err(err, "remove "+kind)
}

// Destroy removes the whole workforce in reverse order and lists what went.
// When named is set (the workforce file's name), it refuses to destroy a
// workforce of another name: the file must be this tenant's.
func Destroy(ctx context.Context, tx *store.Tx, named string) ([]Change, error) {
	if err := lock(ctx, tx); err != nil {
		return nil, err
	}
	st, err := Load(ctx, tx)
	if err != nil {
		return nil, err
	}
	if named != "" && st.Exists && st.Workforce.Name != named {
		return nil, errcode.New(errcode.Invalid, "The file describes workforce %q but this tenant's workforce is %q; nothing was destroyed", named, st.Workforce.Name)
	}
	var out []Change
	for _, m := range st.Members {
		out = append(out, Change{Op: "-", Kind: "member", Name: m.Email})
	}
	for _, c := range st.AppClients {
		out = append(out, Change{Op: "-", Kind: "app_client", Name: c.Name})
	}
	for _, t := range st.Teams {
		out = append(out, Change{Op: "-", Kind: "team", Name: t.Name})
	}
	for _, c := range out {
		if err := remove(ctx, tx, c.Kind, c.Name); err != nil {
			return nil, err
		}
	}
	if st.Exists {
		if _, err := tx.ExecContext(ctx, `delete from workforce where tenant_id = $1`, tx.TenantID); err != nil {
			return nil, store.Err(err, "remove workforce")
		}
		out = append(out, Change{Op: "-", Kind: "workforce", Name: st.Workforce.Name})
	}
	return out, nil
}

// TemporaryPassword makes a Cognito-style temporary password: 16
// characters with upper and lower case letters, digits and a symbol.
func TemporaryPassword() string {
	sets := []string{"ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz", "23456789", "!#%+=?@"}
	all := strings.Join(sets, "")
	pick := func(s string) byte {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(s))))
		return s[n.Int64()]
	}
	b := make([]byte, 0, 16)
	for _, s := range sets {
		b = append(b, pick(s))
	}
	for len(b) < 16 {
		b = append(b, pick(all))
	}
	for i := len(b) - 1; i > 0; i-- { // shuffle, so the classes are not in a fixed order
		j, _ := rand.Int(rand.Reader, big.NewInt(int64(i+1)))
		b[i], b[j.Int64()] = b[j.Int64()], b[i]
	}
	return string(b)
}

// Policy is the part of a workforce the portal enforces at sign-in.
type Policy struct {
	Exists     bool
	Name       string
	UserPool   UserPool
	Invitation Invitation
	SourceIPs  []netip.Prefix
}

// CurrentPolicy reads the applied pool settings and allow-list.
func CurrentPolicy(ctx context.Context, tx *store.Tx) (Policy, error) {
	var raw string
	err := tx.QueryRowContext(ctx, `select settings from workforce where tenant_id = $1`, tx.TenantID).Scan(&raw)
	if err != nil {
		if errcode.Is(store.Err(err, ""), errcode.NotFound) {
			return Policy{}, nil
		}
		return Policy{}, store.Err(err, "read workforce policy")
	}
	var doc settingsDoc
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		return Policy{}, err
	}
	p := Policy{Exists: true, Name: doc.Workforce.Name, UserPool: doc.UserPool, Invitation: doc.Invitation}
	for _, c := range doc.Workforce.SourceIPs {
		if pr, err := netip.ParsePrefix(c); err == nil {
			p.SourceIPs = append(p.SourceIPs, pr)
		}
	}
	return p, nil
}

// Allows reports whether addr may reach the portal (an empty list allows all).
func (p Policy) Allows(addr netip.Addr) bool {
	if len(p.SourceIPs) == 0 {
		return true
	}
	addr = addr.Unmap()
	for _, pr := range p.SourceIPs {
		if pr.Contains(addr) {
			return true
		}
	}
	return false
}

// TeamsOf lists the teams of a worker.
func TeamsOf(ctx context.Context, tx *store.Tx, userID int64) ([]Team, error) {
	return teams(ctx, tx, `select t.name, t.description from team_members m join work_teams t on t.tenant_id = m.tenant_id and t.name = m.team
		where m.tenant_id = $1 and m.user_id = $2 order by t.name`, tx.TenantID, userID)
}

// TeamsAll lists the workforce's teams.
func TeamsAll(ctx context.Context, tx *store.Tx) ([]Team, error) {
	return teams(ctx, tx, `select name, description from work_teams where tenant_id = $1 order by name`, tx.TenantID)
}

func teams(ctx context.Context, tx *store.Tx, query string, args ...any) ([]Team, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, store.Err(err, "read teams")
	}
	defer rows.Close()
	var out []Team
	for rows.Next() {
		var t Team
		rows.Scan(&t.Name, &t.Description)
		out = append(out, t)
	}
	return out, rows.Err()
}

// Reinvite gives a member a new temporary password and a new expiry, for a
// lost or expired invitation; it signs the member out everywhere.
func Reinvite(ctx context.Context, tx *store.Tx, email string) (Invite, error) {
	p, err := CurrentPolicy(ctx, tx)
	if err != nil || !p.Exists {
		return Invite{}, errcode.New(errcode.NotFound, "This tenant has no workforce; apply a workforce file first")
	}
	var id int64
	var name string
	if err := tx.QueryRowContext(ctx, `select id, name from users where tenant_id = $1 and email_lower = $2 and role = 'worker'`, tx.TenantID, strings.ToLower(email)).Scan(&id, &name); err != nil {
		return Invite{}, errcode.New(errcode.NotFound, "%s is not a member of the workforce", email)
	}
	inv := Invite{Email: strings.ToLower(email), Name: name, Secret: TemporaryPassword(), Expires: time.Now().UTC().AddDate(0, 0, p.UserPool.TemporaryPasswordValidityDays)}
	if err := identity.Invite(ctx, tx, id, identity.HashPassword(inv.Secret), inv.Expires); err != nil {
		return inv, err
	}
	return inv, identity.EndAllSessions(ctx, tx, id)
}

// Revoke stops a member from signing in (the member stays listed, so the
// next plan shows no drift) and ends their sessions.
func Revoke(ctx context.Context, tx *store.Tx, email string) error {
	var id int64
	if err := tx.QueryRowContext(ctx, `select id from users where tenant_id = $1 and email_lower = $2 and role = 'worker'`, tx.TenantID, strings.ToLower(email)).Scan(&id); err != nil {
		return errcode.New(errcode.NotFound, "%s is not a member of the workforce", email)
	}
	if _, err := tx.ExecContext(ctx, `update users set status = 'revoked', password_hash = null where tenant_id = $1 and id = $2`, tx.TenantID, id); err != nil {
		return store.Err(err, "revoke member")
	}
	return identity.EndAllSessions(ctx, tx, id)
}
