package ask

import (
	"fmt"
	"regexp"
	"slices"
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
	suggest map[string]bool // words offered for unknown ones: the model's and the tenant's places, never names
	// valueWords are the words of the tenant's departments, positions and
	// locations
	valueWords map[string]bool
	// nameParts are the tenant's first and last names, lower case: a
	// question naming someone the asker may not see is told apart by them
	nameParts map[string]bool
	// reportsTo holds the pairs of positions where someone of the first
	// reports to someone of the second
	reportsTo map[[2]string]bool
	// positionWords are the words of the tenant's positions
	positionWords map[string]bool
	// acronyms are the initials of the tenant's values of several words,
	// where they name one: "HR" for Human Resources, "TA" for Teaching
	// Assistant
	acronyms map[string]string
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

// orgNouns name the whole organisation ("across the district", "the
// company's staff"), never the start of one of its values ("District
// Office").
var orgNouns = wordSet(`company district organisation organization business firm corporation group`)

// NewParser builds the lexicon of model synonyms, enum words and the
// tenant's values.
func NewParser(m *semantic.Model, v Vocabulary) *Parser {
	p := &Parser{model: m, phrases: map[string][]meaning{}, known: map[string]bool{}, values: v, suggest: map[string]bool{}, nameParts: map[string]bool{}}
	for _, field := range []string{"first_name", "last_name"} {
		for _, val := range v[field] {
			for _, w := range strings.Fields(normPhrase(val)) {
				p.nameParts[w] = true
			}
		}
	}
	p.reportsTo = map[[2]string]bool{}
	for _, pair := range v["reports_to"] {
		if report, manager, ok := strings.Cut(pair, "\t"); ok {
			p.reportsTo[[2]string{report, manager}] = true
		}
	}
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
	for _, field := range []string{"department", "position", "location", "name", "first_name", "last_name"} {
		for _, val := range v[field] {
			addPhrase(val, meaning{kind: "value", name: field, value: val})
		}
	}
	for w := range p.known {
		p.suggest[w] = true
	}
	p.valueWords = map[string]bool{}
	for _, field := range []string{"department", "position", "location", "shift_position", "shift_location"} {
		for _, val := range v[field] {
			for _, w := range strings.Fields(normPhrase(val)) {
				p.valueWords[w] = true
			}
		}
	}
	p.positionWords = map[string]bool{}
	for _, val := range v["position"] {
		for _, w := range strings.Fields(normPhrase(val)) {
			p.positionWords[w] = true
		}
	}
	for _, field := range []string{"name", "first_name", "last_name"} {
		for _, val := range v[field] {
			for _, w := range strings.Fields(normPhrase(val)) {
				delete(p.suggest, w)
			}
		}
	}
	// A unique beginning of a longer value names it: "Oak High" or "Birch"
	// for "Birch Middle School" — when no other value starts the same way
	// and the first word is not a word of the model or of the grammar.
	// A beginning whose stem another value shares is no name either:
	// "teaching" hours are a Teacher's as much as a Teaching Assistant's.
	starts := map[string][]meaning{}
	stems := map[string][]string{}
	for _, field := range []string{"department", "position", "location"} {
		for _, val := range v[field] {
			ws := strings.Fields(normPhrase(val))
			for n := 1; n < len(ws); n++ {
				pre := strings.Join(ws[:n], " ")
				starts[pre] = append(starts[pre], meaning{kind: "value", name: field, value: val})
			}
			for _, w := range ws {
				stems[stem(w)] = append(stems[stem(w)], val)
			}
		}
	}
	for pre, ms := range starts {
		first := strings.Fields(pre)[0]
		if len(ms) != 1 || len(p.phrases[pre]) > 0 || len(first) < 3 || functionWords[first] || readingWords[first] || orgNouns[first] || p.modelWord(first) ||
			slices.ContainsFunc(stems[stem(first)], func(val string) bool { return val != ms[0].value }) {
			continue
		}
		addPhrase(pre, ms[0])
	}
	// A unique last word of a position names it: "drivers" for "Delivery
	// Driver", "operators" for "Warehouse Operator" — under the same
	// conditions as a unique beginning.
	ends := map[string][]string{}
	for _, val := range v["position"] {
		if ws := strings.Fields(normPhrase(val)); len(ws) > 1 {
			ends[ws[len(ws)-1]] = append(ends[ws[len(ws)-1]], val)
		}
	}
	for last, vals := range ends {
		if len(vals) != 1 || len(p.phrases[last]) > 0 || len(last) < 4 || functionWords[last] || readingWords[last] || orgNouns[last] || p.modelWord(last) {
			continue
		}
		addPhrase(last, meaning{kind: "value", name: "position", value: vals[0]})
	}
	p.acronyms = map[string]string{}
	seen := map[string]int{}
	for _, field := range []string{"department", "position", "location"} {
		for _, val := range v[field] {
			ws := strings.Fields(val)
			if len(ws) < 2 || len(ws) > 4 {
				continue
			}
			acr := ""
			for _, w := range ws {
				acr += strings.ToUpper(w[:1])
			}
			seen[acr]++
			p.acronyms[acr] = val
		}
	}
	for acr, n := range seen {
		if n > 1 {
			delete(p.acronyms, acr) // "SM" for two values names neither
		}
	}
	// Working from home is working at the place called Remote.
	for _, val := range v["shift_location"] {
		if normPhrase(val) == "remote" {
			for _, w := range []string{"remotely", "from home", "wfh", "home office"} {
				addPhrase(w, meaning{kind: "value", name: "location", value: val})
			}
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
	for w := range functionWords {
		p.known[w] = true
	}
	for w := range readingWords {
		p.known[w] = true
	}
	for _, mn := range monthNames {
		p.known[mn], p.suggest[mn] = true, true // "Ocotber"
	}
	// words of their own one letter from a word of the model: "early
	// starts" is no "yearly" grouping
	for _, w := range []string{"early", "earlier", "nearly", "hourly", "weekly", "daily", "monthly"} {
		p.known[w] = true
	}
	return p
}

// modelWord: w is a word of the model's synonyms or enum words.
func (p *Parser) modelWord(w string) bool {
	for ph, ms := range p.phrases {
		for _, m := range ms {
			if m.kind != "value" && strings.Contains(" "+ph+" ", " "+w+" ") {
				return true
			}
		}
	}
	return false
}

// reAcronym is a word written in capitals, perhaps plural: "HR", "TAs".
var reAcronym = regexp.MustCompile(`\b([A-Z]{2,4})(s?)\b`)

// expandAcronyms writes out the tenant's values named by their initials
// ("who in HR", "my TAs"), unless the capitals are a word of a value the
// question names ("HR Manager").
func (p *Parser) expandAcronyms(question string) string {
	if len(p.acronyms) == 0 || strings.ToUpper(question) == question {
		return question // a question in capitals has no acronyms to tell
	}
	lower := " " + strings.Join(normalize(question), " ") + " "
	return reAcronym.ReplaceAllStringFunc(question, func(w string) string {
		m := reAcronym.FindStringSubmatch(w)
		val, ok := p.acronyms[m[1]]
		if l := strings.ToLower(m[1]); !ok || functionWords[l] || readingWords[l] || p.modelWord(l) {
			return w // "DO" is a word before it is the District Office
		}
		for _, field := range []string{"department", "position", "location"} {
			for _, other := range p.values[field] {
				if n := " " + normPhrase(other) + " "; strings.Contains(n, " "+strings.ToLower(m[1])+" ") && strings.Contains(lower, n) {
					return w
				}
			}
		}
		return val + m[2]
	})
}

// correct replaces unknown words by the one known word within one edit.
// It never corrects into a person's name: "Lampert" is not silently read
// as "Lambert" (and a refusal never echoes a real name the asker did not
// write).
func (p *Parser) correct(toks, words []string) []string {
	for i, t := range toks {
		// a unique beginning of a long word of the tenant's positions,
		// written as a plural, and much shorter: "techs" for Technician (a
		// verb, "teaches" or "attends", is no Teaching Assistant or Room
		// Attendant)
		if len(t) >= 4 && !p.known[t] && t[0] > '9' && i < len(words) && words[i] != t && strings.HasSuffix(words[i], "s") {
			match := ""
			for w := range p.positionWords {
				if len(w) >= len(t)+4 && strings.HasPrefix(w, t) {
					if match != "" {
						match = ""
						break
					}
					match = w
				}
			}
			if match != "" {
				toks[i] = match
				continue
			}
		}
		if len(t) < 5 || p.known[t] || t[0] >= '0' && t[0] <= '9' {
			continue
		}
		// a verb of a position ("teach" of Teacher, "clean" of Cleaner)
		// names the people of that position, no typo ("how many men and
		// women teach" was read as "… each", and counted everyone)
		if i > 0 && (p.nameParts[toks[i-1]] || toks[i-1] == "i" || toks[i-1] == "she" || toks[i-1] == "he") && (p.positionVerb(t) || p.positionOfVerb(t) != "") {
			toks[i] = "work" // "which school does Sarah teach at": where one person works
			continue
		}
		if w := p.positionOfVerb(t); w != "" {
			toks[i] = w
			continue
		} else if p.positionVerb(t) {
			continue
		}
		var matches []string
		for k := range p.suggest {
			if len(k) >= 4 && within1(t, k) {
				matches = append(matches, k)
			}
		}
		// between a word of the model or the tenant and a word of a reading
		// rule ("employes": "employee" or "employed"), the first: rule
		// words are mostly forms of verbs, model words the things asked for
		if len(matches) > 1 {
			if named := slices.DeleteFunc(slices.Clone(matches), func(k string) bool { return len(p.phrases[k]) == 0 }); len(named) == 1 {
				matches = named
			}
		}
		if len(matches) == 1 { // more is ambiguous: leave it alone
			toks[i] = matches[0]
		}
	}
	return toks
}

// positionOfVerb is the one position of a single word whose stem t is
// ("clean": cleaner), or "" — also when another position holds a word of
// that stem ("teach" is also what a Teaching Assistant does).
func (p *Parser) positionOfVerb(t string) string {
	one := ""
	for _, val := range p.values["position"] {
		for _, w := range strings.Fields(normPhrase(val)) {
			if len(w) <= len(t) || stem(w) != t {
				continue
			}
			if one != "" || strings.Contains(normPhrase(val), " ") {
				return ""
			}
			one = w
		}
	}
	return one
}

// positionVerb: t is the stem of a word of the tenant's positions.
func (p *Parser) positionVerb(t string) bool {
	for w := range p.positionWords {
		if len(w) > len(t) && stem(w) == t {
			return true
		}
	}
	return false
}

// timeRule turns a matched phrase into a canonical expression.
type timeRule struct {
	re   *regexp.Regexp
	expr func(m []string) string
}

const unitRE = `(day|week|month|quarter|year)`
const monthRE = `(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)`

func rx(s string) *regexp.Regexp {
	for _, w := range reLetters.FindAllString(s, -1) {
		readingWords[w] = true
	}
	return regexp.MustCompile(` ` + s + ` `)
}

// readingWords are the words of the reading rules' patterns: known words,
// which typo correction never turns into others ("managed" is not a typo
// of "manager").
var readingWords = map[string]bool{}

var reLetters = regexp.MustCompile(`[a-z]{3,}`)

const weekdayRE = `(` + weekdayNames + `)`

// yearRE qualifies a period with its year: "of 2025", "last year".
const yearRE = `(?: of)?(?: the)?(?: (\d{4}|this year|last year|year))?`

// ordinals of the parts of a year: "the first quarter", "Q3", "H1"
var partNumber = map[string]string{"first": "1", "second": "2", "third": "3", "fourth": "4", "last": "last"}

// yearOf is the year qualifier of a period as an expression suffix.
func yearOf(y string) string {
	if y == "" || y == "year" {
		return ""
	}
	return " " + y
}

// holidays are the days people name by their name.
var holidays = map[string]string{"christmas eve": "12-24", "xmas eve": "12-24", "christmas": "12-25", "christmas day": "12-25",
	"xmas": "12-25", "xmas day": "12-25", "new year eve": "12-31", "new year day": "01-01", "boxing day": "12-26"}

// holidayRE matches the holidays' names, longest first ("christmas eve"
// before "christmas").
func holidayRE() string {
	names := make([]string, 0, len(holidays))
	for n := range holidays {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		return len(names[i]) > len(names[j]) || len(names[i]) == len(names[j]) && names[i] < names[j]
	})
	return strings.Join(names, "|")
}

// dayExpr is the expression of a month-day, with the year written or
// implied ("last year"): "on 2025-12-24", "on 12-24 last year", "on 12-24".
func dayExpr(weekday, month string, d int, year string) string {
	md := fmt.Sprintf("%02d-%02d", monthIndex(month), d)
	if month == "" {
		md, weekday = holidays[weekday], ""
	}
	if len(year) == 4 {
		md, year = year+"-"+md, ""
	}
	if weekday != "" {
		md = weekday + " " + md
	}
	return "on " + md + yearOf(year)
}

// rePastTense: the question is about what happened ("who was absent on
// May 1"), so a day without a year is the last one, never a coming one.
var rePastTense = regexp.MustCompile(` (?:was|were|did|had|took|worked|left|ended|started|finished|happened|went|came|got) `)

// relative is the expression of "the past week", "coming Saturday",
// "previous weekend": the canonical this, last or next, then the unit.
func relative(m []string) string {
	w := map[string]string{"previous": "last", "past": "last", "current": "this", "coming": "next"}[m[1]]
	if w == "" {
		w = m[1]
	}
	return w + " " + m[2]
}

// sideRE is one side of two periods compared: "this year", "last
// week", "the week before", "October", "2025", "Q3".
var sideRE = `(?:the )?(?:(?:this|last|previous|past|current|next) (?:week|month|quarter|year)|(?:week|month|quarter|year) before(?: that| last)?|` +
	`same (?:week|month|quarter) (?:last year|a year (?:ago|before|earlier))|` +
	`ytd|year to date|so far this year|last ytd|last year ytd|ytd last year|last year to date|same (?:period|time) (?:last year|a year (?:ago|before|earlier))|` +
	`today|now|right now|currently|at present|yesterday|(?:a|an|one|\d+) (?:day|week|month|year)s? ago|this (?:day|date|time) last year|same (?:day|date) last year|` +
	strings.Replace(monthRE, "(", "(?:", 1) + `(?: \d{4}| last year| this year)?|\d{4}|q[1-4](?: \d{4}| last year| this year)?)`

var (
	reSideRel    = regexp.MustCompile(`^(?:the )?(this|last|previous|past|current|next) (week|month|quarter|year)$`)
	reSideBefore = regexp.MustCompile(`^(?:the )?(week|month|quarter|year) before( that| last)?$`)
	reSideMonth  = regexp.MustCompile(`^(?:the )?` + monthRE + `(?: (\d{4}|last year|this year))?$`)
	reSideYear   = regexp.MustCompile(`^(?:the )?(\d{4})$`)
	reSideQ      = regexp.MustCompile(`^(?:the )?q([1-4])(?: (\d{4}|last year|this year))?$`)
	reSideYTD    = regexp.MustCompile(`^(?:ytd|year to date|so far this year)$`)
	reSideBack   = regexp.MustCompile(`^(?:last ytd|last year ytd|ytd last year|last year to date|(?:the )?same (?:period|time) (?:last year|a year (?:ago|before|earlier)))$`)
	reSideNow    = regexp.MustCompile(`^(?:today|now|right now|currently|at present)$`)
	reSideAgo    = regexp.MustCompile(`^(a|an|one|\d+) (day|week|month|year)s? ago$|^(?:this (?:day|date|time)|(?:the )?same (?:day|date)) last year$`)
	reSideSame   = regexp.MustCompile(`^(?:the )?same (week|month|quarter) (?:last year|a year (?:ago|before|earlier))$`)
)

// side is the expression and unit of one side of "P1 vs P2"; "the week
// before" is the week before the other side's.
func side(s, other string) (string, string) {
	if m := reSideRel.FindStringSubmatch(s); m != nil {
		return relative(m), m[2]
	}
	if m := reSideBefore.FindStringSubmatch(s); m != nil {
		if m[2] == " last" {
			return m[1] + " before last", m[1]
		}
		switch o, _ := side(other, ""); o {
		case "this " + m[1]:
			return "last " + m[1], m[1]
		case "last " + m[1]:
			return m[1] + " before last", m[1]
		}
		return "", ""
	}
	if reSideYTD.MatchString(s) {
		return "this year", "year"
	}
	if reSideBack.MatchString(s) {
		// "ytd vs the same period last year": the other side's dates, a
		// year back (this year so far when the other names none)
		o, unit := side(other, "")
		if o == "" || strings.HasPrefix(o, "a year back from ") {
			o, unit = "this year", "year"
		}
		return "a year back from " + o, unit
	}
	switch m := reSideAgo.FindStringSubmatch(s); {
	case reSideNow.MatchString(s), s == "yesterday":
		return map[bool]string{true: "yesterday", false: "today"}[s == "yesterday"], "day"
	case m != nil:
		return agoExpr(m[1:]), "day" // "a year ago": a day, as "today" is
	}
	if m := reSideSame.FindStringSubmatch(s); m != nil {
		// "the same month last year": the other side's month a year back
		// (this month's when the other is not a month)
		if o, unit := side(other, ""); unit == m[1] {
			return "a year before " + o, unit
		}
		return "same " + m[1] + " last year", m[1]
	}
	if m := reSideMonth.FindStringSubmatch(s); m != nil {
		switch {
		case strings.HasSuffix(m[2], " year"):
			return fmt.Sprintf("month %d %s", monthIndex(m[1]), m[2]), "month"
		case m[2] != "":
			return fmt.Sprintf("month %s-%02d", m[2], monthIndex(m[1])), "month"
		}
		return fmt.Sprintf("month %d", monthIndex(m[1])), "month"
	}
	if m := reSideYear.FindStringSubmatch(s); m != nil {
		return "year " + m[1], "year"
	}
	if m := reSideQ.FindStringSubmatch(s); m != nil {
		return "quarter " + m[1] + yearOf(m[2]), "quarter"
	}
	return "", ""
}

// versusPeriods reads two periods of one unit compared ("this year vs
// last year", "October vs September", "last week vs the week before"):
// the span of both, one row for each (decide groups by the unit), as
// "A vs B"; a pair that is not of one unit is no reading.
func versusPeriods(m []string) string {
	a, ua := side(m[1], m[2])
	b, ub := side(m[2], m[1])
	if a == "" || b == "" || ua != ub {
		return ""
	}
	return a + " vs " + b
}

// christmasPeriod is "over Christmas": 24 to 26 December; with no year,
// the one under way or to come, unless the question speaks of the past
// (a range of other days with no year is the last one, as ever).
const christmasPeriod = "between 12-24 and 12-26"

// agoExpr is the expression of the day "a year ago", "6 months ago",
// "this day last year" (m: the number and unit, empty for the latter).
func agoExpr(m []string) string {
	if m[0] == "" {
		return "ago 1 year"
	}
	n := map[string]int{"a": 1, "an": 1, "one": 1}[m[0]]
	if n == 0 {
		n = atoi(m[0])
	}
	return fmt.Sprintf("ago %d %s", n, m[1])
}

// schoolYearRE names a school year (1 September to 31 August, startOf).
const schoolYearRE = `(?:school|academic) year`

var timeRules = []timeRule{
	{rx(`(?:(?:in|during|for|over|on|at) )?(` + sideRE + `) (?:vs|versus|compared to|compared with|against|with) (?:(?:in|during|for|over|on|at) )?(` + sideRE + `)`), versusPeriods},
	// "how many employees do we have compared to a year ago": today too
	{rx(`(?:compared to|compared with|vs|versus|against) (?:(a|an|one|\d+) (day|week|month|year)s? ago|(?:this (?:day|date|time)|(?:the )?same (?:day|date)) last year)`), func(m []string) string { return "today vs " + agoExpr(m[1:]) }},
	// "who is off this week or next", "this month through next month":
	// both, one span (two periods were refused)
	{rx(`(?:(?:in|during|for|over) )?(?:the )?this (week|month|quarter|year) (?:or|to|through|thru|until|till) (?:the )?next(?: (week|month|quarter|year))?`), func(m []string) string {
		if m[2] != "" && m[2] != m[1] {
			return ""
		}
		return "from this " + m[1] + " to next " + m[1]
	}},
	// "headcount a year ago", "on this day last year": that day
	{rx(`(?:on |as of |at )?(?:(a|an|one|\d+) (day|week|month|year)s? ago|(?:this (?:day|date|time)|(?:the )?same (?:day|date)) last year)`), func(m []string) string { return agoExpr(m[1:]) }},
	// two days with one year after both: "between January 1 and June 30, 2026"
	{rx(`(?:from|between) ` + monthRE + ` (\d{1,2})(?: (\d{4}))? (?:and|to|until|till|through) ` + monthRE + ` (\d{1,2}) (\d{4})`), func(m []string) string {
		a, b := fmt.Sprintf("%02d-%02d", monthIndex(m[1]), atoi(m[2])), fmt.Sprintf("%02d-%02d", monthIndex(m[4]), atoi(m[5]))
		ya := m[3]
		if ya == "" {
			ya = m[6]
			if a > b {
				ya = strconv.Itoa(atoi(m[6]) - 1)
			}
		}
		return "between " + ya + "-" + a + " and " + m[6] + "-" + b
	}},
	// two months: "between March and May", "from Jan to Mar 2025"
	// ("September 2025 to August 2026": both years written, no "from")
	{rx(`` + monthRE + ` (\d{4}) (?:to|until|till|through) (?:the end of )?` + monthRE + ` (\d{4})`), func(m []string) string {
		return fmt.Sprintf("from month %s-%02d to month %s-%02d", m[2], monthIndex(m[1]), m[4], monthIndex(m[3]))
	}},
	{rx(`(?:from|between) ` + monthRE + `(?: (\d{4}))? (?:and|to|until|till|through) (?:the end of )?` + monthRE + `(?: (\d{4}|this year|last year))?`), func(m []string) string {
		a, b := fmt.Sprintf("month %d", monthIndex(m[1])), fmt.Sprintf("month %d", monthIndex(m[3]))
		if m[4] == "this year" || m[4] == "last year" {
			// "between January and June this year": months of that year
			return fmt.Sprintf("from month %d %s to month %d %s", monthIndex(m[1]), m[4], monthIndex(m[3]), m[4])
		}
		switch {
		case m[2] != "" && m[4] != "":
			a, b = fmt.Sprintf("month %s-%02d", m[2], monthIndex(m[1])), fmt.Sprintf("month %s-%02d", m[4], monthIndex(m[3]))
		case m[4] != "":
			ya := atoi(m[4])
			if monthIndex(m[1]) > monthIndex(m[3]) {
				ya--
			}
			a, b = fmt.Sprintf("month %d-%02d", ya, monthIndex(m[1])), fmt.Sprintf("month %s-%02d", m[4], monthIndex(m[3]))
		}
		return "from " + a + " to " + b
	}},
	{rx(`since ` + monthRE + ` (\d{1,2}) (\d{4})`), func(m []string) string { return fmt.Sprintf("since %s-%02d-%02d", m[3], monthIndex(m[1]), atoi(m[2])) }},
	{rx(`since ` + monthRE + ` (\d{4})`), func(m []string) string { return fmt.Sprintf("since %s-%02d-01", m[2], monthIndex(m[1])) }},
	// ("worked here since 2015", "been in Finance since 2020" are of a
	// hire date, not of shifts since then)
	{rx(`(?:(here|with us|for us|with the company|at the company|for the company|employed|been(?: [a-z]+){0,4}) )?since (?:the start of |the beginning of )?((?:19|20)\d\d)`), func(m []string) string {
		if m[1] != "" {
			return ""
		}
		return "since " + m[2] + "-01-01"
	}},
	{rx(`since (?:the )?(?:start|beginning) of (?:the |this )?(week|month|quarter|year)`), func(m []string) string { return "this " + m[1] }},
	{rx(`since (?:the )?(?:start|beginning) of ` + monthRE), func(m []string) string { return fmt.Sprintf("since %02d-01", monthIndex(m[1])) }},
	{rx(`(?:for |over |during |in )?(?:the )?rest of (?:the |this )?(week|month|quarter|year)`), func(m []string) string { return "rest of this " + m[1] }},
	// "how many shifts do I have left this month", "hours remaining this
	// week": what is still to come in it ("people who have left this month"
	// are leavers, so "have left" needs "do ... have")
	{rx(`(?:(?:do|does) (?:\w+ ){1,2}(?:still )?(?:have|ha) left|(?:have|ha) (?:i|we) (?:still )?got left|(?:i|we) (?:still )?(?:have|ha|ve) (?:got )?left|(?:are|is) (?:still )?left|(?:still )?remaining|still to come|the remainder of) (?:for |in |during |over |of )?(?:the |this )(week|month|quarter|year|` + schoolYearRE + `)`), func(m []string) string {
		return "rest of this " + strings.Replace(m[1], "academic", "school", 1)
	}},
	// "from the start of last year", "since the end of March 2026": that
	// day to today (it was the day alone)
	{rx(`(?:since|from) (?:the )?(start|beginning|end) of (?:the )?(?:((?:19|20)\d\d)|(this|current|last|previous) (year|quarter|month|week|` + schoolYearRE + `)|` + monthRE + ` ((?:19|20)\d\d)|q([1-4])(?: (\d{4}|this year|last year))?)(?: (?:until|till|to|up to) (?:now|today|date))?`), func(m []string) string {
		edge := strings.Replace(m[1], "beginning", "start", 1)
		switch {
		case m[7] != "": // "from the start of Q3", "since the end of Q1 2026"
			return "from " + edge + " of quarter " + m[7] + yearOf(m[8]) + " to today"
		case m[2] != "":
			return "from " + edge + " of year " + m[2] + " to today"
		case m[3] != "":
			return "from " + edge + " of " + relative([]string{"", m[3], strings.Replace(m[4], "academic", "school", 1)}) + " to today"
		}
		return fmt.Sprintf("from %s of month %s-%02d to today", edge, m[6], monthIndex(m[5]))
	}},
	// a school year: "so far this school year", "since the start of the
	// school year", "last academic year", "the 2025-26 school year"
	// ("hours per school year to date" is per school, this year so far)
	{rx(`(?:since|from) (?:the )?(?:start|beginning) of (?:the |this )?` + schoolYearRE + `|(?:(per|by|each|every) )?` + schoolYearRE + ` to date`), func(m []string) string {
		if m[1] != "" {
			return ""
		}
		return "this school year"
	}},
	{rx(`(?:(?:for|over|during|in) )?(?:the )?rest of (?:the |this )?` + schoolYearRE), func([]string) string { return "rest of this school year" }},
	{rx(`(?:(?:at|by|as of|on) )?(?:the )?(end|start|beginning) of (?:the )?(?:(this|current|last|previous|past|next|coming) )?` + schoolYearRE), func(m []string) string {
		return strings.Replace(m[1], "beginning", "start", 1) + " of " + relative([]string{"", firstNonEmptyStr(m[2], "this"), "school year"})
	}},
	{rx(`(?:(?:in|during|for|over|of) )?the ` + schoolYearRE + `(?: (?:so far|to date))?`), func([]string) string { return "this school year" }},
	{rx(`(?:(?:so far|in|during|for|over|of) )?(?:the )?(this|current|last|previous|past|next|coming) ` + schoolYearRE + `(?: (?:so far|to date))?`), func(m []string) string {
		return relative([]string{"", m[1], "school year"})
	}},
	{rx(`(?:(?:in|during|for|over|of) )?(?:the )?(?:` + schoolYearRE + ` ((?:19|20)\d\d) (\d\d|(?:19|20)\d\d)|((?:19|20)\d\d) (\d\d|(?:19|20)\d\d) ` + schoolYearRE + `)`), func(m []string) string {
		a, b := firstNonEmptyStr(m[1], m[3]), firstNonEmptyStr(m[2], m[4])
		return "school year " + a + "-" + b[len(b)-2:]
	}},
	{rx(`(?:in )?(\d{4}) (?:so far|to date)`), func(m []string) string { return "since " + m[1] + "-01-01" }},
	// "from 2020 onwards", "2024 and later": that year's first day on
	{rx(`(?:from |since |in |starting )?` + monthRE + ` (\d{4}) (?:onwards?|and later|or later|and after)`), func(m []string) string {
		return fmt.Sprintf("since %s-%02d-01", m[2], monthIndex(m[1]))
	}},
	{rx(`(?:from |since |in |starting )?(\d{4}) (?:onwards?|and later|or later|and after|and beyond)`), func(m []string) string { return "since " + m[1] + "-01-01" }},
	// the edge of a quarter named by its number: "at the start of Q3"
	{rx(`(?:(?:at|by|as of|on) )?(?:the )?(end|start|beginning) of (?:the )?q([1-4])(?: (\d{4}|this year|last year))?`), func(m []string) string {
		return strings.Replace(m[1], "beginning", "start", 1) + " of quarter " + m[2] + yearOf(m[3])
	}},
	// a quarter or half named by its ordinal: "the first quarter of 2025", "H1", "Q3 last year"
	{rx(`(?:(?:in|during|for|over|of) )?(?:the )?(first|second|third|fourth) (quarter|half)` + yearRE), func(m []string) string {
		return m[2] + " " + partNumber[m[1]] + yearOf(m[3])
	}},
	{rx(`(?:(?:in|during|for|over|of) )?(?:the )?(q|h)([1-4])` + yearRE), func(m []string) string {
		return map[string]string{"q": "quarter", "h": "half"}[m[1]] + " " + m[2] + yearOf(m[3])
	}},
	{rx(`(?:(?:in|during|for|over|within) )?(?:the )?(?:last|past|previous) fortnight`), func([]string) string { return "last 2 week" }},
	{rx(`(?:(?:in|during|for|over|of) )?(?:the )?(week|month|quarter|year) before last`), func(m []string) string { return m[1] + " before last" }},
	{rx(`(?:(?:on|over|during|for|at) )?(?:the )?weekend before last`), func([]string) string { return "weekend before last" }},
	{rx(`(?:(?:in|during|for|over) )?(?:the )?same (week|month|quarter) (?:of )?last year`), func(m []string) string { return "same " + m[1] + " last year" }},
	// the seasons of the northern hemisphere, by their months
	{rx(`(?:(?:in|during|for|over|of) )?(?:the )?(this |last )?(spring|summer|autumn)(?: (?:of )?(\d{4}))?`), func(m []string) string {
		return strings.TrimSpace(m[1]+m[2]) + yearOf(m[3])
	}},
	// "between 1 and 15 November" (the month moved next to its day above)
	{rx(`(?:from|between) (?:the )?(\d{1,2}) (?:and|to|until|till) ` + monthRE + ` (\d{1,2})(?: (\d{4}))?`), func(m []string) string {
		if atoi(m[1]) > atoi(m[3]) {
			return "days reversed" // "from 20 to 3 November": no period scry can read
		}
		if m[4] != "" {
			return fmt.Sprintf("between %s-%02d-%02d and %s-%02d-%02d", m[4], monthIndex(m[2]), atoi(m[1]), m[4], monthIndex(m[2]), atoi(m[3]))
		}
		return fmt.Sprintf("between %02d-%02d and %02d-%02d", monthIndex(m[2]), atoi(m[1]), monthIndex(m[2]), atoi(m[3]))
	}},
	// the edge of a period, as one day: "at the end of 2025", "as of the end of last month"
	{rx(`(?:(?:at|by|as of|on) )?(?:the )?(end|start|beginning) of (?:(\d{4})|(last|this) (year|quarter|month|week)|` + monthRE + ` (\d{4}))`), func(m []string) string {
		edge := map[string]string{"beginning": "start"}[m[1]]
		if edge == "" {
			edge = m[1]
		}
		switch {
		case m[2] != "":
			return edge + " of year " + m[2]
		case m[3] != "":
			return edge + " of " + m[3] + " " + m[4]
		}
		return fmt.Sprintf("%s of month %s-%02d", edge, m[6], monthIndex(m[5]))
	}},
	{rx(`(?:from|between) (\d{4}-\d{2}-\d{2}) (?:and|to|until|till) (\d{4}-\d{2}-\d{2})`), func(m []string) string { return "between " + m[1] + " and " + m[2] }},
	{rx(`(?:from|between) ` + monthRE + ` (\d{1,2}) (?:and|to|until|till) ` + monthRE + ` (\d{1,2})`), func(m []string) string {
		return fmt.Sprintf("between %02d-%02d and %02d-%02d", monthIndex(m[1]), atoi(m[2]), monthIndex(m[3]), atoi(m[4]))
	}},
	{rx(`on dom(\d{1,2})w([a-z]+)`), func(m []string) string {
		if w := weekdayShort[m[2]]; w != "" {
			m[2] = w
		}
		return "on " + m[2] + " day " + m[1]
	}},
	{rx(`on dom(\d{1,2})`), func(m []string) string { return "on day " + m[1] }},
	{rx(`since (\d{4}-\d{2}-\d{2})`), func(m []string) string { return "since " + m[1] }},
	{rx(`since ` + monthRE + ` (\d{1,2})`), func(m []string) string { return fmt.Sprintf("since %02d-%02d", monthIndex(m[1]), atoi(m[2])) }},
	{rx(`since ` + monthRE), func(m []string) string { return fmt.Sprintf("since %02d-01", monthIndex(m[1])) }},
	// a week by its ISO number: "week 45", "in wk 7 of 2025"
	{rx(`(?:in|during|for|over|of|the|iso) (?:the )?(?:iso )?(?:week|wk|cw) (?:number |no |nr )?(\d{1,2})` + yearRE), func(m []string) string { return "iso week " + m[1] + yearOf(m[2]) }},
	// one day: "on June 1st", "Saturday Nov 21", "21 November 2025", "Christmas Eve last year"
	{rx(`(?:(?:in|during|for|over) )?(?:the )?week (?:of|starting|beginning) (?:(?:the )?` + weekdayRE + ` )?` + monthRE + ` (\d{1,2})(?: (\d{4}))?`), func(m []string) string {
		return "week of " + strings.TrimPrefix(dayExpr(m[1], m[2], atoi(m[3]), m[4]), "on ")
	}},
	{rx(`(?:(?:on|for|of) )?(?:(?:the )?` + weekdayRE + ` )?` + monthRE + ` (\d{1,2})(?: (\d{4}))?`), func(m []string) string { return dayExpr(m[1], m[2], atoi(m[3]), m[4]) }},
	{rx(`(?:(?:on|for|of) )?(?:(?:the )?` + weekdayRE + ` )?(?:the )?(\d{1,2}) (?:of )?` + monthRE + `(?: (\d{4}))?`), func(m []string) string { return dayExpr(m[1], m[3], atoi(m[2]), m[4]) }},
	// "who is off over Christmas", "the Christmas holidays": 24 to 26
	// December (Christmas alone is its day)
	{rx(`(?:over (?:the )?(?:christmas|xmas)(?: (?:period|holiday|holidays|break))?|(?:during|for|in) (?:the )?(?:christmas|xmas) (?:period|holiday|holidays|break))(?: (\d{4}|this year|last year))?`), func(m []string) string {
		if len(m[1]) == 4 {
			return "between " + m[1] + "-12-24 and " + m[1] + "-12-26"
		}
		return christmasPeriod + yearOf(m[1])
	}},
	{rx(`(?:(?:on|over|at|during|for) )?(` + holidayRE() + `)(?: (\d{4}|this year|last year))?`), func(m []string) string {
		return dayExpr(m[1], "", 0, m[2])
	}},
	{rx(`(?:on )?(this|last|next|coming|past) ` + weekdayRE), relative},
	{rx(`(?:on )?(\d{4}-\d{2}-\d{2})`), func(m []string) string { return "on " + m[1] }},
	{rx(`(?:(?:in|during|for|over|within|of) )?(?:the )?(?:last|past|previous|prior|preceding) (\d+) ` + unitRE), func(m []string) string { return "last " + m[1] + " " + m[2] }},
	{rx(`(?:(?:in|during|for|over|within) )?(?:the )?next (\d+) ` + unitRE), func(m []string) string { return "next " + m[1] + " " + m[2] }},
	// "for December this year", "in March last year": that year's month
	{rx(`(?:(?:in|during|for|of) )?` + monthRE + ` (this|last|next) year`), func(m []string) string { return fmt.Sprintf("month %d %s year", monthIndex(m[1]), m[2]) }},
	{rx(`(?:(?:in|during|for|over|of) )?(?:the )?(this|last|previous|past|next|current|coming) ` + unitRE), relative},
	{rx(`(?:so far this year|year to date|ytd)`), func([]string) string { return "this year" }},
	{rx(`(?:in |during |for |of )?` + monthRE + ` (\d{4})`), func(m []string) string { return fmt.Sprintf("month %s-%02d", m[2], monthIndex(m[1])) }},
	{rx(`(?:in |during |for )?q([1-4]) (\d{4})`), func(m []string) string { return "quarter " + m[1] + " " + m[2] }},
	{rx(`(?:in |during |for )?(?:the )?q([1-4])`), func(m []string) string { return "quarter " + m[1] }},
	{rx(`(?:in|during|for|of) ` + monthRE), func(m []string) string { return fmt.Sprintf("month %d", monthIndex(m[1])) }},
	{rx(`(?:in|during|for|of) (\d{4})`), func(m []string) string { return "year " + m[1] }},
	{rx(`(?:upcoming|coming up|in the future|future|from (?:now|today) on(?:wards?)?|ahead|planned ahead)`), func([]string) string { return "upcoming" }},
	{rx(`(?:right now|currently|today|tonight|now)`), func([]string) string { return "today" }},
	{rx(`yesterday`), func([]string) string { return "yesterday" }},
	{rx(`tomorrow`), func([]string) string { return "tomorrow" }},
	{rx(`(?:(?:on|over|during|at) )?(?:the )?(this|last|next|past|coming|previous) (weekend)`), relative},
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
	reShareWord = regexp.MustCompile(` (?:share|percentage|percent|proportion|ratio|fraction)\b`)
	reShareVerb = regexp.MustCompile(` (?:are|is|were|was|who|that|have|has|had|took|take|taken|got|work|worked|on|start|started|end|ended|finish|finished|began|ran)\b`)
	reMainVerb  = regexp.MustCompile(` (?:are|is|were|was|have|has|had|work|works|worked|took|take|takes|got|get|gets)\b`)
	// reMeasureVerb: before "worked", a measure's own words ("hours worked"),
	// which is not the verb that names the part
	reMeasureVerb = regexp.MustCompile(` ` + measureNoun + ` $`)
	// reMeasureOwnVerb is the first measure with its own verb ("hours
	// worked"), which shareVerb passes over
	reMeasureOwnVerb = regexp.MustCompile(`^.*? ` + measureNoun + ` (?:worked|planned|scheduled)\b`)
)

// measureNoun is a measure's noun before its own verb ("hours worked",
// "time worked"), singular as normalize leaves it.
const measureNoun = `(?:hour|shift|day|time)`

// shareVerb is where the verb after the share word is, skipping a
// measure's own verb: in "what proportion of the hours worked by Oak High
// staff were worked remotely" it is the second "worked" (the first
// belongs to "hours worked", and Oak High is the whole).
func shareVerb(orig string) []int {
	w := reShareWord.FindStringIndex(orig)
	if w == nil {
		return nil
	}
	for from := w[1]; from < len(orig); {
		loc := reShareVerb.FindStringIndex(orig[from:])
		if loc == nil {
			return nil
		}
		at := []int{w[0], from + loc[1]}
		v := strings.TrimSpace(orig[from+loc[0] : from+loc[1]])
		if v == "on" || v == "who" || v == "that" {
			// "what share of employees on sick leave are in the kitchen",
			// "… of staff who are part-time are women": the first words
			// qualify the whole, and the main verb after them names the
			// part (the verb right after "who" is the clause's own)
			rest := orig[at[1]:]
			if m := reMainVerb.FindAllStringIndex(rest, 2); len(m) > 0 {
				if m[0][0] == 0 && v != "on" {
					m = m[1:]
				}
				if len(m) > 0 {
					return []int{w[0], at[1] + m[0][1]}
				}
			}
		}
		if v != "worked" && v != "work" || !reMeasureVerb.MatchString(orig[:from+loc[0]+1]) {
			return at
		}
		from += loc[1]
	}
	return nil
}

// reShareAmong: "the percentage of women in the dining room" — with no verb,
// the people after "in", "among", "at" or "within" are the whole.
var reShareAmong = regexp.MustCompile(` (?:share|percentage|percent|proportion|fraction)\b.*? (?:in|among|at|within|across) `)

// splitShare divides filters into the part (named after the verb that
// follows the share word: "what share of the dining room staff are women")
// and the whole (named before it); with no verb, the part is named right
// after the share word and the whole after "in", "among", "at" or "within"
// ("the percentage of women in the dining room"). A filter is placed by
// the words it was read from (valueSpans: "women" for female), else by its
// value's own words.
func (st *parseState) splitShare(orig string, fs []Filter) (part, whole []Filter) {
	loc := shareVerb(orig)
	partAfter := true
	if loc == nil {
		// "% of Retail hours this month by part-timers": the part is whose
		// the facts are, the whole named before it
		if by := reShareBy.FindStringIndex(orig); by != nil {
			// only when the part's words follow "by" right away: "share of
			// women by department in Lyon" groups, and Lyon is the whole
			after := orig[by[1]-1:]
			if part, whole := st.splitAt(after, fs, true); len(part) > 0 && len(whole) > 0 && slices.ContainsFunc(part, func(f Filter) bool { return st.namedAt(after, f) }) {
				return part, whole
			}
		}
		if loc = reShareAmong.FindStringIndex(orig); loc == nil {
			if st.q.Measure != "headcount" && st.q.Measure != "" {
				return fs, nil // "share of hours worked by female cashiers": of all hours
			}
			return headNounWhole(fs)
		}
		partAfter = false
	}
	part, whole = st.splitAt(orig[loc[1]-1:], fs, partAfter)
	if len(part) == 0 || len(whole) == 0 && !partAfter {
		return fs, nil
	}
	return part, whole
}

var reShareBy = regexp.MustCompile(` (?:share|percentage|percent|proportion|fraction)\b.*? (?:by|from) `)

// reShareOf is a share word and its "of": what follows is what is shared out.
var reShareOf = regexp.MustCompile(` (?:share|percentage|percent|proportion|fraction) of (?:the |all |our )?`)

// sharesAbsence: the share is of absences of these types ("the share of
// sick leave …"), named right after its "of".
func (st *parseState) sharesAbsence(orig string, types []string) bool {
	loc := reShareOf.FindStringIndex(orig)
	return loc != nil && len(types) > 0 && st.namedAt(orig[loc[1]-1:], Filter{Field: "absence_type", Values: types})
}

// namedAt: after begins with the words of one of f's values.
func (st *parseState) namedAt(after string, f Filter) bool {
	for _, v := range f.Values {
		for _, w := range st.valueWords(f, v) {
			if w != "" && strings.HasPrefix(after, " "+w+" ") {
				return true
			}
		}
	}
	return false
}

// namesDays: text names the days of the week vals holds (0 Sunday), one by
// one or as the weekend or the weekdays.
func namesDays(text string, vals []string) bool {
	v := strings.Join(vals, ",")
	if v == "0,6" || v == "6,0" {
		return strings.Contains(text, " weekend")
	}
	if v == "1,2,3,4,5" {
		return strings.Contains(text, " weekday")
	}
	for _, d := range vals {
		if n := atoi(d); n < 0 || n > 6 || !strings.Contains(text, " "+weekdayNameList[n]) {
			return false
		}
	}
	return len(vals) > 0
}

var weekdayNameList = []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

// valueWords are the ways value v of f may be written: its own words, and
// the words it was read from ("women" for female).
func (st *parseState) valueWords(f Filter, v string) []string {
	words := []string{normPhrase(v), normPhrase(strings.ReplaceAll(v, "_", " "))}
	if sp, ok := st.valueSpans[[2]string{f.Field, v}]; ok {
		words = append(words, strings.Join(st.toks[sp[0]:sp[1]], " "))
	}
	return words
}

// splitAt puts each filter in the part when it is named in after (the
// words after the split) as partAfter says, else in the whole.
func (st *parseState) splitAt(after string, fs []Filter, partAfter bool) (part, whole []Filter) {
	for _, f := range fs {
		if f.Field == "start_time" || f.Field == "end_time" {
			part = append(part, f) // named by the verb itself ("start before 7am")
			continue
		}
		// a day of the week is read from its name, which no value spells
		inAfter := f.Field == "weekday" && namesDays(after, f.Values)
		for _, v := range f.Values {
			for _, w := range st.valueWords(f, v) {
				inAfter = inAfter || w != "" && strings.Contains(after, " "+w+" ")
			}
		}
		if inAfter == partAfter {
			part = append(part, f)
		} else {
			whole = append(whole, f)
		}
	}
	return part, whole
}

// headNounWhole splits a share with no verb by its noun phrase: in "the
// percentage of part-time teachers" the teachers (a position, the head
// noun) are the whole and "part-time" the part; a lone value is the part.
func headNounWhole(fs []Filter) (part, whole []Filter) {
	for _, f := range fs {
		if f.Field == "position" && !f.Negate && len(fs) > 1 {
			whole = append(whole, f)
		} else {
			part = append(part, f)
		}
	}
	if len(part) == 0 {
		return fs, nil
	}
	return part, whole
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
	pos, n   int // where the phrase starts among the question's words, and its length
}

// linkKeeping matches the longest known phrase at each position; a phrase
// counts only through the meanings keep accepts (nil: all). A name the asker may not see is then no phrase at
// all, and its words are read one by one exactly as if the name did not
// exist.
func (p *Parser) linkKeeping(toks []string, keep func(text string, m meaning) bool) []item {
	var out []item
	for i := 0; i < len(toks); {
		matched := false
		for n := min(p.maxLen, len(toks)-i); n >= 1; n-- {
			ph := strings.Join(toks[i:i+n], " ")
			if all, ok := p.phrases[ph]; ok {
				var ms []meaning
				for _, m := range all {
					if keep == nil || keep(ph, m) {
						ms = append(ms, m)
					}
				}
				if len(ms) == 0 {
					continue
				}
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

func notUnderstoodf(format string, a ...any) error {
	return errcode.New(errcode.NotUnderstood, format, a...)
}

func notUnderstood(why string) error {
	msg := "scry could not read this as a question about your workforce data. Name what to measure (hours worked, headcount, sick days, shifts…) and optionally a group and a period, e.g. \"Hours worked per department last month\""
	if why != "" {
		msg = why + " " + msg
	}
	return errcode.New(errcode.NotUnderstood, "%s", msg)
}

// stem is a word less an ending of English nouns and verbs ("teaching",
// "teacher" and "teachers" are all "teach"), for telling values apart.
func stem(w string) string {
	for _, suf := range []string{"ings", "ing", "ers", "er", "ed", "s"} {
		if len(w) > len(suf)+3 && strings.HasSuffix(w, suf) {
			return strings.TrimSuffix(w, suf)
		}
	}
	return w
}
