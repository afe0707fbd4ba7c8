package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/storage"
)

// TestTriageDuplicateOverHTTP: a report marked a duplicate of an accepted
// one follows it into its incident; of a waiting one, it is rejected as a
// duplicate; with another decision besides, it is refused.
func TestTriageDuplicateOverHTTP(t *testing.T) {
	f := newFixture(t)
	submit := func(desc string) int64 {
		t.Helper()
		resp := f.do(t, request{method: http.MethodPost, path: "/api/v1/incident-reports", as: analyst,
			body: fmt.Sprintf(`{"category":"phishing","description":%q,"url":"https://fake-bank.example/login"}`, desc)})
		var out struct{ ID int64 }
		json.Unmarshal([]byte(resp.body), &out)
		if resp.status != http.StatusCreated || out.ID == 0 {
			t.Fatalf("submit: %d %s", resp.status, resp.body)
		}
		return out.ID
	}
	triage := func(as string, id int64, body string, want int) incident.Report {
		t.Helper()
		resp := f.do(t, request{method: http.MethodPost, path: fmt.Sprintf("/api/v1/incident-reports/%d/triage", id), as: as, body: body})
		if resp.status != want {
			t.Fatalf("triage %d %s: got %d, want %d; %s", id, body, resp.status, want, resp.body)
		}
		var r incident.Report
		json.Unmarshal([]byte(resp.body), &r)
		return r
	}
	first, second, third, fourth := submit("A fake bank page"), submit("The same page"), submit("Spam"), submit("Spam again")
	opened := triage(analyst, first, `{"new":{}}`, 200)
	dup := triage(analyst, second, fmt.Sprintf(`{"duplicate_of":%d}`, first), 200)
	if dup.Status != incident.ReportAccepted || dup.IncidentID != opened.IncidentID {
		t.Errorf("duplicate of an accepted report: got %+v, want it in incident %d", dup, opened.IncidentID)
	}
	triage(analyst, fourth, fmt.Sprintf(`{"duplicate_of":%d,"reject":"spam"}`, third), 400)
	triage(agency, fourth, fmt.Sprintf(`{"duplicate_of":%d}`, third), 403)
	rej := triage(analyst, fourth, fmt.Sprintf(`{"duplicate_of":%d}`, third), 200)
	if rej.Status != incident.ReportRejected || !strings.Contains(rej.RejectReason, fmt.Sprint(third)) {
		t.Errorf("duplicate of a waiting report: got %+v", rej)
	}
	triage(analyst, third, fmt.Sprintf(`{"duplicate_of":%d}`, third), 400)
	triage(analyst, fourth, fmt.Sprintf(`{"duplicate_of":%d}`, first), 409)
}

// TestIncidentLinksOverHTTP: an incident's detail lists its links, only
// those to what the caller may see.
func TestIncidentLinksOverHTTP(t *testing.T) {
	f := newFixture(t)
	mk := func(title string, org int64) incident.Incident {
		t.Helper()
		in, err := f.store.CreateIncident(ctx, auth.System, incident.DefaultRules(), storage.NewIncident{Incident: incident.Incident{Title: title,
			Classification: incident.ClassOf(incident.CatPhishing), OrgIDs: []int64{org}}})
		if err != nil {
			t.Fatal(err)
		}
		return in
	}
	own, ownToo, other := mk("Own case", f.own.ID), mk("Own related case", f.own.ID), mk("Other agency's case", f.other.ID)
	for _, target := range []int64{ownToo.ID, other.ID} {
		if _, err := f.store.LinkIncident(ctx, auth.System, incident.DefaultRules(), own.ID, incident.Link{Kind: incident.LinkIncident, TargetID: target}); err != nil {
			t.Fatal(err)
		}
	}
	get := func(as string) string {
		t.Helper()
		resp := f.do(t, request{path: fmt.Sprintf("/api/v1/incidents/%d", own.ID), as: as})
		if resp.status != http.StatusOK {
			t.Fatalf("%s: %d %s", as, resp.status, resp.body)
		}
		return resp.body
	}
	if body := get(analyst); !strings.Contains(body, ownToo.Ref) || !strings.Contains(body, other.Ref) {
		t.Errorf("staff's links: got %s", body)
	}
	if body := get(agency); !strings.Contains(body, ownToo.Ref) || strings.Contains(body, other.Ref) || strings.Contains(body, "Other agency") {
		t.Errorf("agency's links: got %s, want only its own related case", body)
	}
}
