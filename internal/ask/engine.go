package ask

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/semantic"
	"github.com/scry-dev/scry/internal/store"
)

// Engine answers questions for one installation. It is safe for
// concurrent use.
type Engine struct {
	DB      *store.DB
	Model   *semantic.Model
	RowCap  int           // most rows an answer shows (default 1000)
	Timeout time.Duration // per question (default 10 s)
	Mode    string        // ModeParser (default), ModeLLM or ModeParserThenLLM
	LLM     *LLM          // the language model, for the llm modes

	mu      sync.Mutex
	parsers map[int64]cachedParser         // per tenant, rebuilt when an import bumps hr_version
	visible map[visibleKey]map[string]bool // scoped askers' names, per tenant data version
	names   int                            // how many names visible holds
	tenants *tenantNames                   // other tenants a question may name
	results resultCache                    // rows of exact queries, per tenant data version
	NoCache bool                           // always run the query (benchmarks of the database work)
	// FactsOnly answers from the fact tables, never from the rollups the
	// import keeps: only to prove (and measure) that both give one answer.
	FactsOnly bool
	Limits    Limits     // how many questions run at once (per user, per tenant, in all)
	Audit     *audit.Log // where Answer records every question

	recorderOnce sync.Once
	recorder     *recorder
}

type cachedParser struct {
	version int64
	parser  *Parser
}

// parser returns the tenant's parser, rebuilding it after an import, and
// the version of the tenant's HR data.
func (e *Engine) parser(ctx context.Context, tx *store.Tx) (*Parser, int64, error) {
	var version int64
	if err := tx.QueryRowContext(ctx, `select hr_version from tenants where id = $1`, tx.TenantID).Scan(&version); err != nil {
		return nil, 0, store.Err(err, "read hr version")
	}
	e.mu.Lock()
	c, ok := e.parsers[tx.TenantID]
	e.mu.Unlock()
	if ok && c.version == version {
		return c.parser, version, nil
	}
	vocab, err := LoadVocabulary(ctx, tx)
	if err != nil {
		return nil, 0, err
	}
	p := NewParser(e.Model, vocab)
	e.mu.Lock()
	if e.parsers == nil {
		e.parsers = map[int64]cachedParser{}
	}
	e.parsers[tx.TenantID] = cachedParser{version, p}
	e.mu.Unlock()
	return p, version, nil
}

// Asker is who asks: identity comes from the caller (session, token or the
// CLI's --as), never from the question.
type Asker struct {
	TenantID int64
	Tenant   string // the tenant's slug, as the audit log names it
	User     identity.User
}

// Chart names the chart that fits the answer.
type Chart struct {
	Type  ChartKind `json:"type"`
	Title string    `json:"title"`
}

// ChartKind is a type of chart, as contracts/cli.md names it.
type ChartKind string

const (
	ChartNumber  ChartKind = "number"
	ChartBar     ChartKind = "bar"
	ChartLine    ChartKind = "line"
	ChartPie     ChartKind = "pie"
	ChartHeatmap ChartKind = "heatmap"
	ChartTable   ChartKind = "table"
)

// Explain tells how the question was read.
type Explain struct {
	Engine string `json:"engine"`
	Range  string `json:"range"`
	Scope  string `json:"scope"`
	SQL    string `json:"sql"`
	Args   []any  `json:"args"`
}

// Answer is the JSON of `scry ask --json` and of POST /api/v1/ask.
type Answer struct {
	Question string    `json:"question"`
	Query    *Query    `json:"query,omitempty"`
	Columns  []Column  `json:"columns,omitempty"`
	Rows     [][]any   `json:"rows"`
	Chart    *Chart    `json:"chart,omitempty"`
	Notes    []string  `json:"notes,omitempty"`
	Explain  *Explain  `json:"explain,omitempty"`
	Error    *AskError `json:"error,omitempty"`
}

// AskError is a refusal inside an answer.
type AskError struct {
	Code    errcode.Code `json:"code"`
	Message string       `json:"message"`
}

// LoadVocabulary reads what the tenant's import learned.
func LoadVocabulary(ctx context.Context, tx *store.Tx) (Vocabulary, error) {
	rows, err := tx.QueryContext(ctx, `select field, value from hr_vocabulary where tenant_id = $1`, tx.TenantID)
	if err != nil {
		return nil, store.Err(err, "load vocabulary")
	}
	defer rows.Close()
	v := Vocabulary{}
	for rows.Next() {
		var f, val string
		if err := rows.Scan(&f, &val); err != nil {
			return nil, store.Err(err, "scan vocabulary")
		}
		v[f] = append(v[f], val)
	}
	if err := rows.Err(); err != nil {
		return nil, store.Err(err, "load vocabulary")
	}
	// who reports to whom, by position ("teachers per principal" are each
	// principal's teachers; "teaching assistants per teacher", where none
	// reports to a teacher, a ratio)
	pairs, err := tx.QueryContext(ctx, `select distinct r.position, m.position from employees r join employees m on m.tenant_id = r.tenant_id and m.employee_id = r.manager_id
		where r.tenant_id = $1 and r.position is not null and m.position is not null`, tx.TenantID)
	if err != nil {
		return nil, store.Err(err, "load reporting positions")
	}
	defer pairs.Close()
	for pairs.Next() {
		var report, manager string
		if err := pairs.Scan(&report, &manager); err != nil {
			return nil, store.Err(err, "scan reporting positions")
		}
		v["reports_to"] = append(v["reports_to"], report+"\t"+manager)
	}
	return v, pairs.Err()
}

// Ask answers one question. A refusal is returned as an error carrying
// not_understood, forbidden_topic, prompt_injection or permission_denied.
func (e *Engine) Ask(ctx context.Context, who Asker, question string, now time.Time) (*Answer, error) {
	return e.AskAfter(ctx, who, question, now, nil)
}

// AskAfter answers a question that may follow up on the previous answer's
// structured query prev ("what about last year?"). prev comes from the
// client: it is only a starting point, validated and scoped like any query.
func (e *Engine) AskAfter(ctx context.Context, who Asker, question string, now time.Time, prev *Query) (*Answer, error) {
	ans := &Answer{Question: question, Rows: [][]any{}}
	if err := Guard(question); err != nil {
		return ans, err
	}
	if err := e.namesOtherTenant(ctx, who.TenantID, question); err != nil {
		return ans, err
	}
	scope, err := ScopeOf(who.User)
	if err != nil {
		return ans, err
	}
	timeout, rowCap := e.Timeout, e.RowCap
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	if rowCap == 0 {
		rowCap = 1000
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	// Wait for a slot before taking a connection: a queue of questions must
	// leave connections to light requests.
	release, err := e.Limits.acquire(ctx, e.DB.ReadPoolSize(), who.TenantID, who.User.ID)
	if err != nil {
		return ans, err
	}
	defer release()
	err = e.DB.ReadTenant(ctx, who.TenantID, func(tx *store.Tx) error {
		defer e.Limits.running(who.TenantID, who.User.ID)()
		if err := tx.SetStatementTimeout(ctx, timeout); err != nil {
			return store.Err(err, "set statement timeout")
		}
		parser, version, visible, err := e.reader(ctx, tx, scope, now)
		if err != nil {
			return err
		}
		q, engine, err := e.read(ctx, parser, question, visible, prev)
		if err != nil {
			return err
		}
		if name := hiddenName(q, visible); visible != nil && name != "" {
			// a previous query sent back by the client names someone out of scope
			return errUnseenName
		}
		yours := map[bool]string{true: "your team", false: "your own record"}[scope.Subtree]
		g, unseen := emptyGroup(q, e.Model, visible)
		if visible != nil && g != "" {
			return errcode.New(errcode.PermissionDenied, "No one you may see is in %s: you see %s only", g, yours)
		}
		ans.Query = q
		if visible != nil && len(unseen) > 0 {
			// "which had more sick days, Paris or Lyon" from a manager
			// whose team is all in Paris: Lyon has no row, and says why
			ans.Notes = append(ans.Notes, fmt.Sprintf("No one you may see is in %s (you see %s only): the answer has no row for it.", strings.Join(unseen, " or "), yours))
		}
		if len(q.aside) > 0 {
			ans.Notes = append(ans.Notes, "scry read the question alone and set aside the words around it, which hold nothing it reads: “"+strings.Join(q.aside, "”, “")+"”.")
		}
		if err := e.resolveHaving(ctx, tx, q, who, scope, now); err != nil {
			return err
		}
		if note, err := e.splitNamesakes(ctx, tx, q, who, scope, now); err != nil {
			return err
		} else if note != "" {
			ans.Notes = append(ans.Notes, note)
		}
		if note, err := e.outsideTheData(ctx, tx, q, now); err != nil {
			return err
		} else if note != "" {
			ans.Notes = append(ans.Notes, note)
		}
		if headcountSeries(q, e.Model) {
			return e.headcountOn(ctx, tx, version, q, who, scope, now, rowCap, engine, ans)
		}
		if q.PerHead || q.PerPerson {
			if q.Time != nil {
				_ = q.Time.Resolve(now) // prepare reports an error
			}
			ans.Notes = append(ans.Notes, perHeadNote(q, e.Model, now.Format(day)))
		}
		// the fewest of groups: every group is ranked, then those with
		// none are added before the limit is taken (zeroGroups)
		if q.Time != nil {
			_ = q.Time.Resolve(now) // for zeroFill; prepare reports an error
		}
		fill := zeroFill(q, e.Model)
		// "top 2 employees by vacation days": six tie at 35, and a limit
		// would name two of them by the database's whim
		ties := !fill && q.Kind == "groups" && q.Order == "desc" && q.Limit > 0 && q.Offset == 0 && len(q.Dimensions) == 1 && !q.Share
		limit, offset := q.Limit, q.Offset
		if fill || ties {
			q.Limit, q.Offset = 0, 0
		}
		q.exact = ties
		c, err := prepare(q, e.Model, tx.Dialect, who, scope, now, rowCap, !e.FactsOnly)
		q.Limit, q.Offset, q.exact = limit, offset, false
		if err != nil {
			return err
		}
		if ans.Rows, err = e.rows(ctx, tx, version, c); err != nil {
			return err
		}
		if len(ans.Rows) == 0 && grouped(q.Dimensions, "manager") {
			// "how many employees per cashier", "waiters per line cook": read
			// as each holder's people, of whom there are none; an empty table
			// would say "none", and the question may ask for a ratio
			for _, f := range q.Filters {
				if f.Field == "manager_id" && f.Ref != nil && len(f.Ref.Filters) == 1 && f.Ref.Filters[0].Field == "position" && len(q.Filters) == 1 && q.Time == nil {
					pos := strings.Join(f.Ref.Filters[0].Values, " or ")
					return notUnderstoodf("no %s manages anyone you may see, so scry has no one to count for each; for a ratio of two positions ask e.g. \"how many waiters do we have for every line cook\"", pos)
				}
			}
		}
		if ties {
			ans.Rows = keepTies(ans.Rows, q.Limit, rowCap)
			if n := len(c.Columns) - 1; n > 0 && c.Columns[n].Type == "exact" {
				rows := make([][]any, len(ans.Rows)) // the cache keeps its own
				for i, r := range ans.Rows {
					rows[i] = r[:n:n] // without the unrounded value ranked by
				}
				ans.Rows, c.Columns = rows, c.Columns[:n]
			}
			if len(ans.Rows) > q.Limit {
				ans.Notes = append(ans.Notes, tieNote(len(ans.Rows), q.Limit, "groups"))
			}
		}
		if belowFill(q, e.Model, now) {
			none, err := e.peopleWithNone(ctx, tx, version, q, who, scope, now, rowCap)
			if err != nil {
				return err
			}
			if q.Kind == "number" && len(ans.Rows) == 1 {
				ans.Rows[0][0] = int64(Number(ans.Rows[0][0])) + int64(len(none))
			} else if q.Kind == "people" {
				for _, r := range none {
					ans.Rows = append(ans.Rows, append(slices.Clone(r), int64(0)))
				}
			}
			if len(none) > 0 {
				ans.Notes = append(ans.Notes, fmt.Sprintf("People with none in the period pass too, at 0 (%d of them).", len(none)))
			}
		}
		if fill {
			if ans.Rows, err = e.zeroGroups(ctx, tx, version, q, ans.Rows, who, scope, now, rowCap); err != nil {
				return err
			}
			if len(ans.Rows) > 0 && rankedValue(ans.Rows[0]) == 0 {
				switch {
				case q.Kind != "people":
					ans.Notes = append(ans.Notes, "Groups with none count as 0.")
				case q.Time != nil && q.Time.To != "":
					ans.Notes = append(ans.Notes, "People with none count as 0: those employed today who had joined by the end of the period.")
				default:
					ans.Notes = append(ans.Notes, "People with none count as 0: those employed today.")
				}
			}
			if q.Kind == "groups" && q.Limit > 0 && len(ans.Rows) > q.Limit {
				ans.Notes = append(ans.Notes, tieNote(len(ans.Rows), q.Limit, "groups"))
			}
			if q.Kind == "groups" && e.Model.Dimensions[q.Dimensions[0]].Time != "" {
				ans.Notes = append(ans.Notes, "Only whole "+q.Dimensions[0]+"s within the period, up to today, are compared.")
			}
		}
		if rows, filled := fillPeriods(q, e.Model, ans.Rows); filled > 0 {
			ans.Rows = rows
			ans.Notes = append(ans.Notes, fmt.Sprintf("Periods with none count as 0 (%d of them).", filled))
		}
		if gone := missingValues(q, c.Columns, ans.Rows, unseen); len(gone) > 0 {
			// "which had more hours, Paris or Lyon": a value named with no
			// row would read as less than the other, or as left out
			note := "No row for " + strings.Join(gone, " or ") + ": none in the answer's period"
			if visible != nil {
				note += " among the people you may see"
			}
			ans.Notes = append(ans.Notes, note+".")
		}
		if q.Kind == "people" && q.Limit > 0 && len(ans.Rows) > q.Limit && len(ans.Rows) <= rowCap {
			ans.Notes = append(ans.Notes, tieNote(len(ans.Rows), q.Limit, "people"))
		}
		ans.Columns = c.Columns
		if len(ans.Rows) > rowCap {
			ans.Rows = ans.Rows[:rowCap]
			ans.Notes = append(ans.Notes, fmt.Sprintf("Only the first %d rows are shown; narrow the question to see the rest.", rowCap))
		}
		if q.Time != nil && q.Time.apart != nil {
			// "this month vs the same month last year": 25 days against 30
			// ("november vs september" on 25 November: 25 days so far)
			today := now.Format(day)
			a, b := &TimeRange{From: q.Time.apart[0][0], To: min(q.Time.apart[0][1], today)}, &TimeRange{From: q.Time.apart[1][0], To: min(q.Time.apart[1][1], today)}
			cut := q.Time.apart[0][1] >= today || q.Time.apart[1][1] >= today
			if n, m := a.days(), b.days(); cut && n > 0 && m > 0 && (n-m > 1 || m-n > 1) {
				ans.Notes = append(ans.Notes, fmt.Sprintf("The two periods are not compared over as many days: %s has %d up to today, %s has %d.", SpanWords(q.Time.apart[0][0], q.Time.apart[0][1]), n, SpanWords(q.Time.apart[1][0], q.Time.apart[1][1]), m))
			}
		}
		ChooseChart(q, e.Model, ans)
		ans.Explain = &Explain{Engine: engine, Range: q.Time.Describe(), Scope: scope.Describe(), SQL: c.SQL, Args: c.Args}
		return nil
	})
	if err != nil {
		ans.Query = nil
		return ans, err
	}
	return ans, nil
}

// rows runs a compiled query, or takes its rows from the cache.
func (e *Engine) rows(ctx context.Context, tx *store.Tx, version int64, c compiled) ([][]any, error) {
	key := cacheKey(tx.TenantID, version, c)
	if cached, ok := e.results.get(key); ok && !e.NoCache {
		return cached, nil
	}
	rows, err := runQuery(ctx, tx, c)
	if err != nil {
		return nil, err
	}
	e.results.put(key, rows)
	return rows, nil
}

// peopleWithNone lists the people q is about who have none of its facts
// in its period ("who did not work last week"), less those who joined
// after it.
func (e *Engine) peopleWithNone(ctx context.Context, tx *store.Tx, version int64, q *Query, who Asker, scope Scope, now time.Time, rowCap int) ([][]any, error) {
	u := *q
	u.Kind, u.Without, u.Order, u.Limit, u.Offset, u.Having, u.CountOf = "people", true, "", 0, 0, nil, nil
	u.Filters = slices.Clone(q.Filters)
	if q.Time != nil && q.Time.To != "" {
		u.Filters = append(u.Filters, Filter{Field: "hire_date", Op: "<=", Values: []string{q.Time.To}})
	}
	c, err := prepare(&u, e.Model, tx.Dialect, who, scope, now, rowCap, !e.FactsOnly)
	if err != nil {
		return nil, err
	}
	return e.rows(ctx, tx, version, c)
}

// belowFill: a threshold from below ("who worked fewer than 20 hours
// last week", "how many bartenders worked fewer than 2 shifts") is met
// by people with none, whom a total of facts leaves out.
func belowFill(q *Query, m *semantic.Model, now time.Time) bool {
	if q.Time == nil || q.Time.To == "" || q.Time.To > now.Format(day) {
		return false // a period still to come: "who did not work" is everyone
	}
	c := q.Having
	if q.Kind == "number" {
		c = q.CountOf
	} else if q.Kind != "people" || q.CountOf != nil {
		return false
	}
	ms := m.Measures[q.Measure]
	return c != nil && c.Ref == nil && (c.Op == "<" || c.Op == "<=") && c.Value > 0 && len(q.Dimensions) == 0 && q.Time != nil &&
		(ms.Entity == "shifts" || ms.Entity == "absences") && (ms.Agg == "sum" || ms.Agg == "count") && ms.Derived == "" && !q.PerPersonWeek && q.Relation == ""
}

// zeroFill: the groups of a question about the fewest ("which department
// had the fewest sick days last week") include those with none, which a
// grouped total of facts leaves out: without them the answer would name a
// department with 2 days while three had 0. Only totals (sums and counts)
// of facts, by one group of people (department, position, location,
// contract type, gender), by whole time buckets, or by person ("who
// worked the fewest hours last month").
func zeroFill(q *Query, m *semantic.Model) bool {
	if q.Order != "asc" || q.Having != nil || q.Share || len(q.Aggs) > 0 || q.Without || q.PerHead || q.PerPerson ||
		q.PerPersonWeek || q.Distinct != "" || q.CountOf != nil && (q.Kind != "groups" || *q.CountOf != (Condition{Op: ">"})) || q.ShareOf != nil || len(q.ShareWhere) > 0 || q.Relation != "" || q.RankWithin != "" {
		return false
	}
	ms := m.Measures[q.Measure]
	if q.Kind == "people" {
		// a ranked list only: the people with none are those the same
		// question's "who did not …" lists
		if q.Limit == 0 || len(q.Dimensions) > 0 || len(q.Columns) > 0 || len(q.Sort) > 0 || ms.Event != "" {
			return false
		}
		// "who worked the fewest hours in Springfield": the shifts' place,
		// while "who did not work" reads a place as the people's own
		for _, f := range q.Filters {
			if ms.Entity == "shifts" && (f.Field == "location" || f.Field == "position") {
				return false
			}
		}
	} else if q.Kind != "groups" || len(q.Dimensions) != 1 {
		return false
	} else {
		switch g := m.Dimensions[q.Dimensions[0]].Time; {
		case periodGrain(g):
			// "which of the last 8 weeks had the fewest hours worked": every
			// week of a period with both ends, up to today (a
			// week still to come has no 0 to tell). An absence counts in the
			// bucket it starts in, so a day with none starting may still
			// have people away: no zeros for absences.
			if q.Time == nil || q.Time.From == "" || q.Time.To == "" {
				return false
			}
		case q.Dimensions[0] == "department", q.Dimensions[0] == "position", q.Dimensions[0] == "location", q.Dimensions[0] == "contract_type", q.Dimensions[0] == "gender":
		default:
			return false
		}
	}
	// "which department had the fewest people off sick": people counted
	// by a fact they had, of whom a department may have none
	factPeople := q.Kind == "groups" && q.Measure == "headcount" && slices.ContainsFunc(q.Filters, func(f Filter) bool { return f.Field == "absence_type" || f.Field == "status" })
	return factPeople || (ms.Entity == "shifts" || ms.Entity == "absences" || ms.Event != "") && (ms.Agg == "sum" || ms.Agg == "count") && ms.Derived == ""
}

// zeroGroups adds, with 0, the groups of the people the question is about
// (its conditions on people, in the asker's scope, employed today) that
// have no facts, puts all in order (fewest first) and takes the limit. A
// question ranking people adds the people its "who did not …" reading
// lists, less those who joined after the period: someone hired last week
// did not work the fewest hours last month.
func (e *Engine) zeroGroups(ctx context.Context, tx *store.Tx, version int64, q *Query, rows [][]any, who Asker, scope Scope, now time.Time, rowCap int) ([][]any, error) {
	var groups [][]any
	if q.Time != nil && q.Time.From > now.Format(day) && q.Measure != "planned_hours" {
		// "who worked the fewest shifts next week": nothing is worked yet,
		// and everyone would tie at 0
		return nil, errcode.New(errcode.NotUnderstood, "scry ranks by the fewest only what has happened or is planned; for a period to come, ask about planned hours (\"who has the fewest planned hours next week\")")
	}
	if q.Kind == "people" {
		var err error
		if groups, err = e.peopleWithNone(ctx, tx, version, q, who, scope, now, rowCap); err != nil {
			return nil, err
		}
	} else if g := e.Model.Dimensions[q.Dimensions[0]].Time; g != "" {
		for _, b := range wholeBuckets(g, q.Time, now, rowCap) {
			groups = append(groups, []any{b.label})
		}
		whole := map[string]bool{}
		for _, g := range groups {
			whole[g[0].(string)] = true
		}
		rows = slices.DeleteFunc(append([][]any(nil), rows...), func(r []any) bool { return !whole[fmt.Sprint(r[0])] })
		if e.Model.Measures[q.Measure].Entity == "absences" {
			// an absence counts in the bucket it starts in: a week with none
			// starting may still have people away, so it is no 0
			groups = nil
		}
	} else {
		u := &Query{Kind: "groups", Measure: "headcount", Dimensions: q.Dimensions}
		for _, f := range q.Filters {
			if onPerson(f) {
				u.Filters = append(u.Filters, f)
			}
		}
		c, err := prepare(u, e.Model, tx.Dialect, who, scope, now, rowCap, !e.FactsOnly)
		if err != nil {
			return nil, err
		}
		if groups, err = e.rows(ctx, tx, version, c); err != nil {
			return nil, err
		}
	}
	out := append([][]any(nil), rows...)
	have := map[string]bool{}
	for _, r := range rows {
		have[fmt.Sprint(r[0])] = true
	}
	for _, g := range groups {
		if !have[fmt.Sprint(g[0])] {
			if q.Kind != "people" {
				g = g[:1] // a group's label, without its headcount
			}
			out = append(out, append(slices.Clone(g), int64(0)))
		}
	}
	// fewest first, then as the database orders a tie: a group by its
	// label, a person by name (the second column), then id
	name := len(out) > 0 && len(out[0]) > 2
	sort.SliceStable(out, func(i, j int) bool {
		a, b := rankedValue(out[i]), rankedValue(out[j])
		if a != b {
			return a < b
		}
		if name && fmt.Sprint(out[i][1]) != fmt.Sprint(out[j][1]) {
			return fmt.Sprint(out[i][1]) < fmt.Sprint(out[j][1])
		}
		return fmt.Sprint(out[i][0]) < fmt.Sprint(out[j][0])
	})
	if q.Offset >= len(out) {
		return [][]any{}, nil
	}
	return keepTies(out[q.Offset:], q.Limit, rowCap), nil
}

// headcountSeries: "headcount per month in 2025", "headcount at the end
// of each of the last 6 months": the headcount on the last day of each
// whole bucket of a period (headcountOn).
func headcountSeries(q *Query, m *semantic.Model) bool {
	if q.Kind != "groups" || q.Measure != "headcount" || len(q.Dimensions) != 1 || q.Time == nil || q.Time.apart != nil || q.Order != "" || q.Limit > 0 ||
		q.Having != nil || q.Share || len(q.Aggs) > 0 || q.CountOf != nil || q.ShareOf != nil || len(q.ShareWhere) > 0 || q.Relation != "" || q.Distinct != "" {
		return false
	}
	return periodGrain(m.Dimensions[q.Dimensions[0]].Time) || q.Dimensions[0] == "trend"
}

// tieNote says that n rows answer a limit of limit because of a tie.
func tieNote(n, limit int, what string) string {
	return fmt.Sprintf("%d %s for the %d asked for: those tied at the last place are all shown.", n, what, limit)
}

// periodGrain: g cuts time into whole periods (a day, week, month,
// quarter or year), not a weekday, an hour or a clock time.
func periodGrain(g string) bool {
	return g == "day" || g == "week" || g == "month" || g == "quarter" || g == "year"
}

// headcountOn answers a headcount series: the question's people, in the
// asker's scope, employed on the last day of each whole bucket up to
// today, one scoped query per bucket (a headcount is taken on one day).
func (e *Engine) headcountOn(ctx context.Context, tx *store.Tx, version int64, q *Query, who Asker, scope Scope, now time.Time, rowCap int, engine string, ans *Answer) error {
	if err := q.Time.Resolve(now); err != nil {
		return err
	}
	g := e.Model.Dimensions[q.Dimensions[0]].Time
	if q.Dimensions[0] == "trend" {
		g = trendGrainOf(q.Time) // "how has our headcount changed"
	}
	bs := wholeBuckets(g, q.Time, now, rowCap)
	if len(bs) == 0 {
		return errcode.New(errcode.NotUnderstood, "No whole %s of %s has passed yet: a headcount per %s is taken on each one's last day", g, q.Time.Describe(), g)
	}
	if len(bs) > maxSeries {
		return errcode.New(errcode.NotUnderstood, "%s holds more than %d %ss: ask for a shorter period or a longer unit", q.Time.Describe(), maxSeries, g)
	}
	var c compiled
	for _, b := range bs {
		u := *q
		u.Kind, u.Dimensions, u.Time = "number", nil, &TimeRange{Expr: "on " + b.last.Format(day)}
		var err error
		if c, err = prepare(&u, e.Model, tx.Dialect, who, scope, now, rowCap, !e.FactsOnly); err != nil {
			return err
		}
		rows, err := e.rows(ctx, tx, version, c)
		if err != nil {
			return err
		}
		ans.Rows = append(ans.Rows, []any{b.label, rows[0][0]})
	}
	ans.Columns = []Column{{Name: g, Type: "string"}, c.Columns[0]}
	ans.Notes = append(ans.Notes, fmt.Sprintf("Each %s's headcount is taken on its last day; only whole %ss up to today are shown.", g, g))
	ChooseChart(q, e.Model, ans)
	ans.Explain = &Explain{Engine: engine, Range: q.Time.Describe(), Scope: scope.Describe(), SQL: c.SQL, Args: c.Args}
	return nil
}

// outsideTheData refuses a period the data cannot speak of (and notes one
// it covers only in part), where the
// query would answer a certain 0 or today's figure as a fact: planned
// shifts of a period that is over ("how many hours am I down for from Dec 1
// to Dec 11", read as last December: every past shift is worked or not,
// none planned), shifts or absences after the last the data holds ("how
// many people will be working on New Year's Eve 2027": 0), and a headcount
// still to come ("what will our headcount be at the end of 2027": today's
// staff, as if no one would join or leave).
func (e *Engine) outsideTheData(ctx context.Context, tx *store.Tx, q *Query, now time.Time) (string, error) {
	if q.Time == nil || q.Time.Resolve(now) != nil || q.Time.From == "" {
		return "", nil // prepare reports a period it cannot resolve
	}
	if q.Time.sides != nil {
		// two periods compared: each as if asked alone ("2024 vs this
		// year", before the data begins, is no 0 beside this year's total)
		var notes []string
		for _, p := range q.Time.sides {
			one := *q
			one.Time = &TimeRange{Expr: "between " + p[0] + " and " + p[1]}
			note, err := e.outsideTheData(ctx, tx, &one, now)
			if err != nil {
				return "", err
			}
			if note != "" && !slices.Contains(notes, note) {
				notes = append(notes, note)
			}
		}
		return strings.Join(notes, " "), nil
	}
	today := now.Format(day)
	planned := q.Measure == "planned_hours" || slices.ContainsFunc(q.Filters, func(f Filter) bool {
		return f.Field == "status" && !f.Negate && slices.Equal(f.Values, []string{"planned"})
	})
	if planned && q.Time.To != "" && q.Time.To < today {
		// "my planned hours in December" in November: the coming one, as
		// a day is ("on December 7"); a period with its year stays
		if coming := comingPeriod(q.Time); coming != nil && coming.Resolve(now) == nil {
			q.Time = coming
		} else {
			return "", notUnderstoodf("%s is over, and a shift that is over was worked or not, never planned: ask for the hours worked then", SpanWords(q.Time.From, q.Time.To))
		}
	}
	entity := e.Model.Measures[q.Measure].Entity
	what := map[string]string{"shifts": "shifts", "absences": "absences", "employees": "what is planned, booked or set (shifts, absences, leaving dates)"}[entity]
	if q.Time.To != "" && q.Time.To < today && (entity == "shifts" || entity == "absences") {
		// "hours worked in December 2024", before the first shift the data
		// holds: not 0 hours, no data (it said 0)
		first, err := dataEdge(ctx, tx, "min", entity)
		if err != nil || first == "" || q.Time.To >= first {
			return "", err
		}
		t, _ := time.Parse(day, first)
		return "", notUnderstoodf("The data holds %s from %s on; %s is before that, so scry cannot say", what, t.Format("2 Jan 2006"), SpanWords(q.Time.From, q.Time.To))
	}
	if q.Time.To == "" || q.Time.To <= today {
		return "", nil
	}
	var tables []string
	switch entity {
	case "shifts":
		tables = []string{"shifts"}
	case "absences":
		tables = []string{"absences"}
	case "employees":
		// a headcount, hires or leavers to come are known from dates
		// already set, as far ahead as the data looks
		tables = []string{"shifts", "absences"}
	default:
		return "", nil
	}
	last := ""
	for _, t := range tables {
		l, err := dataEdge(ctx, tx, "max", t)
		if err != nil {
			return "", err
		}
		last = max(last, l)
	}
	if entity == "employees" {
		// leaving dates are set weeks ahead: a headcount "at the end of
		// this year" is known from them; one of next year is a forecast
		last = max(last, fmt.Sprintf("%d-12-31", now.Year()))
	}
	span := SpanWords(q.Time.From, q.Time.To)
	if last == "" {
		if q.Time.From > today {
			return "", notUnderstoodf("The data holds nothing after today; %s is to come, so scry cannot say", span)
		}
		return "", nil
	}
	t, _ := time.Parse(day, last)
	worked := e.Model.Measures[q.Measure].Status == "worked" && q.Time.From <= today // up to today, whatever the plan
	switch {
	case q.Time.From > last, entity == "employees" && q.Time.To > last:
		where := "is after that"
		if q.Time.From <= last {
			where = "runs past that"
		}
		return "", notUnderstoodf("The data holds %s up to %s; %s %s, so scry cannot say (it does not forecast)", what, t.Format("2 Jan 2006"), span, where)
	case q.Time.To > last && !worked:
		// "my planned hours in December", with shifts planned up to the
		// 11th: the rest of the month is not empty, only not planned yet
		return fmt.Sprintf("The data holds %s up to %s; the period's days after that have none yet.", what, t.Format("2 Jan 2006")), nil
	}
	return "", nil
}

// dataEdge is the first ("min") or last ("max") day the tenant's shifts
// or absences cover ("" when there are none): one seek on the table's
// date index.
func dataEdge(ctx context.Context, tx *store.Tx, agg, table string) (string, error) {
	col := map[string]string{"shifts": "date", "absences": map[string]string{"min": "start_date", "max": "end_date"}[agg]}[table]
	var d sql.NullString
	if err := tx.QueryRowContext(ctx, "select cast("+agg+"("+col+") as text) from "+table+" where tenant_id = $1", tx.TenantID).Scan(&d); err != nil {
		return "", store.Err(err, "the dates of "+table)
	}
	return d.String, nil
}

// comingPeriod is the next occurrence of a month or of days named without
// a year ("December", "from Dec 1 to Dec 11"), or nil.
func comingPeriod(tr *TimeRange) *TimeRange {
	from, err := time.Parse(day, tr.From)
	if err != nil {
		return nil
	}
	next := from.AddDate(1, 0, 0).Year()
	if m := reMonth.FindStringSubmatch(tr.Expr); m != nil && m[2] == "" {
		return &TimeRange{Expr: fmt.Sprintf("month %d-%02d", next, atoi(m[1]))}
	}
	if m := reBetwMD.FindStringSubmatch(tr.Expr); m != nil && tr.From[:4] == tr.To[:4] {
		return &TimeRange{Expr: fmt.Sprintf("between %d-%s-%s and %d-%s-%s", next, m[1], m[2], next, m[3], m[4])}
	}
	return nil
}

// maxSeries bounds a headcount series: one query per bucket.
const maxSeries = 400

// bucket is one whole day, week, month, quarter or year of a period.
type bucket struct {
	label string    // as store.Dialect.Grain labels it
	last  time.Time // its last day
}

// wholeBuckets are the buckets of grain g that lie wholly within the
// resolved period tr, up to today, at most max+1 of them: the week a
// period starts in the middle of, or this month so far, has fewer hours
// for that alone, and a week still to come has no 0 to tell.
func wholeBuckets(g string, tr *TimeRange, now time.Time, max int) []bucket {
	from, _ := time.Parse(day, tr.From)
	to, _ := time.Parse(day, tr.To)
	if today := now.Truncate(24 * time.Hour); to.After(today) {
		to = today
	}
	var out []bucket
	for t := startOf(g, from); !t.After(to) && len(out) <= max; t = add(g, t, 1) {
		last := add(g, t, 1).AddDate(0, 0, -1)
		if t.Before(from) || last.After(to) {
			continue
		}
		out = append(out, bucket{periodLabel(g, t), last})
	}
	return out
}

// periodLabel is the label of the bucket of grain g that holds t, as the
// database writes it (store.Dialect.Grain): "2026-11-16" (a week, by its
// Monday), "2026-11", "2026-Q4", "2026".
func periodLabel(g string, t time.Time) string {
	t = startOf(g, t)
	if g == "quarter" {
		return fmt.Sprintf("%d-Q%d", t.Year(), (int(t.Month())+2)/3)
	}
	return t.Format(map[string]string{"month": "2006-01", "year": "2006"}[g] + map[bool]string{true: day}[g != "month" && g != "year"])
}

// fillPeriods gives a number of people per period over the last N units
// ("number of people absent each week at Birch over the last 4 weeks") a
// row at 0 for each period with none, in order: CONVENTIONS reads "over
// the last N units" as one row per unit (a week with no one absent was
// left out). Sums and counts of facts keep the periods that have some, as
// the outside sets read them. It returns the rows and how many it added.
func fillPeriods(q *Query, m *semantic.Model, rows [][]any) ([][]any, int) {
	ms := m.Measures[q.Measure]
	if q.CountOf == nil || q.Time == nil || !lastN(q.Time.Expr) ||
		q.Kind != "groups" || len(q.Dimensions) != 1 || q.Time.From == "" || q.Time.To == "" || q.Time.apart != nil ||
		q.Order != "" || q.Limit > 0 || q.Having != nil || q.Share || q.ShareOf != nil || len(q.ShareWhere) > 0 || q.Rise != "" || q.Also != "" ||
		len(q.Aggs) > 0 || q.PerHead || q.PerPerson || q.PerPersonWeek || q.Distinct != "" || q.Without || q.Relation != "" ||
		(ms.Entity != "shifts" && ms.Entity != "absences") || (ms.Agg != "sum" && ms.Agg != "count") || ms.Derived != "" && ms.Derived != "labor_cost" ||
		*q.CountOf != (Condition{Op: ">"}) {
		return rows, 0
	}
	unit := m.Dimensions[q.Dimensions[0]].Time
	step := map[string][3]int{"day": {0, 0, 1}, "week": {0, 0, 7}, "month": {0, 1, 0}, "quarter": {0, 3, 0}, "year": {1, 0, 0}}[unit]
	from, err1 := time.Parse(day, q.Time.From)
	to, err2 := time.Parse(day, q.Time.To)
	if step == [3]int{} || err1 != nil || err2 != nil || to.Sub(from) > 3*366*24*time.Hour && unit == "day" {
		return rows, 0
	}
	have := map[string][]any{}
	for _, r := range rows {
		if len(r) != 2 {
			return rows, 0
		}
		have[fmt.Sprint(r[0])] = r
	}
	var out [][]any
	for t := startOf(unit, from); !t.After(to); t = t.AddDate(step[0], step[1], step[2]) {
		label := periodLabel(unit, t)
		if r, ok := have[label]; ok {
			out = append(out, r)
			delete(have, label)
		} else {
			out = append(out, []any{label, int64(0)})
		}
	}
	if len(have) > 0 { // a label the range does not hold: leave the rows as the database gave them
		return rows, 0
	}
	return out, len(out) - len(rows)
}

// lastN: a period of the last N units ("last 4 week").
func lastN(expr string) bool {
	f := strings.Fields(expr)
	if len(f) != 3 || f[0] != "last" {
		return false
	}
	_, err := strconv.Atoi(f[1])
	return err == nil
}

// rankedValue is a ranked row's value: its last column.
func rankedValue(r []any) float64 { return Number(r[len(r)-1]) }

// keepTies cuts rows in order of their value to the limit, keeping a tie
// at the cut: three departments with no sick days are all the fewest.
func keepTies(rows [][]any, limit, rowCap int) [][]any {
	n := limit
	if n <= 0 || n > rowCap {
		n = rowCap + 1
	}
	for n < len(rows) && n > 0 && n <= rowCap && rankedValue(rows[n]) == rankedValue(rows[n-1]) {
		n++
	}
	if n < len(rows) {
		rows = rows[:n]
	}
	return rows
}

// onPerson: the filter is on people (their department, dates, manager),
// not on their facts (a kind of absence, a shift's status or time).
func onPerson(f Filter) bool {
	if f.Field == "any" {
		for _, a := range f.Any {
			if !onPerson(a) {
				return false
			}
		}
		return len(f.Any) > 0
	}
	_, ok := attributes[f.Field]
	return ok
}

// reader is the tenant's parser, the version of its HR data, and for a
// scoped asker the names they may use (nil: everyone's).
func (e *Engine) reader(ctx context.Context, tx *store.Tx, scope Scope, now time.Time) (*Parser, int64, map[string]bool, error) {
	parser, version, err := e.parser(ctx, tx)
	if err != nil || scope.All {
		return parser, version, nil, err
	}
	visible, err := e.visibleNames(ctx, tx, scope, version, now)
	return parser, version, visible, err
}

// visibleKey is what a scoped asker's names depend on: the tenant's HR data
// (its version) and the scope.
type visibleKey struct {
	tenant, version int64
	scope           Scope
}

// maxVisibleNames bounds the names kept for all scopes together (about
// 100 bytes each): past it the cache starts over. A senior manager of a
// large tenant alone may see hundreds of thousands.
const maxVisibleNames = 1 << 20

// visibleNames is visibleNames, kept per tenant data version and scope like
// the parser: a manager of 1,666 people at 10,000 employees read their
// names again for every question, 5 of the 36 ms it took.
func (e *Engine) visibleNames(ctx context.Context, tx *store.Tx, scope Scope, version int64, now time.Time) (map[string]bool, error) {
	key := visibleKey{tx.TenantID, version, scope}
	e.mu.Lock()
	names, ok := e.visible[key]
	e.mu.Unlock()
	if ok {
		return names, nil
	}
	names, err := visibleNames(ctx, tx, scope, now)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	if e.visible == nil || e.names+len(names) > maxVisibleNames {
		e.visible, e.names = map[visibleKey]map[string]bool{}, 0
	}
	if _, dup := e.visible[key]; !dup && len(names) <= maxVisibleNames {
		e.visible[key] = names
		e.names += len(names)
	}
	e.mu.Unlock()
	return names, nil
}

// read turns the question into a structured query with the configured
// engine(s) and says which one answered.
func (e *Engine) read(ctx context.Context, p *Parser, question string, visible map[string]bool, prev *Query) (*Query, string, error) {
	mode := e.Mode
	if mode == "" {
		mode = ModeParser
	}
	if mode != ModeLLM {
		q, err := p.Refine(question, prev, visible)
		if err == nil || mode == ModeParser || !errcode.Is(err, errcode.NotUnderstood) {
			return q, ModeParser, err
		}
	}
	if e.LLM == nil {
		return nil, "", errcode.New(errcode.Invalid, "The %s engine needs --llm-url and --llm-model", mode)
	}
	q, err := e.LLM.Query(ctx, question, e.Model, p.values)
	if err == nil && visible != nil {
		// the model may name anyone: names outside the scope are refused
		// as the parser refuses them
		if name := hiddenName(q, visible); name != "" {
			return nil, ModeLLM, errUnseenName
		}
	}
	return q, ModeLLM, err
}

// visibleNames lists who a scoped asker may name: "field:value" keys, lower
// case, for names, first and last names and employee ids.
func visibleNames(ctx context.Context, tx *store.Tx, scope Scope, now time.Time) (map[string]bool, error) {
	b := &builder{d: tx.Dialect, scope: scope, now: now.Format(day)}
	cte := b.scopeCTE(tx.TenantID)
	query := cte + "select e.employee_id, e.first_name, e.last_name, e.department, e.position, e.location from employees e where e.tenant_id = " + b.arg(tx.TenantID) +
		" and " + strings.Join(b.scopeCond("e"), " and ")
	rows, err := tx.QueryContext(ctx, query, b.args...)
	if err != nil {
		return nil, store.Err(err, "read visible names")
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id, first, last string
		var dept, pos, loc sql.NullString
		if err := rows.Scan(&id, &first, &last, &dept, &pos, &loc); err != nil {
			return nil, store.Err(err, "scan visible names")
		}
		for k, v := range map[string]string{"employee_id": id, "first_name": first, "last_name": last, "name": first + " " + last,
			"department": dept.String, "position": pos.String, "location": loc.String} {
			out[k+":"+strings.ToLower(v)] = true
		}
	}
	return out, rows.Err()
}

// emptyGroup returns a department (or, of people rather than shifts, a
// position or location) a scoped asker's query filters on that no one they
// may see belongs to: the answer would be 0 or nothing, which reads as a
// fact about that group ("the hours of Oak High's teachers: 0") when it is
// only that the group is outside the asker's team. Of several values named
// ("Paris or Lyon"), it returns those no one visible holds, when some other
// is seen, as unseen.
func emptyGroup(q *Query, m *semantic.Model, visible map[string]bool) (empty string, unseen []string) {
	fields := map[string]bool{"department": true}
	if m.Measures[q.Measure].Entity != "shifts" {
		fields["position"], fields["location"] = true, true // a shift's own may differ
	}
	for _, f := range q.conditions() {
		if !fields[f.Field] || f.Negate || f.Op != "" || f.Ref != nil || len(f.Values) == 0 {
			continue
		}
		var hidden []string
		for _, v := range f.Values {
			if !visible[f.Field+":"+strings.ToLower(v)] {
				hidden = append(hidden, v)
			}
		}
		if len(hidden) == len(f.Values) {
			return strings.Join(f.Values, " or "), nil
		}
		unseen = append(unseen, hidden...)
	}
	return "", unseen
}

// hiddenName returns a name or id a query filters on that is not visible.
func hiddenName(q *Query, visible map[string]bool) string {
	var walk func(fs []Filter) string
	walk = func(fs []Filter) string {
		for _, f := range fs {
			switch f.Field {
			case "name", "first_name", "last_name", "employee_id":
				for _, v := range f.Values {
					if f.Op == "" && !visible[f.Field+":"+strings.ToLower(v)] {
						return v
					}
				}
			}
			if n := walk(f.Any); n != "" {
				return n
			}
			if f.Ref != nil {
				if n := walk(f.Ref.Filters); n != "" {
					return n
				}
			}
		}
		return ""
	}
	return walk(q.conditions())
}

// oneValue runs a query of one number (0 when it has none).
func (e *Engine) oneValue(ctx context.Context, tx *store.Tx, q *Query, who Asker, scope Scope, now time.Time) (float64, error) {
	c, err := prepare(q, e.Model, tx.Dialect, who, scope, now, 1, !e.FactsOnly)
	if err != nil {
		return 0, err
	}
	rows, err := runQuery(ctx, tx, c)
	if err != nil || len(rows) != 1 || len(rows[0]) != 1 {
		return 0, err
	}
	switch v := rows[0][0].(type) { // runQuery gives whole numbers as int64
	case float64:
		return v, nil
	case int64:
		return float64(v), nil
	}
	return 0, nil
}

// splitNamesakes answers one row per person when a name in a question
// about one number names several people ("how many hours did Lambert work
// last week" summed eight Lamberts' hours into one confident total).
func (e *Engine) splitNamesakes(ctx context.Context, tx *store.Tx, q *Query, who Asker, scope Scope, now time.Time) (string, error) {
	switch q.Measure {
	case "", "headcount", "hires", "leavers":
		return "", nil // "how many Lamberts": people counted, not summed
	}
	if q.Kind != "number" || q.Distinct != "" || q.CountOf != nil || q.ShareOf != nil || len(q.ShareWhere) > 0 {
		return "", nil
	}
	for _, f := range q.Filters {
		if f.Field != "name" && f.Field != "first_name" && f.Field != "last_name" || f.Op != "" || f.Negate || len(f.Values) != 1 {
			continue
		}
		if err := Validate(q, e.Model, who.User.Role, scope); err != nil {
			return "", err // nothing runs for a query that will be refused
		}
		// the people of that name with the measure's facts in the period
		// (someone who has left still worked then), or employed today
		count := &Query{Kind: "groups", Measure: q.Measure, Dimensions: []string{"employee"}, Filters: []Filter{f}, Time: q.Time}
		if e.Model.Measures[q.Measure].Entity == "employees" {
			count = &Query{Kind: "groups", Measure: "headcount", Dimensions: []string{"employee"}, Filters: []Filter{f}}
		}
		c, err := prepare(count, e.Model, tx.Dialect, who, scope, now, 1000, !e.FactsOnly)
		if err != nil {
			return "", err
		}
		rows, err := runQuery(ctx, tx, c)
		n := len(rows)
		if err != nil || n < 2 {
			return "", err
		}
		q.Kind, q.Dimensions = "groups", append(q.Dimensions, "employee")
		return fmt.Sprintf("%q names %d people you may see: one row each. Write the full name to ask about one.", f.Values[0], n), nil
	}
	return "", nil
}

// resolveHaving computes the total a kept person is compared with ("more
// hours than Lea David"): the same measure, period and conditions on the
// facts, for the people the reference names, in the asker's scope.
func (e *Engine) resolveHaving(ctx context.Context, tx *store.Tx, q *Query, who Asker, scope Scope, now time.Time) error {
	h := q.Having
	if h == nil || h.Ref == nil {
		return nil
	}
	if err := Validate(q, e.Model, who.User.Role, scope); err != nil {
		return err // nothing runs for a query that will be refused
	}
	// the one person named, employed today and visible to the asker
	if n, err := e.oneValue(ctx, tx, &Query{Kind: "number", Measure: "headcount", Filters: h.Ref.Filters}, who, scope, now); err != nil {
		return err
	} else if n != 1 {
		return errcode.New(errcode.NotUnderstood, "%q does not name exactly one person you may see; use their full name", h.Ref.Filters[0].Values[0])
	}
	ref := &Query{Kind: "number", Measure: q.Measure, Filters: append([]Filter{}, h.Ref.Filters...)}
	for _, f := range q.Filters {
		if _, onPerson := attributes[f.Field]; !onPerson && f.Field != "any" {
			ref.Filters = append(ref.Filters, f) // the kind of absence, the shift's status or time
		}
	}
	if q.Time != nil {
		ref.Time = &TimeRange{Expr: q.Time.Expr}
	}
	v, err := e.oneValue(ctx, tx, ref, who, scope, now)
	if err != nil {
		return err
	}
	h.Value, h.resolved = v, true
	return nil
}

// Prepare validates q for the asker and compiles it, resolving its time
// range against now. Both engines' queries go through here.
func Prepare(q *Query, m *semantic.Model, d store.Dialect, who Asker, scope Scope, now time.Time, rowCap int) (compiled, error) {
	return prepare(q, m, d, who, scope, now, rowCap, true)
}

func prepare(q *Query, m *semantic.Model, d store.Dialect, who Asker, scope Scope, now time.Time, rowCap int, rollups bool) (compiled, error) {
	if err := Validate(q, m, who.User.Role, scope); err != nil {
		return compiled{}, err
	}
	if q.Time != nil {
		if err := q.Time.Resolve(now); err != nil {
			return compiled{}, err
		}
		if err := weekdayOutside(q); err != nil {
			return compiled{}, err
		}
		// "how many hours do I work next week", "hours left this month":
		// no shift of a period still to come is worked yet, so hours worked
		// there would be a certain 0; what is asked is the plan
		today := now.Format(day)
		toCome := q.Time.From >= today && (q.Time.To > today || q.Time.To == "")
		if a := q.Time.apart; a != nil && (a[0][0] >= today && a[0][1] > today) != (a[1][0] >= today && a[1][1] > today) && q.Measure != "headcount" {
			// "hours worked next month vs the same month last year": the
			// month to come has planned hours only, the other worked ones
			return compiled{}, notUnderstoodf("one of the periods compared (%s) is still to come, where scry has only what is planned: ask about each period on its own (\"planned hours next month\")", SpanWords(a[1][0], a[1][1]))
		}
		if q.Measure == "turnover_rate" && q.Time.From > today {
			// who will leave is not known (it said 0)
			return compiled{}, notUnderstoodf("scry takes a turnover rate of a period that has begun: who will leave is not known yet")
		}
		if toCome && (q.Measure == "shift_length" || q.Measure == "break_length" || q.Measure == "labor_cost") && !slices.ContainsFunc(q.Filters, func(f Filter) bool { return f.Field == "status" }) {
			// "how long is my shift tomorrow", "how much will we spend on
			// staff next week": the shifts planned, where worked ones would
			// be none
			q.Filters = append(slices.Clone(q.Filters), Filter{Field: "status", Values: []string{"planned"}})
		}
		if q.Measure == "hours_worked" && toCome && !slices.ContainsFunc(q.Filters, func(f Filter) bool { return f.Field == "status" && f.Negate }) {
			q.Measure = "planned_hours"
			// "who worked the most hours next week": the verb's status goes
			// with it, or no planned shift would pass
			q.Filters = slices.DeleteFunc(slices.Clone(q.Filters), func(f Filter) bool {
				return f.Field == "status" && !f.Negate && len(f.Values) == 1 && f.Values[0] == "worked"
			})
		}
	}
	c, err := compile(q, m, d, who.TenantID, scope, now.Format(day), rowCap, rollups)
	if err != nil {
		return compiled{}, err
	}
	return c.withoutUnusedArgs(), nil
}

func jsonValue(v any, typ string) any {
	switch x := v.(type) {
	case nil:
		return nil
	case []byte:
		return jsonValue(string(x), typ)
	case time.Time:
		return x.Format(day)
	case float64:
		if typ == "exact" {
			return x // a value ranked by, never shown
		}
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return int64(x)
		}
		return math.Round(x*100) / 100
	case string:
		if typ == "number" || typ == "exact" {
			// PostgreSQL sends numeric as text
			if f, err := strconv.ParseFloat(x, 64); err == nil {
				return jsonValue(f, typ)
			}
		}
		return x
	}
	return v
}

// ChooseChart picks the chart that fits the answer (the Ask issue's rules),
// or the one the asker named when it suits the answer too; when it does
// not, the answer says why and keeps the one that fits (a trend drawn as a
// pie would read as parts of a whole).
func ChooseChart(q *Query, m *semantic.Model, ans *Answer) {
	c := fittingChart(q, m, ans.Rows)
	want := q.Chart
	switch {
	case want == "" || want == c.Type || len(ans.Rows) == 0:
	case want == ChartTable || slices.Contains(ChartKinds(q, m, ans.Columns, ans.Rows, c.Type), want):
		c.Type = want
	default:
		shown := "drawn as a " + string(c.Type) + " chart"
		if c.Type == ChartTable {
			shown = "shown as a table"
		}
		why := chartNeeds[want]
		switch {
		case len(ans.Rows) == 1:
			why = "this answer is one value"
		case want == ChartPie && (q.Limit > 0 || q.Offset > 0):
			why = "a top " + fmt.Sprint(q.Limit) + " is not the whole, and a pie would draw it as one"
		}
		ans.Notes = append(ans.Notes, fmt.Sprintf("You asked for a %s chart, but %s; the answer is %s.", want, why, shown))
	}
	ans.Chart = c
}

// chartNeeds says what answer each chart draws.
var chartNeeds = map[ChartKind]string{
	ChartPie:     "a pie shows the parts of one whole (one grouping, at most 8 groups, of a measure that adds up)",
	ChartLine:    "a line shows one measure over time (by day, week, month, quarter or year)",
	ChartBar:     "bars compare the groups of one grouping",
	ChartHeatmap: "a heatmap shows a measure by weekday and hour",
	ChartNumber:  "this answer is more than one number",
}

func fittingChart(q *Query, m *semantic.Model, rows [][]any) *Chart {
	title := chartTitle(q, m)
	timeDim, weekday, hour := false, false, false
	for _, d := range q.Dimensions {
		switch dm := m.Dimensions[d]; {
		case d == "trend", periodGrain(dm.Time):
			// two periods apart are bars: a line would draw a slope over
			// the time between them, which nothing measured
			timeDim = q.Time == nil || q.Time.apart == nil
		case dm.Time == "weekday":
			weekday = true
		case dm.Time == "hour", dm.Time == "clock":
			hour = true
		}
	}
	allZero := len(rows) > 0 && q.Kind == "groups"
	for _, r := range rows {
		allZero = allZero && Number(r[len(r)-1]) == 0
	}
	switch {
	case q.Kind == "people", q.Kind == "shifts", len(q.Aggs) > 1, allZero, q.Rise != "", q.Also != "":
		// several aggregates or measures side by side are a table, not one
		// of them drawn; bars of nothing draw nothing
		return &Chart{Type: ChartTable, Title: title}
	case q.Kind == "number":
		return &Chart{Type: ChartNumber, Title: title}
	case weekday && hour:
		return &Chart{Type: ChartHeatmap, Title: title}
	case timeDim && len(q.Dimensions) <= 2:
		return &Chart{Type: ChartLine, Title: title}
	case len(q.Dimensions) == 1 && q.Share && len(rows) <= 6 && m.Measures[q.Measure].Parts && q.Limit == 0:
		return &Chart{Type: ChartPie, Title: title}
	case len(q.Dimensions) == 1:
		return &Chart{Type: ChartBar, Title: title}
	}
	return &Chart{Type: ChartTable, Title: title}
}

// ChartKinds lists the chart types that suit an answer, its own first: a
// time series is also a bar chart; parts of a whole are also a pie, and a
// pie also bars.
func ChartKinds(q *Query, m *semantic.Model, cols []Column, rows [][]any, own ChartKind) []ChartKind {
	if len(rows) < 2 || q != nil && (q.Rise != "" || q.Also != "") {
		return nil // (a rise's two totals, or two measures, side by side are a table)
	}
	dims := 0
	if q != nil {
		dims = len(q.Dimensions)
	}
	value := false
	for i := dims; i < len(cols); i++ {
		value = value || cols[i].Type == "number"
	}
	// (the top N of groups are not a whole: a pie of them would read as one)
	parts := Additive(m, q) && len(rows) <= 8 && value && q.Limit == 0 && q.Offset == 0
	switch {
	case own == ChartLine && dims == 1:
		return []ChartKind{ChartLine, ChartBar}
	case own == ChartBar && dims == 1 && parts:
		return []ChartKind{ChartBar, ChartPie}
	case own == ChartPie && dims == 1:
		return []ChartKind{ChartPie, ChartBar}
	}
	return []ChartKind{own}
}

func chartTitle(q *Query, m *semantic.Model) string {
	t := "People"
	if q.Measure != "" {
		ms := m.Measures[q.Measure]
		t = ms.Title
		if q.Whole {
			t = strings.Replace(t, "(years)", "(completed years)", 1)
		}
		agg := ms.Agg
		if len(q.Aggs) > 0 {
			agg = q.Aggs[0]
		}
		word := map[string]string{"avg": "Average", "min": "Minimum", "max": "Maximum", "median": "Median"}[agg]
		if agg == "sum" && ms.Agg != "sum" {
			word = "Total"
		}
		if len(q.Aggs) > 1 {
			var ws []string
			for _, a := range q.Aggs {
				ws = append(ws, map[string]string{"avg": "average", "min": "minimum", "max": "maximum", "sum": "total", "median": "median"}[a])
			}
			word = strings.ToUpper(ws[0][:1]) + strings.Join(ws, " and ")[1:]
		}
		if q.Self && ms.Entity == "employees" && len(q.Aggs) == 0 {
			word = "" // the asker's own wage or tenure is no average
		}
		if word != "" && ms.Agg == "avg" && agg != "avg" {
			// the longest absence, not the "maximum average" duration
			t = strings.TrimPrefix(t, "Average ")
		}
		if word != "" && !strings.HasPrefix(t, word) {
			t = word + " " + strings.ToLower(t[:1]) + t[1:]
		}
		if q.Distinct != "" {
			t = "Different " + strings.ReplaceAll(q.Distinct, "_", " ") + "s"
		}
		if q.CountOf != nil {
			t = "People with " + strings.ToLower(t)
			if *q.CountOf != (Condition{Op: ">", Value: 0}) {
				t += " " + q.CountOf.Op + " " + trimFloat(q.CountOf.Value)
			}
		}
	}
	if q.Also != "" {
		// "Average hourly wage and employees by location"
		also := chartTitle(&Query{Kind: q.Kind, Measure: q.Also}, m)
		t += " and " + strings.ToLower(also[:1]) + also[1:]
	}
	if q.Without {
		t = "People with no " + strings.ToLower(t)
		for _, f := range q.Filters {
			if f.Field == "absence_type" && !f.Negate {
				t = "People with no " + strings.ReplaceAll(strings.Join(f.Values, " or "), "_", " ") // "People with no sick leave"
			}
		}
	}
	if q.PerPersonWeek {
		t = "Average weekly " + strings.ToLower(t) + " per person"
	}
	if q.PerHead || q.PerPerson {
		t += map[bool]string{true: " per person", false: " per head"}[q.PerPerson]
	}
	if q.ShareOf != nil {
		t = "Share of people with " + strings.ToLower(t) + " " + q.ShareOf.Op + " " + trimFloat(q.ShareOf.Value)
	}
	if len(q.RatioTo) > 0 && len(q.ShareWhere) > 0 {
		// "Ratio of employees, part-time to full-time"
		t = "Ratio of " + strings.ToLower(t) + ", " + strings.ReplaceAll(strings.Join(q.ShareWhere[0].Values, " or ")+" to "+strings.Join(q.RatioTo[0].Values, " or "), "_", "-")
	} else if len(q.ShareWhere) > 0 {
		if f := q.ShareWhere[0]; f.Field == "weekday" {
			t = "Share of " + strings.ToLower(t) + " " + f.Describe() // "on Sunday or Saturday"
		} else if f.Op != "" || f.Ref != nil {
			t = "Share of " + strings.ToLower(t) + ", " + f.Describe() // "starts before 07:00"
		} else {
			var parts []string
			for _, f := range q.ShareWhere {
				if f.Op == "" && f.Ref == nil && f.Field != "weekday" {
					parts = append(parts, strings.ReplaceAll(strings.Join(f.Values, " or "), "_", "-"))
				}
			}
			t = "Share of " + strings.ToLower(t) + " that are " + strings.Join(parts, " and ")
		}
	}
	if q.Kind == "people" {
		switch {
		case q.Offset > 0 && q.Measure != "":
			t = fmt.Sprintf("Number %d by %s", q.Offset+1, strings.ToLower(t)) // "the second highest"
			if q.Order == "asc" {
				t += ", from the lowest"
			}
		case q.Limit > 0 && q.Measure != "":
			t = fmt.Sprintf("Top %d by %s", q.Limit, strings.ToLower(t))
			if q.Order == "asc" {
				t = fmt.Sprintf("Bottom %d by %s", q.Limit, strings.ToLower(t[len("Top ")+len(fmt.Sprint(q.Limit))+4:]))
			}
		case q.Relation == "department_managers":
			t = "Department managers"
		case q.Relation == "managers":
			t = "Managers"
		case q.Without:
		default:
			t = "People"
		}
		t += filterWords(q)
	}
	for i, d := range q.Dimensions {
		name := strings.ReplaceAll(d, "_", " ")
		if d == "trend" {
			name = "period"
		}
		switch {
		case i > 0:
			t += " and " + name
		case m.Dimensions[d].Time != "" && m.Dimensions[d].Time != "weekday" && m.Dimensions[d].Time != "hour" && m.Dimensions[d].Time != "clock":
			t += " per " + name
		default:
			t += " by " + name
		}
	}
	if q.Kind != "people" {
		// "Hours worked by department, on Friday, not District Office": a
		// total or a breakdown says whom and what it counted, as a list does
		t += filterWords(q)
	}
	if q.Time != nil {
		t += ", " + humanRange(q.Time)
	}
	if q.Rise != "" && q.Time != nil && q.Time.From != "" {
		// "which teachers worked more hours in October than in September":
		// whose first total is the larger (the columns are in that order)
		t += map[string]string{">": ", more in the first column than in the second", "<": ", less in the first column than in the second"}[q.Rise]
	}
	return t
}

// filterWords are a title's conditions, each after a comma.
func filterWords(q *Query) string {
	var t string
	for _, f := range q.Filters {
		if f.Field == "status" || q.Without && f.Field == "absence_type" && !f.Negate {
			continue // worked or planned shifts: the measure's own condition, said in "How I read this"; the kind of absence people have none of, said first
		}
		if f.Op == "" && f.Ref == nil && f.Field != "any" && f.Field != "weekday" && f.Field != "manager_id" {
			join := map[bool]string{true: " ", false: "-"}[f.Field == "absence_type"] // "sick leave", "part-time"
			t += ", " + map[bool]string{true: "not "}[f.Negate] + strings.ReplaceAll(strings.Join(f.Values, " or "), "_", join)
		} else {
			t += ", " + f.Describe()
		}
	}
	return t
}

// humanRange says a time expression for a title: "last 3 months",
// "October 2026", "2025", "this year".
func humanRange(tr *TimeRange) string {
	e := tr.Expr
	from, err := time.Parse(day, tr.From)
	to, err2 := time.Parse(day, tr.To)
	switch {
	case reVs.MatchString(e) && err == nil && err2 == nil && (tr.apart != nil || !strings.Contains(e, "last") && !strings.Contains(e, "this")):
		// "October vs September", "October 2026 vs the same month last
		// year": the two periods by their names, in order
		if sides := strings.SplitN(e, " vs ", 2); tr.apart != nil && (strings.HasPrefix(sides[1], "a year back from ") || strings.HasPrefix(sides[0], "a year back from ")) {
			// "ytd vs the same period last year": both are dates, not
			// whole units
			return SpanWords(tr.apart[0][0], tr.apart[0][1]) + " and " + SpanWords(tr.apart[1][0], tr.apart[1][1])
		}
		unit, second := versusUnit(e), to.Format(day)
		if tr.apart != nil {
			second = tr.apart[1][0]
		}
		w, _ := time.Parse(day, second)
		switch unit {
		case "week":
			return "the weeks of " + from.Format("2 Jan 2006") + " and " + startOf("week", w).Format("2 Jan 2006")
		case "day":
			return from.Format("2 Jan 2006") + " and " + w.Format("2 Jan 2006")
		}
		return humanRange(&TimeRange{Expr: unit + " ", From: tr.From}) + " and " + humanRange(&TimeRange{Expr: unit + " ", From: second})
	case reBetwMD.MatchString(e) && err == nil && err2 == nil:
		return SpanWords(tr.From, tr.To) // "over Christmas": 24 – 26 Dec 2026
	case strings.HasPrefix(e, "ago ") && err == nil:
		return from.Format("2 Jan 2006") // "a year ago": that day
	case strings.HasPrefix(e, "month ") && err == nil:
		return from.Format("January 2006")
	case strings.HasPrefix(e, "year ") && err == nil:
		return from.Format("2006")
	case strings.HasPrefix(e, "quarter ") && err == nil:
		return fmt.Sprintf("Q%d %d", (int(from.Month())+2)/3, from.Year())
	case strings.HasPrefix(e, "half ") && err == nil:
		return fmt.Sprintf("H%d %d", (int(from.Month())+5)/6, from.Year())
	case reRelN.MatchString(e) || reNextN.MatchString(e):
		return e + "s"
	case (reRel.MatchString(e) || reWeekday.MatchString(e) || !strings.Contains(e, " ")) && !strings.HasSuffix(e, "school year"):
		return e // (a school year is said with its dates: where it starts is a convention)
	}
	return tr.Describe()
}

func trimFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// runQuery executes compiled SQL and converts the rows for JSON.
func runQuery(ctx context.Context, tx *store.Tx, c compiled) ([][]any, error) {
	out := [][]any{}
	if c.Setup != "" {
		if _, err := tx.ExecContext(ctx, c.Setup); err != nil {
			return nil, store.Err(err, "prepare question")
		}
	}
	rows, err := tx.QueryContext(ctx, c.SQL, c.Args...)
	if err != nil {
		return nil, store.Err(err, "run question")
	}
	defer rows.Close()
	n := len(c.Columns)
	for rows.Next() {
		vals := make([]any, n)
		ptrs := make([]any, n)
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, store.Err(err, "scan answer")
		}
		for i, v := range vals {
			vals[i] = jsonValue(v, c.Columns[i].Type)
		}
		out = append(out, vals)
	}
	if err := rows.Err(); err != nil {
		return nil, store.Err(err, "read answer") // a deadline becomes a timeout there
	}
	return out, nil
}

// weekdayOutside refuses a day of the week that the question's period
// does not hold: "cashiers working tomorrow and friday" read as the
// Fridays of tomorrow is a certain nothing, where two days were meant.
func weekdayOutside(q *Query) error {
	from, err1 := time.Parse(day, q.Time.From)
	to, err2 := time.Parse(day, q.Time.To)
	if err1 != nil || err2 != nil || to.Sub(from) >= 6*24*time.Hour {
		return nil // open or a week or longer: every day of the week is in it
	}
	for _, f := range q.Filters {
		if f.Field != "weekday" || f.Negate {
			continue
		}
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			if slices.Contains(f.Values, strconv.Itoa(int(d.Weekday()))) {
				return nil
			}
		}
		var names []string
		for _, v := range f.Values {
			if n, err := strconv.Atoi(v); err == nil && n >= 0 && n <= 6 {
				names = append(names, time.Weekday(n).String())
			}
		}
		return errcode.New(errcode.NotUnderstood, "%s holds no %s: scry answers one period per question, so ask about each day alone (\"… tomorrow\", \"… on Friday\")", q.Time.Describe(), strings.Join(names, " or "))
	}
	return nil
}

// perHeadNote says what a per-head or per-person answer divides by.
func perHeadNote(q *Query, m *semantic.Model, now string) string {
	label := measureWords(m, q.Measure)
	if q.PerPerson {
		return "Per person: each total is divided by the number of its people with any " + label + " in the period, not by everyone employed."
	}
	note := "Per head: each total is divided by the number of its people employed on " + headDay(q, now) + "."
	for _, d := range q.Dimensions {
		if m.Dimensions[d].ShiftsColumn != "" && m.Measures[q.Measure].Entity == "shifts" {
			note += " The " + label + " are those of the people whose own " + d + " it is, wherever the shift was."
			break
		}
	}
	return note
}

// missingValues are the values of a field named as alternatives and grouped
// by ("Paris or Lyon", "cashiers vs accountants") that have no row, less
// those already said to be outside the asker's scope.
func missingValues(q *Query, cols []Column, rows [][]any, said []string) []string {
	if q.Limit > 0 || q.Having != nil || q.Rise != "" {
		return nil // a value may be left out by the rank or the threshold asked for
	}
	var gone []string
	for _, f := range q.Filters {
		j := slices.IndexFunc(cols, func(c Column) bool { return c.Name == f.Field })
		if j < 0 || f.Op != "" || f.Negate || len(f.Values) < 2 || !grouped(q.Dimensions, f.Field) {
			continue
		}
		for _, v := range f.Values {
			if slices.ContainsFunc(said, func(s string) bool { return strings.EqualFold(s, v) }) {
				continue
			}
			if !slices.ContainsFunc(rows, func(r []any) bool { return j < len(r) && strings.EqualFold(fmt.Sprint(r[j]), v) }) {
				gone = append(gone, v)
			}
		}
	}
	return gone
}
