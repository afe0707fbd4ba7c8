package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/storage"
)

// TestAgencySeesOnlyItsOrganisation: another agency's organisation does not
// exist for an agency officer, whether read, changed or searched for.
func TestAgencySeesOnlyItsOrganisation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.as(t, "mdt-officer")

	list := c.get("/orgs").want(t, http.StatusOK)
	list.contains(t, `href="/orgs/mdt"`).lacks(t, "minfin", "azerenerji", "bsu", "Maliyyə Nazirliyi")
	// The export shows what the list shows.
	c.get("/orgs/-/export?format=csv").want(t, http.StatusOK).contains(t, "mdt,").lacks(t, "minfin")
	c.get("/orgs/-/export?format=json").want(t, http.StatusOK).contains(t, `"short_name":"mdt"`).lacks(t, "minfin")
	c.get("/").want(t, http.StatusOK).contains(t, `<span class="card-num">1</span>`)

	c.get("/orgs/mdt").want(t, http.StatusOK).contains(t, "mdt.gov.az", "soc@mdt.gov.az")
	c.get("/orgs/minfin").want(t, http.StatusNotFound).contains(t, "Səhifə tapılmadı").lacks(t, "Maliyyə", "maliyye.gov.az")

	minfin := f.orgs["minfin"]
	for _, path := range []string{
		"/orgs/minfin/edit",
		"/orgs/minfin/delete",
		"/orgs/minfin/resources",
		"/orgs/minfin/resources/" + strconv.FormatInt(minfin.Resources[0].ID, 10) + "/delete",
		"/orgs/minfin/contacts",
		"/orgs/minfin/contacts/" + strconv.FormatInt(minfin.Contacts[0].ID, 10) + "/delete",
	} {
		c.post(path, url.Values{"value": {"evil.example"}, "email": {"x@evil.example"}, "name": {"x"}, "short_name": {"minfin"}}).
			want(t, http.StatusNotFound).lacks(t, "Maliyyə")
	}
	c.get("/orgs/minfin/edit").want(t, http.StatusNotFound)
	o, err := f.store.GetOrgByShortName(context.Background(), auth.Everything, "minfin")
	if err != nil || len(o.Resources) != 3 {
		t.Fatalf("minfin after the agency's attempts: %v, %v", o, err)
	}

	// Their own organisation: visible, but an agency may not change it.
	c.post("/orgs/mdt/resources", url.Values{"value": {"new.mdt.gov.az"}}).want(t, http.StatusForbidden)
	c.post("/orgs/mdt/delete", nil).want(t, http.StatusForbidden)
	c.get("/orgs/mdt/edit").want(t, http.StatusForbidden)
	c.get("/orgs/-/new").want(t, http.StatusForbidden)
	c.post("/orgs/-/new", url.Values{"short_name": {"x"}, "name": {"X"}}).want(t, http.StatusForbidden)
	c.get("/orgs/mdt").want(t, http.StatusOK).lacks(t, "/orgs/mdt/edit", "/delete", `action="/orgs/mdt/resources"`)

	// Search never names another agency's organisation.
	c.get("/search?q=198.51.100.7").redirectsTo(t, "/orgs?q=198.51.100.7")
	c.get("/search?q=minfin").redirectsTo(t, "/orgs?q=minfin")
	c.get("/search?q=192.0.2.9").redirectsTo(t, "/orgs/mdt")
	c.get("/orgs?q=maliyye").want(t, http.StatusOK).lacks(t, "minfin")

	// No admin pages.
	c.get("/admin/users").want(t, http.StatusForbidden)
	c.get("/admin/audit").want(t, http.StatusForbidden)
}

// TestRolesSeeOnlyTheirActions: buttons appear only for those who may use
// them, and a POST without the permission is refused with 403.
func TestRolesSeeOnlyTheirActions(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	analyst := f.as(t, "analyst")
	analyst.get("/orgs").want(t, http.StatusOK).contains(t, `href="/orgs/-/new"`)
	analyst.get("/orgs/mdt").want(t, http.StatusOK).contains(t, `action="/orgs/mdt/delete"`, `action="/orgs/mdt/resources"`, `href="/orgs/mdt/edit"`).
		lacks(t, "/admin/audit") // analysts do not read the audit log
	analyst.get("/admin/users").want(t, http.StatusForbidden)
	analyst.get("/admin/audit").want(t, http.StatusForbidden)
	analyst.get("/").lacks(t, `href="/admin/users"`, `href="/admin/audit"`)

	auditor := f.as(t, "auditor")
	auditor.get("/orgs").want(t, http.StatusOK).lacks(t, `href="/orgs/-/new"`)
	auditor.get("/orgs/mdt").want(t, http.StatusOK).contains(t, "soc@mdt.gov.az", "/admin/audit?object_type=org").
		lacks(t, `action="/orgs/mdt/delete"`, `action="/orgs/mdt/resources"`, `data-confirm`)
	auditor.post("/orgs/mdt/delete", nil).want(t, http.StatusForbidden).contains(t, "Not allowed")
	auditor.post("/orgs/-/new", url.Values{"short_name": {"x"}, "name": {"X"}}).want(t, http.StatusForbidden)
	auditor.get("/admin/users").want(t, http.StatusOK).lacks(t, `href="/admin/users/new"`)
	auditor.get("/admin/users/"+strconv.FormatInt(f.users["analyst"].ID, 10)).want(t, http.StatusOK).
		contains(t, "<fieldset disabled>").lacks(t, "/password")
	auditor.post("/admin/users/new", url.Values{"name": {"x"}}).want(t, http.StatusForbidden)
	auditor.get("/admin/audit").want(t, http.StatusOK)

	// A partner CERT reads organisations up to TLP:GREEN and no contacts.
	partner := f.as(t, "partner")
	partner.get("/orgs").want(t, http.StatusOK).contains(t, "azerenerji", "bsu").lacks(t, "minfin", `href="/orgs/mdt"`)
	partner.get("/orgs/azerenerji").want(t, http.StatusOK).lacks(t, `id="contacts"`)
	partner.get("/orgs/mdt").want(t, http.StatusNotFound)
	if entries, _ := f.store.ListAudit(context.Background(), storage.AuditFilter{Actor: "partner", Action: "contact.read"}); len(entries) != 0 {
		t.Errorf("a partner's page view read contacts: %v", entries)
	}
}

// TestCrossSitePostRefused: the server's cross-origin protection stops a
// form posted from another site, so forms need no CSRF token.
func TestCrossSitePostRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.as(t, "analyst")
	for name, h := range map[string]http.Header{
		"sec-fetch-site": {"Sec-Fetch-Site": {"cross-site"}},
		"origin":         {"Origin": {"https://evil.example"}},
	} {
		req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/orgs/mdt/delete", strings.NewReader(""))
		req.Header = h
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if r := c.do(req); r.StatusCode != http.StatusForbidden {
			t.Errorf("%s: cross-site POST answered %d, want 403", name, r.StatusCode)
		}
	}
	if _, err := f.store.GetOrgByShortName(context.Background(), auth.Everything, "mdt"); err != nil {
		t.Errorf("mdt after cross-site posts: %v", err)
	}
	// The same request from our own pages goes through.
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/orgs/mdt/delete", nil)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if r := c.do(req); r.StatusCode != http.StatusSeeOther {
		t.Errorf("same-origin POST answered %d, want 303", r.StatusCode)
	}
}
