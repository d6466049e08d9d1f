package ask

import (
	"context"
	"regexp"
	"strings"
	"time"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/tenant"
)

// tenantNames are the installation's tenants as a question may name them
// (slug, slug with spaces, display name; names of two words or more), read at most once a minute:
// tenants are few and rarely made.
type tenantNames struct {
	read  time.Time
	names map[int64][]*regexp.Regexp
}

const tenantNamesFor = time.Minute

// namesOtherTenant refuses a question that names another tenant of this
// installation: its data is out of reach whatever the question says, and
// asking for it is an attempt to cross the boundary, which is audited as
// such rather than answered from the asker's own data.
func (e *Engine) namesOtherTenant(ctx context.Context, own int64, question string) error {
	e.mu.Lock()
	t := e.tenants
	e.mu.Unlock()
	if t == nil || time.Since(t.read) > tenantNamesFor {
		list, err := tenant.List(ctx, e.DB)
		if err != nil {
			return err
		}
		t = &tenantNames{read: time.Now(), names: map[int64][]*regexp.Regexp{}}
		for _, tn := range list {
			for _, n := range []string{tn.Slug, strings.ReplaceAll(tn.Slug, "-", " "), tn.Name} {
				// One word could be an everyday one ("Sales", "Retail")
				// that another tenant's people use in questions.
				if n = strings.TrimSpace(n); len(strings.FieldsFunc(n, func(r rune) bool { return r == ' ' || r == '-' })) >= 2 {
					t.names[tn.ID] = append(t.names[tn.ID], regexp.MustCompile(`(?i)\b`+regexp.QuoteMeta(n)+`\b`))
				}
			}
		}
		e.mu.Lock()
		e.tenants = t
		e.mu.Unlock()
	}
	for id, res := range t.names {
		if id == own {
			continue
		}
		for _, re := range res {
			if re.MatchString(question) {
				return errcode.New(errcode.PromptInjection, "The question names another organisation; scry answers only about your own organisation's data")
			}
		}
	}
	return nil
}
