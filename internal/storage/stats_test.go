package storage_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
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
// count), for everything and for one agency's scope, and a year's for
// everything; it reports milliseconds per Stats call (ms/query). Run it
// once per query: go test ./internal/storage -run '^$' -bench
// BenchmarkStats -benchtime=1x (with QALXAN_TEST_POSTGRES for PostgreSQL).
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
				b.Run(sc.name+"/month", func(b *testing.B) { benchStats(b, s, sc.sc, p) })
			}
			y, _ := stats.ParsePeriod("2024")
			b.Run("all/year", func(b *testing.B) { benchStats(b, s, auth.Everything, y) })
		})
	}
}

// benchStats times Stats of a period in a scope, in ms per call.
func benchStats(b *testing.B, s *storage.Store, sc auth.Scope, p stats.Period) {
	n, start := 0, time.Now()
	for b.Loop() {
		if _, err := s.Stats(ctx, sc, storage.StatsQuery{Period: p}); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(time.Since(start).Microseconds())/1000/float64(n), "ms/query")
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

// TestStatsAggregates checks the pre-aggregated statistics against the
// same figures counted from the findings alone, on random findings with
// random times (to the nanosecond, some fixed before first seen, some
// without dates), after inserts, changes of every counted column,
// deletions and an organisation's deletion, for months, quarters and
// years and every kind of scope, and in a time zone whose months are not
// UTC's (which the findings answer).
func TestStatsAggregates(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		rng := rand.New(rand.NewPCG(1, 2))
		var orgs []*constituency.Org
		for i, lvl := range []tlp.Label{tlp.Amber, tlp.Green, tlp.Amber, tlp.Clear, tlp.Red} {
			o := org(fmt.Sprintf("org%d", i))
			o.TLP = lvl
			o.Sector = []constituency.Sector{"government", "finance", "energy"}[i%3]
			orgs = append(orgs, mustCreate(t, s, o))
		}
		base := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
		span := int64(2 * 366 * 24 * time.Hour)
		when := func() time.Time { return base.Add(time.Duration(rng.Int64N(span))) }
		statuses := []finding.Status{finding.Open, finding.Notified, finding.Acknowledged, finding.Reopened, finding.Resolved,
			finding.Closed, finding.Closed, finding.Accepted, finding.FalsePositive}
		var fs []storage.HistoricFinding
		for i := range 600 {
			o := orgs[rng.IntN(len(orgs))]
			first := when()
			f := finding.Finding{OrgID: o.ID, Resource: fmt.Sprintf("192.0.2.%d", rng.IntN(40)), Identifier: fmt.Sprintf("id-%d", rng.IntN(6)),
				Taxonomy: []string{"vulnerable", "malicious-code", ""}[rng.IntN(3)], Source: "test", Severity: finding.High,
				Status: statuses[rng.IntN(len(statuses))], FirstSeen: first, LastSeen: first, Count: 1}
			if rng.IntN(4) > 0 {
				f.DueAt = first.Add(time.Duration(rng.Int64N(int64(30 * 24 * time.Hour))))
			}
			if rng.IntN(3) > 0 {
				f.ResolvedAt = first.Add(time.Duration(rng.Int64N(int64(90*24*time.Hour))) - 5*24*time.Hour)
			}
			if f.Status == finding.Closed || rng.IntN(5) == 0 {
				f.ClosedAt = first.Add(time.Duration(rng.Int64N(int64(120 * 24 * time.Hour))))
			}
			if i%50 == 0 { // on a month's first instant
				f.FirstSeen = time.Date(2024, time.Month(1+i%12), 1, 0, 0, 0, 0, time.UTC)
			}
			fs = append(fs, storage.HistoricFinding{Finding: f})
		}
		if _, err := s.LoadFindingHistory(ctx, fs); err != nil {
			t.Fatal(err)
		}
		compare := func(stage string) {
			t.Helper()
			scopes := []struct {
				name string
				sc   auth.Scope
				org  int64
			}{
				{"all", auth.Everything, 0},
				{"one org", auth.Everything, orgs[2].ID},
				{"agency", auth.Scope{OrgIDs: []int64{orgs[0].ID}}, 0},
				{"agencies", auth.Scope{OrgIDs: []int64{orgs[1].ID, orgs[3].ID}}, 0},
				{"partner", auth.Scope{AllOrgs: true, MaxTLP: tlp.Green}, 0},
			}
			baku, err := time.LoadLocation("Asia/Baku")
			if err != nil {
				baku = time.FixedZone("+04", 4*3600)
			}
			for _, ps := range []string{"2023-01", "2023-07", "2024-01", "2024-02", "2024-12", "2025-01", "2023-Q1", "2024-Q2", "2024-Q4", "2023", "2024", "2025"} {
				p, _ := stats.ParsePeriod(ps)
				for _, loc := range []*time.Location{nil, baku} {
					for _, sc := range scopes {
						q := storage.StatsQuery{Period: p, OrgID: sc.org, Loc: loc}
						got, err := s.Stats(ctx, sc.sc, q)
						if err != nil {
							t.Fatal(err)
						}
						want, err := storage.StatsFromFindings(ctx, s, sc.sc, q)
						if err != nil {
							t.Fatal(err)
						}
						got.Generated, want.Generated = time.Time{}, time.Time{}
						gj, _ := json.Marshal(got)
						wj, _ := json.Marshal(want)
						if string(gj) != string(wj) {
							t.Fatalf("%s: %s in %v, %s: aggregated\n%s\nfrom the findings\n%s", stage, ps, loc, sc.name, gj, wj)
						}
					}
				}
			}
		}
		compare("loaded")
		// Change what is counted, with plain UPDATEs: status, dates, keys.
		db := s.DB()
		exec := func(q string, a ...any) {
			t.Helper()
			if _, err := db.ExecContext(ctx, q, a...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		for i := range 120 {
			id := fs[rng.IntN(len(fs))].ID
			if id == 0 {
				continue
			}
			switch i % 8 {
			case 0:
				exec(`UPDATE findings SET status = $1 WHERE id = $2`, string(statuses[rng.IntN(len(statuses))]), id)
			case 1:
				exec(`UPDATE findings SET resolved_at = $1 WHERE id = $2`, when(), id)
			case 2:
				exec(`UPDATE findings SET closed_at = $1, status = 'closed' WHERE id = $2`, when(), id)
			case 3:
				exec(`UPDATE findings SET first_seen = $1 WHERE id = $2`, when(), id)
			case 4:
				exec(`UPDATE findings SET taxonomy = $1, resolved_at = NULL WHERE id = $2`, "other", id)
			case 5:
				exec(`UPDATE findings SET resource = $1 WHERE id = $2`, fmt.Sprintf("moved-%d", i), id)
			case 6:
				exec(`UPDATE findings SET status = 'notified', last_seen = $1 WHERE id = $2`, when(), id)
			case 7:
				exec(`DELETE FROM findings WHERE id = $1`, id)
			}
		}
		compare("changed")
		exec(`DELETE FROM findings WHERE org_id = $1`, orgs[4].ID)
		exec(`DELETE FROM orgs WHERE id = $1`, orgs[4].ID)
		compare("an organisation deleted")
	})
}
