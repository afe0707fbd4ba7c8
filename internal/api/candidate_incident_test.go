package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestCandidateIncidentAPI: staff open a look-alike's phishing incident
// once; asking again gives the same one; the candidate then names it, and
// the agency of the brand sees the link but no other agency's candidate.
func TestCandidateIncidentAPI(t *testing.T) {
	f := newFixture(t)
	own := matrixCandidateID(f, f.own)
	other := matrixCandidateID(f, f.other)
	path := fmt.Sprintf("/api/v1/lookalike-candidates/%d/incident", own)

	resp := f.do(t, request{method: "POST", path: path, as: analyst})
	if resp.status != http.StatusCreated {
		t.Fatalf("open: got %d %s, want 201", resp.status, resp.body)
	}
	var first struct {
		Incident struct {
			ID       int64  `json:"id"`
			Ref      string `json:"ref"`
			Taxonomy string `json:"taxonomy"`
			Type     string `json:"type"`
			Orgs     []string
		} `json:"incident"`
		Created bool `json:"created"`
	}
	json.Unmarshal([]byte(resp.body), &first)
	if !first.Created || first.Incident.Taxonomy != "fraud" || first.Incident.Type != "phishing" || !strings.Contains(resp.body, "alpha-agency") {
		t.Fatalf("open: got %s", resp.body)
	}
	resp = f.do(t, request{method: "POST", path: path, as: admin})
	if resp.status != http.StatusOK || !strings.Contains(resp.body, `"created":false`) || !strings.Contains(resp.body, first.Incident.Ref) {
		t.Fatalf("open again: got %d %s, want 200 with %s", resp.status, resp.body, first.Incident.Ref)
	}
	resp = f.do(t, request{method: "GET", path: fmt.Sprintf("/api/v1/lookalike-candidates/%d", own), as: agency})
	if resp.status != http.StatusOK || !strings.Contains(resp.body, `"incident_ref":"`+first.Incident.Ref+`"`) {
		t.Fatalf("agency's candidate: got %d %s, want its incident", resp.status, resp.body)
	}
	resp = f.do(t, request{method: "GET", path: fmt.Sprintf("/api/v1/incidents/%d", first.Incident.ID), as: agency})
	if resp.status != http.StatusOK {
		t.Errorf("agency reading the incident of its brand: got %d, want 200", resp.status)
	}
	resp = f.do(t, request{method: "GET", path: fmt.Sprintf("/api/v1/lookalike-candidates/%d", other), as: agency})
	if resp.status != http.StatusNotFound {
		t.Errorf("another organisation's candidate: got %d, want 404", resp.status)
	}
	resp = f.do(t, request{method: "POST", path: "/api/v1/lookalike-candidates/abc/incident", as: analyst})
	if resp.status != http.StatusBadRequest {
		t.Errorf("bad id: got %d, want 400", resp.status)
	}
	resp = f.do(t, request{method: "POST", path: "/api/v1/lookalike-candidates/999999/incident", as: analyst})
	if resp.status != http.StatusNotFound {
		t.Errorf("no such candidate: got %d, want 404", resp.status)
	}
}
