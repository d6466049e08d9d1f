package ask

import (
	"encoding/json"
	"regexp"
	"strings"
)

// Follow-up questions ("what about last year?", "and for Kiel?", "only
// part-timers", "by position instead") change the previous structured
// query: a period replaces its period, a value replaces the values of the
// same field, a grouping its grouping, a measure its measure, a chart its chart. Every word of
// the follow-up must still be read.

var reFollowUp = rx(`(?:and |but |ok |okay |now )?(?:what about|how about|what of|and for|and in|and at|same for|same but|same with|the same for|only|just|and|but|instead|now|then|for|in)`)

// reFollowStart says a question leans on the one before ("and for Kiel?").
var reFollowStart = regexp.MustCompile(`^ (?:and|but|what about|how about|what of|only|just|same|the same|instead|now|then|ok|okay)\b`)

// reLeansBack: a pronoun for people or things named before.
var reLeansBack = regexp.MustCompile(` (their|them|they|those|these|theirs|he|she|his|her|him)\b`)

// peopleBefore: the words name people ("now list the cashiers and their
// wages": "their" is the cashiers').
func (p *Parser) peopleBefore(text string) bool {
	for _, w := range strings.Fields(text) {
		for _, mn := range p.phrases[w] {
			if mn.kind == "value" {
				return true
			}
		}
		if peopleNouns[w] || p.positionWords[w] || w == "who" || w == "everyone" {
			return true
		}
	}
	return false
}

// Refine reads question as a follow-up of prev. A question that stands on
// its own (it names a measure and does not start like a follow-up) is read
// as a new question.
func (p *Parser) Refine(question string, prev *Query, visible map[string]bool) (*Query, error) {
	toks, words := normalizeWords(p.expandAcronyms(question))
	toks = p.correct(toks, words)
	joined := " "
	for _, t := range toks {
		joined += t + " "
	}
	if loc := reLeansBack.FindStringSubmatchIndex(joined); prev == nil && loc != nil && reFollowStart.MatchString(joined) && !p.peopleBefore(joined[:loc[0]]) {
		m := []string{"", joined[loc[2]:loc[3]]}
		// "what about their hourly wages?" with nothing asked before: whom
		// "their" means is not in the question, and everyone is a guess
		return nil, notUnderstoodf("%q points back to an earlier question, and there is none here: ask it in full, e.g. \"What are the hourly wages of the cashiers?\"", m[1])
	}
	if prev == nil || !reFollowStart.MatchString(joined) {
		if q, err := p.ParseFor(question, visible); err == nil || prev == nil {
			return q, err
		}
	}
	// the chart first: "and in a table" is not "and in" a place
	toks, words, chart, asked := p.withoutChart(question, toks, words)
	st := &parseState{p: p, question: question, toks: toks, words: words, used: make([]bool, len(toks)), q: &Query{Chart: chart},
		filterVals: map[string][]string{}, negated: map[string]bool{}, visible: visible, chartAsked: asked}
	for st.take(reFollowUp) != nil {
	}
	for _, step := range []func(*parseState) error{
		(*parseState).readDomain, (*parseState).readPersonDates, (*parseState).readTime, (*parseState).readDays, (*parseState).readClock,
		(*parseState).readReporting, (*parseState).readComparisons, (*parseState).readNamed, (*parseState).readNamePatterns,
		(*parseState).readAttrConditions, (*parseState).readHaving, (*parseState).readExtremes, (*parseState).readOrder,
		(*parseState).readFlags, (*parseState).readWords,
	} {
		if err := step(st); err != nil {
			return nil, err
		}
	}
	q := copyQuery(prev)
	// a chart asked for once is that answer's, not every later one's
	q.Chart = st.q.Chart
	changed := st.chartAsked
	if st.q.Time != nil {
		q.Time, changed = &TimeRange{Expr: st.q.Time.Expr}, true
	} else if q.Time != nil {
		q.Time = &TimeRange{Expr: q.Time.Expr}
	}
	var news []Filter
	news = append(news, st.q.Filters...)
	for _, f := range st.filterOrder {
		news = append(news, Filter{Field: f, Values: st.filterVals[f], Negate: st.negated[f]})
	}
	for _, nf := range news {
		var keep []Filter
		for _, f := range q.Filters {
			if f.Field != nf.Field || f.Op != nf.Op {
				keep = append(keep, f)
			}
		}
		q.Filters, changed = append(keep, nf), true
	}
	if len(st.dims) > 0 {
		q.Dimensions, changed = st.dims, true
		if q.Kind == "number" {
			q.Kind = "groups"
		}
	}
	for _, m := range st.measures {
		if m != "headcount" && m != q.Measure {
			q.Measure, changed = m, true
		}
	}
	if st.q.Order != "" || st.q.Limit > 0 {
		// "what about the top 5?" after "the second most": a new ranking
		q.Order, q.Limit, q.Offset, changed = st.q.Order, st.q.Limit, 0, true
		if st.ordinal > 0 && q.Limit == 1 {
			q.Offset = st.ordinal - 1
		}
	}
	for i, it := range st.items {
		_ = i
		if len(it.meanings) > 0 && !st.used[it.pos] {
			st.use(it.pos, it.pos+it.n) // a dimension word named with its value ("the Kiel store")
		}
	}
	if err := st.account(); err != nil {
		return nil, err
	}
	if !changed {
		return nil, notUnderstood("As a follow-up, name what changes: a period (\"what about last year?\"), a group (\"and for Kiel?\") or a grouping (\"by position\").")
	}
	return q, nil
}

// copyQuery is a deep copy (the previous query may be shared).
func copyQuery(q *Query) *Query {
	b, _ := json.Marshal(q)
	var out Query
	json.Unmarshal(b, &out)
	return &out
}
