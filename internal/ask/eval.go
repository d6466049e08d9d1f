package ask

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"regexp"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
	_ "modernc.org/sqlite" // the reference answers run in an in-memory SQLite

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/store"
)

// EvalFile is a golden-question file (the format of questions/dev.yaml).
type EvalFile struct {
	Now   string     `yaml:"now"`
	Cases []EvalCase `yaml:"cases"`
}

// EvalCase is one question with its acceptable expectations.
type EvalCase struct {
	ID     string       `yaml:"id"`
	Tenant string       `yaml:"tenant"`
	As     string       `yaml:"as"`
	Q      string       `yaml:"q"`
	Chart  []string     `yaml:"chart"`
	Tags   []string     `yaml:"tags"`
	Expect []EvalExpect `yaml:"expect"`
}

// EvalExpect is one acceptable answer.
type EvalExpect struct {
	Mode  string   `yaml:"mode"`
	SQL   string   `yaml:"sql"`
	Codes []string `yaml:"codes"`
}

// EvalResult is the verdict on one case.
type EvalResult struct {
	ID  string `json:"id"`
	OK  bool   `json:"ok"`
	Q   string `json:"q"`
	Why string `json:"why,omitempty"`
}

// LoadEvalFile reads and checks a question file.
func LoadEvalFile(path string) (*EvalFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, errcode.Wrap(errcode.Invalid, err, "Cannot read %s", path)
	}
	var f EvalFile
	if err := yaml.Unmarshal(b, &f); err != nil {
		return nil, errcode.New(errcode.Invalid, "%s: %s", path, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if _, err := time.Parse(day, f.Now); err != nil {
		return nil, errcode.New(errcode.Invalid, "%s: now: %q is not a date YYYY-MM-DD", path, f.Now)
	}
	for i, c := range f.Cases {
		if c.Tenant == "" || c.Q == "" || len(c.Expect) == 0 {
			return nil, errcode.New(errcode.Invalid, "%s: case %d (%s): tenant, q and expect are required", path, i+1, c.ID)
		}
	}
	return &f, nil
}

// Reference is one tenant's data copied into an in-memory SQLite database
// laid out as the question files expect (tables employees, shifts, absences).
type Reference struct {
	DB     *sql.DB
	people map[string][2]string // employee_id → lower(name), lower(email)
}

var refColumns = map[string][]string{
	"employees": {"employee_id", "first_name", "last_name", "email", "gender", "birth_date", "hire_date", "end_date", "department", "position", "contract_type", "weekly_hours", "manager_id", "location", "hourly_wage"},
	"shifts":    {"shift_id", "employee_id", "date", "start_time", "end_time", "break_minutes", "hours", "position", "location", "status"},
	"absences":  {"absence_id", "employee_id", "type", "start_date", "end_date", "days"},
}

// LoadReference copies tenantID's HR data out of the store.
func LoadReference(ctx context.Context, db *store.DB, tenantID int64) (*Reference, error) {
	mem, err := sql.Open("sqlite", "file::memory:")
	if err != nil {
		return nil, err
	}
	mem.SetMaxOpenConns(1)
	ref := &Reference{DB: mem, people: map[string][2]string{}}
	err = db.ReadTenant(ctx, tenantID, func(tx *store.Tx) error {
		for _, table := range []string{"employees", "shifts", "absences"} {
			cols := refColumns[table]
			if _, err := mem.ExecContext(ctx, "create table "+table+" ("+strings.Join(cols, ",")+")"); err != nil {
				return err
			}
			rows, err := tx.QueryContext(ctx, "select "+strings.Join(cols, ",")+" from "+table+" where tenant_id = $1", tenantID)
			if err != nil {
				return store.Err(err, "read "+table)
			}
			mtx, _ := mem.BeginTx(ctx, nil)
			ins, _ := mtx.PrepareContext(ctx, "insert into "+table+" values ("+store.Placeholders(1, len(cols))+")")
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			for rows.Next() {
				if err := rows.Scan(ptrs...); err != nil {
					rows.Close()
					return err
				}
				for i, v := range vals {
					switch x := v.(type) {
					case time.Time:
						vals[i] = x.Format(day)
					case []byte:
						vals[i] = string(x)
					}
				}
				if table == "employees" {
					ref.people[vals[0].(string)] = [2]string{strings.ToLower(vals[1].(string) + " " + vals[2].(string)), strings.ToLower(vals[3].(string))}
				}
				if _, err := ins.ExecContext(ctx, vals...); err != nil {
					rows.Close()
					return err
				}
			}
			rows.Close()
			if err := mtx.Commit(); err != nil {
				return err
			}
		}
		return nil
	})
	return ref, err
}

var (
	reTeamMacro = regexp.MustCompile(`\{team:(\w+)\}`)
	reWeekMacro = regexp.MustCompile(`\{week:([\w.]+)\}`)
	reTimeLabel = regexp.MustCompile(`^\d{4}(-\d{2}){0,2}$`)
	reSpaces    = regexp.MustCompile(`[\s_\-]+`)
)

func expandSQL(s, now string) string {
	s = strings.ReplaceAll(s, "{active}", "hire_date <= '"+now+"' and (end_date is null or end_date >= '"+now+"')")
	s = reTeamMacro.ReplaceAllString(s, "with recursive team(id) as (select '$1' union select e2.employee_id from employees e2 join team t on e2.manager_id=t.id) select id from team")
	return reWeekMacro.ReplaceAllString(s, "date($1, '-'||((strftime('%w',$1)+6)%7)||' days')")
}

func normLabel(v any) string {
	return reSpaces.ReplaceAllString(strings.ToLower(strings.TrimSpace(fmt.Sprint(v))), " ")
}

func num(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	case string:
		var f float64
		_, err := fmt.Sscan(strings.TrimRight(strings.ReplaceAll(strings.TrimSpace(x), ",", ""), "%"), &f)
		return f, err == nil
	}
	return 0, false
}

func closeTo(a, b float64) bool { return math.Abs(a-b) <= math.Max(0.051, 0.001*math.Abs(b)) }

// Visible returns the employee ids the case's asker may see, from the
// reference data (independently of the engine under test).
func (r *Reference) Visible(as, now string) map[string]bool {
	out := map[string]bool{}
	role, eid, _ := strings.Cut(as, ":")
	switch role {
	case "admin", "hr":
		for id := range r.people {
			out[id] = true
		}
	case "employee":
		out[eid] = true
	default:
		rows, err := r.DB.Query(expandSQL("{team:"+eid+"}", now))
		if err == nil {
			for rows.Next() {
				var id string
				rows.Scan(&id)
				out[id] = true
			}
			rows.Close()
		}
	}
	return out
}

// Check compares an answer with one expectation, the way
// tools/ask_eval.py does; others holds the reference data of every tenant
// of the file, for the no-leak check.
func (r *Reference) Check(e EvalExpect, ans *Answer, now string, forbidden []string) (bool, string) {
	if e.Mode == "refuse" {
		if ans.Error == nil {
			return false, fmt.Sprintf("wanted a refusal %v, got an answer", e.Codes)
		}
		for _, c := range e.Codes {
			if string(ans.Error.Code) == c {
				return true, ""
			}
		}
		return false, fmt.Sprintf("wanted a refusal %v, got %s", e.Codes, ans.Error.Code)
	}
	if e.Mode == "noleak" {
		b, _ := json.Marshal(ans)
		text := strings.ToLower(string(b))
		for _, f := range forbidden {
			if containsWord(text, f) {
				return false, "leaked " + f
			}
		}
		return true, ""
	}
	if ans.Error != nil {
		return false, "refused: " + ans.Error.Message
	}
	rows, err := r.DB.Query(expandSQL(e.SQL, now))
	if err != nil {
		return false, "reference SQL failed: " + err.Error()
	}
	var got [][]any
	cols, _ := rows.Columns()
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		rows.Scan(ptrs...)
		got = append(got, vals)
	}
	rows.Close()
	width := len(ans.Columns)
	for _, r := range ans.Rows {
		width = max(width, len(r))
	}
	answerCols := make([][]any, 0, 2*width)
	for i := 0; i < width; i++ {
		col := make([]any, len(ans.Rows))
		for j, r := range ans.Rows {
			if i < len(r) {
				col[j] = r[i]
			}
		}
		answerCols = append(answerCols, col)
	}
	for i := 0; i+1 < width; i++ {
		col := make([]any, len(ans.Rows))
		for j := range ans.Rows {
			col[j] = fmt.Sprint(answerCols[i][j]) + " " + fmt.Sprint(answerCols[i+1][j])
		}
		answerCols = append(answerCols, col)
	}
	switch e.Mode {
	case "scalar":
		if len(got) == 0 || got[0][0] == nil {
			for _, r := range ans.Rows {
				for _, c := range r {
					if f, ok := num(c); ok && f != 0 {
						return false, "wanted nothing or 0"
					}
				}
			}
			return true, ""
		}
		want, _ := num(got[0][0])
		if len(ans.Rows) != 1 {
			return false, fmt.Sprintf("wanted one row (%v), got %d rows", want, len(ans.Rows))
		}
		for _, c := range ans.Rows[0] {
			if f, ok := num(c); ok && closeTo(f, want) {
				return true, ""
			}
		}
		return false, fmt.Sprintf("wanted %v, got %v", want, ans.Rows[0])
	case "entities":
		sets := [3]map[string]bool{{}, {}, {}}
		for _, g := range got {
			for i := 0; i < 3 && i < len(g); i++ {
				sets[i][normLabel(g[i])] = true
			}
		}
		for _, col := range answerCols {
			vals := map[string]bool{}
			for _, v := range col {
				if v != nil {
					vals[normLabel(v)] = true
				}
			}
			for _, s := range sets {
				if len(vals) > 0 && equalSets(vals, s) {
					return true, ""
				}
			}
		}
		return false, fmt.Sprintf("wanted %d people, got %d rows", len(sets[1]), len(ans.Rows))
	case "groups":
		if len(ans.Rows) != len(got) {
			return false, fmt.Sprintf("wanted %d rows, got %d", len(got), len(ans.Rows))
		}
		want := make([]float64, len(got))
		for i, g := range got {
			want[i], _ = num(g[len(g)-1])
		}
		sort.Float64s(want)
		okVal := false
		for _, col := range answerCols[:width] {
			vals := make([]float64, 0, len(col))
			for _, v := range col {
				if f, ok := num(v); ok {
					vals = append(vals, f)
				}
			}
			if len(vals) != len(col) {
				continue
			}
			sort.Float64s(vals)
			match := true
			for i := range vals {
				match = match && closeTo(vals[i], want[i])
			}
			if match {
				okVal = true
				break
			}
		}
		if !okVal {
			return false, "values differ"
		}
		for i := 0; len(got) > 0 && i < len(got[0])-1; i++ {
			labels := map[string]bool{}
			allTime := true
			for _, g := range got {
				labels[normLabel(g[i])] = true
				allTime = allTime && reTimeLabel.MatchString(fmt.Sprint(g[i]))
			}
			if allTime {
				continue
			}
			found := false
			for _, col := range answerCols {
				vals := map[string]bool{}
				for _, v := range col {
					vals[normLabel(v)] = true
				}
				found = found || equalSets(vals, labels)
			}
			if !found {
				return false, "labels not found in the answer"
			}
		}
		return true, ""
	}
	return false, "unknown mode " + e.Mode
}

// containsWord finds w in text not followed by a letter, so that
// "Tom Martinez" does not count as "tom martin".
func containsWord(text, w string) bool {
	for i := 0; ; {
		k := strings.Index(text[i:], w)
		if k < 0 {
			return false
		}
		end := i + k + len(w)
		if end >= len(text) || !(text[end] >= 'a' && text[end] <= 'z') {
			return true
		}
		i = i + k + 1
	}
}

func equalSets(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

// Forbidden lists names and emails the asker must never see: everyone of
// other tenants and, inside the tenant, everyone outside the scope.
func Forbidden(refs map[string]*Reference, tenant string, visible map[string]bool) []string {
	own := map[string]bool{}
	for id := range visible {
		own[refs[tenant].people[id][0]] = true
	}
	var out []string
	for t, r := range refs {
		for id, p := range r.people {
			if t == tenant && visible[id] {
				continue
			}
			out = append(out, p[1])
			if !own[p[0]] {
				out = append(out, p[0])
			}
		}
	}
	return out
}

// AskerFor is the identity a case asks as: "admin", "hr",
// "manager:<employee_id>" or "employee:<employee_id>".
func AskerFor(tenantID int64, as string) (Asker, error) {
	role, eid, _ := strings.Cut(as, ":")
	r, err := identity.ParseRole(role)
	if err != nil {
		return Asker{}, err
	}
	return Asker{TenantID: tenantID, User: identity.User{Role: r, EmployeeID: eid, Email: "eval:" + as}}, nil
}
