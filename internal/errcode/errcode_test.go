package errcode_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/scry-dev/scry/internal/errcode"
)

// TestInterrupted: once its caller stops it, work that failed because of
// it (an internal error, a driver's interrupt read as a timeout) is
// canceled: HTTP 503, exit 1; an error that says something of its own is
// kept, and a deadline is a timeout, not an interrupt.
func TestInterrupted(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancel2 := context.WithTimeout(context.Background(), -time.Second)
	defer cancel2()
	invalid := errcode.New(errcode.Invalid, "Interrupted: analysis 3 stays queued")
	timeout := errcode.New(errcode.Timeout, "slow")
	for _, c := range []struct {
		name string
		ctx  context.Context
		err  error
		want errcode.Code
	}{
		{"internal, canceled", canceled, errors.New("sql: statement is closed"), errcode.Canceled},
		{"interrupt read as timeout, canceled", canceled, timeout, errcode.Canceled},
		{"a message of its own, canceled", canceled, invalid, errcode.Invalid},
		{"internal, not canceled", context.Background(), errors.New("disk on fire"), errcode.Internal},
		{"timeout past a deadline", expired, timeout, errcode.Timeout},
	} {
		got := errcode.Interrupted(c.ctx, c.err)
		if code := errcode.From(got).Code; code != c.want {
			t.Errorf("%s: %s, want %s", c.name, code, c.want)
		}
	}
	if err := errcode.Interrupted(canceled, nil); err != nil {
		t.Errorf("no error became %v", err)
	}
	stopped := errcode.Stopped(context.Canceled)
	if errcode.ExitStatus(stopped) != 1 || errcode.HTTPStatus(stopped) != http.StatusServiceUnavailable {
		t.Errorf("canceled: exit %d, HTTP %d", errcode.ExitStatus(stopped), errcode.HTTPStatus(stopped))
	}
}
