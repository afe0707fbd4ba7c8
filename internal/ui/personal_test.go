package ui_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/storage"
)

// TestIncidentPagePersonalData: a personal-data offence's page shows its
// personal fields to admin and analyst (each view audited) and redacts
// them for the auditor and the agency.
func TestIncidentPagePersonalData(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	leak, err := f.store.CreateIncident(ctx, auth.System, incident.DefaultRules(), storage.NewIncident{
		Incident: incident.Incident{Title: "MDT staff records leaked", Description: "Leak details: 300 rows with home addresses",
			Classification: incident.ClassOf(incident.CatDataLeak), OrgIDs: []int64{f.orgs["mdt"].ID}},
		Observables: []incident.Observable{{Kind: incident.KindEmail, Value: "leyla.personal@mail.example", TLP: "amber"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	page := "/incidents/" + strconv.FormatInt(leak.ID, 10)
	reads := func(user string) int {
		es, err := f.store.ListAudit(ctx, storage.AuditFilter{Actor: user, Action: "incident.personal_read"})
		if err != nil {
			t.Fatal(err)
		}
		return len(es)
	}
	for _, user := range []string{"admin", "analyst"} {
		f.as(t, user).get(page).want(t, http.StatusOK).contains(t, "home addresses", "leyla.personal@mail.example").lacks(t, incident.Redacted)
		if n := reads(user); n != 1 {
			t.Errorf("%s: got %d incident.personal_read records, want 1", user, n)
		}
	}
	for _, user := range []string{"auditor", "mdt-officer"} {
		f.as(t, user).get(page).want(t, http.StatusOK).contains(t, "MDT staff records leaked", incident.Redacted).lacks(t, "home addresses", "leyla.personal@mail.example")
		if n := reads(user); n != 0 {
			t.Errorf("%s: got %d incident.personal_read records, want none", user, n)
		}
	}
}

// TestTriageQueuePersonalData: the auditor reads the triage queue with
// the reporters' names and addresses redacted; an analyst's read of them
// is audited as incident.personal_read.
func TestTriageQueuePersonalData(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.addReport(t, incident.Report{Category: "vishing", Description: "A call asked for my SMS code", Phone: "050 123 45 67",
		ReporterName: "Aysel Quliyeva", ReporterEmail: "aysel@example.az"})
	f.as(t, "auditor").get("/incidents/triage").want(t, http.StatusOK).
		contains(t, "A call asked for my SMS code", incident.Redacted).lacks(t, "Aysel Quliyeva", "aysel@example.az")
	f.as(t, "analyst").get("/incidents/triage").want(t, http.StatusOK).contains(t, "Aysel Quliyeva", "aysel@example.az")
	for user, want := range map[string]int{"auditor": 0, "analyst": 1} {
		es, err := f.store.ListAudit(context.Background(), storage.AuditFilter{Actor: user, Action: "incident.personal_read"})
		if err != nil || len(es) != want {
			t.Errorf("%s: got %d incident.personal_read records (%v), want %d", user, len(es), err, want)
		}
	}
}
