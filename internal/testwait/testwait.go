// Package testwait is how scry's tests wait: for a condition, never for a
// fixed time, so that a busy machine makes a test slower but not red.
package testwait

import (
	"testing"
	"time"
)

// Eventually calls cond until it returns nil, and fails t with cond's last
// error when timeout passes first. The timeout is a bound for a machine
// that is very busy, not an expected duration: pick it generously. Polls
// start at 2 ms and back off to 20 ms: a fast condition costs little, and a
// short-lived state (a job seen running) is still caught.
func Eventually(t testing.TB, timeout time.Duration, cond func() error) {
	t.Helper()
	if err := Until(timeout, cond); err != nil {
		t.Fatalf("still not so after %s: %v", timeout, err)
	}
}

// Until is Eventually for code without a testing.TB (a helper goroutine,
// a benchmark's setup): it returns cond's last error when timeout passes.
func Until(timeout time.Duration, cond func() error) error {
	deadline := time.Now().Add(timeout)
	pause := 2 * time.Millisecond
	for {
		err := cond()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(pause)
		pause = min(2*pause, 20*time.Millisecond)
	}
}
