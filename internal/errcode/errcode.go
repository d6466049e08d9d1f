// Package errcode is scry's one vocabulary of errors: every failure a person
// or a script can see carries one of these codes, and this file alone maps a
// code to a process exit status (and, for the server, to an HTTP status).
package errcode

import (
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
	Unavailable      Code = "unavailable" // an outside service (a language model) did not answer
	RateLimited      Code = "rate_limited"
	Timeout          Code = "timeout" // a question ran past its time limit and was stopped
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

// Is reports whether err carries code.
func Is(err error, code Code) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

// ExitStatus is the process exit status for err: 0 none, 2 refused or
// invalid, 1 anything else (contracts/cli.md). A timeout is 1: the input
// was acceptable, the run was stopped.
func ExitStatus(err error) int {
	if err == nil {
		return 0
	}
	if c := From(err).Code; c == Internal || c == Unavailable || c == Timeout {
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
	default:
		return http.StatusInternalServerError
	}
}
