package storage_test

import (
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/stats"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

// Migration 0022 keeps the distinct resources per month only: the
// quarters' and years' rows stored before it go, and the statistics of a
// quarter and a year still count each resource once, whichever months it
// had gaps in. The findings are stored before the migration runs again,
// so its triggers count what comes after.
func TestResourceMonthsMigration(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		a := mustCreate(t, s, org("alpha"))
		week := 7 * 24 * time.Hour
		if _, err := s.LoadFindingHistory(ctx, []storage.HistoricFinding{
			historic(a.ID, "192.0.2.1:3389", "accessible-rdp", at(2024, 1, 3), week, finding.Open, time.Time{}),
			historic(a.ID, "192.0.2.1:3389", "open-redis", at(2024, 2, 10), week, finding.Open, time.Time{}),
		}); err != nil {
			t.Fatal(err)
		}
		db := s.DB()
		// A quarter's and a year's rows, as the triggers before 0022 kept them.
		if _, err := db.ExecContext(ctx, `INSERT INTO stats_resources (kind, period, org_id, resource, n) VALUES (1, 8096, $1, '192.0.2.1:3389', 2), (2, 2024, $1, '192.0.2.1:3389', 2)`, a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, `DELETE FROM schema_migrations WHERE version = 22`); err != nil {
			t.Fatal(err)
		}
		if applied, err := s.Migrate(ctx); err != nil || len(applied) != 1 {
			t.Fatalf("migrate again: %v, %v; want 0022 applied", applied, err)
		}
		var left int
		if err := db.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM stats_resources WHERE kind <> 0) + (SELECT COUNT(*) FROM stats_taxonomy_resources WHERE kind <> 0)`).Scan(&left); err != nil || left != 0 {
			t.Fatalf("quarter and year rows left: %d, %v", left, err)
		}
		// A third finding after it, on another resource in March.
		if _, err := s.LoadFindingHistory(ctx, []storage.HistoricFinding{
			historic(a.ID, "mail.alpha.example", "vulnerable-exchange", at(2024, 3, 20), week, finding.Open, time.Time{}),
		}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			period    string
			resources int
		}{{"2024-01", 1}, {"2024-02", 1}, {"2024-03", 1}, {"2024-Q1", 2}, {"2024", 2}, {"2024-Q2", 0}} {
			p, err := stats.ParsePeriod(c.period)
			if err != nil {
				t.Fatal(err)
			}
			r, err := s.Stats(ctx, auth.Everything, storage.StatsQuery{Period: p})
			if err != nil {
				t.Fatal(err)
			}
			if r.ResourcesWithGaps != c.resources || len(r.ByTaxonomy) > 0 && r.ByTaxonomy[0].Resources != c.resources {
				t.Errorf("%s: %d resources with gaps (by taxonomy %+v), want %d", c.period, r.ResourcesWithGaps, r.ByTaxonomy, c.resources)
			}
		}
	})
}
