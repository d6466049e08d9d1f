package ask

import (
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/scry-dev/scry/internal/errcode"
)

// parseState is one question being read. Every reading step takes the words
// it understood (marks them used); what is left at the end must be function
// words, or the question is refused naming the words scry did not read.
type parseState struct {
	p        *Parser
	question string
	toks     []string
	words    []string // each token as written, for quoting it back
	used     []bool
	fail     error           // a refusal decided before every word was accounted for
	perWeek  bool            // a threshold per person and week ("more than 50 hours a week")
	caps     map[string]bool // words written capitalised past the first
	// where each condition (q.Filters) and each value were read from, for "or"
	seen       []bool
	condSpans  [][2]int
	valueSpans map[[2]string][2]int
	q          *Query

	// what the question's words said, for the steps that decide the answer
	people, counting, average, share, trend, most, least bool
	// ofTwo: "more" ("desc") or "fewer" ("asc") of two alternatives named
	// ("Bordeaux or Toulouse"), read as both shown in that order
	ofTwo string
	// perHeadWord: "per head", "per capita" (Query.PerHead)
	perHeadWord bool
	// rise: "more … in October than in September" (">" or "<", Query.Rise)
	rise string
	// belowContract: "fewer hours than their contract" (with
	// beyondContract: a weekly comparison), undertime
	belowContract bool
	// median: "the median wage", read as an average until decide makes it
	// the median of the same values
	median   bool
	listCols bool // a list of attributes was asked for ("names and hire dates")
	names    bool // names asked for beside a count ("how many …, and their names", "…, names please", "and who are they")
	lastN    bool
	timeSpan [2]int // the words of q.Time
	// eventTime: the period of a hire or a leave beside the question's own
	// ("hired in 2025"), in the words eventSpan; readPersonEvent takes it
	eventTime      string
	eventSpan      [2]int
	havingUnit     string
	items          []item
	measures       []string
	measureSpans   []measureSpan // where each measure word of st.measures was read
	beside         [2]string     // two measures asked side by side ("headcount and average wage")
	besideAgg      string        // which of them an aggregate word stands before ("both" for each its own)
	atSomePoint    bool          // "at some point this year": at any time of the period
	dims           []string
	filterVals     map[string][]string
	filterOrder    []string
	negated        map[string]bool
	beyondContract bool            // "more hours than their contract": overtime
	chartAsked     bool            // a chart was named ("plot it", "as a pie chart")
	ordinal        int             // "the second highest": 2
	clockPast      bool            // a shift's time of day read with a verb in the past ("started before 7am")
	remaining      bool            // "are left", "remaining" with no period: still there, or still to come
	overUnit       bool            // "month over month": a row per unit
	mine           bool            // "do I have left": the asker's own
	eachPosition   string          // the position of "each teacher", a row per person
	mixedNeg       bool            // a field has both values asked for and values excluded
	subject        string          // the dimension the answer lists ("which cities", "names of departments")
	extreme        string          // "max"/"min" of an attribute asked of people ("the oldest")
	perHead        bool            // "per teacher", "per employee": with another grouping, a rate per head
	busy           bool            // "busiest", "quietest": ranked by hours worked when no measure is named
	extremeEnd     int             // the word after a superlative of people ("the best paid| positions")
	unit           string          // the unit the answer is asked in ("tenure in days": day)
	unitWords      string          // the words that asked for it, for a refusal
	visible        map[string]bool // who the asker may name (nil: everyone)
	whole          string          // "full", "complete"… before "years": completed years asked
}

// mayName: the asker may see someone with this value of field (a name or
// an employee id).
func (st *parseState) mayName(field, value string) bool {
	return st.visible == nil || st.visible[field+":"+strings.ToLower(value)]

}

// render is the question's words with the used ones blanked ("_"), between
// spaces, and where each word starts in it.
func (st *parseState) render() (string, []int) {
	var b strings.Builder
	starts := make([]int, len(st.toks))
	b.WriteByte(' ')
	for i, t := range st.toks {
		starts[i] = b.Len()
		if st.used[i] {
			b.WriteByte('_')
		} else {
			b.WriteString(t)
		}
		b.WriteByte(' ')
	}
	return b.String(), starts
}

// text is the unread part of the question (read words blanked).
func (st *parseState) text() string { s, _ := st.render(); return s }

// take finds the first match of re among the unread words, marks the words
// inside it read (except those inside the submatches listed in keep) and
// returns the submatches; nil if there is none.
func (st *parseState) take(re *regexp.Regexp, keep ...int) []string {
	m, _ := st.takeNext(re, keep...)
	return m
}

// takeNext is take that also returns the index of the first word after
// the match (len(toks) at the end).
func (st *parseState) takeNext(re *regexp.Regexp, keep ...int) ([]string, int) {
	text, starts := st.render()
	loc := re.FindStringSubmatchIndex(text)
	if loc == nil {
		return nil, -1
	}
	next := len(st.toks)
	for i, s := range starts {
		if s >= loc[1] {
			next = i
			break
		}
	}
	m := make([]string, len(loc)/2)
	for i := range m {
		if loc[2*i] >= 0 {
			m[i] = text[loc[2*i]:loc[2*i+1]]
		}
	}
	for i, s := range starts {
		e := s + len(st.toks[i])
		if st.used[i] || s < loc[0] || e > loc[1] {
			continue
		}
		kept := false
		for _, g := range keep {
			if 2*g+1 < len(loc) && loc[2*g] >= 0 && s >= loc[2*g] && e <= loc[2*g+1] {
				kept = true
			}
		}
		if !kept {
			st.used[i] = true
		}
	}
	return m, next
}

// has reports whether re matches the unread words, without reading them.
func (st *parseState) has(re *regexp.Regexp) bool { return re.MatchString(st.text()) }

// useWord marks every unread occurrence of the word w read.
func (st *parseState) useWord(w string) {
	for i, t := range st.toks {
		if t == w {
			st.used[i] = true
		}
	}
}

// functionWords carry no meaning of their own: a question may hold any of
// them without a reading rule taking them. Words that change an answer
// (not, or, than, most, each, by, before, average, only…) are not here: a
// question that keeps one unread is refused.
var functionWords = wordSet(`a an the of in on at for to from is are was were be been being am do doe did done
	have ha had having what which who whom whose how show me tell list display find get give let u we our i my mine
	you your they their them there it that those these this all any some please can could would will should shall
	may might want need see know also and as well just here respectively currently now so far
	return provide identify look up fetch retrieve pull print produce report about regarding corresponding
	whole entire full complete actually exist existing current currently kindly thank thanks hi hello hey pls plz thx yo single separate among
	where when with within into per se data table record database network company organisation organization
	org business firm workforce system result set row overall everyone everybody anyone someone somebody
	people person employee staff worker team member individual he she his her him its then has does was
	work working worked works compare compared comparison schedule schedules rota roster assigned belong belonging
	located based listed originate come comes live living reside residing hiring employ employs employed contain contains
	using along together take took taken taking had log logged clock clocked put spent spend record recorded
	book booked off out away went gone go going called call calling district corporation used use got crew`)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[singular(w)] = true
	}
	return m
}

// unread returns the content words no reading took, as phrases of
// neighbouring words.
func (st *parseState) unread() []string {
	var out []string
	cur := []string{}
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.Join(cur, " "))
			cur = cur[:0]
		}
	}
	loud := st.loudWords()
	for i, t := range st.toks {
		if st.used[i] || functionWords[t] && !loud[t] {
			flush()
			continue
		}
		cur = append(cur, st.words[i])
	}
	flush()
	return out
}

// loudWords are the function words written as acronyms in a question that
// is not all capitals: a name ("the IT department", "in the
// US"), not the pronoun, so never passed over as one ("headcount of the IT
// department" counted the departments).
func (st *parseState) loudWords() map[string]bool {
	if strings.ToUpper(st.question) == st.question {
		return nil
	}
	var loud map[string]bool
	for _, w := range reCapitals.FindAllString(st.question, -1) {
		if l := strings.ToLower(w); acronymWords[l] {
			if loud == nil {
				loud = map[string]bool{}
			}
			loud[l] = true
		}
	}
	return loud
}

// acronymWords are the function words that are also an acronym when
// written in capitals (emphasis, "ALL cashiers", "WHO worked", stays a
// function word).
var acronymWords = wordSet(`it us`)

var reCapitals = regexp.MustCompile(`\b[A-Z]{2,}\b`)

// account is the last step: every word was read, or the question is refused
// naming the words that were not, with the nearest things scry knows.
func (st *parseState) account() error {
	if err := st.completedYears(); err != nil {
		return err
	}
	st.onlyBesideValues()
	if st.q.Kind == "people" && slices.ContainsFunc(st.q.Filters, func(f Filter) bool { return f.Field == "status" && f.Negate }) {
		// "which of my teachers aren't rostered next Tuesday": people with
		// no shift then, not people whose shifts are of another status
		// (none, an empty list)
		return notUnderstoodf("scry did not understand who is not scheduled here; ask who has no shift (\"which teachers have no shift next Tuesday\")")
	}
	words := st.unread()
	if len(words) == 0 {
		if st.fail == nil && st.unit != "" {
			return st.unitOfMeasure()
		}
		return st.fail
	}
	if st.namesSomeoneUnseen() {
		return errUnseenName
	}
	return st.p.didNotUnderstand(words)
}

// onlyBesideValues takes "only" said of a value the question keeps
// ("gender split, teachers only", "only part-timers", "for the Kitchen
// staff only"): the value's filter keeps only them already. An "only"
// anywhere else ("who only worked weekends") stays unread, and refused.
func (st *parseState) onlyBesideValues() {
	for _, it := range st.items {
		// (a person's own group only: "worked only remotely", "only on
		// weekdays" say all their shifts were, which no filter says)
		if len(it.meanings) == 0 || !onlyOfPeople[it.meanings[0].name] || !st.used[it.pos] {
			continue
		}
		after := it.pos + it.n
		if after < len(st.toks) && peopleNouns[singular(st.toks[after])] {
			after++
		}
		before := it.pos - 1
		if before > 0 && st.toks[before] == "the" {
			before--
		}
		for _, k := range []int{after, before} {
			if k >= 0 && k < len(st.toks) && st.toks[k] == "only" && !st.used[k] {
				st.used[k] = true
			}
		}
	}
}

// onlyOfPeople are the fields whose value "only" may stand beside.
var onlyOfPeople = wordSet(`department position contract_type gender`)

// errUnseenName refuses a question that names a person the asker may not
// see. It neither repeats the name nor says whether such a person exists:
// any first and last name of the tenant put side by side gets it, so it
// tells no more than the tenant's list of first and last names.
var errUnseenName = errcode.New(errcode.PermissionDenied,
	"scry answers about the people you may see only, and none of them has the name in this question")

// namesSomeoneUnseen: a scoped asker's question holds, among the words no
// reading took, one of the tenant's first or last names written
// capitalised or beside another ("Emma Dubois", where Emma alone is someone
// the asker may see and was read as her). Any such word counts, whoever
// has it, so the refusal tells no more than the lists of names.
func (st *parseState) namesSomeoneUnseen() bool {
	if st.visible == nil {
		return false
	}
	for i, w := range st.toks {
		if st.used[i] || !st.p.nameParts[w] {
			continue
		}
		if st.capitalised(w) || i > 0 && st.p.nameParts[st.toks[i-1]] || i+1 < len(st.toks) && st.p.nameParts[st.toks[i+1]] {
			return true
		}
	}
	return false
}

// didNotUnderstand is the one refusal for words scry cannot read. It is the
// same whether a name does not exist or is outside the asker's scope, so a
// refusal never tells who works here.
func (p *Parser) didNotUnderstand(words []string) error {
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = "'" + w + "'"
	}
	msg := "scry did not understand: " + strings.Join(quoted, ", ") + "."
	if near := p.nearest(words); len(near) > 0 {
		msg += " Did you mean " + strings.Join(near, ", ") + "?"
	}
	msg += " scry reads measures (hours worked, headcount, absences, wages, ages…), groups (department, position, location, week…), conditions on people and periods."
	return errcode.New(errcode.NotUnderstood, "%s", msg)
}

// nearest suggests known words close to the unknown ones: words of the
// model and the tenant's departments, positions and locations — never
// people's names, which a scoped asker may not see.
func (p *Parser) nearest(words []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, phrase := range words {
		for _, w := range strings.Fields(phrase) {
			if len(w) < 4 || p.known[w] || p.positionVerb(w) {
				continue
			}
			best, bestD := "", 3
			for k := range p.suggest {
				if d := editDistance(w, k); d < bestD || d == bestD && k < best {
					best, bestD = k, d
				}
			}
			if best != "" && !seen[best] {
				seen[best] = true
				out = append(out, "'"+best+"'")
			}
		}
	}
	sort.Strings(out)
	if len(out) > 5 {
		out = out[:5]
	}
	return out
}

// editDistance is the Levenshtein distance, capped for long words.
func editDistance(a, b string) int {
	if len(a) > 40 || len(b) > 40 {
		return 99
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// measureSpan: a measure named by the words [from, to) of the question.
type measureSpan struct {
	measure  string
	from, to int
}
