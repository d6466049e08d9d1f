package ask

import (
	"fmt"
	"strings"
	"sync"
)

// resultCache keeps the rows of recently run queries. A key is the exact
// SQL with its arguments (tenant, scope, resolved dates) and the version of
// the tenant's HR data, which every import bumps — so a hit is always the
// answer the database would give now. Rows are shared read-only.
type resultCache struct {
	mu    sync.Mutex
	items map[string][][]any
	order []string // insertion order, for eviction
}

const cacheEntries = 2048

func cacheKey(tenantID, version int64, c compiled) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d/%d/%s", tenantID, version, c.SQL)
	for _, a := range c.Args {
		fmt.Fprintf(&b, "\x00%T:%v", a, a)
	}
	return b.String()
}

func (c *resultCache) get(key string) ([][]any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	rows, ok := c.items[key]
	return rows, ok
}

func (c *resultCache) put(key string, rows [][]any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.items == nil {
		c.items = map[string][][]any{}
	}
	if _, ok := c.items[key]; ok {
		return
	}
	if len(c.order) >= cacheEntries {
		delete(c.items, c.order[0])
		c.order = c.order[1:]
	}
	c.items[key] = rows
	c.order = append(c.order, key)
}
