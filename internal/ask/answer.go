package ask

import (
	"context"
	"time"

	"github.com/scry-dev/scry/internal/errcode"
)

// Question is one question as a door (CLI, JSON API, page) received it.
type Question struct {
	Text string
	Now  time.Time // the reference date of relative time expressions
	Prev *Query    // the previous answer's query, for a follow-up ("what about last year?")
}

// Answer is the use case of asking, the same for every door: the question
// is guarded, read, validated against the asker's scope and run (AskAfter),
// then kept in the asker's history and the audit log whatever became of it,
// refused, denied, timed out or broken. A refusal or a timeout is an answer
// whose Error says why it has no rows; the error returned is only for what
// broke (the database, the audit log), which a door reports as internal.
func (e *Engine) Answer(ctx context.Context, who Asker, q Question) (*Answer, error) {
	if e.Audit == nil {
		return nil, errcode.New(errcode.Internal, "ask: the engine has no audit log")
	}
	ans, askErr := e.AskAfter(ctx, who, q.Text, q.Now, q.Prev)
	rec := RecordOf(who.Tenant, "user:"+who.User.Email, q.Text, ans, askErr)
	e.recorderOnce.Do(func() { e.recorder = newRecorder(e.DB, e.Audit) })
	recErr := e.recorder.record(ctx, &askRecord{tenantID: who.TenantID, userID: who.User.ID, question: rec.History, outcome: rec.Outcome, rec: rec.Audit})
	if askErr != nil {
		if c := errcode.From(askErr).Code; c == errcode.Internal || c == errcode.Unavailable {
			return nil, askErr
		}
		e := errcode.From(askErr)
		ans.Error = &AskError{Code: e.Code, Message: e.Message}
	}
	if recErr != nil {
		return nil, errcode.Wrap(errcode.Internal, recErr, "The question could not be recorded")
	}
	return ans, nil
}

// Outcome is the answer's outcome as the history and the metrics count it:
// "ok" or the code of the refusal.
func (a *Answer) Outcome() string {
	if a.Error != nil {
		return string(a.Error.Code)
	}
	return "ok"
}
