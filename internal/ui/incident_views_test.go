package ui_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/storage"
)

func TestIncidentSavedViews(t *testing.T) {
	f := newFixture(t)
	mdt := f.addIncident(t, "Calls to MDT staff", "", "mdt")
	minfin := f.addIncident(t, "Calls to Maliyyə staff", "", "minfin")
	a := f.as(t, "analyst")

	a.get("/incidents?status=open&identifier=vishing&cursor=99").want(t, http.StatusOK).
		contains(t, `action="/incidents/views"`, `name="query" value="identifier=vishing&amp;status=open"`)
	// A view needs a name and a filter; the name typed is kept.
	a.post("/incidents/views", url.Values{"name": {" "}, "query": {"status=open"}}).want(t, http.StatusBadRequest)
	a.post("/incidents/views", url.Values{"name": {"Everything"}, "query": {"cursor=5"}}).want(t, http.StatusBadRequest).
		contains(t, `value="Everything"`, "Əvvəlcə filtr qoyun")
	// A filter too long to keep is said as such.
	a.post("/incidents/views", url.Values{"name": {"Long"}, "query": {"q=" + strings.Repeat("x", 2100)}}).want(t, http.StatusBadRequest).
		lacks(t, "Əvvəlcə filtr qoyun")
	// Only filter fields are kept: the cursor goes.
	a.post("/incidents/views", url.Values{"name": {"Open vishing"}, "query": {"status=open&identifier=vishing&cursor=99"}}).
		redirectsTo(t, "/incidents?identifier=vishing&status=open")
	a.get("/incidents").want(t, http.StatusOK).contains(t, `href="/incidents?identifier=vishing&amp;status=open">Open vishing</a>`)

	views, err := f.store.IncidentViews(context.Background(), f.users["analyst"].ID)
	if err != nil || len(views) != 1 {
		t.Fatalf("views: got %+v, %v", views, err)
	}
	// Another user neither sees nor deletes it.
	adm := f.as(t, "admin")
	adm.get("/incidents").want(t, http.StatusOK).lacks(t, "Open vishing")
	adm.post("/incidents/views/"+itoa(views[0].ID)+"/delete", nil).want(t, http.StatusNotFound)
	f.as(t, "mdt-officer").post("/incidents/views/"+itoa(views[0].ID)+"/delete", nil).want(t, http.StatusNotFound)

	// An agency's view runs with the agency's scope: the same filter,
	// only its incidents.
	o := f.as(t, "mdt-officer")
	o.post("/incidents/views", url.Values{"name": {"Vishing"}, "query": {"identifier=vishing"}}).want(t, http.StatusSeeOther)
	o.get("/incidents?identifier=vishing").want(t, http.StatusOK).contains(t, mdt.Ref, ">Vishing</a>").lacks(t, minfin.Ref)

	a.post("/incidents/views/"+itoa(views[0].ID)+"/delete", nil).redirectsTo(t, "/incidents")
	a.get("/incidents").want(t, http.StatusOK).lacks(t, "Open vishing")
	a.post("/incidents/views/x/delete", nil).want(t, http.StatusNotFound)
}

func TestIncidentExportCSV(t *testing.T) {
	f := newFixture(t)
	mdt := f.addIncident(t, "Calls to MDT staff", "", "mdt")
	minfin := f.addIncident(t, "Calls to Maliyyə staff", "", "minfin")
	public := f.addIncident(t, "Citizens called", "green")
	evil, err := f.store.CreateIncident(context.Background(), auth.System, incident.DefaultRules(), storage.NewIncident{Incident: incident.Incident{
		Title: "=HYPERLINK(\"https://evil.example\",\"click\")", Classification: incident.ClassOf(incident.CatPhishing), TLP: "amber"}})
	if err != nil {
		t.Fatal(err)
	}
	read := func(c *client, path string) [][]string {
		t.Helper()
		resp := c.get(path).want(t, http.StatusOK)
		if ct, cd := resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"); !strings.HasPrefix(ct, "text/csv") || !strings.HasPrefix(cd, "attachment") {
			t.Errorf("%s: Content-Type %q, Content-Disposition %q", path, ct, cd)
		}
		rows, err := csv.NewReader(strings.NewReader(resp.body)).ReadAll()
		if err != nil || len(rows) == 0 || rows[0][0] != "ref" {
			t.Fatalf("%s: not the CSV expected: %v\n%s", path, err, resp.body)
		}
		return rows[1:]
	}
	refs := func(rows [][]string) string {
		var out []string
		for _, r := range rows {
			out = append(out, r[0])
		}
		return strings.Join(out, " ")
	}

	all := read(f.as(t, "analyst"), "/incidents/export.csv")
	if got := refs(all); got != strings.Join([]string{evil.Ref, public.Ref, minfin.Ref, mdt.Ref}, " ") {
		t.Errorf("staff export: got %s", got)
	}
	if all[0][1] != "'"+evil.Title {
		t.Errorf("a formula title: got %q, want it quoted as text", all[0][1])
	}
	// The same filter as the list.
	if got := refs(read(f.as(t, "analyst"), "/incidents/export.csv?q=MDT")); got != mdt.Ref {
		t.Errorf("filtered export: got %s, want %s", got, mdt.Ref)
	}
	// The same scope as the list: an agency its own, a partner what TLP allows.
	agency := read(f.as(t, "mdt-officer"), "/incidents/export.csv")
	if got := refs(agency); got != mdt.Ref {
		t.Errorf("agency export: got %s, want %s", got, mdt.Ref)
	}
	if got := refs(read(f.as(t, "partner"), "/incidents/export.csv")); got != public.Ref {
		t.Errorf("partner export: got %s, want %s", got, public.Ref)
	}
	f.as(t, "analyst").get("/incidents/export.csv?status=bogus").want(t, http.StatusBadRequest)
	f.as(t, "analyst").get("/incidents/export.csv?kind=phone&observable=12").want(t, http.StatusBadRequest)
	f.anon(t).get("/incidents/export.csv").want(t, http.StatusSeeOther)
}
