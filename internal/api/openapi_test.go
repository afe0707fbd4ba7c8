package api_test

import (
	"encoding/json"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/api"
)

// openAPI fetches the document the way a client does: anonymously.
func openAPI(t *testing.T) map[string]any {
	t.Helper()
	f := newFixture(t)
	resp := f.do(t, request{path: "/api/v1/openapi.json"})
	if resp.status != http.StatusOK {
		t.Fatalf("GET openapi.json: got status %d, want 200", resp.status)
	}
	if ct := resp.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type: got %q, want application/json", ct)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(resp.body), &doc); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	return doc
}

// obj reads a nested object of a decoded JSON document ({} when absent).
func obj(v any, keys ...string) map[string]any {
	for _, k := range keys {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	m, _ := v.(map[string]any)
	return m
}

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// operation is one operation of the document, with the full path.
type operation struct {
	key  string // "GET /api/v1/orgs/{org}"
	path string // as the document writes it: "/orgs/{org}"
	op   map[string]any
}

func operations(doc map[string]any) map[string]operation {
	prefix := ""
	if servers, _ := doc["servers"].([]any); len(servers) > 0 {
		prefix, _ = obj(servers[0])["url"].(string)
	}
	ops := map[string]operation{}
	for path, item := range obj(doc, "paths") {
		for _, m := range httpMethods {
			if op := obj(item, m); op != nil {
				key := strings.ToUpper(m) + " " + prefix + path
				ops[key] = operation{key, path, op}
			}
		}
	}
	return ops
}

// wildcardRE matches a ServeMux wildcard, including {name...} and {$}.
var wildcardRE = regexp.MustCompile(`\{([^}.]*)(\.\.\.)?\}`)

func TestOpenAPIMatchesRoutes(t *testing.T) {
	doc := openAPI(t)
	if v, _ := doc["openapi"].(string); !strings.HasPrefix(v, "3.1.") {
		t.Errorf("openapi: got %q, want 3.1.x", v)
	}
	ops := operations(doc)
	routes := map[string]api.Route{}
	for _, rt := range api.New(api.Deps{}).Routes() {
		// OpenAPI writes {name} for both {name} and {name...}.
		routes[rt.Method+" "+wildcardRE.ReplaceAllString(rt.Pattern, "{$1}")] = rt
	}
	var missing, extra []string
	for k := range routes {
		if _, ok := ops[k]; !ok {
			missing = append(missing, k)
		}
	}
	for k := range ops {
		if _, ok := routes[k]; !ok {
			extra = append(extra, k)
		}
	}
	slices.Sort(missing)
	slices.Sort(extra)
	if len(missing) > 0 {
		t.Errorf("routes missing from openapi.json:\n\t%s", strings.Join(missing, "\n\t"))
	}
	if len(extra) > 0 {
		t.Errorf("operations in openapi.json that are no route:\n\t%s", strings.Join(extra, "\n\t"))
	}

	// What the document says about access must be what the route table enforces.
	for k, rt := range routes {
		o, ok := ops[k]
		if !ok {
			continue
		}
		sec, hasSec := o.op["security"].([]any)
		if public := hasSec && len(sec) == 0; public != rt.Public {
			t.Errorf("%s: got public %v in the document, want %v", k, public, rt.Public)
		}
		if rt.Public {
			continue
		}
		if p, ok := o.op["x-permission"].(string); !ok || p != string(rt.Permission) {
			t.Errorf("%s: got x-permission %q, want %q", k, o.op["x-permission"], rt.Permission)
		}
	}
}

func TestOpenAPIOperations(t *testing.T) {
	doc := openAPI(t)
	ids := map[string]string{}
	ops := operations(doc)
	for _, k := range slices.Sorted(maps.Keys(ops)) {
		o := ops[k]
		id, _ := o.op["operationId"].(string)
		switch {
		case id == "":
			t.Errorf("%s: no operationId", k)
		case ids[id] != "":
			t.Errorf("%s: operationId %q is also used by %s", k, id, ids[id])
		}
		ids[id] = k
		if s, _ := o.op["summary"].(string); s == "" {
			t.Errorf("%s: no summary", k)
		}
		if len(obj(o.op, "responses")) == 0 {
			t.Errorf("%s: no responses", k)
		}
		// Every wildcard of the path is a declared path parameter.
		declared := map[string]bool{}
		for _, list := range []any{obj(doc, "paths", o.path)["parameters"], o.op["parameters"]} {
			ps, _ := list.([]any)
			for _, p := range ps {
				p := resolve(t, doc, p)
				if p["in"] == "path" {
					declared[p["name"].(string)] = true
				}
			}
		}
		for _, m := range wildcardRE.FindAllStringSubmatch(o.path, -1) {
			if !declared[m[1]] {
				t.Errorf("%s: path parameter %q is not declared", k, m[1])
			}
		}
	}
	for _, name := range []string{"Org", "Resource", "Contact", "User", "Token", "AuditEntry", "Error", "ImportResult", "Overview"} {
		if obj(doc, "components", "schemas", name) == nil {
			t.Errorf("components/schemas has no %s", name)
		}
	}
	for _, name := range []string{"bearerAuth", "cookieAuth"} {
		if obj(doc, "components", "securitySchemes", name) == nil {
			t.Errorf("components/securitySchemes has no %s", name)
		}
	}
}

// resolve follows a $ref, if v is one, to the object it names.
func resolve(t *testing.T, doc map[string]any, v any) map[string]any {
	t.Helper()
	m, _ := v.(map[string]any)
	if ref, ok := m["$ref"].(string); ok {
		target, err := pointer(doc, ref)
		if err != "" {
			t.Fatalf("$ref %q: %s", ref, err)
		}
		return resolve(t, doc, target)
	}
	return m
}

// pointer resolves a local reference ("#/components/schemas/Org"), or
// says why it cannot.
func pointer(doc map[string]any, ref string) (any, string) {
	rest, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, "not a local reference"
	}
	var cur any = doc
	for _, tok := range strings.Split(rest, "/") {
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, "passes through a non-object"
		}
		if cur, ok = m[tok]; !ok {
			return nil, "has no " + tok
		}
	}
	return cur, ""
}

func TestOpenAPIRefsResolve(t *testing.T) {
	doc := openAPI(t)
	n := 0
	var walk func(v any, at string)
	walk = func(v any, at string) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				n++
				if _, err := pointer(doc, ref); err != "" {
					t.Errorf("%s: $ref %q %s", at, ref, err)
				}
			}
			for k, x := range v {
				walk(x, at+"/"+k)
			}
		case []any:
			for _, x := range v {
				walk(x, at+"/[]")
			}
		}
	}
	walk(doc, "#")
	if n == 0 {
		t.Error("got no $ref at all, want the document to use components")
	}
}
