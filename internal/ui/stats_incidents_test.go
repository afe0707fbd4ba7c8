package ui_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/storage"
)

// addIncident opens an incident of org at t, triaged two hours later.
func (f *fixture) addIncidentAt(t *testing.T, org string, cat incident.Category, at time.Time) {
	t.Helper()
	ctx := context.Background()
	clock := f.store.Now
	defer func() { f.store.Now = clock }()
	f.store.Now = func() time.Time { return at }
	actor := auth.Actor{Name: "analyst", Role: auth.Analyst, Scope: auth.Everything}
	rules := incident.DefaultRules()
	in, err := f.store.CreateIncident(ctx, actor, rules, storage.NewIncident{NoPlaybook: true,
		Incident: incident.Incident{Title: "Case of " + org, Classification: incident.ClassOf(cat), OrgIDs: []int64{f.orgs[org].ID}}})
	if err != nil {
		t.Fatal(err)
	}
	f.store.Now = func() time.Time { return at.Add(2 * time.Hour) }
	if _, err := f.store.MoveIncident(ctx, actor, rules, in.ID, incident.Action{To: incident.Triage}); err != nil {
		t.Fatal(err)
	}
}

func TestStatsPageIncidents(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.addIncidentAt(t, "mdt", incident.CatVishing, time.Date(2026, 10, 3, 9, 0, 0, 0, time.UTC))
	f.addIncidentAt(t, "mdt", incident.CatPhishing, time.Date(2026, 10, 4, 9, 0, 0, 0, time.UTC))
	f.addIncidentAt(t, "minfin", incident.CatDataLeak, time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC))
	f.addIncidentAt(t, "minfin", incident.CatDataLeak, time.Date(2025, 10, 5, 9, 0, 0, 0, time.UTC))

	f.as(t, "analyst").get("/stats?period=2026-10").want(t, http.StatusOK).
		contains(t, `id="incidents"`, "Oktyabr 2026: 3 insident qeydə alınıb; Oktyabr 2025 ilə müqayisədə &#43;200 %.",
			"İlkin qiymətləndirməyə qədər vaxt", "2.0 s", "vishing", "personal-data-breach", "information-content-security/data-leak",
			`href="/orgs/minfin"`, "/stats/incidents/export?period=2026-10", "Analitik")
	csv := f.as(t, "analyst").get("/stats/incidents/export?period=2026-10").want(t, http.StatusOK).
		contains(t, "summary,2026-10,,3,0,1,,200.0,0", "time_to_triage,2026-10,,,,,,,,3,2.0,2.0,2.0", "organisation,minfin,")
	if ct := csv.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("export Content-Type: got %q", ct)
	}

	// The agency officer: its own organisation's incidents only.
	officer := f.as(t, "mdt-officer")
	officer.get("/stats?period=2026-10").want(t, http.StatusOK).
		contains(t, "Oktyabr 2026: 2 insident qeydə alınıb", "vishing").lacks(t, "minfin", "personal-data-breach")
	officer.get("/stats/incidents/export?period=2026-10").want(t, http.StatusOK).
		contains(t, "summary,2026-10,,2,").lacks(t, "minfin", "personal-data-breach")
	officer.get("/stats/incidents/export?period=2026-10&org=minfin").want(t, http.StatusBadRequest).lacks(t, "personal-data-breach")
	officer.get("/stats/incidents/export?period=2026-13").want(t, http.StatusBadRequest)

	// The auditor reads English; a partner (TLP:GREEN) sees no AMBER case.
	f.as(t, "auditor").get("/stats?period=2026-10").want(t, http.StatusOK).
		contains(t, "October 2026: 3 incidents registered; &#43;200 % compared to October 2025.", "Time to triage", "By channel")
	f.as(t, "partner").get("/stats/incidents/export?period=2026-10").want(t, http.StatusOK).
		contains(t, "summary,2026-10,,0,").lacks(t, "minfin", "mdt")
}
