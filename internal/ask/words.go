package ask

import (
	"regexp"
	"slices"
	"strings"
)

var reEmpID = rx(`(?:(?:with|whose|having|of|for) )?(?:the )?(?:employee |staff )?(?:id|number|employee number|employee id)(?: (?:is|of|number))? ([a-z]{0,3}\d+)`)

// groupWords introduce a grouping: "by department", "for each school",
// "in each of the departments", "for different job titles".
var groupWords = wordSet(`by per each every across between among different various`)

// readWords links the words left to the model and the tenant: measures,
// grouping dimensions and values (departments, positions, names, enums).
func (st *parseState) readWords() error {
	if m, _ := st.peekNext(reEmpID); m != nil && st.mayName("employee_id", m[1]) {
		st.take(reEmpID)
		st.addCond(Filter{Field: "employee_id", Values: []string{m[1]}})
	}
	// "which department had the most employees leave in 2025": "leave" as
	// the verb of people named in the plural is leaving, not time off
	// ("employees on leave" is: "on" stands between)
	for i := 1; i < len(st.toks); i++ {
		if st.toks[i] == "leave" && !st.used[i] && (st.words[i-1] == "employees" || st.words[i-1] == "people" || st.words[i-1] == "workers") {
			st.used[i] = true
			st.measures = append(st.measures, "leavers")
		}
	}
	// the words still unread, in runs, linked longest phrase first
	p := st.p
	var items []item
	idx := []int{}
	for i := 0; i <= len(st.toks); i++ {
		if i < len(st.toks) && !st.used[i] {
			idx = append(idx, i)
			continue
		}
		if len(idx) > 0 {
			run := make([]string, len(idx))
			for k, j := range idx {
				run[k] = st.toks[j]
			}
			off := 0
			for _, it := range p.linkKeeping(run, st.keepName) {
				n := strings.Count(it.text, " ") + 1
				it.pos = idx[off]
				it.n = n
				items = append(items, it)
				off += n
			}
			idx = idx[:0]
		}
	}
	for k, it := range items {
		if it.n == 1 && onlyPartsOfNames(it.meanings) {
			if full := st.fullNameWith(it.pos); full != "" {
				items[k].meanings = []meaning{{kind: "value", name: "name", value: full}}
			}
		}
	}
	st.items = items
	defer st.readAlternatives()
	for k, it := range items {
		if len(it.meanings) == 0 {
			continue
		}
		prev := st.prevWord(it.pos)
		// "in their departments", "within each school": per group
		if p2 := it.pos - 1; p2 > 0 && (st.toks[p2] == "their" || st.toks[p2] == "his" || st.toks[p2] == "her") && (st.toks[p2-1] == "in" || st.toks[p2-1] == "within") {
			prev = "each"
			st.use(p2-1, p2+1)
		}
		// "top 3 stores by hours worked": groups, ranked
		topN := it.pos >= 2 && isNumber(st.toks[it.pos-1]) && (st.toks[it.pos-2] == "top" || st.toks[it.pos-2] == "bottom") || prev == "top" || prev == "bottom"
		grouping := groupWords[prev] && prev != "between" || prev == "between" && len(st.dims) == 0 && !st.hasValueAfter(k) || topN ||
			((prev == "and" || prev == "then") && len(st.dims) > 0 && k > 1 && items[k-2].isDim())
		// "hours worked in total across all our sites": summed over them,
		// one total ("the lowest paid across all departments" is of each);
		// "who's off today across all the schools": everyone, listed (a
		// ranked list, "the lowest paid employees across all departments", is
		// of each, as Spider's annotators read it)
		acrossAll := false
		if whole := " " + strings.Join(st.toks, " ") + " "; prev == "across" && (reTotal.MatchString(whole) || st.people && !st.counting && st.superlative() == "") && !reBreakdown.MatchString(whole) {
			for j := it.pos - 1; j >= 0 && st.toks[j] != "across"; j-- {
				acrossAll = acrossAll || st.toks[j] == "all"
			}
			grouping = grouping && !acrossAll
		}
		// "each kitchen employee", "each Front Desk employee": a person per
		// row, of that value (of one word or several)
		for n := 1; n <= 3 && it.pos-n >= 1; n++ {
			k := it.pos - n - 1
			value := slices.ContainsFunc(st.p.phrases[strings.Join(st.toks[k+1:it.pos], " ")], func(mn meaning) bool {
				return mn.kind == "value" && mn.name != "name" && mn.name != "first_name" && mn.name != "last_name" || mn.kind == "enum"
			})
			if value && (st.toks[k] == "each" || st.toks[k] == "every") && slices.ContainsFunc(it.meanings, func(mn meaning) bool { return mn.kind == "dim" && mn.name == "employee" }) {
				grouping = true
			}
		}
		// a synonym that holds its grouping word: "each employee"
		if w := strings.Fields(it.text); len(w) > 1 && (w[0] == "each" || w[0] == "per" || w[0] == "every" || w[0] == "by") {
			grouping = true
		}
		var dim, measure string
		var values []meaning
		for _, mn := range it.meanings {
			switch mn.kind {
			case "dim":
				if dim == "" {
					dim = mn.name
				}
			case "measure":
				if measure == "" {
					measure = mn.name
				}
			case "enum", "value":
				values = append(values, mn)
			}
		}
		// "per location among people hired since 2023": who is counted, not
		// a row each
		if prev == "among" && dim == "employee" {
			grouping = false
		}
		// "top 3 waiters by hours": by the measure, not grouped by hour
		if prev == "by" && measure != "" && dim != "" && (st.q.Limit > 0 || st.most || st.least) {
			grouping, dim = false, ""
		}
		used := true
		switch {
		case len(values) > 0 && !(grouping && dim != ""):
			mn := values[0]
			neg := st.negatedAt(it.pos)
			if neg && (mn.name == "absence_type" || mn.name == "status") && strings.Contains(" "+strings.Join(st.toks, " ")+" ", " neither ") {
				// "took neither sick leave nor training" asks for people with
				// none of either, not for the other kinds of absence
				st.refuse(notUnderstoodf("scry did not understand \"neither … nor\" with kinds of absence: ask \"who had no sick leave and no training\" one at a time"))
			}
			if !neg && st.negated[mn.name] && len(st.filterVals[mn.name]) > 0 {
				// "except waiters and bartenders" excludes both; "non-cashier
				// sales associates" asks for one and excludes the other
				if st.joinedToLast(mn.name, it.pos) {
					neg, st.used[it.pos-1] = true, true // "and", "or", "nor"
				} else {
					st.mixedNeg = true
				}
			}
			st.addFilter(mn.name, mn.value, neg)
			if st.valueSpans == nil {
				st.valueSpans = map[[2]string][2]int{}
			}
			st.valueSpans[[2]string{mn.name, mn.value}] = [2]int{it.pos, it.pos + it.n}
			// "average weekly hours per stock clerk" is one average of them
			if grouping && (prev == "each" || prev == "every" || prev == "per" && !st.average) && mn.name == "position" {
				st.dims = append(st.dims, "employee") // "each teacher": one row per teacher
				st.eachPosition = mn.value
				st.perHead = st.perHead || prev == "per"
			}
			if mn.name == "absence_type" && strings.HasSuffix(it.text, " day") {
				st.measures = append(st.measures, "absence_days") // "sick days" counts days
				st.measureSpans = append(st.measureSpans, measureSpan{"absence_days", it.pos, it.pos + it.n})
			}
			if mn.name == "absence_type" && strings.HasSuffix(it.text, " leave") && strings.Contains(strings.ToLower(st.question), "leaves") {
				st.measures = append(st.measures, "absence_cases") // "sick leaves" counts cases
				st.measureSpans = append(st.measureSpans, measureSpan{"absence_cases", it.pos, it.pos + it.n})
			}
		case grouping && dim == "employee" && prev == "by" && (st.words[it.pos] != st.toks[it.pos] || st.toks[it.pos] == "people" || st.toks[it.pos] == "staff") &&
			(reTotal.MatchString(" "+strings.Join(st.toks, " ")+" ") || it.pos >= 2 && agentVerbs[st.toks[it.pos-2]] || it.pos >= 2 && st.toks[it.pos-1] == "the" && st.toks[it.pos-2] == "by"):
			// "total hours worked by employees over 50", "the shifts worked
			// by employees of the Kitchen": who worked them, one total (the
			// plural, as written; "by employee" groups)
		case grouping && dim != "":
			st.dims = append(st.dims, dim)
			st.perHead = st.perHead || prev == "per" && dim == "employee"
		case measure != "":
			st.measures = append(st.measures, measure)
			st.measureSpans = append(st.measureSpans, measureSpan{measure, it.pos, it.pos + it.n})
		case dim != "":
			// a dimension word that groups nothing: "the Finance department",
			// "whose job is engineer" — it names the values beside it
			// (counted, "how many positions … in Retail", only a value of its
			// own field is named by it; "any department located in London"
			// names a place)
			counted := prev == "many" || prev == "different" || prev == "distinct" || prev == "unique"
			// (a period's word names none but the period read right after
			// it, "date between 2026-09-01 and …": "sick days this month
			// since June 3" dropped "this month" beside "sick")
			used = acrossAll || (st.p.model.Dimensions[dim].Time == "" || it.pos+it.n == st.timeSpan[0] && !periodQualifiers[prev]) && st.nearValue(k, map[bool]string{true: dim}[counted]) || dim == "employee" || dim == "manager" || dim == st.subject ||
				st.colDim(dim) || st.which(it)
		}
		if used {
			st.use(it.pos, it.pos+it.n)
			if grouping && dim != "" {
				st.usePrev(it.pos)
			}
			// "by the front desk", "top 5 by hours worked": by whom, by what;
			// "of every male": all of them
			if (prev == "by" || prev == "every" || prev == "each" || prev == "all") && (len(values) > 0 && !(grouping && dim != "") || measure != "" && dim == "") || acrossAll {
				st.usePrev(it.pos)
			}
			// "top 5 teachers by total hours", "rank departments by average
			// hourly wage": by the measure, its aggregate's words between
			if k := st.byBeforeAggregate(it.pos); k >= 0 && (measure != "" || len(values) > 0 && values[0].name == "absence_type") {
				st.used[k] = true
			}
		}
	}
	return nil
}

// agentVerbs, before "by employees", say who did it ("worked by
// employees of Finance"), not a row for each.
var agentVerbs = map[string]bool{"worked": true, "taken": true, "logged": true, "done": true, "recorded": true, "put": true, "clocked": true}

// readAlternatives reads "or", "either" and "nor" between values of one
// field ("part-timers or apprentices", "not in Paris or Lyon"): the filter
// already holds both values. Between different fields an "or" stays unread
// and refuses the question.
func (st *parseState) readAlternatives() {
	field := func(it item) string {
		for _, mn := range it.meanings {
			if mn.kind == "value" || mn.kind == "enum" {
				return mn.name
			}
		}
		return ""
	}
	for k, it := range st.items {
		if it.text != "or" && it.text != "and" && it.text != "either" || st.used[it.pos] {
			continue
		}
		before, after := "", ""
		for j := k - 1; j >= 0 && before == ""; j-- {
			if f := field(st.items[j]); f != "" {
				before = f
			} else if !functionWords[st.items[j].text] && !st.used[st.items[j].pos] {
				break
			}
		}
		for j := k + 1; j < len(st.items) && after == ""; j++ {
			if f := field(st.items[j]); f != "" {
				after = f
			} else if !functionWords[st.items[j].text] && st.items[j].text != "or" && !st.used[st.items[j].pos] {
				break
			}
		}
		if after != "" && (before == after || it.text == "either") {
			st.used[it.pos] = true
		}
	}
}

// onlyPartsOfNames: every meaning is a first or last name.
func onlyPartsOfNames(ms []meaning) bool {
	for _, mn := range ms {
		if mn.kind != "value" || mn.name != "first_name" && mn.name != "last_name" {
			return false
		}
	}
	return len(ms) > 0
}

// keepName: a single first or last name is a name only when written as
// one ("Clara", not "clara"), and only names the asker may see are names.
func (st *parseState) keepName(text string, mn meaning) bool {
	if mn.kind != "value" || mn.name != "name" && mn.name != "first_name" && mn.name != "last_name" {
		return true
	}
	if mn.name != "name" && !st.capitalised(text) {
		return false
	}
	if mn.name != "name" && !strings.Contains(text, " ") {
		for i, t := range st.toks {
			if t == text && !st.used[i] && st.partOfFullName(i) {
				return false
			}
		}
	}
	return st.mayName(mn.name, mn.value)
}

// prevWord is the word before word i, skipping articles ("for each of the
// departments" → "each").
func (st *parseState) prevWord(i int) string {
	for k := i - 1; k >= 0; k-- {
		switch st.toks[k] {
		case "my":
			// "by my teachers": whose, as "by teachers"; "by my positions"
			// stays a grouping of the asker's people
			if k+1 != i || !st.isValueWord(i) {
				return "my"
			}
			continue
		case "the", "of", "their", "its", "all", "our", "different", "various", "distinct", "current", "existing":
			// "for different jobs" groups; "how many different jobs" counts
			if st.toks[k] == "different" || st.toks[k] == "various" || st.toks[k] == "distinct" {
				j := k - 1
				for j >= 0 && st.toks[j] == "the" {
					j--
				}
				if j < 0 || !(groupWords[st.toks[j]] || st.toks[j] == "for" || st.toks[j] == "in" || st.toks[j] == "across") {
					return "distinct"
				}
				return "each"
			}
			continue
		}
		return st.toks[k]
	}
	return ""
}

// usePrev reads the grouping words before word i.
// byBeforeAggregate is where "by" is before position i when only an
// aggregate's words stand between ("by total", "by the average", "by
// number of"), or -1.
func (st *parseState) byBeforeAggregate(i int) int {
	k := i - 1
	for k >= 0 && aggregateWords[st.toks[k]] {
		k--
	}
	if k >= 0 && k < i-1 && st.toks[k] == "by" {
		return k
	}
	return -1
}

// reBreakdown: words that ask for groups side by side.
var reBreakdown = regexp.MustCompile(` (?:compare|compared|comparison|breakdown|broken|split|distribution|each|per|by|vs|versus)\b`)

var aggregateWords = wordSet(`total average avg mean median number count sum amount overall combined the of`)

func (st *parseState) usePrev(i int) {
	for k := i - 1; k >= 0; k-- {
		t := st.toks[k]
		if t == "my" && k+1 == i && st.isValueWord(i) {
			st.used[k] = true // "by my teachers"
			continue
		}
		if groupWords[t] || t == "the" || t == "of" || t == "their" || t == "our" || t == "all" || t == "current" || t == "existing" || t == "for" || t == "in" || t == "broken" || t == "down" || t == "grouped" || t == "split" {
			st.used[k] = true
			if t == "for" || t == "in" || t == "broken" || t == "grouped" {
				return
			}
			continue
		}
		return
	}
}

// negatedAt reads a negation right before word i ("not in Retail",
// "excluding part-timers", "other than Kiel").
func (st *parseState) negatedAt(i int) bool {
	for k := i - 1; k >= 0 && k >= i-4; k-- {
		t := st.toks[k]
		switch t {
		case "the", "in", "from", "at", "a", "an", "of", "who", "are", "is", "work", "working", "based", "for", "those", "them",
			"people", "employee", "staff", "anyone", "everyone", "one", "ones":
			continue
		case "counting", "including":
			// "not counting Retail", "but not including the cashiers"
			if k == 0 || st.toks[k-1] != "not" {
				return false
			}
			k--
			fallthrough
		case "not", "excluding", "except", "besides", "outside", "non", "apart", "aside", "neither":
			st.used[k] = true
			for j := k + 1; j < i; j++ {
				st.used[j] = true
			}
			// "but not", "and not", "but isn't"
			j := k - 1
			for j > 0 && (st.toks[j] == "is" || st.toks[j] == "are" || st.toks[j] == "was" || st.toks[j] == "were") {
				j--
			}
			if j >= 0 && (st.toks[j] == "but" || st.toks[j] == "and") {
				st.use(j, k)
			}
			return true
		case "than":
			if k > 0 && st.toks[k-1] == "other" {
				st.use(k-1, i)
				return true
			}
		case "but":
			return false
		}
		return false
	}
	return false
}

func (st *parseState) addFilter(field, value string, neg bool) {
	for _, v := range st.filterVals[field] {
		if v == value {
			return
		}
	}
	if st.filterVals[field] == nil {
		st.filterOrder = append(st.filterOrder, field)
	} else if neg && !st.negated[field] {
		st.mixedNeg = true // "training but not vacation" ("not Paris or Lyon" excludes both)
	}
	st.filterVals[field] = append(st.filterVals[field], value)
	if neg {
		st.negated[field] = true
	}
}

// periodQualifiers make a period of a unit's word ("this month")
var periodQualifiers = wordSet(`this last next previous past coming current`)

// nearValue: a value stands next to item k, function words aside ("the
// Finance department", "any department located in London"); of field dim,
// when dim is given.
func (st *parseState) nearValue(k int, dim string) bool {
	for _, dir := range []int{-1, 1} {
		for j, steps := k+dir, 0; j >= 0 && j < len(st.items) && steps < 4; j, steps = j+dir, steps+1 {
			it := st.items[j]
			for _, mn := range it.meanings {
				// of the same field ("the Finance department"): "how many
				// positions are there in Retail" asks for positions (the
				// word was taken as naming Retail, and the headcount given)
				// (a value right after it is a compound of any field: "school
				// teachers", "store cashiers")
				if (mn.kind == "value" || mn.kind == "enum") && (dim == "" || mn.name == dim || dim == "team" || j == k+1 || st.p.model.Dimensions[dim].From != "employees") {
					return true
				}
			}
			if len(it.meanings) > 0 || !functionWords[it.text] {
				break
			}
		}
	}
	return false
}

func (st *parseState) hasValueAfter(k int) bool {
	if k+1 < len(st.items) {
		for _, mn := range st.items[k+1].meanings {
			if mn.kind == "value" || mn.kind == "enum" {
				return true
			}
		}
	}
	return false
}

// colDim: dimension d was asked for as a column ("department name").
func (st *parseState) colDim(d string) bool {
	for _, c := range st.q.Columns {
		if attributes[c].dim == d {
			return true
		}
	}
	return false
}

// which: "which department …", "what school …" — the dimension the answer
// is about; decide groups by it.
func (st *parseState) which(it item) bool {
	return st.afterWhich(it.pos)
}

// afterWhich: the word at pos follows "which" or "what", with perhaps a
// number or "of my" between ("which 3 stores had the fewest sick days",
// "which of my stores").
func (st *parseState) afterWhich(pos int) bool {
	k := pos - 1
	for k > 0 && (isDigits(st.toks[k]) || st.toks[k] == "my" || st.toks[k] == "of" && k+1 < pos && st.toks[k+1] == "my") {
		k-- // "which 3 stores", "which of my stores"
	}
	p := st.prevWord(k + 1)
	return p == "which" || p == "what"
}

// busyPeople: "busiest" or "quietest" says it of people ("the busiest
// employee", "our quietest cashier").
func (st *parseState) busyPeople() bool {
	for i := 0; i+1 < len(st.toks); i++ {
		if st.toks[i] != "busiest" && st.toks[i] != "quietest" {
			continue
		}
		k := st.past(i+1, "of", "our", "my", "the", "all")
		if k < len(st.toks) && (peopleNouns[st.toks[k]] || st.positionAt(k) || st.toks[k] == "shift" || st.toks[k] == "absence" || st.toks[k] == "break") {
			return true // "the busiest of our waiters", "the busiest shift"
		}
	}
	return false
}

// rankedGroupAt: a group named by its superlative ("the busiest week",
// "our quietest store") or followed by one ("the week with the most hours
// worked"): the group that ranks first.
func (st *parseState) rankedGroupAt(it item) bool {
	if st.busy && it.pos > 0 && (st.toks[it.pos-1] == "busiest" || st.toks[it.pos-1] == "quietest") {
		return true
	}
	k := it.pos + it.n
	if k+1 >= len(st.toks) || st.toks[k] != "with" {
		return false
	}
	if st.toks[k+1] == "the" && k+2 < len(st.toks) {
		k++
	}
	return reMost.MatchString(" "+st.toks[k+1]+" ") || reLeast.MatchString(" "+st.toks[k+1]+" ")
}

// valuesApart: the values of field are asked one by one — the
// preposition said again before each after the first ("of bartenders and
// of waiters", "and how many in Toulouse"), or "respectively", "separately"
// said.
func (st *parseState) valuesApart(field string) bool {
	if slices.Contains(st.toks, "respectively") || slices.Contains(st.toks, "separately") {
		return true
	}
	apart := false
	for key, sp := range st.valueSpans {
		if key[0] != field {
			continue
		}
		k := sp[0] - 1
		if k >= 0 && st.toks[k] == "the" {
			k--
		}
		prep := k >= 1 && (st.toks[k] == "of" || st.toks[k] == "for" || st.toks[k] == "in" || st.toks[k] == "at")
		if prep && st.toks[k-1] == "and" {
			apart = true
		}
		// "how many teachers and how many teaching assistants"
		if k >= 2 && (st.toks[k] == "many" || st.toks[k] == "much") && st.toks[k-1] == "how" && st.toks[k-2] == "and" {
			apart = true
		}
		// "how many in Bordeaux and how many in Toulouse"
		if prep && k >= 3 && (st.toks[k-1] == "many" || st.toks[k-1] == "much") && st.toks[k-2] == "how" && st.toks[k-3] == "and" {
			apart = true
		}
	}
	return apart
}

// placeKinds are the words of a kind of place that a department or a
// location may be.
var placeKinds = wordSet(`school store shop restaurant hotel office warehouse branch clinic factory depot`)

// otherKindsOut: "which school is the quietest" ranks the schools, not
// the "District Office" among the departments: a value whose own name
// says it is another kind of place is left out, and says so.
func (st *parseState) otherKindsOut(dim, word string) {
	if !placeKinds[word] || len(st.filterVals[dim]) > 0 {
		return
	}
	for _, v := range st.p.values[dim] {
		words := strings.Fields(strings.ToLower(v))
		if slices.Contains(words, word) {
			continue
		}
		if slices.ContainsFunc(words, func(w string) bool { return placeKinds[w] }) {
			st.addFilter(dim, v, true)
		}
	}
}

var reEachOfThem = rx(`(?:(?:in|for|of) )?(?:each|every one|each one)(?: of them| of those| of these)?`)

var _ = regexp.MustCompile

// joinedToLast: the value at pos follows the last value of field read, with
// only "and", "or" or "nor" between them.
func (st *parseState) joinedToLast(field string, pos int) bool {
	end := -1
	for key, sp := range st.valueSpans {
		if key[0] == field && sp[1] <= pos {
			end = max(end, sp[1])
		}
	}
	return end >= 0 && pos == end+1 && (st.toks[end] == "and" || st.toks[end] == "or" || st.toks[end] == "nor")
}
