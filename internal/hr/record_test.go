package hr

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"testing"
)

// TestRecordLimitStopsEndlessRows: a gigabyte without a line break, or one
// quoted field over many lines, is stopped after maxRecord bytes, before
// encoding/csv has buffered more than that — not after reading it all.
func TestRecordLimitStopsEndlessRows(t *testing.T) {
	for name, unit := range map[string]string{"one line": "x", "quoted, many lines": "x\n"} {
		t.Run(name, func(t *testing.T) {
			src := io.MultiReader(strings.NewReader("a,\""), io.LimitReader(repeat(unit), 1<<30))
			counted := &countingReader{r: src}
			r := csv.NewReader(&recordLimit{r: counted})
			_, err := r.Read()
			var long *recordTooLong
			if !errors.As(err, &long) || long.line != 1 {
				t.Fatalf("got %v, want the record of line 1 refused", err)
			}
			if counted.n > 4*maxRecord {
				t.Fatalf("read %d bytes before refusing", counted.n)
			}
		})
	}
}

type repeat string

func (s repeat) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = s[i%len(s)]
	}
	return len(p), nil
}
