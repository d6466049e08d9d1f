package testwait_test

import (
	"errors"
	"testing"
	"time"

	"github.com/scry-dev/scry/internal/testwait"
)

func TestUntil(t *testing.T) {
	calls := 0
	if err := testwait.Until(time.Minute, func() error {
		if calls++; calls < 3 {
			return errors.New("not yet")
		}
		return nil
	}); err != nil || calls != 3 {
		t.Fatalf("a condition met on the third look: %v after %d looks", err, calls)
	}
	last := errors.New("still not")
	if err := testwait.Until(30*time.Millisecond, func() error { return last }); err != last {
		t.Fatalf("a condition never met: %v, want its last error", err)
	}
}
