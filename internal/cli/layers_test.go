package cli

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// sqlish matches a string literal that is a SQL statement (not an English
// sentence that says "select" or "update").
var sqlish = regexp.MustCompile(`(?is)\bselect\b.+\bfrom\b|\bselect\s+(\d|count\s*\(|\*)|\binsert\s+into\b|\bupdate\s+\w+\s+set\b|\bdelete\s+from\b|\b(create|alter|drop)\s+(table|index|policy)\b|\bwhere\s+tenant_id\b`)

// TestDoorsHoldNoSQL: the CLI and the web server are doors: they parse
// input, call the domain packages' use cases and render output. SQL in
// them is a use case written in the wrong layer (README, Development).
func TestDoorsHoldNoSQL(t *testing.T) {
	if !sqlish.MatchString("select slug from tenants where id = $1") || sqlish.MatchString("Select a video, then choose what to find") {
		t.Fatal("the SQL pattern is off")
	}
	for _, dir := range []string{".", "../web"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		fset := token.NewFileSet()
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			file, err := parser.ParseFile(fset, f, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(file, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				if s, err := strconv.Unquote(lit.Value); err == nil && sqlish.MatchString(s) {
					t.Errorf("%s: SQL in a door: %.80q (move it into the domain package that owns the table)", fset.Position(lit.Pos()), s)
				}
				return true
			})
		}
	}
}
