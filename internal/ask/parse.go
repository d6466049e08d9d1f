package ask

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/semantic"
)

// Vocabulary is what a tenant's data taught at import: field → values.
type Vocabulary map[string][]string

type meaning struct {
	kind  string // measure, dim, enum, value
	name  string // measure or dimension name, or field of an enum/value
	value string // canonical enum or value
}

// Parser is the deterministic engine: no model, no network. It is built
// from the semantic model and one tenant's vocabulary.
type Parser struct {
	model   *semantic.Model
	phrases map[string][]meaning
	maxLen  int
	known   map[string]bool
	values  Vocabulary
}

// sample lists a few of the tenant's values of field, for hints.
func (p *Parser) sample(field string) string {
	vs := append([]string(nil), p.values[field]...)
	sort.Strings(vs)
	if len(vs) > 8 {
		vs = append(vs[:8], "…")
	}
	if len(vs) == 0 {
		return "(none yet)"
	}
	return strings.Join(vs, ", ")
}

// fillerWords are understood but carry no meaning of their own; they count
// as known for typo correction.
var fillerWords = strings.Fields(`a an the of in on at for to from by per each every across and or vs versus with
	what which who whom whose how many much is are was were be been being do doe did done have ha had give show me tell
	list display find get let us we our i my mine you your they their them there it that those these this all any some
	total sum average mean number count amount avg please can could would will should want need see know over during
	since between until till through within last past previous next current today yesterday tomorrow week month
	quarter year day than more most less least fewer fewest top highest lowest largest smallest biggest compare
	breakdown split share percentage percent proportion ratio parity distribution trend changed change evolution
	over time upcoming working work worked left hired company not never without no only also overall grouped broken down
	everyone everybody anyone somebody someone each employee staff people person team member report direct
	manager department schedule schedules scheduled plan planned currently right now so far date dates`)

// NewParser builds the lexicon of model synonyms, enum words and the
// tenant's values.
func NewParser(m *semantic.Model, v Vocabulary) *Parser {
	p := &Parser{model: m, phrases: map[string][]meaning{}, known: map[string]bool{}, values: v}
	addPhrase := func(text string, mn meaning) {
		k := normPhrase(text)
		if k == "" {
			return
		}
		for _, e := range p.phrases[k] {
			if e == mn {
				return
			}
		}
		p.phrases[k] = append(p.phrases[k], mn)
		n := strings.Count(k, " ") + 1
		if n > p.maxLen {
			p.maxLen = n
		}
		for _, w := range strings.Fields(k) {
			p.known[w] = true
		}
	}
	for name, ms := range m.Measures {
		for _, s := range ms.Synonyms {
			addPhrase(s, meaning{kind: "measure", name: name})
		}
	}
	for name, d := range m.Dimensions {
		for _, s := range d.Synonyms {
			addPhrase(s, meaning{kind: "dim", name: name})
		}
	}
	for field, values := range m.Enums {
		for value, words := range values {
			addPhrase(value, meaning{kind: "enum", name: field, value: value})
			for _, w := range words {
				addPhrase(w, meaning{kind: "enum", name: field, value: value})
			}
		}
	}
	for _, field := range []string{"department", "position", "location", "name"} {
		for _, val := range v[field] {
			addPhrase(val, meaning{kind: "value", name: field, value: val})
		}
	}
	// Values seen only on shifts (a position or place nobody holds today).
	for field, src := range map[string]string{"position": "shift_position", "location": "shift_location"} {
		for _, val := range v[src] {
			if len(p.phrases[normPhrase(val)]) == 0 {
				addPhrase(val, meaning{kind: "value", name: field, value: val})
			}
		}
	}
	for _, w := range fillerWords {
		p.known[singular(w)] = true
	}
	for _, mn := range monthNames {
		p.known[mn] = true
	}
	return p
}

// correct replaces unknown words by the one known word within one edit.
func (p *Parser) correct(toks []string) []string {
	for i, t := range toks {
		if len(t) < 5 || p.known[t] || t[0] >= '0' && t[0] <= '9' {
			continue
		}
		match := ""
		for k := range p.known {
			if len(k) >= 4 && within1(t, k) {
				if match != "" && match != k {
					match = "" // ambiguous: leave it alone
					break
				}
				match = k
			}
		}
		if match != "" {
			toks[i] = match
		}
	}
	return toks
}

// timeRule turns a matched phrase into a canonical expression.
type timeRule struct {
	re   *regexp.Regexp
	expr func(m []string) string
}

const unitRE = `(day|week|month|quarter|year)`
const monthRE = `(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)`

func rx(s string) *regexp.Regexp { return regexp.MustCompile(` ` + s + ` `) }

var timeRules = []timeRule{
	{rx(`(?:from|between) (\d{4}-\d{2}-\d{2}) (?:and|to|until|till) (\d{4}-\d{2}-\d{2})`), func(m []string) string { return "between " + m[1] + " and " + m[2] }},
	{rx(`(?:from|between) ` + monthRE + ` (\d{1,2}) (?:and|to|until|till) ` + monthRE + ` (\d{1,2})`), func(m []string) string {
		return fmt.Sprintf("between %02d-%02d and %02d-%02d", monthIndex(m[1]), atoi(m[2]), monthIndex(m[3]), atoi(m[4]))
	}},
	{rx(`since (\d{4}-\d{2}-\d{2})`), func(m []string) string { return "since " + m[1] }},
	{rx(`since ` + monthRE + ` (\d{1,2})`), func(m []string) string { return fmt.Sprintf("since %02d-%02d", monthIndex(m[1]), atoi(m[2])) }},
	{rx(`since ` + monthRE), func(m []string) string { return fmt.Sprintf("since %02d-01", monthIndex(m[1])) }},
	{rx(`(?:on )?(\d{4}-\d{2}-\d{2})`), func(m []string) string { return "on " + m[1] }},
	{rx(`(?:(?:in|during|for|over|within|of) )?(?:the )?(?:last|past|previous|prior|preceding) (\d+) ` + unitRE), func(m []string) string { return "last " + m[1] + " " + m[2] }},
	{rx(`(?:(?:in|during|for|over|within) )?(?:the )?next (\d+) ` + unitRE), func(m []string) string { return "next " + m[1] + " " + m[2] }},
	{rx(`(?:(?:in|during|for|over|of) )?(?:the )?(this|last|previous|past|next|current|coming) ` + unitRE), func(m []string) string {
		w := map[string]string{"previous": "last", "past": "last", "current": "this", "coming": "next"}[m[1]]
		if w == "" {
			w = m[1]
		}
		return w + " " + m[2]
	}},
	{rx(`(?:so far this year|year to date|ytd)`), func([]string) string { return "this year" }},
	{rx(`(?:in |during |for |of )?` + monthRE + ` (\d{4})`), func(m []string) string { return fmt.Sprintf("month %s-%02d", m[2], monthIndex(m[1])) }},
	{rx(`(?:in |during |for )?q([1-4]) (\d{4})`), func(m []string) string { return "quarter " + m[1] + " " + m[2] }},
	{rx(`(?:in |during |for )?(?:the )?q([1-4])`), func(m []string) string { return "quarter " + m[1] }},
	{rx(`(?:in|during|for|of) ` + monthRE), func(m []string) string { return fmt.Sprintf("month %d", monthIndex(m[1])) }},
	{rx(`(?:in|during|for|of) (\d{4})`), func(m []string) string { return "year " + m[1] }},
	{rx(`(?:right now|currently|today|tonight)`), func([]string) string { return "today" }},
	{rx(`yesterday`), func([]string) string { return "yesterday" }},
	{rx(`tomorrow`), func([]string) string { return "tomorrow" }},
	{rx(`(?:upcoming|coming up|in the future|future|from now on|ahead|planned ahead)`), func([]string) string { return "upcoming" }},
}

func firstNonEmptyStr(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

var (
	reHaving       = rx(`(?:more than|greater than|higher than|over|above|in excess of|at least|no less than|minimum of|less than|fewer than|lower than|under|below|at most|no more than|maximum of|exactly) (\d+(?:\.\d+)?)(?: (hour|day|shift|absence|time|year|employee|people|person|staff|worker))?`)
	reAge          = regexp.MustCompile(` (?:(older|younger) than (\d+)|(?:aged|age) (over|above|under|below) (\d+)|(over|above|under|below) (\d+) years? old)(?: years?(?: old)?)?`)
	reTop          = rx(`(top|best|first|bottom|worst|lowest|highest) (\d+)`)
	rePeople       = regexp.MustCompile(`^ (?:who|whom|list|name|names|which (?:of )?(?:my |our |the )?(?:employee|staff|people|person|worker|team member|report|teacher|manager)|show me (?:all|every|everyone|everybody|the list)|show (?:all|every|everyone)|display (?:all|every|everyone)|give me (?:all|every|everyone|a list|the list|the name)|find (?:all|every|the)|get (?:all|every)|(?:top|bottom) \d+ (?:employee|staff|people|person|worker))\b`)
	reWhoAny       = regexp.MustCompile(` (who|whom|which employee|which people|which staff|which person|which worker|which of|everyone|everybody|list of|names of|name of)\b`)
	reCount        = regexp.MustCompile(` (how many|number of|count of|count|headcount|head count|total number|amount of|how much|tally)\b`)
	reAverage      = regexp.MustCompile(` (average|mean|avg|typical)\b`)
	reShare        = regexp.MustCompile(` (share|percentage|percent|proportion|ratio|parity|fraction|distribution|split|breakdown|break down|makeup|composition)\b`)
	reTrend        = regexp.MustCompile(` (changed|change|trend|trending|evolution|evolved|developed|development|over time|progression)\b`)
	reMost         = regexp.MustCompile(` (the most|most|highest|largest|biggest|maximum|max|greatest|longest)\b`)
	reLeast        = regexp.MustCompile(` (the least|least|lowest|smallest|fewest|minimum|min|shortest)\b`)
	reWeekly       = regexp.MustCompile(` (weekly|per week|a week|each week|every week)\b`)
	reSelf         = regexp.MustCompile(` (i|myself|my own|mine)\b| my (hour|hourly|shift|absence|sick|vacation|holiday|leave|day|wage|pay|salary|time|attendance|overtime|age|contract|position|department)\b|(?:^| )(?:for|about|of|did|do|have) me\b`)
	reDeptMgr      = regexp.MustCompile(` department (manager|head|lead|boss)\b`)
	reMgrOf        = regexp.MustCompile(`^ (?:who|which|list|show me|give me|display|find)?.{0,20}\b(manager|supervisor|boss)\b.{0,10}\b(who|whose|with|that|of)\b`)
	reNegate       = regexp.MustCompile(` (never|without|not|no|none|nobody|zero)\b`)
	reWithout      = regexp.MustCompile(` (never|without|(?:did|do|does|has|have|had|were|was) not|had no|have no|has no|with no|no)\b`)
	reVersus       = regexp.MustCompile(` (vs|versus|compared to|compared with|against|or)\b`)
	reWorking      = regexp.MustCompile(` (working|work|worked|on shift|on duty|scheduled|rostered|in)\b`)
	reAbsentOn     = regexp.MustCompile(` (on|off|absent|away|out)\b`)
	reUnmodelled   = regexp.MustCompile(` (overtime|payroll|labou?r cost|costs?|revenue|profit|productivity|performance|ratings?|bonus|bonuses|promotions?|salary cost|engagement|satisfaction)\b`)
	reWhichDim     = regexp.MustCompile(`^ (?:which|what) (?:department|dept|school|location|city|site|store|position|role|job|contract type|gender)\b`)
	reManagersList = regexp.MustCompile(`\b(?:manager|supervisor|boss|team lead)\b`)
	reGrainAdj     = regexp.MustCompile(` (daily|weekly|monthly|quarterly|yearly|annual) `)
	reOffDomain    = regexp.MustCompile(` (weather|forecast|temperature|rain|snow|stock|stocks|share price|bitcoin|crypto|recipe|joke|poem|story|song|movie|film|capital|president|translate|football|soccer|news|horoscope|lottery)\b`)
)

// Parse reads a question into a structured query, or answers
// not_understood with a hint. It never guesses: a question with no measure
// or list of people in it is not understood.
func (p *Parser) Parse(question string) (*Query, error) {
	toks := p.correct(normalize(question))
	if len(toks) == 0 {
		return nil, notUnderstood("")
	}
	s := " " + strings.Join(toks, " ") + " "
	if reOffDomain.MatchString(s) {
		return nil, notUnderstood("scry answers questions about employees, shifts and absences.")
	}
	q := &Query{}
	orig := s
	// 1. time
	for _, r := range timeRules {
		if m := r.re.FindStringSubmatch(s); m != nil {
			q.Time = &TimeRange{Expr: r.expr(m)}
			s = strings.Replace(s, m[0], " ", 1)
			break
		}
	}
	lastN := q.Time != nil && reRelN.MatchString(q.Time.Expr) && !strings.HasPrefix(q.Time.Expr, "last 1 ")
	// 2b. age limits: "older than 50", "under 30 years old", "aged over 40"
	if m := reAge.FindStringSubmatch(s); m != nil {
		op := ">"
		if m[1] == "younger" || m[3] == "under" || m[3] == "below" || m[5] == "under" || m[5] == "below" {
			op = "<"
		}
		n := firstNonEmptyStr(m[2], m[4], m[6])
		q.Filters = append(q.Filters, Filter{Field: "age", Op: op, Values: []string{n}})
		s = strings.Replace(s, m[0], " ", 1)
	}
	// 2. having: "more than 30 hours"
	havingUnit := ""
	if m := reHaving.FindStringSubmatch(s); m != nil {
		v, _ := strconv.ParseFloat(m[1], 64)
		op := ">"
		switch {
		case strings.HasPrefix(m[0], " at least"), strings.HasPrefix(m[0], " no less"), strings.HasPrefix(m[0], " minimum"):
			op = ">="
		case strings.HasPrefix(m[0], " less"), strings.HasPrefix(m[0], " fewer"), strings.HasPrefix(m[0], " lower"), strings.HasPrefix(m[0], " under"), strings.HasPrefix(m[0], " below"):
			op = "<"
		case strings.HasPrefix(m[0], " at most"), strings.HasPrefix(m[0], " no more"), strings.HasPrefix(m[0], " maximum"):
			op = "<="
		case strings.HasPrefix(m[0], " exactly"):
			op = "="
		}
		q.Having = &Condition{Op: op, Value: v}
		havingUnit = m[2]
		s = strings.Replace(s, m[0], " "+m[2]+" ", 1)
	}
	// 3. top N
	if m := reTop.FindStringSubmatch(s); m != nil {
		q.Limit = atoi(m[2])
		q.Order = "desc"
		if m[1] == "bottom" || m[1] == "worst" || m[1] == "lowest" {
			q.Order = "asc"
		}
		s = strings.Replace(s, m[0], " "+m[1]+" ", 1)
	}
	// 4. words of the model and of the tenant, longest phrase first
	items := p.link(strings.Fields(s))
	// "in Lyon" when this tenant has no Lyon: say so rather than answer
	// for everywhere.
	for i, it := range items {
		if i > 0 && len(it.meanings) == 0 && !p.known[it.text] && it.text[0] > '9' &&
			(items[i-1].text == "in" || items[i-1].text == "at" || items[i-1].text == "from") {
			return nil, errcode.New(errcode.NotUnderstood, "%q is not a department, position, location or person of this tenant; its locations are %s and its departments %s",
				it.text, p.sample("location"), p.sample("department"))
		}
	}

	if m := reUnmodelled.FindStringSubmatch(orig); m != nil {
		return nil, errcode.New(errcode.NotUnderstood, "scry's workforce data has no %s; it knows hours worked and planned, shifts, absences, headcount, hires and leavers, wages, ages and tenure", m[1])
	}
	people := rePeople.MatchString(orig) || reWhoAny.MatchString(s)
	counting := reCount.MatchString(s)
	average := reAverage.MatchString(s)
	share := reShare.MatchString(s)
	trend := reTrend.MatchString(s)
	most, least := reMost.MatchString(s), reLeast.MatchString(s)
	self := reSelf.MatchString(orig)
	q.Self = self

	var measures []string
	var dims []string
	filterVals := map[string][]string{}
	var filterOrder []string
	addFilter := func(field, value string) {
		for _, v := range filterVals[field] {
			if v == value {
				return
			}
		}
		if filterVals[field] == nil {
			filterOrder = append(filterOrder, field)
		}
		filterVals[field] = append(filterVals[field], value)
	}
	hasMeasureWord := func(name string) bool {
		for _, m := range measures {
			if m == name {
				return true
			}
		}
		return false
	}
	for i, it := range items {
		prev := ""
		if i > 0 {
			prev = items[i-1].text
		}
		grouping := prev == "by" || prev == "per" || prev == "each" || prev == "every" || prev == "across" ||
			prev == "between" || prev == "among" ||
			((prev == "and" || prev == "then") && len(dims) > 0 && i > 1 && items[i-2].isDim())
		var dim, measure string
		var enumOrValue []meaning
		for _, mn := range it.meanings {
			switch mn.kind {
			case "dim":
				dim = mn.name
			case "measure":
				measure = mn.name
			case "enum", "value":
				enumOrValue = append(enumOrValue, mn)
			}
		}
		switch {
		case len(enumOrValue) > 0 && !(grouping && dim != ""):
			mn := enumOrValue[0]
			addFilter(mn.name, mn.value)
			if grouping && (prev == "each" || prev == "every" || prev == "per") && mn.name == "position" {
				dims = append(dims, "employee") // "each teacher": one row per teacher
			}
			if mn.name == "absence_type" && strings.HasSuffix(it.text, " day") {
				measures = append(measures, "absence_days") // "sick days" counts days
			}
			if mn.name == "absence_type" && strings.HasSuffix(it.text, " leave") && counting && strings.Contains(question, "leaves") {
				measures = append(measures, "absence_cases") // "sick leaves" counts cases
			}
		case grouping && dim != "":
			dims = append(dims, dim)
		case measure != "":
			measures = append(measures, measure)
		}
	}
	// Words of the question that decide the measure.
	isPeopleWord := func(m string) bool { return m == "headcount" }
	var measure string
	for _, m := range measures {
		if !isPeopleWord(m) {
			if measure == "" || better(m, measure) {
				measure = m
			}
		}
	}
	hasAbsence := filterVals["absence_type"] != nil || strings.Contains(s, " absence") || strings.Contains(s, " off ")
	if measure == "absence_days" && !hasAbsence {
		measure = "" // "days" with no absence in sight is a time grain, not a measure
		for _, m := range measures {
			if m != "absence_days" && !isPeopleWord(m) {
				measure = m
			}
		}
	}
	if measure == "" && hasAbsence && (counting || average) {
		measure = "absence_cases"
		if strings.Contains(s, " day ") {
			measure = "absence_days"
		}
	}
	if (average || strings.Contains(s, " how long ")) && hasAbsence && (measure == "absence_cases" || measure == "absence_days" || measure == "absence_duration" || measure == "") && (strings.Contains(s, " duration ") || strings.Contains(s, " length ") || strings.Contains(s, " how long ") || strings.Contains(s, " long ")) {
		measure = "absence_duration"
	}
	if measure == "hours_worked" && (filterVals["status"] != nil && filterVals["status"][0] == "planned") {
		measure, filterVals["status"] = "planned_hours", nil
	}
	if measure == "shifts" && filterVals["status"] != nil && filterVals["status"][0] == "worked" {
		measure, filterVals["status"] = "attendance", nil
	}
	if q.Having != nil {
		switch havingUnit {
		case "hour":
			if measure == "" || measure == "headcount" {
				measure = "hours_worked"
			}
		case "day":
			if hasAbsence {
				measure = "absence_days"
			}
		case "shift":
			measure = "attendance"
		case "absence":
			measure = "absence_cases"
		case "employee", "people", "person", "staff", "worker":
			measure = "headcount"
		}
	}
	whichDim := reWhichDim.MatchString(orig) && (most || least)
	if measure == "" && hasMeasureWord("headcount") && (counting || share || len(dims) > 0 || whichDim) {
		measure = "headcount"
	}
	if measure == "" && counting && len(filterVals) > 0 && !people {
		measure = "headcount" // "how many apprentices in Paris"
	}
	if measure == "" && share && len(dims) == 0 && filterVals["gender"] == nil && strings.Contains(orig, " gender ") {
		measure, dims = "headcount", []string{"gender"}
	}
	// Relations: department managers of the people matched.
	if reDeptMgr.MatchString(orig) {
		q.Relation = "department_managers"
		people = true
	} else if reMgrOf.MatchString(orig) && !grouped(dims, "manager") {
		q.Relation = "managers"
		people = true
	} else if people && measure == "" && reManagersList.MatchString(orig) && len(filterVals["position"]) == 0 {
		q.Relation = "managers" // "who are the managers": everyone who manages someone
	}
	// Adjectives of time ("monthly hours") group by that grain.
	if m := reGrainAdj.FindStringSubmatch(orig); m != nil && len(dims) == 0 && !(average && m[1] == "weekly") {
		dims = append(dims, map[string]string{"daily": "day", "weekly": "week", "monthly": "month", "quarterly": "quarter", "yearly": "year", "annual": "year"}[m[1]])
	}
	// Who is working / on leave: a list of people with facts on a day.
	// "who is working today" asks about shifts on a day; "everyone who
	// works in Housekeeping" (no period) is about the department.
	working := reWorking.MatchString(s) && strings.Contains(orig, " work") && q.Time != nil
	if people && measure == "" && working {
		measure = "shifts"
	}
	if !people && counting && working && (measure == "" || measure == "headcount") && q.Time != nil {
		measure = "people_working" // "how many people are working tomorrow"
	}
	if people && measure == "" && hasAbsence {
		measure = "absence_cases"
	}
	if measure == "" {
		if people || len(filterVals) > 0 && strings.Contains(orig, " list ") {
			q.Kind = "people"
			q.Measure = ""
		} else {
			return nil, notUnderstood("")
		}
	}
	q.Measure = measure
	if measure == "leavers" || measure == "hires" {
		// "List employees hired this year" lists them; "how many" counts them.
		if people && !counting {
			q.Kind = "people"
		}
	}
	// Grouping by two values of one field named together ("full-time vs part-time").
	if len(dims) == 0 {
		for _, f := range filterOrder {
			if len(filterVals[f]) > 1 && (reVersus.MatchString(s) || share || strings.Contains(s, " compare ")) && f != "name" {
				dims = append(dims, f)
			}
		}
	}
	// "Which department has the most …": group by it, best first.
	for _, it := range items {
		if it.prev == "which" || it.prev == "what" {
			for _, mn := range it.meanings {
				if mn.kind == "dim" && mn.name != "employee" && (most || least || q.Having != nil) && !grouped(dims, mn.name) {
					dims = append(dims, mn.name)
					if most || least {
						q.Limit = 1
					}
				}
			}
		}
	}
	if share && len(dims) > 0 && q.Kind != "people" {
		q.Share = true
	}
	if average && reWeekly.MatchString(s) && (measure == "hours_worked" || measure == "planned_hours" || measure == "attendance") {
		q.PerPersonWeek = true
		dims = remove(dims, "week")
	}
	for _, d := range dims {
		if !grouped(q.Dimensions, d) {
			q.Dimensions = append(q.Dimensions, d)
		}
	}
	for _, f := range filterOrder {
		if len(filterVals[f]) > 0 {
			q.Filters = append(q.Filters, Filter{Field: f, Values: filterVals[f]})
		}
	}
	if people && q.Relation == "" && reWithout.MatchString(s) {
		switch q.Measure {
		case "shifts", "attendance", "hours_worked", "planned_hours", "absence_cases", "absence_days":
			q.Without, q.Having, q.Order, q.Limit = true, nil, "", 0
		}
	}
	if reNegate.MatchString(s) && q.Kind == "" && people && !q.Without {
		for i := range q.Filters {
			if strings.Contains(s, " not "+strings.ToLower(q.Filters[i].Values[0])) {
				q.Filters[i].Negate = true
			}
		}
	}
	// A list of people needs something that says which people: a filter, a
	// measure, a period, a relation, "my"/"I", or a plain people word in an
	// otherwise known sentence ("list all employees"). "Who is the
	// chancellor?" has none of these and is not a question for scry.
	if (q.Kind == "people" || (people && len(q.Dimensions) == 0)) && q.Measure == "" && len(q.Filters) == 0 && q.Time == nil &&
		q.Relation == "" && !q.Self && !strings.Contains(orig, " my ") {
		if !hasMeasureWord("headcount") || p.unknownWords(toks) > 1 {
			return nil, notUnderstood("Which people? Name a department, position, location, contract type or period.")
		}
	}
	// Kind of answer.
	switch {
	case q.Kind == "people":
	case q.Relation != "":
		q.Kind = "people"
	case people && len(q.Dimensions) == 0, q.Limit > 0 && len(q.Dimensions) == 0 && q.Measure != "":
		q.Kind = "people" // "top 3 teachers by hours worked"
	case len(q.Dimensions) > 0:
		q.Kind = "groups"
	case share && q.Having != nil:
		q.Kind, q.ShareOf, q.Having = "number", q.Having, nil
	case share && len(q.Filters) > 0 && (q.Measure == "headcount" || q.Measure == "hours_worked" || q.Measure == "absence_days" || q.Measure == "absence_cases"):
		// "What percentage of employees are part-time?": the filters named
		// after the verb define the part, those before it the whole.
		q.Kind = "number"
		q.ShareWhere, q.Filters = splitShare(orig, q.Filters)
	default:
		q.Kind = "number"
	}
	if q.Kind == "people" && (most || least) && q.Limit == 0 && q.Measure != "" {
		q.Limit = 1
	}
	if q.Limit > 0 && q.Order == "" {
		q.Order = "desc"
	}
	if (most || least) && q.Order == "" && q.Kind != "number" {
		q.Order = "desc"
	}
	if least && !most && q.Order == "desc" && q.Limit > 0 {
		q.Order = "asc"
	}
	// Trends: "over the last N weeks" with nothing else to group by, or
	// "how has X changed".
	fact := q.Measure != "" && p.model.Measures[q.Measure].Entity != "employees"
	if q.Kind == "number" && fact && q.ShareOf == nil && !q.PerPersonWeek {
		if lastN {
			q.Dimensions = []string{strings.Fields(q.Time.Expr)[2]}
			q.Kind = "groups"
		} else if trend {
			q.Dimensions = []string{"trend"} // grain chosen from the range at run time
			q.Kind = "groups"
		}
	}
	return q, nil
}

var reShareVerb = regexp.MustCompile(` (?:share|percentage|percent|proportion|ratio|fraction)\b.*? (?:are|is|were|was|who|that|have|has|work|worked|on)\b`)

// splitShare divides filters into the part (named after the verb that
// follows the share word) and the whole (named before it).
func splitShare(orig string, fs []Filter) (part, whole []Filter) {
	loc := reShareVerb.FindStringIndex(orig)
	if loc == nil {
		return fs, nil
	}
	after := orig[loc[1]:]
	for _, f := range fs {
		inAfter := false
		for _, v := range f.Values {
			for _, w := range []string{normPhrase(v), normPhrase(strings.ReplaceAll(v, "_", " "))} {
				inAfter = inAfter || strings.Contains(after, " "+w+" ")
			}
		}
		if f.Field == "absence_type" || inAfter {
			part = append(part, f)
		} else {
			whole = append(whole, f)
		}
	}
	if len(part) == 0 {
		return fs, nil
	}
	return part, whole
}

// unknownWords counts words of the question scry does not know.
func (p *Parser) unknownWords(toks []string) int {
	n := 0
	for _, t := range toks {
		if !p.known[t] && (t[0] < '0' || t[0] > '9') {
			n++
		}
	}
	return n
}

// better says whether measure a is more specific than b when both appear.
func better(a, b string) bool {
	rank := map[string]int{"shift_length": 10, "absence_duration": 9, "planned_hours": 8, "hourly_wage": 7, "age": 7, "contracted_hours": 7,
		"attendance": 6, "hours_worked": 5, "absence_days": 4, "leavers": 4, "hires": 4, "absence_cases": 3, "shifts": 3, "headcount": 0}
	return rank[a] > rank[b]
}

func grouped(dims []string, d string) bool {
	for _, x := range dims {
		if x == d {
			return true
		}
	}
	return false
}

func remove(dims []string, d string) []string {
	var out []string
	for _, x := range dims {
		if x != d {
			out = append(out, x)
		}
	}
	return out
}

func (it item) isDim() bool {
	for _, m := range it.meanings {
		if m.kind == "dim" {
			return true
		}
	}
	return false
}

type item struct {
	text     string
	prev     string
	meanings []meaning
}

// link matches the longest known phrase at each position.
func (p *Parser) link(toks []string) []item {
	var out []item
	for i := 0; i < len(toks); {
		matched := false
		for n := min(p.maxLen, len(toks)-i); n >= 1; n-- {
			ph := strings.Join(toks[i:i+n], " ")
			if ms, ok := p.phrases[ph]; ok {
				prev := ""
				if i > 0 {
					prev = toks[i-1]
				}
				sorted := append([]meaning(nil), ms...)
				sort.SliceStable(sorted, func(a, b int) bool { return kindRank(sorted[a]) < kindRank(sorted[b]) })
				out = append(out, item{text: ph, prev: prev, meanings: sorted})
				i += n
				matched = true
				break
			}
		}
		if !matched {
			out = append(out, item{text: toks[i]})
			i++
		}
	}
	return out
}

// kindRank prefers tenant values over enum words over model words.
func kindRank(m meaning) int {
	switch m.kind {
	case "value":
		switch m.name {
		case "name":
			return 0
		case "department":
			return 1
		case "position":
			return 2
		}
		return 3
	case "enum":
		return 4
	}
	return 5
}

func notUnderstood(why string) error {
	msg := "scry could not read this as a question about your workforce data. Name what to measure (hours worked, headcount, sick days, shifts…) and optionally a group and a period, e.g. \"Hours worked per department last month\""
	if why != "" {
		msg = why + " " + msg
	}
	return errcode.New(errcode.NotUnderstood, "%s", msg)
}
