package ui

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/i18n"
)

// keyCall finds literal keys in templates: {{t "key"}}, (t "key" .Arg).
var keyCall = regexp.MustCompile(`\bt "([^"]+)"`)

// hasEverywhere fails the test for a key missing in any language.
func hasEverywhere(t *testing.T, key, where string) {
	t.Helper()
	for _, lang := range i18n.Languages() {
		if !i18n.Has(lang, key) {
			t.Errorf("%s: key %q missing in %s", where, key, lang)
		}
	}
}

func TestTemplateKeysExist(t *testing.T) {
	n := 0
	err := fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := templateFS.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range keyCall.FindAllStringSubmatch(string(b), -1) {
			hasEverywhere(t, m[1], p)
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 100 {
		t.Errorf("found only %d keys in the templates; is the pattern still right?", n)
	}
}

// TestGoKeysExist checks the keys handlers pass (titles, flashes, form
// messages): every string literal in the package shaped like a key with a
// catalogue prefix must be in the catalogue.
func TestGoKeysExist(t *testing.T) {
	prefixes := map[string]bool{
		"action": true, "audit": true, "contact": true, "dashboard": true, "error": true, "event": true, "events": true, "filter": true, "flash": true,
		"login": true, "nav": true, "org": true, "orgs": true, "resource": true, "search": true, "users": true,
	}
	keyShape := regexp.MustCompile(`^([a-z_]+)\.[a-z0-9_]+$`)
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	n := 0
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(node ast.Node) bool {
			lit, ok := node.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, _ := strconv.Unquote(lit.Value)
			if m := keyShape.FindStringSubmatch(s); m != nil && prefixes[m[1]] {
				hasEverywhere(t, s, fset.Position(lit.Pos()).String())
				n++
			}
			return true
		})
	}
	if n < 20 {
		t.Errorf("found only %d keys in the Go files", n)
	}
}

// TestTemplatePermissionsExist: a misspelt permission in {{.Can "..."}}
// would silently hide a button from everyone.
func TestTemplatePermissionsExist(t *testing.T) {
	canCall := regexp.MustCompile(`\.Can "([^"]+)"`)
	names, _ := fs.Glob(templateFS, "templates/*.html")
	n := 0
	for _, name := range names {
		b, _ := templateFS.ReadFile(name)
		for _, m := range canCall.FindAllStringSubmatch(string(b), -1) {
			granted := false
			for _, r := range auth.Roles {
				granted = granted || r.Can(auth.Permission(m[1]))
			}
			if !granted {
				t.Errorf("%s: permission %q is granted to no role", name, m[1])
			}
			n++
		}
	}
	if n == 0 {
		t.Error("no permission checks found in the templates")
	}
}

// TestEnumerationsTranslated covers the keys templates build from values
// ({{tv "sector." .Sector}}), which no scan of literals can see.
func TestEnumerationsTranslated(t *testing.T) {
	var keys []string
	for _, s := range constituency.Sectors {
		keys = append(keys, "sector."+string(s))
	}
	for _, k := range constituency.ResourceKinds {
		keys = append(keys, "kind."+string(k))
	}
	for _, c := range constituency.Criticalities {
		keys = append(keys, "criticality."+string(c))
	}
	for _, r := range constituency.ContactRoles {
		keys = append(keys, "contact_role."+r)
	}
	for _, r := range auth.Roles {
		keys = append(keys, "role."+string(r))
	}
	for _, o := range auditObjectTypes {
		keys = append(keys, "object."+o)
	}
	for _, k := range keys {
		hasEverywhere(t, k, "enumeration")
	}
}
