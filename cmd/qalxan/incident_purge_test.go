package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/storage"
)

func TestIncidentPurgePersonal(t *testing.T) {
	db := filepath.Join(t.TempDir(), "q.db")
	s := openTestStore(t, db)
	ctx := context.Background()
	at := time.Now().UTC().AddDate(-3, 0, 0)
	s.Now = func() time.Time { return at }
	rules := incident.DefaultRules()
	in, err := s.CreateIncident(ctx, auth.System, rules, storage.NewIncident{Incident: incident.Incident{Title: "Old leak",
		Description: "Leak details: 300 home addresses", Classification: incident.ClassOf(incident.CatDataLeak)}})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []incident.Status{incident.Triage, incident.Resolved, incident.Closed} {
		if _, err := s.MoveIncident(ctx, auth.System, rules, in.ID, incident.Action{To: st}); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()

	var res storage.PurgeResult
	code, out, errOut := cli(t, "", "incident", "purge-personal", "--db", db, "--dry-run", "--json")
	if err := json.Unmarshal([]byte(out), &res); code != 0 || err != nil || !res.DryRun || len(res.Incidents) != 1 || res.Descriptions != 1 {
		t.Fatalf("dry run: got %d %q %q", code, out, errOut)
	}
	code, out, _ = cli(t, "", "incident", "purge-personal", "--db", db)
	if code != 0 || !strings.HasPrefix(out, "purged the personal data of 1 incidents (1 descriptions") {
		t.Errorf("purge: got %d %q", code, out)
	}
	code, out, _ = cli(t, "", "incident", "show", "--db", db, "--personal", in.Ref)
	if code != 0 || strings.Contains(out, "home addresses") || !strings.Contains(out, "personal data purged after the retention period (730 days)") {
		t.Errorf("show after the purge: got %d %q", code, out)
	}
	if code, out, _ = cli(t, "", "incident", "purge-personal", "--db", db); code != 0 || !strings.HasPrefix(out, "purged the personal data of 0 incidents") {
		t.Errorf("again: got %d %q", code, out)
	}
}
