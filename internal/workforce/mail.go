package workforce

import (
	"bytes"
	"context"
	"fmt"
	"mime"
	"net"
	"net/mail"
	"net/smtp"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/scry-dev/scry/internal/objstore"
)

// Mailer sends one message.
type Mailer interface {
	Send(to, subject, body string) error
	// Where says where messages go, for the person running the command.
	Where() string
}

// From is the sender of invitations.
const From = "scry <no-reply@scry.invalid>"

func message(to, subject, body string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n",
		From, to, mime.QEncoding.Encode("utf-8", subject), time.Now().UTC().Format(time.RFC1123Z))
	b.WriteString(strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\n", "\r\n"))
	return b.Bytes()
}

// Outbox writes messages as .eml objects under outbox/ of an object store
// (the default: no mail server needed): <data>/outbox on one machine, the
// shared bucket when several servers run, so that every invitation is in
// one place whichever server sent it.
type Outbox struct{ Objects objstore.Store }

func (o Outbox) Send(to, subject, body string) error {
	name := fmt.Sprintf("%s-%s.eml", time.Now().UTC().Format("20060102T150405.000000000"), strings.NewReplacer("@", "_at_", "/", "_").Replace(to))
	return objstore.PutBytes(context.Background(), o.Objects, "outbox/"+name, message(to, subject, body))
}

func (o Outbox) Where() string {
	if f, ok := o.Objects.(*objstore.Folder); ok {
		return "the outbox folder " + filepath.Join(f.Root(), "outbox")
	}
	return "outbox/ in " + o.Objects.String()
}

// SMTP sends through a mail server: smtp://[user:pass@]host:port.
type SMTP struct{ URL string }

func (s SMTP) Send(to, subject, body string) error {
	u, err := url.Parse(s.URL)
	if err != nil || u.Scheme != "smtp" || u.Host == "" {
		return fmt.Errorf("--smtp-url %q is not smtp://[user:pass@]host:port", s.URL)
	}
	var auth smtp.Auth
	if u.User != nil {
		pw, _ := u.User.Password()
		host, _, _ := net.SplitHostPort(u.Host)
		auth = smtp.PlainAuth("", u.User.Username(), pw, host)
	}
	from, _ := mail.ParseAddress(From)
	return smtp.SendMail(u.Host, auth, from.Address, []string{to}, message(to, subject, body))
}

func (s SMTP) Where() string { return "the mail server " + s.URL }

// Render fills an invitation template.
func Render(tmpl string, vars map[string]string) string {
	r := make([]string, 0, 2*len(vars))
	for k, v := range vars {
		r = append(r, "{"+k+"}", v)
	}
	return strings.NewReplacer(r...).Replace(tmpl)
}
