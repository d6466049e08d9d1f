// Package workforce is a tenant's private workforce: its user pool
// settings, invitation template, source-IP allow-list, app clients, work
// teams and members — declared in a YAML file and applied idempotently
// (plan / apply / destroy).
package workforce

import (
	"bytes"
	"fmt"
	"net/netip"
	"net/url"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/yamlpath"
)

// Spec is the workforce file.
type Spec struct {
	UserPool   UserPool    `yaml:"user_pool" json:"user_pool"`
	Invitation Invitation  `yaml:"invitation" json:"invitation"`
	Workforce  Settings    `yaml:"workforce" json:"workforce"`
	AppClients []AppClient `yaml:"app_clients" json:"app_clients"`
	Teams      []Team      `yaml:"teams" json:"teams"`
	Members    []Member    `yaml:"members" json:"members"`
}

// UserPool holds the sign-in rules of the workforce.
type UserPool struct {
	Password struct {
		MinLength int `yaml:"min_length" json:"min_length"`
	} `yaml:"password" json:"password"`
	TemporaryPasswordValidityDays int    `yaml:"temporary_password_validity_days" json:"temporary_password_validity_days"`
	MFA                           string `yaml:"mfa" json:"mfa"` // off, optional, required
	Lockout                       struct {
		MaxFailures int `yaml:"max_failures" json:"max_failures"`
	} `yaml:"lockout" json:"lockout"`
	Session struct {
		IdleMinutes   int `yaml:"idle_minutes" json:"idle_minutes"`
		AbsoluteHours int `yaml:"absolute_hours" json:"absolute_hours"`
	} `yaml:"session" json:"session"`
}

// Invitation is how members are invited.
type Invitation struct {
	Method  string `yaml:"method" json:"method"` // temporary_password or activation_link
	Subject string `yaml:"subject" json:"subject"`
	Body    string `yaml:"body" json:"body"`
}

// Settings name the workforce and its allow-list.
type Settings struct {
	Name      string   `yaml:"name" json:"name"`
	SourceIPs []string `yaml:"source_ips" json:"source_ips"`
}

// AppClient is another app that may send workers to the portal.
type AppClient struct {
	Name         string   `yaml:"name" json:"name"`
	CallbackURLs []string `yaml:"callback_urls" json:"callback_urls"`
}

// Team is a named group of workers.
type Team struct {
	Name        string `yaml:"name" json:"name"`
	Description string `yaml:"description" json:"description"`
}

// Member is one worker.
type Member struct {
	Email string   `yaml:"email" json:"email"`
	Name  string   `yaml:"name" json:"name"`
	Teams []string `yaml:"teams" json:"teams"`
}

// Limits of a spec.
const (
	MaxSourceIPs    = 10
	MaxCallbackURLs = 100
)

// Parse reads a workforce file strictly: unknown keys, bad CIDRs, emails
// and callback URLs are refused with the file, line and key named.
func Parse(data []byte, file string) (*Spec, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, errcode.New(errcode.Invalid, "%s: %s", file, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	var s Spec
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		msg = strings.TrimPrefix(msg, "unmarshal errors:\n  ")
		return nil, errcode.New(errcode.Invalid, "%s: %s", file, strings.ReplaceAll(msg, "in type workforce.", "in "))
	}
	given := s.UserPool.Session // before defaults: a written 0 is refused, a missing key takes the default
	s.defaults()
	var probs []string
	bad := func(path, format string, args ...any) {
		probs = append(probs, fmt.Sprintf("%s:%d: %s: %s", file, yamlpath.Line(&root, path), path, fmt.Sprintf(format, args...)))
	}
	for path, v := range map[string]int{"user_pool.session.idle_minutes": given.IdleMinutes, "user_pool.session.absolute_hours": given.AbsoluteHours} {
		if v < 0 || (v == 0 && hasKey(&root, path)) {
			bad(path, "%d is not a positive number (leave it out for the default)", v)
		}
	}
	p := s.UserPool
	if p.Password.MinLength < 8 || p.Password.MinLength > 128 {
		bad("user_pool.password.min_length", "%d is not between 8 and 128", p.Password.MinLength)
	}
	if p.TemporaryPasswordValidityDays < 1 || p.TemporaryPasswordValidityDays > 90 {
		bad("user_pool.temporary_password_validity_days", "%d is not between 1 and 90", p.TemporaryPasswordValidityDays)
	}
	if p.MFA != "off" && p.MFA != "optional" && p.MFA != "required" {
		bad("user_pool.mfa", "%q is not off, optional or required", p.MFA)
	}
	if p.Lockout.MaxFailures < 1 || p.Lockout.MaxFailures > 100 {
		bad("user_pool.lockout.max_failures", "%d is not between 1 and 100", p.Lockout.MaxFailures)
	}
	if m := s.Invitation.Method; m != "temporary_password" && m != "activation_link" {
		bad("invitation.method", "%q is not temporary_password or activation_link", m)
	}
	if s.Invitation.Method == "temporary_password" && !strings.Contains(s.Invitation.Body, "{password}") {
		bad("invitation.body", "a temporary-password invitation must contain {password}")
	}
	if s.Invitation.Method == "activation_link" && !strings.Contains(s.Invitation.Body, "{link}") {
		bad("invitation.body", "an activation-link invitation must contain {link}")
	}
	if s.Workforce.Name == "" {
		bad("workforce.name", "a name is required")
	}
	if len(s.Workforce.SourceIPs) > MaxSourceIPs {
		bad("workforce.source_ips", "%d CIDRs; at most %d", len(s.Workforce.SourceIPs), MaxSourceIPs)
	}
	for i, c := range s.Workforce.SourceIPs {
		if pr, err := netip.ParsePrefix(c); err != nil || pr.Masked() != pr {
			bad(fmt.Sprintf("workforce.source_ips[%d]", i), "%q is not a CIDR such as 10.20.0.0/16 or 2001:db8::/32", c)
		}
	}
	clients := map[string]bool{}
	for i, c := range s.AppClients {
		path := fmt.Sprintf("app_clients[%d]", i)
		if c.Name == "" || clients[c.Name] {
			bad(path+".name", "%q is empty or used twice", c.Name)
		}
		clients[c.Name] = true
		if len(c.CallbackURLs) > MaxCallbackURLs {
			bad(path+".callback_urls", "%d URLs; at most %d", len(c.CallbackURLs), MaxCallbackURLs)
		}
		for j, u := range c.CallbackURLs {
			if err := checkCallback(u); err != nil {
				bad(fmt.Sprintf("%s.callback_urls[%d]", path, j), "%q %v", u, err)
			}
		}
	}
	teams := map[string]bool{}
	for i, t := range s.Teams {
		if !validName(t.Name) || teams[t.Name] {
			bad(fmt.Sprintf("teams[%d].name", i), "%q is empty, used twice, or not lowercase letters, digits and dashes", t.Name)
		}
		teams[t.Name] = true
	}
	emails := map[string]bool{}
	for i, m := range s.Members {
		path := fmt.Sprintf("members[%d]", i)
		if err := identity.ValidateEmail(m.Email); err != nil {
			bad(path+".email", "%q is not an email address like name@example.com", m.Email)
		}
		if emails[strings.ToLower(m.Email)] {
			bad(path+".email", "%q is listed twice", m.Email)
		}
		emails[strings.ToLower(m.Email)] = true
		for j, t := range m.Teams {
			if !teams[t] {
				bad(fmt.Sprintf("%s.teams[%d]", path, j), "%q is not a team of this file", t)
			}
		}
	}
	if len(probs) > 0 {
		return nil, &errcode.Error{Code: errcode.Invalid, Message: fmt.Sprintf("%d problem(s) in the workforce file; first: %s", len(probs), probs[0]), Details: probs}
	}
	s.normalize()
	return &s, nil
}

func (s *Spec) defaults() {
	if s.UserPool.Password.MinLength == 0 {
		s.UserPool.Password.MinLength = 12
	}
	if s.UserPool.TemporaryPasswordValidityDays == 0 {
		s.UserPool.TemporaryPasswordValidityDays = 7
	}
	if s.UserPool.MFA == "" {
		s.UserPool.MFA = "optional"
	}
	if s.UserPool.Lockout.MaxFailures == 0 {
		s.UserPool.Lockout.MaxFailures = 5
	}
	if s.UserPool.Session.IdleMinutes == 0 {
		s.UserPool.Session.IdleMinutes = 30
	}
	if s.UserPool.Session.AbsoluteHours == 0 {
		s.UserPool.Session.AbsoluteHours = 12
	}
	if s.Invitation.Method == "" {
		s.Invitation.Method = "temporary_password"
	}
	if s.Invitation.Subject == "" {
		s.Invitation.Subject = "You're invited to the review portal"
	}
	if s.Invitation.Body == "" {
		if s.Invitation.Method == "activation_link" {
			s.Invitation.Body = "Hello {name}, activate your account for {portal_url} at {link}\n"
		} else {
			s.Invitation.Body = "Hello {name}, sign in at {portal_url} as {email} with the temporary password {password}.\n"
		}
	}
}

// normalize orders what has no order, so equal files compare equal.
func (s *Spec) normalize() {
	for i := range s.Members {
		s.Members[i].Email = strings.ToLower(s.Members[i].Email)
		sort.Strings(s.Members[i].Teams)
	}
	sort.Slice(s.Members, func(i, j int) bool { return s.Members[i].Email < s.Members[j].Email })
	sort.Slice(s.Teams, func(i, j int) bool { return s.Teams[i].Name < s.Teams[j].Name })
	sort.Slice(s.AppClients, func(i, j int) bool { return s.AppClients[i].Name < s.AppClients[j].Name })
}

func validName(s string) bool {
	if s == "" || len(s) > 63 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// checkCallback allows https anywhere and http only on this machine.
func checkCallback(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil || u.Fragment != "" {
		return fmt.Errorf("is not an absolute URL without credentials or fragment")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		switch u.Hostname() {
		case "localhost", "127.0.0.1", "::1":
			return nil
		}
		return fmt.Errorf("uses http on a host other than localhost; use https")
	}
	return fmt.Errorf("must be https (or http on localhost)")
}

// hasKey says whether a dotted path of mapping keys is written in the file.
func hasKey(root *yaml.Node, path string) bool {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for _, key := range strings.Split(path, ".") {
		var next *yaml.Node
		for k := 0; n.Kind == yaml.MappingNode && k+1 < len(n.Content); k += 2 {
			if n.Content[k].Value == key {
				next = n.Content[k+1]
			}
		}
		if next == nil {
			return false
		}
		n = next
	}
	return true
}
