package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/incident"
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
