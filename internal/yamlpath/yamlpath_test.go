package yamlpath_test

import (
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/scry-dev/scry/internal/yamlpath"
)

func TestLine(t *testing.T) {
	var root yaml.Node
	if err := yaml.Unmarshal([]byte("workforce:\n  name: a\nmembers:\n  - email: x\n  - email: y\n    teams: [t]\n"), &root); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]int{"workforce.name": 2, "members[1].email": 5, "members[1].teams": 6, "members[7].email": 3, "nothing.here": 1} {
		if got := yamlpath.Line(&root, path); got != want {
			t.Errorf("%s: line %d, want %d", path, got, want)
		}
	}
}
