package store

import (
	"database/sql/driver"
	"fmt"
	"slices"
	"strconv"

	"modernc.org/sqlite"
)

// SQLite has no median. PostgreSQL's percentile_cont(0.5) gives the middle
// value, or the mean of the two middle ones, and ignores NULLs;
// scry_median is the same, registered with the driver for every
// connection it opens (Dialect.Median names one or the other).
func init() {
	sqlite.MustRegisterFunction("scry_median", &sqlite.FunctionImpl{
		NArgs:         1,
		Deterministic: true,
		MakeAggregate: func(sqlite.FunctionContext) (sqlite.AggregateFunction, error) { return &median{}, nil },
	})
}

type median struct{ vals []float64 }

func (m *median) Step(_ *sqlite.FunctionContext, args []driver.Value) error {
	switch v := args[0].(type) {
	case nil:
	case int64:
		m.vals = append(m.vals, float64(v))
	case float64:
		m.vals = append(m.vals, v)
	case string:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return fmt.Errorf("scry_median of a text that is no number: %q", v)
		}
		m.vals = append(m.vals, f)
	default:
		return fmt.Errorf("scry_median of a %T", v)
	}
	return nil
}

func (m *median) WindowInverse(*sqlite.FunctionContext, []driver.Value) error {
	return fmt.Errorf("scry_median is not a window function")
}

func (m *median) WindowValue(*sqlite.FunctionContext) (driver.Value, error) {
	n := len(m.vals)
	if n == 0 {
		return nil, nil
	}
	slices.Sort(m.vals)
	if n%2 == 1 {
		return m.vals[n/2], nil
	}
	return (m.vals[n/2-1] + m.vals[n/2]) / 2, nil
}

func (m *median) Final(*sqlite.FunctionContext) {}
