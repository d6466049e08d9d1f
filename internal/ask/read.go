package ask

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Parse reads a question into a structured query, or refuses it. It never
// guesses: every word is taken by a reading step or is a function word;
// a question with words left over is refused naming them.
func (p *Parser) Parse(question string) (*Query, error) { return p.ParseFor(question, nil) }

// ParseFor reads a question for an asker who may see only the people in
// visible (keys "field:value", lower case; nil = everyone). A name outside
// it is read exactly like a name the tenant does not have, so a refusal
// never tells whether someone works here.
func (p *Parser) ParseFor(question string, visible map[string]bool) (*Query, error) {
	if p.twoQuestions(question, visible) {
		return nil, notUnderstoodf("scry answers one question at a time, and this holds two, each asking for its own number: ask them one after the other")
	}
	q, err := p.parseOne(question, visible)
	if err == nil {
		return q, nil
	}
	// "I'm preparing the board pack - could you tell me how many people we
	// hired this year? Thanks so much.": the sentences around the question
	// that hold no word scry reads are set aside, and the answer says so;
	// a sentence with any such word is kept, and the refusal stands
	kept, aside := p.besideTheQuestion(question)
	if len(aside) == 0 || kept == "" {
		return nil, err
	}
	q2, err2 := p.parseOne(kept, visible)
	if err2 != nil {
		return nil, err
	}
	q2.aside = aside
	return q2, nil
}

// twoQuestions: two questions, each opening with a question word and
// each read on its own as a different measure ("did I go over my contract
// last week? how many hours did I actually work"): one answer would drop
// one of them.
func (p *Parser) twoQuestions(question string, visible map[string]bool) bool {
	// the clauses that open with a question word, each ended by "?" (the
	// last may go without); only two or more are read again, so a single
	// question is read once
	var clauses []string
	parts := strings.SplitAfter(question, "?")
	for i, c := range parts {
		if !strings.HasSuffix(strings.TrimSpace(c), "?") && i < len(parts)-1 {
			continue
		}
		if toks, _ := normalizeWords(c); len(toks) > 0 && questionWords[toks[0]] {
			clauses = append(clauses, c)
		}
	}
	if len(clauses) < 2 {
		return false
	}
	measures := map[string]bool{}
	for _, c := range clauses {
		if q, err := p.parseOne(c, visible); err == nil && q.Measure != "" {
			measures[q.Measure] = true
		}
	}
	return len(measures) > 1
}

var questionWords = wordSet(`how what who which when did do does is are was were can could will whats hows`)

// reClause ends a sentence or a clause set apart by a dash, a colon or a
// semicolon.
var reClause = regexp.MustCompile(`[.!?;:]+(?:\s+|$)|\s+[-–—]+\s+`)

// besideTheQuestion splits a question into its sentences and clauses and
// returns those that hold a word scry reads (joined) and those that hold
// none (the courtesy and context around a question).
func (p *Parser) besideTheQuestion(question string) (string, []string) {
	var kept, aside []string
	for _, c := range reClause.Split(question, -1) {
		c = strings.TrimSpace(strings.Trim(c, ",; "))
		if c == "" {
			continue
		}
		if p.readsAnything(c) {
			kept = append(kept, c)
		} else {
			aside = append(aside, c)
		}
	}
	return strings.Join(kept, ", "), aside
}

// reCourtesy: thanks and apologies, whose words ("many", "again") are
// read elsewhere.
var reCourtesy = regexp.MustCompile(`\b(?:many thanks|thanks (?:so much|a lot|in advance)|thank you(?: (?:so|very) much)?|much appreciated|sorry to bother you(?: again)?|apologies(?: for [a-z ]+)?)\b`)

// readsAnything: some word of the text is one scry reads (a measure, a
// group, a value, a name, a period's word, a number).
func (p *Parser) readsAnything(text string) bool {
	toks, _ := normalizeWords(p.expandAcronyms(reCourtesy.ReplaceAllString(strings.ToLower(text), " ")))
	for _, t := range toks {
		if qualifierWords[t] {
			return true // "Interns aside.", "Rounded up.": it says how, even if not what
		}
		if functionWords[t] || t == "thank" || t == "thanks" || t == "please" {
			continue
		}
		if len(p.phrases[t]) > 0 || readingWords[t] || p.positionWords[t] || t[0] >= '0' && t[0] <= '9' {
			return true
		}
	}
	return false
}

// qualifierWords narrow or shape an answer: a sentence with one is never
// set aside as courtesy ("Interns aside. How many employees …" would have
// counted everyone).
var qualifierWords = wordSet(`aside except excluding exclude excluded only without not no never none but ignore ignoring leave leaving out rounded round rounding decimal euro dollar pound currency percent percentage include including included minus plus instead rather unless apart besides other`)

func (p *Parser) parseOne(question string, visible map[string]bool) (*Query, error) {
	toks, words := normalizeWords(p.expandAcronyms(question))
	toks = p.correct(toks, words)
	if len(toks) == 0 {
		return nil, notUnderstood("")
	}
	toks, words, chart, _ := p.withoutChart(question, toks, words)
	if len(toks) == 0 {
		return nil, notUnderstood("")
	}
	st := &parseState{p: p, question: question, toks: toks, words: words, used: make([]bool, len(toks)), q: &Query{Chart: chart},
		filterVals: map[string][]string{}, negated: map[string]bool{}, visible: visible}
	// the word normalisation leaves for "more … in A than in B", taken
	// before any reading sees it as a word of the question
	if m := st.take(reRiseWord); m != nil {
		st.rise = map[string]string{"more": ">", "fewer": "<", "less": "<"}[m[1]]
	}
	for _, step := range []func(*parseState) error{
		(*parseState).readDomain,
		(*parseState).readWhole,
		(*parseState).readUnit,
		(*parseState).readWhen,
		(*parseState).readPersonDates,
		(*parseState).readTime,
		(*parseState).readContractWeek,
		(*parseState).readDays,
		(*parseState).readClock,
		(*parseState).readReporting,
		(*parseState).readComparisons,
		(*parseState).readNamed,
		(*parseState).readNamePatterns,
		(*parseState).readAttrConditions,
		(*parseState).readAtHire,
		(*parseState).readHaving,
		(*parseState).readExtremes,
		(*parseState).readOrder,
		(*parseState).readAggregates,
		(*parseState).readColumns,
		(*parseState).readFlags,
		(*parseState).readWords,
		(*parseState).decide,
		(*parseState).account,
	} {
		if err := step(st); err != nil {
			return nil, err
		}
	}
	return st.q, nil
}

// The chart an asker names ("as a pie chart", "plot …", "graph of …",
// "in a table"): a kind of drawing, never a measure or a condition. A type
// word is read only before a chart's noun ("line chart", never "line
// cooks"), except the words that are charts on their own (heatmap,
// histogram). A generic "chart of"/"plot" asks for the chart that suits.
var (
	reChartThis   = `(?:(?:show|draw|display|make|put|present|give|render|plot|chart|graph|visuali[sz]e)(?: me| u)?(?: it| this| that| them| these| those| the result| the answer| the data)? )?(?:(?:as|in|into|on|using|with|via) )?(?:(?:a|an|the) )?`
	reChartTyped  = rx(reChartThis + `(?:(pie|donut|doughnut|bar|column|line|area) (?:chart|graph|plot|diagram)|(heatmap|heat map|histogram))(?: of| showing| for)?`)
	reChartTable  = rx(`(?:(?:show|display|give|put|present)(?: me| u)?(?: it| this| that| them| these| those)? )?(?:(?:as|in|into) (?:a |an )?(?:table|pivot table|pivot|tabular form|table form|grid|spreadsheet)|(?:a |an )?(?:table|pivot table|spreadsheet) (?:of|showing|with))`)
	reChartNoun   = rx(reChartThis + `(?:chart|graph|plot|diagram|visual|visualization|visualisation)(?: of| showing| for)?`)
	reChartVerb   = rx(`(?:(?:can|could|would|will) you |please )?(plot|chart|graph|visuali[sz]e|draw|pivot|tabulate)(?: me| u)?(?: out)?`)
	chartTypeWord = map[string]ChartKind{"pie": ChartPie, "donut": ChartPie, "doughnut": ChartPie, "bar": ChartBar, "column": ChartBar,
		"histogram": ChartBar, "line": ChartLine, "area": ChartLine, "heatmap": ChartHeatmap, "heat map": ChartHeatmap}
)

// withoutChart takes the chart's words out of a question before it is
// read: they say how to draw the answer, never what it is, so every other
// reading sees the question as if they were not there ("bar chart of my
// staff by position" is "my staff by position"). asked: a chart was named,
// with or without a kind ("plot it").
func (p *Parser) withoutChart(question string, toks, words []string) (_, _ []string, chart ChartKind, asked bool) {
	st := &parseState{p: p, question: question, toks: toks, words: words, used: make([]bool, len(toks)), q: &Query{}}
	st.readChart()
	var keptToks, keptWords []string
	for i, used := range st.used {
		if !used {
			keptToks, keptWords = append(keptToks, toks[i]), append(keptWords, words[i])
		}
	}
	return keptToks, keptWords, st.q.Chart, st.chartAsked
}

// readChart reads the chart asked for into q.Chart (ChooseChart draws it
// when it suits the answer, and says why not when it does not).
func (st *parseState) readChart() error {
	for {
		if m := st.take(reChartTyped); m != nil {
			st.q.Chart, st.chartAsked = chartTypeWord[m[1]+m[2]], true
			continue
		}
		if m := st.take(reChartTable); m != nil {
			st.q.Chart, st.chartAsked = ChartTable, true
			continue
		}
		if st.take(reChartNoun) == nil && st.take(reChartVerb) == nil {
			return nil
		}
		st.chartAsked = true
	}
}

var (
	reMonthNoYear = regexp.MustCompile(`^month \d{1,2}$`)
	reFutureTense = regexp.MustCompile(` (?:will|going to|shall|gonna) `)
)

// reUnit: the unit an answer is asked in ("average tenure, in days",
// "overtime expressed in hours"). Not a period: "in week 47", "in day
// shifts", "in the week" are not units.
var reParenthesis = regexp.MustCompile(`\([^)]*\)`)

var reDateStart = regexp.MustCompile(`^(?:\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|this|last|next)`)

var reUnit = rx(`(?:in|(?:expressed|measured|given|counted) (?:in|as)) (?:term of )?(?:(?:the )?number of )?(minute|hour|day|week|month|year)`)

// readUnit reads the unit an answer is asked in: its word is left to be
// read as a measure's ("my sick leave, in days" is of days, not cases), and
// account checks it against the measure the question ends with
// (semantic.Measure.Unit): "the average tenure, in days" gave years.
func (st *parseState) readUnit() error {
	m, next := st.peekNext(reUnit)
	if m == nil {
		return nil
	}
	if next < len(st.toks) {
		w := st.toks[next]
		dated := w == "of" && next+1 < len(st.toks) && reDateStart.MatchString(st.toks[next+1]) // "in week of 2 November"
		if dated || w == "shift" || w == "ago" || w == "before" || w == "after" || (w[0] >= '0' && w[0] <= '9') {
			return nil
		}
	}
	used := append([]bool(nil), st.used...)
	if m[1] == "day" || m[1] == "hour" {
		st.take(reUnit, 1) // the unit's word is still a measure's ("my sick leave, in days")
	} else {
		st.take(reUnit)
	}
	var words []string
	for i := range st.used {
		if st.used[i] && !used[i] {
			words = append(words, st.words[i])
		}
	}
	if m[1] == "day" || m[1] == "hour" {
		words = append(words, st.words[next-1])
	}
	st.unit, st.unitWords = m[1], strings.Join(words, " ")
	return nil
}

// readAtHire reads "at hire" (normalised from "when they were hired", "on
// their hire date") after an age read as a condition, column or order: the
// age a person was hired at. With no such age the words stay unread, and
// the question is refused.
func (st *parseState) readAtHire() error {
	for i := 0; i+1 < len(st.toks); i++ {
		if st.used[i] || st.used[i+1] || st.toks[i] != "at" || st.toks[i+1] != "hire" {
			continue
		}
		// only the age read right before ("over 40 who were under 25 at
		// hire": the 25)
		moved := false
		for k := range st.q.Filters {
			if f := st.q.Filters[k]; f.Field == "age" && f.Ref == nil && len(f.Values) == 1 && i > 0 && st.toks[i-1] == f.Values[0] {
				st.q.Filters[k].Field, moved = "age_at_hire", true
				st.q.Columns = append(st.q.Columns, "age_at_hire") // shown beside the people it picks
			}
		}
		// "who were under 25 at hire": a number there is an age
		if _, err := strconv.Atoi(st.toks[max(i-1, 0)]); !moved && i >= 2 && err == nil && !st.used[i-1] && !st.used[i-2] {
			from := i - 2 // "under 25", "younger than 25"
			if from > 0 && st.toks[from] == "than" && !st.used[from-1] {
				from--
			}
			if op := atHireOps[st.toks[from]]; op != "" {
				st.use(from, i)
				st.addCond(Filter{Field: "age_at_hire", Op: op, Values: []string{st.toks[i-1]}})
				st.q.Columns = append(st.q.Columns, "age_at_hire")
				moved = true
			}
		}
		for k, c := range st.q.Columns {
			if c == "age" && i > 0 && st.toks[i-1] == "age" {
				st.q.Columns[k], moved = "age_at_hire", true
			}
		}
		for k := range st.q.Sort {
			if st.q.Sort[k].Field == "age" && i > 0 && st.toks[i-1] == "age" {
				st.q.Sort[k].Field, moved = "age_at_hire", true
			}
		}
		if moved {
			st.use(i, i+2)
		}
	}
	return nil
}

var atHireOps = map[string]string{"under": "<", "below": "<", "younger": "<", "less": "<", "over": ">", "above": ">", "older": ">", "more": ">"}

// readWhole takes "full", "whole", "complete(d)" right before "years"
// ("how many full years have I worked here", "tenure in whole years"):
// completed years, which only a tenure is counted in otherwise (a period's
// "last 2 full years" is read by the time step).
func (st *parseState) readWhole() error {
	for i := 0; i+1 < len(st.toks); i++ {
		switch st.toks[i] {
		case "full", "whole", "complete", "completed":
		default:
			continue
		}
		if st.used[i] || st.toks[i+1] != "year" && st.toks[i+1] != "years" {
			continue
		}
		st.used[i] = true
		st.whole = st.words[i]
		if i > 0 && st.toks[i-1] == "in" && !st.used[i-1] && !st.used[i+1] {
			// "tenure in whole years": the unit too
			st.used[i-1], st.used[i+1] = true, true
			st.unit, st.unitWords = "year", strings.Join(st.words[i-1:i+2], " ")
		}
	}
	return nil
}

// completedYears applies "full years" to the measure read: a tenure is
// counted in completed years, an age is one already; anything else is
// refused rather than the word passed over.
func (st *parseState) completedYears() error {
	if st.whole == "" {
		return nil
	}
	tenure := st.q.Measure == "tenure" || slices.Contains(st.q.Columns, "tenure")
	if tenure {
		st.q.Whole = true
		return nil
	}
	if st.q.Measure == "age" || slices.Contains(st.q.Columns, "age") {
		return nil
	}
	return notUnderstoodf("scry counts %s years of a tenure or an age only; ask for the tenure (\"how many full years has Nora David worked here\")", st.whole)
}

// unitOfMeasure accepts a unit asked for that is the measure's own ("the
// average tenure in years") and refuses any other, naming both: scry does
// not convert (a tenure in days is not a tenure in years times 365).
func (st *parseState) unitOfMeasure() error {
	measure := st.q.Measure
	for _, c := range st.q.Columns { // a list's number ("… with us, in months": a tenure)
		if a := attributes[c].measure; measure == "" && a != "" {
			measure = a
		}
	}
	own := st.p.model.Measures[measure].Unit
	if own == st.unit {
		return nil
	}
	what := plainMeasure(st.p.model, measure)
	if what == "" {
		what = "this"
	}
	if own == "" {
		return notUnderstoodf("scry did not understand %q here: it gives %s as a number, in no unit", st.unitWords, what)
	}
	return notUnderstoodf("scry gives %s in %ss, not in %ss: ask without %q", what, own, st.unit, st.unitWords)
}

// reWorkedWords are the verbs of hours that happened, not of a contract.
var reWorkedWords = regexp.MustCompile(` (?:work|worked|working|put|clock|clocked|did|done|do|log|logged|scheduled|planned|plan|rostered|overtime|shift)\b`)

// reOverTime: hours that change over time or belong to a person's weeks
// ("weekly hours trend", "by month", "per employee"): hours worked.
var reOverTime = regexp.MustCompile(` (?:trend|over time|change|changed|daily|monthly|quarterly|yearly|(?:per|by|each|every|a) (?:day|week|month|quarter|year|employee|person|head|worker))\b`)

// readContractWeek reads "weekly hours" as a person's contracted weekly
// hours (the schema's weekly_hours) when nothing in the question happened:
// no period and no verb of work ("the average weekly hours for each
// contract type", "teaching assistants whose weekly hours are under 30").
// With a period ("average weekly hours over the last 4 weeks") or a verb
// ("weekly hours worked") they are hours worked per week.
func (st *parseState) readContractWeek() error {
	if all := " " + strings.Join(st.toks, " ") + " "; st.q.Time != nil || reWorkedWords.MatchString(all) || reOverTime.MatchString(all) {
		return nil
	}
	for i := 0; i+1 < len(st.toks); i++ {
		if st.toks[i] == "weekly" && st.toks[i+1] == "hour" && !st.used[i] && (i == 0 || st.toks[i-1] != "contracted" && st.toks[i-1] != "contract") {
			st.toks[i] = "contracted"
		}
	}
	return nil
}

var (
	reHaving      = rx(`(?:more than|greater than|higher than|over|above|in excess of|at least|no less than|minimum of|less than|fewer than|lower than|under|below|at most|no more than|maximum of|exactly) (\d+(?:\.\d+)?)(?: (hour|day|shift|absence|time|year|employee|people|person|staff|worker))?`)
	reOrMore      = rx(`(\d+(?:\.\d+)?) or (more|fewer|less)(?: (hour|day|shift|absence|time|employee|people|person|staff|worker))?`)
	reTop         = rx(`(top|best|first|bottom|worst|lowest|highest) (\d+)`)
	reNTop        = rx(`(\d+) (highest|lowest|largest|smallest|best|worst|top|bottom|oldest|youngest|most|least)`)
	rePeople      = regexp.MustCompile(`^ (?:who|whom|list|name|names|which (?:of )?(?:my |our |the )?(?:employee|staff|people|person|worker|team member|report|teacher|manager)|show me (?:all|every|everyone|everybody|the list)|show (?:all|every|everyone)|display (?:all|every|everyone)|give me (?:all|every|everyone|a list|the list|the name)|find (?:all|every|the)|get (?:all|every)|(?:top|bottom) \d+ (?:employee|staff|people|person|worker))\b`)
	reRelativeWho = regexp.MustCompile(` (?:people|person|employee|staff|worker|those|team member|one) (?:who|whom|that)\b`)
	reNotMe       = rx(`notme`)
	reNounWho     = regexp.MustCompile(` [a-z]{3,} (?:who|whom)\b`)
	reHowManyOf   = regexp.MustCompile(`^ (?:how many|what is the number of|the number of|number of|count of|count the)\b`)
	reAskWho      = regexp.MustCompile(`^ (?:who|whom|which (?:employee|people|person|staff|worker))\b`)
	reWhoAny      = regexp.MustCompile(` (who|whom|which employee|which people|which staff|which person|which worker|which of|everyone|everybody|list of|names of|name of)\b`)
	reCount       = rx(`(how many|number of|count of|count the number of|count the|count|headcount|head count|total number of|total number|amount of|how much|tally)`)
	// reFindNumber: "find the average weekly hours of part-timers" asks for a
	// number, not for people
	reFindNumber = regexp.MustCompile(`^ find the (?:average|mean|total|sum|number|count|minimum|maximum|min|max|median|share|percentage|proportion)\b`)
	reRequest    = rx(`(?:can|could|may|might|would|shall) (?:i|we|you) (?:please )?(?:get|see|have|know|find|ask|list|view|obtain|show|give)|i (?:would like|want|need) to (?:know|see|get)|i (?:would like|want|need)`)
	reMyTeam     = rx(`(?:(?:do|did|does) i (?:have|manage|supervise|lead)|(?:have|do) i (?:got|have)|i (?:ve|have) got|i (?:have|manage|supervise|oversee|lead|look after)|my (?:team|school|department|store|site|unit|staff|people|report|direct report|employee|group|division|office|location|crew|shop|restaurant|hotel|branch|worker))`)
	reTotal      = rx(`(total|sum of|sum|overall|combined|altogether|in total)`)
	reAverage    = rx(`(?:on )?(average|mean|avg|typical)`)
	reMedian     = rx(`(?:the )?median`)
	reShare      = rx(`(share|percentage|percent|proportion|ratio|parity|fraction|distribution|split|breakdown|break down|makeup|composition)`)
	reTrend      = rx(`(changed|change|trend|trending|evolution|evolved|developed|development|over time|progression|moved|shifted)`)
	reMost       = rx(`(the most|most|highest|largest|biggest|maximum|max|greatest|longest)`)
	reLeast      = rx(`(the least|least|lowest|smallest|fewest|minimum|min|shortest)`)
	reWeekly     = regexp.MustCompile(` (weekly|per week|a week|each week|every week)\b`)
	rePerPerson  = regexp.MustCompile(` per (employee|person|head|worker|staff member|team member)\b`)
	// "how many employees have my weekly hours": others like the asker
	reLikeMine   = regexp.MustCompile(` (?:have|has|on|with|earn|earns|at|share|(?:people|employee|staff|who|that|many|anyone|anybody) (?:are|is)) my `)
	reSelfAttr   = regexp.MustCompile(` my (?:own )?(?:total )?(?:weekly (?:contracted |contract )?hour|contracted (?:weekly )?hour|contract (?:weekly )?hour|working hour per week|hour per week|years? of service|length of service|tenure|seniority|age|hourly wage|wage|salary|pay|earning|birthday|birth date|hire date|start date)s?\b| (?:years? of service|tenure|seniority) (?:do|have) i\b`)
	reSelf       = regexp.MustCompile(` (i|myself|my own|mine)\b| my (?:(?:total|own|overall|average|avg) )?(hour|hourly|shift|absence|sick|vacation|holiday|leave|day|wage|pay|salary|time|attendance|overtime|age|contract|position|department|tenure|seniority|years of service|birthday|birth date|date of birth|hire date|start date|weekly hours|contracted hours)\b|(?:^| )(?:for|about|of|did|do|have) me\b`)
	reDeptMgr    = regexp.MustCompile(` department (manager|head|lead|boss)\b`)
	reMgrOf      = regexp.MustCompile(`^ (?:who|which|list|show me|give me|display|find)?.{0,20}\b(manager|supervisor|boss)\b.{0,10}\b(who|whose|with|that|of)\b`)
	reWithout    = regexp.MustCompile(` (never|without|(?:did|do|does|has|have|had|were|was|is|are) not|had no|have no|has no|with no|no|(?:with|had|have|has) zero|zero)\b`)
	reVersus     = regexp.MustCompile(` (vs|versus|compared to|compared with|against|or)\b`)
	reVersusWord = regexp.MustCompile(` (?:vs|versus|compared to|compared with|against)\b`)
	reWorking    = regexp.MustCompile(` (working|work|worked|on shift|on duty|scheduled|rostered|in)\b`)
	reSameDay    = regexp.MustCompile(` (?:on|during) (?:a|the|any|the same|one) (?:day|date)s? (?:that |when |where |as )?(?:they|he|she|i|we|you|someone|people|employees|staff)\b`)
	reUnmodelled = regexp.MustCompile(` (revenue|profit|productivity|performance|ratings?|bonus|bonuses|promotions?|engagement|satisfaction|commission|commissions|phone|telephone|live|lives|reside|resides|home address|commute|commutes)\b`)
	reWhichDim   = regexp.MustCompile(`^ (?:which|what) (?:department|dept|school|location|city|site|store|position|role|job|contract type|gender)\b`)
	reMgrWord    = regexp.MustCompile(`\b(?:manager|supervisor|boss|team lead)\b`)
	reGrainAdj   = regexp.MustCompile(` (daily|weekly|monthly|quarterly|yearly|annual) `)
	reDayNoYear  = regexp.MustCompile(`^(?:on|week of) (?:[a-z]+ )?\d{2}-\d{2}$|^on (?:[a-z]+ )?day \d{1,2}$|^` + christmasPeriod + `$`)
	reByEveryone = rx(`by (?:everyone|everybody|all (?:staff|employee|people|worker))`)
	reWholeOrg   = regexp.MustCompile(` (?:(?:in|across|throughout|for|of) (?:the |our )?(?:whole|entire) (?:company|district|organisation|organization|business|firm)|(?:company|organisation|organization|district)[- ]wide|(?:the|our) (?:company|organisation|organization|district)(?:'s| total)|(?:company|organisation|organization)(?:'s)? total)\b`)
	reAcrossOrg  = rx(`(?:across|throughout) (?:the |our )?(?:whole |entire )?(?:company|district|organisation|organization|business|firm|board)`)
	// "how many vacation days does Emma have left", "holiday balance",
	// "remaining leave": an allowance the data does not hold
	// "…, I need it for the Logistics manager": a reason that is not only
	// words of purpose (those are set aside in normalize)
	reNeedItFor     = regexp.MustCompile(` (?:i|we) (?:need|want) (?:it|this|that|them|the list|the numbers?|the data) for ((?:the |my |our |a |an )?[a-z].*)$`)
	reNeedItForSaid = regexp.MustCompile(`(?i)\b(?:i|we) (?:need|want) (?:it|this|that|them|the list|the numbers?|the data) for [^.?!]*`)
	reTimeWordStart = regexp.MustCompile(`^(?:next|this|last|tomorrow|today|tonight|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december|\d)`)
	// "sick days last year of people who left this year": leavers, not
	// days left
	rePeopleLeft = regexp.MustCompile(`\b(?:who|that|which) (?:have |has |had )?left\b`)
	reBalance    = regexp.MustCompile(` (?:balance|entitlement|allowance|accrued|accrual)\b|\b(?:day|vacation|holiday|leave|pto)\b.*\b(?:ha|have|has|still)(?: got)? (?:left|remaining)\b|\b(?:day|vacation|holiday|leave|pto)\b.* left (?:for|this|until|to take)\b| remaining (?:day|vacation|holiday|leave|pto)\b`)
	reOffDomain  = regexp.MustCompile(` (weather|forecast|temperature|rain|snow|stock|stocks|share price|bitcoin|crypto|recipe|joke|poem|story|song|movie|film|capital|president of|translate|football|soccer|news|horoscope|lottery)\b`)
)

// readDomain refuses questions about things the workforce data does not
// hold, before any other reading.
func (st *parseState) readDomain() error {
	// words of the tenant's own values are not off the subject ("stock clerks")
	var b strings.Builder
	b.WriteByte(' ')
	for _, t := range st.toks {
		if st.p.valueWords[t] {
			t = "_"
		}
		b.WriteString(t + " ")
	}
	s := b.String()
	if reOffDomain.MatchString(s) {
		return notUnderstood("scry answers questions about employees, shifts and absences.")
	}
	if m := reNeedItFor.FindStringSubmatch(s); m != nil && !reTimeWordStart.MatchString(m[1]) {
		// "who is on vacation next week? I need it for the Logistics
		// manager": whom it is for, or a condition? (it filtered by that
		// position, and found no one)
		said := reNeedItForSaid.FindString(st.question)
		return notUnderstoodf("scry did not understand whether %q is a condition or whom the answer is for; ask without it", strings.TrimSpace(said))
	}
	if reBalance.MatchString(s) && !rePeopleLeft.MatchString(s) {
		return notUnderstoodf("scry's workforce data has no leave allowances or balances; it knows the absences taken (\"vacation days taken this year\")")
	}
	if m := reSameDay.FindString(s); m != "" {
		// "on sick leave on a day they also have a worked shift": two facts
		// of one day, which scry never joins (it counted the people with both
		// in the whole period)
		return notUnderstoodf("scry did not understand %q: it does not match one fact to the day of another (a shift on a day of absence); ask for each on its own", strings.TrimSpace(m))
	}
	if st.salesAsTakings() {
		return notUnderstoodf("scry's workforce data has no sales; it knows hours worked and planned, shifts, absences, headcount, hires and leavers, wages, ages and tenure")
	}
	if m := reUnmodelled.FindStringSubmatch(s); m != nil {
		what := m[1]
		if strings.HasPrefix(what, "live") || strings.HasPrefix(what, "reside") || strings.HasPrefix(what, "commute") {
			what = "home address (a location is where people work)"
		}
		return notUnderstoodf("scry's workforce data has no %s; it knows hours worked and planned, shifts, absences, headcount, hires and leavers, wages, ages and tenure", what)
	}
	return nil
}

// salesAsTakings: "sales" said alone ("sales per store last month", "total
// sales"), not the start of a position with people after it ("sales
// associates", "sales staff"), where the tenant has no value named so: it
// read "Sales Associate" and answered a headcount.
func (st *parseState) salesAsTakings() bool {
	for i, t := range st.toks {
		if t != "sales" && t != "sale" {
			continue
		}
		named := slices.ContainsFunc(st.p.phrases[t], func(mn meaning) bool { return mn.kind == "value" && normPhrase(mn.value) == t })
		next := ""
		if i+1 < len(st.toks) {
			next = st.toks[i+1]
		}
		prev := ""
		if i > 0 {
			prev = st.toks[i-1]
		}
		// ("work in sales", "hours of sales": the people, as a department)
		if !named && !peopleNouns[singular(next)] && !st.p.positionWords[next] && !salesGroups[singular(next)] && prev != "in" && prev != "of" && prev != "from" && prev != "at" {
			return true
		}
	}
	return false
}

// salesGroups are the words after "sales" that make it people ("the sales
// team", "sales reps").
var salesGroups = wordSet(`team force rep representative department dept floor role position job assistant associate`)

// readTime takes the first time expression of the question.
func (st *parseState) readTime() error {
	st.atSomePoint = st.take(reAtSomePoint, 1) != nil // "at some point in 2026" is "in 2026"
	if len(st.toks) > 1 && st.toks[0] == "now" {
		st.used[0] = true // "now show …" begins; "who is off now" is today
	}
	was := append([]bool(nil), st.used...)
	for _, r := range timeRules {
		if m, _ := st.peekNext(r.re); m != nil && r.expr(m) != "" {
			m = st.take(r.re)
			st.q.Time = &TimeRange{Expr: r.expr(m)}
			// "how many shifts do I have left this month": mine
			st.mine = st.mine || strings.HasPrefix(st.q.Time.Expr, "rest of") && strings.Contains(m[0], " i ")
			st.timeSpan = [2]int{-1, -1}
			for i := range st.used {
				if st.used[i] && !was[i] {
					if st.timeSpan[0] < 0 {
						st.timeSpan[0] = i
					}
					st.timeSpan[1] = i + 1
				}
			}
			break
		}
	}
	// "during the last school year, from September 2025 to the end of
	// August 2026", "this school year so far, so from 1 September": a
	// period right after the first restates it (Resolve checks that it
	// names the same days)
	for tr := st.q.Time; tr != nil && st.timeSpan[1] > 0; {
		found := false
		text, starts := st.render()
		for _, r := range timeRules {
			m, at, end := periodAt(r, text, starts)
			if m == nil {
				continue
			}
			// right after the first period, or right before it
			lo, hi := st.timeSpan[1], at
			if at < st.timeSpan[0] {
				lo, hi = end, st.timeSpan[0]
			}
			gap := at >= 0 && hi >= lo && hi-lo <= 2
			for i := lo; gap && i < hi; i++ {
				gap = restateWords[st.toks[i]] && !st.used[i]
			}
			// "sick days for people hired in 2025 this year": a hire's or a
			// leave's period beside the question's is another period
			if !gap || st.eventPeriod(at) || st.eventPeriod(st.timeSpan[0]) {
				continue // not a restatement: left for other readings
			}
			st.use(at, end)
			tr.restated = append(tr.restated, r.expr(m))
			st.use(lo, hi)
			st.timeSpan = [2]int{min(st.timeSpan[0], at), max(st.timeSpan[1], end)}
			found = true
			break
		}
		if !found {
			break
		}
	}
	st.readEventTime()
	// "hours worked compared to last year": one period named after a word
	// of comparing; read alone it answered for that period and dropped the
	// comparison
	if i := st.timeSpan[0]; st.q.Time != nil && i > 0 && !strings.Contains(st.q.Time.Expr, " vs ") &&
		reComparedTo.MatchString(" "+strings.Join(st.toks[max(0, i-2):i], " ")+" ") {
		return notUnderstoodf("scry compares two periods when both are named (\"this year vs last year\", \"headcount today vs a year ago\"); name the period to compare %q with", strings.Join(st.words[st.timeSpan[0]:st.timeSpan[1]], " "))
	}
	// a day with no year: the last one, or, unless the question speaks of
	// the past, the coming one within a month ("who is off on December 7")
	if tr := st.q.Time; tr != nil && reDayNoYear.MatchString(tr.Expr) && !rePastTense.MatchString(" "+strings.Join(st.toks, " ")+" ") {
		tr.Expr += " or the coming one"
	}
	// a month with no year, asked in the future tense: the one to come
	// ("what will the labour cost be in December" gave last December's)
	if tr := st.q.Time; tr != nil && reMonthNoYear.MatchString(tr.Expr) && reFutureTense.MatchString(" "+strings.Join(st.toks, " ")+" ") {
		tr.Expr += " or the coming one"
	}
	st.lastN = st.q.Time != nil && reRelN.MatchString(st.q.Time.Expr) && !strings.HasPrefix(st.q.Time.Expr, "last 1 ")
	// "how many employees are left in Retail", "how many shifts are
	// remaining": what is still there or still to come, not leavers
	if st.q.Time == nil { // with a period, "remaining" was the period's
		if m := st.take(reRemaining); m != nil {
			st.remaining = true
			st.mine = strings.Contains(m[0], " i ")
		}
	}
	return nil
}

var (
	reByMe     = rx(`by (me|myself)`)
	reByMyTeam = rx(`by (?:my|our) (?:team|staff|people|report|direct report|employee|crew|worker|school|department|store)`)
)

// periodAt is the first match of a time rule in the rendered question, with
// the words it spans, [at, end); nil when there is none or it names no
// period.
func periodAt(r timeRule, text string, starts []int) (m []string, at, end int) {
	loc := r.re.FindStringSubmatchIndex(text)
	if loc == nil {
		return nil, -1, -1
	}
	m = make([]string, len(loc)/2)
	for i := range m {
		if loc[2*i] >= 0 {
			m[i] = text[loc[2*i]:loc[2*i+1]]
		}
	}
	if r.expr(m) == "" {
		return nil, -1, -1
	}
	if at = slices.Index(starts, loc[0]+1); at < 0 {
		return nil, -1, -1
	}
	end = slices.IndexFunc(starts, func(s int) bool { return s >= loc[1] })
	if end < 0 {
		end = len(starts)
	}
	return m, at, end
}

// readEventTime reads a second period that says when people were hired or
// left, beside the question's own: "hours worked this year by people hired
// in 2025", "sick days last month of those who joined this year". The
// event's period is kept in eventTime for readPersonEvent, which makes it a
// condition on the people; the other stays the question's period.
func (st *parseState) readEventTime() {
	if st.q.Time == nil || len(st.q.Time.restated) > 0 || strings.Contains(st.q.Time.Expr, " vs ") {
		return
	}
	text, starts := st.render()
	for _, r := range timeRules {
		m, at, end := periodAt(r, text, starts)
		if m == nil || st.eventPeriod(at) == st.eventPeriod(st.timeSpan[0]) || strings.Contains(r.expr(m), " vs ") {
			continue
		}
		st.use(at, end)
		other := TimeRange{Expr: r.expr(m)}
		if st.eventPeriod(at) {
			st.eventTime, st.eventSpan = other.Expr, [2]int{at, end}
		} else { // the first period read was the event's
			st.eventTime, st.eventSpan = st.q.Time.Expr, st.timeSpan
			st.q.Time, st.timeSpan = &other, [2]int{at, end}
		}
		return
	}
}

// eventPeriod is whether the period at word i says when people were hired
// or left ("hired in 2025", "who left this year").
func (st *parseState) eventPeriod(i int) bool {
	for j := i - 1; j >= 0 && j >= i-2; j-- {
		if eventWords[st.toks[j]] {
			return true
		}
		if t := st.toks[j]; t != "in" && t != "during" && t != "since" {
			return false
		}
	}
	return false
}

// restateWords may stand between a period and its restatement
var restateWords = wordSet(`so that is ie namely counting`)

// reComparedTo: the words before a period compared with another
// ("did sick days go up from last year" answered last year's alone)
var reComparedTo = regexp.MustCompile(` (?:compared (?:to|with)|compare (?:to|with)|comparison (?:to|with)|vs|versus|against|relative to|than|(?:up|down|increase|increased|rise|rose|risen|fall|fell|fallen|drop|dropped|decrease|decreased|change|changed|grow|grew|grown|growth|higher|lower) (?:from|on|over)|(?:go|gone|went|goes|going) (?:up|down)) $`)

var reAtSomePoint = rx(`(?:at|for) (?:some|any) (?:point|stage|time) ((?:in|during|of|this|last))`)

var reRemaining = rx(`(?:(?:are|is) (?:still )?left|still left|(?:do|does) (?:\w+ ){1,2}(?:still )?(?:have|ha) left|(?:have|ha) (?:i|we) (?:still )?got left|(?:i|we) (?:still )?(?:have|ha|ve) (?:got )?left|remaining)`)

// reBeyondContract: "worked more hours than their contract", "more than
// they are contracted for" — overtime, week by week.
var reBeyondContract = rx(`(?:(?:more|longer) (?:hour )?(?:_ )*than|(?:went|go|goes|going|gone|were|was|are|is|been) (?:over|above|beyond)|exceeded|exceeding|exceed|over|above|beyond) (?:(?:their|his|her|my|the|your) )?(?:(?:contract|contracted|contractual)(?: weekly)?(?: hour)?|(?:weekly )?contract hour|(?:they|he|she|i) (?:are|is|am|was|were) contracted(?: for)?)`)

// reBelowContract: "worked fewer hours than their contract", "below
// their contracted hours" — undertime, week by week, in the weeks worked.
var reBelowContract = rx(`(?:(?:fewer|less|shorter) (?:hour )?(?:_ )*than|(?:went|go|goes|going|gone|were|was|are|is|been|fell|fall|falls|falling) (?:under|below|short of)|under|below|short of) (?:(?:their|his|her|my|the|your) )?(?:(?:contract|contracted|contractual)(?: weekly)?(?: hour)?|(?:weekly )?contract hour|(?:they|he|she|i) (?:are|is|am|was|were) contracted(?: for)?)`)

// readHaving takes a threshold on a measure's total ("more than 30 hours").
func (st *parseState) readHaving() error {
	if st.take(reBeyondContract) != nil {
		st.beyondContract = true
		st.measures = append(st.measures, "overtime")
		st.q.Having = &Condition{Op: ">", Value: 0}
		return nil
	}
	if st.take(reBelowContract) != nil {
		st.beyondContract, st.belowContract = true, true
		st.measures = append(st.measures, "undertime")
		st.q.Having = &Condition{Op: ">", Value: 0}
		return nil
	}
	if m := st.take(reOrMore, 3); m != nil {
		v, _ := strconv.ParseFloat(m[1], 64)
		op := ">="
		if m[2] != "more" {
			op = "<="
		}
		st.q.Having, st.havingUnit = &Condition{Op: op, Value: v}, m[3]
		return nil
	}
	if m, next := st.peekNext(reHaving); m != nil && m[2] == "" && st.peopleBefore(next-1) && (next >= len(st.toks) || st.toks[next] != "percent") {
		// "part-time teachers over 45", "employees under 30": their age
		st.take(reHaving)
		st.addCond(Filter{Field: "age", Op: comparatorOp(m[0]), Values: []string{m[1]}})
		return nil
	}
	m, next := st.takeNext(reHaving, 2)
	if m == nil {
		return nil
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	st.q.Having = &Condition{Op: comparatorOp(m[0]), Value: v}
	st.havingUnit = m[2]
	// "more than 50 hours a week": a rate per person and week
	if k := st.next(next); st.havingUnit == "hour" && k >= 0 && k+1 < len(st.toks) && (st.toks[k] == "a" || st.toks[k] == "per" || st.toks[k] == "each" || st.toks[k] == "every") && st.toks[k+1] == "week" {
		st.perWeek = true
		st.use(k, k+2)
	}
	// "at least two drivers": people of a group are counted
	if st.havingUnit == "" && next >= 0 && next < len(st.toks) {
		if fs, n := st.valuesAt(next); n > 0 && len(fs) > 0 && fs[0].Field == "position" || st.peopleHead(next) {
			st.havingUnit = "employee" // "more than 2 apprentices" too
		}
	}
	return nil
}

// comparatorOp is the operator of a comparison phrase.
func comparatorOp(phrase string) string {
	p := strings.TrimSpace(phrase)
	for _, c := range []struct{ prefix, op string }{
		{"at least", ">="}, {"no less", ">="}, {"minimum", ">="}, {"not less", ">="}, {"not under", ">="},
		{"less", "<"}, {"fewer", "<"}, {"lower", "<"}, {"under", "<"}, {"below", "<"}, {"smaller", "<"}, {"younger", "<"},
		{"at most", "<="}, {"no more", "<="}, {"maximum", "<="}, {"not more", "<="}, {"not over", "<="},
		{"exactly", "="}, {"equal", "="},
	} {
		if strings.HasPrefix(p, c.prefix) {
			return c.op
		}
	}
	return ">"
}

// readFlags takes the words that shape the answer: counting, averaging,
// shares, trends, extremes, "my".
func (st *parseState) readFlags() error {
	for st.take(reByEveryone) != nil { // "hours worked by everyone except the managers": no list of people
	}
	s := st.text()
	whole := " " + strings.Join(st.toks, " ") + " "
	// "the average age of people who work in Paris": "who" there starts a
	// clause about the people averaged, not a question for a list of them
	// (so too "the average age of teachers who are part-time", "how many
	// teachers who were hired before 2015 are still with us", "what
	// percentage of staff who are part-time are women")
	relative := (reAverage.MatchString(whole) || reHowManyOf.MatchString(whole) || reShareWord.MatchString(whole) || reTotal.MatchString(whole)) && (reRelativeWho.MatchString(s) || reNounWho.MatchString(s)) && !reAskWho.MatchString(whole)
	st.people = st.people || rePeople.MatchString(whole) && !reFindNumber.MatchString(whole) || reWhoAny.MatchString(s) && !relative ||
		st.showsPeople()
	// "can I get …" asks for something; "do I have", "I manage" and "my
	// school" are the asker's team (their scope), not their own record
	for st.take(reRequest) != nil {
	}
	st.q.Everyone = reWholeOrg.MatchString(" " + strings.ToLower(st.question) + " ") // as typed: "company-wide" is dropped from the words
	for st.take(reAcrossOrg) != nil {                                                // "across the district": everyone, as without it
	}
	for st.take(reDirectReport, 1) != nil { // "number of direct reports per manager": reports are direct
	}
	team := false
	// "hours worked by my team": by is theirs; "what share of the
	// company's hours were worked by my team" asks beyond the team, and
	// stays unread
	if !reShareWord.MatchString(whole) && st.take(reByMyTeam) != nil {
		team = true
	}
	for st.take(reMyTeam) != nil {
		team = true
	}
	st.take(reByMe, 1) // "hours worked by me": mine
	if st.take(reNotMe) != nil {
		// "who did I hire" (normalize marks it): the asker is no hire of theirs
		st.addCond(Filter{Field: "employee_id", Op: "me", Negate: true})
	}
	// "my weekly hours", "my years of service": a person's own number,
	// whose words an earlier reading may have taken (a manager got the
	// team's sum)
	all := " " + strings.Join(st.toks, " ") + " "
	if reSelfAttr.MatchString(all) && reLikeMine.MatchString(all) {
		// "how many employees have my weekly hours": people compared with
		// the asker's own number, which scry does not read (it gave the
		// team's sum of weekly hours)
		return notUnderstoodf("scry does not compare people with your own number; ask for it (\"my weekly hours\"), then for the people with that value (\"employees with 40 weekly hours\")")
	}
	st.q.Self = !team && (reSelf.MatchString(st.text()) || st.mine || reSelfAttr.MatchString(all))
	// "list the receptionists with the number of shifts each worked": a
	// number beside each person, not one number of them all
	if m, next := st.peekNext(reNumberBeside); m != nil {
		at := next - len(strings.Fields(m[0])) - 1
		// "the cashiers in Paris with the number of …": past the place
		for k := at; k >= 1 && k >= at-3; k-- {
			if w := st.toks[k]; (w == "in" || w == "at" || w == "from") && k+1 <= at && st.isValueWord(at) {
				at = k - 1
				break
			}
		}
		each := strings.Contains(m[0], " their ") || slices.ContainsFunc(st.toks, func(t string) bool { return t == "each" || t == "they" })
		if at >= 0 && each && (peopleNouns[st.toks[at]] || st.positionWith(at) || st.positionAt(at)) {
			st.take(reNumberBeside)
			st.people = true
		}
	}
	for st.take(reCount) != nil {
		st.counting = true
	}
	// "teacher turnover this year" is a number, as "leavers" is not
	if strings.Contains(" "+strings.Join(st.toks, " ")+" ", " turnover ") {
		st.counting = true
	}
	for st.take(reTotal) != nil {
		// "total hours": the sum a measure of facts already is; of a person's
		// number ("total salary") readAggregates made it a sum
	}
	for st.take(reAverage) != nil {
		st.average = true
	}
	// "how many apprentices, and where are they based": by location (the
	// words are all function words, and were dropped unsaid)
	if st.take(reWhereBased) != nil && !slices.Contains(st.dims, "location") {
		st.dims = append(st.dims, "location")
	}
	// "sick days per head": over the headcount; not "a head teacher", "per
	// head of department", where the word begins a job title
	for {
		m, next := st.peekNext(rePerHeadWord)
		if m == nil || next < len(st.toks) && !perHeadFollowers[st.toks[next]] {
			break
		}
		st.take(rePerHeadWord)
		st.perHeadWord = true
	}
	for st.take(reMedian) != nil {
		st.average, st.median = true, true
	}
	for st.take(reShare) != nil {
		st.share = true
	}
	for st.take(reTrend) != nil {
		st.trend = true
	}
	for st.take(reMost) != nil {
		st.most = true
	}
	// "the busiest week", "our quietest store": the most or fewest hours
	// worked, unless the question names another measure
	for _, w := range []string{"busiest", "quietest"} {
		if i := slices.Index(st.toks, w); i >= 0 && !st.used[i] {
			st.used[i], st.busy = true, true
			st.most, st.least = st.most || w == "busiest", st.least || w == "quietest"
		}
	}
	for st.take(reLeast) != nil {
		st.least = true
	}
	// "which location had more sick days, Bordeaux or Toulouse", "do women
	// or men take more sick days": more (or fewer) of two named
	// alternatives, with no "than"; decide reads it when the two are
	// values of one field
	if !st.most && !st.least && (st.has(reOrVs)) && !st.has(reThan) {
		if m := st.take(reMoreOfTwo); m != nil {
			st.ofTwo = map[string]string{"more": "desc", "fewer": "asc", "less": "asc"}[m[1]]
			for i := 1; i < len(st.toks); i++ { // "Bordeaux or Toulouse, which one had more"
				if st.toks[i-1] == "which" && (st.toks[i] == "one" || st.toks[i] == "1" || st.toks[i] == "group") {
					st.used[i-1], st.used[i] = true, true
				}
			}
		}
	}
	return nil
}

var (
	rePerHeadWord = rx(`(?:per|a) (?:head|capita)`)
	reRiseWord    = rx(`(more|fewer|less)thenbefore`)
	// perHeadFollowers may follow "per head" that divides by the headcount
	perHeadFollowers = wordSet(`by per in for this last next at across on over during ytd since from so year month week quarter and or between within`)
	reWhereBased     = rx(`where (?:are|is|do|does) (?:(?:they|these|those|he|she|it|people|staff|(?:our|my|the|these|those) \w+) )?(?:based|located|situated|work|working)`)
	reMoreOfTwo      = rx(`(more|fewer|less)`)
	reOrVs           = rx(`(?:or|vs|versus)`)
	reThan           = rx(`than`)
)

// reNumberBeside: a number asked beside each of the people listed.
var reNumberBeside = rx(`(?:with|and|along with|together with|plus|including) (?:the|their) (?:total )?(?:number|count) of`)

// comparatorWords may stand between people and a number: "teachers aged
// over 45", "staff who are under 30".
var comparatorWords = wordSet(`over above under below more less than older younger greater fewer at least most no exactly in excess of
	minimum maximum higher lower who are is aged age`)

// peopleBefore: the words before the number at i name people ("teachers
// over 45"), so a bare number there is an age, not a threshold on a total.
func (st *parseState) peopleBefore(i int) bool {
	j := i - 1
	for j >= 0 && comparatorWords[st.toks[j]] {
		j--
	}
	// "the average hourly wage of employees is above 15", "the share of
	// part-time staff is …": the wage's, the share's ("what percentage of
	// our staff are over 60": the staff's age)
	// "the number of people who is under 40": a clause of the people's own
	clause := slices.ContainsFunc(st.toks[j+1:i], func(w string) bool { return w == "who" || w == "that" || w == "which" })
	singular := !clause && slices.ContainsFunc(st.toks[j+1:i], func(w string) bool { return w == "is" || w == "was" || w == "wa" })
	for k := j - 1; singular && k >= 1 && k >= j-4; k-- {
		if st.toks[k] == "of" && ownedByPeople[st.toks[k-1]] && (!shareWords[st.toks[k-1]] || k < 2 || !askedWords[st.toks[k-2]]) {
			return false // ("what percentage of the workforce is over 50": the share asked, the people's age)
		}
	}
	return j >= 0 && (peopleNouns[st.toks[j]] || st.positionWith(j) || st.positionAt(j))
}

// shareWords name a share, whose number is its own only when groups are
// kept by it ("departments where the share of part-time staff is above 20").
var shareWords = wordSet(`percentage percent share proportion ratio fraction`)

// askedWords before a share word make it the answer asked ("what
// percentage of staff is over 50"), not a share compared ("the share of
// part-time staff is above 20").
var askedWords = wordSet(`what which how`)

// ownedByPeople are the attributes said "of employees" whose number then
// follows ("the average age of teachers is over 40").
var ownedByPeople = wordSet(`wage pay salary rate earning tenure seniority age hour percentage percent share proportion number count ratio fraction`)

// showsPeople: "show the cashiers hired this year", "display our
// apprentices": people to list, not a number of them.
func (st *parseState) showsPeople() bool {
	if len(st.toks) < 2 || st.toks[0] != "show" && st.toks[0] != "display" {
		return false
	}
	return st.peopleHead(st.past(1, "me", "us", "the", "all", "our", "my", "any", "new", "recent", "current"))
}
