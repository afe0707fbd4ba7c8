package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/orgfile"
	"github.com/qalxan/qalxan/internal/storage"
)

func TestExportImportRoundTrip(t *testing.T) {
	for _, tt := range []struct{ format, contentType string }{
		{"yaml", "text/yaml; charset=utf-8"},
		{"csv", "text/csv; charset=utf-8"},
	} {
		t.Run(tt.format, func(t *testing.T) {
			f := newFixture(t)
			exp := f.do(t, request{path: "/api/v1/orgs/export?format=" + tt.format, as: analyst})
			if exp.status != http.StatusOK {
				t.Fatalf("export: got status %d, want 200; body: %s", exp.status, exp.body)
			}
			if ct := exp.header.Get("Content-Type"); ct != tt.contentType {
				t.Errorf("Content-Type: got %q, want %q", ct, tt.contentType)
			}
			if cd := exp.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment; filename=") || !strings.HasSuffix(cd, "."+tt.format+`"`) {
				t.Errorf("Content-Disposition: got %q, want an attachment named *.%s", cd, tt.format)
			}
			before := call[constituency.Org](t, f, request{path: "/api/v1/orgs/alpha-agency", as: analyst}, http.StatusOK)

			// Unchanged data imports as unchanged; a deleted organisation
			// comes back with its resources and contacts.
			imp := request{method: "POST", path: "/api/v1/orgs/import?format=" + tt.format, as: analyst, contentType: "text/plain", body: exp.body}
			if got := call[storage.ImportResult](t, f, imp, http.StatusOK); got != (storage.ImportResult{Unchanged: 2}) {
				t.Errorf("import of the export: got %+v, want 2 unchanged", got)
			}
			call[struct{}](t, f, request{method: "DELETE", path: "/api/v1/orgs/alpha-agency", as: analyst}, http.StatusNoContent)
			if got := call[storage.ImportResult](t, f, imp, http.StatusOK); got != (storage.ImportResult{Created: 1, Unchanged: 1}) {
				t.Errorf("import after delete: got %+v, want 1 created, 1 unchanged", got)
			}
			after := call[constituency.Org](t, f, request{path: "/api/v1/orgs/alpha-agency", as: analyst}, http.StatusOK)
			if after.Name != before.Name || after.TLP != before.TLP || len(after.Resources) != 1 || after.Resources[0].Value != before.Resources[0].Value {
				t.Errorf("re-imported: got %+v, want %+v", after, before)
			}
			contacts := call[listBody[constituency.Contact]](t, f, request{path: "/api/v1/orgs/alpha-agency/contacts", as: analyst}, http.StatusOK)
			if len(contacts.Items) != 1 || contacts.Items[0].Email != "cert@alpha.example" {
				t.Errorf("re-imported contacts: got %+v, want cert@alpha.example", contacts.Items)
			}
			// The matcher was rebuilt: the re-created organisation owns its network again.
			got := call[listBody[lookupResult]](t, f, request{path: "/api/v1/lookup?value=192.0.2.1", as: admin}, http.StatusOK)
			if len(got.Items) != 1 || strings.Join(got.Items[0].Owners, ",") != "alpha-agency" {
				t.Errorf("lookup after import: got %+v, want alpha-agency", got.Items)
			}
		})
	}
}

// TestImportFormat checks that the format comes from the parameter, the
// Content-Type or the content, in that order.
func TestImportFormat(t *testing.T) {
	yaml := "organisations:\n  - short_name: fmt-test\n    name: Format Test\n"
	csv := "short_name,name\nfmt-test,Format Test\n"
	tests := []struct {
		name               string
		query, ctype, body string
	}{
		{"YAML by Content-Type", "", "application/yaml", yaml},
		{"CSV by Content-Type", "", "text/csv", csv},
		{"YAML sniffed", "", "-", yaml},
		{"CSV sniffed", "", "application/octet-stream", csv},
		{"parameter over Content-Type", "?format=csv", "text/plain", csv},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			got := call[storage.ImportResult](t, f, request{method: "POST", path: "/api/v1/orgs/import" + tt.query, as: admin, contentType: tt.ctype, body: tt.body}, http.StatusOK)
			if got.Created != 1 {
				t.Errorf("got %+v, want 1 created", got)
			}
		})
	}
}

// TestImportIsAllOrNothing checks that a file with an error changes
// nothing, and that the error says where it is.
func TestImportIsAllOrNothing(t *testing.T) {
	tests := []struct {
		name, body, message string
	}{
		{"bad value names its line", "organisations:\n  - short_name: good-one\n    name: Good\n  - short_name: bad-one\n    name: Bad\n    resources:\n      - {kind: host, value: 999.1.1.1}\n",
			"line 7"},
		{"malformed YAML names its line", "organisations:\n  - short_name: good-one\n    name: Good\n  - short_name: [unclosed\n",
			"line 4"},
		// The cycle is found only after both organisations are written:
		// the transaction must take them back.
		{"failure inside the transaction", "organisations:\n  - short_name: good-one\n    name: Good\n    parent: bad-one\n  - short_name: bad-one\n    name: Bad\n    parent: good-one\n",
			"cycle"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			e := f.wantError(t, request{method: "POST", path: "/api/v1/orgs/import", as: admin, contentType: "application/yaml", body: tt.body}, http.StatusBadRequest, "invalid")
			if !strings.Contains(e.Error.Message, tt.message) {
				t.Errorf("got message %q, want it to contain %q", e.Error.Message, tt.message)
			}
			orgs := call[listBody[storage.OrgSummary]](t, f, request{path: "/api/v1/orgs", as: admin}, http.StatusOK)
			if len(orgs.Items) != 2 {
				t.Errorf("got %d organisations after the failed import, want the fixture's 2", len(orgs.Items))
			}
		})
	}
}

func TestImportTooLarge(t *testing.T) {
	f := newFixture(t)
	body := "organisations:\n" + strings.Repeat("# padding\n", 33<<20/10)
	for _, chunked := range []bool{false, true} {
		req := request{method: "POST", path: "/api/v1/orgs/import", as: admin, contentType: "application/yaml", body: body, chunked: chunked}
		f.wantError(t, req, http.StatusRequestEntityTooLarge, "too_large")
	}
}

// TestExportIsScoped checks that an agency user's export holds their own
// organisation only, and that the export is audited.
func TestExportIsScoped(t *testing.T) {
	f := newFixture(t)
	exp := f.do(t, request{path: "/api/v1/orgs/export?format=csv", as: agency})
	orgs, err := orgfile.Decode(strings.NewReader(exp.body), orgfile.CSV)
	if err != nil {
		t.Fatalf("decode the export: %v; body: %s", err, exp.body)
	}
	if len(orgs) != 1 || orgs[0].ShortName != "alpha-agency" || len(orgs[0].Contacts) != 1 {
		t.Errorf("got %+v, want only alpha-agency with its contact", orgs)
	}
	audit := call[listBody[struct{ Action, Actor string }]](t, f, request{path: "/api/v1/audit?action=org.export", as: auditor}, http.StatusOK)
	if len(audit.Items) != 1 || audit.Items[0].Actor != agency {
		t.Errorf("audit: got %+v, want one export by %s", audit.Items, agency)
	}
}
