package ask

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// Conditions on people: dates, reporting lines, comparisons with computed
// values, letters of names and numbers of a person (wage, age, tenure).

// next returns the index of the first unread word at or after i, or -1.
func (st *parseState) next(i int) int {
	for ; i >= 0 && i < len(st.toks); i++ {
		if !st.used[i] {
			return i
		}
	}
	return -1
}

// skip moves past unread words of the set, returning the new index.
func (st *parseState) skip(i int, words ...string) int {
	for i >= 0 && i < len(st.toks) && !st.used[i] {
		found := false
		for _, w := range words {
			if st.toks[i] == w {
				found = true
			}
		}
		if !found {
			return i
		}
		i++
	}
	return i
}

func (st *parseState) use(from, to int) {
	for i := from; i < to && i < len(st.toks); i++ {
		if i >= 0 {
			st.used[i] = true
		}
	}
}

// capitalised reports whether w appears capitalised in the question, past
// its first word: a single first or last name is read only when it is
// written as a name ("Clara", not "clara" or the sentence's first word).
func (st *parseState) capitalised(w string) bool {
	if st.caps == nil {
		st.caps = map[string]bool{}
		fields := strings.FieldsFunc(st.question, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' && r != '-' })
		for i, f := range fields {
			if i > 0 && unicode.IsUpper([]rune(f)[0]) {
				st.caps[strings.ToLower(f)] = true
			}
		}
	}
	return st.caps[strings.ToLower(w)]
}

// nameAt reads a person's name at word i: a full name of the tenant, or a
// first or last name written capitalised. It returns the filter and the
// number of words.
func (st *parseState) nameAt(i int) (Filter, int) {
	if i < 0 || i >= len(st.toks) || st.used[i] {
		return Filter{}, 0
	}
	for n := min(st.p.maxLen, len(st.toks)-i); n >= 1; n-- {
		if st.anyUsed(i, i+n) {
			continue
		}
		ph := strings.Join(st.toks[i:i+n], " ")
		for _, mn := range st.p.phrases[ph] {
			if mn.kind != "value" {
				continue
			}
			if !st.mayName(mn.name, mn.value) {
				continue
			}
			switch mn.name {
			case "name":
				return Filter{Field: "name", Values: []string{mn.value}}, n
			case "first_name", "last_name":
				if n == 1 && st.capitalised(mn.value) && !st.partOfFullName(i) {
					if full := st.fullNameWith(i); full != "" {
						return Filter{Field: "name", Values: []string{full}}, n
					}
					return Filter{Field: mn.name, Values: []string{mn.value}}, n
				}
			}
		}
	}
	return Filter{}, 0
}

// fullNameWith: the one full name before word i that word i begins or
// ends, when word i is left out ("Marie Lambert's reports, not including
// Marie"): the same person named again, not everyone of that first name.
// A name asked for itself ("whose first name is Marie", "with the first
// name Marie", "Marie … other than Marie Lambert") stays a first name.
func (st *parseState) fullNameWith(i int) string {
	excluded := false
	for k := max(0, i-3); k < i; k++ {
		w := st.toks[k]
		excluded = excluded || excludingWords[w] || (w == "including" || w == "counting") && k > 0 && st.toks[k-1] == "not"
	}
	if !excluded || i > 0 && (st.toks[i-1] == "name" || st.toks[i-1] == "is") {
		return ""
	}
	found := ""
	for j := range st.toks {
		for n := 2; n <= st.p.maxLen && j+n <= i; n++ {
			if st.toks[j] != st.toks[i] && st.toks[j+n-1] != st.toks[i] {
				continue
			}
			for _, mn := range st.p.phrases[strings.Join(st.toks[j:j+n], " ")] {
				if mn.kind != "value" || mn.name != "name" || !st.mayName(mn.name, mn.value) {
					continue
				}
				if found != "" && found != mn.value {
					return ""
				}
				found = mn.value
			}
		}
	}
	return found
}

// partOfFullName: word i stands next to another capitalised word ("Tom
// Laurent"): together they are one person's full name, read whole or not
// at all — never as a first name and a last name of two different people.
func (st *parseState) partOfFullName(i int) bool {
	for _, j := range []int{i - 1, i + 1} {
		if j >= 0 && j < len(st.toks) && !functionWords[st.toks[j]] && st.capitalised(st.toks[j]) && !st.isValueWord(j) && !st.p.isDimWord(st.toks[j]) {
			return true
		}
	}
	return false
}

func (st *parseState) anyUsed(from, to int) bool {
	for i := from; i < to; i++ {
		if st.used[i] {
			return true
		}
	}
	return false
}

// valuesAt reads the values of a group of people at word i ("engineers",
// "the Finance department", "part-timers in Kiel"): tenant values and enum
// words, with the dimension words that name them.
func (st *parseState) valuesAt(i int) ([]Filter, int) {
	var out []Filter
	j := i
	for j < len(st.toks) && !st.used[j] {
		if f, n := st.nameAt(j); n > 0 {
			out = append(out, f)
			j += n
			continue
		}
		matched := 0
		for n := min(st.p.maxLen, len(st.toks)-j); n >= 1 && matched == 0; n-- {
			if st.anyUsed(j, j+n) {
				continue
			}
			for _, mn := range st.p.phrases[strings.Join(st.toks[j:j+n], " ")] {
				if mn.kind == "enum" || mn.kind == "value" && mn.name != "name" && mn.name != "first_name" && mn.name != "last_name" {
					out = append(out, Filter{Field: mn.name, Values: []string{mn.value}})
					matched = n
					break
				}
			}
		}
		if matched == 0 {
			// dimension and people words around values: "the Finance department", "engineers"
			if len(out) > 0 && (st.p.isDimWord(st.toks[j]) || peopleNouns[st.toks[j]]) || st.toks[j] == "the" || st.toks[j] == "in" && len(out) > 0 {
				j++
				continue
			}
			break
		}
		j += matched
	}
	for j > i && (st.toks[j-1] == "the" || st.toks[j-1] == "in") {
		j--
	}
	return out, j - i
}

var peopleNouns = wordSet(`employee staff people person worker member one someone somebody anyone everyone colleague crew`)

// isValueWord: word i begins a tenant value or an enum word ("cashiers").
func (st *parseState) isValueWord(i int) bool {
	for _, mn := range st.p.phrases[st.toks[i]] {
		if mn.kind == "value" && mn.name != "name" && mn.name != "first_name" && mn.name != "last_name" || mn.kind == "enum" {
			return true
		}
	}
	return false
}

func (p *Parser) isDimWord(w string) bool {
	for _, mn := range p.phrases[w] {
		if mn.kind == "dim" {
			return true
		}
	}
	return false
}

// dateAt reads a date at word i: 2002-06-21, June 21 2002, 7 September
// 1987, June 2002 or 2002. It returns the first and last day it covers.
func (st *parseState) dateAt(i int) (lo, hi string, n int) {
	t := func(k int) string {
		if i+k < len(st.toks) && !st.used[i+k] {
			return st.toks[i+k]
		}
		return ""
	}
	year := func(s string) bool { return len(s) == 4 && s[0] >= '1' && s[0] <= '2' && isDigits(s) }
	dayOK := func(s string) bool { d := atoi(s); return isDigits(s) && d >= 1 && d <= 31 }
	switch {
	case reISO.MatchString(t(0)):
		return t(0), t(0), 1
	case monthIndex(t(0)) > 0 && len(t(0)) >= 3 && dayOK(t(1)) && year(t(2)):
		d := fmt.Sprintf("%s-%02d-%02d", t(2), monthIndex(t(0)), atoi(t(1)))
		return d, d, 3
	case dayOK(t(0)) && monthIndex(t(1)) > 0 && len(t(1)) >= 3 && year(t(2)):
		d := fmt.Sprintf("%s-%02d-%02d", t(2), monthIndex(t(1)), atoi(t(0)))
		return d, d, 3
	case monthIndex(t(0)) > 0 && len(t(0)) >= 3 && year(t(1)):
		m := monthIndex(t(0))
		last := [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m]
		if y := atoi(t(1)); m == 2 && (y%4 == 0 && y%100 != 0 || y%400 == 0) {
			last = 29
		}
		return fmt.Sprintf("%s-%02d-01", t(1), m), fmt.Sprintf("%s-%02d-%02d", t(1), m, last), 2
	case year(t(0)):
		return t(0) + "-01-01", t(0) + "-12-31", 1
	}
	return "", "", 0
}

var reISO = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

var (
	reWhen      = rx(`(?:when|(?:on |in )?(?:what|which) (?:date|day|year))(?: (?:is|was|were|are|did|do|does|have|has))?`)
	reWhenEvent = rx(`(hire date|hiring date|date of hire|birth date|date of birth|hired|hire|joined|join|started|start|born|left|leave|quit)`)
)

// readWhen reads "when were the engineers hired?", "on what dates were …
// born": a list of the people with that date.
func (st *parseState) readWhen() error {
	if !st.has(reWhen) || st.has(reCount) {
		return nil
	}
	used := append([]bool(nil), st.used...)
	st.take(reWhen)
	// the event asked is the one with no period of its own ("when were the
	// employees who left in 2025 hired": their hire dates; the first was
	// taken); two asked ("when was she hired and when did she leave") are
	// refused
	text, starts := st.render()
	locs := reWhenEvent.FindAllStringSubmatchIndex(text, -1)
	if len(locs) == 0 {
		st.used = used
		return nil
	}
	var asked [][]int
	for _, l := range locs {
		next := strings.Fields(text[l[1]:])
		if len(next) == 0 || !eventPeriodWords[next[0]] && !isDigits(next[0]) {
			asked = append(asked, l)
		}
	}
	switch {
	case len(asked) > 1:
		return notUnderstoodf("scry gives one kind of date at a time: ask when they were hired, then when they left")
	case len(asked) == 0:
		asked = locs[len(locs)-1:]
	}
	loc := asked[0]
	m := []string{text[loc[0]:loc[1]], text[loc[2]:loc[3]]}
	for i, s := range starts {
		if !st.used[i] && s >= loc[0] && s+len(st.toks[i]) <= loc[1] {
			st.used[i] = true
		}
	}
	col := "hire_date"
	switch m[1] {
	case "born", "birth date", "date of birth":
		col = "birth_date"
	case "left", "leave", "quit":
		col = "end_date"
		// "which employees have left, and when": those who left (it listed
		// everyone, most with no date)
		st.addCond(Filter{Field: "end_date", Op: "during", Values: []string{"to date"}})
	}
	st.q.Columns = append(st.q.Columns, col)
	st.listCols, st.people = true, true
	return nil
}

var (
	dayRE    = `(` + weekdayNames + `|mon|tue|wed|thu|fri|sat|sun|weekend|weekday|work day|working day|business day)`
	reOnDays = rx(`(?:(?:on|during|over|at|for) (?:the )?(?:a )?)?` + dayRE + `((?:(?:,| and| or) (?:on )?` + dayRE + `)*)(?: only)?`)
)

var (
	reDay    = regexp.MustCompile(dayRE)
	reDigits = regexp.MustCompile(`\d+`)
)

var dayNumbers = map[string][]string{
	"sunday": {"0"}, "monday": {"1"}, "tuesday": {"2"}, "wednesday": {"3"}, "thursday": {"4"}, "friday": {"5"}, "saturday": {"6"},
	"sun": {"0"}, "mon": {"1"}, "tue": {"2"}, "wed": {"3"}, "thu": {"4"}, "fri": {"5"}, "sat": {"6"},
	"weekend": {"0", "6"}, "weekday": {"1", "2", "3", "4", "5"}, "work day": {"1", "2", "3", "4", "5"},
	"working day": {"1", "2", "3", "4", "5"}, "business day": {"1", "2", "3", "4", "5"},
}

// reRanking: a question that ranks ("the most", "busiest").
var reRanking = regexp.MustCompile(` (?:most|least|fewest|highest|lowest|busiest|quietest|biggest|smallest|largest|top)\b`)

// readDays reads days of the week as a filter: "on Saturdays", "weekend
// shifts", "on weekdays only". "By weekday" (a grouping) is left to the
// model's words.
func (st *parseState) readDays() error {
	for tries := 0; tries < 2; tries++ {
		m, next := st.peekNext(reOnDays)
		if m == nil {
			return nil
		}
		// "by/per weekday" groups; a bare "weekday" after a grouping word is the model's
		i := next - 1
		for i > 0 && !strings.HasPrefix(st.toks[i], strings.Fields(m[1])[0]) {
			i--
		}
		// "which weekday had the most hours": asks for one of the groups
		// ("which weekday staff worked …", "what weekday hours …" are
		// Monday to Friday)
		p := st.prevWord(i)
		asked := (p == "which" || p == "what") && (i+1 >= len(st.toks) || !peopleNouns[st.toks[i+1]] && !factNouns[st.toks[i+1]] || reRanking.MatchString(" "+strings.Join(st.toks, " ")))
		if groupWords[p] || p == "each" || p == "by" || p == "per" || (p == "of" || asked) && st.toks[i] == "weekday" {
			return nil
		}
		st.take(reOnDays)
		var vals []string
		seen := map[string]bool{}
		for _, d := range append([]string{m[1]}, reDay.FindAllString(m[2], -1)...) {
			for _, n := range dayNumbers[d] {
				if !seen[n] {
					seen[n] = true
					vals = append(vals, n)
				}
			}
		}
		st.addCond(Filter{Field: "weekday", Values: vals})
	}
	return nil
}

var rePersonDate = rx(`(hired|hire date|hiring date|date of hire|joined|started|employed|born|birth date|date of birth|birthday|left|end date|hire)(?: (?:is|was|were|are|date|the company|company|u))* (before|after|since|prior to|earlier than|later than|until|till|by|from|between|on or before|on or after|in|during|on)`)

var reDecade = rx(`(born|hired|joined)(?: in)?(?: the)? (\d{2}|\d{4})s`)

// readDecade reads "born in the 90s", "hired in the 2010s".
func (st *parseState) readDecade() {
	m := st.take(reDecade)
	if m == nil {
		return
	}
	y := atoi(m[2])
	if len(m[2]) == 2 {
		y += 1900
		if y < 1930 {
			y += 100
		}
	}
	field := map[string]string{"born": "birth_date"}[m[1]]
	if field == "" {
		field = "hire_date"
	}
	st.addCond(Filter{Field: field, Op: ">=", Values: []string{fmt.Sprintf("%d-01-01", y)}}, Filter{Field: field, Op: "<=", Values: []string{fmt.Sprintf("%d-12-31", y+9)}})
}

// readPersonDates reads conditions on a person's dates: "hired before
// 2002-06-21", "born after 1990", "joined between May 2020 and June 2021".
// A period alone ("hired this year") stays a time range of the hires.
func (st *parseState) readPersonDates() error {
	st.readDecade()
	for tries := 0; tries < 3; tries++ {
		text, _ := st.render()
		loc := rePersonDate.FindStringSubmatchIndex(text)
		if loc == nil {
			return nil
		}
		m, next := st.peekNext(rePersonDate)
		field := "hire_date"
		switch {
		case strings.Contains(m[1], "born") || strings.Contains(m[1], "birth"):
			field = "birth_date"
		case m[1] == "left" || m[1] == "end date":
			field = "end_date"
		}
		lo, hi, n := st.dateAt(next)
		var ref *Ref
		if n == 0 {
			if f, k := st.nameAt(next); k > 0 && m[2] != "in" && m[2] != "during" && m[2] != "on" {
				ref, n = &Ref{Field: field, Filters: []Filter{f}}, k
			} else if k := st.managerOfTheirs(next); k > next && (k >= len(st.toks) || !managerEvent[st.toks[k]]) && (m[2] == "before" || m[2] == "after" || m[2] == "earlier than" || m[2] == "later than" || m[2] == "prior to") {
				ref, n = &Ref{Field: field, Of: "manager"}, k-next // "hired before their manager"
			}
		}
		if n == 0 {
			// a period ("hired in March", "joined last year") is the time rule's
			return nil
		}
		switch m[2] {
		case "in", "during", "on":
			// "hired in 2025" is a period of hires: the time rule reads it
			return nil
		case "between", "from":
			j := st.skip(next+n, "and", "to", "until", "till")
			lo2, hi2, n2 := st.dateAt(j)
			if n2 == 0 || j == next+n {
				return nil
			}
			st.addCond(Filter{Field: field, Op: ">=", Values: []string{lo}}, Filter{Field: field, Op: "<=", Values: []string{hi2}})
			_ = lo2
			n = j + n2 - next
		default:
			op, v := ">", hi
			switch m[2] {
			case "before", "prior to", "earlier than", "until", "till", "by", "on or before":
				op, v = "<", lo
				if m[2] == "by" || m[2] == "on or before" || m[2] == "until" || m[2] == "till" {
					op, v = "<=", hi
				}
			case "since", "on or after":
				op, v = ">=", lo
			}
			f := Filter{Field: field, Op: op}
			if ref != nil && ref.Of != "" {
				f.Ref = ref
			} else if ref != nil {
				f.Ref = ref
				ref.Agg = "min"
				if op == ">" || op == ">=" {
					ref.Agg = "max"
				}
			} else {
				f.Values = []string{v}
			}
			st.addCond(f)
		}
		st.take(rePersonDate)
		st.use(next, next+n)
		st.respan()
	}
	return nil
}

// respan gives the conditions just added the words read with them (a step
// that adds its conditions before taking their words).
func (st *parseState) respan() {
	k := len(st.condSpans) - 1
	if k < 0 || st.condSpans[k][0] >= 0 {
		return
	}
	span := st.newlyRead()
	for ; k >= 0 && st.condSpans[k][0] < 0; k-- {
		st.condSpans[k] = span
	}
}

// newlyRead is the span of the words read since the last call (-1, -1 if
// none), and marks them seen.
func (st *parseState) newlyRead() [2]int {
	if st.seen == nil {
		st.seen = make([]bool, len(st.toks))
	}
	lo, hi := -1, -1
	for i, u := range st.used {
		if u && !st.seen[i] {
			if lo < 0 {
				lo = i
			}
			hi = i + 1
			st.seen[i] = true
		}
	}
	return [2]int{lo, hi}
}

// peekNext is takeNext without reading the words.
func (st *parseState) peekNext(re *regexp.Regexp) ([]string, int) {
	used := append([]bool(nil), st.used...)
	m, next := st.takeNext(re)
	st.used = used
	return m, next
}

// addCond adds conditions on people to the query, remembering the words
// each was read from, so that an "or" between two conditions can join them.
func (st *parseState) addCond(fs ...Filter) {
	span := st.newlyRead()
	for range fs {
		st.condSpans = append(st.condSpans, span)
	}
	st.q.Filters = append(st.q.Filters, fs...)
}

var (
	reReportsTo = rx(`(?:who )?(?:report|reporting|reported|answer|answering)(?: directly or indirectly| directly| indirectly)? to`)
	// "under Jules Dubois", "everyone below X", "in X's whole team": the whole tree
	reUnder     = rx(`(?:who )?(?:(?:work|works|working|are|is) )?(?:under|below|beneath)|in the (?:whole |entire )?(?:team|organisation|organization|tree|hierarchy|reporting line) of`)
	reIndirect  = rx(`(?:directly or indirectly|directly and indirectly|indirectly|at any level|all the way down|at every level)`)
	reManagedBy = rx(`(?:managed|supervised|led|run) by|(?:whose|with) (?:the )?(?:manager|boss|supervisor|line manager) (?:is|being)?`)
	reHasMgr    = rx(`(?:working under|work under|who have|who ha|who has|with|having|that have|that ha|have|ha) (?:a |an |their |his |her |the )?(?:manager|supervisor|boss|line manager)`)
	reNoMgr     = rx(`(?:without|with no|who have no|who do not have|do not have|have no|ha no|no) (?:a |an |their )?(?:manager|supervisor|boss|line manager)`)
	reManaging  = rx(`(?:is |are )?(?:managing|manage|manages|supervising|supervise|supervises|in charge of|responsible for|leading|lead) (\d+ or more|\d+ or fewer|more than \d+|fewer than \d+|less than \d+|at least \d+|at most \d+|over \d+|\d+) (?:employee|people|person|staff|worker|report|subordinate)`)
)

var (
	reReportsOf    = rx(`(?:direct )?(report|subordinate) (?:of|does|do|for|that)`)
	reDirectReport = rx(`direct (report|subordinate)`)
	reMyManager    = rx(`my (?:direct |line |immediate |store |team |shift |department )?(?:manager|boss|supervisor|superior)(?: s)?`)
	reToMyManager  = rx(`(?:report|reporting|under|below|managed by|supervised by) (?:to )?(?:directly )?my`)
	reTeamOf       = regexp.MustCompile(`^ (?:s )?(?:team|direct report|report|staff|people|employee)\b`)
	reToMe         = rx(`(?:my direct (?:report|subordinate)|direct (?:report|subordinate) (?:do|does|did) i have|(?:report|reporting) (?:directly|direct) to me|(?:report|reporting) to me directly)`)
)

var reNamedAs = rx(`(?:named|called|by the name of|with the name|whose name is|name is|name of|(?:with|whose) (?:the )?(?:(?:first|last|given|family) )?name(?: is| of)?|(?:first|last) name is)`)

// readNamed reads a person named in the question: "the doctor named Zach",
// "employees whose last name is McEwen".
func (st *parseState) readNamed() error {
	for tries := 0; tries < 3; tries++ {
		m, next := st.peekNext(reNamedAs)
		if m == nil {
			return nil
		}
		f, n := st.nameAt(next)
		if n == 0 {
			return nil
		}
		if strings.Contains(m[0], "first name") && f.Field == "last_name" || strings.Contains(m[0], "last name") && f.Field == "first_name" {
			return nil
		}
		st.take(reNamedAs)
		st.use(next, next+n)
		st.addCond(f)
	}
	return nil
}

// readReporting reads reporting lines: "report to Payam", "managed by X",
// "who have a manager", "managing 4 or more employees".
func (st *parseState) readReporting() error {
	for _, re := range []*regexp.Regexp{reReportsTo, reManagedBy, reUnder} {
		if m, next := st.peekNext(re); m != nil {
			// "report to someone other than Nora Girard"
			negate, verbEnd := false, next
			if k := st.skip(next, "someone", "somebody", "anyone", "anybody"); k > next && k < len(st.toks) {
				switch {
				case st.toks[k] == "other" && k+1 < len(st.toks) && st.toks[k+1] == "than":
					negate, next = true, k+2
				case st.toks[k] == "but" || st.toks[k] == "except":
					negate, next = true, k+1
				}
			}
			if f, n := st.nameAt(next); n > 0 {
				st.take(re)
				st.use(verbEnd, next) // "someone other than"
				st.use(next, next+n)
				// "(first name)" after a name says which part it is
				if k := st.next(next + n); k >= 0 && k+1 < len(st.toks) && (st.toks[k] == "first" || st.toks[k] == "last") && st.toks[k+1] == "name" {
					st.use(k, k+2)
				}
				op := ""
				if re == reUnder || strings.Contains(m[0], "indirectly") || st.take(reIndirect) != nil {
					op = "under" // anyone below them, at any depth
				}
				st.addCond(Filter{Field: "manager_id", Op: op, Negate: negate, Ref: &Ref{Field: "employee_id", Filters: []Filter{f}}})
			}
		}
	}
	// "my direct reports", "people who report directly to me": not the
	// whole team below the asker, only the first level
	if st.take(reToMe) != nil {
		st.addCond(Filter{Field: "manager_id", Op: "me"})
	}
	// "who is my manager", "my boss's hours": the person the asker reports
	// to, whom only HR and admins may see (Validate)
	if m, next := st.peekNext(reMyManager); m != nil {
		// "who reports to my manager", "my manager's team", "my managers"
		// (for someone who manages managers) ask about other people than
		// the manager: refused rather than read as the manager
		head := next - 1
		if strings.HasSuffix(m[0], " s ") {
			head--
		}
		rest := " " + strings.Join(st.toks[min(next, len(st.toks)):], " ") + " "
		if head >= 0 && head < len(st.words) && strings.HasSuffix(st.words[head], "s") || reToMyManager.MatchString(st.text()) || reTeamOf.MatchString(rest) {
			return notUnderstoodf("scry reads \"my manager\" as the one person you report to; ask about their team by their name (\"who reports to <their full name>\")")
		}
		st.take(reMyManager)
		st.addCond(myManager())
	}
	// "how many direct reports does Marie Lambert have": the people who
	// report to her ("direct" is what "report to" already means)
	if m, next := st.peekNext(reReportsOf); m != nil {
		if f, n := st.nameAt(next); n > 0 {
			st.take(reReportsOf, 1)
			st.use(next, next+n)
			if k := next + n; k < len(st.toks) && st.toks[k] == "have" {
				st.used[k] = true
			}
			st.addCond(reportsTo(f))
		}
	}
	if st.take(reNoMgr) != nil {
		st.addCond(Filter{Field: "manager_id", Op: "set", Negate: true})
	} else if st.take(reHasMgr) != nil {
		st.addCond(Filter{Field: "manager_id", Op: "set"})
	}
	if m := st.take(reManaging); m != nil {
		num := reDigits.FindString(m[1])
		op := comparatorOp(m[1])
		switch {
		case strings.HasSuffix(m[1], "or more"):
			op = ">="
		case strings.HasSuffix(m[1], "or fewer"):
			op = "<="
		case isDigits(m[1]):
			op = "="
		}
		st.addCond(Filter{Field: "reports", Op: op, Values: []string{num}})
	}
	return nil
}

var comparatives = map[string]string{
	"more": ">", "higher": ">", "greater": ">", "larger": ">", "bigger": ">", "older": ">", "later": ">", "above": ">",
	"exceeding": ">", "over": ">", "less": "<", "lower": "<", "smaller": "<", "younger": "<", "earlier": "<", "below": "<",
	"under": "<",
}

var aggWords = map[string]string{
	"average": "avg", "mean": "avg", "avg": "avg", "minimum": "min", "min": "min", "lowest": "min", "smallest": "min",
	"least": "min", "maximum": "max", "max": "max", "highest": "max", "largest": "max", "biggest": "max", "greatest": "max",
	"total": "sum", "sum": "sum",
}

// readComparisons reads comparisons with a computed value: "more than the
// average salary", "older than every engineer", "earns more than the
// employee whose id is 163", "in the same department as Clara".
func (st *parseState) readComparisons() error {
	st.readLikeTheirManager()
	if err := st.readSameAs(); err != nil {
		return err
	}
	if err := st.readDeptWith(); err != nil {
		return err
	}
	st.readPossessiveGroup()
	st.readMoreThanPerson()
	for i := 0; i < len(st.toks); i++ {
		op, ok := comparatives[st.toks[i]]
		if !ok || st.used[i] {
			continue
		}
		j := i + 1
		attrFwd := "" // "more salary than"
		if j < len(st.toks) && !st.used[j] {
			if a := valueAttrWords[st.toks[j]]; a != "" && j+1 < len(st.toks) && st.toks[j+1] == "than" {
				attrFwd, j = a, j+1
			} else if a, n := st.attrAt(j); n > 1 && j+n < len(st.toks) && st.toks[j+n] == "than" && attributes[a].typ == "number" {
				attrFwd, j = a, j+n // "a higher hourly wage than"
			}
		}
		if j < len(st.toks) && st.toks[j] == "than" && !st.used[j] {
			j++
		} else if st.toks[i] != "above" && st.toks[i] != "below" && st.toks[i] != "exceeding" {
			continue
		}
		ref, n := st.refAt(j, op)
		if ref == nil {
			continue
		}
		if k := j + n; k+1 < len(st.toks) && (st.toks[k] == "in" || st.toks[k] == "of" || st.toks[k] == "at" || st.toks[k] == "within" || st.toks[k] == "for") &&
			(st.toks[k+1] == "their" || st.toks[k+1] == "his" || st.toks[k+1] == "her" || st.toks[k+1] == "each") {
			// "above the average wage of teachers in their school": each
			// person's own group's average, which one value is not
			st.refuse(notUnderstoodf("scry compares each person with one value for everyone named, not with their own group's (%q)", strings.Join(st.words[k:min(k+3, len(st.words))], " ")))
			return nil
		}
		attr := attrFwd
		if st.toks[i] == "older" || st.toks[i] == "younger" {
			attr = "age"
		}
		back := -1
		for k := i - 1; k >= 0 && k >= i-5; k-- {
			// ("the average age of people older than their manager": "age"
			// is the average's, not the comparison's)
			if a := valueAttrWords[st.toks[k]]; a != "" && !st.used[k] && (attr == "" || a == attr) && (ref.Field == "" || a == ref.Field || ref.Of != "") && (k == 0 || aggWords[st.toks[k-1]] == "") {
				attr, back = a, k
				break
			}
		}
		if ref.Of != "" && ref.Field != "" && attr != "" && ref.Field != attr {
			// "whose hourly wage is higher than their manager's age"
			st.refuse(notUnderstoodf("scry compares a person's %s with their manager's %s, not with another of their numbers", strings.ReplaceAll(attr, "_", " "), strings.ReplaceAll(attr, "_", " ")))
			return nil
		}
		if attr == "" && ref.Field != "" {
			attr = ref.Field
		}
		if attr == "" {
			continue
		}
		ref.Field = attr
		st.use(i, j+n)
		if back >= 0 {
			// "whose hourly wage is higher than …": the attribute's whole name
			if a, n := st.attrAt(back - 1); back > 0 && n == 2 && a == attr {
				st.used[back-1] = true
			}
			st.used[back] = true
		}
		st.addCond(Filter{Field: attr, Op: op, Ref: ref})
	}
	return nil
}

// refAt reads the right-hand side of a comparison at word j: an aggregate
// ("the average salary"), a quantified group ("every engineer"), one
// person ("the employee whose id is 163", "Clara"). op is the comparison,
// which decides what "every" and "any" mean.
func (st *parseState) refAt(j int, op string) (*Ref, int) {
	start := j
	j = st.skip(j, "the", "that", "those", "of", "a")
	if j >= len(st.toks) || st.used[j] {
		return nil, 0
	}
	w := st.toks[j]
	if k := st.managerOfTheirs(j); k > j {
		// "more than their manager", "than their manager's hourly wage"
		ref := &Ref{Of: "manager"}
		if a, n := st.attrAt(k); n > 0 {
			ref.Field, k = a, k+n
		}
		return ref, k - start
	}
	if agg := aggWords[w]; agg != "" && agg != "sum" {
		k := j + 1
		field := ""
		var pre []Filter // "the average cashier wage", "the average cashier"
		if fs, n := st.valuesAt(k); n > 0 {
			if a, an := st.attrAt(k + n); an > 0 && attributes[a].typ == "number" || an == 0 {
				pre, k = fs, k+n
			}
		}
		if a, n := st.attrAt(k); n > 0 && attributes[a].typ == "number" {
			field, k = a, k+n
		}
		ref := &Ref{Agg: agg, Field: field, Filters: pre}
		// "of all employees", "of engineers"
		if k2 := st.skip(k, "of", "all", "the", "for"); k2 > k {
			if fs, n := st.valuesAt(k2); n > 0 {
				ref.Filters, k = fs, k2+n
			} else if k2 < len(st.toks) && peopleNouns[st.toks[k2]] {
				k = k2 + 1
			}
		}
		return ref, k - start
	}
	quant := map[string]bool{"every": true, "all": true, "each": true, "any": true, "some": true}
	if quant[w] || w == "at" && j+2 < len(st.toks) && st.toks[j+1] == "least" && st.toks[j+2] == "1" || w == "1" && j+1 < len(st.toks) && st.toks[j+1] == "of" {
		all := w == "every" || w == "all" || w == "each"
		k := j + 1
		if w == "at" {
			k = j + 3
		}
		k = st.skip(k, "of", "the", "other")
		fs, n := st.valuesAt(k)
		if n == 0 {
			if k < len(st.toks) && peopleNouns[st.toks[k]] {
				n = 1
			} else {
				return nil, 0
			}
		}
		agg := "min"
		if all == (op == ">" || op == ">=") {
			agg = "max"
		}
		return &Ref{Agg: agg, Filters: fs}, k + n - start
	}
	if peopleNouns[w] || w == "employee" {
		k := st.skip(j+1, "whose", "with", "the", "having", "employee")
		if k < len(st.toks) && (st.toks[k] == "id" || st.toks[k] == "number") {
			k = st.skip(k+1, "is", "of", "number")
			if k < len(st.toks) && isDigits(st.toks[k]) && !st.used[k] && st.mayName("employee_id", st.toks[k]) {
				return &Ref{Agg: "max", Filters: []Filter{{Field: "employee_id", Values: []string{st.toks[k]}}}}, k + 1 - start
			}
		}
		if k < len(st.toks) && st.toks[k] == "named" {
			if f, n := st.nameAt(k + 1); n > 0 {
				return &Ref{Agg: "max", Filters: []Filter{f}}, k + 1 + n - start
			}
		}
		return nil, 0
	}
	if f, n := st.nameAt(j); n > 0 {
		return &Ref{Agg: "max", Filters: []Filter{f}}, j + n - start
	}
	return nil, 0
}

// reLikeManager: a place or group of each person set against their own
// manager's ("work in a different location than their manager", "whose
// manager is based in another city than they are", "in the same
// department as their manager").
var (
	reLikeManager = rx(`(?:(?:work|works|working|based|are|is) )?(?:in|at) (?:a |the )?(different|another|other|same) (location|city|site|store|department|dept|school|position|job|role) (?:than|from|as|to) (?:their|his|her) (?:own )?(?:direct |line |immediate )?(?:manager|boss|supervisor)`)
	reManagerLike = rx(`whose (?:direct |line |immediate )?(?:manager|boss|supervisor) (?:is |works |work )?(?:based |working )?(?:in|at) (?:a |the )?(different|another|other|same) (location|city|site|store|department|dept|school|position|job|role) (?:than|from|as|to) (?:they are|they do|they|them|theirs|their own|he is|she is|he does|she does)`)
)

// readLikeTheirManager reads reLikeManager and reManagerLike.
func (st *parseState) readLikeTheirManager() {
	for _, re := range []*regexp.Regexp{reLikeManager, reManagerLike} {
		m := st.take(re)
		if m == nil {
			continue
		}
		field := map[string]string{"location": "location", "city": "location", "site": "location", "store": "location", "department": "department",
			"school": "department", "dept": "department", "position": "position", "job": "position", "role": "position"}[m[2]]
		st.addCond(Filter{Field: field, Ref: &Ref{Field: field, Of: "manager"}, Negate: m[1] != "same"})
	}
}

// eventPeriodWords: the words a period begins with after an event ("left in
// 2025", "hired last year").
var eventPeriodWords = wordSet(`in during since last this next on between from before after`)

// managerEvent: words after "their manager" that name another of the
// manager's dates ("after their manager left"), not their hire date.
var managerEvent = wordSet(`left leave quit joined started arrived hired was were did retired`)

// managerOfTheirs is where the words "their (direct) manager" starting at j
// end, or j.
func (st *parseState) managerOfTheirs(j int) int {
	if j >= len(st.toks) || st.toks[j] != "their" && st.toks[j] != "his" && st.toks[j] != "her" {
		return j
	}
	k := st.skip(j+1, "own", "direct", "line", "immediate")
	if k < len(st.toks) && !st.used[k] && (st.toks[k] == "manager" || st.toks[k] == "boss" || st.toks[k] == "supervisor") {
		return k + 1
	}
	return j
}

var reDeptWith = rx(`(?:work |works |working )?(?:in|from|at) (?:a|any|the) (department|dept|location|city|office|store|site|school|position|job) (?:with|that has|that have|having|where there is|which has|that ha) (?:any |an |a |some |at least one )?(?:employee|someone|somebody|people|person|staff|colleague|one)`)

// readDeptWith reads "work in a department with any employee whose name
// contains a T": the group of someone who meets the conditions after it.
func (st *parseState) readDeptWith() error {
	m, _ := st.peekNext(reDeptWith)
	if m == nil {
		return nil
	}
	attr := ""
	for _, ap := range attrPhrases {
		if ap.phrase == m[1] && attributes[ap.attr].dim != "" {
			attr = ap.attr
		}
	}
	if attr == "" {
		return nil
	}
	used := append([]bool(nil), st.used...)
	st.take(reDeptWith)
	before := len(st.q.Filters)
	if err := st.readNamePatterns(); err != nil {
		return err
	}
	moved := append([]Filter(nil), st.q.Filters[before:]...)
	st.q.Filters = st.q.Filters[:before]
	if len(moved) == 0 {
		st.used = used
		return nil
	}
	st.addCond(Filter{Field: attr, Ref: &Ref{Field: attr, Filters: moved}})
	return nil
}

// readPossessiveGroup reads "Lucie Moreau's school", "Nora's department",
// "Marie Lambert's team": the group that person belongs to (or leads).
func (st *parseState) readPossessiveGroup() {
	for i := 0; i < len(st.toks); i++ {
		f, n := st.nameAt(i)
		if n == 0 || i+n >= len(st.toks) || st.used[i+n] && st.toks[i+n] != "direct" {
			continue
		}
		k := i + n
		if st.toks[k] == "direct" && k+1 < len(st.toks) && (st.toks[k+1] == "report" || st.toks[k+1] == "subordinate") {
			st.used[k] = true // "Marie Lambert's direct reports"
			k++
		}
		if st.toks[k] == "team" || st.toks[k] == "report" || st.toks[k] == "staff" || st.toks[k] == "people" || st.toks[k] == "subordinate" {
			st.use(i, k+1)
			st.addCond(reportsTo(f))
			return
		}
		if st.positionAt(k) {
			continue // "Hugo Martin's store manager": a position, not his store (it listed every manager in his city)
		}
		a, an := st.attrAt(k)
		if an == 0 {
			// the model's words for a group: "school", "store", "site"
			for _, mn := range st.p.phrases[st.toks[k]] {
				if mn.kind == "dim" && (mn.name == "department" || mn.name == "location" || mn.name == "position") {
					a, an = mn.name, 1
				}
			}
		}
		if an == 0 || attributes[a].dim == "" || a == "name" || a == "manager" {
			continue
		}
		st.use(i, k+an)
		st.addCond(Filter{Field: a, Ref: &Ref{Field: a, Filters: []Filter{f}}})
		return
	}
}

var reSameAs = rx(`(?:in|from|at|of|with|work in|working in|works in) (?:the )?same (department|dept|position|job|job title|role|location|city|town|site|store|office|school|manager|contract type|gender) as`)

// readSameAs reads "in the same department as Clara" (and "excluding
// Clara", "not including Clara").
func (st *parseState) readSameAs() error {
	m, next := st.peekNext(reSameAs)
	if m == nil {
		return nil
	}
	k := st.skip(next, "someone", "somebody", "the", "employee", "person", "with", "named", "whose", "first", "last", "name", "is", "an", "a")
	f, n := st.nameAt(k)
	if n == 0 {
		return nil
	}
	attr, _ := st.attrAt(next - 1)
	for _, ap := range attrPhrases {
		if ap.phrase == normPhrase(m[1]) {
			attr = ap.attr
		}
	}
	if attr == "" {
		return nil
	}
	st.take(reSameAs)
	st.use(next, k+n)
	st.addCond(Filter{Field: attr, Ref: &Ref{Field: attr, Filters: []Filter{f}}})
	if m2, next2 := st.peekNext(reExcluding); m2 != nil {
		if f2, n2 := st.nameAt(next2); n2 > 0 && f2.Values[0] == f.Values[0] {
			st.take(reExcluding)
			st.use(next2, next2+n2)
			f2.Negate = true
			st.addCond(f2)
			return nil
		}
	}
	// "who works at the same school as Nora Thomas" asks for her
	// colleagues; "employees in the same department as Clara" lists all
	if len(st.toks) > 0 && st.toks[0] == "who" {
		not := f
		not.Negate = true
		st.addCond(not)
	}
	return nil
}

// excludingWords leave someone out ("not including Marie", "except Marie").
var excludingWords = wordSet(`excluding except besides without other`)

var reExcluding = rx(`(?:excluding|except|except for|not including|other than|but not|apart from|without|besides|but)`)

var (
	reNamePat1 = rx(`(?:(first|last|full|given|family) )?name (?:that |which |who )?(?:is |are )?(does not |do not |did not |not |does |do )?(start|starting|begin|beginning|end|ending|contain|containing|include|including|has|have|with|without)(?: with| in)? (?:the |a |an )?(?:letter |character |string |substring |text )?([a-z0-9]+(?: (?:or|and) (?:the )?(?:letter )?[a-z0-9]+)*)`)
	reNamePat2 = rx(`(without|with|have|has|having|not having|contain|containing|include|including|who have|that have) (?:a |an |the )?(?:letter |character |string )?([a-z0-9]+(?: (?:or|and) [a-z0-9]+)*) (?:in|to|on|inside|within) (?:their |his |her |the |its )?(?:(first|last|full|given|family) )?name`)
)

// readNamePatterns reads conditions on the letters of names: "first name
// ends with m", "without the letter M in their first name", "contains D or S".
func (st *parseState) readNamePatterns() error {
	for tries := 0; tries < 3; tries++ {
		var part, neg, verb, vals string
		if m := st.take(reNamePat1); m != nil {
			part, neg, verb, vals = m[1], m[2], m[3], m[4]
			if neg == "does " || neg == "do " {
				neg = ""
			}
		} else if m := st.take(reNamePat2); m != nil {
			part, verb, vals = m[3], m[1], m[2]
		} else {
			return nil
		}
		field := map[string]string{"first": "first_name", "given": "first_name", "last": "last_name", "family": "last_name"}[part]
		if field == "" {
			field = "name"
		}
		op := "contains"
		switch verb {
		case "start", "starting", "begin", "beginning":
			op = "starts"
		case "end", "ending":
			op = "ends"
		}
		negate := neg != "" || strings.HasPrefix(verb, "without") || strings.HasPrefix(verb, "not")
		if strings.Contains(vals, " and ") {
			for _, v := range strings.Split(vals, " and ") {
				st.addCond(Filter{Field: field, Op: op, Values: []string{strings.TrimPrefix(strings.TrimPrefix(v, "the "), "letter ")}, Negate: negate})
			}
			continue
		}
		var vs []string
		for _, v := range strings.Split(vals, " or ") {
			vs = append(vs, strings.TrimPrefix(strings.TrimPrefix(v, "the "), "letter "))
		}
		st.addCond(Filter{Field: field, Op: op, Values: vs, Negate: negate})
	}
	return nil
}

var reTenureThan = rx(`(?:been|worked|working|employed|stayed|served) (?:with us|with the company|for the company|at the company|in the company|here) (longer than|more than|over|less than|under|fewer than|shorter than) (\d+(?:\.\d+)?) year`)

var reTenureFor = rx(`(?:(?:been|worked|working|employed|here|stayed|served)(?: with us| with the company| for the company| at the company| in the company| here)? )?for (more than|over|at least|less than|under|fewer than|no more than|at most) (\d+(?:\.\d+)?) year`)

const attrRE = `(hourly wage|hourly salary|hourly pay|salary|wage|pay rate|hourly rate|pay|earn|earning|make|making|paid|get paid|age|aged|tenure|seniority|year of service|contracted hour|contract hour)`
const cmpRE = `(between|more than|greater than|greater|higher than|larger than|bigger than|above|over|exceeding|in excess of|at least|no less than|not less than|less than|lower than|smaller than|below|under|at most|no more than|not more than|equal to|exactly|more|less)`

var (
	reAttrCmp0 = rx(cmpRE + `(?: (?:a|an|the))? ` + attrRE + `(?: of)? (\d+(?:\.\d+)?)(?: (?:and|to) (\d+(?:\.\d+)?))?(?: (?:an hour|a hour|per hour|hourly))?`)
	reAttrCmp1 = rx(`(?:(average|mean|total|minimum|maximum|min|max) )?` + attrRE + `(?: (?:is|are|was|were|a|an|the|that|which|who|get|u|being))* ` + cmpRE + `(?: (?:a|an|the))?(?: ` + attrRE + `)?(?: of)? (\d+(?:\.\d+)?)(?: (?:and|to) (\d+(?:\.\d+)?))?(?: (?:year old|year|dollar|euro|an hour|a hour|per hour|hourly|each hour))?`)
	reAttrCmp2 = rx(cmpRE + `(?: (?:a|an|the))? (\d+(?:\.\d+)?)(?: (?:and|to) (\d+(?:\.\d+)?))? ` + attrRE)
	// "contracted for less than 30 hours a week"
	reContracted = rx(`(?:contracted|contract|employed|scheduled by contract) (?:for )?` + cmpRE + ` (\d+(?:\.\d+)?) hour(?: (?:a|per|each) week)?`)
	// "a contract of 24 hours per week", "on a 35-hour contract",
	// "contracted hours of 28": that many (a number alone was refused);
	// not "my 20h contract", which describes the asker's
	reContractEq = rx(`(?:(?:contract|contracted|employed) (?:of|for) (\d+(?:\.\d+)?) hour(?: (?:a|per|each) week)?|(?:on (?:a |an )?|(?:a|an) )(\d+(?:\.\d+)?) hour (?:a week |per week |weekly )?contract|(?:contract|contracted) hour (?:(?:of|=) )?(\d+(?:\.\d+)?))`)
	// "with more than 20 direct reports"
	reReportsN   = rx(`(?:with|having|who have|who has|that have|that has|have|has) (more than|at least|over|fewer than|less than|exactly|at most) (\d+) (?:direct )?(?:report|subordinate|people reporting)`)
	reAttrAnd    = rx(`and (?:is |are )?` + cmpRE + ` (\d+(?:\.\d+)?)`)
	reAge        = rx(`(?:(older|younger) than (\d+)|(?:over|above|under|below) (?:the )?age(?: of)? (\d+)|(?:aged|age) (over|above|under|below) (\d+)|(over|above|under|below) (\d+) year(?: old)?|(over|above|under|below|younger than|older than) (\d+))(?: year(?: old)?)?`)
	reMeasureIs  = regexp.MustCompile(` (?:average|mean|median|number|count|total) (?:[a-z_]+ ){0,5}(?:is|was|wa) $`)
	reShareAsked = regexp.MustCompile(` (?:what|which|how) (?:a )?(?:percentage|percent|share|proportion|ratio|fraction) `)
	reShareIs    = regexp.MustCompile(` (?:percentage|percent|share|proportion|ratio|fraction) (?:[a-z_]+ ){0,5}(?:is|was|wa) $`)
	reClauseIs   = regexp.MustCompile(` (?:who|that|which) (?:is|was|wa) $`) // "the number of people who is under 40": their age
	reAgeWord    = regexp.MustCompile(` (age|aged|old|older|young|younger|youngest|oldest) `)
	reFactWord   = regexp.MustCompile(` (hour|shift|day|absence|week|month|time|sick|vacation|leave|salary|wage|pay) `)
	reUnitWord   = regexp.MustCompile(` (hour|shift|day|absence|week|month|time|employee|people|person|staff|worker|dollar|euro|percent) `)
)

func attrOf(w string) string {
	switch {
	case strings.HasPrefix(w, "age") || w == "aged":
		return "age"
	case w == "tenure" || w == "seniority" || w == "year of service":
		return "tenure"
	case strings.Contains(w, "hour") && !strings.HasPrefix(w, "hourly"):
		return "weekly_hours"
	}
	return "hourly_wage"
}

// readAttrConditions reads comparisons of a person's numbers with a
// number: "salary between 100000 and 200000", "earning less than 6000",
// "at least 100000 salary", "older than 30", "under age 30".
func (st *parseState) readAttrConditions() error {
	last := ""
	add := func(attr, cmp, a, b string) {
		if cmp == "between" || b != "" {
			st.addCond(Filter{Field: attr, Op: ">=", Values: []string{a}}, Filter{Field: attr, Op: "<=", Values: []string{b}})
		} else {
			op := comparatorOp(cmp)
			if cmp == "of" {
				op = "="
			}
			st.addCond(Filter{Field: attr, Op: op, Values: []string{a}})
		}
		last = attr
	}
	// "been with us for at least 10 years": tenure
	if m := st.take(reTenureFor); m != nil {
		add("tenure", m[1], m[2], "")
	} else if m := st.take(reTenureThan); m != nil {
		add("tenure", m[1], m[2], "") // "been here longer than 10 years"
	}
	if m := st.take(reContracted); m != nil {
		add("weekly_hours", m[1], m[2], "")
	} else if m, next := st.peekNext(reContractEq); m != nil && !st.firstPersonBefore(next-len(strings.Fields(m[0]))) {
		// ("I'm on a 20 hour contract, how many hours did I work": the
		// asker's own contract, said to explain, no condition)
		st.take(reContractEq)
		add("weekly_hours", "of", m[1]+m[2]+m[3], "")
	}
	if m := st.take(reReportsN); m != nil {
		add("reports", m[1], m[2], "")
	}
	for tries := 0; tries < 4; tries++ {
		if m := st.take(reAttrCmp0); m != nil {
			add(attrOf(m[2]), m[1], m[3], m[4])
			continue
		}
		if m := st.take(reAttrCmp1); m != nil {
			if m[1] != "" {
				// "jobs whose average salary is above 8000": a condition on
				// the group's aggregate, not on each person
				v := atof(m[5])
				st.q.Having = &Condition{Op: comparatorOp(m[3]), Value: v}
				st.measures = append(st.measures, attributes[attrOf(m[2])].measure)
				st.average = true
				if a := aggWords[m[1]]; a != "avg" {
					st.q.Aggs = []string{a}
				}
				continue
			}
			add(attrOf(m[2]), m[3], m[5], m[6])
			continue
		}
		if m := st.take(reAttrCmp2); m != nil {
			add(attrOf(m[4]), m[1], m[2], m[3])
			continue
		}
		break
	}
	for _, f := range st.q.Filters {
		if f.Ref != nil && attributes[f.Field].typ == "number" {
			last = f.Field
		}
	}
	if last != "" {
		if m := st.take(reAttrAnd); m != nil {
			add(last, m[1], m[2], "")
		}
	}
	// ages: "older than 30", "aged over 40", "under 40" when nothing else
	// is counted by that number
	text := st.text()
	if m := reAge.FindStringSubmatch(text); m != nil {
		if m[8] != "" {
			// a bare "under 40" is an age only when no other unit is in sight
			n := atoi(m[9])
			rest := text[strings.Index(text, m[0])+len(m[0])-1:]
			if n < 14 || n > 100 || reUnitWord.MatchString(" "+strings.Fields(rest + " _")[0]+" ") {
				return nil
			}
			if reFactWord.MatchString(text) && !reAgeWord.MatchString(text) {
				return nil
			}
			if before := text[:strings.Index(text, m[0])+1]; (reMeasureIs.MatchString(before) || reShareIs.MatchString(before) && !reShareAsked.MatchString(before)) && !reClauseIs.MatchString(before) {
				return nil // "the average age of employees is over 40", "the number of employees is above 20": the groups'
			}
		}
		st.take(reAge)
		op := ">"
		if strings.Contains(m[0], "younger") || strings.Contains(m[0], "under") || strings.Contains(m[0], "below") {
			op = "<"
		}
		st.addCond(Filter{Field: "age", Op: op, Values: []string{firstNonEmptyStr(m[2], m[3], m[5], m[7], m[9])}})
	}
	return nil
}

func atof(s string) float64 { f, _ := strconv.ParseFloat(s, 64); return f }

const clockRE = `(midnight|noon|(\d{1,2})(?: (\d{2}))?(?: ?(am|pm|h))?)`

var (
	reClockVerb = `(start|started|starting|begin|began|beginning|kicked off|kick off|clock in|clocked in|end|ended|ending|finish|finished|finishing|ran|run|running|went|go|going|ran on|run on|went on)`
	// "shifts that started before 7am", "ended after midnight", "ran past
	// midnight", "starting at 5pm or later"
	reClockCond = rx(`(?:that |which )?` + reClockVerb + ` (?:(?:a|the|their|my|his|her) )?(shift )?(?:at |to |on )?(before|after|earlier than|later than|past|by|until|till)? ?` + clockRE + `(?: (or later|or after|or earlier|or before))?`)
	reOvernight = rx(`(overnight|night)`)
	// after "shift" (group 1, left for the measure): its length against a
	// number of hours (group 2 the comparison, 3 the hours)
	reShiftHours    = rx(`(shift) (?:that |which )?(?:were |was |are |is |had been )?(?:worked )?(?:(?:lasting|lasted|last|running|ran|run|going|went) |(?:with|having|of) (?:a |an )?(?:duration|length) (?:of )?|of )?(longer|shorter|more|less|over|under|above|below|at least|at most) (?:than )?(\d+(?:\.\d+)?) hour(?: long)?`)
	reWereOvernight = rx(`(?:were|was|are|is|went|ran) overnight`)
	// "shifts with no break", "without a break", "a break of more than 30
	// minutes": one shift's own break
	reNoBreak  = rx(`(?:with (?:no|zero|0)|without (?:a |any )?|(?:had|having|took|taking) no|no)[ -]?break(?: minute| time)?`)
	reBreakLen = rx(`(?:with |had |having )?(?:a )?break (?:time )?(?:of |that (?:was|were|lasted) |lasting )?(longer|shorter|more|less|over|under|above|below|at least|at most) (?:than )?(\d+(?:\.\d+)?) ?(minute|min|hour|hr|h)`)
)

// reRunningVerb: a shift going on at a moment ("running at 10pm"), which is
// neither its start nor its end.
var reRunningVerb = regexp.MustCompile(`^(?:ran|run|running|went|go|going|ran on|run on|went on)$`)

// readClock reads conditions on a shift's time of day.
func (st *parseState) readClock() error {
	for tries := 0; tries < 2; tries++ {
		m, _ := st.peekNext(reClockCond)
		if m == nil {
			break
		}
		field := "start_time"
		switch m[1] {
		case "end", "ended", "ending", "finish", "finished", "finishing", "ran", "run", "running", "went", "go", "going", "ran on", "run on", "went on":
			field = "end_time"
		}
		op := map[string]string{"before": "<", "earlier than": "<", "by": "<=", "until": "<=", "till": "<=", "after": ">", "later than": ">", "past": ">"}[m[3]]
		switch m[8] {
		case "or later", "or after":
			op = ">="
		case "or earlier", "or before":
			op = "<="
		}
		if op == "" && m[8] == "" && m[3] == "" && strings.Contains(" "+m[0]+" ", " at ") && (m[6] != "" || m[7] == "am" || m[7] == "pm" || m[4] == "noon") && !reRunningVerb.MatchString(m[1]) {
			op = "=" // "shifts starting at 7:15", "that began at 6am": that moment
		}
		if op == "" || m[8] != "" && m[3] != "" && m[3] != "until" && m[3] != "till" {
			return nil // "started at 7": morning or evening is not said
		}
		hh, mm := atoi(m[5]), atoi(m[6])
		switch {
		case m[4] == "noon":
			hh = 12
		case m[4] == "midnight":
			if field != "end_time" || op[0] != '>' {
				return nil
			}
			hh = 24
		case m[7] == "pm" && hh < 12:
			hh += 12
		case m[7] == "am" && hh == 12:
			hh = 0
		case m[7] == "" && m[6] == "" && hh >= 1 && hh <= 11:
			return nil // "ended after 5": morning or evening is not said
		}
		if hh > 24 || mm > 59 || hh == 24 && mm > 0 {
			return nil
		}
		st.take(reClockCond, 2) // "finished a shift after midnight": the shifts are the measure
		st.addCond(Filter{Field: field, Op: op, Values: []string{fmt.Sprintf("%02d:%02d", hh, mm)}})
		// "shifts that started before 7am": shifts that happened
		st.clockPast = st.clockPast || strings.HasSuffix(m[1], "ed") || strings.HasPrefix(m[1], "kicked") || m[1] == "began" || strings.HasPrefix(m[1], "ran") || strings.HasPrefix(m[1], "went")
	}
	// "shifts longer than 8 hours", "shifts that lasted more than eight
	// hours", "shifts with a duration over 8h": one shift's own length
	if m := st.take(reShiftHours, 1); m != nil {
		op := map[string]string{"longer": ">", "more": ">", "over": ">", "above": ">", "shorter": "<", "less": "<", "under": "<", "below": "<", "at least": ">=", "at most": "<="}[m[2]]
		st.addCond(Filter{Field: "shift_hours", Op: op, Values: []string{m[3]}})
	}
	if st.take(reNoBreak) != nil {
		st.addCond(Filter{Field: "shift_break", Op: "=", Values: []string{"0"}})
	} else if m := st.take(reBreakLen); m != nil {
		op := map[string]string{"longer": ">", "more": ">", "over": ">", "above": ">", "shorter": "<", "less": "<", "under": "<", "below": "<", "at least": ">=", "at most": "<="}[m[1]]
		minutes := m[2]
		if m[3] == "hour" || m[3] == "hr" || m[3] == "h" {
			minutes = strconv.FormatFloat(atof(m[2])*60, 'f', -1, 64) // "a break of at least 1 hour": 60 minutes
		}
		st.addCond(Filter{Field: "shift_break", Op: op, Values: []string{minutes}})
	}
	// "overnight shifts", "shifts that were overnight": those that end the next day
	if m, next := st.peekNext(reOvernight); m != nil && next < len(st.toks) && st.toks[next] == "shift" {
		st.take(reOvernight)
		st.addCond(Filter{Field: "end_time", Op: ">", Values: []string{"24:00"}})
	} else if st.take(reWereOvernight) != nil {
		st.addCond(Filter{Field: "end_time", Op: ">", Values: []string{"24:00"}})
	}
	return nil
}

// factWordList may stand between a comparative and "than" in a comparison of
// totals: "more hours than", "fewer sick days than".
const factWordList = `hour day shift absence sick leave vacation time`

var factWords = wordSet(factWordList)

// myManager keeps the asker's manager: the person whose employee ID is
// the asker's manager_id.
func myManager() Filter {
	return Filter{Field: "employee_id", Ref: &Ref{Field: "manager_id", Filters: []Filter{{Field: "employee_id", Op: "me"}}}}
}

// readMoreThanPerson reads "which cashiers worked more hours than Lea
// David": people kept by their total against that person's, computed
// when the question is asked. With a second name in the question ("did
// Hugo work more hours than Lea") the two are compared side by side
// instead (decide); a person's own number ("earns more than Lea") is
// readComparisons'.
func (st *parseState) readMoreThanPerson() {
	for i := 0; i < len(st.toks); i++ {
		op, ok := comparatives[st.toks[i]]
		if !ok || st.used[i] || st.toks[i] == "older" || st.toks[i] == "younger" {
			continue
		}
		j := i + 1
		for j < len(st.toks) && factWords[st.toks[j]] {
			j++
		}
		if j == i+1 || j >= len(st.toks) || st.toks[j] != "than" {
			continue // "worked more than Lea": more of what is not said
		}
		f, n := st.nameAt(j + 1)
		if n == 0 {
			return
		}
		for k := 0; k < len(st.toks); k++ {
			if _, m := st.nameAt(k); m > 0 && k != j+1 || k >= max(0, i-4) && k < i && valueAttrWords[st.toks[k]] != "" {
				return // another name, or a person's own number ("earns more than")
			}
		}
		st.used[i], st.used[j] = true, true
		st.use(j+1, j+1+n)
		st.q.Having = &Condition{Op: op, Ref: &Ref{Filters: []Filter{f}}}
		st.people = true
		return
	}
}

// firstPersonBefore: the asker speaks of themselves in the few words
// before word i ("I'm on a 35-hour contract", "as a manager on …").
func (st *parseState) firstPersonBefore(i int) bool {
	for k := max(0, i-4); k < i && k < len(st.toks); k++ {
		switch st.toks[k] {
		case "i", "im", "am", "me", "myself", "as":
			return true
		}
	}
	return false
}
