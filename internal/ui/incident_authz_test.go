package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/incident"
)

// TestIncidentTriageRoutesMatrix is the authorization matrix of the
// triage queue, the incident page's forms, saved views and the export:
// every role against an incident of its own organisation and one of
// another. An agency user is refused on its own incident (403) and finds
// nothing of another's (404), and the case of another agency is unchanged
// after every attempt.
func TestIncidentTriageRoutesMatrix(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	rules := incident.DefaultRules()
	own := f.addIncident(t, "Calls to MDT staff", "", "mdt")
	other := f.addIncident(t, "Calls to Maliyyə staff", "", "minfin")
	roles := []string{"admin", "analyst", "auditor", "mdt-officer", "partner"}

	// What each route needs that must be fresh per request.
	n := 0
	fresh := func(role string, in incident.Incident) url.Values {
		n++
		target := f.addIncident(t, fmt.Sprintf("Link target %d", n), "")
		td, err := f.store.CreateTakedown(ctx, auth.System, rules, in.ID, incident.Takedown{TargetKind: incident.TargetHosting,
			Provider: "Host", Subject: fmt.Sprintf("https://fake%d.example/", n)})
		if err != nil {
			t.Fatal(err)
		}
		return url.Values{"title": {fmt.Sprintf("Edited %d", n)}, "tlp": {"amber"}, "pap": {"amber"}, "assignee": {role},
			"people_affected": {fmt.Sprint(n * 100)}, "link_kind": {"incident"}, "target": {target.Ref}, "target_kind": {"hosting"},
			"provider": {"Host"}, "subject": {fmt.Sprintf("https://new%d.example/", n)}, "takedown": {itoa(td.ID)}, "status": {"sent"}}
	}
	// codes are the answers for admin, analyst, auditor, agency, partner.
	type codes [5]int
	write := codes{303, 303, 403, 403, 404} // the own incident is TLP:AMBER: a partner does not see it
	writeOther := codes{303, 303, 403, 404, 404}
	for _, action := range []string{"edit", "assign", "assess", "link", "takedown", "takedown-move", "evidence"} {
		for _, tc := range []struct {
			in   incident.Incident
			want codes
		}{{own, write}, {other, writeOther}} {
			for i, role := range roles {
				c := f.as(t, role)
				form := fresh(role, tc.in)
				path := "/incidents/" + itoa(tc.in.ID) + "/" + action
				var resp *response
				if action == "evidence" {
					resp = c.upload(path, "shot.png", append(append([]byte{}, evidencePNG...), form.Get("title")...), "")
				} else {
					resp = c.post(path, form)
				}
				if resp.StatusCode != tc.want[i] {
					t.Errorf("%s POST %s: %d, want %d\n%s", role, path, resp.StatusCode, tc.want[i], excerpt(resp.body))
				}
				if tc.want[i] == 404 && strings.Contains(resp.body, tc.in.Title) {
					t.Errorf("%s POST %s: the 404 page names the incident", role, path)
				}
			}
		}
	}
	got, _ := f.store.GetIncident(ctx, auth.Everything, rules, other.ID)
	if !strings.HasPrefix(got.Title, "Edited") || got.Assignee != "analyst" {
		t.Errorf("staff's edits of another organisation's incident did not apply: %+v", got)
	}
	log, _ := f.store.IncidentJournal(ctx, auth.Everything, other.ID)
	for _, e := range log {
		if e.Actor == "mdt-officer" || e.Actor == "partner" || e.Actor == "auditor" {
			t.Errorf("%s changed another organisation's incident: %s", e.Actor, e.Text)
		}
	}

	// The queue: staff and the auditor read it, nobody else; only staff decide.
	for i, role := range roles {
		want := codes{200, 200, 200, 403, 403}[i]
		if resp := f.as(t, role).get("/incidents/triage?status=all"); resp.StatusCode != want {
			t.Errorf("%s GET /incidents/triage: %d, want %d", role, resp.StatusCode, want)
		}
		rep := f.addReport(t, incident.Report{Category: "other", Description: "report for " + role})
		want = codes{303, 303, 403, 403, 403}[i]
		if resp := f.as(t, role).post("/incidents/triage/"+itoa(rep.ID)+"/reject", url.Values{"reason": {"test"}}); resp.StatusCode != want {
			t.Errorf("%s POST /incidents/triage/%d/reject: %d, want %d", role, rep.ID, resp.StatusCode, want)
		}
	}

	// Export and saved views: everyone who reads incidents, each within
	// their own scope.
	for i, role := range roles {
		c := f.as(t, role)
		exp := c.get("/incidents/export.csv").want(t, http.StatusOK)
		if role == "mdt-officer" || role == "partner" {
			exp.lacks(t, other.Ref, "minfin")
		} else if i < 3 {
			exp.contains(t, other.Ref, own.Ref)
		}
		c.post("/incidents/views", url.Values{"name": {"mine"}, "query": {"status=open"}}).want(t, http.StatusSeeOther)
	}
}
