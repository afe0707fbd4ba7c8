package storage_test

import (
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

// BenchmarkCorrelateObservables measures the triage queue's "seen in N
// other incidents" for one report (a URL, its host and a phone number)
// against 100,000 incidents naming 500,000 observables, on SQLite, for
// staff (no scope) and for an agency (scoped to its organisation).
//
//	go test -run '^$' -bench CorrelateObservables -benchtime 2000x ./internal/storage/
func BenchmarkCorrelateObservables(b *testing.B) {
	s := storagetest.SQLite(b)
	org := storagetest.SeedOrg(b, s, "bank", "az", "green")
	first, err := s.CreateIncident(ctx, staff, rules, storage.NewIncident{Incident: vishing("Bank callers"), NoPlaybook: true})
	if err != nil {
		b.Fatal(err)
	}
	const incidents, perIncident = 100_000, 5
	db := s.DB()
	// Copies of the first incident, each naming five observables: a phone
	// number shared by every 50th incident, its own URL and domain, and two
	// more; every 10th affects the organisation.
	if _, err := db.ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i <= ?)
		INSERT INTO incidents (id, ref, title, description, taxonomy, type, identifier, category, severity, severity_rank, severity_reason,
			criteria, score, assessed_rank, status, tlp, tlp_rank, pap, tags, owner_team, assignee, due_at, created_at, created_by, updated_at)
		SELECT i, 'QLX-2025-' || printf('%06d', i), title, description, taxonomy, type, identifier, category, severity, severity_rank,
			severity_reason, criteria, score, assessed_rank, status, tlp, tlp_rank, pap, tags, owner_team, assignee, due_at, created_at,
			created_by, updated_at FROM incidents, n WHERE incidents.id = ?`, incidents, first.ID); err != nil {
		b.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO incident_orgs (incident_id, org_id) SELECT id, ? FROM incidents WHERE id % 10 = 0`, org.ID); err != nil {
		b.Fatal(err)
	}
	for k := range perIncident {
		if _, err := db.ExecContext(ctx, `INSERT INTO incident_observables (incident_id, kind, value, tlp, tlp_rank, note, created_at, created_by)
			SELECT id, ?, CASE ? WHEN 0 THEN '+99450' || printf('%07d', id / 50) WHEN 1 THEN 'https://fake' || id || '.example/login'
				WHEN 2 THEN 'fake' || id || '.example' ELSE 'x' || ? || '-' || id END, 'amber', 3, '', created_at, 'bench' FROM incidents`,
			[]string{"phone", "url", "domain", "email", "hash"}[k], k, k); err != nil {
			b.Fatal(err)
		}
	}
	r := incident.Report{Category: "vishing", Description: "x", URL: "https://fake500.example/login", Phone: "+994500000010"}
	obs := r.Observables()
	for _, tc := range []struct {
		name string
		sc   auth.Scope
	}{{"staff", auth.Everything}, {"agency", agencyActor(org.ID).Scope}} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				seen, err := s.CorrelateObservables(ctx, tc.sc, obs, 0)
				if err != nil || len(seen) != 3 {
					b.Fatal(seen, err)
				}
			}
		})
	}
	seen, _ := s.CorrelateObservables(ctx, auth.Everything, obs, 0)
	b.Logf("%d incidents, %d observables; seen: url %d, domain %d, phone %d", incidents+1, incidents*perIncident,
		seen[0].Incidents, seen[1].Incidents, seen[2].Incidents)
}
