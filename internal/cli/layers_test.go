package cli

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
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
	inspectDoors(t, func(fset *token.FileSet, n ast.Node) {
		lit, ok := n.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return
		}
		if s, err := strconv.Unquote(lit.Value); err == nil && sqlish.MatchString(s) {
			t.Errorf("%s: SQL in a door: %.80q (move it into the domain package that owns the table)", fset.Position(lit.Pos()), s)
		}
	})
}

// inspectDoors calls see with every node of the doors' (non-test) files.
func inspectDoors(t *testing.T, see func(*token.FileSet, ast.Node)) {
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
			ast.Inspect(file, func(n ast.Node) bool { see(fset, n); return true })
		}
	}
}

// TestNoDialectBranchesOutsideStore: what differs between SQLite and
// PostgreSQL is a method of store.Dialect or store.Tx; a domain package
// that compares dialects is writing that difference a second time.
func TestNoDialectBranchesOutsideStore(t *testing.T) {
	files, err := filepath.Glob("../*/*.go")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("../*/*/*.go")
	for _, f := range append(files, more...) {
		if strings.HasSuffix(f, "_test.go") || strings.HasPrefix(filepath.ToSlash(f), "../store/") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "store.Postgres") || strings.Contains(string(b), "store.SQLite") {
			t.Errorf("%s compares dialects: add a method to store.Dialect instead", f)
		}
	}
}

// TestDoorsOpenNoTransactions: a door calls use cases, which take the
// *store.DB and open their own transaction; a door that opens one (or hands
// a *store.Tx callback to a domain call) is composing the act itself, and
// the other door will compose it differently.
func TestDoorsOpenNoTransactions(t *testing.T) {
	opens := map[string]bool{"InTenant": true, "ReadTenant": true, "Global": true, "ReadGlobal": true}
	inspectDoors(t, func(fset *token.FileSet, n ast.Node) {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return
		}
		if x, ok := sel.X.(*ast.Ident); (ok && x.Name == "store" && sel.Sel.Name == "Tx") || opens[sel.Sel.Name] {
			t.Errorf("%s: a door opens a transaction or holds a *store.Tx (call a use case of the domain package instead)", fset.Position(sel.Pos()))
		}
	})
}
