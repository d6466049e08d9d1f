package workforce

import (
	"bytes"
	"fmt"
	"mime"
	"net"
	"net/mail"
	"net/smtp"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
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

// Outbox writes messages as .eml files into a folder (the default: no mail
// server needed).
type Outbox struct{ Dir string }

func (o Outbox) Send(to, subject, body string) error {
	if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		return err
	}
	name := fmt.Sprintf("%s-%s.eml", time.Now().UTC().Format("20060102T150405.000000000"), strings.NewReplacer("@", "_at_", "/", "_").Replace(to))
	return os.WriteFile(filepath.Join(o.Dir, name), message(to, subject, body), 0o600)
}

func (o Outbox) Where() string { return "the outbox folder " + o.Dir }

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
