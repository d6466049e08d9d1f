package ask

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

var contractions = strings.NewReplacer(
	"s's", "s", "’", "'", "‘", "'", "what's", "what is", "who's", "who is", "how's", "how is", "where's", "where is",
	"when's", "when is", "that's", "that is", "there's", "there is", "it's", "it is", "here's", "here is",
	"let's", "let us", "won't", "will not", "can't", "cannot", "n't", " not", "'re", " are", "'ve", " have",
	"'ll", " will", "'d", " would", "'m", " am", "'s", "", "s'", "s",
)

// bareNegations are contractions typed without their apostrophe: "arent"
// is "are not", never a typo of "agent".
var bareNegations = map[string]string{"arent": "are not", "isnt": "is not", "wasnt": "was not", "werent": "were not",
	"dont": "do not", "doesnt": "does not", "didnt": "did not", "havent": "have not", "hasnt": "has not", "hadnt": "had not",
	"wont": "will not", "cant": "cannot", "couldnt": "could not", "shouldnt": "should not", "wouldnt": "would not"}

// numberWordRE matches the number words of numberWords that are one word.
const numberWordRE = `(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|twenty|thirty|forty|fifty|sixty|hundred)`

var numberWords = map[string]string{
	"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
	"nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14", "fifteen": "15",
	"sixteen": "16", "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "hundred": "100",
	"a couple": "2", "couple": "2", "a few": "3",
}

var (
	reISODate = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`)
	// "2026-09" is a month; "26/11/2026" a day, when which number is the
	// day is plain (over 12); "Aug '26" a month of 2026
	reISOMonth    = regexp.MustCompile(`\b((?:19|20)\d{2})-(0[1-9]|1[0-2])(-\d{1,2})?\b`)
	reSlashNoYear = regexp.MustCompile(`(^|[^\w/.])(\d{1,2})/(\d{1,2})($|[^\w/])`)
	reSlashDate   = regexp.MustCompile(`\b(\d{1,2})[/.](\d{1,2})[/.]((?:19|20)\d{2})\b`)
	reShortYear   = regexp.MustCompile(`\b(` + monthWordRE + `)\.? '(\d{2})\b`)

	reNonWord = regexp.MustCompile(`[^a-z0-9%]+`)
	// "37.5 hours" is one number, which the split on other signs would cut
	// in two; "37,5 hours" (a decimal comma) too, before a unit
	reDecimal      = regexp.MustCompile(`\b(\d+)\.(\d+)\b`)
	reDecimalComma = regexp.MustCompile(`\b(\d+),(\d{1,2}) ?(€|%|h\b|hrs?\b|hours?\b|days?\b|percent\b|euros?\b|eur\b)`)
	reDecimalToken = regexp.MustCompile(`^n(\d+)p(\d+)$`)
	reOrdinal      = regexp.MustCompile(`\b(\d{1,2})(st|nd|rd|th)\b`)
)

// keepWords are never singularised (their final s is not a plural).
var keepWords = map[string]bool{
	"this": true, "his": true, "is": true, "was": true, "has": true, "does": true, "us": true, "status": true,
	"less": true, "across": true, "always": true, "paris": true, "plus": true, "bonus": true, "campus": true,
	"alias": true, "basis": true, "thus": true, "yes": true, "its": true, "analysis": true, "whereas": true,
	"series": true, "species": true, "xmas": true, "christmas": true, "news": true, "business": true, "previous": true, "various": true,
}

// shorthand people type for words of the model
var shorthand = map[string]string{"ids": "id", "ppl": "people", "hrly": "hourly", "hrs": "hour", "yrs": "year", "yr": "year",
	"mins": "minute", "dept": "department", "depts": "department", "emp": "employee", "emps": "employee", "mgr": "manager", "mgrs": "manager", "qtr": "quarter", "qtrs": "quarter", "wk": "week", "wks": "week",
	"tmrw": "tomorrow", "tmr": "tomorrow", "tmw": "tomorrow", "tmrow": "tomorrow", "tmoro": "tomorrow", "2moro": "tomorrow", "2morrow": "tomorrow",
	"ot": "overtime", "collaborator": "employee", "collaborators": "employee", "hc": "headcount", "loc": "location", "locs": "location", "lv": "leave", "lvs": "leave", "folks": "people", "guys": "people", "peeps": "people", "yday": "yesterday", "yest": "yesterday",
	"nxt": "next", "lst": "last", "mnth": "month", "mth": "month", "mths": "month", "mnths": "month", "wkend": "weekend", "wknd": "weekend", "wkends": "weekend", "wknds": "weekend", "wkday": "weekday", "wkdays": "weekday", "tdy": "today", "2day": "today",
	"vacay": "vacation", "vacays": "vacation", "len": "length", "ive": "i",
	"tomorow": "tomorrow", "tommorow": "tomorrow", "tommorrow": "tomorrow", "yesterdy": "yesterday", "yestarday": "yesterday"}

// reTyped are signs typed for words: "w/ more than 10 sick days", "w/o
// a manager", "# of cashiers", "more than 38h".
// periodRE is a period named on its own: "October", "Q3 2025", "2025",
// "last month", "the month before".
var periodRE = `q[1-4](?: (?:19|20)\d\d)?|(?:19|20)\d\d|` + monthWordRE + `(?: (?:19|20)\d\d)?|(?:last|this|previous|the previous) (?:week|month|quarter|year)|the (?:week|month|quarter|year) before`

// purposeNouns are what a question is asked for ("… for the planning",
// "trying to sort out cover -"): words that name no condition, so the
// clause holding them may be set aside (a place or a period may not)
const purposeNouns = `planning|plan|plans|cover|rota|rotas|roster|rosters|schedule|schedules|scheduling|staffing|payroll|budget|budgets|report|reports|reporting|meeting|review|deck|slides|presentation|forecast|audit|figures|numbers|records|file|files|admin|paperwork|boss|manager|management|board|team meeting|things|stuff`

var reTyped = []struct {
	re  *regexp.Regexp
	out string
}{
	{regexp.MustCompile(`\bw/o\b`), " without "},
	{regexp.MustCompile(`\bw/`), " with "},
	{regexp.MustCompile(`# *(?:of\b)?`), " number of "},
	// "3+ sick leaves", "aged 50+": at least; "names + end dates": and
	{regexp.MustCompile(`\b(\d+)\+(\s|$|/)`), " at least $1$2"},
	{regexp.MustCompile(`\s\+\s`), " and "},
	// "active employees with 0 worked shifts": none
	{regexp.MustCompile(`\b(with|had|have|has) (?:0|zero) `), " $1 no "},
	// "anyone off next month?", "anyone on my team off tmrw": who is
	{regexp.MustCompile(`^\s*(?:is |are )?(?:there )?(?:anyone|anybody|someone|somebody)((?: (?:on|in|from|of) (?:my|our|the) [a-z]+)?) (off|out sick|away|absent|on (?:leave|vacation|holiday|sick leave)|sick)\b`), " who$1 is $2 "},
	// "hrs by site this month vs last": the same kind of period before
	{regexp.MustCompile(`\b(this|last) (week|month|quarter|year|wk|mth|mnth|qtr|yr)\b([^?.!]*?) (vs\.?|versus|compared (?:to|with)) (?:the )?(last|previous|prior)\s*([?.!,;]|$)`), " $1 $2$3 $4 $5 $2 $6"},
	// a spreadsheet's or SQL's words: "group by", "count(shifts)",
	// "avg(hourly_wage)", "by department, contract_type"
	{regexp.MustCompile(`\bgroup(?:ed)?\s+by\b`), " by "},
	{regexp.MustCompile(`\bcount\(\s*([a-z]+)\s*\)`), " $1 "},
	{regexp.MustCompile(`\b(avg|average|sum|total|max|maximum|min|minimum|median)\(\s*([a-z][a-z_ ]*?)\s*\)`), " $1 $2 "},
	{regexp.MustCompile(`\b(by|per)\s+([a-z]+(?:[_ ]type)?),\s*(department|dept|position|role|job|location|site|store|school|contract[_ ]type|gender|manager|month|week|quarter|year|day|weekday)\b`), " $1 $2 and $3 "},
	// "who are 35 or older": an age, whatever the measure
	{regexp.MustCompile(`\b(?:aged\s+)?(\d+|` + numberWordRE + `)\s+(?:years?\s+old\s+)?or\s+older\b`), " aged at least $1 "},
	{regexp.MustCompile(`\b(?:aged\s+)?(\d+|` + numberWordRE + `)\s+(?:years?\s+old\s+)?or\s+younger\b`), " aged at most $1 "},
	// "50 and over", "aged 30-39", "under-25s", "in their thirties": ages
	{regexp.MustCompile(`\b(\d+|` + numberWordRE + `)\s+((?:hours?|hrs?|days?|shifts?)\s+)and\s+(?:over|above|up|more)\b`), " at least $1 $2 "},
	{regexp.MustCompile(`\b(?:are|is|am|aged)\s+(\d+|` + numberWordRE + `)\s+(?:years?\s+old\s+)?and\s+(?:over|above|up|older)\b`), " aged at least $1 "},
	{regexp.MustCompile(`\baged\s+(\d+)\s*(?:-|–|to)\s*(\d+)\b`), " aged between $1 and $2 "},
	// "between 25 and 35 years old", "30 to 40 years of age": ages
	{regexp.MustCompile(`\b(?:between\s+)?(\d{1,2})\s*(?:-|–|to|and)\s*(\d{1,2})\s+years?(?:\s+old|\s+of\s+age)\b`), " aged between $1 and $2 "},
	{regexp.MustCompile(`\bunder[- ]?(\d{2})s\b`), " aged under $1 "},
	{regexp.MustCompile(`\bover[- ]?(\d{2})s\b`), " aged at least $1 "}, // "the over-50s" are 50 and older
	// money: "€15/h", "15 euros an hour", "earns more than $22 per hour"
	{regexp.MustCompile(`(?:€|\$|£)\s*(\d+(?:\.\d+)?)`), " $1 "},
	{regexp.MustCompile(`\b(\d+(?:\.\d+)?)\s*(?:€|euros?|eur|dollars?|£|pounds?)(?:\s|$)`), " $1 "},
	{regexp.MustCompile(`\b(?:earn|earns|earning|make|makes|making|paid|on|rate|pay)\s+(more\s+than|less\s+than|over|under|above|below|at\s+least|at\s+most)\s+(\d+(?:\.\d+)?)\s*(?:/\s*(?:h|hr|hour)\b|an\s+hour|a\s+hour|per\s+hour|hourly)`), " hourly wage $1 $2 "},
	// counts in words: "a couple of", "a dozen", "two dozen"
	{regexp.MustCompile(`\ba couple of\b`), " 2 "},
	{regexp.MustCompile(`\bhalf a dozen\b`), " 6 "},
	{regexp.MustCompile(`\b(?:a|one) dozen\b`), " 12 "},
	{regexp.MustCompile(`\btwo dozen\b`), " 24 "},
	// "60 or older", "40 hours or more": at least; "10 or fewer": at most
	{regexp.MustCompile(`\b(\d+(?:\.\d+)?|` + numberWordRE + `) ((?:hours?|hrs?|years?(?: old)?|days?|shifts?) )?or (?:more|older|above|over|greater|higher|longer|plus)\b`), " at least $1 $2 "},
	{regexp.MustCompile(`\b(\d+(?:\.\d+)?|` + numberWordRE + `) ((?:hours?|hrs?|years?(?: old)?|days?|shifts?) )?or (?:less|fewer|younger|below|under|lower|shorter)\b`), " at most $1 $2 "},
	// the words of everyday speech for readings scry has
	{regexp.MustCompile(`\b(?:at the moment|as of now|as we speak|as things stand|at present|presently|rn)\b`), " right now "},
	// "week by week" (the same unit twice; "this year by month" is by month)
	{regexp.MustCompile(`\b(?:(day)[ -]by[ -]day|(week)[ -]by[ -]week|(month)[ -]by[ -]month|(quarter)[ -]by[ -]quarter|(year)[ -]by[ -]year)\b`), " per $1$2$3$4$5 "},
	{regexp.MustCompile(`\b(day|week|month|quarter|year)[ -](?:to|on)[ -](?:day|week|month|quarter|year)\b`), " per $1 "},
	// "headcount at the end of each month", "at month end": per month (a
	// headcount per month is taken on each one's last day)
	{regexp.MustCompile(`\b(?:at|on|by) (?:the )?end of (each|every)\b`), "$1"},
	{regexp.MustCompile(`\b(?:at|on) (?:each |every )?(week|month|quarter|year)[ -]end\b`), " per $1 "},
	{regexp.MustCompile(`\b(?:each|every one) of the (last|past|previous) (\d+|` + numberWordRE + `) (day|week|month|quarter|year)s\b`), " per $3 over the $1 $2 ${3}s "},
	// "span of control": how many report to each manager directly
	{regexp.MustCompile(`^\s*span of control\s*[:\-–—]\s*`), " "},
	{regexp.MustCompile(`\bspan of control (?:for|of|per|by) (?:each|every) `), " number of direct reports per "},
	{regexp.MustCompile(`\b(hires?|starters?|joiners?) (?:did|have|has) (?:we|you|they|the company|the district) (?:make|made|do|done)\b`), " $1 "},
	// "who is actually in sick leave": the present, as "currently" (the
	// word's sense in the speaker's first language); "parity of gender"
	{regexp.MustCompile(`\b(is|are) actually\b`), " $1 currently "},
	{regexp.MustCompile(`\bactual (employees?|staff|headcount|workforce|team)\b`), " current $1 "},
	{regexp.MustCompile(`\b(?:parity|balance) (?:of|between) (?:the )?(?:genders?|sexes|sex)\b`), " gender parity "},
	// "gender balance", "contract mix": the split by that attribute (a
	// "balance" was read as a leave balance)
	{regexp.MustCompile(`\b(gender|sex|contract|contract type)\s+(?:balance|mix|split|make-up|makeup)\b`), " $1 split "},
	// English as its European speakers often write it: "on 2025" (in),
	// "18h30" and "8h00" (18:30), "works by us" (here), "since 10 years"
	// (for), "made hours" (worked), "the most young", "repartition",
	// "wage per hour", "collaborators", "the begin of"
	{regexp.MustCompile(`\bon ((?:19|20)\d\d)\b`), " in $1 "},
	{regexp.MustCompile(`\b(before|after|from|at|until|till|by|past|to) ([01]?\d|2[0-4])h([0-5]\d)\b`), " $1 $2:$3 "},
	{regexp.MustCompile(`\b(before|after|from|at|until|till|by|past|to) ([01]?\d|2[0-4])h\b`), " $1 $2:00 "},
	{regexp.MustCompile(`\b(?:by|at|with) us\b`), " here "},
	{regexp.MustCompile(`\bsince (at least |more than |over |less than )?(\d+|` + numberWordRE + `) years?\b`), " for $1$2 years "},
	{regexp.MustCompile(`\b(?:made|make|makes|making|done|did|do|does) (the most |the fewest |the least |more |fewer |less |most )?hours\b`), " worked ${1}hours "},
	{regexp.MustCompile(`\b(?:the )?most (young|old)\b`), " the ${1}est "},
	{regexp.MustCompile(`\brepartition\b`), " breakdown "},
	{regexp.MustCompile(`\b(?:wages?|salary|salaries|pay) (?:per|by the|an) hour\b`), " hourly wage "},
	{regexp.MustCompile(`\bthe begin(?:ning)? of\b`), " the start of "},
	{regexp.MustCompile(`\b(since|from|until|till|before|after|on)\s+the\s+(d\d{4}x\d\dx\d\d)\b`), " $1 $2 "},
	// "how many full years have I worked here": the years asked after the
	// question, where the tenure's unit is read ("… in full years")
	{regexp.MustCompile(`\bhow many (full|whole|complete|completed) years\b([^?.!]*)`), " how many years$2 in $1 years "},
	// "how long had they been with us when they left": the tenure runs to
	// the day they left already
	{regexp.MustCompile(`\b(how long (?:have|has|had) (?:they|he|she) (?:been|worked|stayed)\b[^?.!]*?)\s+(?:at the time |when )(?:they|he|she) (?:left|quit)\b`), "$1"},
	// "for the people who left this year, how long had they been with us":
	// theirs, the people named before
	{regexp.MustCompile(`\bhow (?:long|many years) (?:have|has|did|had) (?:they|he|she)\s+(?:been\s+)?(?:(?:working|worked|work|employed|been|stayed|stay)\s+)?(?:here|for (?:us|the company)|with (?:us|the company)|at (?:the|this) (?:company|firm|school|district|restaurant|hotel|store))\b`), " what is their tenure "},
	// "how long have I been working here": tenure, not an absence's
	// length; "how many people work here": employed, not on shift today
	{regexp.MustCompile(`\bhow (?:long|many years) (?:have|did|had) i\s+(?:been\s+)?(?:(?:working|worked|work|employed|been)\s+)?(?:here|for (?:us|the company)|with (?:us|the company)|at (?:the|this) (?:company|firm|school|district|restaurant|hotel|store))\b`), " what is my tenure "},
	{regexp.MustCompile(`\bhow (?:long|many years) (?:have|has|did|had) ([a-z][a-z'-]*(?:\s+[a-z][a-z'-]*){0,6}?)\s+(?:been\s+)?(?:(?:working|worked|work|employed|been|stayed|stay)\s+)?(?:here|for (?:us|the company)|with (?:us|the company)|at (?:the|this) (?:company|firm|school|district|restaurant|hotel|store))\b`), " what is the tenure of $1 "},
	// "how long Nora David is working here", "how long is she working
	// for us": the stay so far, with no auxiliary of the past (it was read
	// as an absence's length, or as her hours)
	{regexp.MustCompile(`\bhow (?:long|many years) (?:(?:is|are|am|was|were) )?([a-z][a-z'-]*(?:\s+[a-z][a-z'-]*){0,6}?)\s+(?:(?:is|are|am|was|were|has|have)\s+)?(?:been\s+)?(?:working|worked|work|works|employed|stayed)\s+(?:here|for (?:us|the company)|with (?:us|the company)|at (?:the|this) (?:company|firm|school|district|restaurant|hotel|store))\b`), " what is the tenure of $1 "},
	{regexp.MustCompile(`\bwhat is the tenure of i\b`), " what is my tenure "},
	// "the teachers of me": mine, as the asker's own words or team
	{regexp.MustCompile(`\b(?:the |all )?([a-z]+) of me\b`), " my $1 "},
	{regexp.MustCompile(`\b(?:work|works) (?:here|for us|with us|at (?:the|this) (?:company|firm|school|district|restaurant|hotel|store))\b`), " are employed "},
	{regexp.MustCompile(`\bwho is in (today|tomorrow|tonight|yesterday|this|next|on)\b`), " who is working $1 "},
	// "since I started": all of the asker's data, which begins then;
	// "… ? by how much": the amount, which the answer is
	{regexp.MustCompile(`\bsince i (?:started|joined|began|was hired|got hired|came)(?: here)?\b`), " "},
	{regexp.MustCompile(`[\s?.,!]+(?:and )?by how much\s*\??\s*$`), " "},
	// "did I work on the 14th": a day of the month with no month (one
	// with a month beside it was read above)
	{regexp.MustCompile(`\bon the (\d{1,2})(?:st|nd|rd|th)\b`), " on dom$1 "},
	// "sat the 28th", "friday 14th": the day of the month, whose weekday
	// must agree (a bare "sat 28" may be a number of something); one word,
	// which no rule of weekdays reads as this week's or the next one
	{regexp.MustCompile(`\b(?:on\s+)?(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\.?\s+(?:the\s+(\d{1,2})(?:st|nd|rd|th)?|(\d{1,2})(?:st|nd|rd|th))\b(\s*(?:[?.!,;]|$)|\s+(?:in|at|for|and|or|who|shift|shifts|please)\b)`), " on dom${2}${3}w${1}$4"},
	// "which store had the most sick days, and how many?": the amount is
	// what the answer gives beside each
	{regexp.MustCompile(`[\s?.,!;]+and how (?:many|much)(?: (?:was it|were there|were they|is it|are they|did they have|of them))?\s*\??\s*$`), " "},
	// words of the rest of a period: "between now and year end"
	{regexp.MustCompile(`\b(?:between now and|from (?:now|today) (?:to|until|till)|until|till|up to|through) (?:the )?(?:(year|month|week) end|end of (?:the |this )?(year|month|week)|(year|month|week)'?s end)\b`), " the rest of this $1$2$3 "},
	{regexp.MustCompile(`\b(?:(?:hired|joined)\s+(?:the\s+)?most\s+recently|most\s+recently\s+(?:hired|joined))\b`), " the most recent hire "},
	// "10+ years", "40+ hours": at least
	{regexp.MustCompile(`\b(\d+)\+ ?(years?|yrs?|hours?|hrs?|h|days?|shifts?|employees?|people|staff)\b`), " at least $1 $2 "},
	{regexp.MustCompile(`\b(with us|here|employed)\s+(at least|more than|over|under|less than|fewer than) (\d+ (?:years?|yrs?))\b`), " $1 for $2 $3 "},
	{regexp.MustCompile(`\b(years?|yrs?) service\b`), " $1 of service "},
	{regexp.MustCompile(`\b(?:company|district|org|organi[sz]ation|business|group|chain|network|firm|estate)[- ]wide\b`), " "},
	{regexp.MustCompile(`^\s*(?:pull|bring|call) up\b`), " show "},
	// "did anyone on my team start before 7:30": who did (the yes is
	// theirs; the verb stays for its tense)
	{regexp.MustCompile(`^\s*(did|has|have|is|was|were|will) (?:anyone|anybody|someone|somebody)\b`), " who $1 "},
	// "which of my stores": the groups (the asker's scope is theirs anyway),
	// not the asker's team as people
	{regexp.MustCompile(`\bwhich (?:one )?of (?:my|our|the) (stores?|schools?|sites?|locations?|restaurants?|hotels?|offices?|departments?|depts?|branches)\b`), " which $1 "},
	// verbs of work by trade: "who taught remotely", "shifts we ran"
	{regexp.MustCompile(`\btaught\b`), " worked "},
	{regexp.MustCompile(`\b(did|do|does|will) (we|they|you|i) run\b`), " $1 $2 have "},
	{regexp.MustCompile(`\b(shifts?)((?: that| which)?) (?:ran|run|runs|running|lasted|lasting|went|go|going) (over|longer than|more than|under|less than|shorter than) (\d)`), " $1$2 $3 $4"},
	// "what share of hours came from part-timers": worked by them (not
	// "employees who came from Bordeaux")
	{regexp.MustCompile(`\b((?:hours?|shifts?|days?|absences?|leaves?|time|cost)(?: [a-z]+){0,4}?) (?:came|come|comes|coming) from\b`), " $1 by "},
	{regexp.MustCompile(`\bever (worked|done|had|taken|been|started)\b`), " $1 "},
	// "the longest shift I have worked": the asker's, not "the people I have"
	{regexp.MustCompile(`\bi\s+have\s+(worked|done|taken|had|started|called|phoned|put)\b`), " i $1 "},
	// a break is unpaid by definition, never unpaid leave
	{regexp.MustCompile(`\bunpaid (breaks?|break time|break minutes)\b`), " $1 "},
	// "how many of my receptionists' shifts": the shifts, not the people
	{regexp.MustCompile(`\bhow many of (my|our|the) ([a-z]+s) shifts\b`), " how many shifts of $1 $2 "},
	{regexp.MustCompile(`\bschool days?\b`), " day "},
	// a chat's greeting and thanks carry no part of the question
	{regexp.MustCompile(`^\s*(?:(?:hey|hi|hello|ok|okay|quick one|quick question)\b|(?:good )?(?:morning|afternoon|evening)\s*[!,.:\-–—])[\s,!:.\-–—]*(?:(?:hey|hi|hello|quick one|quick question)\b[\s,!:.\-–—]*)*`), " "},
	// "Alice from the Dining Room here.", "Manon here from Birch Middle
	// School,": who is asking, no condition (it was read as people named
	// Alice, or the asker alone); the asker's scope says whose data
	{regexp.MustCompile(`^\s*(?:again\s*[,.!]\s*)?(?:it'?s |this is )?[a-z]+(?: [a-z]+)? (?:here(?: from (?:the )?[a-z][a-z ]{0,40}?)?|from (?:the )?[a-z][a-z ]{0,40}? here)\s*[.,!:;—–-]\s*`), " "},
	{regexp.MustCompile(`[\s,!.]*\b(?:pls|plz|please|thanks|thank you|thx|ty|cheers|lol)\b[\s!.?]*$`), " "},
	{regexp.MustCompile(`\batm\b`), " right now "},
	{regexp.MustCompile(`\b([a-z]+s) r\b`), " $1 are "},
	{regexp.MustCompile(`\b(?:currently )?active (employees?|staff|people|workers?|workforce|headcount|team members?|personnel|members? of staff)\b`), " current $1 "},
	// "Q2 and Q3 2026": the year is both quarters'
	{regexp.MustCompile(`\bq([1-4]) (and|vs\.?|versus|or|to|with) q([1-4]) ((?:19|20)\d\d)\b`), " q$1 $4 $2 q$3 $4 "},
	{regexp.MustCompile(`\b(?:is |are |gets? |got )?paid the (most|least|highest|lowest) (?:per hour|an hour|hourly|by the hour)\b`), " has the $1 hourly wage "},
	{regexp.MustCompile(`\bthe (?:greatest|highest|largest|biggest) (?:number|count) of\b`), " the most "},
	{regexp.MustCompile(`\bthe (?:lowest|smallest) (?:number|count) of\b`), " the fewest "},
	{regexp.MustCompile(`^\s*where (?:do|does) (?:the )?(most|least|fewest) (staff|employees|people|workers) work\b`), " which location has the $1 $2 "},
	{regexp.MustCompile(`\b(?:lined up|on the rota|on the roster|rostered)\b`), " scheduled "},
	{regexp.MustCompile(`\b(most|least) (?:often|frequently|common)\b`), " $1 "},
	{regexp.MustCompile(`\b(?:phoned|rang|rung|phones|rings) in sick\b`), " called in sick "},
	{regexp.MustCompile(`\b([ap])\.m\.?`), "${1}m"},
	{regexp.MustCompile(`\b(?:wrkd|workd|wrked|wkd)\b`), " worked "},
	{regexp.MustCompile(`\b(?:racked|rack|racks|racking|clocked|clock|clocks|notched|chalked) up\b`), " "},
	{regexp.MustCompile(`\bstack(?:ed|s)? up (?:against|to|with)\b`), " vs "},
	{regexp.MustCompile(`\bfell on\b`), " were on "},
	{regexp.MustCompile(`\b(?:did|do) (i|you|we|they|he|she) (?:teach|taught)\b`), " did $1 work "},
	{regexp.MustCompile(`\b(am i|are we|are you|is she|is he) down for\b`), " $1 scheduled for "},
	{regexp.MustCompile(`\bbreak (.{1,40}?) down by\b`), " $1 by "},
	// "how many distinct employees worked": people are counted once anyway
	{regexp.MustCompile(`\b(?:distinct|different|unique|individual) (employees?|people|persons?|staff|workers?|members? of staff|team members?)\b`), " $1 "},
	// "which of the last 8 weeks had the most hours": which week, in them
	{regexp.MustCompile(`\bwhich (?:one )?of the (last|past|previous) (\d+|two|three|four|five|six|seven|eight|nine|ten|twelve) (day|week|month|quarter|year)s\b`), " which $3 in the $1 $2 ${3}s "},
	{regexp.MustCompile(`\b(\d{1,2}(?::\d{2})?) (?:o'?clock )?in the morning\b`), " $1 am "},
	{regexp.MustCompile(`\b(\d{1,2}(?::\d{2})?) (?:o'?clock )?(?:in the (?:afternoon|evening)|at night)\b`), " $1 pm "},
	{regexp.MustCompile(`\b([a-z]+) ?/ ?(week|wk|day|month|shift|person|employee|head)\b`), " $1 per $2 "},
	{regexp.MustCompile(`\b(\d+(?:\.\d+)?) ?(?:h|hr|hrs)\b`), " $1 hour "},
	// a dashboard's shorthand: "hours mtd", "sick days wtd"
	{regexp.MustCompile(`\b(?:mtd|month[- ]to[- ]date)\b`), " this month "},
	{regexp.MustCompile(`\b(?:wtd|week[- ]to[- ]date)\b`), " this week "},
	{regexp.MustCompile(`\b(?:qtd|quarter[- ]to[- ]date)\b`), " this quarter "},
	// "the last 2 full weeks": the last N weeks are whole ones already
	{regexp.MustCompile(`\b(last|past|previous) ((?:\d+|two|three|four|five|six|seven|eight|nine|ten|twelve) )?(?:full|complete|whole|entire) (day|week|month|quarter|year)`), " $1 $2$3"},
	// "from Oct 5th through Oct 18th", "Monday thru Friday": to
	{regexp.MustCompile(`\b(from|between) ((?:[a-z0-9]+ ){1,4}?)(?:through|thru)\b`), " $1 $2 to"},
	// "1 September 2026": the month first, as scry reads a day ("September
	// 1 2026"); "the 2nd of November" is read as it is
	{regexp.MustCompile(`\b(\d{1,2})(?:st|nd|rd|th)? (` + monthWordRE + `)\b\.?(,? (?:19|20)\d\d\b)?`), " $2 $1$3 "},
	// "each of my people": one row for each of them
	{regexp.MustCompile(`\beach of (my|our) (people|staff|employees|team members|reports|direct reports|workers|team)\b`), " each employee of $1 $2 "},
	// the other words of an exception: "besides Lucie", "apart from me",
	// "leave out Logistics", "… , dishwashers aside"
	{regexp.MustCompile(`\b(?:besides|apart from|aside from)\b`), " except "},
	{regexp.MustCompile(`(^|[,;:(]|\s[\-–—]|\b(?:and|but|please|pls))\s*(?:leave|leaving|setting|set) (?:out|aside)\b`), "$1 excluding "},
	{regexp.MustCompile(`\b(?:except|excluding|other\s+than|not\s+counting|not\s+including|but\s+not|without)\s+(?:for\s+)?(?:me|myself)\b`), " notme "},
	{regexp.MustCompile(`(?:[,;(]|\s[\-–—])\s*((?:the )?[a-z-]+(?: [a-z-]+)?)\s+aside\b`), " except $1 "},
	// experience is time here: "the least experienced cashier" is the
	// newest, "been here the shortest time" the shortest tenure
	{regexp.MustCompile(`^((?:who|which (?:employee|person|staff|worker|one))\b[^,?]{0,30}?)\bmost experienced\b`), "$1 most senior "},
	{regexp.MustCompile(`^((?:who|which (?:employee|person|staff|worker|one))\b[^,?]{0,30}?)\b(?:least experienced|least senior|most junior)\b`), "$1 newest "},
	{regexp.MustCompile(`\b(?:(?:has|have|had)\s+)?been (?:here|with us|with the company|employed) (?:for )?(?:the )?(shortest|longest)(?: time| while)?\b`), " has the $1 tenure "},
	// "are there any cashiers in Nantes?", "any temps in Lille?": which
	// (none is an empty list)
	{regexp.MustCompile(`^\s*(?:(?:are|were) there any|any)\s+((?:[a-z-]+ )?(?:staff|employees|people|workers|[a-z-]+s)\b)`), " which $1 "},
	// "did I work more in October or in September", "how do my hours last
	// month compare with the month before": the two periods side by side
	{regexp.MustCompile(`\b(work|worked) (?:more|fewer|less) (in|during|for) (` + periodRE + `) or (?:in |during |for )?(` + periodRE + `)\b`), " $1 hours $2 $3 vs $4 "},
	{regexp.MustCompile(`\b(?:more|fewer|less)\b((?: [a-z]+){0,3}?) (in|during|for) (` + periodRE + `) or (?:in |during |for )?(` + periodRE + `)\b`), "$1 $2 $3 vs $4 "},
	// "the biggest increase in hours worked from September to October",
	// "which location grew its hours the most from Q2 to Q3": the groups
	// whose total rose, largest change first, as "more … in October than
	// in September" reads, the most of them (it was refused)
	{regexp.MustCompile(`\b(?:the )?(?:biggest|largest|greatest|highest|most|sharpest|strongest) (?:increase|rise|growth|jump|gain|climb)s? in (?:(?:their|its|the) )?((?:[a-z]+ ){0,2}?[a-z]+) (?:from|between) (` + periodRE + `) (?:to|and) (` + periodRE + `)\b`), " the most more $1 in $3 than in $2 "},
	{regexp.MustCompile(`\b(?:the )?(?:biggest|largest|greatest|sharpest|steepest) (?:decrease|drop|fall|decline|reduction)s? in (?:(?:their|its|the) )?((?:[a-z]+ ){0,2}?[a-z]+) (?:from|between) (` + periodRE + `) (?:to|and) (` + periodRE + `)\b`), " the most fewer $1 in $3 than in $2 "},
	{regexp.MustCompile(`\b(?:grew|increased|rose|went up|climbed)(?: (?:its|their|the))? ((?:[a-z]+ ){0,2}?[a-z]+) (?:the )?most (?:from|between) (` + periodRE + `) (?:to|and) (` + periodRE + `)\b`), " had the most more $1 in $3 than in $2 "},
	// "which teachers worked more hours in October than in September":
	// the two periods, and a word of the code's own (riseWords) that keeps
	// the groups whose first is above (or below) their second
	{regexp.MustCompile(`\b(work|worked) (more|fewer|less) (in|during|for) (` + periodRE + `) than (?:in |during |for )?(` + periodRE + `)\b`), " $1 hours $3 $4 vs $5 ${2}thenbefore "},
	{regexp.MustCompile(`\b(more|fewer|less)\b((?: [a-z]+){0,3}?) (?:(?:in|during|for) )?(` + periodRE + `) (?:than|compared (?:to|with)) (?:in |during |for )?(` + periodRE + `)\b`), "$2 in $3 vs $4 ${1}thenbefore "},
	// ("how do hours …" reads "worked hours" by then: "do hours" is "worked hours" above)
	{regexp.MustCompile(`^\s*how\s+(?:do|does|did|worked)\s+(.+?)\s+compare\s+(?:with|to|against)\s+(` + periodRE + `)\b`), " $1 vs $2 "},
	// periods in other words: "mid-October" (its 15th), "from October 15
	// on" (since), "the last full week" (last week)
	{regexp.MustCompile(`\b(from|since|after|before|until|till) mid[- ]?(` + monthWordRE + `)\b`), " $1 $2 15 "},
	{regexp.MustCompile(`\bfrom\s+(` + monthWordRE + `\s+\d{1,2}(?:\s+(?:19|20)\d\d)?)\s+(?:on|onwards?|onward|forward)\b`), " since $1 "},
	// "from January 2025 up to now", "from 2024 to date": since then; but
	// "employed from 2020 to now" is who was employed at some point, not
	// hired since (said so that it stays unread, and refused)
	{regexp.MustCompile(`\b(employed|here|with\s+us)\s+from\s+((?:` + monthWordRE + `\s+)?(?:19|20)\d\d)\s+(?:up\s+)?(?:to|until|till|through)\s+(?:now|today|date|the present)\b`), " $1 from $2 to present "},
	{regexp.MustCompile(`\bfrom\s+((?:` + monthWordRE + `\s+)?(?:19|20)\d\d)\s+(?:up\s+)?(?:to|until|till|through)\s+(?:now|today|date|the present)\b`), " since $1 "},
	{regexp.MustCompile(`\b(?:the )?(last|previous|past) (?:full|complete|whole) (week|month|quarter|year)\b`), " $1 $2 "},
	{regexp.MustCompile(`\b(?:(?:over|during|in|on|for)\s+)?(?:the\s+)?(?:last|past|previous)\s+(\d+|two|three|four|five|six)\s+weekends\b`), " on weekends in the last $1 weeks "},
	// "how many shifts last month were over 10 hours": the length of each
	// shift, its words brought next to it (the period between them made
	// it a threshold on each person's total)
	{regexp.MustCompile(`^(\s*how\s+many\s+(?:of\s+(?:my|our|the)\s+)?)(shifts)\s+((?:(?:last|this|past|previous|since|in|during|on|the|of|` + monthWordRE + `|week|month|quarter|year|yesterday|today|\d{1,4})\s+){1,4}?)(were|was)\s+((?:over|under|more\s+than|less\s+than|at\s+least|at\s+most|longer\s+than|shorter\s+than|above|below)\s+\d+(?:\.\d+)?\s*(?:hours?|hrs?|h))\b(\s*[?.!]*\s*)$`), "$1$2 $4 $5 $3 "},
	{regexp.MustCompile(`\bhow\s+many\s+of\s+(my|our|the)\s+shifts\b`), " how many $1 shifts "},
	// reporting lines: "who reports to me" are the asker's direct reports
	// (it read the asker's scope, the asker in it); "who does Tom report
	// to" his manager; "the manager of the
	// Housekeeping team" the department's manager, not theirs
	{regexp.MustCompile(`\b(report|reports|reporting|reported)\s+to\s+me\b`), " $1 directly to me "},
	// "who doesn't report to anybody", "reports to no one": no manager
	{regexp.MustCompile(`\b(?:does|do|did)\s+not\s+report\s+to\s+(?:anybody|anyone|any one|a manager|any manager)\b|\breports?\s+to\s+(?:nobody|no one|noone)\b`), " has no manager "},
	{regexp.MustCompile(`^\s*(?:who|whom)\s+(?:does|did)\s+(.+?)\s+report\s+to\b`), " who is the manager of $1 "},
	{regexp.MustCompile(`\b(?:the\s+)?(?:manager|head|boss|lead)\s+of\s+(?:the\s+)?([a-z][a-z ]*?)\s+(?:team|department|dept)\b`), " the department manager of $1 "},
	// "with at least 5 years of tenure": a condition on each person (it was
	// read as the measure, over the one asked: "the average wage of …")
	{regexp.MustCompile(`\bwith\s+((?:at\s+least|more\s+than|over|under|less\s+than|fewer\s+than|at\s+most)\s+\d+)\s+(?:years?|yrs?)\s+(?:of\s+)?(?:tenure|service|seniority)\b`), " employed for $1 years "},
	// "already left", "already worked 100 hours": by now, as said without
	{regexp.MustCompile(`\balready\b`), " "},
	// "upcoming shifts this month": planned from today to the month's end
	{regexp.MustCompile(`\bupcoming\s+(shifts?|hours)\b(.*?)\bthis\s+(week|month|quarter|year)\b`), " planned $1$2 the rest of this $3 "},
	{regexp.MustCompile(`\bupcoming\s+(shifts?|hours)\b`), " planned $1 "},
	// a dashboard's shorthand for contracts: "pt staff", "hr team pt vs ft"
	{regexp.MustCompile(`\bpt\b`), " part-time "},
	{regexp.MustCompile(`\bft\b`), " full-time "},
	// "sick leave frequency": how many
	{regexp.MustCompile(`\b(sick leaves?|absences?|vacations?|leaves?|shifts?|sick days?) frequency\b`), " number of $1 "},
	{regexp.MustCompile(`\bfrequency of\b`), " number of "},
	// "top 5 earners": people by their wage
	{regexp.MustCompile(`\b(top|bottom) (\d+) (?:earners?|paid (?:employees|staff|people))\b`), " $1 $2 employees by hourly wage "},
	// an order from one end to the other: "newest to oldest" of hires is
	// by hire date ("oldest" alone is by age), "youngest to oldest" by age
	{regexp.MustCompile(`\b(?:from\s+)?(?:the\s+)?(newest|latest|most\s+recent)\s+(?:to|down\s+to|through)\s+(?:the\s+)?(?:oldest|earliest)\b`), " newest first "},
	{regexp.MustCompile(`\b(?:from\s+)?(?:the\s+)?(?:oldest|earliest)\s+(?:to|up\s+to|through)\s+(?:the\s+)?(?:newest|latest|most\s+recent)\b`), " earliest first "},
	{regexp.MustCompile(`\b(?:from\s+)?(?:the\s+)?(youngest|oldest)\s+(?:to|through)\s+(?:the\s+)?(?:oldest|youngest)\b`), " $1 first "},
	// "highest to lowest", "from most to fewest": an order, not the top one
	{regexp.MustCompile(`\b(?:from\s+)?(?:the\s+)?(?:highest|most|largest|biggest|greatest|longest|oldest)\s+(?:to|down\s+to|through)\s+(?:the\s+)?(?:lowest|least|fewest|smallest|shortest|youngest)\b`), " in descending order "},
	{regexp.MustCompile(`\b(?:from\s+)?(?:the\s+)?(?:lowest|least|fewest|smallest|shortest|youngest)\s+(?:to|up\s+to|through)\s+(?:the\s+)?(?:highest|most|largest|biggest|greatest|longest|oldest)\b`), " in ascending order "},
	// "our most recent leaver", "the 3 latest leavers", "who left most
	// recently": the leavers by when they left (hires are below)
	{regexp.MustCompile(`\b(?:the\s+|our\s+)?(?:(\d+)\s+(?:most\s+recent|latest|last|newest)|(?:most\s+recent|latest|last|newest)\s+(\d+))\s+(?:leavers|departures)\b`), " top $1$2 leavers latest first "},
	{regexp.MustCompile(`\b(?:the\s+|our\s+)?(?:most\s+recent|latest|last|newest)\s+(?:leaver|departure|(?:person|one|employee)\s+to\s+(?:leave|quit|go))\b`), " top 1 leavers latest first "},
	{regexp.MustCompile(`\b(?:left|quit)\s+(?:(?:the\s+)?most\s+recently|last(?:\s*[?.!,;]|\s*$|\s+(?:in|at|from|among|of)\b))|\bmost\s+recently\s+(?:left|quit)\b`), " top 1 leavers latest first "},
	// "our 3 most recent hires": the newest people, not hires counted
	{regexp.MustCompile(`\b(\d+)\s+(?:most\s+recent|newest|latest)\s+(?:hires|joiners|starters|recruits)\b`), " $1 newest employees "},
	{regexp.MustCompile(`\b(?:most\s+recent|newest|latest)\s+(?:hires|joiners|starters|recruits)\b`), " newest employees "},
	// "the most days lost to sick leave", "which school lost the most days
	// to sickness": days of that absence
	{regexp.MustCompile(`\blost\s+((?:the\s+)?(?:most|fewest|least|\d+|more|fewer)\s+)?days\s+to\s+`), " had $1 days of "},
	{regexp.MustCompile(`\bdays\s+lost\s+to\s+`), " days of "},
	// "managed directly by Manon": reporting to her directly
	{regexp.MustCompile(`\b(?:directly\s+managed|managed\s+directly)\s+by\b`), " reporting directly to "},
	// "hired more than five years ago": employed that long
	{regexp.MustCompile(`\b(?:hired|joined|started)\s+((?:more\s+than|over|at\s+least|less\s+than|under|fewer\s+than|at\s+most)\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty))\s+years?\s+ago\b`), " employed for $1 years "},
	// "the longest sick leave ever recorded": of all time, as said without
	// ("everyone we ever had" is not today's people: decide reads "ever" in
	// the question as written)
	{regexp.MustCompile(`\bever(?:\s+(?:recorded|logged|registered))?\b`), " "},
	// "the company average hourly wage": the average of everyone (refused
	// when the asker sees only some: see reCompanyAverage)
	{regexp.MustCompile(`\bthe\s+(?:company(?:'s|-wide| wide)?|overall|organi[sz]ation(?:'s)?|firm(?:'s)?|whole company's)\s+average\b`), " the average "},
	// "how many shifts have been worked since 2025": were (a "been …"
	// before "since" is otherwise a state since then, refused)
	{regexp.MustCompile(`\b(?:have|has)\s+been\s+(worked|recorded|logged|taken|booked|scheduled|planned)\b`), " were $1 "},
	// "waiters v bartenders": versus
	{regexp.MustCompile(`([a-z])\s+v\.?\s+([a-z])`), "$1 vs $2"},
	// "average rate across my team": of it
	{regexp.MustCompile(`\bacross\s+(my|our)\s+(team|staff|crew)\b`), " of $1 $2 "},
	// "staff numbers", "employee numbers", "head counts": the headcount
	{regexp.MustCompile(`\b(?:staff|people|team)\s+numbers\s+(by|per|in|at|for\s+each)\b|\bhead\s+counts?\b`), " headcount $1 "},
	// what the answer is for, said after it, in words of this closed list:
	// "… Need it for the absence slide.", "… - preparing the pay gap report"
	{regexp.MustCompile(`(?:[.!?;,]|\s[-–—]|\s)\s*(?:(?:i\s+)?need\s+(?:it|this|these|them)\s+for|(?:i\s+am\s+|i'm\s+)?preparing|for)\s+(?:the|a|my|our)\s+(?:(?:absence|pay\s+gap|board|budget|payroll|leadership|monthly|weekly|quarterly|annual|people|workforce|staffing|diversity|gender)\s+){0,3}(?:slide|slides|deck|report|pack|presentation|summary)s?\s*[.!]?\s*$`), " "},
	// "the name of the manager whose direct reports worked the most hours":
	// which manager's reports (it ranked the managers' own hours)
	{regexp.MustCompile(`^\s*(?:(?:return|give me|show me|show|find|list|tell me|get)\s+)?(?:the\s+(?:full\s+)?names?\s+of\s+)?(?:the|which|what)\s+manager\s+whose\s+(direct\s+reports|reports|team|staff|employees|people|crew)\b`), " which manager $1 "},
	// "leavers per department, all time": with no period, as "ever" (see
	// reEver for people counted)
	{regexp.MustCompile(`,?\s*\b(?:(?:of|for|over)\s+)?all[- ]time\b`), " "},
	// "roughly how many": scry's count is exact
	{regexp.MustCompile(`\b(?:roughly|approximately|approx\.?|more or less|give or take)\s+(how\s+many|how\s+much|what)\b`), " $1 "},
	// "people who worked for us on 1 July": employed then (worked alone is
	// a shift)
	{regexp.MustCompile(`\b(people|staff|employees|persons|workers|who|anyone|everyone)\s+(?:worked|were\s+working|was\s+working)\s+for\s+(?:us|the\s+company|the\s+firm|the\s+business|the\s+district|the\s+group)\s+(on|at|as\s+of)\b`), " $1 were employed $2 "},
	// "which of my staff are on this weekend": working
	{regexp.MustCompile(`\b(are|is|am|whos)\s+on\s+((?:this|next)(?:\s+(?:week|weekend|month|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*))?|tomorrow|today|tonight|the\s+weekend|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*)(\s*(?:[?.!,;]|$)|\s+(?:in|at|and|or|for|from|with)\b)`), " $1 working $2$3"},
	// people lost and seen leaving: leavers ("how many cooks did we lose",
	// "which schools have lost the most staff", "have seen the most people
	// leave")
	{regexp.MustCompile(`\b(?:lost|lose|losing)\s+(the\s+most|the\s+fewest|more|fewer)\s+(?:people|staff|employees|workers|members|team\s+members)\b`), " had $1 leavers "},
	{regexp.MustCompile(`\b(?:seen|saw|had|witnessed)\s+the\s+(most|fewest|least)\s+(?:people|staff|employees|workers)\s+(?:leave|quit|go|depart|resign)\b`), " had the $1 leavers "},
	// the words of speakers of French, Spanish, German and Italian:
	// "since 3 months" (for the last 3), "superior to 22,50", "the medium
	// salary", "engaged" (hired), "the enterprise", "the personal" (staff),
	// "have more than 60 years" (aged), "in the month of August", "since
	// the 1st September"
	{regexp.MustCompile(`\bsince\s+(\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(days?|weeks?|months?|years?)\b`), " over the last $1 $2 "},
	{regexp.MustCompile(`\bsuperior\s+(?:to|than)\b`), " more than "},
	{regexp.MustCompile(`\binferior\s+(?:to|than)\b`), " less than "},
	{regexp.MustCompile(`\b(?:the\s+)?medium\s+(salary|salaries|wage|wages|pay|age|tenure|seniority|hourly|rate|duration|length)\b|\b(salary|wage|pay|age)\s+medium\b`), " the average $1$2 "},
	{regexp.MustCompile(`\bengage\b|\b(we|they|i|you|have|has|had)\s+engaged\b`), " $1 hire "},
	{regexp.MustCompile(`\b(were|was|got|been|being)\s+engaged\b`), " $1 hired "},
	{regexp.MustCompile(`\b(?:the\s+)?enterprise\b`), " the company "},
	{regexp.MustCompile(`\bthe\s+personal\b`), " the staff "},
	{regexp.MustCompile(`\b(?:have|has|having)\s+(more\s+than|over|less\s+than|under)\s+(1[6-9]|[2-9]\d)\s+years?(\s*(?:[?.!,;]|$)|\s+(?:and|or|who)\b)`), " aged $1 $2 $3"},
	{regexp.MustCompile(`\b(?:have|has|having)\s+(more\s+than|over|less\s+than|under|at\s+least)\s+(\d+)\s+years?(?:\s+(?:in|at|with|of\s+service\s+(?:in|at|with))\s+(?:the\s+company|us|the\s+firm|the\s+business|the\s+district|the\s+group|here)\b|\s+(?:of\s+service|of\s+seniority|of\s+tenure|here)\b|\s*(?:[?.!,;]|$)|\s+(?:and|or|who)\b)`), " employed for $1 $2 years "},
	{regexp.MustCompile(`\b(in|during|for)\s+the\s+month\s+of\s+(` + monthWordRE + `)\b`), " $1 $2 "},
	{regexp.MustCompile(`\bsince\s+the\s+(` + monthWordRE + `)\s+(\d{1,2})\b`), " since $1 $2 "},
	// "which manager had the most sick days on their team": the manager's
	// team's (the manager's own was ranked, "on their team" dropped)
	{regexp.MustCompile(`\bwhich\s+manager\s+(had|has|have|got)\s+(.+?)\s+(?:on|in|across)\s+(?:their|his|her)\s+(?:team|staff|crew)\b`), " which manager team $1 $2 "},
	// "30 min": minutes after a number (alone, "min" is the minimum)
	{regexp.MustCompile(`\b(\d+(?:\.\d+)?)\s*mins?\b`), " $1 minute "},
	// "top 5 on my team by shifts": people of the team
	{regexp.MustCompile(`\b(top|bottom)\s+(\d+)\s+((?:on|in|of|from)\s+(?:my|our|the)\s+(?:team|staff|crew|people|employees|workforce))\b`), " $1 $2 people $3 "},
	// "part-time staff only", "…, full-time only": a filter said twice
	{regexp.MustCompile(`\b((?:part-time|full-time|part time|full time|temporary|permanent|female|male|current)\s+(?:staff|employees|people|workers|ones))\s+only\b`), "$1"},
	// "compare sick days between Lyon and Paris": in each (two words, no
	// number: "between 2020 and 2022" is a period)
	{regexp.MustCompile(`\b(compar\w*\b.*?)\bbetween\s+(?:the\s+)?([a-z][a-z-]*(?:\s+[a-z][a-z-]*)?)\s+and\s+(?:the\s+)?([a-z][a-z-]*(?:\s+[a-z][a-z-]*)?)(\s+(?:this|last|in|during|for|since|over)\b|\s*[?.!]?\s*$)`), "$1 in $2 and in $3$4"},
	// "how much did we pay out in wages": the wage bill, the labour cost
	// (it was the average hourly wage)
	{regexp.MustCompile(`\b(?:pay|paid|spend|spent|paying|spending)\s+(?:out\s+)?(?:in|on|for)\s+(?:wages|salaries|salary|pay)\b`), " labor cost "},
	// "what did my team cost us": cost is the labour cost
	{regexp.MustCompile(`\bcost (?:us|the company|me)\b`), " cost "},
	// "how many dishwashers are on the schedule this Saturday": scheduled
	// that day ("schedule" alone is a word of no meaning, and the count
	// was of every dishwasher)
	{regexp.MustCompile(`\b(are|is|were|was|be|am|who|that)\s+(?:on|in)\s+(?:(?:the|our|my|their|this week's|next week's)\s+)?(?:schedule|rota|roster|planning)\b`), " $1 scheduled "},
	// "the wage bill per school", "weekly labour spend": the labour cost
	// (the wage word was read as the hourly wage column, leaving "bill")
	{regexp.MustCompile(`\b(?:wage|wages|salary|salaries|labou?r|staff|staffing|payroll|personnel)\s+(?:bill|bills|spend|spending|expense|expenses)\b`), " labor cost "},
	// "the breakdown of the contract types", "distribution of departments":
	// the people by that group (the group's word was left unread)
	{regexp.MustCompile(`\b(breakdown|split|distribution|mix|makeup|composition)\s+of\s+(?:the\s+|our\s+)?(contract\s+types?|departments?|positions?|locations?|genders?|job\s+titles?|roles?|schools?|stores?|sites?)\b`), "$1 by $2"},
	// "the people under me": the asker's team less the asker ("under" was
	// left unread; read as the team alone, it counted the asker too)
	{regexp.MustCompile(`\b(?:(?:who\s+(?:are|work|works)|working|that\s+(?:are|work))\s+)?(?:under|below|beneath)\s+me\b`), " on my team notme "},
	// "how many days have I been employed here": the tenure, in the unit
	// asked (it gave the headcount, 1)
	{regexp.MustCompile(`\bhow many (days|weeks|months|years) have i been (?:employed|working|with (?:us|the company))(?: here)?\b`), "what is my tenure in $1"},
	// "a contract of at least 30 hours a week": the contracted weekly
	// hours (the hours worked a week were compared)
	{regexp.MustCompile(`\b(?:a|an|their|his|her|the)?\s*contract\s+(?:of|for)\s+((?:at least|at most|more than|less than|fewer than|over|under)\s+)?(\d+)\s+(?:hours?|h)(\s+or\s+(?:more|less|fewer))?(?:\s+(?:a|per|each)\s+week)?\b`), " contracted hours $1$2$3 "},
	// "my own sick days": the asker's own ("own" was left unread)
	{regexp.MustCompile(`\bmy\s+own\b`), " my "},
	// "my schedule tomorrow", "when am I working next week": the asker's
	// shifts ("schedule" alone is a word of no meaning)
	{regexp.MustCompile(`\bmy\s+(?:schedule|rota|roster|timetable|planning)\b`), "my shifts"},
	{regexp.MustCompile(`\bwhen\s+am\s+i\s+(?:working|on|scheduled|rostered)\b`), "when do i work"},
	// "who worked past midnight", "worked until after midnight": a shift
	// ending after midnight, as "night shifts" reads
	{regexp.MustCompile(`\b(work|works|worked|working)\s+(?:past|after|beyond|until after|till after|until|till|through)\s+midnight(?:\s+or\s+later)?\b`), "$1 a shift ending after midnight"},
	// "hours per store location": per store
	{regexp.MustCompile(`\b(store|shop|site|branch|restaurant|hotel|school)\s+(?:locations?|sites?)\b`), "$1"},
	// "the gender pay gap": the average hourly wage by gender
	// (between the two named: of those two genders only)
	{regexp.MustCompile(`\b(?:(?:the|a|any)\s+)?(?:gender\s+)?(?:pay|wage|salary)\s+gap\s+between\s+(?:the\s+)?(men|males?|women|females?)\s+and\s+(?:the\s+)?(men|males?|women|females?)\b`), " average hourly wage by gender of $1 and $2 "},
	{regexp.MustCompile(`\b(?:(?:the|a|any)\s+)?(?:gender\s+)?(?:pay|wage|salary)\s+gap\b`), " average hourly wage by gender "},
	// "how many night shifts have I done this month": worked (the plan of
	// today was counted too)
	{regexp.MustCompile(`\b(shifts?\s+(?:have|has|had)\s+(?:i|we|you|they|he|she)\s+)(?:done|pulled|completed)\b`), "${1}worked"},
	{regexp.MustCompile(`\b(shifts?\s+did\s+(?:i|we|you|they|he|she)\s+)(?:do|pull|complete)\b`), "${1}work"},
	// "how much did we pay the cashiers": spent on them
	{regexp.MustCompile(`\bhow much (?:did|will) we pay\b`), " how much did we spend on "},
	// "how much did we spend on teaching assistants": their labour cost
	// (decide checks that people follow: "spend on hiring" has no price);
	// the verb stays, for its tense ("will … in December": the coming one)
	{regexp.MustCompile(`\b(?:how much|what)\s+(?:money\s+)?(did|do|does|have|has|had|will|are|is)\s+(we|you|i|they|the company|my [a-z]+|our [a-z]+)\s+(?:going\s+to\s+)?(?:spend|spent)\s+on\b`), " $1 $2 labor cost spent on "},
	// "how much did we spend last month", "… in Lyon": the labour cost
	// (it gave the headcount: "spend" is a word of no meaning)
	{regexp.MustCompile(`\b(?:how much|what)\s+(?:money\s+)?(did|do|does|have|has|had|will|are|is)\s+(?:we|you|the company)\s+(?:going\s+to\s+)?(?:spend|spent)\b`), " $1 labor cost "},
	// "people on the payroll on 1 January": employed then (the payroll
	// alone is its cost); "already gone", "has since left": left
	// ("how many ppl on payroll in Bordeaux rn" was the labour cost of
	// today, 0)
	{regexp.MustCompile(`\b(are|were|be|been|being|people|ppl|folks|employees|staff|workers|everyone|anyone|how many|(?:who|that|which)(?:\s+(?:is|was))?)\s+on\s+(?:(?:the|our|my|the company's)\s+)?payroll\b`), " $1 on staff "},
	{regexp.MustCompile(`\b(?:are|is|were|was|have|has|had)\s+(?:(?:long|since|now|already)\s+)?gone\s*([?.!,;]|$|\b(?:and|or|but|now|by)\b)`), " have left $1"},
	{regexp.MustCompile(`\b(has|have|had)\s+since\s+(left|quit|resigned)\b`), " $1 $2 "},
	// a business preamble that names only what the answer is for: "for
	// the monthly payroll check, …", "I'm doing the rota — …" (its words
	// are all of this closed list, so no filter can hide in it)
	{regexp.MustCompile(`^\s*(?:for|ahead of|before) (?:the |our |my |a |this |next |this week's |next week's |tomorrow's |today's )?(?:(?:monthly|weekly|quarterly|annual|yearly|daily|year-end|month-end|board|budget|payroll|management|team|staff|hr|leadership|ops|operations)\s+){0,3}(?:check|review|report|meeting|accrual|audit|presentation|forecast|planning|update|deck|slides|email|summary|analysis|run|close|reconciliation)s?\s*[,:;—–-]+\s*`), " "},
	{regexp.MustCompile(`^\s*(?:i am|we are) (?:doing|preparing|writing|working on|putting together|building|planning|drafting|checking|updating|finalising|finalizing) (?:the |a |our |my |this week's |next week's |tomorrow's )?(?:(?:monthly|weekly|quarterly|annual|payroll|staff|shift|team|board|budget)\s+){0,2}(?:rota|roster|schedule|report|payroll|budget|plan|review|forecast|deck|slides|presentation|audit|check)s?\s*[,:;—–-]+\s*(?:(?:and|so) )?`), " "},
	// "headcount on shift this weekend": people, not shifts; "team on shift
	// sat": who of them
	{regexp.MustCompile(`\b(?:headcount|head count) (on shift|on duty|working|scheduled|rostered)\b`), " how many people $1 "},
	{regexp.MustCompile(`^\s*(?:my |our |the )?(team|staff|crew) (on shift|on duty|working|rostered|scheduled|off)\b`), " who in my $1 is $2 "},
	// a shift worker's words: "how many nights did I work" (shifts that end
	// the next day), "what time do I start monday" (the shift), "am I in
	// friday" (working)
	{regexp.MustCompile(`\b(?:night shifts?|nights)\b`), " overnight shifts "},
	{regexp.MustCompile(`\b(?:what time|when) do i (?:start|finish|begin|end|clock in|clock out|get off)(?: work)?\b`), " what is my shift "},
	{regexp.MustCompile(`\b(am i|are we) in (on |this |next |tomorrow|today|tonight|the weekend|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b)`), " $1 working $2"},
	// "from 2020 to 2025": the years whole
	{regexp.MustCompile(`\b(?:from|between) ((?:19|20)\d\d) ?(?:to|and|until|till|through|-) ?((?:19|20)\d\d)\b`), " between d${1}x01x01 and d${2}x12x31 "},
	// "> 30h", ">= 40 hours", "< 25"
	{regexp.MustCompile(`>=\s*`), " at least "},
	{regexp.MustCompile(`<=\s*`), " at most "},
	{regexp.MustCompile(`>\s*`), " more than "},
	{regexp.MustCompile(`<\s*`), " less than "},
	// "more than 8 hours shifts": shifts by their own length
	{regexp.MustCompile(`\b(more than|over|longer than|less than|under|shorter than|at least|at most) (\d+(?:\.\d+)?) ?(?:hours?|hrs?|h)(?:[ -]long)? shifts\b`), " shifts of $1 $2 hour "},
	// "nb of shifts", "nbr of staff": a number ("NB" alone is non-binary)
	{regexp.MustCompile(`\b((?:male|female|men|women)(?:\s*,\s*|\s+(?:and|or)\s+)(?:(?:male|female|men|women)(?:\s*,\s*|\s+(?:and|or)\s+))*)nb\b`), "${1}non-binary"},
	{regexp.MustCompile(`\b(?:nb|nbr|no\.)\s+of\b`), " number of "},
	// "younger than 18 when they were hired", "on their hire date": the
	// age a person was hired at, not today's
	// (only right after an age or a number of years: "over 60 and when
	// they were hired" asks for the hire date; "over 50 when they were
	// hired in 2025": the age then, of that year's hires)
	{regexp.MustCompile(`\b(\d+)\s+(?:years?\s+(?:old\s+)?)?(?:(?:when|at the time)\s+(?:they|he|she)\s+(?:were|was|got)\s+hired|when\s+hired)\s+((?:in|during)\s+(?:(?:19|20)\d\d|q[1-4]|` + monthWordRE + `)|(?:last|this)\s+(?:year|month|quarter|week)|since|between|before|after)\b`), " $1 at hire who were hired $2 "},
	{regexp.MustCompile(`\b(\d+|age|ages)\s+(?:years?\s+(?:old\s+)?)?(?:(?:when|at the time)\s+(?:they|he|she)\s+(?:were|was|got)\s+hired|when\s+(?:they|he|she)\s+(?:joined|started)|when\s+hired|(?:on|at)\s+(?:their|his|her|the)\s+(?:hire|hiring)\s+date|at\s+(?:the\s+time\s+of\s+)?(?:their\s+|his\s+|her\s+)?(?:hire|hiring))\b`), " $1 at hire "},
	// "how old was each cashier when hired": the age at hire of each
	{regexp.MustCompile(`\bhow old (?:was|were|is|are) (.+?) when (?:(?:they|he|she) (?:were|was|got) )?(?:hired|(?:they|he|she) (?:joined|started))\b`), " age at hire of $1 "},
	// "a 12h+ shift", "10 hours plus shifts": shifts by their own length
	{regexp.MustCompile(`\b(\d+(?:\.\d+)?)\s*(?:h|hrs?|hours?)\s*(?:\+|plus)\s*(shifts?)\b`), " $2 of at least $1 hour "},
	// "how many of my agents in today", "waiters on this sat": working then
	{regexp.MustCompile(`\b(staff|people|team|crew|employees|workers|guys|folks|agents|cashiers|waiters|waitresses|servers|teachers|tas|cooks|chefs|drivers|clerks|nurses|bartenders|associates|operators|assistants|receptionists|dishwashers|supervisors|managers)\s+(?:in|on)\s+(today|tonight|tomorrow|tmrw|this\s+(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*)\b`), " $1 working $2 "},
	// "this year vs all of last year": the period whole, as it is anyway
	{regexp.MustCompile(`\b(?:all|the whole) of (last|this|the previous|previous|the last) (week|month|quarter|year)\b`), " $1 $2 "},
	// "hires per month, 2026 ytd": that year so far; "per year, 2020 to
	// 2026": the years whole
	{regexp.MustCompile(`\b((?:19|20)\d\d)\s+(?:ytd|year to date)\b`), " in $1 so far "},
	{regexp.MustCompile(`,\s*((?:19|20)\d\d)\s*(?:to|-|–|through|thru)\s*((?:19|20)\d\d)\b`), " between d${1}x01x01 and d${2}x12x31 "},
	// "month-end headcount": the headcount at each month's end
	{regexp.MustCompile(`\b(week|month|quarter|year)[ -]end (headcount|staff|employees)\b`), " $2 per $1 "},
	// "how many people work in the Kitchen currently", "who currently works
	// in Logistics": employed there now, not a shift today
	{regexp.MustCompile(`\b(?:currently|presently|still)\s+works?\b`), " are employed "},
	{regexp.MustCompile(`\bworks?\s+((?:in|at|for)\s+(?:the\s+)?[a-z]+(?:\s+[a-z]+)?)\s+(?:currently|right now|presently)\b`), " are employed $1 "},
	// "off sick more than once this year": more than one sick leave
	{regexp.MustCompile(`\b(?:(?:have|has|had)\s+been|been|was|were|went|gone|got)?\s*(?:off sick|out sick|sick)\s+more than once\b`), " had more than 1 sick leave "},
	{regexp.MustCompile(`\b(?:(?:have|has|had)\s+been|been|was|were)?\s*(?:absent|off)\s+more than once\b`), " had more than 1 absence "},
	// "who joined us this year": joined
	{regexp.MustCompile(`\b(joined|join|joining)\s+us\b`), " $1 "},
	// "wage cost (hours x hourly rate)": the labour cost, spelled out
	{regexp.MustCompile(`\(?\s*(?:(?:worked|paid)\s+)?(?:hours?|hrs?)(?:\s+worked)?\s*(?:x|\*|×|times|multiplied by)\s*(?:(?:the|their)\s+)?(?:hourly\s+)?(?:rate|wage|pay|salary)s?(?:\s+per\s+hour)?\s*\)?`), " labor cost "},
	// "how many temps are active right now": employed
	{regexp.MustCompile(`\b(is|are)\s+(?:currently\s+|still\s+)?active\b`), " $1 employed "},
	// "how much people took parental leave": how many (of countable people)
	{regexp.MustCompile(`\bhow much (people|persons|employees|workers|staff members|members|colleagues)\b`), " how many $1 "},
	// "employed from 2020 to now": at any time in it (not hired since
	// then), which a span to today does not hold; it is refused as before
	{regexp.MustCompile(`\bemployed (?:since|from) ([a-z0-9 ]+?) (?:until|till|til|up to|up until|to|through) (?:now|today|date|the present|present)\b`), " employed between $1 and today "},
	// "since january until now", "from 1 march till today": since then
	{regexp.MustCompile(`\b(?:since|from) ([a-z0-9 ]+?) (?:until|till|til|up to|up until|to|through) (?:now|today|date|the present|present)\b`), " since $1 "},
	// "how many of my guys are in on friday": working then (it counted
	// who is employed on Friday)
	{regexp.MustCompile(`\b(is|are|was|were)\s+in\s+((?:on\s+)?(?:today|tonight|tomorrow|tmrw|yesterday|(?:this |next |last )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)))\b`), " $1 working $2 "},
	// "ytd hours worked vs same period last year": the period beside the
	// one it is compared with
	{regexp.MustCompile(`^\s*(ytd|year to date|so far this year|(?:this|last) (?:year|quarter|month|week))\s+(.+?)\s+(vs\.?|versus|compared (?:to|with)|against)\s+((?:the\s+)?same (?:period|time|month|week|quarter) (?:last year|a year ago)|last ytd|last year ytd|ytd last year|last year to date)\b`), " $2 $1 $3 $4 "},
	// "Q3 26 vs Q3 25": two-digit years of quarters
	{regexp.MustCompile(`\bq([1-4])\s*'?(\d{2})(\s+(?:vs|versus|compared|against|and|to)\b|\s*[,?.!]|\s*$)`), " q$1 20$2$3"},
	// "whats Raphael Lambert paid per hour": the hourly wage
	{regexp.MustCompile(`\b(?:paid|earning|earns|making|makes|make)\s+(?:per|an|a|by the|each)\s+hour\b`), " hourly wage "},
	// "which workers are in sick leave today": on it
	{regexp.MustCompile(`\b(is|are|was|were|be|been|being|currently) in (sick leave|parental leave|maternity leave|paternity leave|vacation|holidays?|leave)\b`), " $1 on $2 "},
	// "Trying to sort out cover - how many of my people …": why it is
	// asked, set off by a dash or colon, nothing to read
	{regexp.MustCompile(`^\s*(?:(?:i am|i'm|we are|we're|just) )?trying to (?:sort out|work out|figure out|plan|organi[sz]e|arrange|fix|get|do|check) (?:the |a |an |our |my |some |this )?(?:` + purposeNouns + `)(?: (?:` + purposeNouns + `))?\s*[,:;—–-]+\s*`), " "},
	// "anyone done a shift longer than 8 hours this month?": who (it
	// counted the shifts)
	{regexp.MustCompile(`^\s*(?:anyone|anybody|someone|somebody) (done|did|had|taken|took|started|finished|been)\b`), " who $1 "},
	// "how many waiters do I currently have": "do I have", as without the
	// adverb (the "I" was left to mean the asker's own record: 0)
	{regexp.MustCompile(`\b(do|does|did) (i|we) (currently|actually|really) (have|ha)\b`), " $1 $2 $4 $3 "},
	// "report direct to Marie Lambert": directly
	{regexp.MustCompile(`\b(report|reports|reporting|reported) direct to\b`), " $1 directly to "},
	// "more than 10 years in the company": years of service (tenure)
	{regexp.MustCompile(`\b(\d+(?:\.\d+)?) years? (?:in|with|at|for) (?:the |our |this )?(?:company|firm|business|organi[sz]ation)\b`), " $1 years of service "},
	// "birthdays in December, who?": the people who have one then
	{regexp.MustCompile(`^\s*birthdays (in|this|next|on|during)\b`), " who has a birthday $1 "},
	// "new persons since September", "new staff this year": hires
	{regexp.MustCompile(`\bnew (?:persons|people|employees|staff|starters|joiners|recruits|workers|colleagues)\s+(since|after|(?:in|during|from) (?:\d{4}|` + monthWordRE + `)\b)`), " people hired $1 "},
	// "…, I need it for the planning": why it is asked, nothing to read
	// "who manages me": the asker's manager (it was the people managing
	// no one named: none)
	{regexp.MustCompile(`^\s*who (?:manages|supervises|runs|heads|leads|oversees|is in charge of|is responsible for) (?:me|us)\b`), " who is my manager "},
	// "who manages Mila Thomas", "who runs the Kitchen", "who is in charge
	// of Bordeaux": their manager (the verbs were not read)
	{regexp.MustCompile(`^\s*(who|which (?:manager|person|one))\s+(?:manages|supervises|runs|heads|leads|oversees|is in charge of|is responsible for)\s+`), " $1 is the manager of "},
	// "Kitchen: who is in charge?": its manager
	{regexp.MustCompile(`\bwho is in charge\s*([?.!]*)\s*$`), " who is the manager$1"},
	// "For Monday's staff meeting: how many …", "For the board meeting on
	// Thursday I need our headcount …": what it is for, nothing to read
	// (only a meeting, a report or a plan: "For Logistics: …" is a
	// condition, "For each manager, …" a grouping)
	{regexp.MustCompile(`^\s*for (?:the |my |our |a |an |this |next |tomorrow |today |(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday) )?(?:(?:board|staff|team|weekly|monthly|quarterly|annual|budget|planning|leadership|management|ops|operations|hr|finance|school|district)\s+)?(?:meeting|review|report|deck|slides|presentation|forecast|audit|budget|planning|rota|roster|schedule|pack)(?: (?:on|this|next) [a-z]+)?\s*(?:[,:;—–-]+\s*|(?:i|we) (?:need|want|would like)\s+)`), " "},
	// "…, can you pull that together?": the asking, nothing to read
	{regexp.MustCompile(`[,.;:]\s*(?:can|could|would) you (?:please )?(?:pull|put|get|send|give|do|run|share) (?:me )?(?:that|this|it|them)(?: together| for me| quickly| please)*\s*[?.!]*\s*$`), " "},
	// "haven't taken any vacation yet this year", "not yet": up to now,
	// which the period already says
	{regexp.MustCompile(`\b(not|never|no)\b([^?.!,;]*?)\s+yet\b`), "$1$2"},
	// "since the school year started in September": since September
	{regexp.MustCompile(`\bsince (?:the )?(?:school year|academic year|year|term|season|semester) (?:started|began|start|begin|kicked off) (?:in|on) `), " since "},
	// "avg hourly wage m vs f": men against women
	{regexp.MustCompile(`(?:^|\s)(?:m\s*(?:vs\.?|versus|/)\s*f|f\s*(?:vs\.?|versus|/)\s*m)(?:\s|$|[?.!,])`), " men vs women "},
	// "…, going by the hours actually worked": how it is counted, which
	// the labour cost already is (it grouped by the hour of the day)
	{regexp.MustCompile(`,?\s*(?:going|based|counting) (?:by|on) (?:the )?hours (?:actually |really )?worked\b`), " "},
	// "the average wage over at Birch Middle School": at it
	{regexp.MustCompile(`\bover at\b`), " at "},
	// "absent this year, all reasons included", "off for any reason":
	// absences of every type, which no type named already reads
	{regexp.MustCompile(`[,;]?\s*(?:(?:all|any|every) (?:reasons?|types?|kinds?) (?:included|combined|together|counted)|(?:for|of) any (?:reason|type|kind)|whatever the reason)\b`), " "},
	// "…? I'm trying to get a feel for …", "…, I have a feeling there's a
	// winter peak": why it is asked, after the question
	{regexp.MustCompile(`(?:[?.!]\s*(?:i am |we are |just )?trying to get a (?:feel|sense|picture|idea)\b|[,.;?!]\s*(?:i|we) (?:have|had|got) a (?:feeling|feelling|hunch|suspicion)\b).*$`), " "},
	{regexp.MustCompile(`[,.;:!?-]\s*(?:i|we) (?:need|want) (?:it|this|that|them|the list|the numbers?|the data) for (?:the |my |our |a |an )?(?:` + purposeNouns + `)(?: (?:` + purposeNouns + `))?\s*[.!?]*\s*$`), " "},
}

// singular folds a plural to its singular form; the same function is applied
// to questions, synonyms and tenant values, so matching is symmetric.
func singular(w string) string {
	if w, ok := shorthand[w]; ok {
		return w
	}
	if len(w) <= 3 || keepWords[w] || w[len(w)-1] != 's' || strings.HasSuffix(w, "ss") || strings.HasSuffix(w, "us") {
		return w
	}
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "ches"), strings.HasSuffix(w, "shes"), strings.HasSuffix(w, "xes"), strings.HasSuffix(w, "sses"):
		return w[:len(w)-2]
	}
	return w[:len(w)-1]
}

// reOwnersManager: "who is the housekeeping supervisor's manager": the
// manager of the supervisor, before the possessive is dropped (it was the
// supervisor, read as a manager who is a housekeeping supervisor).
var reOwnersManager = regexp.MustCompile(`^\s*(who|which person|name)\s+(?:is|are|was)\s+(?:the\s+)?([a-z][a-z .-]{0,40}?)['’]s?\s+(manager|boss|supervisor|line manager)s?\s*([?.!]*)\s*$`)

// normalize lowercases q, expands contractions, keeps ISO dates as single
// tokens, turns number words into digits and splits into singular tokens.
func normalize(q string) []string { toks, _ := normalizeWords(q); return toks }

// normalizeWords is normalize that also returns each token's word as
// written (lower case, before singular forms), for refusals that quote it.
func normalizeWords(q string) ([]string, []string) {
	s := spokenWords(strings.ToLower(q))
	s = typedDates(s)
	s = reOwnersManager.ReplaceAllString(s, " $1 is the $3 of $2 ")
	s = contractions.Replace(s)
	s = timesAndTime(s)
	s = reISODate.ReplaceAllString(s, " d${1}x${2}x${3} ")
	s = reDecimalComma.ReplaceAllString(s, "$1.$2 $3")
	s = reDecimal.ReplaceAllString(s, " n${1}p${2} ")
	s = strings.ReplaceAll(s, "%", " percent ")
	for _, t := range reTyped {
		s = t.re.ReplaceAllString(s, t.out)
	}
	s = amountBeside(lostPeople(teamSizes(earnedPay(noneInGroups(leaveVerb(decades(eachOfMine(hiresByAsker(howLong(s))))))))))
	s = reWeekdayShort.ReplaceAllStringFunc(s, func(w string) string { return " " + weekdayShort[strings.TrimSuffix(w, ".")] + " " })
	s = weekdayRanges(s)
	s = bareDates(s)
	s = comparePeriods(s)
	s = reNonWord.ReplaceAllString(s, " ")
	s = ordinalWords(s)
	var out, words []string
	var fields []string
	for _, w := range strings.Fields(s) {
		if n, ok := bareNegations[w]; ok {
			fields = append(fields, strings.Fields(n)...)
			continue
		}
		fields = append(fields, w)
	}
	for _, w := range fields {
		orig := w
		if n, ok := numberWords[w]; ok {
			w = n
		}
		if m := reDecimalToken.FindStringSubmatch(w); m != nil {
			out = append(out, m[1]+"."+m[2]) // "37.5 hours"
			words = append(words, out[len(out)-1])
			continue
		}
		if strings.HasPrefix(w, "d") && len(w) == 11 && w[5] == 'x' && w[8] == 'x' {
			out = append(out, w[1:5]+"-"+w[6:8]+"-"+w[9:11])
			words = append(words, out[len(out)-1])
			continue
		}
		out = append(out, singular(w))
		words = append(words, orig)
	}
	return out, words
}

var reWeekdayRange = regexp.MustCompile(`\b(` + weekdayNames + `)\s*(?:to|-|–|through|thru|till|until)\s*(` + weekdayNames + `)\b`)

// weekdayRanges writes "monday to friday" (or "mon-fri") as the days it
// spans, which read as one condition: any of them, never all at once.
func weekdayRanges(s string) string {
	days := strings.Split(weekdayNames, "|")
	return reWeekdayRange.ReplaceAllStringFunc(s, func(m string) string {
		p := reWeekdayRange.FindStringSubmatch(m)
		from, to := slices.Index(days, p[1]), slices.Index(days, p[2])
		var span []string
		for i := from; ; i = (i + 1) % 7 {
			span = append(span, days[i])
			if i == to {
				break
			}
		}
		return " " + strings.Join(span, " and ") + " "
	})
}

// weekdayShort are the days as a dashboard abbreviates them.
var (
	weekdayShort = map[string]string{"mon": "monday", "tue": "tuesday", "tues": "tuesday", "wed": "wednesday", "thu": "thursday",
		"thur": "thursday", "thurs": "thursday", "fri": "friday", "sat": "saturday", "sun": "sunday"}
	reWeekdayShort = regexp.MustCompile(`\b(?:mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\b\.?`)
)

var (
	// a month or a year typed alone, a dashboard's filter: "absences nov",
	// "sick days per location 2026"
	reBareMonth = regexp.MustCompile(`\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b`)
	reBareYear  = regexp.MustCompile(`\b(?:19|20)\d\d\b`)
	reBareNext  = regexp.MustCompile(`^[?.,!]*$`)
	// the words before a month or year that already place it
	placedBy = wordSet(`in of during since until till from to between before after by and or vs versus through last this next early late mid end start beginning q1 q2 q3 q4 h1 h2 fy the each every xmas christmas eve easter new year`)
	// the words after a bare month or year that end the filter it is ("sick
	// days 2025 by month"); any other ("jan dupont", "2025 hours") may make
	// it a name or a number
	filterEnd = wordSet(`by per for in at across broken grouped split`)
	// a singular day of the week with no period beside it: "whos working
	// fri" is the coming Friday, "who worked on saturday" the last one
	reBareWeekday = regexp.MustCompile(`\b(on\s+|the\s+)?(` + weekdayNames + `)\b(s?)`)
	rePeriodWords = regexp.MustCompile(`\b(?:today|tomorrow|tonight|yesterday|weeks?|weekends?|months?|years?|quarters?|q[1-4]|since|between|ago|upcoming|(?:19|20)\d\d|d\d{4}x\d\dx\d\d|` + monthWordRE + `)\b`)
	reBareWeekend = regexp.MustCompile(`\b(?:(?:on|over|at|during)\s+)?the\s+weekend\b`)
	// a day of the week is one day in a question of being there or away
	// ("who's working in Paris fri", "who worked on saturday", "am I off on
	// friday", "how many staff have a shift on saturday")
	rePresenceBefore = regexp.MustCompile(`\b(?:working|work|works|worked|start|starts|starting|started|begin|begins|finish|finishes|finished|end|ends|on shift|on duty|scheduled|rostered|planned|free|available|at work|away|absent|on leave|on holiday|on vacation|have|has|had|a shift|my shift|my shifts)\b|\b(?:off|in|here|sick)\s+$`)
	reDayAsAdjective = regexp.MustCompile(`^\s*(?:shifts?|hours?|rota|roster|schedule|mornings?|evenings?|nights?)\b`)
	rePastVerbs      = regexp.MustCompile(`\b(?:worked|was|were|did|had|took|called|started|finished|ended|went|came|clocked|got|missed)\b`)
	reDayBeforeDay   = regexp.MustCompile(`\b(?:this|last|next|coming|past|every|each|per|by|a|on a|of|on every|any)\s+$`)
)

// endsFilter: what follows a bare month or year (a word or signs) ends it.
func endsFilter(after string) bool {
	after = strings.TrimSpace(after)
	return reBareNext.MatchString(after) || filterEnd[strings.Trim(after, "?.,!")]
}

// placeBare writes "in" before each match of re that stands alone: the
// signs around it are spaces, no word before it places it (placed), and
// what follows ends the filter it is.
func placeBare(s string, re *regexp.Regexp, placed func(before string) bool) string {
	var b strings.Builder
	last := 0
	for _, m := range re.FindAllStringIndex(s, -1) {
		head, tail := s[:m[0]], s[m[1]:]
		words := strings.Fields(head)
		before := ""
		if len(words) > 0 {
			before = strings.Trim(words[len(words)-1], ",.;:")
		}
		after := ""
		if f := strings.Fields(tail); len(f) > 0 {
			after = f[0]
		}
		alone := (head == "" || head[len(head)-1] == ' ') && (tail == "" || tail[0] == ' ' || strings.ContainsRune("?.,!", rune(tail[0])))
		if !alone || placed(before) || before != "" && before[0] >= '0' && before[0] <= '9' || !endsFilter(after) {
			continue
		}
		b.WriteString(s[last:m[0]] + "in ")
		last = m[0]
	}
	b.WriteString(s[last:])
	return b.String()
}

// bareDates places a month, a year or a day of the week typed with no
// word that places it: "absences nov" is "in november", "sick days 2025"
// "in 2025", "whos working fri" the coming Friday.
func bareDates(s string) string {
	s = placeBare(s, reBareMonth, func(before string) bool { return placedBy[before] || isNumber(before) })
	s = placeBare(s, reBareYear, func(before string) bool {
		return placedBy[before] || isNumber(before) || comparatorWords[before] || reMonthNear.MatchString(before)
	})
	if m := reBareWeekend.FindStringIndex(s); m != nil && !rePeriodWords.MatchString(s[:m[0]]+s[m[1]:]) && !strings.HasPrefix(strings.TrimSpace(s[m[1]:]), "before last") {
		when := "this"
		if rePastVerbs.MatchString(s) {
			when = "last"
		}
		return s[:m[0]] + " " + when + " weekend " + s[m[1]:]
	}
	if rePeriodWords.MatchString(s) {
		return s
	}
	days := reBareWeekday.FindAllStringSubmatchIndex(s, -1)
	if len(days) != 1 || days[0][7] > days[0][6] || reDayBeforeDay.MatchString(s[:days[0][0]]) ||
		!rePresenceBefore.MatchString(s[:days[0][0]]) || reDayAsAdjective.MatchString(s[days[0][1]:]) {
		return s // several days, "saturdays", "every saturday", "saturday shifts", "sick leaves that start on monday"
	}
	when := "next"
	if rePastVerbs.MatchString(s) {
		when = "last"
	}
	return s[:days[0][0]] + "on " + when + " " + s[days[0][4]:days[0][5]] + s[days[0][1]:]
}

// reComparePeriods: "compare hours in Q2 and Q3 2026" sets the two periods
// side by side, as "Q2 2026 vs Q3 2026".
var reComparePeriods = regexp.MustCompile(`\b(compar(?:e|ing|ison)\b.*?\b)(q[1-4](?: (?:19|20)\d\d)?|(?:19|20)\d\d|` + monthWordRE + `(?: (?:19|20)\d\d)?) and (q[1-4](?: (?:19|20)\d\d)?|(?:19|20)\d\d|` + monthWordRE + `(?: (?:19|20)\d\d)?)\b`)

// reEventBefore: "compare hours of staff hired in 2025 and 2026" names
// people by their hire year, not two periods.
var reEventBefore = regexp.MustCompile(`\b(?:hired|joined|started|left|born|recruited|hires?|leavers?|joiners?)(?: (?:in|during|between))? $`)

// comparePeriods writes reComparePeriods' two periods as "A vs B".
func comparePeriods(s string) string {
	return reComparePeriods.ReplaceAllStringFunc(s, func(m string) string {
		p := reComparePeriods.FindStringSubmatch(m)
		if reEventBefore.MatchString(p[1]) {
			return m
		}
		return p[1] + p[2] + " vs " + p[3]
	})
}

var (
	reHowManyTimes      = regexp.MustCompile(`\bhow many times\b`)
	reHowMuchTime       = regexp.MustCompile(`\bhow much (?:time|of (?:my|our|their) time)\b`)
	reAwayWords         = regexp.MustCompile(`\b(?:off|sick|ill|illness|vacation|holidays?|leave|absen\w*|pto|break|breaks|day off|days off)\b`)
	reHowMuchTimeNotOff = regexp.MustCompile(`\bhow much time( (?:was|were|did|have|has|had|is|are|do|does)\b)`)
	reBreakWord         = regexp.MustCompile(`\bbreaks?\b`)
	reWorkWords         = regexp.MustCompile(`\b(?:work|works|worked|working|put in|on shift|on duty)\b`)
)

// timesAndTime reads "how many times" and "how much time" by what the
// question is about: "how many times was I off sick" counts absences, "how
// many times did I work" shifts; "how much time did we work" is hours, but
// "how much time off" is not (its days are). Anything else keeps its words,
// and "times" stays unread.
func timesAndTime(s string) string {
	away, work := reAwayWords.MatchString(s), reWorkWords.MatchString(s)
	switch {
	case away && !work:
		s = reHowManyTimes.ReplaceAllString(s, "how many")
		if !reBreakWord.MatchString(s) {
			// "how much time was I off sick"; "time off" is vacation, kept
			s = reHowMuchTimeNotOff.ReplaceAllString(s, "how many days$1")
		}
	case work && !away:
		s = reHowManyTimes.ReplaceAllString(s, "how many shifts")
		s = reHowMuchTime.ReplaceAllString(s, "how many hours")
	}
	return s
}

// typedDates writes the dates people type as words scry reads: "2026-09"
// as "september 2026", "26/11/2026" as 2026-11-26 (and "11/26/2026" too;
// "03/04/2026" stays as typed, since either number may be the day), "Aug
// '26" as "aug 2026".
func typedDates(s string) string {
	s = reShortYear.ReplaceAllStringFunc(s, func(m string) string {
		p := reShortYear.FindStringSubmatch(m)
		century := "20"
		if atoi(p[2]) >= 70 { // "Jan '90" is 1990, as Go's own two-digit years
			century = "19"
		}
		return p[1] + " " + century + p[2]
	})
	s = reSlashDate.ReplaceAllStringFunc(s, func(m string) string {
		p := reSlashDate.FindStringSubmatch(m)
		a, b := atoi(p[1]), atoi(p[2])
		dots := strings.Contains(m, ".") // "16.11.2026" is written day first, never month first
		switch {
		case (dots || a == b) && a >= 1 && a <= 31 && b >= 1 && b <= 12:
			return fmt.Sprintf("%s-%02d-%02d", p[3], b, a)
		case a > 12 && a <= 31 && b >= 1 && b <= 12:
			return fmt.Sprintf("%s-%02d-%02d", p[3], b, a)
		case b > 12 && b <= 31 && a >= 1 && a <= 12:
			return fmt.Sprintf("%s-%02d-%02d", p[3], a, b)
		}
		return m
	})
	// "27/11" with no year: a day and a month, when one of the two can only
	// be the day ("9/11" stays unread: either order; "24/7" is no date)
	s = reSlashNoYear.ReplaceAllStringFunc(s, func(m string) string {
		p := reSlashNoYear.FindStringSubmatch(m)
		a, b := atoi(p[2]), atoi(p[3])
		switch {
		case a == 24 && b == 7:
		case a > 12 && a <= 31 && b >= 1 && b <= 12:
			return p[1] + monthNames[b-1] + " " + p[2] + p[4]
		case b > 12 && b <= 31 && a >= 1 && a <= 12:
			return p[1] + monthNames[a-1] + " " + p[3] + p[4]
		}
		return m
	})
	return reISOMonth.ReplaceAllStringFunc(s, func(m string) string {
		p := reISOMonth.FindStringSubmatch(m)
		if p[3] != "" || atoi(p[2]) == (atoi(p[1])+1)%100 {
			return m // a day; "2011-12", a school year as often as a month
		}
		return " " + monthNames[atoi(p[2])-1] + " " + p[1] + " "
	})
}

// normPhrase normalises a synonym or a tenant value the same way.
func normPhrase(s string) string {
	return strings.Join(normalize(s), " ")
}

// within1 reports whether a and b differ by at most one edit
// (insertion, deletion, substitution or transposition of neighbours).
func within1(a, b string) bool {
	if a == b {
		return true
	}
	la, lb := len(a), len(b)
	if la-lb > 1 || lb-la > 1 {
		return false
	}
	i := 0
	for i < la && i < lb && a[i] == b[i] {
		i++
	}
	switch {
	case la == lb:
		if a[i+1:] == b[i+1:] {
			return true
		}
		return i+1 < la && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	case la > lb:
		return a[i+1:] == b[i:]
	default:
		return a[i:] == b[i+1:]
	}
}

var (
	monthWordRE   = `(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`
	reMonthNear   = regexp.MustCompile(`^\s*(?:of\s+)?` + monthWordRE + `\b`)
	reMonthBefore = regexp.MustCompile(`\b` + monthWordRE + `\s+(?:the\s+)?$`)
	ordinalNames  = []string{"", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"}
)

// ordinalWords writes "2nd" as a day's number beside a month ("June 1st",
// "the 21st of November") and as a word elsewhere ("the 2nd highest" is
// "second highest", never "the 2 highest").
func ordinalWords(s string) string {
	var b strings.Builder
	last := 0
	for _, m := range reOrdinal.FindAllStringSubmatchIndex(s, -1) {
		b.WriteString(s[last:m[0]])
		n := s[m[2]:m[3]]
		k := atoi(n)
		if reMonthNear.MatchString(s[m[1]:]) || reMonthBefore.MatchString(s[:m[0]]) || k < 1 || k >= len(ordinalNames) {
			b.WriteString(n)
		} else {
			b.WriteString(ordinalNames[k])
		}
		last = m[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// Words of speech, as a dictated question holds them: fillers ("um",
// "uh"; not "er" or "ah", which may be a place's initials: "the ER"),
// numbers said in words ("forty five", "twenty twenty five", "two
// thousand and twenty") and dates said aloud ("the first of October").
var (
	reFiller      = regexp.MustCompile(`(?:^|[\s,])(?:u+m+|u+h+|uhm|e+r+m+|hmm+)(?:[\s,.]|$)`)
	reSpokenTens  = regexp.MustCompile(`\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[ -](one|two|three|four|five|six|seven|eight|nine)\b`)
	reSpokenYear  = regexp.MustCompile(`\b(?:twenty|two thousand(?: and)?) (\d{1,2}|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty)\b`)
	reSpokenOrd   = regexp.MustCompile(`\bthe (\d{1,2}|(?:twenty |thirty )?(?:` + ordinalWordRE + `))(?:st|nd|rd|th)? of (` + monthWordRE + `)\b`)
	spokenUnits   = map[string]int{"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
	spokenTens    = map[string]int{"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
	spokenTeens   = map[string]int{"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30}
	ordinalWordRE = `first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth`
	ordinalDays   = strings.Split(ordinalWordRE, "|") // the first is day 1, …, then 20 and 30
)

func spokenWords(s string) string {
	for reFiller.MatchString(s) { // adjacent fillers share a space
		s = reFiller.ReplaceAllString(s, " ")
	}
	s = reSpokenTens.ReplaceAllStringFunc(s, func(m string) string {
		w := strings.FieldsFunc(m, func(r rune) bool { return r == ' ' || r == '-' })
		return strconv.Itoa(spokenTens[w[0]] + spokenUnits[w[1]])
	})
	// "twenty 25" (from "twenty twenty five"), "two thousand and ten": a year
	s = reSpokenYear.ReplaceAllStringFunc(s, func(m string) string {
		w := strings.Fields(m)
		last := w[len(w)-1]
		n, ok := spokenTeens[last]
		if !ok {
			n, _ = strconv.Atoi(last)
		}
		if n > 99 {
			return m
		}
		return strconv.Itoa(2000 + n)
	})
	return reSpokenOrd.ReplaceAllStringFunc(s, func(m string) string {
		g := reSpokenOrd.FindStringSubmatch(m)
		n, err := strconv.Atoi(g[1])
		if err != nil {
			w := strings.Fields(g[1])
			n = slices.Index(ordinalDays, w[len(w)-1]) + 1
			if n == 20 || n == 21 {
				n = (n - 18) * 10 // twentieth, thirtieth
			}
			if len(w) == 2 {
				n += spokenTens[w[0]]
			}
		}
		return strconv.Itoa(n) + " " + g[2]
	})
}

// Readings of "how long": "how long did I work yesterday" is hours (of a
// day to come, planned), "how long has Anna worked" with no period her
// tenure, "how long was I off sick" the days in all; the length of one
// shift, break or absence ("how long were the shifts last week", "how
// long was the average sick leave") keeps the model's reading.
var (
	reHowLongWork = regexp.MustCompile(`\bhow long (do|does|did|will|am|is|are|was|were|have|has|had) ((?:[a-z'-]+\s+){0,4}?)(?:been\s+)?(work|works|worked|working|scheduled|rostered|planned|on shift|on duty)\b(.*)$`)
	reHowLongAway = regexp.MustCompile(`\bhow long (was|were|has|have|had|is|am|are) (i|you|he|she|we|they|[a-z]+ [a-z]+)\s+(?:been\s+)?(off|absent|away|out sick|on (?:sick )?leave|on vacation|on holiday|sick)\b`)
	// "how long was Adam Durand with us", "how long were you employed
	// here": a stay, the tenure (it was read as an absence's length)
	reHowLongStay = regexp.MustCompile(`\bhow long (was|were|is|are|has|have|had) (i|you|he|she|they|we|the [a-z]+ [a-z]+|the [a-z]+|[a-z]+ [a-z]+|[a-z]+s)\s+(?:been\s+)?(?:with us|with the (?:company|firm|business|organi[sz]ation|district|school)|employed(?: here| with us| by us)?|here|on (?:the )?staff|on the payroll)\b`)
	reLengthWords = regexp.MustCompile(`\b(?:shifts?|breaks?|absences?|leaves?|average|typical|usual|the|a|an|each|every|our|their|its|this|that)\b`)
)

func howLong(s string) string {
	if m := reHowLongWork.FindStringSubmatchIndex(s); m != nil {
		aux, who, verb, rest := s[m[2]:m[3]], strings.TrimSpace(s[m[4]:m[5]]), s[m[6]:m[7]], s[m[8]:m[9]]
		switch {
		case reLengthWords.MatchString(who) && !strings.Contains(who, "my "):
		case (aux == "have" || aux == "has" || aux == "had") && (verb == "working" || verb == "worked") && !rePeriodWords.MatchString(rest):
			// "how long have I been working", "how long has Anna worked in Logistics"
			if who == "i" {
				return s[:m[0]] + " what is my tenure " + rest
			}
			return s[:m[0]] + " what is the tenure of " + who + " " + rest
		default:
			return s[:m[0]] + " how many hours " + aux + " " + who + " " + verb + rest
		}
	}
	if m := reHowLongStay.FindStringSubmatch(s); m != nil {
		switch who := strings.TrimPrefix(m[2], "the "); {
		case who == "i":
			return strings.Replace(s, m[0], " what is my tenure ", 1)
		case who == "you" || who == "he" || who == "she" || who == "they" || who == "we":
			// "how long was she with us": whom is not said (refused in decide)
		case m[1] == "were" || m[1] == "are" || m[1] == "have" || strings.HasSuffix(who, "s") && !strings.Contains(who, " "):
			// "how long were the teachers with us": their average
			return strings.Replace(s, m[0], " what is the average tenure of "+who+" ", 1)
		case !reLengthWords.MatchString(who):
			// "how long was Adam Durand with us", "… was the chef with us"
			return strings.Replace(s, m[0], " what is the tenure of "+who+" ", 1)
		}
	}
	if m := reHowLongAway.FindStringSubmatch(s); m != nil && !reLengthWords.MatchString(m[2]) {
		return strings.Replace(s, m[0], " how many days "+m[1]+" "+m[2]+" "+m[3]+" ", 1)
	}
	return s
}

// decades: "in their thirties", "in their 30s" are ages 30 to 39.
var (
	reAgeDecade = regexp.MustCompile(`\bin\s+(?:their|his|her|my|the)\s+(twenties|thirties|forties|fifties|sixties|[2-6]0s)\b`)
	decadeWords = map[string]int{"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60}
)

func decades(s string) string {
	return reAgeDecade.ReplaceAllStringFunc(s, func(m string) string {
		w := reAgeDecade.FindStringSubmatch(m)[1]
		n, ok := decadeWords[w]
		if !ok {
			n = atoi(w[:2])
		}
		return fmt.Sprintf(" aged between %d and %d ", n, n+9)
	})
}

// eachOfMine: "how many hours did each of my line cooks work" is a row
// for each line cook of the asker's team ("each of my stores" groups by
// store, as without "my").
var (
	reEachOfMine = regexp.MustCompile(`\beach\s+of\s+my\s+([a-z]+)\b`)
	groupNouns   = wordSet(`store school site location department dept position job role shop restaurant hotel branch office week month quarter year day shift`)
)

func eachOfMine(s string) string {
	m := reEachOfMine.FindStringSubmatchIndex(s)
	if m == nil {
		return s
	}
	if groupNouns[singular(s[m[2]:m[3]])] {
		// the asker's groups are theirs by scope already ("the hours each
		// of my stores worked" dropped the stores)
		return s[:m[0]] + " each " + s[m[2]:]
	}
	return s[:m[0]] + " each " + s[m[2]:] + " on my team "
}

// hiresByAsker: "receptionists I've taken on this year", "who did we
// hire" are hires (of the asker's scope), not the asker's own record;
// "when was I hired" is the asker's, and "how many shifts did I take on"
// the asker's shifts.
var (
	reAskerHired = regexp.MustCompile(`\b([a-z]+)\s+(?:(?:have|had)\s+)?(i|we)\s+(?:(?:have|had)\s+)?(hired|recruited|onboarded|(?:took|taken|brought)\s+(?:on|in))\b`)
	reAskerHire  = regexp.MustCompile(`\b([a-z]+)\s+did\s+(i|we)\s+(hire|recruit|onboard|(?:take|bring)\s+(?:on|in))\b`)
	passiveWords = wordSet(`was were am is are be been being get got`)
	takenThings  = wordSet(`shift shifts hour hours day days task tasks overtime extra more work duty duties job jobs role roles project projects`)
)

func hiresByAsker(s string) string {
	for _, re := range []*regexp.Regexp{reAskerHired, reAskerHire} {
		s = re.ReplaceAllStringFunc(s, func(m string) string {
			g := re.FindStringSubmatch(m)
			if w := singular(g[1]); passiveWords[w] || strings.Contains(g[3], " ") && takenThings[w] {
				return m
			}
			// "who did I hire": not the asker, who is in their own scope
			notMe := map[bool]string{true: " notme ", false: " "}[g[2] == "i"]
			if g[1] == "who" || g[1] == "whom" || g[1] == "that" || re == reAskerHire {
				return " " + g[1] + " were hired" + notMe
			}
			return " " + g[1] + " hired" + notMe
		})
	}
	return s
}

// leaveVerb: "leave" said as a verb is a departure ("did anybody leave my
// team in February", "the longest-serving employee to leave in 2026", "who
// will leave"), the noun an absence ("on leave", "sick leave", "did Tom take
// leave", "how did leave change"). Only the verb's plain signs are read: "to"
// or a subject and a modal right before it, a subject after "did/will" that
// is no word of an absence ("has upcoming sick leave"), or a place it leaves
// with no word of an absence before ("sick leave my team took"); the rest
// stays the noun, as CONVENTIONS.md reads "leave" alone.
var (
	reLeaveAfterAux   = regexp.MustCompile(`\b(going to|about to|planning to|plan to|expected to|due to|(?:employee|person|people|staff|one|first|last|next)s? to|(?:who|that|which|anyone|anybody|someone|somebody|people|staff|employees|everyone|nobody|i|we|they|he|she)\s+(?:will|would|might|may))\s+leave\b`)
	reLeaveSubject    = regexp.MustCompile(`\b(did|does|do|will|has|have)\s+((?:anyone|anybody|someone|somebody|nobody|people|staff|employees|everyone|any\s+(?:of\s+(?:my|our|the)\s+)?[a-z]+|many\s+[a-z]+|[a-z]+\s+[a-z]+))\s+leave\b`)
	reLeavePlace      = regexp.MustCompile(`\bleave\s+((?:my|our|the|this|his|her|their)\s+(?:team|company|department|dept|school|store|shop|restaurant|firm|business|organi[sz]ation|district|job|role|employment)|us)\b`)
	leaveSubjectsNoun = wordSet(`take took taken taking book booked use used request requested have had get got go went on of any more much
		upcoming annual sick parental maternity paternity unpaid vacation holiday long short paid no some the a an their his her my our planned
		approved pending extra enough`)
	reLeavePlural   = regexp.MustCompile(`\b([a-z]+s|staff|people|personnel|crew|everyone|anyone|anybody|someone|somebody|nobody|who)\s+(will|would|might|may|did)\s+leave\b`)
	notLeaveSubject = map[string]bool{"has": true, "was": true, "is": true, "this": true, "does": true, "its": true, "his": true, "hers": true,
		"days": true, "hours": true, "shifts": true, "absences": true, "leaves": true, "vacations": true, "holidays": true, "us": true, "yes": true, "as": true}
	// the words before "leave" that make it the noun ("sick leave my team
	// took", "annual leave this team has taken")
	leaveNounBefore = wordSet(`sick annual parental maternity paternity unpaid paid vacation holiday study compassionate bereavement on of much any some no took take taken taking booked book use used`)
)

func leaveVerb(s string) string {
	s = rewriteLeave(s, reLeaveAfterAux, func(g []string) (string, bool) { return g[1] + " quit", true })
	// "which cashiers will leave next month", "how many staff did leave":
	// a plural subject right before the modal
	s = rewriteLeave(s, reLeavePlural, func(g []string) (string, bool) {
		return g[1] + " " + g[2] + " quit", !notLeaveSubject[g[1]] && !leaveNounBefore[singular(g[1])]
	})
	s = rewriteLeave(s, reLeaveSubject, func(g []string) (string, bool) {
		// "did Tom take leave", "do I have leave"
		return g[1] + " " + g[2] + " quit", !slices.ContainsFunc(strings.Fields(g[2]), func(w string) bool { return leaveSubjectsNoun[singular(w)] })
	})
	// "anybody leave my team", "staff who leave the company": a place left
	// after someone who leaves ("list the leave my team took" is the noun)
	for _, loc := range slices.Backward(reLeavePlace.FindAllStringSubmatchIndex(s, -1)) {
		before := strings.Fields(s[:loc[0]])
		if len(before) == 0 || !leavesSubject(before[len(before)-1]) || reLeaveForAbsence.MatchString(s[loc[1]:]) {
			continue
		}
		s = s[:loc[0]] + "quit " + s[loc[2]:loc[3]] + s[loc[1]:]
	}
	// "will quit us", "quit their job": what is quit is no condition
	return reQuitPlace.ReplaceAllString(s, "quit")
}

var reQuitPlace = regexp.MustCompile(`\bquit\s+(?:us|(?:their|his|her|the|my|our)\s+(?:job|jobs|company|organi[sz]ation|firm|business|employment|role))\b`)

// reLeaveForAbsence: words after "leave" that make it the noun's ("will
// leave on holiday", "going to leave for vacation").
var reLeaveForAbsence = regexp.MustCompile(`^\s+(?:on|for|of)\s+(?:a\s+|an\s+|their\s+|his\s+|her\s+|my\s+|our\s+)?(?:vacation|holiday|leave|parental|maternity|paternity|sick|annual|absence|training|break|pto|time\s+off|days?\s+off|study|unpaid)`)

// rewriteLeave replaces each match of re that out accepts, unless the
// words after it make "leave" an absence.
func rewriteLeave(s string, re *regexp.Regexp, out func(g []string) (string, bool)) string {
	for _, loc := range slices.Backward(re.FindAllStringSubmatchIndex(s, -1)) {
		if reLeaveForAbsence.MatchString(s[loc[1]:]) {
			continue
		}
		g := make([]string, len(loc)/2)
		for k := range g {
			if loc[2*k] >= 0 {
				g[k] = s[loc[2*k]:loc[2*k+1]]
			}
		}
		if r, ok := out(g); ok {
			s = s[:loc[0]] + r + s[loc[1]:]
		}
	}
	return s
}

// leavesSubject: a word right before "leave <a place>" that can be who
// leaves: a modal, "to", a pronoun or a plural noun ("did anybody leave
// my team", "staff who leave the company", "cashiers leave the store").
func leavesSubject(w string) bool {
	switch w {
	case "to", "will", "would", "might", "may", "did", "who", "that", "which", "anyone", "anybody", "someone", "somebody", "nobody",
		"people", "staff", "employees", "everyone", "i", "we", "they", "he", "she", "quit":
		return true
	}
	return strings.HasSuffix(w, "s") && !notLeaveSubject[w] && !leaveNounBefore[singular(w)]
}

// noneInGroups: "which departments have no part-time employees", "schools
// that do not have any social workers": the groups where the share of those
// people is 0 (a count of them would leave out the groups that have none).
// Only people: "departments with no sick days" would leave out the
// departments with no absences at all.
var reNoneInGroup = regexp.MustCompile(`\b(departments?|depts?|locations?|schools?|stores?|shops?|sites?|branches|branch|restaurants?|cities|city|teams?)\s+(?:that\s+|which\s+)?(?:(?:have|has|had|with)\s+(?:no|zero|not\s+a\s+single|not\s+any)|(?:do|does|did)\s+not\s+have\s+(?:any|a\s+single)?|without\s+(?:any\s+)?)\s*([a-z][a-z -]*?)\s*([?.!]?\s*)$`)

var notPeople = wordSet(`day days hour hours shift shifts absence absences leave leaves sick vacation vacations holiday holidays training overtime break breaks time hire hires leaver leavers starter starters cost wage wages
	working worked work works scheduled rostered hired joined left leaving who that which last this next since during in on at from between before after today yesterday tomorrow week month year more fewer less than`)

func noneInGroups(s string) string {
	return reNoneInGroup.ReplaceAllStringFunc(s, func(m string) string {
		g := reNoneInGroup.FindStringSubmatch(m)
		words := strings.Fields(g[2])
		if len(words) == 0 || len(words) > 4 || slices.ContainsFunc(words, func(w string) bool { return notPeople[singular(w)] }) {
			return m
		}
		return g[1] + " where the share of " + g[2] + " is exactly 0" + g[3]
	})
}

// lostPeople: "how many teachers did I lose last year", "how many line cooks
// have we lost": people who left. Only people: "how many hours did we lose"
// is no departure (and no number the data holds).
var reLostPeople = regexp.MustCompile(`\bhow\s+many\s+((?:[a-z-]+\s+){1,3}?)(?:have|has|had|did)\s+(?:i|we|they|you)\s+(?:lost|lose)(\s*(?:[?.!,;]|$)|\s+(?:in|this|last|since|during|so|over|between|from|the\s+(?:last|past|previous)|on|at|yet)\b)`)

func lostPeople(s string) string {
	return reLostPeople.ReplaceAllStringFunc(s, func(m string) string {
		g := reLostPeople.FindStringSubmatch(m)
		if slices.ContainsFunc(strings.Fields(g[1]), func(w string) bool { return notPeople[singular(w)] }) {
			return m
		}
		return "how many " + g[1] + "have left" + g[2]
	})
}

// teamSizes: "which manager has the most direct reports", "which managers
// have the fewest reports": managers ranked by their direct reports (each
// was refused: managers are listed, not ranked). Not "the biggest team" or
// "the most people": a manager's team is everyone below them. One manager asked for is the first (ties kept); managers, a
// list in that order. Only where the phrase ends the question: "the
// biggest team in Bordeaux" could count the team or its Bordeaux part.
var reTeamSizes = regexp.MustCompile(`^\s*(?:(which|what)\s+(managers?|bosse?s?|supervisors?)\s+(?:has|have|with)|(who)\s+(?:manages|has|is the manager of))\s+the\s+(most|biggest|largest|fewest|smallest|least)\s+(?:number\s+of\s+)?(?:direct\s+)?(?:reports|subordinates)\s*[?.!]*\s*$`)

func teamSizes(s string) string {
	m := reTeamSizes.FindStringSubmatch(s)
	if m == nil {
		return s
	}
	first := map[bool]string{true: "bottom", false: "top"}[m[4] == "fewest" || m[4] == "smallest" || m[4] == "least"]
	if strings.HasSuffix(m[2], "s") && m[2] != "boss" {
		return " number of direct reports per manager, " + map[string]string{"top": "highest", "bottom": "lowest"}[first] + " first "
	}
	return " number of direct reports per manager, " + first + " 1 "
}

// earnedPay: "how much did I earn last month", "how much was Anna Roux
// paid", "how much will the cashiers be paid in December": what their hours
// cost, as "how much did I cost" reads (hours worked times the wage: the
// data holds no payslips), in the question's tense. Not in the present,
// which asks for a rate ("how much does Anna earn per hour"); not of
// someone unnamed ("he", "you") or of the business ("how much did we make"
// is revenue); "make" only of the asker ("how much did Lyon make").
var reEarnedPay = regexp.MustCompile(`\bhow much (was|were|did|have|has|will) (i|(?:the|our|my) [a-z]+|[a-z]+ [a-z]+) (?:be |get |got |been )?(paid|earn|earned|make|made)\b`)

func earnedPay(s string) string {
	return reEarnedPay.ReplaceAllStringFunc(s, func(m string) string {
		g := reEarnedPay.FindStringSubmatch(m)
		who, verb := g[2], g[3]
		if (verb == "make" || verb == "made") && who != "i" || slices.Contains(strings.Fields(who), "company") || slices.Contains(strings.Fields(who), "business") {
			return m
		}
		aux := map[bool]string{true: "will", false: "did"}[g[1] == "will"]
		return " how much " + aux + " " + who + " cost "
	})
}

// amountBeside: "which staff took parental leave in 2026, and for how many
// days in total?": the people, with their days beside them (one total was
// given). Not after a ranking ("who had the most sick leaves this year and
// how many days": ranked by the days, not the leaves asked).
var reAmountBeside = regexp.MustCompile(`^(\s*(?:who|which|list|show|name)\b.*?)[\s?.,!;]+and\s+(?:for\s+)?how\s+(?:many|much)\s+((?:sick\s+|vacation\s+|holiday\s+)?(?:days?|hours?|shifts?))(?:\s+(?:in\s+total|altogether|in\s+all|each|of\s+it|of\s+them|did\s+(?:they|each(?:\s+one)?)\s+(?:take|have|work|do)|(?:they|each|he|she)\s+(?:worked|took|had|did|work|take)|were\s+taken))?\s*\??\s*$`)

var reRankWord = regexp.MustCompile(`\b(?:most|least|fewest|highest|lowest|top|bottom|longest|shortest|biggest|largest|smallest|best|worst|max|min|maximum|minimum)\b`)

func amountBeside(s string) string {
	m := reAmountBeside.FindStringSubmatch(s)
	if m == nil || reRankWord.MatchString(m[1]) {
		return s
	}
	return m[1] + ", with their " + m[2]
}
