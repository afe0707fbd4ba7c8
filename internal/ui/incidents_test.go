package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/storage"
)

// addIncident opens a vishing incident affecting the named organisations.
func (f *fixture) addIncident(t testing.TB, title, label string, orgs ...string) incident.Incident {
	t.Helper()
	in := incident.Incident{Title: title, Classification: incident.ClassOf(incident.CatVishing), TLP: "amber"}
	if label != "" {
		in.TLP = "green"
	}
	for _, o := range orgs {
		in.OrgIDs = append(in.OrgIDs, f.orgs[o].ID)
	}
	got, err := f.store.CreateIncident(context.Background(), auth.System, incident.DefaultRules(), storage.NewIncident{Incident: in,
		Observables: []incident.Observable{{Kind: incident.KindPhone, Value: "050 123 45 67", TLP: "green"}}})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestIncidentPagesTenancy(t *testing.T) {
	f := newFixture(t)
	mdt := f.addIncident(t, "Calls to MDT staff", "", "mdt")
	minfin := f.addIncident(t, "Calls to Maliyyə staff", "", "minfin")
	public := f.addIncident(t, "Citizens called", "green")

	f.as(t, "analyst").get("/incidents").want(t, http.StatusOK).contains(t, mdt.Ref, minfin.Ref, public.Ref, "/incidents/new")
	f.as(t, "mdt-officer").get("/incidents").want(t, http.StatusOK).contains(t, mdt.Ref).lacks(t, minfin.Ref, public.Ref, "/incidents/new")
	f.as(t, "partner").get("/incidents").want(t, http.StatusOK).contains(t, public.Ref).lacks(t, mdt.Ref, minfin.Ref)
	f.as(t, "mdt-officer").get("/incidents/"+itoa(minfin.ID)).want(t, http.StatusNotFound)

	// The officer sees the case, its playbook and the number in other
	// incidents it may see (none), and may add a note but not move it.
	if _, err := f.store.CreateTakedown(context.Background(), auth.System, incident.DefaultRules(), mdt.ID,
		incident.Takedown{TargetKind: incident.TargetMobile, Provider: "Azercell", Subject: "+994501234567"}); err != nil {
		t.Fatal(err)
	}
	page := f.as(t, "mdt-officer").get("/incidents/"+itoa(mdt.ID)).want(t, http.StatusOK)
	page.contains(t, mdt.Ref, "&#43;994501234567", "Azercell", `action="/incidents/`+itoa(mdt.ID)+`/note"`).lacks(t, "/move", "minfin", "in 2 other")
	f.as(t, "mdt-officer").post("/incidents/"+itoa(mdt.ID)+"/move", url.Values{"status": {"triage"}}).want(t, http.StatusForbidden)
	f.as(t, "mdt-officer").post("/incidents/"+itoa(mdt.ID)+"/note", url.Values{"text": {"Staff warned"}}).want(t, http.StatusSeeOther)
	f.as(t, "mdt-officer").post("/incidents/"+itoa(minfin.ID)+"/note", url.Values{"text": {"x"}}).want(t, http.StatusNotFound)
	// Staff see the correlation: the same number in two other incidents.
	f.as(t, "analyst").get("/incidents/"+itoa(mdt.ID)).want(t, http.StatusOK).contains(t, "Staff warned", "kind=phone&amp;observable=%2b994501234567")
}

func TestIncidentPagesWork(t *testing.T) {
	f := newFixture(t)
	a := f.as(t, "analyst")
	a.get("/incidents/new").want(t, http.StatusOK)
	// Bad input keeps what was typed and says what is wrong.
	bad := a.post("/incidents/new", url.Values{"title": {"Kapital Bank vishing"}, "category": {"vishing"}, "orgs": {"mdt"},
		"people_affected": {"-5"}}).want(t, http.StatusBadRequest)
	bad.contains(t, "Kapital Bank vishing", `name="people_affected"`)
	resp := a.post("/incidents/new", url.Values{"title": {"Kapital Bank vishing"}, "category": {"vishing"}, "orgs": {"mdt"},
		"people_affected": {"5000"}, "spreading": {"1"}, "observable_kind": {"phone"}, "observable": {"050 765 43 21"}, "tlp": {"green"}})
	resp.want(t, http.StatusSeeOther)
	loc := resp.Header.Get("Location")
	if !strings.HasPrefix(loc, "/incidents/") {
		t.Fatalf("create: redirected to %q", loc)
	}
	page := a.get(loc).want(t, http.StatusOK)
	page.contains(t, "QLX-", "&#43;994507654321", "vishing", "masquerade")
	// An illegal move (new → closed is not offered, but a stale page may
	// post it) is a conflict shown on the page; a rejection needs a reason.
	a.post(loc+"/move", url.Values{"status": {"closed"}}).want(t, http.StatusConflict)
	a.post(loc+"/move", url.Values{"status": {"rejected"}}).want(t, http.StatusBadRequest)
	a.post(loc+"/move", url.Values{"status": {"in_progress"}}).want(t, http.StatusSeeOther)
	a.post(loc+"/severity", url.Values{"severity": {"critical"}, "reason": {"pensioners targeted"}}).want(t, http.StatusSeeOther)
	a.post(loc+"/observable", url.Values{"kind": {"url"}, "value": {"hxxps://kapital-bonus[.]example/"}, "tlp": {"green"}}).want(t, http.StatusSeeOther)
	a.post(loc+"/observable", url.Values{"kind": {"phone"}, "value": {"12"}}).want(t, http.StatusBadRequest)
	a.post(loc+"/task", url.Values{"title": {"Call the bank"}}).want(t, http.StatusSeeOther)
	a.get(loc).want(t, http.StatusOK).contains(t, "https://kapital-bonus.example/", "pensioners targeted", "Call the bank")
	f.as(t, "mdt-officer").get("/incidents?status=open&kind=phone&observable=0507654321").want(t, http.StatusOK).contains(t, "Kapital Bank vishing")
	for _, lang := range []string{"az", "en", "ru"} {
		c := f.as(t, "analyst")
		c.lang = lang
		c.get("/incidents").want(t, http.StatusOK)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
