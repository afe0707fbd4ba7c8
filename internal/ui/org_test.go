package ui_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/storage"
)

func (f *fixture) org(t *testing.T, short string) *constituency.Org {
	t.Helper()
	o, err := f.store.GetOrgByShortName(context.Background(), auth.Everything, short)
	if err != nil {
		t.Fatalf("get %s: %v", short, err)
	}
	return o
}

func TestAnalystCreatesOrganisation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.as(t, "analyst")
	form := url.Values{
		"short_name": {"Edliyye"}, "name": {"Ədliyyə Nazirliyi"}, "sector": {"government"}, "parent": {"mdt"},
		"cii": {"on"}, "language": {"az"}, "tlp": {"amber+strict"},
		"resources": {"ədliyyə.gov.az\r\n203.0.113.0/24\r\n\r\nAS64511\r\n"},
	}
	c.post("/orgs/-/new", form).redirectsTo(t, "/orgs/edliyye")
	page := c.get("/orgs/edliyye").want(t, http.StatusOK)
	page.contains(t, "Təşkilat yaradıldı.", "Ədliyyə Nazirliyi", "ədliyyə.gov.az", "xn--dliyy-dlcf.gov.az", "203.0.113.0/24", "AS64511",
		`class="tlp tlp-amber-strict"`, `href="/orgs/mdt"`, `class="badge cii"`)
	// The notice shows once.
	c.get("/orgs/edliyye").lacks(t, "Təşkilat yaradıldı.")

	o := f.org(t, "edliyye")
	if !o.CII || o.Parent != "mdt" || len(o.Resources) != 3 {
		t.Errorf("stored %+v", o)
	}
	// The registry was rebuilt: the search box finds the new owner.
	c.get("/search?q=203.0.113.9").redirectsTo(t, "/orgs/edliyye")
	c.get("/search?q=www.xn--dliyy-dlcf.gov.az").redirectsTo(t, "/orgs/edliyye")
	c.get("/orgs").contains(t, `href="/orgs/edliyye"`)

	entries, _ := f.store.ListAudit(context.Background(), storage.AuditFilter{Action: "org.create", Actor: "analyst"})
	if len(entries) != 1 {
		t.Errorf("audit org.create by analyst: %d entries, want 1", len(entries))
	}
}

func TestOrganisationFormKeepsInput(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.as(t, "analyst")
	c.lang = "en"
	tests := []struct {
		name    string
		form    url.Values
		message string
	}{
		{"bad short name", url.Values{"short_name": {"Bad Name!"}, "name": {"Keep me"}, "sector": {"finance"}},
			"düzgün qısa ad deyil"},
		{"no name", url.Values{"short_name": {"keep-me"}, "name": {""}, "sector": {"finance"}}, "mütləqdir"},
		{"taken short name", url.Values{"short_name": {"mdt"}, "name": {"Keep me"}, "sector": {"finance"}}, "artıq mövcuddur"},
		{"unknown parent", url.Values{"short_name": {"keep-me"}, "name": {"Keep me"}, "parent": {"nosuch"}}, "mövcud deyil"},
		{"bad resource", url.Values{"short_name": {"keep-me"}, "name": {"Keep me"}, "resources": {"ok.gov.az\nnot a domain!"}},
			"domen adı deyil"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.form.Set("tlp", "green")
			r := c.post("/orgs/-/new", tt.form).want(t, http.StatusUnprocessableEntity)
			r.contains(t, `<p class="field-error">`, tt.message, `aria-invalid="true"`)
			for k, v := range tt.form {
				switch {
				case v[0] == "" || k == "sector" || k == "tlp":
				case k == "resources":
					r.contains(t, ">"+v[0]+"</textarea>")
				default:
					r.contains(t, `value="`+v[0]+`"`)
				}
			}
			r.contains(t, `<option value="green" selected>`)
		})
	}
	// Edit keeps the input too.
	c.post("/orgs/mdt/edit", url.Values{"short_name": {"mdt"}, "name": {""}, "sector": {"energy"}}).
		want(t, http.StatusUnprocessableEntity).contains(t, "mütləqdir", `<option value="energy" selected>`)
	// A failed resource add shows the organisation with the message and the input.
	c.post("/orgs/mdt/resources", url.Values{"kind": {"cidr"}, "value": {"10.0.0.0/33"}, "notes": {"keep"}}).
		want(t, http.StatusUnprocessableEntity).contains(t, "CIDR formatında şəbəkə deyil", `value="10.0.0.0/33"`, `value="keep"`, "mdt.gov.az")
	c.post("/orgs/mdt/resources", url.Values{"value": {"mdt.gov.az"}}).
		want(t, http.StatusUnprocessableEntity).contains(t, "artıq bu təşkilat üçün qeydiyyatdadır")
	c.post("/orgs/mdt/contacts", url.Values{"email": {"not-an-address"}, "name": {"Keep Me"}}).
		want(t, http.StatusUnprocessableEntity).contains(t, "e-poçt ünvanı deyil", `value="Keep Me"`)
}

func TestEditAndDeleteOrganisation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.as(t, "analyst")
	c.get("/orgs/mdt/edit").want(t, http.StatusOK).contains(t, `value="Rəqəmsal İnkişaf və Nəqliyyat Nazirliyi"`, `name="cii" checked`)
	c.post("/orgs/mdt/edit", url.Values{
		"short_name": {"mdtn"}, "name": {"Rəqəmsal İnkişaf Nazirliyi"}, "sector": {"telecom"}, "language": {"en"}, "tlp": {"red"},
	}).redirectsTo(t, "/orgs/mdtn")
	c.get("/orgs/mdtn").want(t, http.StatusOK).contains(t, "Təşkilat yadda saxlanıldı.", "Rəqəmsal İnkişaf Nazirliyi", "TLP:RED", "Telekommunikasiya")
	if o := f.org(t, "mdtn"); o.CII || o.Language != "en" {
		t.Errorf("after edit: %+v", o)
	}
	c.get("/search?q=192.0.2.1").redirectsTo(t, "/orgs/mdtn") // the registry follows renames

	c.post("/orgs/mdtn/delete", nil).redirectsTo(t, "/orgs")
	c.get("/orgs").want(t, http.StatusOK).contains(t, "Təşkilat silindi.").lacks(t, "mdtn")
	c.get("/orgs/mdtn").want(t, http.StatusNotFound)
	c.get("/search?q=192.0.2.1").redirectsTo(t, "/orgs?q=192.0.2.1")
}

func TestResourcesAndContacts(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.as(t, "analyst")
	c.post("/orgs/bsu/resources", url.Values{"value": {"AS64499"}, "criticality": {"critical"}, "notes": {"campus"}}).
		redirectsTo(t, "/orgs/bsu#resources")
	c.get("/orgs/bsu").contains(t, "Resurs əlavə edildi.", "AS64499", "campus", "crit-critical")
	o := f.org(t, "bsu")
	var id int64
	for _, r := range o.Resources {
		if r.Value == "AS64499" {
			id = r.ID
		}
	}
	if id == 0 {
		t.Fatalf("resource not stored: %+v", o.Resources)
	}
	// A resource id of another organisation, under this one's URL, is not found.
	other := strconv.FormatInt(f.orgs["mdt"].Resources[0].ID, 10)
	c.post("/orgs/bsu/resources/"+other+"/delete", nil).want(t, http.StatusNotFound)
	c.post("/orgs/bsu/resources/"+strconv.FormatInt(id, 10)+"/delete", nil).redirectsTo(t, "/orgs/bsu#resources")
	c.get("/orgs/bsu").contains(t, "Resurs silindi.").lacks(t, "AS64499")

	c.post("/orgs/bsu/contacts", url.Values{"email": {"CERT@bsu.edu.az"}, "name": {"BDU CERT"}, "role": {"technical"}, "language": {"en"}}).
		redirectsTo(t, "/orgs/bsu#contacts")
	page := c.get("/orgs/bsu").contains(t, "Əlaqə şəxsi əlavə edildi.", "cert@bsu.edu.az", "BDU CERT", "Texniki", "English")
	_ = page
	cs, err := f.store.ListContacts(context.Background(), auth.Everything, auth.System, f.orgs["bsu"].ID)
	if err != nil || len(cs) != 1 {
		t.Fatalf("contacts: %v, %v", cs, err)
	}
	otherContact := strconv.FormatInt(f.orgs["mdt"].Contacts[0].ID, 10)
	c.post("/orgs/bsu/contacts/"+otherContact+"/delete", nil).want(t, http.StatusNotFound)
	c.post("/orgs/bsu/contacts/"+strconv.FormatInt(cs[0].ID, 10)+"/delete", nil).redirectsTo(t, "/orgs/bsu#contacts")
	c.get("/orgs/bsu").contains(t, "Əlaqə şəxsi silindi.").lacks(t, "cert@bsu.edu.az")
	c.post("/orgs/bsu/contacts/abc/delete", nil).want(t, http.StatusNotFound)

	// Viewing contacts is a read of personal data, and the log says so.
	entries, _ := f.store.ListAudit(context.Background(), storage.AuditFilter{Actor: "analyst", Action: "contact.read"})
	if len(entries) == 0 {
		t.Error("no contact.read in the audit log")
	}
}

func TestOrganisationListFilters(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.as(t, "analyst")
	c.get("/orgs?sector=finance").want(t, http.StatusOK).contains(t, `href="/orgs/minfin"`).lacks(t, `href="/orgs/mdt"`)
	c.get("/orgs?cii=no").contains(t, `href="/orgs/bsu"`).lacks(t, `href="/orgs/mdt"`)
	c.get("/orgs?q=maliyye").contains(t, `href="/orgs/minfin"`).lacks(t, `href="/orgs/mdt"`)
	// Needs attention: organisations nobody can be notified at.
	c.get("/").contains(t, `href="/orgs?contacts=none"`, `<strong class="alert-num">2</strong>`)
	r := c.get("/orgs?contacts=none").contains(t, `href="/orgs/azerenerji"`, `href="/orgs/bsu"`).lacks(t, `href="/orgs/mdt"`)
	// The filter's state is in the form, and in the export links.
	r.contains(t, `name="contacts" value="none" checked`, `href="/orgs/-/export?contacts=none&amp;format=csv"`)

	body := c.get("/orgs/-/export?format=csv&contacts=none").want(t, http.StatusOK).body
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(rows) != 3 || rows[0][0] != "short_name" || rows[1][0] != "azerenerji" || rows[2][0] != "bsu" {
		t.Errorf("export: %q, %v", rows, err)
	}
	c.get("/orgs/-/export?format=xml").want(t, http.StatusNotFound)
}

func TestOrganisationListPages(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	// 150 organisations without contacts, so both the plain list and the
	// "without contacts" filter span two pages.
	for i := range 150 {
		o := &constituency.Org{ShortName: fmt.Sprintf("org-%03d", i), Name: fmt.Sprintf("Org %d", i), Sector: "other"}
		if err := f.store.CreateOrg(ctx, auth.System, o); err != nil {
			t.Fatal(err)
		}
	}
	c := f.as(t, "analyst")
	for _, filter := range []string{"", "contacts=none&"} {
		first := c.get("/orgs?"+filter).want(t, http.StatusOK)
		if n := strings.Count(first.body, `<a class="mono" href="/orgs/`); n != 100 {
			t.Errorf("%s first page: %d rows, want 100", filter, n)
		}
		i := strings.Index(first.body, `rel="next" href="`)
		if i < 0 {
			t.Fatalf("%s: no next page link", filter)
		}
		next := first.body[i+len(`rel="next" href="`):]
		next = strings.ReplaceAll(next[:strings.IndexByte(next, '"')], "&amp;", "&")
		second := c.get(next).want(t, http.StatusOK).lacks(t, `rel="next"`).contains(t, "pager.first"[:0])
		total := 100 + strings.Count(second.body, `<a class="mono" href="/orgs/`)
		want := 154
		if filter != "" {
			want = 152 // all but mdt and minfin
		}
		if total != want {
			t.Errorf("%s: %d rows over two pages, want %d", filter, total, want)
		}
	}
}

// TestShortNamesDoNotClashWithRoutes: organisations named like the list's
// own pages are still reachable.
func TestShortNamesDoNotClashWithRoutes(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, short := range []string{"new", "export"} {
		if err := f.store.CreateOrg(context.Background(), auth.System, &constituency.Org{ShortName: short, Name: "Org " + short}); err != nil {
			t.Fatal(err)
		}
		f.as(t, "analyst").get("/orgs/"+short).want(t, http.StatusOK).contains(t, "Org "+short)
	}
}

func TestSearch(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.as(t, "analyst")
	for q, want := range map[string]string{
		"":                                    "/orgs",
		"192.0.2.77":                          "/orgs/mdt",
		"192.0.2.0/28":                        "/orgs/mdt",
		"https://portal.mdt.gov.az/login?x=1": "/orgs/mdt",
		"www.maliyye.gov.az":                  "/orgs/minfin",
		"AS64500":                             "/orgs/minfin",
		"BSU":                                 "/orgs/bsu",
		"Nazirliyi":                           "/orgs?q=Nazirliyi",
		"10.9.9.9":                            "/orgs?q=10.9.9.9",
	} {
		c.get("/search?q="+url.QueryEscape(q)).redirectsTo(t, want)
	}
	// A name two organisations claim: the analyst chooses from both, the
	// agency officer is sent to the one they may see.
	for _, short := range []string{"mdt", "minfin"} {
		c.post("/orgs/"+short+"/resources", url.Values{"value": {"shared.gov.az"}}).redirectsTo(t, "/orgs/"+short+"#resources")
	}
	c.get("/search?q=mail.shared.gov.az").want(t, http.StatusOK).
		contains(t, `href="/orgs/mdt"`, `href="/orgs/minfin"`, "mail.shared.gov.az")
	f.as(t, "mdt-officer").get("/search?q=mail.shared.gov.az").redirectsTo(t, "/orgs/mdt")
}
