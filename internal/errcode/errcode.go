// Package errcode is scry's one vocabulary of errors: every failure a person
// or a script can see carries one of these codes, and this file alone maps a
// code to a process exit status (and, for the server, to an HTTP status).
package errcode

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// Code names a class of failure in snake_case, as printed in JSON errors.
type Code string

const (
	Invalid          Code = "invalid_input"
	NotFound         Code = "not_found"
	AlreadyExists    Code = "already_exists"
	PermissionDenied Code = "permission_denied"
	Unauthenticated  Code = "unauthenticated"
	NotUnderstood    Code = "not_understood"
	ForbiddenTopic   Code = "forbidden_topic"
	PromptInjection  Code = "prompt_injection"
	Tampered         Code = "audit_tampered"
	Conflict         Code = "conflict"
	Unavailable      Code = "unavailable" // an outside service (a language model) did not answer, or the database stayed busy
	RateLimited      Code = "rate_limited"
	Timeout          Code = "timeout"  // a question ran past its time limit and was stopped
	Canceled         Code = "canceled" // stopped before it finished: an interrupt, a shutdown, a client gone
	Internal         Code = "internal"
)

// Error is an error meant for a person: Message is one sentence they can act
// on; Err, when set, is the cause for the log and is never shown to clients.
type Error struct {
	Code    Code
	Message string
	Details []string // further problems, e.g. one per bad CSV field
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// New returns a person-facing error with a formatted message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns a person-facing error that keeps cause for the log.
func Wrap(code Code, cause error, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: cause}
}

// From finds the scry error in err's chain; anything else is Internal with a
// message that reveals nothing.
func From(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: Internal, Message: "Something went wrong inside scry; the log has the details.", Err: err}
}

// Stopped is err, the failure of work whose context was canceled, as a
// person should read it: not an internal error, and not a timeout.
func Stopped(err error) *Error {
	return Wrap(Canceled, err, "Stopped before it finished (interrupted); the change it was making was not saved")
}

// Interrupted is err as its caller should read it: once ctx is canceled,
// work fails in whatever way the step that noticed made of it — a closed
// statement or a finished transaction (internal), SQLite's "interrupted"
// or PostgreSQL's query_canceled (timeout) — and that is Canceled. An
// error with a meaning of its own (refused input, a denial, a message that
// says what became of the work) stays as it is, and so does everything
// when ctx ended by its deadline: that is a timeout.
func Interrupted(ctx context.Context, err error) error {
	if err == nil || !errors.Is(ctx.Err(), context.Canceled) {
		return err
	}
	if c := From(err).Code; c != Internal && c != Timeout {
		return err
	}
	return Stopped(err)
}

// Is reports whether err carries code.
func Is(err error, code Code) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

// ExitStatus is the process exit status for err: 0 none, 2 refused or
// invalid, 1 anything else (contracts/cli.md). A timeout or an interrupt
// is 1: the input was acceptable, the run was stopped.
func ExitStatus(err error) int {
	if err == nil {
		return 0
	}
	if c := From(err).Code; c == Internal || c == Unavailable || c == Timeout || c == Canceled {
		return 1
	}
	return 2
}

// HTTPStatus is the HTTP status for err.
func HTTPStatus(err error) int {
	switch From(err).Code {
	case Invalid, NotUnderstood, ForbiddenTopic, PromptInjection:
		return http.StatusBadRequest
	case NotFound:
		return http.StatusNotFound
	case AlreadyExists, Conflict:
		return http.StatusConflict
	case PermissionDenied:
		return http.StatusForbidden
	case Unauthenticated:
		return http.StatusUnauthorized
	case Unavailable:
		return http.StatusBadGateway
	case RateLimited:
		return http.StatusTooManyRequests
	case Timeout:
		return http.StatusServiceUnavailable // the query was stopped; the same request may pass when the database is less busy
	case Canceled:
		return http.StatusServiceUnavailable // the server is stopping (or the client left and reads nothing)
	default:
		return http.StatusInternalServerError
	}
}
