package ui

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/i18n"
)

// TestDomainMessagesAreTranslated finds every message format the domain
// packages give errs.E and errs.Field, and requires a translation of each
// in every language, so a new validation message cannot reach a form in
// English by accident.
func TestDomainMessagesAreTranslated(t *testing.T) {
	formats := map[string]string{} // format → where it is used
	for _, dir := range []string{"../constituency", "../auth", "../tlp", "../storage"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no Go files in %s (%v)", dir, err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			fset := token.NewFileSet()
			file, err := parser.ParseFile(fset, name, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(file, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || len(call.Args) < 2 {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok || (sel.Sel.Name != "E" && sel.Sel.Name != "Field") {
					return true
				}
				if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "errs" {
					return true
				}
				if lit, ok := call.Args[1].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					f, _ := strconv.Unquote(lit.Value)
					formats[f] = fset.Position(lit.Pos()).String()
				}
				return true
			})
		}
	}
	if len(formats) < 40 {
		t.Fatalf("found only %d message formats: the scan is broken", len(formats))
	}
	for f, where := range formats {
		for _, lang := range i18n.Languages() {
			if !i18n.Has(lang, "err:"+f) {
				t.Errorf("%s: message %q has no %s translation (catalogue key %q)", where, f, lang, "err:"+f)
			}
		}
	}
}
