package cli

import (
	"strings"
	"testing"

	"github.com/scry-dev/scry/internal/ask"
)

// TestPrintAnswerNumbers: the CLI's table writes numbers as numbers (a
// labour cost of millions read 3.9342446e+06).
func TestPrintAnswerNumbers(t *testing.T) {
	var b strings.Builder
	printAnswer(&b, &ask.Answer{Columns: []ask.Column{{Name: "labor_cost", Type: "number"}}, Rows: [][]any{{3934244.6}, {float64(12)}, {nil}}}, false)
	for _, want := range []string{"3934244.6\n", "12\n", "—\n"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("table %q lacks %q", b.String(), want)
		}
	}
}
