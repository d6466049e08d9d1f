package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/tenant"
	"github.com/scry-dev/scry/internal/workforce"
)

// mailer is where invitations go: the SMTP server of --smtp-url, else
// .eml files under outbox/ in the object store, as for the workforce.
func (s *Server) mailer() workforce.Mailer {
	if s.cfg.SMTPURL != "" {
		return workforce.SMTP{URL: s.cfg.SMTPURL}
	}
	return workforce.Outbox{Objects: s.cfg.Objects}
}

// sentInvitation says where an invitation went. Link is set only when it
// went to the outbox folder, which the admin at the browser cannot read:
// the page shows it once so that they can pass it on.
type sentInvitation struct {
	Email   string    `json:"email"`
	Expires time.Time `json:"expires"`
	SentTo  string    `json:"sent_to"`
	Link    string    `json:"-"`
}

// addUserInvited is the one use case behind POST /api/v1/users and the users page:
// the user is added and invited in one audited transaction, then the
// invitation is mailed. A mail failure leaves the user added and says so.
func (s *Server) addUserInvited(r *http.Request, c *caller, u identity.User) (identity.User, sentInvitation, error) {
	u, inv, err := identity.AddUser(r.Context(), s.actor(c), u, true)
	if err != nil {
		return u, sentInvitation{}, err
	}
	sent, err := s.sendInvitation(r, c, inv)
	return u, sent, err
}

// resendInvitation replaces a user's invitation with a new one and mails it.
func (s *Server) resendInvitation(r *http.Request, c *caller, email string) (sentInvitation, error) {
	inv, err := identity.ResendInvitation(r.Context(), s.actor(c), email)
	if err != nil {
		return sentInvitation{}, err
	}
	return s.sendInvitation(r, c, inv)
}

func (s *Server) sendInvitation(r *http.Request, c *caller, inv identity.Invitation) (sentInvitation, error) {
	link := s.issuer(r, c.tenantSlug) + "/activate?" + url.Values{"email": {inv.Email}, "code": {inv.Code}}.Encode()
	body := fmt.Sprintf("Hello,\n\n%s invited you to scry, organisation %s, as %s.\nChoose your password here (the link works once, until %s):\n\n%s\n\nThen sign in at %s with organisation %s and this email address.\n",
		c.user.Email, c.tenantSlug, inv.Role, inv.Expires.Format("2006-01-02 15:04 MST"), link, strings.TrimSuffix(s.issuer(r, c.tenantSlug), "/t/"+c.tenantSlug)+"/signin", c.tenantSlug)
	m := s.mailer()
	// Where() names the folder or the SMTP URL (with its password, maybe):
	// the log may know it, a browser need not.
	sent := sentInvitation{Email: inv.Email, Expires: inv.Expires, SentTo: "email"}
	if _, outbox := m.(workforce.Outbox); outbox {
		sent.Link, sent.SentTo = link, "the server's outbox folder"
	}
	s.log.Info("invitation", "tenant", c.tenantSlug, "to", inv.Email, "via", m.Where())
	if err := m.Send(inv.Email, "Your scry account for "+c.tenantSlug, body); err != nil {
		sent.Link = ""
		return sent, errcode.Wrap(errcode.Unavailable, err, "%s was added but the invitation could not be sent; fix the mail settings (--smtp-url) and send it again", inv.Email)
	}
	return sent, nil
}

// userRow is a line of the users page.
type userRow struct {
	identity.User
	Standing string // what the status means now: "invited until …", "no password yet", …
	Invite   bool   // an invitation can be (re)sent
}

// usersPage lists the tenant's users with their real standing, adds a user
// with an invitation, resends one, and removes a user.
func (s *Server) usersPage(w http.ResponseWriter, r *http.Request, c *caller) {
	d := s.base(c, "Users", "users")
	d.Form = map[string]string{}
	status := http.StatusOK
	if r.Method == http.MethodPost {
		email := strings.TrimSpace(r.PostFormValue("email"))
		var sent sentInvitation
		var err error
		switch r.PostFormValue("action") {
		case "remove":
			if _, err = identity.RemoveUser(r.Context(), s.actor(c), email); err == nil {
				d.Notice = "Removed " + email + "."
			}
		case "resend":
			if sent, err = s.resendInvitation(r, c, email); err == nil {
				d.Notice = fmt.Sprintf("Sent %s a new invitation through %s; it works until %s.", email, sent.SentTo, sent.Expires.Format("2006-01-02"))
			}
		default:
			d.Form = map[string]string{"email": email, "role": r.PostFormValue("role"), "employee_id": strings.TrimSpace(r.PostFormValue("employee_id"))}
			var role identity.Role
			if role, err = identity.ParseRole(d.Form["role"]); err == nil {
				_, sent, err = s.addUserInvited(r, c, identity.User{Email: email, Role: role, EmployeeID: d.Form["employee_id"]})
			}
			if err == nil {
				d.Form = map[string]string{}
				d.Notice = fmt.Sprintf("Added %s and sent an invitation through %s; it works until %s.", email, sent.SentTo, sent.Expires.Format("2006-01-02"))
			}
		}
		d.Link = sent.Link
		if err != nil {
			d.Error, status = s.failure(r, err).Message, errcode.HTTPStatus(err)
		}
	}
	users, standing, err := identity.UsersStanding(r.Context(), s.db, c.tenantID)
	s.logFailure(r, "read what the page shows", err)
	for _, u := range users {
		row := userRow{User: u, Standing: u.Status}
		if st, ok := standing[u.ID]; ok {
			row.Standing, row.Invite = st, u.Role != identity.Worker
		}
		d.UserRows = append(d.UserRows, row)
	}
	s.render(w, r, status, "users", d)
}

// activatePage is where an invited organisation user chooses their first
// password, from the link in their invitation.
func (s *Server) activatePage(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	slug := r.PathValue("tenant")
	d := pageData{Title: "Choose your password", Tenant: slug, Form: map[string]string{"email": r.FormValue("email"), "code": r.FormValue("code")}}
	if r.Method != http.MethodPost {
		s.render(w, r, http.StatusOK, "activate", d)
		return
	}
	t, err := tenant.Get(r.Context(), s.db, slug)
	if err == nil {
		if r.PostFormValue("password") != r.PostFormValue("confirm") {
			err = errcode.New(errcode.Invalid, "The two passwords differ")
		} else {
			by := audit.Actor{DB: s.db, Log: s.audit, TenantID: t.ID, Tenant: t.Slug, Name: "user:" + d.Form["email"]}
			err = identity.ActivateAccount(r.Context(), by, d.Form["email"], d.Form["code"], r.PostFormValue("password"), s.clientAddr(r).String())
		}
	} else {
		identity.SpendPasswordTime(d.Form["code"]) // an unknown tenant costs what a wrong code does
		err = errcode.New(errcode.Unauthenticated, "This invitation link is not valid, was already used or has expired; ask your administrator for a new one")
	}
	if err != nil {
		d.Error = s.failure(r, err).Message
		s.render(w, r, errcode.HTTPStatus(err), "activate", d)
		return
	}
	d.Notice = "Your password is set. Sign in with organisation " + slug + " and " + d.Form["email"] + "."
	d.Form["code"] = ""
	s.render(w, r, http.StatusOK, "activate", d)
}
