package ask

import (
	"regexp"
	"strings"

	"github.com/scry-dev/scry/internal/errcode"
)

// The guard runs before any parsing. It refuses two things: attempts to
// steer the engine (prompt injection, role play, system-prompt extraction,
// SQL and code payloads) and forbidden topics (profiling people by protected
// characteristics, health beyond absence type, insults). Everything else
// goes on to the parser, which answers not_understood when it finds no
// question about the data.

var injectionPatterns = compileAll(
	`\b(ignore|disregard|forget|override|bypass|skip)\b.{0,40}\b(previous|prior|above|earlier|all|any|your|the|these|those)\b.{0,30}\b(instruction|instructions|prompt|prompts|rules?|directions?|guidelines?|context|restrictions?|filters?)\b`,
	`\b(vergiss|ignoriere|ignorieren)\b`,
	`\b(system|initial|hidden|original|secret)\s+(prompt|instructions?|message)\b`,
	`\byour\s+(instructions|prompt|rules|guidelines|programming)\b`,
	`\b(you are|you're) (now|no longer|free|going to be|a|an)\b`,
	`\b(act|acting|behave|respond|answer|reply) (as|like) (a|an|if|my|the)\b`,
	`\bpretend\b|\brole ?play\b|\bjailbreak\w*\b|\bdo anything now\b|\bdeveloper mode\b|\bdan mode\b|\b(stan|dude|aim|dan)\b:`,
	`\bi want you to\b|\bfrom now on\b\W*(?:you|your|act|always|never|ignore|respond|answer|reply|pretend|only|be|we|i|the|every|all|any)\b|\bstay in character\b|\bsimulate\b|\bhypothetical(ly)?\b.{0,40}\b(ai|model|assistant)\b`,
	`\b(repeat|print|output|reveal|show|tell|display|spell)\b.{0,30}\b(the text|everything|all text|words?|instructions|prompt|conversation)\b.{0,20}\b(above|before|beginning|verbatim|so far|start)\b`,
	`\bnew (instructions?|task|rules?|role)\b|\binstead\b.{0,20}\b(say|write|output|print)\b`,
	`\b(write|generate|create|produce|give me|output)\b.{0,30}\b(sql|code|script|query|program|python|javascript|shell|html)\b`,
	`\b(select\s+\*|drop\s+table|delete\s+from|insert\s+into|update\s+\w+\s+set|union\s+(all\s+)?select|truncate\s+table|alter\s+table|exec(ute)?\s*\(|xp_cmdshell|sleep\s*\(|benchmark\s*\(|pg_sleep|information_schema|sqlite_master)`,
	`(--|/\*|\*/|;\s*$|;\s*(select|drop|delete|insert|update|alter|create|exec|union|truncate|grant|shutdown|declare|begin|commit)\b|'\s*(or|and)\s*'?\d|'\s*=\s*'|\bor\s+1\s*=\s*1\b|<script|\$\{|\{\{)`,
	`\b(tenant|tenants|organisation|organization|company|companies)\b.{0,20}\b(other|another|all|every|different)\b|\b(other|another|all|every|different)\b.{0,12}\b(tenant|tenants|organisations|organizations|companies)\b`,
	`\b(admin|administrator|root|superuser|sudo)\b.{0,20}\b(access|mode|rights|privileges?|permissions?)\b|\b(escalate|elevate|grant me)\b`,
	`\b(password|passwords|api key|token|credentials?|secret key)\b`,
)

var forbiddenPatterns = compileAll(
	`\b(race|races|racial|ethnicity|ethnic|ethnicities|skin colou?r|nationality|nationalities|national origin|religion|religions|religious|muslims?|christians?|jews?|jewish|hindus?|atheists?|caste)\b`,
	`\b(sexual orientation|gay|gays|lesbians?|homosexuals?|bisexual|transgender|queer|straight people|sex life)\b`,
	`\b(politic|politics|political|party affiliation|votes? for|voted|democrats?|republicans?|liberals?|conservatives?|union members?|trade union)\b`,
	`\b(pregnan\w*|disabilit\w*|disabled|diagnos\w*|diseases?|medical|medication|mental health|depress\w*|anxiety|cancer|hiv|aids|genetic|illnesses? (of|by)|health (data|records?|conditions?|status|problems?)|handicap\w*)\b`,
	`\b(lazy|laziest|lazier|stupid|stupidest|dumb|dumbest|idiots?|ugly|ugliest|useless|worthless|incompetent|morons?|losers?|fat|fattest|hate|worst people)\b`,
	`\b(kill|murder|bomb|weapon|weapons|suicide|self harm|hurt|attack|poison|drugs?|meth|explosive)\b`,
	`\b(fire|sack|punish|spy on|track|monitor)\b.{0,30}\b(because|based on|for being)\b`,
	`\b(rank|rate|score|profile|sort|compare)\b.{0,40}\b(by|on|based on)\b.{0,20}\b(looks|attractiveness|beauty|accent)\b`,
)

func compileAll(ps ...string) []*regexp.Regexp {
	out := make([]*regexp.Regexp, len(ps))
	for i, p := range ps {
		out[i] = regexp.MustCompile(`(?is)` + p)
	}
	return out
}

// MaxQuestionLength bounds what the engine reads.
const MaxQuestionLength = 500

// Guard returns a refusal for questions that must not be parsed, or nil.
func Guard(q string) error {
	if strings.TrimSpace(q) == "" {
		return errcode.New(errcode.NotUnderstood, "Ask a question about your workforce data, e.g. \"How many employees do we have?\"")
	}
	if len(q) > MaxQuestionLength {
		return errcode.New(errcode.PromptInjection, "The question is longer than %d characters; ask one short question about your workforce data", MaxQuestionLength)
	}
	for _, r := range q {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
			return errcode.New(errcode.PromptInjection, "The question holds control characters; ask in plain words")
		}
	}
	lower := strings.ToLower(q)
	for _, re := range forbiddenPatterns {
		if re.MatchString(lower) {
			return errcode.New(errcode.ForbiddenTopic, "scry does not answer questions about protected characteristics, health beyond absence types, or that judge people; ask about hours, absences, headcount or contracts instead")
		}
	}
	for _, re := range injectionPatterns {
		if re.MatchString(lower) {
			return errcode.New(errcode.PromptInjection, "This reads as an instruction to the engine rather than a question about your data; ask a plain question such as \"How many hours did my team work last week?\"")
		}
	}
	return nil
}
