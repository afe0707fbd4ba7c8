package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/stats"
)

// TestIncidentStatsTenancy: each caller's figures count the incidents it
// may see, and name no organisation it may not.
func TestIncidentStatsTenancy(t *testing.T) {
	f := newFixture(t)
	matrixIncident(f, f.own)   // TLP:GREEN, of alpha
	matrixIncident(f, f.other) // TLP:AMBER, of zeta
	year := f.store.Now().UTC().Year()
	for _, c := range []struct {
		as       string
		opened   int
		orgs     string
		seesZeta bool
	}{
		{admin, 2, "alpha-agency zeta-ministry", true},
		{auditor, 2, "alpha-agency zeta-ministry", true},
		{agency, 1, "alpha-agency", false},
		{agencyOther, 1, "zeta-ministry", true},
		{partner, 1, "alpha-agency", false},
	} {
		resp := f.do(t, request{as: c.as, path: fmt.Sprintf("/api/v1/stats/incidents?year=%d&lang=en", year)})
		if resp.status != http.StatusOK {
			t.Fatalf("%s: got status %d, want 200; %s", c.as, resp.status, resp.body)
		}
		var r struct {
			Headline string `json:"headline"`
			stats.IncidentReport
		}
		if err := json.Unmarshal([]byte(resp.body), &r); err != nil {
			t.Fatal(err)
		}
		var orgs []string
		for _, row := range r.ByOrganisation {
			orgs = append(orgs, row.Key)
		}
		if r.Opened != c.opened || strings.Join(orgs, " ") != c.orgs || !strings.Contains(r.Headline, fmt.Sprintf("%d: %d incident", year, c.opened)) {
			t.Errorf("%s: got %d opened, organisations %v, headline %q; want %d, %s", c.as, r.Opened, orgs, r.Headline, c.opened, c.orgs)
		}
		if !c.seesZeta && strings.Contains(resp.body, "zeta") {
			t.Errorf("%s: got a body naming the other organisation: %s", c.as, resp.body)
		}
		csv := f.do(t, request{as: c.as, path: fmt.Sprintf("/api/v1/stats/incidents/export?year=%d", year)})
		if csv.status != http.StatusOK || !strings.HasPrefix(csv.body, strings.Join(stats.IncidentCSVColumns, ",")) ||
			!strings.Contains(csv.body, fmt.Sprintf("summary,%d,,%d,", year, c.opened)) || (!c.seesZeta && strings.Contains(csv.body, "zeta")) {
			t.Errorf("%s: CSV: got %d %q", c.as, csv.status, csv.body)
		}
	}
	// An agency may not ask for another organisation's figures: to it
	// there is no such organisation.
	if resp := f.do(t, request{as: agency, path: fmt.Sprintf("/api/v1/stats/incidents?year=%d&org=%d", year, f.other.ID)}); resp.status != http.StatusBadRequest ||
		strings.Contains(resp.body, "zeta") {
		t.Errorf("agency asking for zeta: got %d %s, want 400 without its name", resp.status, resp.body)
	}
	for _, q := range []string{"month=2026", "year=2026-01", "period=2026-01&month=2026-02", "format=xlsx"} {
		path := "/api/v1/stats/incidents?" + q
		if strings.HasPrefix(q, "format") {
			path = "/api/v1/stats/incidents/export?" + q
		}
		if resp := f.do(t, request{as: admin, path: path}); resp.status != http.StatusBadRequest || !strings.Contains(resp.body, `"invalid"`) {
			t.Errorf("%s: got %d %s, want 400 invalid", q, resp.status, resp.body)
		}
		// The findings statistics read their query the same way.
		if resp := f.do(t, request{as: admin, path: strings.Replace(path, "/stats/incidents", "/stats", 1)}); resp.status != http.StatusBadRequest {
			t.Errorf("findings statistics, %s: got %d %s, want 400", q, resp.status, resp.body)
		}
	}
	if resp := f.do(t, request{as: admin, path: fmt.Sprintf("/api/v1/stats?year=%d", year)}); resp.status != http.StatusOK ||
		!strings.Contains(resp.body, fmt.Sprintf(`"period":"%d"`, year)) {
		t.Errorf("findings statistics of a year: got %d %s", resp.status, resp.body)
	}
}
