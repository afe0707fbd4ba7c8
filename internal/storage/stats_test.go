package storage_test

import (
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/stats"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
	"github.com/qalxan/qalxan/internal/tlp"
)

func at(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 0, 0, 0, time.UTC) }

// historic is a finding of org on res first seen at first, fixed
// (resolved, then closed a week later) at fixed unless that is zero, due
// after sla.
func historic(org int64, res, id string, first time.Time, sla time.Duration, status finding.Status, fixed time.Time) storage.HistoricFinding {
	f := finding.Finding{OrgID: org, Resource: res, Identifier: id, Taxonomy: "vulnerable", Type: "vulnerable-system",
		Source: "shadowserver", Severity: finding.High, Status: status, FirstSeen: first, LastSeen: first, Count: 1, DueAt: first.Add(sla)}
	h := storage.HistoricFinding{Finding: f}
	if !fixed.IsZero() {
		h.ResolvedAt = fixed
		h.Changes = append(h.Changes, finding.Change{At: fixed, Actor: "officer", From: finding.Open, To: finding.Resolved})
		if status == finding.Closed {
			h.ClosedAt = fixed.AddDate(0, 0, 7)
			h.Changes = append(h.Changes, finding.Change{At: h.ClosedAt, Actor: finding.SystemActor, From: finding.Resolved, To: finding.Closed})
		}
	}
	return h
}

func TestStats(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		a := mustCreate(t, s, org("alpha"))
		bo := org("beta")
		bo.TLP, bo.Sector = tlp.Green, "finance"
		b := mustCreate(t, s, bo)
		week := 7 * 24 * time.Hour
		fs := []storage.HistoricFinding{
			// January 2024: alpha has 3 findings on 2 resources, beta 1.
			historic(a.ID, "192.0.2.1:3389", "accessible-rdp", at(2024, 1, 3), week, finding.Closed, at(2024, 1, 5)), // fixed in 2 days, in SLA, closed Jan 12
			historic(a.ID, "192.0.2.1:3389", "open-redis", at(2024, 1, 10), week, finding.Open, time.Time{}),         // still open
			historic(a.ID, "mail.alpha.example", "vulnerable-exchange", at(2024, 1, 20), week, finding.Notified, time.Time{}),
			historic(b.ID, "198.51.100.7:445", "accessible-smb", at(2024, 1, 25), week, finding.Accepted, time.Time{}), // accepted: not "still open"
			// December 2023: one of alpha, fixed late (closed in January).
			historic(a.ID, "192.0.2.2:23", "accessible-telnet", at(2023, 12, 1), week, finding.Closed, at(2024, 1, 1)), // 31 days, past due
			// January 2023: one of beta.
			historic(b.ID, "198.51.100.8:3389", "accessible-rdp", at(2023, 1, 15), week, finding.Closed, at(2023, 1, 16)),
		}
		if n, err := s.LoadFindingHistory(ctx, fs); err != nil || n != len(fs) {
			t.Fatalf("load: got %d, %v; want %d", n, err, len(fs))
		}
		if fs[5].ID == 0 || fs[5].ID == fs[4].ID {
			t.Fatalf("ids not set: %d, %d", fs[4].ID, fs[5].ID)
		}
		jan, _ := stats.ParsePeriod("2024-01")
		r, err := s.Stats(ctx, auth.Everything, storage.StatsQuery{Period: jan})
		if err != nil {
			t.Fatal(err)
		}
		cur := r.Summary
		if cur.FindingsOpened != 4 || cur.ResourcesWithGaps != 3 || cur.OrganisationsWithGaps != 2 || cur.FindingsClosed != 2 || cur.StillOpen != 2 {
			t.Errorf("January: got opened %d, resources %d, orgs %d, closed %d, still open %d; want 4, 3, 2, 2, 2",
				cur.FindingsOpened, cur.ResourcesWithGaps, cur.OrganisationsWithGaps, cur.FindingsClosed, cur.StillOpen)
		}
		// Remediation of the two closed in January: 2 days and 31 days.
		if cur.MedianHoursToRemediate == nil || *cur.MedianHoursToRemediate != 396 || *cur.MeanHoursToRemediate != 396 {
			t.Errorf("time to remediate: got %v, %v; want 396 h", cur.MedianHoursToRemediate, cur.MeanHoursToRemediate)
		}
		if cur.SLADue != 2 || cur.SLAMet != 1 || cur.SLACompliance == nil || *cur.SLACompliance != 50 {
			t.Errorf("SLA: got %d of %d (%v), want 1 of 2", cur.SLAMet, cur.SLADue, cur.SLACompliance)
		}
		// December: the telnet finding was open at its end.
		if r.Previous.FindingsOpened != 1 || r.Previous.StillOpen != 1 || r.Previous.FindingsClosed != 0 {
			t.Errorf("December: got %+v", r.Previous)
		}
		if r.YearEarlier.ResourcesWithGaps != 1 || r.VsYearEarlier.ResourcesWithGaps.String() != "+200 %" || r.VsPrevious.FindingsOpened.Abs != 3 {
			t.Errorf("changes: got %+v against %+v", r.VsYearEarlier, r.VsPrevious)
		}
		if len(r.ByOrganisation) != 2 || r.ByOrganisation[0].Key != "alpha" || r.ByOrganisation[0].Opened != 3 || r.ByOrganisation[0].Resources != 2 ||
			r.ByOrganisation[0].Closed != 2 || r.ByOrganisation[0].StillOpen != 2 {
			t.Errorf("by organisation: got %+v", r.ByOrganisation)
		}
		if len(r.BySector) != 2 || r.BySector[0].Key != "government" || r.BySector[0].Orgs != 1 {
			t.Errorf("by sector: got %+v", r.BySector)
		}
		if len(r.ByIdentifier) != 5 || r.ByIdentifier[0].Opened != 1 {
			t.Errorf("by identifier: got %+v", r.ByIdentifier)
		}
		if len(r.ByTaxonomy) != 1 || r.ByTaxonomy[0].Key != "vulnerable" || r.ByTaxonomy[0].Opened != 4 || r.ByTaxonomy[0].Orgs != 2 || r.ByTaxonomy[0].Closed != 2 {
			t.Errorf("by taxonomy: got %+v", r.ByTaxonomy)
		}
		if len(r.Monthly) != 12 || r.Monthly[11].Month != jan || r.Monthly[11].Opened != 4 || r.Monthly[11].Closed != 2 || r.Monthly[10].Opened != 1 || r.Monthly[0].Opened != 0 {
			t.Errorf("monthly: got %+v", r.Monthly)
		}

		// Tenancy: an agency of alpha sees alpha alone; a partner
		// (TLP:GREEN) sees beta alone; one organisation narrows further.
		tests := []struct {
			name                     string
			sc                       auth.Scope
			org                      int64
			opened, orgs, open, rows int
		}{
			{"agency", auth.Scope{OrgIDs: []int64{a.ID}}, 0, 3, 1, 2, 1},
			{"partner", auth.Scope{AllOrgs: true, MaxTLP: tlp.Green}, 0, 1, 1, 0, 1},
			{"one org", auth.Everything, b.ID, 1, 1, 0, 1},
			{"agency asking for another", auth.Scope{OrgIDs: []int64{a.ID}}, b.ID, 0, 0, 0, 0},
		}
		for _, tc := range tests {
			r, err := s.Stats(ctx, tc.sc, storage.StatsQuery{Period: jan, OrgID: tc.org})
			if err != nil {
				t.Fatal(err)
			}
			if r.FindingsOpened != tc.opened || r.OrganisationsWithGaps != tc.orgs || r.StillOpen != tc.open || len(r.ByOrganisation) != tc.rows {
				t.Errorf("%s: got opened %d, orgs %d, still open %d, %d organisation rows; want %d, %d, %d, %d", tc.name,
					r.FindingsOpened, r.OrganisationsWithGaps, r.StillOpen, len(r.ByOrganisation), tc.opened, tc.orgs, tc.open, tc.rows)
			}
		}
		// A quarter and a year count the same findings.
		y, _ := stats.ParsePeriod("2024")
		if r, err := s.Stats(ctx, auth.Everything, storage.StatsQuery{Period: y}); err != nil || r.FindingsOpened != 4 || r.Previous.FindingsOpened != 2 {
			t.Errorf("2024: got %+v, %v", r, err)
		}
		if n, err := s.CountFindingsBefore(ctx, at(2024, 1, 1)); err != nil || n != 2 {
			t.Errorf("findings before 2024: got %d, %v; want 2", n, err)
		}
		// The same key again is skipped: the stored finding wins.
		again := []storage.HistoricFinding{fs[0], historic(b.ID, "203.0.113.1:23", "accessible-telnet", at(2024, 2, 1), week, finding.Open, time.Time{})}
		if n, err := s.LoadFindingHistory(ctx, again); err != nil || n != 1 || again[0].ID != 0 || again[1].ID == 0 {
			t.Errorf("loading a stored key again: got %d, %v, ids %d %d; want 1 stored, the first skipped", n, err, again[0].ID, again[1].ID)
		}
	})
}

// BenchmarkStats times a month's statistics over 1M findings of 1,000
// organisations spread over 25 months (QALXAN_BENCH_FINDINGS changes the
// count), for everything and for one agency's scope.
func BenchmarkStats(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("QALXAN_BENCH_FINDINGS")); err == nil && v > 0 {
		n = v
	}
	for _, db := range []struct {
		name string
		open func(testing.TB) *storage.Store
	}{{"sqlite", storagetest.SQLite}, {"postgres", storagetest.Postgres}} {
		b.Run(db.name, func(b *testing.B) {
			s := db.open(b)
			orgs := bigRegistry(1000)
			if _, err := s.ImportOrgs(ctx, analyst, orgs); err != nil {
				b.Fatal(err)
			}
			list, _, err := s.ListOrgs(ctx, auth.Everything, storage.OrgFilter{Limit: 1000})
			if err != nil || len(list) != 1000 {
				b.Fatalf("orgs: %d, %v", len(list), err)
			}
			start := time.Now()
			benchFindings(b, s, list, n)
			b.Logf("%s: loaded %d findings in %.1fs", db.name, n, time.Since(start).Seconds())
			p, _ := stats.ParsePeriod("2024-06")
			for _, sc := range []struct {
				name string
				sc   auth.Scope
			}{{"all", auth.Everything}, {"agency", auth.Scope{OrgIDs: []int64{list[7].ID}}}} {
				b.Run(sc.name+"/month", func(b *testing.B) {
					for b.Loop() {
						if _, err := s.Stats(ctx, sc.sc, storage.StatsQuery{Period: p}); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
			y, _ := stats.ParsePeriod("2024")
			b.Run("all/year", func(b *testing.B) {
				for b.Loop() {
					if _, err := s.Stats(ctx, auth.Everything, storage.StatsQuery{Period: y}); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// benchFindings loads n findings over the 25 months to January 2025, in
// batches of 50,000, with a history row for each fixed one.
func benchFindings(b *testing.B, s *storage.Store, orgs []storage.OrgSummary, n int) {
	b.Helper()
	base := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	span := 25 * 30 * 24 * time.Hour
	ids := []string{"accessible-rdp", "open-redis", "vulnerable-exchange", "accessible-smb", "infected-system/emotet", "ssl-freak", "open-elasticsearch"}
	taxes := []string{"vulnerable", "vulnerable", "vulnerable", "vulnerable", "malicious-code", "vulnerable", "vulnerable"}
	batch := make([]storage.HistoricFinding, 0, 50_000)
	for i := range n {
		first := base.Add(time.Duration(uint64(i)*2654435761%uint64(n)) * span / time.Duration(n))
		k := i % len(ids)
		status, fixed := finding.Open, time.Time{}
		switch i % 10 {
		case 0, 1, 2, 3, 4, 5:
			status, fixed = finding.Closed, first.Add(time.Duration(1+i%13)*24*time.Hour)
		case 6:
			status, fixed = finding.Resolved, first.Add(time.Duration(2+i%5)*24*time.Hour)
		case 7:
			status = finding.Accepted
		}
		h := historic(orgs[i%len(orgs)].ID, fmt.Sprintf("10.%d.%d.%d:%d", i%250, (i/250)%250, (i/62500)%250, 3389+i/15_625_000), ids[k], first, 7*24*time.Hour, status, fixed)
		h.Taxonomy = taxes[k]
		batch = append(batch, h)
		if len(batch) == cap(batch) || i == n-1 {
			if _, err := s.LoadFindingHistory(ctx, batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
}
