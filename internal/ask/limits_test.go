package ask

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/scry-dev/scry/internal/errcode"
)

// TestLimitsQueueAndTimeOut: 40 questions of one user never hold more
// than PerUser slots at once, all of them get their turn, and one that
// waits past its time limit is a timeout.
func TestLimitsQueueAndTimeOut(t *testing.T) {
	l := &Limits{PerUser: 2, PerTenant: 3, Total: 4}
	var mu sync.Mutex
	held, most := 0, 0
	var wg sync.WaitGroup
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			release, err := l.acquire(context.Background(), 8, 1, 7)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			held++
			most = max(most, held)
			mu.Unlock()
			runtime.Gosched() // let the others run while this one holds its slot
			mu.Lock()
			held--
			mu.Unlock()
			release()
		}()
	}
	wg.Wait()
	if most > 2 || most < 1 {
		t.Fatalf("one user held %d slots at once, limit 2", most)
	}
	// The user's two slots taken: a third question waits, then times out.
	r1, _ := l.acquire(context.Background(), 8, 1, 7)
	r2, _ := l.acquire(context.Background(), 8, 1, 7)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := l.acquire(ctx, 8, 1, 7); !errcode.Is(err, errcode.Timeout) {
		t.Fatalf("a question kept waiting past its limit: %v, want timeout", err)
	}
	// Another user of the tenant still gets the tenant's third slot.
	r3, err := l.acquire(context.Background(), 8, 1, 8)
	if err != nil {
		t.Fatal(err)
	}
	r1()
	r2()
	r3()
}
