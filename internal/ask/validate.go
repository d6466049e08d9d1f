package ask

import (
	"strconv"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/semantic"
)

// MaxLimit bounds how many rows a question may ask for.
const MaxLimit = 1000

var kinds = map[string]bool{"number": true, "groups": true, "people": true}
var filterFields = map[string]bool{"department": true, "position": true, "location": true, "contract_type": true,
	"gender": true, "name": true, "absence_type": true, "status": true, "age": true}
var relations = map[string]bool{"": true, "department_managers": true, "managers": true}

// ScopeOf is the scope of a user's role (CONVENTIONS.md): admin and hr see
// the whole tenant, a manager their subtree, an employee themselves.
func ScopeOf(u identity.User) (Scope, error) {
	switch u.Role {
	case identity.Admin, identity.HR:
		return Scope{All: true, EmployeeID: u.EmployeeID}, nil
	case identity.Manager:
		if u.EmployeeID != "" {
			return Scope{Subtree: true, EmployeeID: u.EmployeeID}, nil
		}
	case identity.Employee:
		if u.EmployeeID != "" {
			return Scope{EmployeeID: u.EmployeeID}, nil
		}
	}
	return Scope{}, errcode.New(errcode.PermissionDenied, "Your role does not allow asking questions about workforce data")
}

// Validate checks a query from either engine against the model and the
// asker's rights. It denies by default: anything not known is refused.
func Validate(q *Query, m *semantic.Model, role identity.Role, scope Scope) error {
	if q == nil || !kinds[q.Kind] {
		return errcode.New(errcode.NotUnderstood, "The structured query has no valid kind (number, groups or people)")
	}
	if q.Measure != "" {
		ms, ok := m.Measures[q.Measure]
		if !ok {
			return errcode.New(errcode.NotUnderstood, "%q is not a measure scry knows", q.Measure)
		}
		// The labeling workforce's activity: admins and HR only, as whole
		// tables (no people lists, no "my" questions).
		if ms.Entity == "tasks" {
			if role != identity.Admin && role != identity.HR {
				return errcode.New(errcode.PermissionDenied, "Labeling activity is visible only to admins and HR")
			}
			if q.Kind == "people" || q.Relation != "" || q.Without || q.Self || q.PerPersonWeek {
				return errcode.New(errcode.NotUnderstood, "Ask about labeling tasks as numbers or groups, e.g. \"How many tasks did each reviewer finish last week?\"")
			}
		}
		// Sensitive fields: hr and admin, or a person's own record.
		if ms.Sensitive && role != identity.Admin && role != identity.HR && !q.Self && role != identity.Employee {
			return errcode.New(errcode.PermissionDenied, "%s is visible only to HR and admins, or to each person for their own record", ms.Title)
		}
	} else if q.Kind != "people" {
		return errcode.New(errcode.NotUnderstood, "A %s answer needs a measure", q.Kind)
	}
	if len(q.Dimensions) > 3 {
		return errcode.New(errcode.NotUnderstood, "Group by at most three things at once")
	}
	for _, d := range q.Dimensions {
		if _, ok := m.Dimensions[d]; !ok && d != "trend" {
			return errcode.New(errcode.NotUnderstood, "%q is not something scry can group by", d)
		}
	}
	for _, f := range append(append([]Filter{}, q.Filters...), q.ShareWhere...) {
		if !filterFields[f.Field] || len(f.Values) == 0 || len(f.Values) > 50 {
			return errcode.New(errcode.NotUnderstood, "The filter on %q is not one scry supports", f.Field)
		}
		if (f.Field == "age") != (f.Op != "") || f.Op != "" && (!ops[f.Op] || len(f.Values) != 1 || !isNumber(f.Values[0])) {
			return errcode.New(errcode.NotUnderstood, "Compare age with a number, e.g. older than 50")
		}
	}
	for _, c := range []*Condition{q.Having, q.ShareOf} {
		if c != nil && !ops[c.Op] {
			return errcode.New(errcode.NotUnderstood, "%q is not a comparison scry knows", c.Op)
		}
	}
	if q.Limit < 0 || q.Limit > MaxLimit {
		return errcode.New(errcode.NotUnderstood, "Ask for at most %d rows", MaxLimit)
	}
	if q.Order != "" && q.Order != "asc" && q.Order != "desc" {
		return errcode.New(errcode.NotUnderstood, "Order must be asc or desc")
	}
	if !relations[q.Relation] {
		return errcode.New(errcode.NotUnderstood, "%q is not a relation scry knows", q.Relation)
	}
	if q.Self && scope.EmployeeID == "" {
		return errcode.New(errcode.PermissionDenied, "Your user is not linked to an employee record, so scry cannot tell which data is yours")
	}
	return nil
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}
