package ask

import (
	"unicode/utf8"

	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/errcode"
)

// Recorded is what the history and the audit log keep of one asked
// question, the same whichever door (CLI, API, page) it came through.
type Recorded struct {
	Audit   audit.Record // its Outcome is audit.OutcomeOf the question's error
	History string       // the question as kept in the history
	Outcome string       // for the history: "ok" or the error's code
}

// RecordOf builds the records of a question asked by actor in tenant. A
// question that was not answered can be anything anyone typed (up to the
// request's size), so only its first MaxQuestionLength characters are kept,
// with its length; an answered one is never longer than that.
func RecordOf(tenant, actor, question string, ans *Answer, err error) Recorded {
	kept := question
	if utf8.RuneCountInString(kept) > MaxQuestionLength {
		kept = string([]rune(kept)[:MaxQuestionLength])
	}
	rows := 0
	if ans != nil {
		rows = len(ans.Rows)
	}
	details := map[string]any{"question": kept, "rows": rows}
	r := Recorded{History: kept, Outcome: "ok"}
	if err != nil {
		code := errcode.From(err).Code
		details["error"] = code
		details["question_length"] = utf8.RuneCountInString(question)
		r.Outcome = string(code)
	}
	r.Audit = audit.Record{Tenant: tenant, Actor: actor, Action: "ask", Target: "hr", Outcome: audit.OutcomeOf(err), Details: details}
	return r
}
