package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/storage"
)

// TestPersonalDataRedacted: the personal fields of a personal-data
// offence and of a report are shown to admin and analyst, each read
// audited, and redacted for every other role, on every route that
// carries them.
func TestPersonalDataRedacted(t *testing.T) {
	f := newFixture(t)
	rules := incident.DefaultRules()
	leak, err := f.store.CreateIncident(ctx, auth.System, rules, storage.NewIncident{
		Incident: incident.Incident{Title: "Client data of Alpha for sale", Description: "Leak details: 4,000 rows with passport numbers",
			Classification: incident.ClassOf(incident.CatDataLeak), OrgIDs: []int64{f.own.ID}, TLP: "green"},
		Observables: []incident.Observable{{Kind: incident.KindPhone, Value: "+994505550011", TLP: "green", Note: "the victim Leyla"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.AddIncidentNote(ctx, auth.System, leak.ID, "Victim Leyla Q. called back"); err != nil {
		t.Fatal(err)
	}
	rep := incident.Report{Category: incident.CatPhishing, Description: "A fake bank page", ReporterName: "Rauf Personal", ReporterEmail: "rauf@personal.example"}
	if err := rep.Normalize("AZ"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.SubmitIntake(ctx, auth.Actor{Name: "public"}, &rep); err != nil {
		t.Fatal(err)
	}
	secrets := []string{"passport numbers", "+994505550011", "the victim Leyla", "Leyla Q.", "Rauf Personal", "rauf@personal.example"}
	for _, c := range []struct {
		as    string
		sees  bool
		paths []string
	}{
		{admin, true, []string{"/api/v1/incidents", "/api/v1/incidents/%d", "/api/v1/incident-reports", "/api/v1/incident-reports/%r"}},
		{analyst, true, []string{"/api/v1/incidents", "/api/v1/incidents/%d", "/api/v1/incident-reports", "/api/v1/incident-reports/%r"}},
		{auditor, false, []string{"/api/v1/incidents", "/api/v1/incidents/%d", "/api/v1/incident-reports", "/api/v1/incident-reports/%r", "/api/v1/indicators?kind=phone"}},
		{agency, false, []string{"/api/v1/incidents", "/api/v1/incidents/%d"}},
		{partner, false, []string{"/api/v1/incidents", "/api/v1/incidents/%d", "/api/v1/indicators?kind=phone"}},
	} {
		before := personalReads(t, f, c.as)
		for _, p := range c.paths {
			p = strings.ReplaceAll(strings.ReplaceAll(p, "%d", fmt.Sprint(leak.ID)), "%r", fmt.Sprint(rep.ID))
			resp := f.do(t, request{as: c.as, path: p})
			if resp.status != http.StatusOK {
				t.Fatalf("%s %s: got %d, want 200: %s", c.as, p, resp.status, resp.body)
			}
			shown := 0
			for _, s := range secrets {
				if strings.Contains(resp.body, s) {
					shown++
					if !c.sees {
						t.Errorf("%s %s: got %q in the answer, want it redacted: %s", c.as, p, s, resp.body)
					}
				}
			}
			if c.sees && shown == 0 {
				t.Errorf("%s %s: got no personal field, want them shown: %s", c.as, p, resp.body)
			}
			if !c.sees && !strings.Contains(resp.body, incident.Redacted) && !strings.Contains(p, "indicators") {
				t.Errorf("%s %s: got no %s marker, want one: %s", c.as, p, incident.Redacted, resp.body)
			}
		}
		after := personalReads(t, f, c.as)
		if c.sees && after-before != len(c.paths) {
			t.Errorf("%s: got %d incident.personal_read records for %d reads, want one each", c.as, after-before, len(c.paths))
		}
		if !c.sees && after != before {
			t.Errorf("%s: got %d incident.personal_read records, want none (nothing personal shown)", c.as, after-before)
		}
	}
	// Staff who may read it get the phone number in the partner list.
	if resp := f.do(t, request{as: analyst, path: "/api/v1/indicators?kind=phone"}); !strings.Contains(resp.body, "+994505550011") {
		t.Errorf("analyst's phone list: got %s, want the number", resp.body)
	}
}

// personalReads counts the incident.personal_read records of a caller.
func personalReads(t *testing.T, f *fixture, as string) int {
	t.Helper()
	es, err := f.store.ListAudit(ctx, storage.AuditFilter{Actor: f.users[as].Name, Action: "incident.personal_read", Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}
