package ask

import (
	"context"
	"sync"

	"github.com/scry-dev/scry/internal/errcode"
)

// Limits bounds how many questions run at once — per user, per tenant and
// in all — so that a burst of heavy questions queues instead of taking
// every database connection: a manager asking ten heavy questions must not
// make another tenant's sign-in or page wait. A question waits for its
// slots within its own time limit, holding no connection while it waits.
// Zero values take the defaults.
type Limits struct {
	PerUser   int // questions one user runs at once (default 2)
	PerTenant int // questions one tenant runs at once (default 4)
	// Total is how many run at once in the whole installation (default:
	// the read pool's size less a quarter of it, at least 2, kept for the
	// light requests that authenticate and render pages).
	Total int

	mu      sync.Mutex
	users   map[int64]chan struct{}
	tenants map[int64]chan struct{}
	total   chan struct{}

	// what runs inside a transaction now, counted apart from the
	// semaphores so that Peak measures the database's side
	runUser, runTenant map[int64]int
	runTotal           int
	peak               Peak
}

// Peak is the most questions seen running at once since the start: for one
// user, for one tenant, and in all (metrics and tests).
type Peak struct {
	User, Tenant, Total int
}

// Default limits; README "Configuration" documents them.
const (
	DefaultPerUser   = 2
	DefaultPerTenant = 4
)

func (l *Limits) init(poolSize int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.total != nil {
		return
	}
	if l.PerUser <= 0 {
		l.PerUser = DefaultPerUser
	}
	if l.PerTenant <= 0 {
		l.PerTenant = DefaultPerTenant
	}
	if l.Total <= 0 {
		l.Total = max(1, poolSize-max(2, poolSize/4))
	}
	l.users, l.tenants = map[int64]chan struct{}{}, map[int64]chan struct{}{}
	l.runUser, l.runTenant = map[int64]int{}, map[int64]int{}
	l.total = make(chan struct{}, l.Total)
}

// slot returns the semaphore of key in m, making it on first use.
func (l *Limits) slot(m map[int64]chan struct{}, key int64, size int) chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	c, ok := m[key]
	if !ok {
		c = make(chan struct{}, size)
		m[key] = c
	}
	return c
}

// acquire takes a slot of the user, of the tenant and of the installation,
// in that order (so a user over their own limit never holds a tenant's
// slot while waiting), and returns the function that gives them back. When
// ctx ends first the question was kept waiting too long: a timeout.
func (l *Limits) acquire(ctx context.Context, poolSize int, tenantID, userID int64) (func(), error) {
	l.init(poolSize)
	sems := []chan struct{}{l.slot(l.users, userID, l.PerUser), l.slot(l.tenants, tenantID, l.PerTenant), l.total}
	taken := 0
	release := func() {
		for i := taken - 1; i >= 0; i-- {
			<-sems[i]
		}
	}
	for _, s := range sems {
		select {
		case s <- struct{}{}:
			taken++
		case <-ctx.Done():
			release()
			return nil, errcode.Wrap(errcode.Timeout, ctx.Err(),
				"scry is busy answering other questions (yours or your organisation's) and this one waited past its time limit; try again in a moment")
		}
	}
	return release, nil
}

// running counts a question whose transaction is open until the returned
// function is called.
func (l *Limits) running(tenantID, userID int64) func() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.runUser[userID]++
	l.runTenant[tenantID]++
	l.runTotal++
	l.peak.User = max(l.peak.User, l.runUser[userID])
	l.peak.Tenant = max(l.peak.Tenant, l.runTenant[tenantID])
	l.peak.Total = max(l.peak.Total, l.runTotal)
	return func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.runUser[userID]--
		l.runTenant[tenantID]--
		l.runTotal--
	}
}

// Peak returns the most questions seen with a transaction open at once.
func (l *Limits) Peak() Peak {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.peak
}
