package ask

import (
	"regexp"
	"slices"
	"strings"
)

// The shape of the answer: extremes, order, the columns asked for, and the
// model's words (measures, groups, values).

var superlatives = []struct {
	phrase string
	attr   string
	desc   bool
}{
	{"oldest", "age", true}, {"eldest", "age", true}, {"youngest", "age", false},
	{"highest paid", "hourly_wage", true}, {"best paid", "hourly_wage", true}, {"top paid", "hourly_wage", true},
	{"most paid", "hourly_wage", true}, {"top earner", "hourly_wage", true}, {"highest earner", "hourly_wage", true},
	{"earn the most", "hourly_wage", true}, {"paid the most", "hourly_wage", true}, {"make the most", "hourly_wage", true},
	{"earning the most", "hourly_wage", true}, {"making the most", "hourly_wage", true}, {"get paid the most", "hourly_wage", true},
	{"lowest paid", "hourly_wage", false}, {"least paid", "hourly_wage", false}, {"worst paid", "hourly_wage", false},
	{"paid the least", "hourly_wage", false}, {"earn the least", "hourly_wage", false}, {"make the least", "hourly_wage", false},
	{"get paid the least", "hourly_wage", false}, {"lowest earner", "hourly_wage", false}, {"earning the least", "hourly_wage", false},
	{"longest serving", "tenure", true}, {"most senior", "tenure", true}, {"longest tenure", "tenure", true},
	{"newest", "hire_date", true}, {"most recently hired", "hire_date", true}, {"latest hire", "hire_date", true},
	{"most recent hire", "hire_date", true}, {"last hired", "hire_date", true}, {"earliest hired", "hire_date", false},
	{"first hired", "hire_date", false}, {"earliest hire date", "hire_date", false}, {"latest hire date", "hire_date", true},
	{"most recent hire date", "hire_date", true}, {"earliest start date", "hire_date", false},
	{"earliest birth date", "age", true}, {"earliest date of birth", "age", true}, {"latest birth date", "age", false},
	{"latest date of birth", "age", false},
}

var superRE []*regexp.Regexp // the superlatives' phrases, compiled once

func init() {
	for i := range superlatives {
		superlatives[i].phrase = normPhrase(superlatives[i].phrase)
		superRE = append(superRE, rx(superlatives[i].phrase))
	}
}

// readExtremes reads top/bottom N and superlatives of people ("the
// oldest", "the five highest paid", "the employee with the maximum salary").
func (st *parseState) readExtremes() error {
	q := st.q
	// "the second highest", "third most": the ordinal of a superlative
	if m := st.take(reOrdinalOf, 2); m != nil {
		for i, w := range ordinalNames {
			if w == m[1] {
				st.ordinal = i
			}
		}
	}
	if st.readAgeRange() {
		return nil
	}
	st.readFirstOrder() // "youngest first" is an order, not the youngest
	if m := st.take(reTop); m != nil {
		q.Limit = atoi(m[2])
		q.Order = "desc"
		if m[1] == "bottom" || m[1] == "worst" || m[1] == "lowest" {
			q.Order = "asc"
		}
		if m[1] == "highest" || m[1] == "lowest" {
			st.keepWord(m[1]) // "top 3 … with the highest" still reads "highest"
		}
	} else if m, next := st.peekNext(reNTop); m != nil {
		q.Limit = atoi(m[1])
		// "three lowest salaries", "the 5 oldest"
		st.take(reNTop)
		switch m[2] {
		case "lowest", "smallest", "worst", "bottom", "least", "youngest":
			q.Order = "asc"
		default:
			q.Order = "desc"
		}
		if m[2] == "oldest" || m[2] == "youngest" {
			st.extremeAttr("age", m[2] == "oldest")
		} else if a, n := st.attrAt(next); n > 0 && attributes[a].typ != "string" {
			st.use(next, next+n)
			st.extremeAttr(a, q.Order == "desc")
		} else if a := valueAttrWords[st.toks[min(next, len(st.toks)-1)]]; next < len(st.toks) && a != "" && !st.used[next] {
			st.use(next, next+1) // "the five highest paid"
			st.extremeAttr(a, q.Order == "desc")
			st.extremeEnd = next + 1
		}
	}
	for k, s := range superlatives {
		if m, next := st.takeNext(superRE[k]); m != nil {
			st.extremeAttr(s.attr, s.desc)
			st.extremeEnd = next
			// "the earliest hire date": the date is shown with the person
			if strings.Contains(s.phrase, "date") {
				st.q.Columns = append(st.q.Columns, map[bool]string{true: "birth_date", false: "hire_date"}[strings.Contains(s.phrase, "birth")])
			}
			break
		}
	}
	// "the 3 employees who get paid the least", "the three longest-serving
	// cashiers", "which two positions have the fewest people": a number
	// right before the people or groups asked about is how many
	if st.extreme != "" || st.has(reMost) || st.has(reLeast) {
		for i, t := range st.toks {
			if st.used[i] || !isDigits(t) || i+1 >= len(st.toks) {
				continue
			}
			k := i + 1
			for k < len(st.toks) && st.used[k] {
				k++ // "3 longest serving cashiers": past the superlative
			}
			if k < len(st.toks) && (peopleNouns[st.toks[k]] || st.p.isDimWord(st.toks[k]) || st.isValueWord(k)) && atoi(t) > 0 && atoi(t) <= MaxLimit {
				st.q.Limit = atoi(t)
				st.used[i] = true
				break
			}
		}
	}
	// "the employee with the maximum salary", "three lowest salaries"
	if st.extreme == "" {
		text := st.text()
		for w, agg := range aggWords {
			if agg != "min" && agg != "max" {
				continue
			}
			i := strings.Index(text, " "+w+" ")
			if i < 0 {
				continue
			}
			k := strings.Count(text[:i+1], " ") - 1 // word index of w
			if a, n := st.attrAt(k + 1); n > 0 && attributes[a].typ != "string" && st.peopleAsked() {
				st.use(k, k+1+n)
				st.extremeAttr(a, agg == "max")
				break
			}
		}
	}
	return nil
}

// keepWord leaves one read word unread again (a step that matched more
// than it means).
func (st *parseState) keepWord(w string) {
	for i, t := range st.toks {
		if t == w && st.used[i] {
			st.used[i] = false
			return
		}
	}
}

// peopleAsked: the question asks for people ("who", "the employee with",
// "names of").
func (st *parseState) peopleAsked() bool {
	s := " " + strings.Join(st.toks, " ") + " "
	return rePeople.MatchString(s) || reWhoAny.MatchString(s) || strings.Contains(s, " name ") || strings.Contains(s, " id ") ||
		strings.Contains(s, " employee with ") || strings.Contains(s, " person with ") || strings.Contains(s, " people with ")
}

// extremeAttr records "the most/least of attribute a" among people.
func (st *parseState) extremeAttr(a string, desc bool) {
	st.extreme = "min"
	if st.q.Limit == 0 {
		st.q.Limit = 1
	}
	if desc {
		st.extreme = "max"
	}
	ord := "asc"
	if desc {
		ord = "desc"
	}
	if ms := attributes[a].measure; ms != "" {
		st.measures = append(st.measures, ms)
		st.q.Order = ord
	} else {
		st.q.Sort = append(st.q.Sort, SortKey{Field: a, Desc: desc})
	}
	st.people = true
}

// groupsRanked: the words right after a superlative of a measured
// attribute name groups, not people ("the 3 best paid positions", against
// "the best paid in each position").
func (st *parseState) groupsRanked() bool {
	if st.extreme == "" || st.q.Order == "" || st.extremeEnd <= 0 {
		return false
	}
	k := st.extremeEnd
	for k < len(st.toks) && isDigits(st.toks[k]) {
		k++
	}
	// "who is the longest serving school principal", "the 5 best paid
	// school teachers": the people of those groups
	if k >= len(st.toks) || !st.p.isDimWord(st.toks[k]) || peopleNouns[st.toks[k]] || reAskWho.MatchString(" "+strings.Join(st.toks, " ")) {
		return false
	}
	return k+1 >= len(st.toks) || !peopleNouns[st.toks[k+1]] && !st.isValueWord(k+1) && !st.positionAt(k+1)
}

var sortTriggers = wordSet(`sort sorted sorting order ordered ordering arrange arranged rank ranked ascending descending alphabetical
	alphabetically increasing decreasing reverse desc asc`)
var sortFiller = wordSet(`by in of on the their his her its result set according to order them it list listed name and please make using based
	number count total`)

var reFirstOrder = rx(`(youngest|oldest|newest|most recent|latest|earliest|highest|lowest|largest|smallest|biggest|most|least|longest serving)(?: (?:hire|one|person|employee|date|hire date|birthday|paid|earner|day|week|month|quarter|year|department|location|store|site|school|position|group|value|number|total|amount))? first`)

// reMostToLeast: "from the most frequent to the least frequent", "from
// lowest to highest": the order of what is measured.
var reMostToLeast = rx(`(?:from|starting with|starting from) (?:the )?(most|highest|largest|biggest|greatest|least|lowest|smallest|fewest)(?: (?:frequent|common|popular|often))? (?:to|down to|up to|through) (?:the )?(?:most|highest|largest|biggest|greatest|least|lowest|smallest|fewest)(?: (?:frequent|common|popular|often))?`)

// datedFacts are the things with dates of their own.
var datedFacts = wordSet(`shift absence leave vacation holiday sickness illness training sick off absent away worked work working scheduled rostered`)

// readFirstOrder reads "youngest first", "most recent first".
func (st *parseState) readFirstOrder() {
	if m := st.take(reMostToLeast); m != nil {
		st.q.Order = map[bool]string{true: "asc", false: "desc"}[m[1] == "least" || m[1] == "lowest" || m[1] == "smallest" || m[1] == "fewest"]
		return
	}
	m, _ := st.peekNext(reFirstOrder)
	if m == nil {
		return
	}
	// "Tom's shifts last week, newest first": the shifts' own dates, which
	// no order of people gives (left unread, so refused)
	if (m[1] == "newest" || m[1] == "most recent" || m[1] == "latest" || m[1] == "earliest") && slices.ContainsFunc(st.toks, func(w string) bool { return datedFacts[w] }) {
		return
	}
	st.take(reFirstOrder)
	switch m[1] {
	case "youngest":
		st.q.Sort = append(st.q.Sort, SortKey{Field: "birth_date", Desc: true})
	case "oldest":
		st.q.Sort = append(st.q.Sort, SortKey{Field: "birth_date"})
	case "longest serving":
		st.q.Sort = append(st.q.Sort, SortKey{Field: "hire_date"})
	case "newest", "most recent", "latest", "earliest":
		col := "hire_date"
		if slices.ContainsFunc(st.toks, func(w string) bool { return w == "leaver" || w == "left" || w == "quit" }) {
			col = "end_date" // "the leavers, latest first": by when they left
		}
		for _, c := range st.q.Columns {
			if attributes[c].typ == "date" {
				col = c
			}
		}
		st.q.Sort = append(st.q.Sort, SortKey{Field: col, Desc: m[1] != "earliest"})
	case "lowest", "smallest", "least":
		st.q.Order = "asc"
	default:
		st.q.Order = "desc"
	}
	// "highest paid first": by the wage, whatever else is measured
	if strings.Contains(m[0], " paid ") || strings.Contains(m[0], " earner ") {
		st.q.Order = ""
		st.q.Sort = append(st.q.Sort, SortKey{Field: "hourly_wage", Desc: m[1] != "lowest" && m[1] != "least" && m[1] != "smallest"})
	}
}

// readOrder reads how a list is to be sorted: "sorted by salary",
// "in descending order of age", "ordered alphabetically by name".
func (st *parseState) readOrder() error {
	st.readFirstOrder()
	for i := 0; i < len(st.toks); i++ {
		if st.used[i] || !sortTriggers[st.toks[i]] {
			continue
		}
		// the phrase around the trigger: a few words back ("by age in
		// descending order") and forward ("sorted by their age")
		lo, hi, groupAt := i, i+1, -1
		for lo > 0 && i-lo < 4 && !st.used[lo-1] && (sortFiller[st.toks[lo-1]] || sortTriggers[st.toks[lo-1]] || st.attrStart(lo-1)) {
			lo--
		}
		for hi < len(st.toks) && hi-i < 9 && !st.used[hi] {
			if !sortFiller[st.toks[hi]] && !sortTriggers[st.toks[hi]] && !st.attrStart(hi) {
				again, foreign := st.measureAgainAt(hi)
				if foreign {
					st.refuse(notUnderstoodf("scry orders a table by what it measures or by a person's attribute; %q is not what this question measures: ask for it (\"hours worked per employee last week, highest first\")", st.words[hi]))
				}
				if !again {
					break
				}
			}
			if next := st.p.phrases[st.toks[min(hi+1, len(st.toks)-1)]]; st.toks[hi] == "by" && hi+1 < len(st.toks) && !st.attrStart(hi+1) &&
				slices.ContainsFunc(next, func(mn meaning) bool { return mn.kind == "dim" }) && !slices.ContainsFunc(next, func(mn meaning) bool { return mn.kind == "measure" }) {
				groupAt = hi + 1
			}
			// an attribute of several words whole ("by hire date descending")
			_, n := st.attrAt(hi)
			hi += max(n, 1)
		}
		hi = min(hi, len(st.toks))
		// "hours per week, order by week desc": the order of the groups
		// themselves, which scry does not choose (it ordered by the
		// hours); periods are in time order already ("… ordered by year")
		if groupAt >= 0 {
			desc := slices.ContainsFunc(st.toks[lo:min(len(st.toks), max(hi, groupAt+3))], func(w string) bool { return w == "desc" || w == "descending" || w == "decreasing" || w == "reverse" })
			timeDim := slices.ContainsFunc(st.p.phrases[st.toks[groupAt]], func(mn meaning) bool { return mn.kind == "dim" && st.p.model.Dimensions[mn.name].Time != "" })
			if desc || !timeDim {
				st.refuse(notUnderstoodf("scry puts groups in the order of what it measures, and periods in time order; it does not sort them by %q: ask without it", st.words[groupAt]))
			}
			for k := i; k < groupAt; k++ {
				st.used[k] = true
			}
			i = groupAt
			continue
		}
		// the attribute right after "by", "of" or "using" is the one sorted
		// on; without one, the first attribute in the phrase
		// a ranking puts the largest first unless it says otherwise
		rank := st.toks[i] == "rank" || st.toks[i] == "ranked"
		desc, attr, first, firstAt, byAt := false, "", "", -1, -1
		for k := lo; k < hi; k++ {
			switch st.toks[k] {
			case "descending", "decreasing", "reverse", "desc":
				desc = true
			case "ascending", "increasing", "asc":
				rank = false
			}
			if a, n := st.attrAt(k); n > 0 && a != "*" {
				prev := st.prevWord(k)
				if attr == "" && (prev == "by" || prev == "of" || prev == "using" || prev == "on") {
					attr, byAt = a, k
				}
				if first == "" {
					first, firstAt = a, k
				}
				k += n - 1
			}
		}
		if attr == "" {
			attr, byAt = first, firstAt
		}
		// an attribute before the trigger that is not introduced by "by"
		// belongs to the rest of the sentence ("employee names sorted by age")
		if byAt >= 0 && byAt < i && st.prevWord(byAt) != "by" {
			for lo < i && lo <= byAt {
				lo++
			}
			if attr == first && byAt < i {
				attr = ""
			}
		}
		for lo < i && (st.toks[lo] == "and" || st.toks[lo] == "the" || st.toks[lo] == "in" || st.toks[lo] == "of" || st.attrStart(lo) && st.toks[lo] != "by") {
			if st.attrStart(lo) && byAt == lo {
				break
			}
			lo++
		}
		desc = desc || rank
		// with no attribute, the order is of the measure, named or found
		// by decide ("teachers per school in descending order": the count)
		if attr == "" && (st.toks[i] == "alphabetical" || st.toks[i] == "alphabetically") {
			attr = "name"
		}
		// words of the phrase that are not about order stay for the others
		for k := lo; k < hi; k++ {
			if a, n := st.attrAt(k); n > 0 && k != byAt {
				_ = a
				k += n - 1
				continue
			}
			if k == byAt {
				_, n := st.attrAt(k)
				st.use(k, k+n)
				k += n - 1
				continue
			}
			st.used[k] = true
		}
		if attr != "" && attributes[attr].measure != "" && st.measureNamed(attributes[attr].measure) {
			st.q.Order = map[bool]string{true: "desc", false: "asc"}[desc]
		} else if attr != "" {
			st.q.Sort = append(st.q.Sort, SortKey{Field: attr, Desc: desc})
		} else {
			st.q.Order = map[bool]string{true: "desc", false: "asc"}[desc]
		}
		i = hi
	}
	// "list my team by hire date, newest first": a list of people by one
	// of their dates is in that order
	if rePeople.MatchString(" " + strings.Join(st.toks, " ")) {
		for i := 0; i+1 < len(st.toks); i++ {
			a, n := st.attrAt(i + 1)
			if st.toks[i] != "by" || st.used[i] || n == 0 || attributes[a].typ != "date" {
				continue
			}
			st.use(i, i+1+n)
			if !slices.ContainsFunc(st.q.Sort, func(k SortKey) bool { return k.Field == a }) {
				st.q.Sort = append(st.q.Sort, SortKey{Field: a})
			}
		}
	}
	return nil
}

// valueOfField: word i is a value of the field named by dimension d.
func (st *parseState) valueOfField(i int, d string) bool {
	for _, mn := range st.p.phrases[st.toks[i]] {
		// (an enum's value too: "an apprentice contract" is its field's
		// noun, not a column)
		if (mn.kind == "value" || mn.kind == "enum") && mn.name == d {
			return true
		}
	}
	return false
}

func (st *parseState) attrStart(i int) bool { _, n := st.attrAt(i); return n > 0 }

// measureAgainAt: the word at i, right after "by", names a measure that
// another word of the question names too ("hours per employee, order by
// hours desc"): the order of what is measured, not a grouping by the hour
// of the day. foreign: it names a measure, and the question measures
// another ("shifts last week sorted by hours"), which scry would have read
// as shifts grouped by the hour of the day.
func (st *parseState) measureAgainAt(i int) (again, foreign bool) {
	if i == 0 || st.toks[i-1] != "by" {
		return false, false
	}
	named, other := false, false
	for _, mn := range st.p.phrases[st.toks[i]] {
		if mn.kind != "measure" {
			continue
		}
		named = true
		for k, w := range st.toks {
			if k != i && slices.ContainsFunc(st.p.phrases[w], func(o meaning) bool { return o.kind == "measure" && o.name == mn.name }) {
				return true, false
			}
			// (people named, "top 5 ppl order by hours", are who is ranked)
			other = other || k != i && slices.ContainsFunc(st.p.phrases[w], func(o meaning) bool { return o.kind == "measure" && o.name != "headcount" })
		}
	}
	return false, named && other
}

// measureNamed: the measure is the question's own (an extreme or a
// measure word elsewhere in it).
func (st *parseState) measureNamed(ms string) bool {
	for _, m := range st.measures {
		if m == ms {
			return true
		}
	}
	return false
}

var listVerbs = wordSet(`what which who is are was were the display show list give find return provide get tell me us
	all every each our please can you could i we see want need know when also their his her its and both as well`)

// skipInList are words a list of columns may hold between columns without
// being columns: "the first name and the average salary".
var skipInList = wordSet(`average mean total number count how many minimum maximum highest lowest sum of`)

// attrCondAt: the attribute at i is followed by a value or a comparison
// ("employee with id 242518965", "with hire date after 2020"): a
// condition, not a column to show.
func (st *parseState) attrCondAt(i int) bool {
	_, n := st.attrAt(i)
	if n == 0 || i+n >= len(st.toks) {
		return false
	}
	w := st.toks[i+n]
	return reIDWord.MatchString(w) || attrCondWords[w]
}

// reIDWord is a number or an id ("242518965", "e0002").
var reIDWord = regexp.MustCompile(`^[a-z]{0,3}\d+$`)

// attrCondWords follow an attribute that is compared, not shown.
var attrCondWords = wordSet(`after before over under above below between is equal greater less more than since from of at least most not`)

// readColumns reads the attributes a question asks to see, at its head or
// after a verb of showing: "display the first name and department name for
// each employee", "What are the names and hire dates of …", "the name of
// each department", "… and also display their last name, city".
func (st *parseState) readColumns() error {
	var cols []string
	st.names = st.closingNames()
	starts := []int{0}
	for i, t := range st.toks {
		if i > 0 && (t == "display" || t == "show" || t == "list" || t == "give" || t == "return" || t == "provide" || t == "what") {
			starts = append(starts, i)
		}
		// "… with their hire dates", "every accountant's full name"
		// ("all receptionists with hire date and contract type": with, after people)
		withTheir := (t == "their" || t == "his" || t == "her") && i > 0 && (st.toks[i-1] == "with" || st.toks[i-1] == "and" || st.toks[i-1] == "also" || st.toks[i-1] == "including") ||
			t == "with" && i > 0 && i+1 < len(st.toks) && !st.used[i+1] && (peopleNouns[singular(st.toks[i-1])] || st.positionWith(i-1) || st.positionAt(i-1)) && !st.attrCondAt(i+1)
		if i > 0 && (withTheir || t == "including" || peopleNouns[t] || st.isValueWord(i)) {
			// (not "the Logistics department": a value and the name of its field)
			if a, n := st.attrAt(i + 1); n > 0 && st.toks[i+1] != "manager" && !st.valueOfField(i, attributes[a].dim) {
				starts = append(starts, i+1)
			}
		}
		// "… and the name of the department"
		if i > 0 && t == "and" {
			if k := st.skip(i+1, "the", "their", "also"); k > i+1 || k == i+1 {
				if _, n := st.attrAt(k); n > 0 {
					starts = append(starts, i)
				}
			}
		}
	}
	for _, i := range starts {
		var found []string
		var skipped []int
		for i < len(st.toks) {
			if st.used[i] {
				i++
				continue
			}
			a, n := st.attrAt(i)
			// "managers" first in a list are the people asked about, not a column
			if a == "manager" && n == 1 && len(found) == 0 && (i == 0 || st.toks[i-1] != "their" && st.toks[i-1] != "his" && st.toks[i-1] != "her") {
				n = 0
			}
			if n > 0 {
				// "the name of each department": the department is what is listed
				if a == "name" || a == "employee_id" || a == "*" {
					k := st.skip(i+n, "of", "each", "every", "all", "the", "different", "distinct", "unique", "those", "these", "any")
					if k > i+n {
						if d, dn := st.attrAt(k); dn > 0 && attributes[d].dim != "" && d != "name" && d != "manager" {
							st.subject = attributes[d].dim
							st.use(i, k+dn)
							i = k + dn
							for _, s := range skipped {
								if w := st.toks[s]; w == "different" || w == "distinct" || w == "unique" {
									st.used[s] = true
								}
							}
							continue
						}
					}
				}
				found = append(found, a)
				st.use(i, i+n)
				i += n
				continue
			}
			w := st.toks[i]
			if listVerbs[w] || w == "different" || w == "distinct" || w == "unique" {
				skipped = append(skipped, i)
				i++
				continue
			}
			// "how many cities", "the number of jobs": a count of groups, read later
			if (w == "many" || w == "count" || w == "tally" || w == "number" && i+1 < len(st.toks) && st.toks[i+1] == "of") && len(found) == 0 {
				break
			}
			if skipInList[w] {
				i++
				continue
			}
			break
		}
		if len(found) > 0 {
			for _, k := range skipped {
				if w := st.toks[k]; w == "different" || w == "distinct" || w == "unique" {
					st.used[k] = true // a list of values holds each once
				}
			}
		}
		cols = append(cols, found...)
	}
	if len(cols) == 0 {
		return nil
	}
	st.listCols = true
	for _, c := range cols {
		if c == "*" {
			st.q.Columns = append(st.q.Columns, allColumns...)
			continue
		}
		st.q.Columns = append(st.q.Columns, c)
	}
	return nil
}

// closingNames takes a request for names that closes the question ("who
// was off sick last week, names please", "…, just the names", "… with
// names only"): the people are listed, and their names are what a list
// shows. A name that is part of an attribute ("by first name", "the
// department name") is not one.
func (st *parseState) closingNames() bool {
	k := len(st.toks) - 1
	// "… and who are they", "…, list them"
	if n := len(st.toks); n > 3 && !st.used[n-3] && (st.toks[n-3] == "who" || st.toks[n-3] == "what" || st.toks[n-3] == "which") && (st.toks[n-2] == "are" || st.toks[n-2] == "were") && (st.toks[n-1] == "they" || st.toks[n-1] == "those") ||
		n > 2 && (st.toks[n-2] == "list" || st.toks[n-2] == "name") && st.toks[n-1] == "them" {
		from := n - 2
		if st.toks[n-3] == "who" || st.toks[n-3] == "what" || st.toks[n-3] == "which" {
			from = n - 3
		}
		if from > 0 && st.toks[from-1] == "and" {
			from--
		}
		if from > 0 {
			st.use(from, n)
			return true
		}
	}
	if k > 0 && st.toks[k] == "only" {
		k--
	}
	if k < 1 || st.used[k] || st.toks[k] != "name" {
		return false
	}
	for j := max(0, k-3); j < k; j++ {
		if _, n := st.attrAt(j); n > 0 && j+n > k {
			return false
		}
	}
	j := k - 1
	for j >= 0 && !st.used[j] && closingNameWords[st.toks[j]] {
		j--
	}
	if j < 0 || st.toks[j] == "by" || st.toks[j] == "of" {
		return false
	}
	st.use(j+1, len(st.toks))
	return true
}

var closingNameWords = wordSet(`just only the their and with plus also all`)

var reOrdinalOf = rx(`(second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth) (highest|most|largest|biggest|best|greatest|lowest|least|smallest|fewest|oldest|youngest|longest|shortest|newest|earliest|latest|top)`)
