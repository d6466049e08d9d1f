package labeling

import (
	"errors"
	"fmt"

	"github.com/scry-dev/scry/internal/errcode"
)

// FieldError names the setting of a job request that is wrong, so that each
// door can say so in its own words: the command line names its flag (the
// error's message), the admin page its form field, the API its JSON key.
type FieldError struct {
	Field   string // the Request's JSON key: "analysis", "workers_per_item", …
	Problem string // what is wrong, in words that suit every door
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Problem }

// flags are the command line's names of the Request's fields.
var flags = map[string]string{
	"kind": "--kind", "video": "--video", "analysis": "--analysis", "team": "--team", "labels": "--labels",
	"every_seconds": "--every", "keyframes": "--keyframes", "frames_per_item": "--frames-per-item",
	"below": "--below", "sample": "--sample", "workers_per_item": "--workers-per-item",
	"time_limit_seconds": "--time-limit", "lifetime_hours": "--lifetime", "iou": "--iou", "quorum": "--quorum",
}

// badField is an invalid_input error about one field: its message is the
// command line's ("--analysis: … (scry video show lists them)"), and the
// FieldError inside it serves the other doors. cliHint is added to the
// message only.
func badField(field, cliHint, format string, args ...any) error {
	fe := &FieldError{Field: field, Problem: fmt.Sprintf(format, args...)}
	msg := flags[field] + ": " + fe.Problem
	if cliHint != "" {
		msg += " " + cliHint
	}
	return &errcode.Error{Code: errcode.Invalid, Message: msg, Err: fe}
}

// AsFieldError finds the field an error is about, if any.
func AsFieldError(err error) *FieldError {
	var fe *FieldError
	if errors.As(err, &fe) {
		return fe
	}
	return nil
}
