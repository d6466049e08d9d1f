package ask

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestZZDebug(t *testing.T) {
	for _, q := range strings.Split(os.Getenv("QS"), "|") {
		toks, _ := normalizeWords(q)
		fmt.Printf("%q -> %q\n", q, strings.Join(toks, " "))
	}
}
