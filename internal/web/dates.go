package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/language"
)

// dateStyle writes dates and times the way a reader's language does: the
// order of day and month, the month's abbreviation, a 12- or 24-hour
// clock. Times are in UTC, named as such: the server does not know the
// reader's time zone.
type dateStyle struct {
	months [12]string
	date   func(day int, month string, year int) string
	clock  func(t time.Time) string
}

func clock24(t time.Time) string { return t.Format("15:04") + " UTC" }

// dateStyles are the languages pages write dates in; the first is the
// default for a reader whose languages are none of these.
var dateStyles = []struct {
	tag   language.Tag
	style dateStyle
}{
	{language.BritishEnglish, dateStyle{[12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
		func(d int, m string, y int) string { return fmt.Sprintf("%d %s %d", d, m, y) }, clock24}},
	{language.AmericanEnglish, dateStyle{[12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
		func(d int, m string, y int) string { return fmt.Sprintf("%s %d, %d", m, d, y) },
		func(t time.Time) string { return t.Format("3:04 PM") + " UTC" }}},
	{language.German, dateStyle{[12]string{"Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."},
		func(d int, m string, y int) string { return fmt.Sprintf("%d. %s %d", d, m, y) }, clock24}},
	{language.French, dateStyle{[12]string{"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."},
		func(d int, m string, y int) string { return fmt.Sprintf("%d %s %d", d, m, y) }, clock24}},
	{language.Spanish, dateStyle{[12]string{"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"},
		func(d int, m string, y int) string { return fmt.Sprintf("%d %s %d", d, m, y) }, clock24}},
	{language.Dutch, dateStyle{[12]string{"jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"},
		func(d int, m string, y int) string { return fmt.Sprintf("%d %s %d", d, m, y) }, clock24}},
	{language.Italian, dateStyle{[12]string{"gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"},
		func(d int, m string, y int) string { return fmt.Sprintf("%d %s %d", d, m, y) }, clock24}},
}

var dateMatcher = func() language.Matcher {
	tags := make([]language.Tag, len(dateStyles))
	for i, s := range dateStyles {
		tags[i] = s.tag
	}
	return language.NewMatcher(tags)
}()

// readerDates is the index in dateStyles of the reader's language, from
// the request's Accept-Language.
func readerDates(r *http.Request) int {
	if r == nil {
		return 0
	}
	tags, _, _ := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	_, i, conf := dateMatcher.Match(tags...)
	if conf == language.No {
		return 0
	}
	return i
}

// at says a time in words: "2 Dec 2026, 05:20 UTC" (en-GB),
// "Dec 2, 2026, 5:20 AM UTC" (en-US), "2. Dez. 2026, 05:20 UTC" (de).
func (s dateStyle) at(t time.Time) string {
	t = t.UTC()
	return s.date(t.Day(), s.months[t.Month()-1], t.Year()) + ", " + s.clock(t)
}

// when is at for a stored time (RFC 3339, as jobs and analyses keep it);
// what is not a time is shown as it is.
func (s dateStyle) when(stored string) string {
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(stored))
	if err != nil {
		return stored
	}
	return s.at(t)
}

// pageSets are the pages parsed for each language's dates, each set on
// first use; the default language's at start-up (a broken template stops
// it there).
var pageSets = make([]struct {
	once  sync.Once
	pages map[string]*template.Template
}, len(dateStyles))

func pagesIn(lang int) map[string]*template.Template {
	set := &pageSets[lang]
	set.once.Do(func() { set.pages = parsePages(dateStyles[lang].style) })
	return set.pages
}
