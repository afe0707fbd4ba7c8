package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/storage"
)

func TestOrgRoundTrip(t *testing.T) {
	f := newFixture(t)
	created := call[constituency.Org](t, f, request{method: "POST", path: "/api/v1/orgs", as: analyst, body: `{
		"short_name": "MinHealth", "name": "Ministry of Health", "sector": "health", "parent": "alpha-agency", "cii": true, "tlp": "TLP:RED",
		"resources": [{"value": "health.example"}, {"value": "AS64501", "criticality": "high"}],
		"contacts": [{"email": "SOC@health.example", "name": "SOC", "language": "en"}]}`}, http.StatusCreated)
	if created.ID == 0 || created.ShortName != "minhealth" || created.TLP != "red" || created.Language != "az" || created.Parent != "alpha-agency" {
		t.Errorf("created: got %+v, want id set, short name minhealth, tlp red, language az, parent alpha-agency", created)
	}
	if len(created.Resources) != 2 || created.Resources[0].ID == 0 || created.Resources[1].Kind != constituency.KindASN {
		t.Errorf("created resources: got %+v, want two with ids, the second an ASN", created.Resources)
	}
	if len(created.Contacts) != 1 || created.Contacts[0].Email != "soc@health.example" {
		t.Errorf("created contacts: got %+v, want soc@health.example", created.Contacts)
	}

	// By id and by short name alike; contacts are not part of the org.
	byID := call[constituency.Org](t, f, request{path: fmt.Sprintf("/api/v1/orgs/%d", created.ID), as: analyst}, http.StatusOK)
	byName := call[constituency.Org](t, f, request{path: "/api/v1/orgs/minhealth", as: analyst}, http.StatusOK)
	if byID.ID != created.ID || byName.ID != created.ID || len(byID.Resources) != 2 || len(byID.Contacts) != 0 {
		t.Errorf("get: got %+v and %+v, want org %d with 2 resources and no contacts", byID, byName, created.ID)
	}

	// PATCH changes only what it names.
	patched := call[constituency.Org](t, f, request{method: "PATCH", path: "/api/v1/orgs/minhealth", as: analyst,
		contentType: "application/merge-patch+json", body: `{"name": "Health Ministry", "cii": false, "parent": ""}`}, http.StatusOK)
	if patched.Name != "Health Ministry" || patched.CII || patched.Parent != "" || patched.Sector != "health" || patched.TLP != "red" || patched.ShortName != "minhealth" {
		t.Errorf("patch: got %+v, want new name, cii false, no parent, rest unchanged", patched)
	}

	call[struct{}](t, f, request{method: "DELETE", path: "/api/v1/orgs/minhealth", as: analyst}, http.StatusNoContent)
	f.wantError(t, request{path: fmt.Sprintf("/api/v1/orgs/%d", created.ID), as: analyst}, http.StatusNotFound, "not_found")

	// Every change is in the audit log under the analyst's name.
	entries := call[listBody[auth.AuditEntry]](t, f, request{path: "/api/v1/audit?actor=analyst&action=org.", as: auditor}, http.StatusOK)
	var actions []string
	for _, e := range entries.Items {
		actions = append(actions, e.Action)
	}
	if want := []string{"org.delete", "org.update", "org.create"}; !slices.Equal(actions, want) {
		t.Errorf("audit: got %v, want %v", actions, want)
	}
}

// TestOrgNamedByDigits checks that an organisation whose short name is a
// number is found by that name when no visible organisation has it as id.
func TestOrgNamedByDigits(t *testing.T) {
	f := newFixture(t)
	call[constituency.Org](t, f, request{method: "POST", path: "/api/v1/orgs", as: admin, body: `{"short_name":"112","name":"Emergency"}`}, http.StatusCreated)
	got := call[constituency.Org](t, f, request{path: "/api/v1/orgs/112", as: admin}, http.StatusOK)
	if got.ShortName != "112" {
		t.Errorf("got %q, want 112", got.ShortName)
	}
}

func TestResourceRoundTrip(t *testing.T) {
	f := newFixture(t)
	base := fmt.Sprintf("/api/v1/orgs/%s/resources", f.own.ShortName)
	res := call[constituency.Resource](t, f, request{method: "POST", path: base, as: admin, body: `{"value":"203.0.113.7","notes":"mail relay"}`}, http.StatusCreated)
	if res.Kind != constituency.KindHost || res.OrgID != f.own.ID || res.Criticality != "medium" {
		t.Errorf("created: got %+v, want a host of org %d with medium criticality", res, f.own.ID)
	}
	path := fmt.Sprintf("/api/v1/resources/%d", res.ID)

	// A new value without a kind is detected again: the host becomes a network.
	res = call[constituency.Resource](t, f, request{method: "PATCH", path: path, as: admin, body: `{"value":"203.0.113.9/24"}`}, http.StatusOK)
	if res.Kind != constituency.KindCIDR || res.Value != "203.0.113.0/24" || res.Notes != "mail relay" {
		t.Errorf("patched: got %+v, want cidr 203.0.113.0/24 keeping its notes", res)
	}
	list := call[listBody[constituency.Resource]](t, f, request{path: base, as: agency}, http.StatusOK)
	if len(list.Items) != 2 {
		t.Errorf("list: got %d resources, want 2", len(list.Items))
	}
	f.wantError(t, request{method: "POST", path: base, as: admin, body: `{"value":"203.0.113.0/24"}`}, http.StatusBadRequest, "invalid")

	call[struct{}](t, f, request{method: "DELETE", path: path, as: admin}, http.StatusNoContent)
	f.wantError(t, request{path: path, as: admin}, http.StatusNotFound, "not_found")
}

func TestContactRoundTrip(t *testing.T) {
	f := newFixture(t)
	base := fmt.Sprintf("/api/v1/orgs/%d/contacts", f.own.ID)
	c := call[constituency.Contact](t, f, request{method: "POST", path: base, as: analyst, body: `{"email":"Ops@Alpha.example","role":"technical"}`}, http.StatusCreated)
	if c.Email != "ops@alpha.example" || c.Language != "az" || c.OrgID != f.own.ID {
		t.Errorf("created: got %+v, want ops@alpha.example in az of org %d", c, f.own.ID)
	}
	path := fmt.Sprintf("/api/v1/contacts/%d", c.ID)
	c = call[constituency.Contact](t, f, request{method: "PATCH", path: path, as: analyst, body: `{"name":"Ops desk","language":"ru"}`}, http.StatusOK)
	if c.Name != "Ops desk" || c.Language != "ru" || c.Role != "technical" {
		t.Errorf("patched: got %+v, want the new name and language, role kept", c)
	}
	got := call[constituency.Contact](t, f, request{path: path, as: agency}, http.StatusOK)
	if got != c {
		t.Errorf("get: got %+v, want %+v", got, c)
	}
	list := call[listBody[constituency.Contact]](t, f, request{path: base, as: agency}, http.StatusOK)
	if len(list.Items) != 2 {
		t.Errorf("list: got %d contacts, want 2", len(list.Items))
	}
	// Both reads by the agency user are in the audit log: contacts are personal data.
	reads := call[listBody[auth.AuditEntry]](t, f, request{path: "/api/v1/audit?actor=agency&action=contact.read", as: admin}, http.StatusOK)
	if len(reads.Items) != 2 {
		t.Errorf("audited reads: got %d, want 2", len(reads.Items))
	}
	call[struct{}](t, f, request{method: "DELETE", path: path, as: analyst}, http.StatusNoContent)
	f.wantError(t, request{path: path, as: analyst}, http.StatusNotFound, "not_found")
}

func TestListOrgsPagination(t *testing.T) {
	f := newFixture(t)
	for _, name := range []string{"b-org", "c-org", "d-org", "e-org", "f-org"} {
		cii := name == "c-org" || name == "e-org"
		o := constituency.Org{ShortName: name, Name: "Org " + name, Sector: "energy", CII: cii}
		if name == "d-org" {
			o.Resources = []constituency.Resource{{Value: "grid.example"}}
		}
		f.createOrg(t, o)
	}
	var got []string
	pages := 0
	for after := ""; ; pages++ {
		p := call[listBody[storage.OrgSummary]](t, f, request{path: "/api/v1/orgs?limit=3&after=" + after, as: auditor}, http.StatusOK)
		for _, o := range p.Items {
			got = append(got, o.ShortName)
		}
		if p.Next == "" {
			pages++
			break
		}
		after = p.Next
		if pages > 10 {
			t.Fatal("pagination does not end")
		}
	}
	want := []string{"alpha-agency", "b-org", "c-org", "d-org", "e-org", "f-org", "zeta-ministry"}
	if !slices.Equal(got, want) || pages != 3 {
		t.Errorf("got %v in %d pages, want %v in 3", got, pages, want)
	}

	filters := []struct {
		query string
		want  []string
	}{
		{"sector=energy&cii=true", []string{"c-org", "e-org"}},
		{"q=grid", []string{"d-org"}},
		{"q=ZETA", []string{"zeta-ministry"}},
		{"cii=false&sector=energy&limit=2", []string{"b-org", "d-org"}},
	}
	for _, tt := range filters {
		p := call[listBody[storage.OrgSummary]](t, f, request{path: "/api/v1/orgs?" + tt.query, as: admin}, http.StatusOK)
		var names []string
		for _, o := range p.Items {
			names = append(names, o.ShortName)
		}
		if !slices.Equal(names, tt.want) {
			t.Errorf("?%s: got %v, want %v", tt.query, names, tt.want)
		}
	}

	// An agency user pages through their own organisations only.
	p := call[listBody[storage.OrgSummary]](t, f, request{path: "/api/v1/orgs", as: agency}, http.StatusOK)
	if len(p.Items) != 1 || p.Items[0].ShortName != "alpha-agency" || p.Items[0].ResourceCount != 1 || p.Items[0].ContactCount != 1 || p.Next != "" {
		t.Errorf("agency: got %+v, want only alpha-agency with 1 resource and 1 contact", p)
	}
}

func TestOverviewIsScoped(t *testing.T) {
	f := newFixture(t)
	for caller, want := range map[string]int{admin: 2, agency: 1, partner: 1, agencyOther: 1} {
		ov := call[storage.Overview](t, f, request{path: "/api/v1/overview", as: caller}, http.StatusOK)
		if ov.Orgs != want || ov.Resources != want || ov.Contacts != want {
			t.Errorf("%s: got %d orgs, %d resources, %d contacts, want %d of each", caller, ov.Orgs, ov.Resources, ov.Contacts, want)
		}
	}
}

func TestAuditPagination(t *testing.T) {
	f := newFixture(t)
	var ids []int64
	next := ""
	for range 20 {
		p := call[listBody[auth.AuditEntry]](t, f, request{path: "/api/v1/audit?limit=2&before_id=" + next, as: auditor}, http.StatusOK)
		for _, e := range p.Items {
			ids = append(ids, e.ID)
		}
		if next = p.Next; next == "" {
			break
		}
	}
	if len(ids) < 4 {
		t.Fatalf("got %d entries, want the fixture's changes (at least 4)", len(ids))
	}
	for i := 1; i < len(ids); i++ {
		if ids[i] >= ids[i-1] {
			t.Fatalf("got ids %v, want them strictly decreasing (newest first, no repeats)", ids)
		}
	}
}
