package ask_test

import (
	"testing"

	"github.com/scry-dev/scry/internal/store"
)

// TestTenthRound: the readings of the tenth round (outside sets 54–58 and
// what was found while fixing them), on both databases.
func TestTenthRound(t *testing.T) {
	checkRound(t, func(d store.Dialect) []roundCase {
		return []roundCase{
			// a list of groups when no word names people (it listed
			// everyone, with their location)
			{"acme-retail", "admin", "list the locations", "select count(distinct e.location) from employees e where " + active, ""},
			{"acme-retail", "admin", "list the departments except Retail", "select count(distinct e.department) from employees e where e.department <> 'Retail' and " + active, ""},
			{"acme-retail", "admin", "show all distinct positions", "select count(distinct e.position) from employees e where " + active, ""},
			// people named: still people, showing the column
			{"acme-retail", "admin", "list the locations of part-time staff", "select count(*) from employees e where e.contract_type = 'part_time' and " + active, ""},
			// a condition on a person's number names the part of each group
			// (it gave how the over-60s split across the departments)
			{"acme-retail", "admin", "share of employees older than 60 by department", "select count(distinct e.department) from employees e where " + active, ""},
		}
	}, nil)
}
