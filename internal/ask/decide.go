package ask

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/scry-dev/scry/internal/semantic"
)

// aggOf is what an aggregate of people is taken of: "the average and
// maximum wage".
const aggOf = `(?: of)?(?: the)? (salary|wage|hourly wage|hourly rate|pay rate|rate of pay|pay|age|tenure|contracted hour|contracted weekly hour)`

var (
	reMultiAgg = rx(`(average|avg|mean|minimum|min|maximum|max|largest|smallest|highest|lowest|biggest|total)((?: (?:and|as well as) (?:the |also )?(?:average|avg|mean|minimum|min|maximum|max|largest|smallest|highest|lowest|biggest|total))+)` + aggOf)
	// "min/max wage", "min, max and avg age": a run of aggregates with no
	// "and" between the first ones ("highest average" is no run)
	reAggRun   = rx(`(minimum|min|maximum|max|average|avg|mean)((?: (?:and )?(?:minimum|min|maximum|max|average|avg|mean))+)` + aggOf)
	reAgeRange = rx(`(?:the )?(youngest|oldest)(?: and (?:the )?(youngest|oldest))? (age)`)
	reOneAgg   = rx(`(minimum|min|maximum|max|largest|smallest|highest|lowest|biggest|greatest|total|sum of|sum)(?: of)?(?: the)? (salary|wage|hourly wage|hourly rate|pay rate|rate of pay|pay|age|tenure|contracted hour|contract hour|contracted weekly hour)`)
	reHowOld   = rx(`how old`)
	reShowVerb = regexp.MustCompile(`^ (?:show|list|display|give|find|get|name|who|which|tell|return|provide|any|(?:do|does) (?:we|you|they) (?:currently |still |now |actually )?(?:have|employ)|have we got|are there|is there)\b`)
	reDistinct = rx(`(different|distinct|unique|separate|various)`)
	reTypeOf   = rx(`(?:type|kind|sort)(?: of)?`)
)

// readAggregates reads the aggregates asked of a person's number: "the
// average and maximum salary", "the minimum salary in each department".
// readAgeRange reads "the youngest and the oldest ages": aggregates of
// age, not people.
func (st *parseState) readAgeRange() bool {
	m := st.take(reAgeRange, 3)
	if m == nil {
		return false
	}
	for _, w := range []string{m[1], m[2]} {
		if w != "" {
			st.q.Aggs = append(st.q.Aggs, map[string]string{"youngest": "min", "oldest": "max"}[w])
		}
	}
	return true
}

func (st *parseState) readAggregates() error {
	for _, re := range []*regexp.Regexp{reAggRun, reMultiAgg} {
		if m := st.take(re, 3); m != nil {
			st.q.Aggs = append(st.q.Aggs, aggWords[m[1]])
			for _, w := range strings.Fields(m[2]) {
				if a := aggWords[w]; a != "" {
					st.q.Aggs = append(st.q.Aggs, a)
				}
			}
			return nil
		}
	}
	// (an extreme of people, "the employee with the maximum salary", was
	// read before)
	if m := st.take(reOneAgg, 2); m != nil {
		st.q.Aggs = []string{aggWords[strings.TrimSuffix(m[1], " of")]}
	}
	return nil
}

// reAlongside: working with someone, beside them.
var reAlongside = regexp.MustCompile(` (?:work|works|worked|working|on shift|on duty|on|scheduled|rostered|in) (?:together )?(?:with|alongside|beside|next to) `)

// reOtherAgg: an aggregate asked beside a median ("median and average wage").
var reOtherAgg = regexp.MustCompile(` (?:average|mean|avg|minimum|min|maximum|max|highest|lowest|total|sum)\b`)

// reSplitWord: a split of the people named ("the gender split in the
// kitchen"): the kitchen is the whole, shared out among the groups.
// reEachGroupOf names the group a split is within ("per department",
// "for each location", "within each school"); reSplitBy what is split
// ("split by gender"), and reSplitOf a group split by another ("gender
// breakdown by department").
var (
	reEachGroupOf = regexp.MustCompile(` (?:per|within|across|(?:for|in|of) (?:each|every)) (?:each |every |the )?([a-z]+)(?: ([a-z]+))?`)
	reSplitBy     = regexp.MustCompile(` (?:split|breakdown|broken down|distribution|mix) (?:by|into) ([a-z]+)(?: ([a-z]+))?`)
	reSplitOf     = regexp.MustCompile(` ([a-z]+) (?:split|breakdown|distribution|mix|makeup|composition) (?:by|per|of|within|across|for|in) (?:each |every |the )?([a-z]+)(?: ([a-z]+))?`)
)

// splitWithin is the grouping of two a split is taken within, or "" (a
// share of the whole).
func (st *parseState) splitWithin(orig string) string {
	dimOf := func(words ...string) string {
		for _, w := range []string{strings.TrimSpace(strings.Join(words, " ")), words[0]} {
			for _, mn := range st.p.phrases[w] {
				if mn.kind == "dim" && slices.Contains(st.dims, mn.name) {
					return mn.name
				}
			}
		}
		return ""
	}
	if m := reEachGroupOf.FindStringSubmatch(orig); m != nil {
		return dimOf(m[1], m[2])
	}
	if m := reSplitOf.FindStringSubmatch(orig); m != nil && dimOf(m[1]) != "" {
		return dimOf(m[2], m[3])
	}
	if m := reSplitBy.FindStringSubmatch(orig); m != nil {
		if split := dimOf(m[1], m[2]); split != "" {
			return st.dims[1-slices.Index(st.dims, split)]
		}
	}
	return ""
}

var reSplitWord = regexp.MustCompile(` (?:split|breakdown|break down|broken down|distribution|distributed|mix|parity|makeup|make up|composition|spread)\b`)

// reCountedAbsences: absences named as things to count.
var reCountedAbsences = regexp.MustCompile(`\b(?:leaves|absences|times|often|frequently|cases|occasions|spells|vacations|holidays)\b`)

// atLeastOne is a condition every fact's holder meets: "at least one", "more than 0".
func atLeastOne(c *Condition) bool {
	return c.Ref == nil && (c.Op == ">=" && c.Value == 1 || c.Op == ">" && c.Value == 0)
}

// unpriced are things money is spent on that the data holds no price
// for ("how much did we spend on hiring").
var unpriced = wordSet(`hiring recruitment recruiting recruiter training benefit bonus equipment uniform travel agency insurance pension tax advertising software rent supply food overtime break`)

// reCostOfAnHour: the cost of one hour ("cost per hour", "an hour of a
// cashier cost").
var reCostOfAnHour = regexp.MustCompile(` (?:per|an|a|each|every|one) hour\b`)

// costlessMeasureAt: the word at k names a measure labour cost is not of
// ("spend on sick leave", "on absences").
func (st *parseState) costlessMeasureAt(k int) bool {
	if st.isValueWord(k) || st.positionAt(k) || peopleNouns[st.toks[k]] {
		return false
	}
	for _, mn := range st.p.phrases[st.toks[k]] {
		if mn.kind == "measure" {
			switch mn.name {
			case "labor_cost", "headcount", "hours_worked", "planned_hours", "shifts", "attendance", "hires", "leavers":
			default:
				return true
			}
		}
	}
	return false
}

// reListWord asks for a list; reCompareWord compares the asker's own
// number with others'.
var (
	reListWord    = regexp.MustCompile(` (?:list|show|display|all) `)
	reCompareWord = regexp.MustCompile(` (?:compare|compared|comparison|versus|vs) (?:with |to |against )?(?:the |an |a )?(?:average|mean|typical|median|rest|other|others|colleague)`)
)

// teamNouns name a group of people ("spend on my team").
var teamNouns = wordSet(`team crew workforce brigade squad unit`)

// reAmountOfTime asks for an amount of time ("how many hours", "how much").
var reAmountOfTime = regexp.MustCompile(` how (?:many (?:hour|minute)|much)\b`)

// reWhoDid: a relative clause picks people out by their contract ("the
// people who worked beyond their contract").
var reWhoDid = regexp.MustCompile(` (?:who|that) (?:have |had |has )?(?:work|worked|did|went|go|were|was|are|is)\b.*\bcontract`)

// reHireWords speak of hiring or leaving, by whose dates people's own
// numbers may be grouped ("average age by hire year").
var reHireWords = regexp.MustCompile(` (?:hire|hired|hiring|joined|joiner|starter|recruited|recruit|leaver|left|start date|joining date|hire date)\b`)

// decide turns what the words said into the query: the measure, groups,
// filters and the kind of answer.
func (st *parseState) decide() error {
	q := st.q
	orig := " " + strings.Join(st.toks, " ") + " "
	filterVals := st.filterVals
	threshold := q.Having != nil // read before any other reading drops it
	if m := reCorrection.FindStringSubmatch(orig); m != nil {
		// "cashiers in lyon i mean paris": which words the correction
		// replaces is a guess; a guess read as the question is a wrong answer
		return notUnderstoodf("scry cannot follow a correction inside a question (%q): ask again with only the words you meant", m[1])
	}
	if err := st.readYearly(); err != nil {
		return err
	}
	if st.sinceInRole(orig) {
		// "how long has Nora been store manager": the data holds each
		// person's position today and their hire date, not when they
		// took the role; their tenure would be a guess
		return notUnderstoodf("scry knows each person's current position and hire date, not when they took a position or role; ask \"how long has … been with us\" for their time here")
	}
	if raw := strings.ToLower(st.question); reAmountThenThreshold.MatchString(raw) {
		// "how many hours did I work last week - more than 40?": the amount
		// and a yes or no about it; one was answered for the other
		return notUnderstoodf("scry answers one question at a time: ask for the amount alone (\"how many hours did I work last week\"), and compare it with your figure")
	}
	if m := reEachOnesTeam.FindStringSubmatch(strings.ToLower(st.question)); reReportsToDescribed.MatchString(orig) || m != nil && !groupNouns[singular(m[1])] {
		// "who reports to the Logistics Manager" listed the Logistics
		// Manager; "each principal's direct reports" summed the
		// principals' own rows
		return notUnderstoodf("scry reads the reports of one person, named (\"who reports to\" and a name) or you (\"who reports to me\"), or the number of direct reports per manager")
	}
	if rePercentOfContract.MatchString(orig) {
		// "over 100% of their contracted hours" was read as contracts over 100 hours
		return notUnderstoodf("scry compares hours worked with the contracted weekly hours themselves (\"who worked more than their contracted hours last week\"), not with a percentage of them")
	}
	if reInARow.MatchString(orig) {
		// "off sick for more than 10 days in a row" is one absence, not a
		// total over the period
		return notUnderstoodf("scry counts totals over a period, not runs of consecutive days or shifts; ask e.g. \"who had more than 10 sick days in 2026\" or \"the longest sick leave in 2026\"")
	}
	if reTwoStatuses.MatchString(orig) {
		return notUnderstoodf("scry answers planned hours and hours worked as two questions (\"planned hours this week\", \"hours worked this week\"), or the shifts of each status (\"shifts by status this week\")")
	}
	if m := reHowLongStay.FindStringSubmatch(orig); m != nil && (m[2] == "he" || m[2] == "she" || m[2] == "they" || m[2] == "you" || m[2] == "we") {
		// "how long was she with us": whom is not in the question (it gave
		// the average absence)
		return notUnderstoodf("%q points to someone the question does not name: ask with their name (\"how long was Adam Durand with us\")", m[2])
	}
	if reAvgOfAvg.MatchString(orig) {
		// "the average of the departments' average wages" weighs each
		// department the same, which no measure here does
		return notUnderstoodf("scry does not take an average of averages; ask for the averages by group (\"average hourly wage by department\") or the overall average")
	}
	if err := st.partValueOfOtherGroup(); err != nil {
		return err
	}
	if st.ofTwo != "" {
		if err := st.decideOfTwo(); err != nil {
			return err
		}
	}
	counting, average, share, most, least := st.counting, st.average, st.share, st.most, st.least
	people := st.people
	// "headcount per department, everyone except Retail": "everyone" is
	// who is counted in each group, not a list asked for
	if people && counting && len(st.dims) > 0 && !rePeople.MatchString(orig) && !reAskWho.MatchString(orig) {
		people = false
	}

	// "rank employees by age", "sort the cashiers by hours worked": people,
	// in that order
	for i := 0; i+1 < len(st.toks) && !people; i++ {
		if sortTriggers[st.toks[i]] {
			k := st.past(i+1, "the", "all", "our", "my", "every")
			people = k < len(st.toks) && (peopleNouns[st.toks[k]] || st.positionAt(k))
		}
	}
	// "which waiter worked the most hours": the people of that position,
	// ranked
	if (most || least) && !people {
		for i := 0; i+1 < len(st.toks); i++ {
			if st.toks[i] == "which" && st.peopleNounAt(i+1) {
				people = true
			}
		}
	}
	// "which Birch teachers started before 7:30 yesterday": the people,
	// not their number of shifts ("which teacher shifts …" are facts)
	if !people && !counting && len(st.toks) > 2 && st.toks[0] == "which" && st.peopleNounAt(1) &&
		!slices.ContainsFunc(st.toks[1:min(len(st.toks), 5)], func(w string) bool { return factNouns[w] }) {
		people = true
	}
	// "which cashiers have never been off sick", "employees with no sick
	// leave": people, named by what they did not do
	if !people && !counting && reWithout.MatchString(st.text()) && (st.whichPosition() || st.namesPeopleFirst()) {
		people = true
	}
	// "which support agents are working tomorrow", "bartenders on today",
	// "room attendants planned tomorrow": the people with a shift that day
	working := q.Time != nil && (reWorking.MatchString(orig) && strings.Contains(orig, " work") || reRostered.MatchString(orig) && !reTimeOff.MatchString(orig)) ||
		q.Time != nil && st.timeSpan[0] > 0 && st.toks[st.timeSpan[0]-1] == "on" && filterVals["absence_type"] == nil // "who's on tomorrow"
	if !people && !counting && working && (st.whichPosition() || st.namesPeopleFirst()) {
		people = true
	}
	// "teachers starting before 7:30 on Monday": the people whose shifts
	// start then, not the number of those shifts
	clocked := slices.ContainsFunc(q.Filters, func(f Filter) bool { return f.Field == "start_time" || f.Field == "end_time" })
	if !people && !counting && !average && !share && !most && !least && clocked && st.namesPeopleFirst() {
		people = true
	}
	// "which drivers had shifts last week", "which cashiers had an
	// absence": the people with some of them, not their number
	if !people && !counting && !average && !share && !most && !least && st.whichPosition() && reHadSome.MatchString(orig) {
		people = true
	}
	// "how old is the oldest …" asks for the age, not the person
	if st.extreme != "" && st.take(reHowOld) != nil {
		q.Aggs, q.Order, st.people, people = []string{st.extreme}, "", false, false
		st.extreme = ""
	}
	// "the youngest department's staff": the people of the group that
	// ranks first, which scry does not yet compute
	if k := st.extremeEnd; st.extreme != "" && k > 0 && k < len(st.toks) && st.p.isDimWord(st.toks[k]) && reOwnedBy(st.toks[k]).MatchString(strings.ToLower(st.question)) {
		return notUnderstoodf("scry cannot yet list the people of the group that ranks first (\"the %s's …\"); ask for the ranking of the groups, then for the people of that one", st.toks[k])
	}
	// "the three best paid positions": the groups named right after the
	// superlative are what is ranked, by their people's average
	if st.groupsRanked() {
		st.people, people, st.extreme = false, false, ""
	}
	if st.has(reHowOld) {
		st.take(reHowOld)
		st.measures = append(st.measures, "age")
	}
	// "who has been here the longest", "worked here the shortest": tenure
	if (most || least) && st.take(reBeenHere) != nil {
		st.measures = append(st.measures, "tenure")
	}

	var measure string
	for _, m := range st.measures {
		// the model ranks measures: the most specific named wins ("hours per
		// shift" over "hours", "planned hours" over "hours")
		if m != "headcount" && (measure == "" || st.p.model.Measures[m].Rank > st.p.model.Measures[measure].Rank) {
			measure = m
		}
	}
	if a, b, ok := st.twoMeasuresJoined(); ok {
		// "headcount and avg wage per location", "hours and shifts per
		// location": two measures asked side by side (one was answered and
		// the other dropped unsaid); the one not chosen goes beside it
		st.beside = [2]string{a, b}
	}
	if slices.Contains(st.measures, "labor_cost") && (measure == "planned_hours" || measure == "hours_worked") {
		measure = "labor_cost" // "what will the scheduled hours cost": the cost of those hours (it gave the hours)
	}
	if st.busy && (filterVals["absence_type"] != nil && measure == "" || people || st.busyPeople()) {
		// "the busiest month for sick leave" could be leaves or days; "the
		// busiest employee" is no group
		return notUnderstoodf("scry reads \"busiest\" and \"quietest\" of a place or a period by hours worked; ask for the most sick days or sick leaves, or who worked the most hours or shifts")
	}
	if measure == "" && st.busy {
		measure = "hours_worked"
	}
	hasMeasureWord := func(name string) bool {
		for _, m := range st.measures {
			if m == name {
				return true
			}
		}
		return false
	}
	if st.beyondContract {
		// a contract is weekly: over one week it is a person's overtime; over
		// a month it could be the month's total against 4.4 weeks or any week
		// over, which answer differently
		measure = map[bool]string{true: "undertime", false: "overtime"}[st.belowContract]
		if reAmountOfTime.MatchString(orig) {
			if reWhoDid.MatchString(orig) {
				// "how many hours did the people who worked beyond their
				// contract work": those people's hours, which scry does not
				// total (it gave their overtime, or their number)
				return notUnderstoodf("scry gives the overtime itself (\"how many hours beyond their contract did cashiers work last week\") or the people with some (\"who worked beyond their contract last week\"), not the total hours of those people")
			}
			// "how many hours did I work beyond my contract": the hours
			// beyond are the overtime itself, not who has some (it gave 1)
			q.Having = nil
		}
		if q.Time == nil || !reOneWeek.MatchString(q.Time.Expr) {
			st.refuse(notUnderstoodf("scry compares hours with a weekly contract one week at a time: ask for one week (\"last week\"), or for overtime over a longer period (\"overtime hours per person last month\")"))
		}
	}
	hasAbsence := filterVals["absence_type"] != nil || strings.Contains(orig, " absen") || strings.Contains(orig, " off ") || reBeOut.MatchString(orig) || st.peopleAwayAt() >= 0
	// "how many vacations began in 2025", "sick leaves that started in
	// each month": the absences that start in the period (not hires)
	if hasAbsence && q.Time != nil && (st.absenceStartVerb() || st.startedAsHire()) {
		q.Starts = true
		st.measures = slices.DeleteFunc(st.measures, func(m string) bool { return m == "hires" })
		if measure == "hires" {
			measure = ""
			for _, m := range st.measures {
				if m != "headcount" && (measure == "" || st.p.model.Measures[m].Rank > st.p.model.Measures[measure].Rank) {
					measure = m
				}
			}
		}
	}
	if hasAbsence {
		st.take(reAnyReason) // "absent for any reason": every kind, as without a kind
	}
	if measure == "absence_days" && !hasAbsence {
		measure = "" // "days" with no absence in sight is a time grain, not a measure
		if st.busy && !slices.Contains(st.dims, "day") {
			// "the busiest day next week": the day that ranks first, by
			// hours worked as every "busiest" is
			st.dims, measure = append(st.dims, "day"), "hours_worked"
			if !slices.Contains(st.words, "days") {
				q.Limit = max(q.Limit, 1)
			}
		}
		for _, m := range st.measures {
			if m != "absence_days" && m != "headcount" {
				measure = m
			}
		}
	}
	// ("which dept has the most people off next week", "people off next
	// week by department": counted as "how many people are off" is; they
	// were the departments' headcounts, "off" dropped)
	peopleAway := measure == "" && hasAbsence && !counting && !average && !share && (most || least || len(st.dims) > 0) && st.peopleAwayAt() >= 0
	if peopleAway {
		counting = true
	}
	if measure == "" && hasAbsence && (counting || average) {
		measure = "absence_cases"
		if strings.Contains(orig, " day ") || strings.Contains(orig, " how much ") { // "how much vacation": an amount, in days
			measure = "absence_days"
		}
	}
	if (average || strings.Contains(orig, " how long ")) && hasAbsence && (measure == "absence_cases" || measure == "absence_days" || measure == "absence_duration" || measure == "") &&
		(strings.Contains(orig, " duration ") || strings.Contains(orig, " length ") || strings.Contains(orig, " how long ") || strings.Contains(orig, " long ")) {
		measure = "absence_duration"
		st.useWord("long")
	}
	// "shifts with a duration over 8h": the length of a shift, not of an
	// absence, when the question speaks of shifts and of no absence
	if measure == "absence_duration" && !hasAbsence && (hasMeasureWord("shifts") || hasMeasureWord("attendance")) {
		measure = "shift_length"
	}
	if measure == "shift_length" && counting && q.Having != nil && (hasMeasureWord("shifts") || hasMeasureWord("attendance")) {
		return notUnderstoodf("scry cannot yet count single shifts by their length; it can give their average length (\"average hours per shift last week\") or the longest (\"the longest shift last week\")")
	}
	// "how many hours of sick leave", "hours absent last month": an absence
	// counted in hours, which the data holds in days (they were the hours
	// worked by people with an absence); with a verb of work ("hours worked
	// by people on sick leave") they are those people's hours
	if hasAbsence && (measure == "hours_worked" || measure == "planned_hours" || measure == "overtime") && !reWorkVerb.MatchString(orig) && !q.Without {
		return notUnderstoodf("scry counts absences in days and in cases, not in hours: ask for the days (\"sick days last year\") or the number of absences")
	}
	if hasAbsence && measure == "labor_cost" && !reWorkVerb.MatchString(orig) && !q.Without {
		// "what did sick leave cost us in wages": the data holds no pay for
		// absences (it was the labour cost of the hours those people worked)
		return notUnderstoodf("scry's labour cost is hours worked times the hourly wage; the data holds no pay for absences: ask for the days (\"sick days this year\"), or the labour cost of the hours worked by people with an absence")
	}
	if i := slices.Index(st.toks, "spent"); i > 0 && st.toks[i-1] == "cost" && i+1 < len(st.toks) && st.toks[i+1] == "on" {
		// "how much did we spend on X": the labour cost of X when X are
		// people, their group or their place ("spend on hiring" was the
		// whole labour cost)
		if k := st.past(i+2, "the", "our", "my", "all", "of"); k >= len(st.toks) || unpriced[st.toks[k]] || st.costlessMeasureAt(k) {
			what := "that"
			if k < len(st.toks) {
				what = st.words[k]
			}
			return notUnderstoodf("scry's labour cost is hours worked times the hourly wage; it has no cost of %s: ask what people, a group or a place cost (\"how much did we spend on cashiers last month\")", what)
		}
	}
	if hasMeasureWord("labor_cost") {
		// "how much did we spend on overtime", "… on breaks", "… on hiring":
		// a cost of something the data holds no price for (it gave the
		// whole labour cost, or the breaks' average)
		for _, m := range st.measures {
			switch m {
			case "labor_cost", "headcount", "hours_worked", "planned_hours", "shifts", "attendance", "hourly_wage", "people_working", "hires", "leavers":
				// (the hired or leaving people are whose cost it is)
			default:
				return notUnderstoodf("scry's labour cost is hours worked times the hourly wage; it has no cost of %s: ask for the labour cost of people or of a period, or for the %s itself", plainMeasure(st.p.model, m), plainMeasure(st.p.model, m))
			}
		}
	}
	if measure == "labor_cost" && reCostOfAnHour.MatchString(orig) {
		// "what does a cashier cost per hour": a rate, not the total (it
		// gave the total by hour of the day)
		return notUnderstoodf("scry's labour cost is a total of hours worked times the hourly wage; for what an hour costs, ask for the hourly wage (\"average hourly wage of cashiers\")")
	}
	if measure == "hourly_wage" && reAmountOfTime.MatchString(orig) && (hasMeasureWord("shifts") || hasMeasureWord("hours_worked") || hasMeasureWord("planned_hours") || hasMeasureWord("attendance")) {
		// "how much will my shifts next week pay": an amount, not the
		// hourly rate (it gave the wage)
		return notUnderstoodf("scry gives the hourly wage, or the labour cost of shifts (hours worked times the wage): ask for the labour cost of the shifts")
	}
	if hasMeasureWord("hourly_wage") && measure != "hourly_wage" && measure != "labor_cost" && measure != "" {
		// "overtime pay": a pay of hours the data has no rule for (it gave
		// the overtime hours); the wage word is left out of no answer
		return notUnderstoodf("scry has hourly wages and labour cost (hours worked times the hourly wage), not a pay of %s: ask for one of those, or for the %s itself", plainMeasure(st.p.model, measure), plainMeasure(st.p.model, measure))
	}
	if reManagerInTheirGroup.MatchString(strings.ToLower(st.question)) {
		// "which manager had the most sick days in their department": the
		// department's, or the team's — the managers' own were ranked
		return notUnderstoodf("scry ranks managers by their team (\"which manager's team had the most sick days\"), or departments by theirs; say which")
	}
	if reTwoTeams.MatchString(strings.ToLower(st.question)) {
		// "sick leaves in Alice Lambert's team and Louise Morel's team": two
		// teams became one impossible condition (0)
		return notUnderstoodf("scry reads one person's team at a time: ask for each team")
	}
	if reAgainstNow.MatchString(orig) && !(q.Time != nil && strings.Contains(q.Time.Expr, " vs ")) {
		// "headcount per school on 1 Jan 2025 compared with now": its
		// words are all function words, and the answer was the one date
		return notUnderstoodf("scry answers one date or period at a time, not side by side with today: ask for each one")
	}
	if reShiftAndAbsence.MatchString(orig) && !q.Without {
		return notUnderstoodf("scry answers shifts and absences as two questions: ask about one, then the other")
	}
	// "who's working with Leo Lambert tomorrow" asks for his colleagues,
	// not for him
	if reAlongside.MatchString(orig) && (filterVals["name"] != nil || filterVals["first_name"] != nil || filterVals["last_name"] != nil || strings.Contains(orig, " with me ")) {
		return notUnderstoodf("scry cannot yet find who works alongside someone; ask who is working that day in their place or team (\"who is working tomorrow in Toulouse\")")
	}
	// "how many?" names nothing to count
	bare := true
	for i, t := range st.toks {
		inTime := q.Time != nil && i >= st.timeSpan[0] && i < st.timeSpan[1]
		bare = bare && (inTime || bareCount[t])
	}
	if measure == "" && counting && bare {
		return notUnderstoodf("scry did not understand what to count: name it (\"how many employees\", \"how many shifts last week\")")
	}
	if measure == "hours_worked" && filterVals["status"] != nil && filterVals["status"][0] == "planned" {
		if !st.negated["status"] {
			measure, filterVals["status"] = "planned_hours", nil
		}
		// "total hours this month, excluding planned shifts": the hours
		// worked (the filter stays, so a period to come is not read as planned)
	}
	// "who hasn't worked a shift this week": worked shifts, none of them
	statusNegated := st.negated["status"] && len(filterVals["status"]) == 1 && filterVals["status"][0] == "worked" && (measure == "shifts" || measure == "hours_worked" || measure == "")
	if statusNegated {
		measure, filterVals["status"] = "attendance", nil
	}
	if measure == "shifts" && filterVals["status"] != nil && filterVals["status"][0] == "worked" {
		measure, filterVals["status"] = "attendance", nil
	}
	// "how many shifts do I have left": the plan from today on; "how many
	// employees are left": those here today; other things "left" (sick
	// days, vacation) would be a balance the data does not hold
	if st.remaining {
		switch measure {
		case "shifts", "hours_worked", "planned_hours":
			if measure == "hours_worked" {
				measure = "planned_hours"
			}
			filterVals["status"] = []string{"planned"}
		case "", "headcount":
		default:
			return notUnderstoodf("scry reads \"left\" or \"remaining\" as the shifts still to come or the people still here; a balance of days left is not in the data")
		}
	}
	// what is planned, with no period, is what is planned from today on
	// (up to today, only today's plan would count)
	if q.Time == nil && (measure == "planned_hours" || measure == "shifts" && len(filterVals["status"]) == 1 && filterVals["status"][0] == "planned") {
		q.Time = &TimeRange{Expr: "upcoming"}
	}
	if q.Having != nil {
		switch st.havingUnit {
		case "hour":
			if measure == "" || measure == "headcount" {
				measure = "hours_worked"
			}
		case "day":
			if hasAbsence {
				measure = "absence_days"
			}
		case "shift":
			if measure != "" && measure != "headcount" && measure != "shifts" && measure != "attendance" {
				// "the fewest hours … among those who worked at least one
				// shift": a condition on one measure, an order by another
				return notUnderstoodf("scry keeps people by a condition on the measure it answers with; %s and a number of shifts are two measures: ask for one", measureWords(st.p.model, measure))
			}
			measure = "attendance"
		case "absence":
			measure = "absence_cases"
		case "employee", "people", "person", "staff", "worker":
			if measure != "" && measure != "headcount" || len(q.Aggs) > 0 {
				q.HavingOf = "headcount" // the groups are kept by their people, the answer is the measure
			} else {
				measure = "headcount"
			}
		}
	}
	if measure == "people_working" && (!counting || q.Time == nil) {
		// "employees working in London" describes them; with no day, people
		// working are the people
		measure = ""
		if counting {
			st.measures = append(st.measures, "headcount")
		}
	}
	both := hasMeasureWord("hires") && hasMeasureWord("leavers")
	if both && !st.hiredThenLeft(&measure) {
		// "how many people hired in 2025 left in 2026": a hire and a leave
		// of the same people, each in a period of its own, which one count
		// of either would not answer
		st.fail = notUnderstoodf("scry cannot yet combine a hire and a leave in one question; ask \"how many people hired in 2025\" and \"how many people left in 2025\"")
		return nil
	}
	if !both {
		st.readPersonEvent(&measure)
	} else if average && measure != "leavers" {
		people = false // "the average age of people hired in 2024 who have left": one average
	}
	if st.eventTime != "" && st.fail == nil {
		// "how many people hired in 2025 this year": a hire's period that
		// no reading took, beside the question's
		st.fail = notUnderstoodf("scry did not understand %q beside %q: it reads a hire's or a leave's period as a condition on the people only beside another measure (\"hours worked this year by people hired in 2025\"); ask with one period", strings.Join(st.words[st.eventSpan[0]:st.eventSpan[1]], " "), strings.Join(st.words[st.timeSpan[0]:st.timeSpan[1]], " "))
		return nil
	}
	dimCols := st.onlyDimColumns()
	// only groups asked for ("the distinct department names", "all home
	// cities"): the answer lists the groups
	if dimCols && st.subject == "" && people && q.Having != nil && st.havingUnit == "employee" {
		// "list the departments with more than 2 apprentices": the groups
		// kept by their people (it listed the apprentices)
		people = false
	}
	if dimCols && st.subject == "" && people && len(st.q.Columns) == 1 && !st.namesAnyone() && !(st.namesTeam() && reWithTheir.MatchString(orig)) {
		// "list the locations", "show all different home cities": a list
		// of groups when no word names people (it listed everyone, with
		// their location); "list my team with their contract type" names
		// them (it counted the team by contract type)
		people = false
	}
	if dimCols && st.subject == "" && !people && !(st.namesTeam() && reWithTheir.MatchString(orig)) {
		st.subject = attributes[st.q.Columns[0]].dim
	}
	// The columns asked for: groups when something is computed for them,
	// otherwise a list of people showing them.
	computed := counting || average || share || len(q.Aggs) > 0 || measure != "" && attributes[measureAttr(measure)].typ == "" ||
		q.Having != nil && st.havingUnit != "" && measure != "" && attributes[measureAttr(measure)].typ == "" ||
		(most || least) && st.extreme == "" && dimCols
	if st.listCols {
		var keep []string
		for _, c := range q.Columns {
			a := attributes[c]
			switch {
			case computed && !counting && (measure == "leavers" || measure == "hires") && (attributes[c].typ == "date" || people && !average && !share && !most && !least):
				// "the leavers with their end date": when each left; "… who
				// left in 2025 hired": when; "who left this year, with
				// their school": where each was (it counted the leavers of
				// each school)
				keep = append(keep, c)
			case computed && a.dim != "" && c != "name" && !grouped(st.dims, a.dim):
				st.dims = append(st.dims, a.dim)
			case computed && a.measure != "" && measure == "":
				measure = a.measure
			case computed && a.measure != "" && a.measure != measure && strings.Contains(orig, " and ") && !(measure == "labor_cost" && a.measure == "hourly_wage"):
				// "average age and tenure by department": a second measure
				// (it was dropped unsaid), beside the first
				if st.beside[0] != "" && !slices.Contains(st.beside[:], a.measure) {
					return st.oneMeasureAtATime(st.beside[0], st.beside[1])
				}
				st.beside = [2]string{measure, a.measure}
			case computed && (c == "name" || c == "first_name" || c == "last_name" || c == "employee_id"):
				if !people && len(st.dims) == 0 && !counting {
					st.dims = append(st.dims, "employee")
				}
				st.names = st.names || counting && !grouped(st.dims, "employee") && !grouped(st.dims, "manager")
			case computed:
			default:
				keep = append(keep, c)
			}
		}
		q.Columns = keep
		if len(keep) > 0 && !computed {
			people = true
		}
	}
	if measure == "hourly_wage" && q.Time != nil {
		switch st.payOfAPeriod() {
		case "amount":
			// "total pay of cashiers last month", "wages by department in
			// October": what was paid in the period, hours worked times
			// the wage (it was the sum, or the average, of their rates)
			measure = "labor_cost"
		case "average":
			return notUnderstoodf("scry's hourly wage has no period, and it does not average what each person was paid: ask for the average hourly wage, or for the labour cost (hours worked times the wage) of the period")
		}
		if measure == "labor_cost" && (most || least || len(q.Aggs) > 0 && q.Aggs[0] != "sum") {
			// "the highest pay last month": of a person, or of one shift?
			// (it was one shift's cost)
			return notUnderstoodf("scry gives the labour cost (hours worked times the wage) of a period, in total or per group, not the highest or lowest of it: ask for the highest hourly wage, or the labour cost per person (\"labour cost by employee last month\")")
		}
	}
	if st.subject != "" && !grouped(st.dims, st.subject) {
		st.dims = append([]string{st.subject}, st.dims...)
		people = false
	}
	// "each of them", "in each": the groups named before
	if len(st.dims) > 0 || st.subject != "" {
		st.take(reEachOfThem)
	}
	// "how many different cities", "how many jobs are there"
	// ("headcount of the Sales department" is a department's people, not
	// how many departments there are)
	if counting && measure == "" && !st.countsPeople() && !slices.Contains(st.toks, "headcount") && !strings.Contains(orig, " head count ") {
		for _, it := range st.items {
			if st.used[it.pos] {
				continue
			}
			for _, mn := range it.meanings {
				if mn.kind == "dim" && mn.name != "employee" && st.p.model.Dimensions[mn.name].Time == "" && st.p.model.Dimensions[mn.name].From == "employees" {
					q.Distinct = mn.name
					st.use(it.pos, it.pos+it.n)
					st.take(reDistinct)
					st.take(reTypeOf)
					break
				}
			}
			if q.Distinct != "" {
				break
			}
		}
	}
	if q.Distinct != "" {
		measure = "headcount"
	}
	whichDim := reWhichDim.MatchString(orig) && (most || least)
	if measure == "" && share && st.sharesAbsence(orig, filterVals["absence_type"]) {
		// "share of sick leave taken by kitchen staff": the sick leave is
		// shared out (its days, as "how much sick leave" reads), not the
		// people the word "staff" would count
		measure = "absence_days"
	}
	if measure == "" && hasMeasureWord("headcount") && (counting || share || len(st.dims) > 0 || whichDim || st.subject != "") {
		measure = "headcount"
	}
	if measure == "" && counting && (len(filterVals) > 0 || len(q.Filters) > 0) && !people {
		measure = "headcount" // "how many apprentices in Paris"
	}
	if measure == "" && share && (st.subject != "" || len(st.dims) > 0) && people {
		// "list the departments where the share of apprentices is …": the
		// groups, whose people are shared out (it listed the apprentices)
		people = false
	}
	if measure == "" && (counting || share || st.subject != "") && !people {
		measure = "headcount"
	}
	if measure == "" && share && len(st.dims) == 0 && filterVals["gender"] == nil && strings.Contains(orig, " gender ") {
		measure, st.dims = "headcount", []string{"gender"}
		st.useWord("gender")
	}
	// Relations: department managers of the people matched.
	if reDeptMgr.MatchString(orig) {
		q.Relation = "department_managers"
		people = true
		st.useWord("manager")
		st.useWord("head")
		st.useWord("department")
	} else if reMgrOf.MatchString(orig) && !st.comparesWithManager() && !grouped(st.dims, "manager") && !st.hasFilterField("manager_id") && !st.hasFilterField("reports") && !st.hasFilterField("employee_id") {
		q.Relation = "managers"
		people = true
		st.useWord("manager")
		st.useWord("supervisor")
		st.useWord("boss")
	} else if people && measure == "" && reMgrWord.MatchString(orig) && !st.comparesWithManager() && len(filterVals["position"]) == 0 && !st.hasFilterField("manager_id") && !st.hasFilterField("reports") && !st.hasFilterField("employee_id") {
		q.Relation = "managers" // "who are the managers": everyone who manages someone
		st.useWord("manager")
	} else if at := st.managerNoun(); at >= 0 && !st.comparesWithManager() && (!st.hasFilterField("reports") || !st.negatedAt(at)) && !st.hasFilterField("manager_id") && !st.hasFilterField("employee_id") {
		// ("managers with fewer than 15 direct reports": managers still,
		// not everyone with fewer, who mostly manage no one)
		// "how many managers", "the youngest manager", "average wage of
		// managers": the people who are someone's manager (CONVENTIONS),
		// counted or measured like any other people
		// "non-managers", "people who are not managers"
		q.Filters = append(q.Filters, Filter{Field: "reports", Op: ">=", Values: []string{"1"}, Negate: st.negatedAt(at)})
		st.dims = remove(st.dims, "manager")
		st.used[at] = true
	}
	if (q.Relation == "" && reBossOfSomething.MatchString(orig) && !st.hasFilterField("manager_id") && !st.hasFilterField("reports") && !grouped(st.dims, "manager") ||
		q.Relation != "") && measure != "" && measure != "headcount" && attributes[measureAttr(measure)].typ == "" {
		// "how many hours did the manager of Logistics work": the
		// manager's own total, which scry does not read (it gave all of
		// Logistics' hours)
		return notUnderstoodf("scry lists the manager of a department (\"who is the manager of Logistics\"), then answers about them by name; it does not take their own %s here", measureWords(st.p.model, measure))
	}
	if q.Relation != "" && len(filterVals["department"]) == 1 && st.bossOf(filterVals["department"][0]) && slices.ContainsFunc(st.filterOrder, func(f string) bool { return f != "department" && f != "location" && f != "position" }) {
		// "is the boss of Customer Service a man": whose gender, the boss's
		// or the staff's? (it was the staff's, and listed a woman)
		return notUnderstoodf("scry lists the manager of a department (\"who is the manager of Logistics\"); it does not take a condition on the manager here: ask about them by name")
	}
	if reAskerAway.MatchString(orig) && (strings.Contains(orig, " which ") || strings.Contains(orig, " who ")) {
		// "I was off sick on 19 November - which of my teachers were in
		// that day?": the asker's own absence is context, and "that day"
		// its date (it listed the teachers off sick)
		return notUnderstoodf("scry reads one question at a time and does not carry a day from one sentence to the next: ask e.g. \"which of my teachers worked on 19 November\"")
	}
	if reManagersManager.MatchString(orig) {
		// "who is my manager's manager": two steps up, which the relation
		// does not take (it gave one)
		return notUnderstoodf("scry gives one step up the reporting line (\"who is Anna Roux's manager\"); ask for the manager, then for theirs by name")
	}
	if q.Relation == "managers" && len(filterVals["department"]) == 1 && (st.bossOf(filterVals["department"][0]) || st.departmentAlone()) {
		// "who is the boss of Customer Service", "the boss at Oak High
		// School", "Dining Room: who is the boss?": its department manager,
		// not everyone who manages one of its people (the managing director
		// too)
		q.Relation = "department_managers"
	}
	// "direct reports per manager": the people who have a manager, each
	// under theirs (no row for the people nobody manages)
	if grouped(st.dims, "manager") && (strings.Contains(orig, " report ") || strings.Contains(orig, " subordinate ")) && !st.hasFilterField("manager_id") {
		q.Filters = append(q.Filters, Filter{Field: "manager_id", Op: "set"})
	}
	// Two periods compared ("this year vs last year"): a row for each;
	// "month over month": a row for each month.
	if tr := q.Time; tr != nil && strings.Contains(tr.Expr, " vs ") {
		if u := versusUnit(tr.Expr); u != "" && !grouped(st.dims, u) {
			st.dims = append(st.dims, u)
		}
	}
	if m := st.take(reUnitOverUnit); m != nil && m[1] == m[2] && !grouped(st.dims, m[1]) {
		st.dims = append(st.dims, m[1])
		st.overUnit = true
	}
	// Adjectives of time ("monthly hours") group by that grain.
	if m := reGrainAdj.FindStringSubmatch(st.text()); m != nil && len(st.dims) == 0 && !(average && m[1] == "weekly") {
		st.dims = append(st.dims, map[string]string{"daily": "day", "weekly": "week", "monthly": "month", "quarterly": "quarter", "yearly": "year", "annual": "year"}[m[1]])
		st.useWord(m[1])
	}
	if people && measure == "" && working && (most || least) {
		measure = "hours_worked" // "who worked the least last week": hours, as "worked" reads (CONVENTIONS)
	}
	if people && measure == "" && working && len(st.dims) > 0 && !grouped(st.dims, "employee") && !grouped(st.dims, "manager") && !most && !least {
		// "teachers scheduled next week per school": the people of each
		// group who work then (it counted their shifts)
		measure = "people_working"
	}
	if people && measure == "" && working {
		measure = "shifts"
	}
	// "how many early starts (before 7:30) did my team work": shifts,
	// counted by the time the question gives them; "early" and "late" say
	// no more than that time does
	if clock := st.hasFilterField("start_time") || st.hasFilterField("end_time"); clock {
		if counting && (measure == "" || measure == "headcount") {
			// "how many people started before 7:30": people, by their shifts
			measure = "shifts"
		}
		st.useWord("early")
		st.useWord("late")
	}
	// "how many people are working tomorrow", "which location had the most
	// people working last week"
	if !people && (counting || (most || least) && len(st.dims) > 0) && working && (measure == "" || measure == "headcount") && q.Time != nil {
		measure = "people_working"
	}
	if measure == "" && (st.hasFilterField("start_time") || st.hasFilterField("end_time")) {
		measure = "shifts" // "who started before 7am yesterday": people by their shifts
	}
	if measure == "shifts" && st.clockPast {
		measure = "attendance" // "how many shifts started before 7am": those worked, not today's plan
	}
	if people && measure == "" && hasAbsence {
		measure = "absence_cases"
		// "who's been off sick the most this year": the most days, as a
		// ranking of time away reads; "the most sick leaves", "absences",
		// "times", "most often" count them
		if (most || least) && !reCountedAbsences.MatchString(strings.ToLower(st.question)) {
			measure = "absence_days"
		}
	}
	if measure == "" && !people && reShiftList.MatchString(orig) {
		measure = "shifts" // "when do I work next week": the shifts, listed (below)
	}
	// "teachers per school", "cashiers by location": how many of them in each
	if measure == "" && !people && len(st.dims) > 0 && st.namesPeopleFirst() {
		measure = "headcount"
	}
	if measure == "" && (!people || !rePeople.MatchString(orig)) && reVersusWord.MatchString(orig) &&
		slices.ContainsFunc(st.filterOrder, func(f string) bool { return len(filterVals[f]) == 2 && f != "name" && f != "absence_type" }) {
		// "full-time vs part-time dishwashers": how many of each (it refused
		// "vs", or listed everyone of both)
		measure, people = "headcount", false
	}
	if measure == "" {
		// values of people with nothing to compute list those people: "Full-time
		// staff in Toulouse", "show the cashiers in Lille"
		// ("cashiers in Lyon?", "part-timers?": people named first, listed)
		if people || (len(filterVals) > 0 || len(q.Filters) > 0) && (st.namedPeople() || st.namesPeopleFirst() || reShowVerb.MatchString(orig)) || len(q.Filters) > 0 || len(q.Sort) > 0 {
			q.Kind = "people"
		} else {
			st.fail = notUnderstood("")
			return nil
		}
	}
	// "total break minutes", "how much time did I spend on breaks": the sum
	// of the breaks, whose plain measure is the average break of a shift;
	// a number of breaks, or a ranking by it, is not in the data (a shift
	// holds its minutes of break, not how many)
	if measure == "break_length" || measure == "break_total" {
		minutes := reBreakMinutes.MatchString(orig)
		switch {
		case reBreakHours.MatchString(orig):
			return notUnderstoodf("scry gives breaks in minutes; ask without \"in hours\"")
		case filterVals["status"] != nil && filterVals["status"][0] != "worked":
			return notUnderstoodf("scry reads the breaks of worked shifts only")
		case measure == "break_length" && !average && (reTotal.MatchString(orig) || counting && minutes || reBreakMinuteNoun.MatchString(orig)):
			// "break minutes by department": minutes as a quantity, summed
			// as "hours by department" are
			measure = "break_total"
		case !average && !minutes && (counting || most || least):
			return notUnderstoodf("scry cannot count breaks: a shift holds its minutes of break, not how many; ask for their minutes (\"total break minutes last week\", \"average break by department\")")
		}
	}
	// "the average break next week for worked shifts": worked ones, said
	// (a period to come would otherwise read its planned shifts)
	if (measure == "shift_length" || measure == "break_length" || measure == "break_total") && filterVals["status"] == nil && strings.Contains(orig, " worked ") {
		filterVals["status"] = []string{"worked"}
	}
	// "the total duration of shifts": their hours, not one shift's average
	if measure == "shift_length" && !average && reTotal.MatchString(orig) && len(q.Aggs) == 0 {
		measure = "hours_worked"
	}
	q.Measure = measure
	// "average age at hire last year", "… per year": a period would pick
	// the people employed then, where the asker means that period's hires
	if measure == "age_at_hire" && (q.Time != nil || st.trend || slices.ContainsFunc(st.dims, func(d string) bool { return st.p.model.Dimensions[d].Time != "" || d == "trend" })) {
		st.fail = notUnderstoodf("scry takes the age at hire of the people a question names, not of a period: name the hires (\"average age at hire of the people hired in 2025\")")
		return nil
	}
	if ms := st.p.model.Measures[measure]; ms.Entity == "absences" {
		timeDims := 0
		for _, d := range st.dims {
			if st.p.model.Dimensions[d].Time != "" || d == "trend" {
				timeDims++
			}
		}
		switch {
		case q.Time != nil && strings.Contains(q.Time.Expr, " vs ") && timeDims > 1:
			// two periods side by side, each by month or week: an absence
			// would count in the month it starts only, where asked alone
			// it counts in every month it overlaps
			st.fail = notUnderstoodf("scry compares absences of two periods side by side as a total each, not by a finer period within them; ask about each period on its own")
			return nil
		case filterVals["weekday"] != nil || hasFilter(q, "weekday"):
			// an absence's days span several weekdays: the weekday of its
			// start would miss a leave that covers a weekend from Thursday
			st.fail = notUnderstoodf("scry cannot yet keep absences by day of the week (an absence spans several days); ask about the absences of the whole period")
			return nil
		}
	}
	// ("who's worked the most sundays this year": days too; the hours of
	// Sundays were ranked)
	if (counting && reCountWeekdays.MatchString(orig) || reMostWeekdays.MatchString(orig)) && !hasAbsence {
		// "how many Saturdays did I work this year": days, which scry does
		// not count (it counted the people working on Saturdays: 1)
		st.fail = notUnderstoodf("scry counts shifts worked (\"how many shifts did I work on Saturdays this year\"), not days")
		return nil
	}
	if reGrossLength.MatchString(orig) && (measure == "shift_length" || measure == "hours_worked" || st.hasFilterField("shift_hours")) {
		// "a shift lasting more than 10 hours from clock-in to clock-out":
		// scry's hours are paid hours, the break left out (it compared the
		// paid hours with 10)
		return notUnderstoodf("scry's shift hours are paid hours, without the unpaid break; it has no length from start to end with the break: ask without it (\"shifts longer than 10 hours\")")
	}
	if counting && reCountDays.MatchString(orig) && (measure == "people_working" || measure == "attendance" || measure == "shifts" ||
		measure == "hours_worked" || measure == "planned_hours" || measure == "shift_length" || measure == "overtime") && !hasAbsence {
		// ("on how many days last week did I work more than 9 hours" counted
		// the people whose week passed 9 hours)
		// "how many days did I work last month" is neither people nor shifts
		st.fail = notUnderstoodf("scry counts shifts worked (\"how many shifts did I work last month\"), not days")
		return nil
	}
	// "how many drivers are still employed": those here today, as a count
	// of people always is; of people hired or leaving in a period, whether
	// they are still here is a condition scry cannot yet write
	// ("which current employees took fewer than 10 vacation days this
	// year"): employed on the reference day, whatever the facts' period
	if st.take(reStillHere) != nil {
		q.Current = true
	}
	for i, w := range st.toks {
		if (w == "current" || w == "existing") && i+1 < len(st.toks) && st.peopleNounAt(i+1) {
			q.Current, st.used[i] = true, true
		}
	}
	// two periods side by side are totals of each; people counted on one
	// day are not a total of a period
	daysApart := q.Time != nil && strings.Contains(q.Time.Expr, " vs ") && versusUnit(q.Time.Expr) == "day"
	// ("which teachers worked more hours in October than in September" are
	// people kept by their totals: readRise)
	if (st.overUnit || q.Time != nil && strings.Contains(q.Time.Expr, " vs ")) && (measure == "headcount" || measure == "" || (q.Kind == "people" || people) && st.rise == "") &&
		!(daysApart && measure == "headcount" && q.Kind != "people" && !people && q.Limit == 0 && len(q.Aggs) == 0 && !q.Share && q.ShareOf == nil && len(q.ShareWhere) == 0 && q.Having == nil) {
		// (the headcounts of two days, "headcount today vs a year ago",
		// are each day's: headcountApart)
		st.fail = notUnderstoodf("scry compares totals of two periods side by side (hours, shifts, absences); the number of people is taken on one day: ask it for each day (\"headcount today vs a year ago\")")
		return nil
	}
	if q.Time != nil && strings.Contains(q.Time.Expr, "ago ") && (measure != "headcount" || q.Kind == "people" || people || len(q.Aggs) > 0) {
		// "hours worked a year ago", "who joined a year ago": that day's,
		// or that year's? a headcount is taken on the day; facts and
		// events are asked of a period, and attributes (ages, tenures,
		// wages) scry knows as they are today
		st.fail = notUnderstoodf("scry reads \"ago\" as one day, for a headcount (\"headcount today vs a year ago\"); for anything else name the period (\"hours worked in November 2025\", \"hires in November 2025\")")
		return nil
	}
	// a place or position only shifts have ("Remote"): people are not there
	if ms := st.p.model.Measures[measure]; ms.Entity != "shifts" {
		for _, field := range []string{"location", "position"} {
			for _, v := range filterVals[field] {
				if !slices.Contains(st.p.values[field], v) {
					st.refuse(notUnderstoodf("%s is a %s of shifts, not of people: ask about hours or shifts there (\"hours worked remotely last month\")", v, field))
				}
			}
		}
	}
	// the verb of the measure's own words: "tasks … finish" for "tasks
	// finished", "hire" for "hired"
	if ms, ok := st.p.model.Measures[measure]; ok {
		// the measure named by a word of its own ("average tenure (years)")
		named := slices.ContainsFunc(ms.Synonyms, func(syn string) bool { return !strings.Contains(syn, " ") && slices.Contains(st.toks, singular(syn)) })
		for i, t := range st.toks {
			if st.used[i] || len(t) < 4 {
				continue
			}
			for _, syn := range ms.Synonyms {
				words := strings.Fields(syn)
				for _, w := range words {
					// a word of a phrase only with another of its words or
					// the measure's own ("how many head teachers" is not
					// "head count")
					if strings.HasPrefix(w, t) && len(w)-len(t) <= 3 && (len(words) == 1 || named || slices.ContainsFunc(words, func(o string) bool { return o != w && slices.Contains(st.toks, singular(o)) })) {
						st.used[i] = true
					}
				}
			}
		}
	}
	if measure == "leavers" || measure == "hires" {
		// "List employees hired this year" and "teachers hired in H1" list
		// them; "how many" counts them.
		if (people || st.namesPeopleFirst() || st.whichPosition()) && !counting && !average && !share && len(st.dims) == 0 {
			q.Kind = "people"
		}
	}
	// "the ratio of part-time to full-time employees", "the ratio of sick
	// days to vacation days for each department": the measure for the
	// first value over the measure for the second (RatioTo), per group
	ratio := ""
	if share && strings.Contains(orig, " ratio ") && !people && shareMeasures[measure] {
		var a, b string
		for _, f := range st.filterOrder {
			if len(filterVals[f]) != 2 || st.negated[f] || f == "name" || grouped(st.dims, f) {
				continue
			}
			x, y := filterVals[f][0], filterVals[f][1]
			sx, sy := st.valueSpans[[2]string{f, x}], st.valueSpans[[2]string{f, y}]
			if sy[0] < sx[0] {
				x, y, sx, sy = y, x, sy, sx // in the order written: "of A to B"
			}
			// the two sides of "to" ("part-time to full-time employees in
			// Paris and Lyon": Paris and Lyon are not the ratio's)
			k := st.past(sx[1], "day", "hour", "shift", "employee", "staff", "people", "worker", "absence", "case")
			if k+1 == sy[0] && (st.toks[k] == "to" || st.toks[k] == "vs" || st.toks[k] == "versus") {
				ratio, a, b = f, x, y
			}
		}
		if ratio != "" {
			q.ShareWhere, q.RatioTo = []Filter{{Field: ratio, Values: []string{a}}}, []Filter{{Field: ratio, Values: []string{b}}}
			filterVals[ratio] = nil
			share = false
			st.useWord("ratio")
			st.useWord("to")
		}
	}
	if ratio == "" && strings.Contains(orig, " ratio ") {
		// "ratio of employees to managers" is no two values of one field:
		// a share would answer another question
		return notUnderstoodf("scry reads a ratio of two values of one field, written \"the ratio of A to B\" (\"the ratio of part-time to full-time employees\"); ask for the counts otherwise")
	}
	// "the ratio of teachers to teaching assistants at each school": the
	// two values are a group of their own beside the others (a share of
	// each school's total would answer another question)
	if len(st.dims) > 0 && share && strings.Contains(orig, " ratio ") {
		for _, f := range st.filterOrder {
			if len(filterVals[f]) > 1 && !st.negated[f] && f != "name" && !grouped(st.dims, f) {
				st.dims, share = append(st.dims, f), false
			}
		}
	}
	// "how many teachers report to each principal": people of one position
	// counted for each person of another are grouped by their manager, who
	// holds that position
	// "how many direct reports does each principal have": anyone, counted
	// for each principal, is grouped by their manager the same way
	reports := len(filterVals["position"]) == 1 && (strings.Contains(orig, " report ") || strings.Contains(orig, " subordinate ")) && counting ||
		len(filterVals["position"]) == 1 && reEachOnesPeople.MatchString(strings.ToLower(st.question)) || // "each principal's staff", "how many staff does each principal have"
		len(filterVals["position"]) == 1 && measure == "headcount" && st.anyoneEach() // "how many employees per Restaurant Manager", "staff per store manager", as "… per manager"
	if each := st.eachPosition; each != "" && len(filterVals["position"]) == 1 && st.anyoneEach() && st.perEvery(each) && st.toks[st.valueSpans[[2]string{"position", each}][0]-1] == "every" && counting {
		// "how many employees do we have for every waiter": a ratio of
		// everyone to a position, which scry does not take (it counted each
		// waiter's people: none)
		return notUnderstoodf("scry takes the ratio of two positions (\"how many waiters for every line cook\"), or each %s's own people (\"how many employees per %s\")", strings.ToLower(each), strings.ToLower(each))
	}
	other := ""
	if each := st.eachPosition; len(filterVals["position"]) == 2 {
		other = filterVals["position"][0]
		if other == each {
			other = filterVals["position"][1]
		}
	}
	if each := st.eachPosition; each != "" && len(filterVals["position"]) == 2 && st.positionBefore(each) && !reports && measure == "headcount" &&
		grouped(st.dims, "employee") && (st.perEvery(each) && counting || st.perNoReports(each, other)) {
		// "how many waiters do we have for every line cook": a staffing
		// ratio (it counted the waiters whose manager is a line cook: none)
		q.ShareWhere, q.RatioTo = []Filter{{Field: "position", Values: []string{other}}}, []Filter{{Field: "position", Values: []string{each}}}
		filterVals["position"] = nil
		st.dims = remove(st.dims, "employee")
		share = false
	} else if each := st.eachPosition; each != "" && (len(filterVals["position"]) == 2 && st.positionBefore(each) || reports) && grouped(st.dims, "employee") {
		var keep []string
		for _, v := range filterVals["position"] {
			if v != each {
				keep = append(keep, v)
			}
		}
		filterVals["position"] = keep
		st.dims = append(remove(st.dims, "employee"), "manager")
		q.Filters = append(q.Filters, reportsTo(Filter{Field: "position", Values: []string{each}}))
		st.useWord("report")
		st.useWord("to")
	}
	// "female cashiers and male stock clerks": each value with its own
	// condition, which one set of filters cannot pair; "women and men per
	// month": a grouping beside the two, which would add them up
	paired, apart := 0, false
	for _, f := range []string{"gender", "contract_type", "position", "department", "location"} {
		if len(filterVals[f]) == 2 && !st.negated[f] {
			paired++
			apart = apart || !st.valuesJoinedBy(f, "and")
		}
	}
	if paired >= 2 && apart && !strings.Contains(orig, " or ") {
		return notUnderstoodf("scry cannot pair each of two values with a condition of its own (\"female cashiers and male stock clerks\"); ask about each pair on its own")
	}
	for _, f := range []string{"gender", "contract_type"} {
		if len(filterVals[f]) == 2 && !st.negated[f] && len(st.dims) > 0 && st.valuesJoinedBy(f, "and") && !strings.Contains(orig, " or ") && !grouped(st.dims, f) {
			return notUnderstoodf("scry cannot yet set %s side by side within another grouping; ask for each on its own, or group by %s too", strings.Join(filterVals[f], " and "), strings.ReplaceAll(f, "_", " "))
		}
	}
	// Grouping by two values of one field named together ("full-time vs part-time").
	// ("avg hrs per week, warehouse operators vs delivery drivers": beside
	// another grouping too, when "vs" says so)
	// ("the number of teachers and teaching assistants by school": two
	// positions named together are counted each, beside the school too;
	// it added them up)
	if f1, f2 := st.twoCountsApart(); f1 != f2 {
		// "how many part-timers and how many teachers does each school
		// have": two counts of other people, which one count of both
		// (part-time teachers) would not answer
		return notUnderstoodf("scry counts one kind of people at a time when each is asked apart (%s, %s); ask for each", f1, f2)
	}
	kinds := func(f string) bool {
		return (f == "position" || f == "gender" || f == "contract_type") && counting && (st.valuesJoinedBy(f, "and") || st.valuesApart(f)) && !strings.Contains(orig, " or ")
	}
	// "compare hours worked in Bordeaux and Toulouse this year vs last
	// year": the places side by side too (they were summed)
	compared := func(f string) bool {
		return strings.Contains(orig, " compare ") && st.valuesJoinedBy(f, "and") && !strings.Contains(orig, " or ")
	}
	// ("the average wage for men and for women in each department": each
	// beside the department too; they were averaged together. "sick days
	// and vacation days by department": two kinds of absence, each beside
	// the department; they were summed)
	absenceKinds := func(f string) bool {
		return f == "absence_type" && st.valuesJoinedBy(f, "and") && !strings.Contains(orig, " or ")
	}
	if noDims := len(st.dims) == 0; noDims || reVersus.MatchString(st.text()) || slices.ContainsFunc(st.filterOrder, kinds) || slices.ContainsFunc(st.filterOrder, compared) || slices.ContainsFunc(st.filterOrder, st.valuesApart) || slices.ContainsFunc(st.filterOrder, absenceKinds) {
		for _, f := range st.filterOrder {
			// (not beside a top N: "top 3 departments …, Paris vs Lyon"
			// would rank the pairs)
			if !noDims && (grouped(st.dims, f) || f == "name" || !reVersus.MatchString(st.text()) && !kinds(f) && !compared(f) && !st.valuesApart(f) && !absenceKinds(f) || q.Limit > 0 || st.q.Limit > 0) {
				continue
			}
			// "full-time vs part-time" compares; "how many are part-time or
			// apprentices" counts them together
			// "sick days and vacation days": two kinds of absence are two
			// totals, never one sum of both
			// "how many female and male teachers": no one is both, so the
			// two are asked side by side (as two kinds of contract)
			// ("the number of teachers and teaching assistants by school":
			// beside another grouping, each is counted; alone, "how many
			// waiters and bartenders" is one number, as people read it)
			both := (f == "absence_type" || (f == "gender" || f == "contract_type") && st.valuesJoinedBy(f, "and") || !noDims && kinds(f)) && strings.Contains(orig, " and ") && !strings.Contains(orig, " or ") && q.Kind != "people" && !people
			// ("how many in Lyon or Paris" counts both together; "vs",
			// "compared with" and "against" never do)
			compare := reVersus.MatchString(st.text()) && !(counting && !reVersusWord.MatchString(orig)) || strings.Contains(orig, " compare ") ||
				f == "name" && (st.namesBefore(reMoreThan) || strings.Contains(orig, " each ")) // "did Hugo work more hours than Lea", "how many hours did Jules and Manon each work": side by side
			// "the average wage of bartenders and of waiters", "hours in
			// Paris and in Lyon", "… respectively": each on its own
			apart := st.valuesApart(f) && q.Kind != "people" && !people
			// ("what % of staff are temps or apprentices": one share of
			// both together; it gave each one's share of the two)
			orShare := share && st.valuesJoinedBy(f, "or")
			if len(filterVals[f]) > 1 && !st.negated[f] && (compare || share && !orShare || both || apart) && f != "name" ||
				len(filterVals[f]) > 1 && f == "name" && (compare || apart) && measure != "" { // "compare hours of Louise and Alice", "… respectively": one row each
				d := f
				if f == "name" {
					d = "employee"
				}
				st.dims = append(st.dims, d)
				st.useWord("vs")
				st.useWord("versus")
				st.useWord("compare")
				st.useWord("compared")
				st.useWord("against")
				st.useWord("respectively")
				st.useWord("separately")
				if f == "name" {
					st.take(reMoreThan)
					st.useWord("each")
				}
			}
		}
	}
	// "rank departments by average wage", "average wage by department,
	// ranked": a group put in order by what is computed for it
	if !people && measure != "" && attributes[measureAttr(measure)].typ == "" || !people && (average || counting) && measure != "" {
		var keep []SortKey
		for _, k := range q.Sort {
			if d := attributes[k.Field].dim; d != "" && k.Field != "name" && d != "employee" {
				if grouped(st.dims, d) && len(st.dims) > 0 {
					// "headcount by location sorted by location desc": the
					// groups' own order, which scry does not choose
					st.refuse(notUnderstoodf("scry puts groups in the order of what it measures, and periods in time order; it does not sort them by their %s: ask without it", strings.ReplaceAll(k.Field, "_", " ")))
					return nil
				}
				st.dims = append(st.dims, d)
				q.Order = map[bool]string{true: "desc", false: "asc"}[k.Desc]
				continue
			}
			keep = append(keep, k)
		}
		q.Sort = keep
	}
	// "Which department has the most …": group by it, best first.
	// ("which location grew its hours the most from September to October":
	// the two periods' unit is no grouping of the answer)
	dims := st.dims
	if st.rise != "" && q.Time != nil {
		dims = remove(dims, versusUnit(q.Time.Expr))
	}
	if (reWhichDim.MatchString(orig) || dimCols || st.subject != "") && (most || least) && len(dims) == 1 && st.extreme == "" {
		q.Limit = max(q.Limit, 1)
	}
	for _, it := range st.items {
		// "what hours did my technicians work": the word is the measure, not
		// also a grouping by the hour
		isMeasure := slices.ContainsFunc(it.meanings, func(mn meaning) bool { return mn.kind == "measure" && mn.name == measure })
		if !isMeasure && (it.prev == "which" || it.prev == "what" || st.afterWhich(it.pos) || st.rankedGroupAt(it)) {
			for _, mn := range it.meanings {
				// ("which manager worked the most hours": the managers are the
				// people ranked, read above, not a grouping by their manager)
				managers := mn.name == "manager" && slices.ContainsFunc(q.Filters, func(f Filter) bool { return f.Field == "reports" && !f.Negate })
				if mn.kind == "dim" && mn.name != "employee" && !managers && (most || least || q.Having != nil || counting || measure != "") && !grouped(st.dims, mn.name) {
					st.dims = append(st.dims, mn.name)
					st.use(it.pos, it.pos+it.n)
					if most || least {
						q.Limit = max(q.Limit, 1)
					}
				}
			}
		}
	}
	// "what % of each department is part-time": within each group, the
	// part named after the verb ("by department" is how the part splits
	// across the groups)
	// "percentage of part-timers per store", "share of hours worked
	// remotely by month": a part named by a person's or a place's value is
	// the part of each group too (a kind of absence or a status says what
	// is measured, not a part of it)
	// a department or place is where the whole is ("Retail staff by
	// location", "hours in Lyon by position"), except over time ("share of
	// hours worked remotely by month")
	byTime := false
	for _, d := range st.dims {
		byTime = byTime || st.p.model.Dimensions[d].Time != "" || d == "trend"
	}
	partNamed := false
	for f, vals := range filterVals {
		ofPerson := f == "contract_type" || f == "gender" || f == "position"
		partNamed = partNamed || len(vals) > 0 && (ofPerson || byTime && f != "absence_type" && f != "status") && !grouped(st.dims, f) && !reSplitWord.MatchString(orig)
	}
	// "share of employees older than 60 by department": a condition on a
	// person's number names the part as a contract type does (it gave how
	// the over-60s split across the departments, while "in each
	// department" gave each one's share)
	// ("share of employees by department among those older than 60": said
	// after the grouping, the condition is the whole, and the answer how
	// it splits)
	groupAt := slices.IndexFunc(st.toks, func(w string) bool { return w == "by" || w == "per" || w == "across" || w == "each" })
	for i, f := range q.Filters {
		// ("… by location earning more than 20", "… who are older than 50"
		// still name the part: only "among", "for" or "of" the people make
		// it the whole)
		after := groupAt >= 0 && i < len(st.condSpans) && st.condSpans[i][0] > groupAt && wholeBefore(st.toks, st.condSpans[i][0])
		partNamed = partNamed || f.Op != "" && attributes[f.Field].measure != "" && !after && !reSplitWord.MatchString(orig)
	}
	// "what % of shifts start before 7am, per location": the part said by
	// a verb after the whole is each group's part (it gave where the early
	// shifts are)
	// ("% of worked shifts that were remote, by school": so is a value the
	// verb names before the grouping; it gave where the remote shifts are)
	// ("share of hours worked remotely, by school": a value right after
	// the measure's own verb, with no word between, is the part as well)
	verb, adjacent := shareVerb(orig), false
	if verb == nil {
		if w := reShareWord.FindStringIndex(orig); w != nil {
			if m := reMeasureOwnVerb.FindStringIndex(orig[w[1]:]); m != nil {
				verb, adjacent = []int{w[0], w[1] + m[1]}, true
			}
		}
	}
	if share && verb != nil && !reSplitWord.MatchString(orig) {
		group := len(orig)
		if groupAt >= 0 {
			group = len(" " + strings.Join(st.toks[:groupAt], " "))
		}
		for _, f := range q.Filters {
			partNamed = partNamed || f.Op != "" && (f.Field == "start_time" || f.Field == "end_time" || f.Field == "shift_hours" || f.Field == "shift_break")
		}
		// (one value only, right after the verb: "… were sick leave among
		// Retail staff, by location" names the whole too, which the part
		// would have taken)
		after, near := map[string]bool{}, false
		for field, vals := range filterVals {
			for _, v := range vals {
				at := strings.Index(orig, " "+strings.ReplaceAll(strings.ToLower(v), "_", " ")) // "remote(ly)", "sick leave"
				if at < verb[1]-1 || field == "status" {
					continue
				}
				after[field] = true // ("sick leave or vacation": one part)
				gap := slices.DeleteFunc(strings.Fields(orig[verb[1]:max(at, verb[1])]), func(w string) bool { return shareGapWords[w] })
				if adjacent {
					gap = strings.Fields(orig[verb[1]:max(at, verb[1])])
				}
				one := len(vals) == 1 || len(vals) == 2 && st.valuesJoinedBy(field, "or")
				near = near || at < group && one && !slices.Contains(st.dims, field) && !st.negated[field] && (len(gap) <= 1 && !adjacent || len(gap) == 0)
			}
		}
		partNamed = partNamed || len(after) == 1 && near
	}
	// "remote share of hours worked by school": the value said right
	// before the share word is the part, within each group
	if share && len(st.dims) > 0 && !partNamed {
		for field, vals := range filterVals {
			if len(vals) != 1 || slices.Contains(st.dims, field) || st.negated[field] || field == "status" {
				continue
			}
			v := " " + strings.ReplaceAll(strings.ToLower(vals[0]), "_", " ")
			if at := strings.Index(orig, v); at >= 0 && reValueThenShare.MatchString(orig[at+len(v):]) {
				partNamed = true
			}
		}
	}
	shareWithin := share && len(st.dims) > 0 && q.Kind != "people" && (reEachGroup.MatchString(orig) && !strings.Contains(orig, " by ") || partNamed)
	if share && len(st.dims) > 0 && q.Kind != "people" && !shareWithin {
		q.Share = true
		// "gender split per department in %", "headcount split by gender
		// per department": each department's own split
		if reSplitWord.MatchString(orig) && len(st.dims) == 2 {
			q.ShareWithin = st.splitWithin(orig)
		}
	}
	if average && reWeekly.MatchString(orig) && (measure == "hours_worked" || measure == "planned_hours" || measure == "attendance") {
		q.PerPersonWeek = true
		st.dims = remove(st.dims, "week")
		st.useWord("weekly")
		st.useWord("week")
	}
	// "average contracted hours": a person's number that the model sums
	if ms := st.p.model.Measures[measure]; average && ms.Entity == "employees" && ms.Agg == "sum" && len(q.Aggs) == 0 {
		q.Aggs = []string{"avg"}
	}
	if st.perWeek && (measure == "hours_worked" || measure == "planned_hours") {
		q.PerPersonWeek = true
	}
	// "average hours per employee per week": the mean of a person's week
	// is already per person, so "per employee" names the average, not a
	// row for each ("each person" still asks for the rows)
	if q.PerPersonWeek && rePerPerson.MatchString(orig) && !reEachPerson.MatchString(orig) {
		st.dims = remove(st.dims, "employee")
	}
	// "the highest paid in each department", "who worked the most hours in
	// each department", "who has been with us longest in each department":
	// rank people within the group
	askWho := reAskWho.MatchString(orig) && (most || least) && measure != "" && measure != "headcount" && !average
	if (st.extreme != "" || askWho) && len(st.dims) == 1 && st.dims[0] != "employee" && !counting && st.p.model.Dimensions[st.dims[0]].Time == "" {
		q.RankWithin, st.dims = st.dims[0], nil
		q.Kind = "people"
		if q.Limit == 0 {
			q.Limit = 1
		}
	}
	for _, d := range st.dims {
		if !grouped(q.Dimensions, d) {
			q.Dimensions = append(q.Dimensions, d)
		}
	}
	// "Bordeaux vs Toulouse, how many in each?", "women vs men, how many
	// of each": "each" stands for the values named, a row each already
	if len(q.Dimensions) == 1 && len(st.filterVals[q.Dimensions[0]]) >= 2 {
		for i, t := range st.toks {
			if t == "each" && !st.used[i] && (i+1 == len(st.toks) || !st.p.isDimWord(st.toks[i+1]) && !peopleNouns[st.toks[i+1]] && !st.isValueWord(i+1)) {
				st.used[i] = true
			}
		}
	}
	// a person's own number (wage, age, tenure, contract) is today's; by a
	// time grain it would be grouped by hire dates, which only a question
	// that speaks of hiring asks. "Contracted hours per week" names the
	// contract's unit.
	if ms := st.p.model.Measures[q.Measure]; ms.Entity == "employees" && ms.Event == "" && ms.Derived == "" && q.Measure != "headcount" && !reHireWords.MatchString(orig) {
		for _, d := range q.Dimensions {
			switch g := st.p.model.Dimensions[d].Time; {
			case g == "week" && q.Measure == "contracted_hours":
				q.Dimensions = remove(q.Dimensions, d)
			case g != "" || d == "trend":
				st.refuse(notUnderstoodf("scry knows %s as it is today, not as it was each %s; ask without the period grouping (\"average age by department\")", measureWords(st.p.model, q.Measure), map[bool]string{true: "period", false: g}[g == ""]))
				return nil
			}
		}
	}
	st.readOr()
	if st.mixedNeg {
		// one field cannot both be and not be a value: "took training but
		// not vacation" asks about people with one kind and none of the other
		st.refuse(notUnderstoodf("scry cannot yet ask for some values of one kind while excluding others (\"non-cashier sales associates\", \"training but not vacation\"); ask about each separately"))
	}
	if most || least || q.Limit > 0 || q.Having != nil {
		for _, w := range st.toks {
			for _, mn := range st.p.phrases[w] {
				if mn.kind == "dim" && grouped(st.dims, mn.name) {
					st.otherKindsOut(mn.name, w)
				}
			}
		}
	}
	for _, f := range st.filterOrder {
		if len(filterVals[f]) > 0 {
			q.Filters = append(q.Filters, Filter{Field: f, Values: filterVals[f], Negate: st.negated[f]})
		}
	}
	// "the Superintendent's direct reports", "the chef's team", "the
	// principal's teachers": the people whose manager holds that position
	// (the position's own people were measured; "principal's teachers" was
	// principals or teachers)
	lower := strings.ReplaceAll(strings.ToLower(st.question), "’", "'")
	if !st.hasFilterField("manager_id") {
		for i := 0; i < len(q.Filters); i++ {
			f := q.Filters[i]
			if f.Field != "position" || f.Negate || f.Op != "" || len(f.Values) > 2 {
				continue
			}
			// "who is Nathan Legrand's principal": the manager of the one
			// named (it looked for a Nathan Legrand who is a principal);
			// "Lucie Moreau's teachers": the teachers she manages
			if n := possessorOf(q, f.Values, lower); len(f.Values) == 1 && q.Relation == "" && n >= 0 {
				switch {
				case pluralAfter(lower, strings.ToLower(q.Filters[n].Values[0])+"'s "+strings.ToLower(f.Values[0])):
					q.Filters[n] = reportsTo(q.Filters[n])
				case measure != "" || len(q.Columns) > 0:
					// "the hourly wage of Nathan Legrand's principal": a
					// manager's number, which a list of managers does not hold
					return notUnderstoodf("scry lists someone's manager (\"who is Nathan's manager\"); ask about that person by name")
				default:
					// their manager, when that manager holds the position ("who
					// is Nathan Legrand's superintendent" is no one: his
					// manager is a principal)
					q.Filters[i] = reportsTo(f)
					q.Relation = "managers"
				}
				break
			}
			for k, v := range f.Values {
				holder := strings.ToLower(v) + "'s "
				if len(f.Values) == 2 && strings.Contains(lower, holder+strings.ToLower(f.Values[1-k])) {
					if !pluralAfter(lower, holder+strings.ToLower(f.Values[1-k])) {
						// "list the teacher's principal": up or down, and whose,
						// is not said (it read principals or teachers)
						return notUnderstoodf("scry did not understand whose %s this is: name the person (\"who is Nathan Legrand's manager\") or ask for the %ss' people (\"the principals' teachers\")", strings.ToLower(f.Values[1-k]), strings.ToLower(v))
					}
					q.Filters[i].Values = []string{f.Values[1-k]}
					q.Filters = append(q.Filters, reportsTo(Filter{Field: "position", Values: []string{v}}))
				} else if len(f.Values) == 1 && reOnesPeople.MatchString(lower) && strings.Contains(lower, holder) {
					q.Filters[i] = reportsTo(f)
				} else {
					continue
				}
				// "which principal's direct reports have the highest average
				// wage": the principals, each by their people (it ranked the
				// people)
				if strings.Contains(lower, "which "+holder) && !grouped(q.Dimensions, "manager") {
					q.Dimensions = append(q.Dimensions, "manager")
					if most || least {
						q.Limit = max(q.Limit, 1)
					}
				}
				break
			}
		}
	}
	// "how many employees does Nora David have in each store": the people
	// she manages (she alone was counted)
	m := reThirdHas.FindStringSubmatch(lower) // "does <holder> have"
	if reHaveAsManager.MatchString(lower) && measure == "headcount" || reWorkFor.MatchString(lower) {
		for i, f := range q.Filters {
			if (f.Field == "name" || f.Field == "first_name") && !f.Negate && len(f.Values) > 1 {
				// "how many employees do Alice Lambert and Louise Morel have":
				// two teams (the two were counted)
				return notUnderstoodf("scry reads one person's team at a time: ask for each team")
			}
			// the one who has them: a name, or a position said right there
			// ("how many direct reports does the Store Manager have")
			holderAt := -1
			if f.Field == "position" && m != nil && !f.Negate && f.Op == "" {
				holderAt = slices.IndexFunc(f.Values, func(v string) bool {
					return strings.TrimPrefix(strings.TrimPrefix(m[1], "our "), "my ") == strings.ToLower(v)
				})
			}
			if holderAt >= 0 && len(f.Values) == 2 {
				// "how many line cooks does the chef have": the line cooks
				// whose manager is a chef (line cooks or chefs were counted)
				q.Filters[i].Values = []string{f.Values[1-holderAt]}
				q.Filters = append(q.Filters, reportsTo(Filter{Field: "position", Values: []string{f.Values[holderAt]}}))
				continue
			}
			holder := holderAt >= 0 && len(f.Values) == 1
			if (f.Field == "name" || f.Field == "first_name" || holder) && !f.Negate && len(f.Values) == 1 && f.Op == "" {
				q.Filters[i] = reportsTo(f)
				for _, w := range []string{"manage", "supervise", "oversee"} {
					st.useWord(w)
				}
			}
		}
	}
	// "how many direct reports does the Store Manager have" where no one
	// holds that position: no one's people were read (the managers'
	// places were counted)
	if m != nil && !companyWords[m[1]] && measure == "headcount" && !st.hasFilterField("manager_id") && (q.Distinct != "" || st.hasFilterField("reports")) {
		return notUnderstoodf("scry did not understand whose people these are: name the person (\"how many people does Nora David manage\")")
	}
	// "who had no sick leave this year", "which cashiers have never been
	// off sick", "how many employees haven't been sick once": the people
	// with none of the measure's facts, listed or counted
	countPeople := counting && st.countsPeople() && !share && len(st.dims) == 0
	if (people || countPeople || st.namesPeopleFirst() || st.whichPosition()) && q.Relation == "" && (reWithout.MatchString(st.text()) || statusNegated) {
		switch q.Measure {
		case "shifts", "attendance", "hours_worked", "planned_hours", "absence_cases", "absence_days":
			q.Without, q.Having, q.Order, q.Limit = true, nil, "", 0
			if q.Measure == "shifts" && rePastNotWork.MatchString(orig) {
				q.Measure = "attendance" // "who didn't work this week": no worked shift (today's plan is not work done)
			}
			st.placeAfterNegation(orig)
			st.take(reWithout)
			for st.take(reNoneAtAll) != nil {
			}
			if countPeople {
				q.Kind = "number"
			} else if len(st.dims) == 0 {
				q.Kind = "people"
			}
		}
	}
	if statusNegated && !q.Without {
		st.refuse(notUnderstoodf("scry did not understand \"not\" with worked here: it lists or counts the people who did not work (\"who didn't work last week\")"))
	}
	// A list of people needs something that says which people.
	if (q.Kind == "people" || (people && len(q.Dimensions) == 0)) && q.Measure == "" && len(q.Filters) == 0 && q.Time == nil &&
		q.Relation == "" && !q.Self && !strings.Contains(orig, " my ") && len(q.Columns) == 0 && len(q.Sort) == 0 && !st.listCols {
		if !hasMeasureWord("headcount") && !st.namedPeople() {
			st.fail = notUnderstood("Which people? Name a department, position, location, contract type or period.")
			return nil
		}
	}
	// "what's my shift tomorrow", "which shifts do I have next week": the
	// shifts themselves, not their number
	if reShiftList.MatchString(orig) && !counting && !most && !least && !average && !share && len(q.Dimensions) == 0 && q.Having == nil && !q.Without && q.Relation == "" &&
		(q.Measure == "" || q.Measure == "shifts" || q.Measure == "attendance" || q.Measure == "hours_worked" || q.Measure == "planned_hours" || q.Measure == "people_working") {
		switch {
		case reDidWork.MatchString(orig):
			q.Measure = "attendance" // "which shifts did cashiers work": those worked, not the plan
		case q.Measure != "attendance":
			q.Measure = "shifts"
		}
		q.Kind, q.Order = "shifts", ""
		if reMine.MatchString(reAskMe.ReplaceAllString(orig, " ")) && !reMyPeople.MatchString(orig) {
			q.Self = true // "what shifts do I have", also for a manager
		}
		switch {
		case q.Time == nil && reNextShift.MatchString(orig):
			q.Time, q.Limit = &TimeRange{Expr: "upcoming"}, 1 // "when is my next shift"
			st.useWord("next")
		case q.Time == nil && !reDidWork.MatchString(orig):
			// "when do I work on Friday": the shifts to come, as planned work
			// with no period is (not every Friday there has been)
			q.Time = &TimeRange{Expr: "upcoming"}
		}
		st.useWord("when")
	}
	// "how many hires between 2021 and 2022", "employees hired between May
	// 2020 and June 2021 by department": the hires of those dates, as "hires
	// in 2021" counts them, not only those still here ("still with us" asks that)
	if q.Measure == "headcount" && counting && !q.Current && q.Kind != "people" {
		for _, f := range q.Filters {
			if f.Field == "hire_date" && (f.Op == ">=" || f.Op == "<=" || f.Op == ">" || f.Op == "<") {
				q.Measure = "hires"
				break
			}
		}
	}
	// "what share of our workforce is on temporary contracts": the word of
	// the field ("contracts") names where the part is, not a grouping by
	// it, which would give the part 100 % of itself
	if share && len(q.ShareWhere) == 0 {
		q.Dimensions = slices.DeleteFunc(q.Dimensions, func(d string) bool {
			for _, f := range q.Filters {
				if f.Field == d && len(f.Values) == 1 && !f.Negate {
					return true // one part ("temporary"), not groups side by side ("full-time vs part-time")
				}
			}
			return false
		})
		q.Share = q.Share && len(q.Dimensions) > 0
	}
	if share && q.Measure != "" && q.Measure != "headcount" && !counting && len(q.Dimensions) == 0 &&
		(strings.Contains(orig, " each ") || people && (strings.Contains(orig, " their ") || strings.Contains(orig, " list ") || strings.Contains(orig, " per person "))) {
		// "list part-timers with their share of total hours": a share for
		// each person, which scry does not give (one share of all of them
		// was given, or the list without the share)
		return notUnderstoodf("scry gives one share of a group (\"part-timers' share of the hours worked\"), not each person's; ask for each one's %s", measureWords(st.p.model, q.Measure))
	}
	// Kind of answer.
	switch {
	case q.Kind == "people", q.Kind == "shifts":
	case q.Relation != "":
		q.Kind = "people"
	case q.Distinct != "" && len(q.Dimensions) == 0:
		q.Kind = "number"
	case people && len(q.Dimensions) == 0 && !counting && !(share && q.Measure != "" && q.Measure != "headcount"), q.Limit > 0 && len(q.Dimensions) == 0 && q.Measure != "" && !counting:
		// ("part-timers' share of the hours worked" is a share, not a
		// list of part-timers with their hours)
		q.Kind = "people" // "top 3 teachers by hours worked"
	case len(q.RatioTo) > 0:
		q.Kind = map[bool]string{true: "groups", false: "number"}[len(q.Dimensions) > 0]
	case share && q.Having != nil && len(q.Dimensions) == 0 && atLeastOne(q.Having) &&
		(hasFilter(q, "absence_type") && (q.Measure == "headcount" || q.Measure == "absence_cases" || q.Measure == "absence_days") || q.Measure == "shifts" || q.Measure == "attendance"):
		// "what percentage of staff had at least one sick leave", "… worked
		// at least one shift": everyone with such facts has one, so the
		// share is of the people in scope who have some, as "… had a sick
		// leave" reads
		var status []string
		switch {
		case q.Measure != "shifts" && q.Measure != "attendance":
		case reDidWork.MatchString(orig) || strings.Contains(orig, " worked "):
			status = []string{"worked"}
		default:
			status = []string{"worked", "planned"} // "have at least one shift next week"
		}
		q.Kind, q.Measure, q.Having = "number", "headcount", nil
		q.ShareWhere, q.Filters = st.splitShare(orig, q.Filters)
		if status != nil {
			q.ShareWhere = append(q.ShareWhere, Filter{Field: "status", Values: status})
		}
	case share && q.Having != nil && len(q.Dimensions) == 0:
		q.Kind, q.ShareOf, q.Having = "number", q.Having, nil
	case shareWithin && len(q.Filters) > 0 && shareMeasures[q.Measure]:
		q.Kind = "groups"
		q.ShareWhere, q.Filters = st.splitShare(orig, q.Filters)
	case len(q.Dimensions) > 0:
		q.Kind = "groups"
	case share && len(q.Filters) > 0 && shareMeasures[q.Measure]:
		// "What percentage of employees are part-time?": the filters named
		// after the verb define the part, those before it the whole.
		q.Kind = "number"
		q.ShareWhere, q.Filters = st.splitShare(orig, q.Filters)
		if st.sharesAbsence(orig, filterVals["absence_type"]) {
			// "the share of sick leave taken by kitchen staff": the sick leave
			// is the whole; with nothing else ("… taken in October") the
			// part would be a period, which a share here never is
			for _, f := range q.ShareWhere {
				if f.Field == "absence_type" {
					q.Filters = append(q.Filters, f)
				}
			}
			q.ShareWhere = slices.DeleteFunc(q.ShareWhere, func(f Filter) bool { return f.Field == "absence_type" })
			if len(q.ShareWhere) == 0 {
				return notUnderstoodf("scry gives the share of absences that meet a condition on people (\"the share of sick leave taken by kitchen staff\"), not of one period within another")
			}
		}
		// "the hours worked … were worked remotely": worked is the
		// measure's own status, not a part of it
		if ms := st.p.model.Measures[q.Measure]; ms.Status != "" && len(q.ShareWhere) > 1 {
			q.ShareWhere = slices.DeleteFunc(q.ShareWhere, func(f Filter) bool {
				return f.Field == "status" && !f.Negate && len(f.Values) == 1 && f.Values[0] == ms.Status
			})
		}
	default:
		q.Kind = "number"
	}
	if st.rise != "" {
		if err := st.readRise(people); err != nil {
			return err
		}
	}
	// (a list of people shows a person's numbers as its columns: "cashiers
	// with their age and hourly wage", "the part-time cashiers with weekly
	// hours and hourly wage")
	column := func(ms string) bool {
		return slices.ContainsFunc(q.Columns, func(c string) bool { return attributes[c].measure == ms })
	}
	listed := (q.Kind == "people" || people) && (q.Measure == "" || column(st.beside[0]) || column(st.beside[1]))
	if st.atSomePoint && q.Measure == "headcount" && q.Kind != "people" && q.CountOf == nil {
		// "how many temps did we have at some point this year": everyone
		// employed at any time of it, where a headcount is of one day (it
		// was today's: 0, for a temp who left in September)
		return notUnderstoodf("scry counts a headcount on one day (a period's last, or today), not everyone employed at some point of a period: ask for the headcount on a day (\"how many temps were employed on 1 January 2026\"), or who was hired or left in the period")
	}
	if a, b := st.beside[0], st.beside[1]; a != "" && !listed {
		if q.Time != nil && (a == "hourly_wage" || b == "hourly_wage") && st.payOfAPeriod() == "amount" {
			// "total pay and hours by department last month": the pay
			// paid, as asked alone
			a, b = strings.Replace(a, "hourly_wage", "labor_cost", 1), strings.Replace(b, "hourly_wage", "labor_cost", 1)
			st.besideAgg = strings.Replace(st.besideAgg, "hourly_wage", "labor_cost", 1)
		}
		sums := len(q.Aggs) == 1 && q.Aggs[0] == "sum" && slices.Contains([]string{"sum", "count"}, st.p.model.Measures[q.Measure].Agg)
		switch {
		case q.Measure == a && b != a:
			q.Also = b
		case q.Measure == b && b != a:
			q.Also = a
		default:
			return st.oneMeasureAtATime(a, b)
		}
		if people || q.Kind == "people" || st.namesPeopleFirst() && strings.Contains(orig, " with ") || len(q.Aggs) > 0 && st.besideAgg != q.Measure && !sums {
			// "people with hours and shifts last month": each person's two
			// numbers, which a table of people does not show; "average age
			// and max tenure": an aggregate of the second (it went to the
			// first)
			return st.oneMeasureAtATime(a, b)
		}
		if err := besideShape(q, st.p.model); err != nil {
			return err
		}
	}
	if grouped(q.Dimensions, "employee") && len(q.ShareWhere) > 0 && q.Measure != "headcount" {
		// "each waiter's share of hours last month": each person's part of
		// the whole, which scry does not give (everyone had a row, at 0 or
		// 100: the part that is a waiter)
		return notUnderstoodf("scry gives one share of a group (\"waiters' share of the hours worked\"), not each person's; ask for each one's %s", measureWords(st.p.model, q.Measure))
	}
	for _, f := range q.ShareWhere {
		// "the gender split within each kitchen position": a value before
		// the groups' own noun says which groups, not the part (it gave
		// each gender's share that is Kitchen, 0 or 100)
		for _, v := range f.Values {
			if sp, ok := st.valueSpans[[2]string{f.Field, v}]; ok && sp[1] < len(st.toks) && slices.ContainsFunc(st.p.phrases[st.toks[sp[1]]], func(mn meaning) bool { return mn.kind == "dim" && grouped(q.Dimensions, mn.name) }) {
				return notUnderstoodf("scry did not understand %q: which groups, or the part of each? ask e.g. \"headcount by position and gender in the Kitchen\"", strings.Join(st.words[sp[0]:sp[1]+1], " "))
			}
		}
	}
	// a condition on one total is about the people who meet it: "employees
	// with more than 10 hours of overtime" lists them
	if q.Kind == "number" && q.Having != nil && !counting && q.ShareOf == nil && q.HavingOf == "" {
		q.Kind = "people"
	}
	// "how many employees worked more than 40 hours": a count of people
	if q.Having != nil && counting && q.Measure != "headcount" && q.Measure != "" && q.Kind != "people" && q.ShareOf == nil {
		fact := st.countsFacts()
		if fact != "" && st.peopleWithTotals() {
			// "how many shifts did people who worked more than 20 hours
			// work": facts of people picked by their totals (it counted
			// the shifts longer than 20 hours, and before that the people)
			return notUnderstoodf("scry cannot count the %s of people picked by their totals; ask for the people (\"who worked more than 20 hours last week\"), then about them", fact)
		}
		if own := shiftOwn[q.Measure]; fact != "" && own != "" && singular(lastWord(fact)) == "shift" && q.Having.Ref == nil {
			// "how many of my shifts had less than 30 minutes break": each
			// shift's own break, not the people whose breaks add up to less
			if status := st.p.model.Measures[q.Measure].Status; status != "" && !hasFilter(q, "status") {
				q.Filters = append(q.Filters, Filter{Field: "status", Values: []string{status}})
			}
			q.Measure = "shifts"
			q.Filters = append(q.Filters, Filter{Field: own, Op: q.Having.Op, Values: []string{strconv.FormatFloat(q.Having.Value, 'f', -1, 64)}})
			q.Having = nil
		} else if fact != "" {
			// "count of sick leaves where days >= 10", "# of shifts with
			// break minutes >= 60" asked of hours: each one's own length,
			// not people's totals (44 people had 10 sick days in all; 27
			// leaves lasted 10)
			return notUnderstoodf("scry cannot count single %s by a length of their own here; it counts people by their totals (\"how many employees had at least 10 sick days\"), and shifts by their hours or break (\"how many shifts had a break of at least 60 minutes\")", fact)
		}
		if q.Having != nil {
			q.CountOf, q.Having = q.Having, nil
		}
	}
	// "worked at least 3 Saturdays": a person's worked shifts, not the
	// number of people in their own total (always 1)
	if (q.CountOf != nil || q.Having != nil) && q.Measure == "people_working" {
		q.Measure = "attendance"
	}
	// "how many employees were on sick leave", "how many receptionists
	// finished a shift after midnight", "how many people worked overtime
	// last week": the people with at least one such fact (or whose overtime
	// passes the threshold), not the facts
	if (counting || (most || least) && q.Kind == "groups") && (q.Kind == "number" || q.Kind == "groups" && !q.Share && len(q.Aggs) == 0) && !q.Without && q.CountOf == nil && q.ShareOf == nil && (st.countsPeople() || peopleAway) {
		someone := &Condition{Op: ">", Value: 0}
		switch {
		case weeklyAgainstContract(st.p.model.Measures[q.Measure]):
			if q.Having != nil {
				someone = q.Having
			}
			q.CountOf, q.Having = someone, nil
		case q.Having != nil:
		case q.Measure == "absence_cases" || q.Measure == "absence_days":
			q.Measure, q.CountOf = "absence_cases", someone
		case q.Measure == "shifts" || q.Measure == "attendance":
			q.CountOf = someone
		}
	}
	// "who did overtime last week": those with some, where a list of the
	// worked (overtime is a difference, not a fact) would hold everyone
	if q.Kind == "people" && weeklyAgainstContract(st.p.model.Measures[q.Measure]) && q.Having == nil && !most && !least && q.Limit == 0 && !q.Without {
		q.Having = &Condition{Op: ">", Value: 0}
	}
	// "shortest and longest shift last month", "min and max hours per
	// shift": both ends asked, one given (aggregate lists are of people's
	// numbers); a half answer is refused
	if (q.Kind == "number" && len(q.Aggs) <= 1 || q.Limit > 0) && reBothEnds.MatchString(orig) {
		st.refuse(notUnderstoodf("scry gives one end of a ranking at a time here: ask for the lowest (shortest, minimum) and the highest (longest, maximum) as two questions"))
		return nil
	}
	// "longest sick leave this year - who and how many days": one number
	// cannot say who; answering the number alone drops the question's "who"
	if q.Kind == "number" && reWhoAsked.MatchString(orig) {
		st.refuse(notUnderstoodf("scry did not understand \"who\" here: this answer is one number, which names no one; ask for the number alone, or who (\"who worked the most hours last month\")"))
		return nil
	}
	// "average number of direct reports per manager": an average of the
	// groups' counts, which a count per group does not give
	if average && q.Kind == "groups" && q.Measure == "headcount" && len(q.Aggs) == 0 && q.CountOf == nil {
		return notUnderstoodf("scry cannot yet average counts across groups; ask for the count per group (\"number of direct reports per manager\")")
	}
	// "are there at least 10 employees in Logistics": a number of people,
	// which says yes or no; each person is one, so a list kept by it is
	// empty or everyone
	if q.Relation == "managers" && q.Measure == "headcount" && q.Having != nil && q.Having.Ref == nil && len(q.Dimensions) == 0 {
		// "who is the manager of more than 10 people": the managers with
		// that many direct reports (the number was dropped, and every
		// manager listed); of some people only ("of more than 3 waiters"),
		// which scry does not count
		if len(q.Filters) > 0 {
			return notUnderstoodf("scry lists the managers with more than N direct reports (\"managers with more than 10 direct reports\"), not with N of some people")
		}
		q.Relation, q.Kind, q.Measure = "", "people", ""
		q.Filters = append(q.Filters, Filter{Field: "reports", Op: q.Having.Op, Values: []string{strconv.FormatFloat(q.Having.Value, 'f', -1, 64)}})
		if q.Having.Op == "<" || q.Having.Op == "<=" {
			// "the manager of fewer than 15 people": managers still (it
			// listed everyone who manages no one)
			q.Filters = append(q.Filters, Filter{Field: "reports", Op: ">=", Values: []string{"1"}})
		}
		q.Having = nil
	}
	if q.Kind == "people" && q.Measure == "headcount" && q.Having != nil && len(q.Dimensions) == 0 {
		q.Kind, q.Having = "number", nil
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
	// "how many cashiers are there, and their names", "how many were off
	// sick last week, names please": the people, whose list holds their
	// number; names beside any other number are refused, not dropped
	// ("how many departments are there and their names": the departments,
	// one row each; names beside the rows of groups are refused)
	if st.names && q.Kind == "number" {
		plain := len(q.Aggs) == 0 && !q.Share && q.ShareOf == nil && len(q.ShareWhere) == 0 && q.Having == nil
		switch {
		case plain && q.Measure == "headcount" && q.Distinct != "" && q.Time == nil:
			q.Kind, q.Dimensions, q.Distinct = "groups", []string{q.Distinct}, ""
		case plain && q.Measure == "headcount" && q.Time == nil:
			q.Kind, q.Measure = "people", ""
		case plain && q.Distinct == "" && q.CountOf != nil && q.CountOf.Op == ">" && q.CountOf.Value == 0:
			q.Kind, q.CountOf = "people", nil
		case plain && q.Distinct == "" && q.CountOf == nil && q.Measure == "people_working":
			q.Kind, q.Measure = "people", "shifts" // "how many people worked yesterday and who are they"
		case plain && q.Distinct == "" && q.CountOf == nil && (q.Measure == "hires" || q.Measure == "leavers"):
			q.Kind = "people" // "how many were hired this year, and who": the hires, listed
		default:
			st.refuse(notUnderstoodf("scry gives one number here and cannot list names beside it: ask for the number, then who (\"who …\")"))
			return nil
		}
	} else if st.names && counting && q.Kind == "groups" && !grouped(q.Dimensions, "employee") && !grouped(q.Dimensions, "manager") {
		st.refuse(notUnderstoodf("scry cannot list the names of each group's people beside its number: ask for the numbers, then who is in one group"))
		return nil
	}
	if q.Kind != "people" {
		q.Columns, q.Sort = nil, nil
	}
	// Trends: "over the last N weeks" with nothing else to group by, or
	// "how has X changed".
	// A headcount's trend is taken on the last day of each unit
	// (headcountSeries).
	if q.Measure == "headcount" && (st.trend || st.lastN) && q.Kind == "number" {
		switch {
		case average || most || least || len(q.Aggs) > 0:
			// "the average headcount over the last 6 months" is no series
			st.refuse(notUnderstoodf("scry cannot yet average or rank a headcount over time; it can give the headcount at the end of each month of a period (\"headcount per month over the last 6 months\")"))
			return nil
		case q.Time == nil:
			st.refuse(notUnderstoodf("scry takes a headcount's trend over a period: name it (\"how has our headcount changed this year\")"))
			return nil
		}
	}
	otherMeasures := slices.ContainsFunc(st.measures, func(m string) bool { return m != "turnover_rate" && m != "leavers" && m != "headcount" })
	if hasMeasureWord("turnover_rate") && (q.Measure != "turnover_rate" || otherMeasures) {
		// "the turnover rate of employees who worked overtime": another
		// measure's people (overtime hours were given)
		st.refuse(notUnderstoodf("scry takes a turnover rate of people named by their department, position, place, contract or age, not by their hours, shifts or absences"))
		return nil
	}
	if q.Measure == "turnover_rate" && st.trend {
		// "how has the turnover rate changed": a rate for each period
		st.refuse(notUnderstoodf("scry takes a turnover rate over one period (\"turnover rate in 2025\"), not for each month or week of it; ask for each period on its own"))
		return nil
	}
	if q.Measure == "headcount" && st.trend && reChangeSize.MatchString(orig) {
		// "how much has Oak High School's headcount changed this year": one
		// difference, which the month-end series does not hold (its first
		// month's end is not the period's start)
		st.refuse(notUnderstoodf("scry gives a headcount's trend (\"how has our headcount changed this year\"), or the headcount on a day (\"headcount on 1 January 2026\"), not the difference between two days"))
		return nil
	}
	if q.Measure == "headcount" && st.trend && len(q.Dimensions) > 0 {
		// "how has the number of full-time and part-time employees changed"
		st.refuse(notUnderstoodf("scry takes a headcount's trend for everyone the question names together; ask for each group on its own (\"how has the number of part-time employees changed this year\")"))
		return nil
	}
	fact := q.Measure != "" && st.p.model.Measures[q.Measure].Entity != "employees" || q.Measure == "headcount" && q.Time != nil
	if q.Kind == "number" && fact && q.ShareOf == nil && !q.PerPersonWeek && q.CountOf == nil {
		// "over the last 6 months" is a trend (CONVENTIONS.md); "how many
		// sick days in the last 30 days", "total hours in the past 7 days"
		// ask for one number
		if st.lastN && !((counting || reTotal.MatchString(orig)) && !strings.Contains(orig, " over the ")) {
			q.Dimensions = []string{strings.Fields(q.Time.Expr)[2]}
			q.Kind = "groups"
		} else if st.trend {
			q.Dimensions = []string{"trend"} // grain chosen from the range at run time
			q.Kind = "groups"
		}
	}
	if q.Kind == "people" && (q.Measure == "hires" || q.Measure == "leavers") && st.lastN && strings.Contains(orig, " over the ") && !reWhoListed.MatchString(orig) && len(q.Columns) == 0 && len(q.Sort) == 0 {
		// "hires over the last 2 years": a trend, the number of each year
		// (it listed the hires)
		q.Kind, q.Dimensions = "groups", []string{strings.Fields(q.Time.Expr)[2]}
	}
	if len(q.Aggs) == 1 && q.Aggs[0] == st.p.model.Measures[q.Measure].Agg {
		q.Aggs = nil
	}
	// the longest or shortest one shift or absence: the largest or smallest
	// of their lengths ("how long was the longest sick leave", "the longest
	// shift last month"), not a count of them or their average length
	w := st.superlative()
	if (w == "longest" || w == "shortest" || w == "maximum" || w == "max" || w == "minimum" || w == "min") && q.Kind == "number" && len(q.Aggs) == 0 && len(q.Dimensions) == 0 {
		switch q.Measure {
		case "shifts", "attendance", "shift_length":
			q.Measure = "shift_length"
		case "hours_worked":
			if w == "longest" || w == "shortest" {
				q.Measure = "shift_length" // "the longest shift anyone worked, in hours"
			}
		case "absence_cases", "absence_days", "absence_duration":
			q.Measure = "absence_duration"
		}
		if q.Measure == "shift_length" || q.Measure == "absence_duration" {
			q.Aggs = []string{map[bool]string{true: "max", false: "min"}[most]}
		}
	}
	// a threshold within one day ("more than 12 hours in a day") is not one
	// scry keeps: its totals are per period, or per week
	if (q.CountOf != nil && *q.CountOf != (Condition{Op: ">", Value: 0}) || q.Having != nil) && reInADay.MatchString(orig) {
		st.refuse(notUnderstoodf("scry did not understand %q: it compares a person's total over the period (or per week), not within one day or one shift", strings.TrimSpace(reInADay.FindString(orig))))
		return nil
	}
	// "sick days per head by department": each group's total over its
	// headcount; "average hours worked per person by store", "average sick
	// days per employee": over the people who have any (as a weekly
	// average is over those who worked each week); a row for each person
	// would give each one's own total
	if ms := st.p.model.Measures[q.Measure]; q.Measure != "" && factTotal(ms) && !q.PerPersonWeek && len(q.Aggs) == 0 && q.ShareOf == nil {
		switch {
		case st.perHeadWord && ms.Entity == "shifts" && slices.ContainsFunc(q.Filters, func(f Filter) bool {
			return (f.Field == "location" || f.Field == "position") && slices.ContainsFunc(f.Values, func(v string) bool { return !slices.Contains(st.p.values[f.Field], v) })
		}):
			// "remote hours per head by school": a place of shifts only,
			// where no one is based, so no one to count (it gave no rows)
			return notUnderstoodf("scry divides by the people based in a place or a position; a place or position of shifts only has none: ask for the hours there by group, and the headcount by group")
		case st.perHeadWord:
			q.PerHead = true
		case average && rePerPerson.MatchString(orig) && !reEachPerson.MatchString(orig):
			q.PerPerson = true
		}
		if q.PerHead || q.PerPerson {
			q.Dimensions = remove(q.Dimensions, "employee")
			q.Kind = map[bool]string{true: "groups", false: "number"}[len(q.Dimensions) > 0]
		}
	}
	if st.perHeadWord && !q.PerHead {
		st.refuse(notUnderstoodf("scry divides a total of shifts or absences (hours worked, sick days, shifts, absences) by a headcount, not %s", measureWords(st.p.model, q.Measure)))
		return nil
	}
	// an average that shaped nothing ("average sick days per employee",
	// answered as each one's total)
	if average && q.Measure != "" && !q.PerPersonWeek && !q.PerHead && !q.PerPerson && len(q.Aggs) == 0 && q.ShareOf == nil && st.p.model.Measures[q.Measure].Agg != "avg" &&
		st.p.model.Measures[q.Measure].Entity != "employees" {
		if st.median {
			st.refuse(notUnderstoodf("scry did not understand \"median\" here: it gives the median of a wage, an age, a tenure, contracted hours, or the length of one shift, break or absence, not of %s per person", measureWords(st.p.model, q.Measure)))
			return nil
		}
		st.refuse(notUnderstoodf("scry did not understand \"average\" here: it can average a person's weekly hours or shifts (\"average hours worked per week\"), a length, a wage or an age, not %s per person", measureWords(st.p.model, q.Measure)))
		return nil
	}
	// "who had the longest sick leave": the longest of each person's is not
	// a ranking scry makes, and the most sick leaves is another question
	if (w == "longest" || w == "shortest") && q.Kind != "number" && q.Measure != "shift_length" && q.Measure != "absence_duration" && q.Measure != "tenure" && q.Measure != "" {
		st.refuse(notUnderstoodf("scry did not understand %q here: it can give the %s of all shifts or absences in a period, not rank people or groups by their own", w, map[bool]string{true: "longest", false: "shortest"}[most]))
		return nil
	}
	// "headcount per month": people are counted on one day, each month's
	// last (headcountSeries); grouping them by a time grain otherwise
	// would group them by the month they were hired
	// (two days side by side, "headcount by department today vs a year
	// ago", are each day's: compileApart)
	if q.Measure == "headcount" && !headcountSeries(q, st.p.model) && slices.ContainsFunc(q.Dimensions, func(d string) bool {
		return st.p.model.Dimensions[d].Time != "" && !(d == "day" && q.Time != nil && strings.Contains(q.Time.Expr, " vs ") && versusUnit(q.Time.Expr) == "day")
	}) {
		st.refuse(notUnderstoodf("scry counts people on one day: it can give the headcount at the end of each day, week, month, quarter or year of a period (\"headcount per month in 2025\"), alone and not in order, or on a date (\"headcount on 2025-06-30\")"))
		return nil
	}
	// "bottom 3 employees by shifts": a ranking of people by the fewest is
	// the list of those people, which counts the ones with none
	if p := *q; q.Kind == "groups" && len(q.Dimensions) == 1 && q.Dimensions[0] == "employee" && q.Order == "asc" && q.Limit > 0 {
		p.Kind, p.Dimensions = "people", nil
		if zeroFill(&p, st.p.model) {
			*q = p
		}
	}
	// "which waiter had the fewest sick days": people with none have no
	// rows to rank, so the list would begin with someone who had one
	// unless the engine adds them (zeroFill)
	if ms := st.p.model.Measures[q.Measure]; (q.Kind == "people" || q.Kind == "groups" && grouped(q.Dimensions, "employee")) && q.Order == "asc" && q.Limit > 0 && q.Having == nil &&
		ms.Entity != "employees" && (ms.Agg == "sum" || ms.Agg == "count") && !zeroFill(q, st.p.model) {
		st.refuse(notUnderstoodf("scry did not understand %q here: it cannot yet rank people by the fewest %s, since people with none would be left out. Ask who had none (\"who had no sick days this year\"), or for the most", firstNonEmptyStr(w, "bottom"), measureWords(st.p.model, q.Measure)))
		return nil
	}
	// a list put in order with nothing to order it by ("who at my school
	// has the highest sales": a word scry does not measure)
	if w != "" && q.Kind == "people" && q.Measure == "" && len(q.Sort) == 0 && q.Order != "" && q.Relation == "" {
		st.refuse(notUnderstoodf("scry did not understand %q here: it found nothing it measures to rank these people by (hours worked, absences, wage, age, tenure…)", w))
		return nil
	}
	// an order that shaped nothing ("rank … by" answered as one number)
	if q.Kind == "number" && q.Order != "" && len(q.Aggs) == 0 || q.Kind == "people" && q.Order != "" && q.Measure == "" && len(q.Sort) == 0 {
		st.refuse(notUnderstoodf("scry did not understand what to put in order here: name the people or groups to rank (\"rank departments by average wage\", \"rank employees by age\")"))
		return nil
	}
	// "who had both a vacation and a sick leave in November", "how many
	// employees had both": people with an absence of each kind, one
	// condition for each (one for both would be either); without "both",
	// "who is on vacation and sick leave today" may mean either, and is
	// refused below
	for i, f := range q.Filters {
		if f.Field != "absence_type" || len(f.Values) < 2 || f.Negate || !strings.Contains(orig, " both ") || strings.Contains(orig, " or ") ||
			q.Having != nil || q.CountOf != nil && *q.CountOf != (Condition{Op: ">"}) || q.Limit > 0 || q.Order != "" || len(q.Aggs) > 0 || q.Share || q.ShareOf != nil || len(q.ShareWhere) > 0 {
			continue
		}
		switch {
		case q.Kind == "people":
			q.Measure = ""
		case counting && st.countsPeople():
			q.Kind, q.Measure, q.CountOf = "number", "headcount", nil // each kind's condition says "some"
		default:
			continue
		}
		q.Dimensions = remove(q.Dimensions, "absence_type")
		each := make([]Filter, len(f.Values))
		for k, v := range f.Values {
			each[k] = Filter{Field: f.Field, Values: []string{v}}
		}
		q.Filters = append(append(append([]Filter{}, q.Filters[:i]...), each...), q.Filters[i+1:]...)
		st.useWord("both")
		break
	}
	// "who had sick leave and vacation": both, which scry cannot ask of one
	// person's absences (it would list who had either)
	for _, f := range q.Filters {
		// (and so with no "and": "with vacation booked next month, have been
		// off sick this year" gave either, in one period)
		if (q.Kind == "people" || counting && st.countsPeople()) && f.Field == "absence_type" && len(f.Values) > 1 && !f.Negate && !strings.Contains(orig, " or ") {
			st.refuse(notUnderstoodf("scry did not understand two kinds of absence here: ask who had both kinds (\"who had both a vacation and a sick leave\") or either (\"who had a vacation or a sick leave\"), in one period"))
			return nil
		}
	}
	// "which teachers are scheduled on every weekday next week" asks for
	// people; a table of groups (counts per weekday) answers another
	// question
	if q.Kind == "groups" && st.whichPosition() && !grouped(q.Dimensions, "employee") && !grouped(q.Dimensions, "manager") {
		st.refuse(notUnderstoodf("scry did not understand how to list these people %s: it can list who did something in a period, or count them by group (\"how many teachers by school\")", "by "+GroupWords(q.Dimensions)))
		return nil
	}
	// a list of people with a period that says nothing of them ("who is
	// around next week"): the period would be ignored
	if q.Kind == "people" && q.Measure == "" && q.Time != nil && q.Relation == "" && !hasFilter(q, "absence_type") && reOneDay.MatchString(q.Time.Expr) && reEmployedThen.MatchString(orig) {
		// "who was employed on 1 June 2026", "who was on my team on …": the
		// people of that day's headcount
		q.Measure = "headcount"
	}
	// "temps right now?", "which waiters are on apprentice contracts at the
	// moment": a list of people is of those employed today already
	// ("who is here today", "who is around now" ask who is present, and
	// stay refused)
	if q.Kind == "people" && q.Measure == "" && q.Time != nil && q.Time.Expr == "today" && q.Relation == "" && !hasFilter(q, "absence_type") &&
		reNowWords.MatchString(orig) && !reHereWords.MatchString(orig) {
		q.Time = nil
		if !reListAsked.MatchString(orig) {
			q.Kind, q.Measure = "number", "headcount" // "temps right now?": how many
		}
	}
	if q.Kind == "people" && q.Measure == "" && q.Time != nil && q.Relation == "" && !hasFilter(q, "absence_type") {
		st.refuse(notUnderstoodf("scry did not understand what the people listed did %s: ask who worked, was absent, was hired or left then", q.Time.Expr))
		return nil
	}
	// "direct reports" said, but no reporting line read ("the
	// Superintendent's direct reports" measured the Superintendent)
	if reReportsWord.MatchString(orig) && reOnesPeople.MatchString(strings.ToLower(st.question)) && q.Relation == "" && !grouped(q.Dimensions, "manager") && q.RankWithin != "manager" && !q.Self &&
		!slices.ContainsFunc(q.Filters, func(f Filter) bool {
			return f.Field == "manager_id" || f.Field == "reports" || f.Field == "employee_id"
		}) {
		st.refuse(notUnderstoodf("scry did not understand whose reports these are: name their manager (\"Marie Lambert's direct reports\", \"who reports to me\")"))
		return nil
	}
	// leavers of a kind of absence ("who will leave on parental leave"):
	// "leave" read twice, as a departure and as an absence
	if q.Measure == "leavers" && hasFilter(q, "absence_type") {
		st.refuse(notUnderstoodf("scry did not understand \"leave\" here: a departure (\"who left in 2025\") or an absence (\"who is on parental leave next month\")"))
		return nil
	}
	// "how many waiters in Bordeaux and how many bartenders", "how many are
	// full time and how many part time": two numbers asked, one given (a sum
	// or an impossible both); "how many in X and how many in Y" became a row
	// each above
	if q.Kind == "number" && q.Also == "" && strings.Count(orig, " how many ")+strings.Count(orig, " how much ") >= 2 {
		st.refuse(notUnderstoodf("scry answers one number at a time here: ask for each one, or for a breakdown (\"headcount by contract type\")"))
		return nil
	}
	// "who worked the most hours last month, most to least": the ranking
	// asked whole (the superlative gave the first alone)
	if q.Limit == 1 && reWholeOrder.MatchString(orig) && !reTopN.MatchString(orig) {
		q.Limit = 0
	}
	if q.Share && q.Having != nil {
		// "locations where the share of shifts on Saturday is above 15": a
		// share of facts per group compared (the count was compared)
		st.refuse(notUnderstoodf("scry compares a share with a number for the people of each group (\"locations with more than 30%% part-time staff\"), not for shifts or absences"))
		return nil
	}
	// a share compared with a fraction ("above 0.3"): CONVENTIONS gives
	// shares as 0–100 or 0–1, and a number under 1 with no "percent" is
	// the second (it kept every group over 0.3 %)
	if len(q.ShareWhere) > 0 && q.Having != nil && q.Having.Value > 0 && q.Having.Value < 1 && !slices.Contains(st.toks, "percent") {
		q.Having.Value *= 100
	}
	// a condition on the grouping itself keeps groups, not a part of each
	// ("which schools have no …": the District Office left out of the schools)
	for i := 0; i < len(q.ShareWhere); i++ {
		if f := q.ShareWhere[i]; f.Negate && grouped(q.Dimensions, f.Field) {
			q.Filters = append(q.Filters, f)
			q.ShareWhere = slices.Delete(q.ShareWhere, i, i+1)
			i--
		}
	}
	// "which departments have no part-time employees" was read as the groups
	// whose share of those people is 0 (noneInGroups); any other reading of
	// it (managers, hires, a period, an "or" of a number) keeps no group
	// honestly, so it is refused
	if reNoneShare.MatchString(orig) && !(q.Kind == "groups" && len(q.ShareWhere) > 0 && q.Having != nil && q.Having.Op == "=" && q.Having.Value == 0 &&
		q.Time == nil && q.Relation == "" && q.Measure == "headcount" && !slices.ContainsFunc(q.ShareWhere, func(f Filter) bool { return f.Field == "age" || f.Ref != nil })) {
		st.refuse(notUnderstoodf("scry reads groups with none of a kind of people (\"departments with no part-time staff\", \"schools without teaching assistants\"), not of this"))
		return nil
	}
	// a share that shaped nothing ("what % of shifts were on weekends"
	// answered as a count)
	if share && !q.Share && len(q.ShareWhere) == 0 && q.ShareOf == nil && (q.Kind == "number" || q.Kind == "groups") && st.shareWord() != "" {
		st.refuse(notUnderstoodf("scry did not understand %q here: it can give the share of people, hours, shifts or absences that meet a condition (\"what percentage of employees are part-time\", \"what share of shifts last month were on weekends\")", st.shareWord()))
		return nil
	}
	// A superlative that shaped nothing ("the fewest sick days" answered as
	// one total, "the longest shift" as a count of shifts) is refused: the
	// answer would be to another question.
	if w != "" && (most || least) && q.Kind == "number" && len(q.Aggs) == 0 && q.Limit == 0 && q.Order == "" &&
		q.Distinct == "" && q.CountOf == nil && q.ShareOf == nil && q.Having == nil {
		st.refuse(notUnderstoodf("scry did not understand %q here: it found nothing to rank or take the %s of. Ask e.g. \"which employee worked the most hours last month\" or \"the longest shift last month\"", w, map[bool]string{true: "largest", false: "smallest"}[most]))
		return nil
	}
	// "the median wage", "median shift length": the middle of the values an
	// average would take, one per person or per shift or absence; a total
	// per person ("median hours worked") is no such value
	if st.median {
		switch ms := st.p.model.Measures[q.Measure]; {
		case reOtherAgg.MatchString(orig):
			st.refuse(notUnderstoodf("scry gives a median on its own: ask \"median hourly wage by location\", then the average"))
			return nil
		case q.PerPersonWeek || q.ShareOf != nil || q.Share || q.CountOf != nil || q.Having != nil || q.Kind != "number" && q.Kind != "groups":
			st.refuse(notUnderstoodf("scry did not understand \"median\" here: it gives the median of a wage, an age, a tenure, contracted hours, or the length of one shift, break or absence (\"median hourly wage by department\")"))
			return nil
		case len(q.Aggs) == 0 && ms.Agg == "avg" && ms.Derived == "", len(q.Aggs) == 1 && q.Aggs[0] == "avg":
			q.Aggs = []string{"median"}
		default:
			st.refuse(notUnderstoodf("scry did not understand \"median\" here: it gives the median of a wage, an age, a tenure, contracted hours, or the length of one shift, break or absence, not of %s per person", measureWords(st.p.model, q.Measure)))
			return nil
		}
	}
	// "sick days per teacher this year, by school" is each school's days
	// per head, which a row per teacher does not give
	if st.perHead && len(q.Dimensions) > 1 && slices.Contains(q.Dimensions, "employee") && q.Measure != "" && st.p.model.Measures[q.Measure].Agg != "avg" {
		st.refuse(notUnderstoodf("scry cannot yet divide a group's total by its headcount (\"per teacher … by school\"); ask for the total by group and the headcount by group, or for each teacher's own (\"sick days for each teacher\")"))
		return nil
	}
	// people are counted and listed as they are today: "the direct reports
	// Lucie had in 2025" or "everyone we ever had" would be another set of
	// people (her own row was counted, today's headcount given)
	if q.Measure == "" || q.Measure == "headcount" {
		reports := slices.ContainsFunc(st.toks, func(w string) bool { return w == "report" || w == "subordinate" })
		switch {
		case q.Time != nil && (reports || q.Relation != "") && !(q.Time.Expr == "today" && slices.ContainsFunc(q.Filters, func(f Filter) bool { return f.Field == "manager_id" })):
			st.refuse(notUnderstoodf("scry knows who reports to whom as it is today, not as it was in a past period; ask without the period (\"how many direct reports does … have\")"))
			return nil
		case q.Time == nil && reEver.MatchString(strings.ToLower(st.question)) && q.Relation == "" && !st.namesSomeone() && st.ordinal == 0:
			st.refuse(notUnderstoodf("scry counts and lists the people employed today; it cannot yet count everyone ever employed: ask for the hires of a period (\"how many people were hired since 2015\")"))
			return nil
		}
	}
	// "older than the company average age", asked by a manager: the
	// average scry computes is of the people the asker may see
	if lower := strings.ToLower(st.question); st.visible != nil && reCompanyAverage.MatchString(lower) && (strings.Contains(lower, "average") || strings.Contains(lower, "mean")) {
		st.refuse(notUnderstoodf("scry compares with the average of the people you may see, not of the whole company; ask \"older than the average age\" for your own scope"))
		return nil
	}
	// "the second highest paid": the first in that order, after one
	if st.ordinal > 0 {
		if q.Limit != 1 || q.Order == "" || q.RankWithin != "" {
			st.refuse(notUnderstoodf("scry did not understand %q here: it reads \"the second highest\" or \"the third most\" of one ranking", ordinalNames[st.ordinal]))
			return nil
		}
		q.Offset = st.ordinal - 1
	}
	// "which waiters worked at least 25 shifts and had no sick leave": two
	// conditions on two measures, of which one was dropped
	if q.Without && (q.Having != nil || threshold && !st.beyondContract) {
		st.refuse(notUnderstoodf("scry keeps people by one measure at a time here: ask who had none, and who passed the threshold, as two questions"))
		return nil
	}
	// "list all my absences": the absences themselves, which scry does not
	// list (a person's row with their number was given)
	if q.Kind == "people" && q.Self && strings.HasPrefix(q.Measure, "absence") && reListWord.MatchString(orig) {
		st.refuse(notUnderstoodf("scry counts and sums absences (\"how many absences did I have this year\", \"my sick days this year\"); it does not list them one by one"))
		return nil
	}
	// "how does my pay compare with the average teacher's": one number
	// answers a comparison of two (the asker's own was given)
	if q.Kind == "number" && q.Self && reCompareWord.MatchString(orig) {
		st.refuse(notUnderstoodf("scry answers one number here, and a comparison needs two: ask for each (\"my hourly wage\", \"the average hourly wage of teachers\"), or for groups side by side (\"average hourly wage by position\")"))
		return nil
	}
	// "table of my team's vacation days": a row per person of the team,
	// as a table of people's facts is (one total was given)
	if q.Chart == ChartTable && q.Kind == "number" && !q.Self && len(q.Aggs) == 0 && q.ShareOf == nil && len(q.ShareWhere) == 0 && q.CountOf == nil &&
		st.p.model.Measures[q.Measure].Entity != "employees" && st.namesTeam() {
		q.Kind, q.Dimensions = "groups", []string{"employee"}
	}
	return nil
}

// namesTeam: the question names the asker's people ("my team's", "my
// staff", "our cashiers").
func (st *parseState) namesTeam() bool {
	for i, t := range st.toks {
		if (t == "my" || t == "our") && i+1 < len(st.toks) && (teamNouns[st.toks[i+1]] || peopleNouns[st.toks[i+1]] || st.positionAt(i+1)) {
			return true
		}
	}
	return false
}

// superlative is the first word of the question that picks the largest or
// smallest ("most", "fewest", "longest"), as written, or "".
func (st *parseState) superlative() string {
	for _, t := range st.toks {
		if rankWords[t] {
			return t
		}
	}
	return ""
}

var rankWords = wordSet(`most highest largest biggest maximum max greatest longest least lowest smallest fewest minimum min shortest`)

// onlyDimColumns: every column asked for is a group ("which location").
func (st *parseState) onlyDimColumns() bool {
	for _, c := range st.q.Columns {
		// "managers" asked for are people who manage, not a grouping
		if attributes[c].dim == "" || c == "name" || c == "manager" {
			return false
		}
	}
	return len(st.q.Columns) > 0
}

// readOr joins the two conditions on either side of an unread "or" into
// alternatives ("drivers from Hartford or younger than 40"): each side is a
// condition read from the words right next to the "or".
func (st *parseState) readOr() {
	type side struct {
		cond  int       // index in q.Filters, or -1
		value [2]string // field and value of a value filter
		span  [2]int
	}
	var sides []side
	for i, sp := range st.condSpans {
		if sp[0] >= 0 {
			sides = append(sides, side{cond: i, span: sp})
		}
	}
	for k, sp := range st.valueSpans {
		if !st.negated[k[0]] {
			sides = append(sides, side{cond: -1, value: k, span: sp})
		}
	}
	near := func(from, to int) bool { // only function words between
		for i := from; i < to; i++ {
			// function words, or words read with the condition ("Hartford city")
			if i >= 0 && i < len(st.toks) && !functionWords[st.toks[i]] && !(st.used[i] && st.p.isDimWord(st.toks[i])) {
				return false
			}
		}
		return true
	}
	removed := map[int]bool{}
	for p, t := range st.toks {
		if t != "or" || st.used[p] {
			continue
		}
		var left, right *side
		for i := range sides {
			s := &sides[i]
			if s.span[1] <= p && near(s.span[1], p) && (left == nil || s.span[1] > left.span[1]) {
				left = s
			}
			if s.span[0] > p && near(p+1, s.span[0]) && (right == nil || s.span[0] < right.span[0]) {
				right = s
			}
		}
		if left == nil || right == nil {
			continue
		}
		filterOf := func(s *side) (Filter, bool) {
			if s.cond >= 0 {
				if removed[s.cond] {
					return Filter{}, false
				}
				return st.q.Filters[s.cond], true
			}
			return Filter{Field: s.value[0], Values: []string{s.value[1]}}, true
		}
		a, okA := filterOf(left)
		b, okB := filterOf(right)
		if !okA || !okB || a.Field == b.Field && a.Op == "" && b.Op == "" {
			continue // one field's values are already alternatives
		}
		for _, s := range []*side{left, right} {
			if s.cond >= 0 {
				removed[s.cond] = true
			} else {
				st.dropValue(s.value[0], s.value[1])
			}
		}
		st.used[p] = true
		st.q.Filters = append(st.q.Filters, Filter{Field: "any", Any: []Filter{a, b}})
		st.condSpans = append(st.condSpans, [2]int{-1, -1})
	}
	if len(removed) > 0 {
		var keep []Filter
		for i, f := range st.q.Filters {
			if !removed[i] {
				keep = append(keep, f)
			}
		}
		st.q.Filters = keep
	}
}

// dropValue removes one value filter (it became one side of an "or").
func (st *parseState) dropValue(field, value string) {
	var keep []string
	for _, v := range st.filterVals[field] {
		if v != value {
			keep = append(keep, v)
		}
	}
	st.filterVals[field] = keep
}

func (st *parseState) hasFilterField(f string) bool {
	for _, x := range st.q.Filters {
		if x.Field == f {
			return true
		}
	}
	return false
}

// namedPeople: the question names the people it lists ("all employees").
func (st *parseState) namedPeople() bool {
	for _, t := range st.toks {
		if peopleNouns[t] {
			return true
		}
	}
	return false
}

// measureAttr is the attribute a measure of people is computed from.
func measureAttr(measure string) string {
	for a, at := range attributes {
		if at.measure == measure {
			return a
		}
	}
	return ""
}

var _ = regexp.MustCompile

// eventWords name a hire or a leave as something that happened to people
// ("hired", "joined", "left"); "started" is not one of them here, since an
// absence or a shift starts too.
var eventWords = wordSet(`hired hire joined recruited onboarded left leaver quit terminated resigned departure`)

// readPersonEvent reads a hire or a leave beside another measure: "the sick
// days of employees hired in 2025", "the average age of people who left
// this year". The event and its period say whom the measure counts, so
// they become a condition on the people (hire_date or end_date within the
// period) and the measure is the other one. Until this, the measure of
// higher rank won and the other words were dropped without a word: the
// answer was the number of hires, or everyone's sick days in 2025. An event
// whose period is not beside it, or with none, is refused, naming it.
func (st *parseState) readPersonEvent(measure *string) {
	event, at, n := "hires", -1, 0
	hire, hn := st.eventAt("hires")
	leave, ln := st.eventAt("leavers")
	switch {
	case hire >= 0 && (leave < 0 || hire < leave):
		at, n = hire, hn
	case leave >= 0:
		event, at, n = "leavers", leave, ln
	default:
		return
	}
	other := st.otherMeasure("")
	if other == "" || *measure != event && *measure != other {
		return
	}
	words := strings.Join(st.words[at:at+n], " ")
	if !eventWords[st.toks[at+n-1]] {
		st.refuse(notUnderstoodf("scry reads %q as people hired or leaving, which it cannot also combine with %s in one question; ask for one of them", words, measureWords(st.p.model, other)))
		return
	}
	if event == "leavers" && st.q.Time == nil && (st.toks[at+n-1] == "leaver" || at > 0 && leftAfter[st.toks[at-1]]) {
		// "the average tenure of leavers", "sick days of staff who have
		// left": with no period anywhere, those who left up to today
		st.use(at, at+n)
		st.addCond(Filter{Field: "end_date", Op: "during", Values: []string{"to date"}})
		*measure = other
		return
	}
	if !st.periodBeside(at, n) {
		st.refuse(notUnderstoodf("scry did not understand %q here: with %s it reads a hire or a leave only with its period right after it (e.g. hired in 2025, who left this year)", words, measureWords(st.p.model, other)))
		return
	}
	field := "hire_date"
	if event == "leavers" {
		field = "end_date"
	}
	st.use(at, at+n)
	st.addCond(Filter{Field: field, Op: "during", Values: []string{st.takeEventPeriod(at, n)}})
	*measure = other
}

// periodBeside is whether a period follows the event of words [at, at+n)
// right after it ("hired in 2025", "who left this year"): the second period
// readTime kept for an event, or the question's own.
func (st *parseState) periodBeside(at, n int) bool {
	beside := func(span [2]int) bool {
		if span[0] < at+n || span[0] > at+n+1 {
			return false
		}
		p := st.toks[at+n]
		return span[0] == at+n || p == "in" || p == "during" || p == "since"
	}
	return st.eventTime != "" && beside(st.eventSpan) || st.eventTime == "" && st.q.Time != nil && beside(st.timeSpan)
}

// takeEventPeriod takes the period periodBeside found for the event of
// words [at, at+n) and returns it.
func (st *parseState) takeEventPeriod(at, n int) string {
	st.use(at+n, at+n+1) // "in", "during", "since"
	if e := st.eventTime; e != "" {
		st.eventTime = ""
		return e
	}
	e := st.q.Time.Expr
	st.q.Time = nil
	return e
}

// hiredThenLeft reads "which employees joined in 2024 and have left", "how
// many of those hired last year are gone": the hire and its period say
// whom, and the leave, with no period of its own, is the measure, up to
// today. A leave with a period too ("hired in 2024, left in 2025") is two
// periods, which the question's one time cannot hold: refused by the caller.
func (st *parseState) hiredThenLeft(measure *string) bool {
	hire, hn := st.eventAt("hires")
	leave, _ := st.eventAt("leavers")
	// "how many joined in 2025 and how many left": two numbers
	if hire < 0 || leave < 0 || !eventWords[st.toks[hire+hn-1]] || !st.periodBeside(hire, hn) || strings.Count(" "+strings.Join(st.toks, " ")+" ", " how many ") > 1 {
		return false
	}
	st.use(hire, hire+hn)
	st.addCond(Filter{Field: "hire_date", Op: "during", Values: []string{st.takeEventPeriod(hire, hn)}})
	// "the average tenure of people hired in 2020 who have left": both
	// conditions on the people, the measure the one asked
	other := st.otherMeasure(*measure)
	if other != "" {
		st.useWord("left")
		st.addCond(Filter{Field: "end_date", Op: "during", Values: []string{"to date"}})
		*measure = other
		return true
	}
	*measure = "leavers"
	return true
}

// eventAt is where the question first names the event measure name
// ("hired", "leavers"): its first word and length, or -1.
func (st *parseState) eventAt(name string) (int, int) {
	for _, it := range st.items {
		for _, mn := range it.meanings {
			if mn.kind == "measure" && mn.name == name {
				return it.pos, it.n
			}
		}
	}
	return -1, 0
}

// otherMeasure is the measure asked beside a hire or a leave, which says
// what is counted of the people they pick: of those read (and extra, the
// one decided so far), the one of highest rank that is no event and no
// headcount, or a measure named as a column ("the average age of …").
func (st *parseState) otherMeasure(extra string) string {
	other := ""
	for _, c := range st.q.Columns {
		if m := attributes[c].measure; m != "" && st.listCols {
			other = m
		}
	}
	for _, m := range append(slices.Clone(st.measures), extra) {
		if m != "" && m != "hires" && m != "leavers" && m != "headcount" && (other == "" || st.p.model.Measures[m].Rank > st.p.model.Measures[other].Rank) {
			other = m
		}
	}
	return other
}

// leftAfter are the words before "left" of people who left ("who left",
// "have left"), not of what is left ("vacation days left").
var leftAfter = wordSet(`who that have has had ha since already`)

// plainMeasure names a measure in a sentence without its aside ("overtime
// hours", not "overtime hours (beyond contracted weekly hours)").
func plainMeasure(m *semantic.Model, name string) string {
	return strings.TrimSpace(reParenthesis.ReplaceAllString(measureWords(m, name), ""))
}

// measureWords names a measure in a sentence ("absence days"): its title,
// or its name.
func measureWords(m *semantic.Model, name string) string {
	if t := m.Measures[name].Title; t != "" {
		return strings.ToLower(t)
	}
	return strings.ReplaceAll(name, "_", " ")
}

// managerNoun is where "manager(s)" names the people asked about ("how
// many managers", "female managers in Paris", "the youngest manager"), or
// -1: not a manager of someone ("the manager of Clara", "Clara's manager",
// "my manager", "manager name"), a grouping ("by manager", "per manager"),
// or part of a position ("store managers").
func (st *parseState) managerNoun() int {
	for i, t := range st.toks {
		if t != "manager" {
			continue
		}
		if i+1 < len(st.toks) {
			switch st.toks[i+1] {
			case "of", "for", "name", "id", "number", "s", "to":
				continue
			}
			// "which manager's direct reports worked the most", "the manager
			// whose team": the people are the reports, grouped by manager
			// (the possessive's "s" is gone by now)
			k := i + 1
			if st.toks[k] == "whose" {
				k++
			}
			if k < len(st.toks) && reportNouns[st.toks[k]] && (reManagersPeople.MatchString(strings.ToLower(st.question)) || reManagersPeople.MatchString(strings.Join(st.words, " "))) {
				continue
			}
		}
		if i > 0 {
			prev := st.toks[i-1]
			switch prev {
			case "by", "per", "each", "every", "their", "his", "her", "my", "your", "its", "whose", "s", "department", "dept", "direct", "line", "a", "own", "immediate":
				continue
			}
			if st.positionWith(i) {
				continue
			}
		}
		return i
	}
	return -1
}

// comparesWithManager: a condition compares people with their own manager
// ("earns more than their manager"), whose words name no managers to list.
func (st *parseState) comparesWithManager() bool {
	return slices.ContainsFunc(st.q.Filters, func(f Filter) bool { return f.Ref != nil && f.Ref.Of == "manager" })
}

// reManagersPeople: a manager's people said as written, with a possessive
// or "whose" ("which manager's team", "the manager whose direct reports"),
// not a compound ("manager staff" are managers).
var reManagersPeople = regexp.MustCompile(`\bmanager(?:'s|’s|s'|s’)\s+(?:direct\s+)?(?:reports?|team|staff|employees|people|crew|workers|subordinates)\b|\bmanagers?\s+(?:team|teams|crew|direct\s+reports)\b|\bmanager\s+whose\b`)

// reportNouns are the people a manager has ("the manager whose team").
var reportNouns = wordSet(`direct report reports team staff employee people crew worker subordinate`)

// positionAt: the words from i name one of the tenant's positions
// ("waiter", "store manager").
func (st *parseState) positionAt(i int) bool {
	return st.positionEnd(i) > i
}

// positionEnd is where the longest of the tenant's positions beginning at
// word i ends, or i for none.
func (st *parseState) positionEnd(i int) int {
	end := i
	for to := i + 1; to <= min(len(st.toks), i+4); to++ {
		for _, mn := range st.p.phrases[strings.Join(st.toks[i:to], " ")] {
			if mn.kind == "value" && mn.name == "position" {
				end = to
			}
		}
	}
	return end
}

// positionWith: the word at i ends one of the tenant's positions with the
// words before it ("store manager", "front office manager").
func (st *parseState) positionWith(i int) bool {
	for from := max(0, i-3); from < i; from++ {
		for _, mn := range st.p.phrases[strings.Join(st.toks[from:i+1], " ")] {
			if mn.kind == "value" && mn.name == "position" {
				return true
			}
		}
	}
	return false
}

var reBeenHere = rx(`(?:has|have|had)? ?(?:been|worked|stayed|been working|been employed|been with us) (?:here|with us|with the company|at the company|for us|in the company)`)

var reInADay = regexp.MustCompile(` (?:in|on|during|within) (?:a|one|any|a single|the same|one single) (?:day|shift)\b| (?:per|a|each) (?:day|shift) `)

// countsPeople: "how many" counts people ("how many employees were on sick
// leave", "how many teachers took sick leave", "how many staff are at …").
// reHowLongBeen: "how long has X been …", up to what X has been.
var (
	reHowLongBeen = regexp.MustCompile(` how long (?:has|have|had|is|was) (?:[a-z'-]+ ){1,4}?been (?:a |an |the |our |my |their |his |her )?`)
	reRoleWord    = regexp.MustCompile(`^ (?:[a-z-]+ )?(?:manager|supervisor|head|lead|boss|director|chief|in charge)\b`)
)

// sinceInRole: "how long" asks since when someone has held a position or
// role, which no data here says.
func (st *parseState) sinceInRole(orig string) bool {
	loc := reHowLongBeen.FindStringIndex(orig)
	if loc == nil {
		return false
	}
	rest := orig[loc[1]-1:]
	return reRoleWord.MatchString(rest) || st.namedAt(rest, Filter{Field: "position", Values: st.filterVals["position"]})
}

// reAmountThenThreshold: an amount asked, then a yes or no about it after a
// question mark, a dash or a comma ("… last week? more than 35h?").
var reAmountThenThreshold = regexp.MustCompile(`^\s*(?:how (?:many|much)|what)\b.*(?:\?|\s[-–—])\s*(?:(?:and|was it|is it|is that|was that|so)\s+)?(?:more|less|fewer|over|under|above|below|at least|at most)\b[^?]*\d[^?]*\?*\s*$`)

// reReportsToDescribed: reports to someone described, not named;
// reEachOnesTeam: the team of each of a kind of people.
var (
	reReportsToDescribed = regexp.MustCompile(` (?:report|reports|reporting|reported)(?: directly| straight)? to (?:the|a|an|our|their) `)
	reEachOnesTeam       = regexp.MustCompile(`\beach\s+([a-z-]+)(?:'s|s'|’s)\s+(?:direct\s+reports|reports|team)\b`)
)

// rePercentOfContract: a percentage of the contracted hours.
var rePercentOfContract = regexp.MustCompile(` (?:percent|n\d+p\d+ percent) of (?:their|my|his|her|the|our) (?:contract|contracted|weekly)`)

// reBothEnds: the smallest and the largest asked together.
var reBothEnds = regexp.MustCompile(` (?:min|minimum|shortest|lowest|smallest|earliest)(?: [a-z]+){0,3}? (?:and|or) (?:the )?(?:max|maximum|longest|highest|largest|biggest|latest)\b| (?:max|maximum|longest|highest|largest|biggest|latest)(?: [a-z]+){0,3}? (?:and|or) (?:the )?(?:min|minimum|shortest|lowest|smallest|earliest)\b`)

// reWhoAsked: "who" asked beside a number ("… - who and how many days",
// "how many days and who").
var reWhoAsked = regexp.MustCompile(` who (?:and|&) | (?:and|&) who $| [a-z0-9]+ who $`)

// reCorrection: a correction said mid-question, as speech has them.
var reCorrection = regexp.MustCompile(`[a-z0-9] ((?:no sorry|sorry|i mean|i meant|or rather|no wait|wait no|scratch that|correction|no actually|or actually|actually no)) [a-z0-9]`)

// factNouns name facts, which people's words before them only qualify,
// with factQualifiers between ("staff sick days", "bartender night shifts").
var (
	factNouns      = wordSet(`shift hour absence leave day break attendance overtime wage salary pay cost tenure age headcount turnover total number count`)
	factQualifiers = wordSet(`sick vacation holiday annual parental unpaid night overnight weekend weekday morning evening afternoon late early remote planned worked total`)
)

// reCountDays: days are what is counted ("how many days did I work",
// "the number of working days"), not the buckets ("shifts per day").
// reCountWeekdays counts days by their name ("how many Saturdays did I
// work", "number of Sundays I have worked"), not shifts on them.
var reMostWeekdays = regexp.MustCompile(`\b(?:most|fewest|least|more|fewer) (?:` + weekdayNames + `|weekend)(?: (?:this|last|in|so|since|during|of|for|over|than|between)\b|\s*$)`)

var reCountWeekdays = regexp.MustCompile(`\b(?:how many|number of) (?:` + weekdayNames + `|weekend) (?:did|do|does|have|has|had|was|were|will|am|is|are|i|we|they|he|she|you)\b`)

// reGrossLength: a shift's length with its break ("from clock-in to
// clock-out", "including breaks").
var reGrossLength = regexp.MustCompile(` (?:clock in to clock out|start to (?:end|finish)|includ\w* (?:the |their |his |her )?break|break included|with (?:the |their )?break included)\b`)

var reCountDays = regexp.MustCompile(`\b(?:how many|number of|count of) (?:[a-z]+ )?days?\b`)

func (st *parseState) countsPeople() bool {
	for i := 0; i+2 < len(st.toks); i++ {
		// "how many people", "the number of people", "count of employees",
		// "the most people absent"
		switch {
		case st.toks[i] == "how" && st.toks[i+1] == "many", (st.toks[i] == "number" || st.toks[i] == "count") && st.toks[i+1] == "of":
			k := st.past(i+2, "of", "the", "our", "my", "different", "current", "active", "existing")
			// "how many of my team were off sick": the team's people
			if k < len(st.toks) && st.toks[k] == "team" && k > i+2 && !st.peopleHead(k+1) {
				// ("how many of my team's sick days", "… team training
				// days", "… team planned shifts": the facts)
				j := k + 1
				for j < len(st.toks) && (factQualifiers[st.toks[j]] && st.toks[j] != "worked" || st.toks[j] == "training" || st.toks[j] == "s") {
					j++
				}
				if j == len(st.toks) || !factNouns[singular(st.toks[j])] {
					return true
				}
			}
			// "how many were off sick this year": people, the only ones who
			// are; "how many absences were there" names its facts first
			if st.toks[i] == "how" && k == i+2 && k+1 < len(st.toks) && copulas[st.toks[k]] && awayWords[st.toks[k+1]] {
				return true
			}
			return st.peopleHead(k)
		case st.toks[i] == "most" || st.toks[i] == "fewest" || st.toks[i] == "least":
			if st.peopleHead(i + 1) {
				return true
			}
		}
	}
	return false
}

var (
	copulas   = wordSet(`were are was is r been`)
	awayWords = wordSet(`off out absent away sick ill on`)
)

// countsFacts returns the facts counted ("how many shifts", "count of sick
// leaves", "the number of absences"), or "" when people or nothing are.
func (st *parseState) countsFacts() string {
	for i := 0; i+2 < len(st.toks); i++ {
		if st.toks[i] == "how" && st.toks[i+1] == "many" || (st.toks[i] == "number" || st.toks[i] == "count") && st.toks[i+1] == "of" {
			k := st.past(i+2, "of", "the", "our", "my", "all", "their", "team", "s", "sick", "worked", "planned", "night", "weekend", "vacation", "annual")
			if k < len(st.toks) && countedFacts[singular(st.toks[k])] {
				return strings.Join(st.words[i+2:k+1], " ")
			}
		}
	}
	return ""
}

// peopleWithTotals: people are named after the facts counted, with a
// condition of their own ("how many shifts did people who worked more than
// 20 hours work", "… employees with more than 8 hours have").
func (st *parseState) peopleWithTotals() bool {
	for i, t := range st.toks {
		if (peopleNouns[singular(t)] || t == "staff" || t == "team" || st.positionAt(i)) && i+1 < len(st.toks) {
			if next := st.toks[i+1]; next == "who" || next == "with" || next == "that" || next == "having" {
				return true
			}
		}
	}
	return false
}

// reValueThenShare follows a value that names the part ("remote share of").
var reValueThenShare = regexp.MustCompile(`^[a-z]* (?:share|percentage|percent|proportion|fraction) of\b`)

// shareGapWords may stand between a share's verb and the value that names
// the part ("of worked shifts that were remote").
var shareGapWords = wordSet(`shift hour day absence that which were was are is worked in at on from`)

// shiftOwn is the condition on one shift of a measure summed over shifts.
var shiftOwn = map[string]string{"break_total": "shift_break", "hours_worked": "shift_hours", "planned_hours": "shift_hours"}

func lastWord(s string) string { f := strings.Fields(s); return f[len(f)-1] }

// countedFacts are the facts counted one by one.
var countedFacts = wordSet(`shift absence leave vacation holiday spell case`)

// peopleHead: the words from k name people ("cashiers", "staff"), not
// facts of people ("bartender shifts", "staff sick days": the people's
// word, with words between that qualify the facts, "sick", "night").
func (st *parseState) peopleHead(k int) bool {
	if k >= len(st.toks) {
		return false
	}
	end, kind := max(k+1, st.positionEnd(k)), false
	for to := k + 1; to <= min(len(st.toks), k+3); to++ {
		if slices.ContainsFunc(st.p.phrases[strings.Join(st.toks[k:to], " ")], func(mn meaning) bool {
			return mn.kind == "enum" && (mn.name == "contract_type" || mn.name == "gender")
		}) {
			end, kind = to, true // "apprentices", "women", "part-timers"
		}
	}
	for j := end; j < len(st.toks) && (factNouns[st.toks[j]] || factQualifiers[st.toks[j]]); j++ {
		if factNouns[st.toks[j]] {
			return false
		}
	}
	return kind || peopleNouns[st.toks[k]] || st.toks[k] == "teacher" || end > k+1 || st.positionAt(k)
}

// refuse keeps a refusal for the end of the reading: a word not understood
// anywhere in the question is named first.
func (st *parseState) refuse(err error) {
	if st.fail == nil {
		st.fail = err
	}
}

// shareMeasures can be split into a part and its whole.
var shareMeasures = map[string]bool{"headcount": true, "hours_worked": true, "planned_hours": true, "shifts": true, "attendance": true,
	"absence_days": true, "absence_cases": true}

var reEachGroup = regexp.MustCompile(` (?:of|in|within|for|across) (?:each|every) `)

// shareWord is the question's word for a share ("percentage", "%"), or "".
func (st *parseState) shareWord() string {
	for i, t := range st.toks {
		switch t {
		case "share", "percentage", "percent", "proportion", "fraction":
			return st.words[i]
		}
	}
	return ""
}

// past moves past the words of the set, read or not ("the" may have gone
// to an earlier reading).
func (st *parseState) past(i int, words ...string) int {
	for i < len(st.toks) && slices.Contains(words, st.toks[i]) {
		i++
	}
	return i
}

// eventNouns name people by their hire or leave: "new starters last quarter".
var eventNouns = wordSet(`hire starter joiner leaver departure recruit`)

// namesPeopleFirst: the question is a noun phrase that starts with people
// ("teachers hired in 2025", "new starters last quarter"), which asks for
// them, not for their number.
func (st *parseState) namesPeopleFirst() bool {
	return st.peopleNounAt(0)
}

// namesAnyone: some word of the question names people (a noun of people,
// a position, a pronoun asking who) or someone in particular.
func (st *parseState) namesAnyone() bool {
	for i, t := range st.toks {
		if peopleNouns[singular(t)] || st.positionAt(i) || t == "who" || t == "whom" || t == "whose" {
			return true
		}
	}
	return st.q.Self || slices.ContainsFunc([]string{"employee_id", "manager_id", "reports", "name", "first_name", "last_name"}, func(f string) bool {
		return st.hasFilterField(f) || len(st.filterVals[f]) > 0
	})
}

// peopleNounAt: the words from i on name people, after values that
// describe them ("current Paris employees", "retail staff", "cashiers").
func (st *parseState) peopleNounAt(i int) bool {
	k := st.past(i, "the", "all", "our", "my", "any", "new", "recent", "current", "of")
	kindOfPeople := false // "apprentices in Logistics", "women at Lyon"
	for _, it := range st.items {
		if it.pos == k && len(it.meanings) > 0 && (it.meanings[0].kind == "value" && it.meanings[0].name != "position" || it.meanings[0].kind == "enum") {
			k = it.pos + it.n
			kindOfPeople = it.meanings[0].kind == "enum" && (it.meanings[0].name == "contract_type" || it.meanings[0].name == "gender")
		}
	}
	// ("temp staff hrs worked": the facts of those people)
	factsOf := func(k int) bool {
		return k < len(st.toks) && (factNouns[singular(st.toks[k])] || factQualifiers[st.toks[k]])
	}
	if kindOfPeople && !factsOf(k) && !(k < len(st.toks) && peopleNouns[st.toks[k]] && factsOf(k+1)) {
		return true
	}
	if k < len(st.toks) && st.positionAt(k) {
		// "teacher hours worked in Q1": the position describes the facts
		// named after it, not people asked for
		e := st.positionEnd(k)
		return e >= len(st.toks) || !factNouns[singular(st.toks[e])]
	}
	// ("staff hours worked last month": the facts of the staff, as for a
	// position; it listed everyone with their hours)
	return k < len(st.toks) && (peopleNouns[st.toks[k]] && !factsOf(k+1) || eventNouns[st.toks[k]])
}

// reNoneAtAll are the words that stress a negation: "not a single shift",
// "haven't been sick once", "no absences at all".
// namesSomeone: a condition names a person.
func (st *parseState) namesSomeone() bool {
	return slices.ContainsFunc(st.q.Filters, func(f Filter) bool {
		return f.Field == "name" || f.Field == "first_name" || f.Field == "last_name" || f.Field == "employee_id"
	})
}

// reOwnedBy: the word w, as written, owns what follows ("department's").
func reOwnedBy(w string) *regexp.Regexp {
	return regexp.MustCompile(`\b` + regexp.QuoteMeta(w) + `s?['’]s?\s`)
}

// reCompanyAverage: an average of the whole company, as written.
var reCompanyAverage = regexp.MustCompile(`\b(?:company(?:'s|-wide| wide)?|overall|organi[sz]ation(?:'s)?|firm(?:'s)?)\s+average\b|\baverage\b.{0,40}\b(?:in|of|across|for)\s+(?:the\s+)?(?:whole\s+)?(?:company|organi[sz]ation|firm|business|all\s+employees|everyone|workforce)\b|\bcompany-?wide\b`)

// reOneDay: a time expression of one day.
var reOneDay = regexp.MustCompile(`^(?:on .*|today|yesterday|end of .*|start of .*)$`)

// reEmployedThen: people said to be employed, not to have done something.
var reEmployedThen = regexp.MustCompile(` (?:employed|on staff|on (?:my|our|the) (?:team|staff|books)|with (?:us|the company)|in post|(?:do|does) (?:we|you|they) (?:currently |still |now |actually )?(?:have|employ)|have we got) `)

// reEver: "ever" or "all time", as written (a rewrite drops them).
var reEver = regexp.MustCompile(`\bever\b|\ball[- ]time\b`)

var reNoneAtAll = rx(`(?:a single|single|at all|even once|once|ever|whatsoever|even 1)`)

// whichPosition: "which cashiers …", "which Paris employees …" asks for
// people.
func (st *parseState) whichPosition() bool {
	for i := 0; i+1 < len(st.toks); i++ {
		if st.toks[i] == "which" && st.peopleNounAt(i+1) {
			return true
		}
	}
	return false
}

// placeAfterNegation refuses a place or position named after the negation
// of shifts ("never worked a shift in Bordeaux"): it is the shift's, while
// the people listed are described by their own ("who in Paris did not
// work"), and scry cannot yet say "no shift there".
func (st *parseState) placeAfterNegation(orig string) {
	loc := reWithout.FindStringIndex(orig)
	if loc == nil || st.p.model.Measures[st.q.Measure].Entity != "shifts" {
		return
	}
	at := wordsBefore(orig, loc[0])
	for key, sp := range st.valueSpans {
		if (key[0] == "location" || key[0] == "position") && sp[0] > at {
			st.refuse(notUnderstoodf("scry cannot yet list people with no shift in a place or position (%q); it can list the people of a place or position who did not work", strings.Join(st.words[sp[0]:sp[1]], " ")))
		}
	}
}

var reAnyReason = rx(`(?:for |of )?any (?:reason|kind|type)`)

var reOneWeek = regexp.MustCompile(`^(?:this|last|next) week$|^last 1 week$|^week of `)

// reMoreThan: "did Hugo work more hours than Lea", with the words of
// factWords between the comparative and "than".
var (
	rePeriodUnit   = regexp.MustCompile(`week|month|quarter|year`)
	reUnitOverUnit = rx(`(week|month|quarter|year) (?:over|on) (?:the )?(week|month|quarter|year)`)
)

// startedAsHire: "started" was read as the hires measure (as in "people
// who started in 2025"); in a question about absences it is theirs, and
// it is no longer a hire.
func (st *parseState) startedAsHire() bool {
	for k, it := range st.items {
		if it.n == 1 && reAbsenceStart.MatchString(" "+st.toks[it.pos]+" ") && st.absenceBefore(it.pos) {
			for _, mn := range it.meanings {
				if mn.kind == "measure" && mn.name == "hires" {
					st.items = slices.Delete(st.items, k, k+1)
					return true
				}
			}
		}
	}
	return false
}

// absenceBefore: the words just before position i name an absence
// ("sick leaves that started", "vacations began"), not people
// ("employees who started").
func (st *parseState) absenceBefore(i int) bool {
	k := i - 1
	for k >= 0 && (st.toks[k] == "that" || st.toks[k] == "which" || st.toks[k] == "whose" || st.toks[k] == "have" || st.toks[k] == "had" || st.toks[k] == "ha") {
		k--
	}
	if k < 0 {
		return false
	}
	for _, it := range st.items {
		if k >= it.pos && k < it.pos+it.n {
			for _, mn := range it.meanings {
				if mn.name == "absence_type" || mn.kind == "measure" && strings.HasPrefix(mn.name, "absence") {
					return true
				}
			}
		}
	}
	switch st.toks[k] {
	case "absence", "leave", "vacation", "holiday", "day":
		return true
	}
	return false
}

// absenceStartVerb takes a start verb that follows an absence ("how many
// vacations began in 2025").
func (st *parseState) absenceStartVerb() bool {
	for i, t := range st.toks {
		if !st.used[i] && reAbsenceStart.MatchString(" "+t+" ") && st.absenceBefore(i) {
			st.used[i] = true
			return true
		}
	}
	return false
}

// reAbsenceStart: an absence's first day, as a verb.
var reAbsenceStart = rx(`(?:started|start|starts|starting|began|begun|begin|begins|beginning|commenced)`)

// reStillHere: employed today, said of people.
var reStillHere = rx(`(?:(?:who|that) )?(?:(?:are|is) )?(?:still|currently) (?:employed|here|with us|working here|on staff|on the payroll|with the (?:company|district|firm|business|group|organisation|organization))`)

// reInARow: days or shifts one after another.
var reInARow = rx(`(?:in a row|consecutive|consecutively|back to back|at a stretch|on the trot)`)

// reTwoStatuses: planned and worked hours asked together, which are two
// measures ("compare planned and worked hours").
var reTwoStatuses = rx(`(?:planned|scheduled) (?:and|vs|versus|or|against|compared to|compared with|with) (?:the )?(?:actual |actually )?worked|worked (?:and|vs|versus|or|against|compared to|compared with|with) (?:the )?(?:planned|scheduled)`)

// reAvgOfAvg: "the average of the departments' average hourly wages".
var reAvgOfAvg = rx(`(?:average|mean|avg) of (?:the |all |each |every )?(?:[a-z]+ ){0,3}(?:average|mean|avg)`)

// reTimeOff: being away, which a plan of shifts does not say ("time off
// scheduled next week", "scheduled to be off").
var reTimeOff = regexp.MustCompile(` (?:off|leave|vacation|holiday|absent|away|sick)\b`)

// reRostered: a shift planned for someone ("scheduled", "planned").
// reBreakMinutes: a break measured in time ("minutes of break", "how much
// time on breaks", "how long were the breaks").
var reBreakMinutes = regexp.MustCompile(` (?:minute|min|time|hour|long|length|duration|average|avg|mean)\b| how much `)

// reBreakHours: breaks asked in hours, which scry gives in minutes.
var reBreakMinuteNoun = regexp.MustCompile(` break minute\b| minute of break\b`)

var reBreakHours = regexp.MustCompile(` in hour\b| break hour\b| hour of break\b| hour (?:on|of|spent on) break\b`)

// bareCount are the words of a count that names nothing ("how many?").
var bareCount = map[string]bool{"how": true, "many": true, "much": true, "count": true, "number": true, "total": true, "the": true, "of": true,
	"what": true, "is": true, "are": true, "there": true, "in": true, "all": true, "altogether": true, "overall": true, "so": true, "far": true, "for": true, "on": true, "during": true, "was": true, "were": true}

// reShiftList asks for the shifts themselves: "what's my shift tomorrow",
// "which shifts do I have next week", "show me my shifts", "when is my
// next shift", "when do I work on Friday", "did I work on the 14th".
var reShiftList = regexp.MustCompile(`^ (?:(?:what|which|when) (?:is |are |was |were |will be )?(?:my |our |the |your )?(?:next |upcoming )?(?:[a-z]+ )?shift\b|what shift (?:do|did|am|will|have)\b|(?:show|list|give|tell|get)(?: me| us)? (?:all |the )?(?:my |our |the )?(?:next |upcoming )?(?:[a-z]+ ){0,3}shift\b|(?:my|our) (?:next |upcoming )?shift\b|when (?:do|will|am) (?:i|we) (?:work|start)\b|am i (?:working|scheduled|on shift|on duty)\b|(?:did|do|will) i work\b|what (?:hours|hour|time|times) (?:do|did|will|am) i (?:work|working|start|finish)\b|have i worked\b|was i (?:working|scheduled|on shift|on duty)\b)`)

// reNextShift: the first shift to come ("my next weekend shift").
var reNextShift = regexp.MustCompile(` next (?:[a-z]+ )?shift\b`)

// reMine: the asker's own, in a list of shifts ("what shifts do I have"
// is not a manager's team, as "how many cashiers do I have" is).
var reMine = regexp.MustCompile(` (?:i|me|my|mine)\b`)

// reAskMe: "show me …" asks the asker to be shown, not for their own.
var reAskMe = regexp.MustCompile(`^ (?:show|give|tell|get|list|find|send)(?: me| us) `)

// reMyPeople: "my team", "my staff": the people under the asker.
var reMyPeople = regexp.MustCompile(` my (?:team|staff|people|report|direct report|employee|crew|worker|school|department|store|unit)\b`)

// reDidWork: shifts that were worked, in the past tense.
var reDidWork = regexp.MustCompile(` did\b(?: [a-z0-9]+){0,4} work\b| worked\b`)

// reEachPerson asks for a row for each person.
var reEachPerson = regexp.MustCompile(` (?:each|every) (?:employee|person|worker|staff member|team member|one)\b`)

// reManagerInTheirGroup: a manager ranked by their group's numbers.
var reManagerInTheirGroup = regexp.MustCompile(`\bmanagers?\b.*\b(?:in|across|of|at)\s+(?:their|his|her)\s+(?:department|school|store|location|site|unit)\b`)

// reTwoTeams: two people's teams named in one question.
var reTwoTeams = regexp.MustCompile(`(?:'s|’s)\s+(?:team|staff|reports|direct reports|crew|people|department)\b.*\b(?:and|or|vs|versus|with|to)\b.*(?:'s|’s)\s+(?:team|staff|reports|direct reports|crew|people|department)\b`)

// reReportsWord: reports or subordinates named.
var reReportsWord = regexp.MustCompile(` (?:direct )?(?:report|subordinate)s? `)

// reThirdHas: "how many … does <someone> have"; companyWords are no one.
var (
	reThirdHas   = regexp.MustCompile(`\bhow\s+many\s+[a-z][a-z -]*?\s+(?:does|did)\s+(?:the\s+)?([a-z][a-z' -]*?)\s+(?:have|manage|supervise|oversee)\b`)
	companyWords = map[string]bool{"company": true, "business": true, "firm": true, "district": true, "organisation": true, "organization": true, "group": true, "it": true, "he": true, "she": true}
)

// reOnesPeople: someone's people, said with a possessive.
var reOnesPeople = regexp.MustCompile(`(?:'s|’s)\s+(?:direct\s+)?(?:reports|report|team|staff|people|subordinates|crew)\b`)

// reHaveAsManager: people a named person has as their manager.
var reHaveAsManager = regexp.MustCompile(`\bhow\s+many\s+[a-z][a-z -]*?\s+(?:does|do|did)\s+[a-z][a-z' -]*?\s+(?:have|manage|supervise|oversee|look after)\b|\b(?:employees|people|staff|workers|reports|direct reports|team members)\s+(?:does|do|did)\s+[a-z][a-z' -]*?\s+(?:have|manage|supervise|oversee|look after)\b`)

// reWorkFor: the people who work for someone, whatever is measured of them.
var reWorkFor = regexp.MustCompile(`\b(?:who|that|people|staff|employees|everyone|anyone)\s+(?:work|works|working)\s+for\s+[a-z]+\s+[a-z]+\b`)

// reEachOnesPeople: the people of each person of a position, as written.
var reEachOnesPeople = regexp.MustCompile(`\beach (?:of (?:my|our|the) )?[a-z][a-z ]*?(?:'s|’s|s'|s’) (?:direct )?(?:reports?|team|staff|employees|people|crew)\b|\b(?:staff|people|employees|reports|workers|direct reports)\s+(?:does|do)\s+each\b`)

// reWholeOrder: an order from one end to the other; reTopN: a number of them.
var (
	reWholeOrder = regexp.MustCompile(` in (?:descending|ascending) order\b`)
	reTopN       = regexp.MustCompile(` (?:top|first|bottom|last) \d+\b| \d+ (?:highest|lowest|most|least|best|worst)\b`)
)

// reChangeSize: the size of a change asked ("how much has … changed", "by
// how many", "what was the net change").
var reChangeSize = regexp.MustCompile(` (?:how much|by how (?:much|many)|how big|how large|net change|change in (?:the )?(?:number|headcount))\b`)

// reNoneShare: the words noneInGroups writes.
var reNoneShare = regexp.MustCompile(` where the share of .* is exactly 0\b`)

// reAgainstNow: a period set against today ("compared with now", "vs today").
var reAgainstNow = regexp.MustCompile(` (?:compare|compared|comparing|comparison|versus|vs|against|and) (?:it |that |this )?(?:with |to )?(?:[a-z]+ ){0,2}(?:now|today|right now|the present|present day|currently) ?$| (?:compare|compared|comparing|comparison|versus|vs|against) (?:it |that |this )?(?:with |to )?(?:now|today|right now|the present|present day)\b`)

// reWhoListed: the people themselves are asked for ("who", "list the
// hires", "their names").
var reWhoListed = regexp.MustCompile(`\b(?:who|whom|which|list|name|names|show me the people)\b`)

// reWorkVerb: hours said to be worked, planned or put in, not absent.
var reWorkVerb = regexp.MustCompile(` (?:work|works|worked|working|put in|clock|clocked)\b`)

// reShiftAndAbsence joins a shift and an absence in one condition ("had a
// shift and an absence"), which one measure cannot answer.
var reShiftAndAbsence = regexp.MustCompile(` (?:shift|hour|worked)s? (?:and|or|plus|as well as|but also) (?:an? |any |some |also )?(?:absence|absent|sick|vacation|leave|holiday|time off|day off)\b| (?:absence|sick leave|vacation|leave|holiday|time off|day off)s? (?:and|or|plus|as well as|but also) (?:an? |any |some |also )?(?:shift|worked)\b`)

var reHadSome = regexp.MustCompile(` (?:have|has|had|got|get|take|took|taken) (?:a |an |any |some |at least 1 )?(?:shift|absence|sick|vacation|holiday|leave|time off|day off|overtime)\b| (?:do|did|done|doing) (?:any |some )?overtime\b`)

var reRostered = regexp.MustCompile(` (?:scheduled|rostered|planned|on shift|on duty)\b`)

var reMoreThan = rx(`(more|less|fewer|longer|shorter) (?:(?:` + strings.ReplaceAll(factWordList, " ", "|") + `) )*(?:_ )*than`)

// reBeOut: "teachers who were out on Friday", "who is away today": absent.
var reBeOut = regexp.MustCompile(` (?:is|are|was|were|be|being) (?:out|away)\b`)

// namesBefore: a name stands before re's match ("did Hugo Martin work more
// hours than Lea David"): the names are the subject, compared side by side.
func (st *parseState) namesBefore(re *regexp.Regexp) bool {
	text := st.text()
	loc := re.FindStringIndex(text)
	if loc == nil {
		return false
	}
	at := wordsBefore(text, loc[0])
	for key, sp := range st.valueSpans {
		if key[0] == "name" && sp[1] <= at {
			return true
		}
	}
	return false
}

// positionBefore: the other position is named before "per/each <each>",
// not joined to it ("teachers per principal", not "per cashier and stock
// clerk").
// wholeBefore: the words before token at say "among", "for" or "of" the
// people that follow ("among those older than 60", "for employees older
// than 60").
func wholeBefore(toks []string, at int) bool {
	for k := at - 1; k >= 0 && k >= at-3; k-- {
		switch toks[k] {
		case "among", "for", "of", "amongst":
			return true
		case "those", "the", "employee", "staff", "people", "worker", "them":
			continue
		}
		return false
	}
	return false
}

// readYearly reads a birthday or a work anniversary in a period ("whose
// birthday is next week", "work anniversaries this month"): the people
// whose date falls on a day of the period, in any year (both were
// refused). The period is theirs, not the question's.
func (st *parseState) readYearly() error {
	at := slices.IndexFunc(st.toks, func(w string) bool { return w == "birthday" || w == "anniversary" || w == "anniversarie" })
	if at < 0 || st.used[at] {
		return nil
	}
	if st.q.Time == nil || st.q.Time.Expr == "" || strings.Contains(st.q.Time.Expr, " vs ") {
		return notUnderstoodf("scry reads birthdays and work anniversaries in a period: name one (\"whose birthday is next week\", \"work anniversaries this month\")")
	}
	field := "birth_date"
	if st.toks[at] != "birthday" {
		field = "hire_date"
		if at > 0 && (st.toks[at-1] == "work" || st.toks[at-1] == "job" || st.toks[at-1] == "service" || st.toks[at-1] == "hire" || st.toks[at-1] == "hiring") {
			st.used[at-1] = true
		}
	}
	st.used[at] = true
	st.addCond(Filter{Field: field, Op: "yearly", Values: []string{st.q.Time.Expr}})
	st.q.Time = nil
	return nil
}

// possessorOf is the index in q's filters of the one person named right
// before "'s <position>" ("Nathan Legrand's principal"), or -1.
func possessorOf(q *Query, position []string, lower string) int {
	for k, n := range q.Filters {
		if (n.Field == "name" || n.Field == "first_name") && !n.Negate && len(n.Values) == 1 && len(position) == 1 &&
			strings.Contains(lower, strings.ToLower(n.Values[0])+"'s "+strings.ToLower(position[0])) {
			return k
		}
	}
	return -1
}

// pluralAfter: the words phrase end in lower in a plural ("… teachers").
func pluralAfter(lower, phrase string) bool {
	i := strings.Index(lower, phrase)
	rest := lower[i+len(phrase):]
	return strings.HasPrefix(rest, "s") && (len(rest) == 1 || !isLetter(rest[1])) || strings.HasPrefix(rest, "es") && (len(rest) == 2 || !isLetter(rest[2]))
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' }

// perEvery: the position each is said after "for every" or "for each"
// ("how many waiters for every line cook"), not after "each" alone ("how
// many teachers report to each principal") nor "per", which a manager's
// people are counted by ("number of teachers per principal").
func (st *parseState) perEvery(each string) bool {
	sp, ok := st.valueSpans[[2]string{"position", each}]
	return ok && sp[0] > 1 && st.toks[sp[0]-2] == "for" && (st.toks[sp[0]-1] == "each" || st.toks[sp[0]-1] == "every")
}

// perNoReports: "A per B" of two positions where no A reports to a B
// ("teaching assistants per teacher") is a staffing ratio; where some do
// ("teachers per principal") each B's own A are counted.
func (st *parseState) perNoReports(each, other string) bool {
	sp, ok := st.valueSpans[[2]string{"position", each}]
	return ok && sp[0] > 0 && st.toks[sp[0]-1] == "per" && !st.p.reportsTo[[2]string{other, each}]
}

// anyoneEach: people named by no position are counted for each holder of
// one ("how many employees per Restaurant Manager", "staff for each
// principal").
func (st *parseState) anyoneEach() bool {
	sp, ok := st.valueSpans[[2]string{"position", st.eachPosition}]
	if !ok || sp[0] < 2 {
		return false
	}
	k := sp[0] - 1
	if (st.toks[k] == "every" || st.toks[k] == "each") && st.toks[k-1] == "for" {
		k--
	}
	if k < 1 {
		return false // "for each teacher, …" opens the question: nothing before
	}
	// past "do we have", "are there" ("how many staff do we have per …")
	for k > 1 && (st.toks[k-1] == "have" || st.toks[k-1] == "we" || st.toks[k-1] == "do" || st.toks[k-1] == "are" || st.toks[k-1] == "there" || st.toks[k-1] == "you") {
		k--
	}
	return peopleNouns[singular(st.toks[k-1])] || st.toks[k-1] == "headcount"
}

func (st *parseState) positionBefore(each string) bool {
	sp, ok := st.valueSpans[[2]string{"position", each}]
	if !ok {
		return false
	}
	for key, o := range st.valueSpans {
		if key[0] == "position" && key[1] != each && o[1] < sp[0] && (o[1]+1 >= sp[0] || st.toks[o[1]] != "and" && st.toks[o[1]] != "or") {
			return true
		}
	}
	return false
}

var rePastNotWork = regexp.MustCompile(` (?:did|has|have|had|was|were) not (?:work|worked)\b`)

// wordsBefore is the number of the question's words before byte i of its
// rendered text (which has a word or "_" for every token).
func wordsBefore(text string, i int) int { return len(strings.Fields(text[:i])) }

// valuesJoinedBy: the two values of field f are written side by side, "A
// and B" ("female and male teachers") or "A or B", not each with
// conditions of its own ("women in the Kitchen and men in the Dining
// Room").
func (st *parseState) valuesJoinedBy(f, join string) bool {
	var spans [][2]int
	for key, sp := range st.valueSpans {
		if key[0] == f {
			spans = append(spans, sp)
		}
	}
	if len(spans) != 2 {
		return false
	}
	if spans[0][0] > spans[1][0] {
		spans[0], spans[1] = spans[1], spans[0]
	}
	return spans[1][0] == spans[0][1]+1 && st.toks[spans[0][1]] == join
}

// partValueOfOtherGroup refuses a word that is part of one group's name
// and stands before another kind of group ("the Sales department": "Sales"
// is part of the position Sales Associate, and acme-retail has no Sales
// department). Read as the position, it gave the sales associates grouped
// by department; the asker meant a department that does not exist.
func (st *parseState) partValueOfOtherGroup() error {
	for _, it := range st.items {
		next := it.pos + it.n
		if next >= len(st.toks) {
			continue
		}
		noun := ""
		for _, mn := range st.p.phrases[st.toks[next]] {
			if mn.kind == "dim" && (mn.name == "department" || mn.name == "position" || mn.name == "location") {
				noun = mn.name
			}
		}
		if noun == "" {
			continue
		}
		var part *meaning
		for i, mn := range it.meanings {
			if mn.kind != "value" || mn.name == noun {
				part = nil
				break
			}
			if len(strings.Fields(mn.value)) > it.n {
				part = &it.meanings[i]
			}
		}
		if part != nil {
			return notUnderstoodf("scry knows no %s named %q (%q is part of the %s %s): name a %s scry knows, or ask about the %s %s", noun, st.words[it.pos], st.words[it.pos], part.name, part.value, noun, part.value, part.name)
		}
	}
	return nil
}

// decideOfTwo reads "more" of two alternatives ("which location had more
// sick days, Bordeaux or Toulouse", "do women or men take more sick
// days"): a row for each of the two, in that order; without two values of
// one field the comparison has nothing to compare.
func (st *parseState) decideOfTwo() error {
	field := ""
	for f, vals := range st.filterVals {
		if len(vals) == 2 && !st.negated[f] && f != "status" {
			if field != "" {
				field = "" // two pairs: which is compared?
				break
			}
			field = f
		}
	}
	if field == "" || len(st.dims) > 1 || len(st.dims) == 1 && st.dims[0] != field || !st.isDim(field) {
		return notUnderstoodf("scry did not understand what %q compares: name the two groups (\"which location had more sick days, Bordeaux or Toulouse\")", map[string]string{"desc": "more", "asc": "fewer"}[st.ofTwo])
	}
	if len(st.dims) == 0 {
		st.dims = append(st.dims, field)
	}
	st.q.Order = st.ofTwo
	st.people = false // "which has more part-timers": the two groups, not people
	if len(st.measures) == 0 {
		st.counting = true // more of the people named: a headcount
	}
	return nil
}

func (st *parseState) isDim(field string) bool { _, ok := st.p.model.Dimensions[field]; return ok }

var (
	reListAsked = regexp.MustCompile(` (?:who|whom|which|list|name|names|show|display)\b`)
	reNowWords  = regexp.MustCompile(` (?:right now|now|at the moment|currently|at present|as we speak|as it stands) `)
	reHereWords = regexp.MustCompile(` (?:here|around|about|in|present|in the office|on site|onsite|on) (?:today|now|right now|at the moment|currently)\b`)
)

// twoCountsApart: the fields of the values named right after each of two
// "how many" ("how many part-timers and how many teachers"), or two empty
// strings.
func (st *parseState) twoCountsApart() (string, string) {
	var fields []string
	for h := 0; h+1 < len(st.toks); h++ {
		if st.toks[h] != "how" || st.toks[h+1] != "many" {
			continue
		}
		field := "" // of the words right after "how many" (the first field by name, for one answer every run)
		for key, sp := range st.valueSpans {
			if sp[0] == h+2 && (field == "" || key[0] < field) {
				field = key[0]
			}
		}
		if field != "" {
			fields = append(fields, field)
		}
	}
	if len(fields) != 2 {
		return "", ""
	}
	return fields[0], fields[1]
}

// reBossOfSomething: "the manager of …", "the boss of …"
var reBossOfSomething = regexp.MustCompile(` (?:manager|boss|supervisor|head) of `)

// bossOf: the department's value follows "the manager of", "the boss at",
// "the head of" ("who is the boss of Logistics"), or goes before the word
// ("who is the Kitchen manager").
func (st *parseState) bossOf(dept string) bool {
	sp, ok := st.valueSpans[[2]string{"department", dept}]
	boss := func(w string) bool {
		return w == "manager" || w == "boss" || w == "supervisor" || w == "head" || w == "lead"
	}
	if ok && sp[1] < len(st.toks) && boss(st.toks[sp[1]]) {
		return true // "who is the Kitchen manager"
	}
	k := sp[0] - 1
	if ok && k >= 0 && st.toks[k] == "the" {
		k--
	}
	return ok && k >= 1 && (st.toks[k] == "of" || st.toks[k] == "at" || st.toks[k] == "in" || st.toks[k] == "for") && boss(st.toks[k-1])
}

// payOfAPeriod reads the word the wage was named by: "rate" for a word of
// a rate ("hourly wage", "pay rate", "wage per hour"), "average" for pay
// averaged ("average pay": of a rate, or of each one's pay in the
// period?), "amount" for a word of pay alone ("pay", "wages", "salary"),
// which with a period is an amount paid; "" with no such word.
func (st *parseState) payOfAPeriod() string {
	for k, t := range st.toks {
		if t != "pay" && t != "wage" && t != "salary" {
			continue
		}
		kind := "amount"
		for j := max(k-1, 0); j < min(k+3, len(st.toks)); j++ {
			switch {
			case payRateWords[st.toks[j]] || st.toks[j] == "hour" && (st.toks[j-1] == "per" || st.toks[j-1] == "an" || st.toks[j-1] == "a"):
				// ("pay per hour", not "pay and hours")
				return "rate"
			case payAverageWords[st.toks[j]]:
				kind = "average"
			}
		}
		return kind
	}
	return ""
}

// peopleAwayAt is where a people noun is followed by a word of being
// away ("people off", "staff out sick"), or -1.
func (st *parseState) peopleAwayAt() int {
	for i := 0; i+1 < len(st.toks); i++ {
		j := i + 1
		if st.positionAt(i) {
			j = st.positionEnd(i) // "teachers off last month"
		} else if !peopleNouns[st.toks[i]] || st.toks[i] == "one" {
			continue
		}
		if j < len(st.toks) && awayWords[st.toks[j]] && st.toks[j] != "on" {
			return i
		}
	}
	return -1
}

// oneMeasureAtATime refuses two measures asked side by side, naming both.
func (st *parseState) oneMeasureAtATime(a, b string) error {
	name := func(m string) string {
		if m == "headcount" {
			return "number of employees"
		}
		return plainMeasure(st.p.model, m)
	}
	return notUnderstoodf("scry answers one measure at a time: ask for the %s, then for the %s", name(a), name(b))
}

// Words read once, not for every question: what makes pay a rate or an
// average (payOfAPeriod), and the words of asking that may stand between
// two measures joined by "and" (twoMeasuresJoined).
var (
	payRateWords    = wordSet(`hourly rate`)
	payAverageWords = wordSet(`average avg mean median typical`)
	askingWords     = wordSet(`and the a avg average mean median total sum number of their max maximum min minimum how many much were was worked there is are did do does we they had have took take taken in`)
)

// twoMeasuresJoined finds two different measures asked side by side, joined
// by "and" with only words of asking between ("headcount and avg wage",
// "how many hours were worked and how many shifts", "the average wage and
// the number of people"): a measure's words, a person's number read as
// one ("average age and tenure"), or "headcount". A people noun is a
// headcount only where it is counted ("number of employees and avg wage",
// not "employees and their wages", a list).
func (st *parseState) twoMeasuresJoined() (string, string, bool) {
	var spans []measureSpan
	at := func(i int) bool {
		return slices.ContainsFunc(spans, func(sp measureSpan) bool { return sp.from <= i && i < sp.to })
	}
	for _, sp := range st.measureSpans {
		counted := sp.from >= 2 && (st.toks[sp.from-2] == "number" || st.toks[sp.from-2] == "how" || st.toks[sp.from-2] == "count") ||
			st.toks[sp.from] == "headcount" || st.toks[sp.from] == "head"
		if sp.measure != "headcount" || counted {
			spans = append(spans, sp)
		}
	}
	for i, t := range st.toks {
		if at(i) {
			continue
		}
		if t == "headcount" {
			spans = append(spans, measureSpan{"headcount", i, i + 1})
			continue
		}
		for k, ap := range attrPhrases {
			if ws := attrWords[k]; attributes[ap.attr].measure != "" && i+len(ws) <= len(st.toks) && slices.Equal(st.toks[i:i+len(ws)], ws) {
				spans = append(spans, measureSpan{attributes[ap.attr].measure, i, i + len(ws)})
				break
			}
		}
	}
	slices.SortFunc(spans, func(a, b measureSpan) int { return a.from - b.from })
	for i, a := range spans {
		for _, b := range spans[i+1:] {
			if a.measure == b.measure || b.from <= a.to || b.from-a.to > 6 {
				continue
			}
			gap := st.toks[a.to:b.from]
			if !slices.Contains(gap, "and") || slices.ContainsFunc(gap, func(t string) bool { return !askingWords[t] }) {
				continue
			}
			// whose is an aggregate word: the measure it stands right
			// before ("average age and max tenure": max is the tenure's)
			st.besideAgg = ""
			if k := a.from - 1; k >= 0 && aggWords[st.toks[k]] != "" {
				st.besideAgg = a.measure
			}
			if slices.ContainsFunc(gap, func(t string) bool { return aggWords[t] != "" }) {
				st.besideAgg = b.measure
				if k := a.from - 1; k >= 0 && aggWords[st.toks[k]] != "" {
					st.besideAgg = "both" // "average age and average tenure": each its own, which one query does not hold
				}
			}
			return a.measure, b.measure, true
		}
	}
	return "", "", false
}

// reAskerAway: the question opens on the asker's own absence ("I was off
// sick on 19 November - …").
var reAskerAway = regexp.MustCompile(`^ i (?:was|am|will be|will) (?:off|out|away|absent|sick|ill|on (?:leave|vacation|holiday|sick leave))\b`)

// reManagersManager: two steps up the reporting line ("my manager's
// manager", "the boss of my boss").
var reManagersManager = regexp.MustCompile(` (?:manager|boss|supervisor) (?:manager|boss|supervisor)\b| (?:manager|boss|supervisor) of (?:my|the|his|her|their|our) (?:manager|boss|supervisor)\b`)

// reWithTheir: the people's own attributes asked beside them ("my team
// with their position"), not the groups they fall in.
var reWithTheir = regexp.MustCompile(` (?:with|and) (?:their|his|her) `)

// departmentAlone: the department is the only thing the people are
// picked by, and no word names its people ("Dining Room: who is the
// boss?"); "the managers of the staff in the Dining Room" asks for
// everyone who manages one of them.
func (st *parseState) departmentAlone() bool {
	if slices.ContainsFunc(st.filterOrder, func(f string) bool { return f != "department" }) {
		return false
	}
	return !slices.ContainsFunc(st.toks, func(t string) bool { return peopleNouns[t] })
}

// readRise reads "more … in October than in September": the groups (each
// person, for "which teachers", "who") whose total in the first period is
// above their total in the second. With no groups ("did we have more sick
// days this year than last year") both totals are given, side by side.
func (st *parseState) readRise(people bool) error {
	q := st.q
	ms := st.p.model.Measures[q.Measure]
	if q.Time == nil || !strings.Contains(q.Time.Expr, " vs ") || q.Measure == "" || !factTotal(ms) {
		return notUnderstoodf("scry compares the totals of hours, shifts or absences in two periods (\"which teachers worked more hours in October than in September\"), not %s", measureWords(st.p.model, q.Measure))
	}
	unit := versusUnit(q.Time.Expr)
	q.Dimensions = remove(q.Dimensions, unit) // the two periods are the two columns
	// ("which 5 employees had the biggest increase": a ranking with no
	// group is of people; it was read as the two months, top 5)
	if (q.Kind == "people" || (people || q.Limit > 0 || q.Order != "") && len(q.Dimensions) == 0) && !q.Self && !slices.ContainsFunc(q.Filters, onePerson) {
		q.Kind, q.Dimensions, q.Columns = "groups", []string{"employee"}, nil
		if (st.most || st.least) && q.Limit == 0 {
			q.Limit = 1 // "which employee had the biggest drop": the first (every one was listed)
		}
	}
	if len(q.Dimensions) == 0 || q.Self || slices.ContainsFunc(q.Filters, onePerson) {
		if q.Limit > 0 || q.Order != "" || st.most || st.least {
			return notUnderstoodf("scry ranks the people or groups whose total rose (\"which 5 employees had the biggest increase in hours from September to October\"), not one person's two totals")
		}
		// "did Anna work more in October than in September", "did I…":
		// one person's two totals, not an empty list for "no"
		q.Kind, q.Dimensions, q.Columns = "groups", []string{unit}, nil
		return nil
	}
	q.Rise = st.rise
	return nil
}
