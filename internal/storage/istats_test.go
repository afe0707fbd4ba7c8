package storage_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/stats"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
	"github.com/qalxan/qalxan/internal/tlp"
)

// clockAt sets the store's clock.
func clockAt(s *storage.Store, t time.Time) { s.Now = func() time.Time { return t } }

// openAt opens an incident at t (by an analyst: channel "analyst").
func openAt(t *testing.T, s *storage.Store, at time.Time, cat incident.Category, orgs ...int64) incident.Incident {
	t.Helper()
	clockAt(s, at)
	in, err := s.CreateIncident(ctx, analyst, incident.DefaultRules(), storage.NewIncident{NoPlaybook: true,
		Incident: incident.Incident{Title: string(cat) + " case", Classification: incident.ClassOf(cat), OrgIDs: orgs}})
	if err != nil {
		t.Fatalf("open incident: %v", err)
	}
	return in
}

// moveAt moves an incident at t.
func moveAt(t *testing.T, s *storage.Store, at time.Time, id int64, to incident.Status) {
	t.Helper()
	clockAt(s, at)
	if _, err := s.MoveIncident(ctx, analyst, incident.DefaultRules(), id, incident.Action{To: to, Reason: "test"}); err != nil {
		t.Fatalf("move incident %d to %s: %v", id, to, err)
	}
}

func TestIncidentStats(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		a := mustCreate(t, s, org("alpha"))
		bo := org("beta")
		bo.TLP = tlp.Green
		b := mustCreate(t, s, bo)
		rules := incident.DefaultRules()
		jan := func(d, h int) time.Time { return time.Date(2026, 1, d, h, 0, 0, 0, time.UTC) }

		// A citizen's vishing report from the web form at 08:00, opened
		// as an incident of alpha at 10:00, triaged at 12:00, contained
		// the next day at 10:00, resolved the day after.
		clockAt(s, jan(5, 8))
		rep := incident.Report{Category: incident.CatVishing, Description: "A call as my bank asked for the SMS code", Phone: "050 123 45 67"}
		if err := rep.Normalize("AZ"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SubmitIntake(ctx, auth.Actor{Name: "public"}, &rep); err != nil {
			t.Fatal(err)
		}
		clockAt(s, jan(5, 10))
		tr, err := s.TriageIntake(ctx, analyst, rules, rep.ID, storage.Triage{New: &incident.Incident{OrgIDs: []int64{a.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		moveAt(t, s, jan(5, 12), tr.IncidentID, incident.Triage)
		moveAt(t, s, jan(6, 10), tr.IncidentID, incident.Contained)
		moveAt(t, s, jan(7, 10), tr.IncidentID, incident.Resolved)
		// A phishing case of alpha and beta, with a take-down done in 4 h.
		ph := openAt(t, s, jan(10, 9), incident.CatPhishing, a.ID, b.ID)
		clockAt(s, jan(10, 11))
		td, err := s.CreateTakedown(ctx, analyst, rules, ph.ID, incident.Takedown{TargetKind: incident.TargetHosting, Provider: "Host", Subject: "https://x.example/"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.MoveTakedown(ctx, analyst, td.ID, incident.TakedownSent, ""); err != nil {
			t.Fatal(err)
		}
		clockAt(s, jan(10, 15))
		if _, err := s.MoveTakedown(ctx, analyst, td.ID, incident.TakedownDone, ""); err != nil {
			t.Fatal(err)
		}
		// Rejected: not an incident, counted nowhere.
		rj := openAt(t, s, jan(20, 9), incident.CatOther, a.ID)
		clockAt(s, jan(20, 10))
		if _, err := s.MoveIncident(ctx, analyst, rules, rj.ID, incident.Action{To: incident.Rejected, Reason: "spam"}); err != nil {
			t.Fatal(err)
		}
		// December 2025: one of beta; January 2025: one DDoS of beta.
		openAt(t, s, time.Date(2025, 12, 3, 9, 0, 0, 0, time.UTC), incident.CatPhishing, b.ID)
		openAt(t, s, time.Date(2025, 1, 15, 9, 0, 0, 0, time.UTC), incident.CatDDoS, b.ID)

		p, _ := stats.ParsePeriod("2026-01")
		r, err := s.IncidentStats(ctx, auth.Everything, storage.StatsQuery{Period: p})
		if err != nil {
			t.Fatal(err)
		}
		if r.Opened != 2 || r.Resolved != 1 || r.Previous.Opened != 1 || r.YearEarlier.Opened != 1 {
			t.Errorf("January: got opened %d, resolved %d, previous %d, a year earlier %d; want 2, 1, 1, 1", r.Opened, r.Resolved, r.Previous.Opened, r.YearEarlier.Opened)
		}
		if got := r.VsYearEarlier.Opened.String(); got != "+100 %" {
			t.Errorf("year on year: got %s, want +100 %%", got)
		}
		hours := func(v *float64) float64 {
			if v == nil {
				return -1
			}
			return *v
		}
		for _, c := range []struct {
			name string
			d    stats.Duration
			want float64
		}{{"triage", r.TimeToTriage, 4}, {"contain", r.TimeToContain, 26}, {"resolve", r.TimeToResolve, 50}, {"take-down", r.TimeToTakedown, 4}} {
			if c.d.Count != 1 || hours(c.d.MedianHours) != c.want || hours(c.d.P90Hours) != c.want || hours(c.d.MeanHours) != c.want {
				t.Errorf("time to %s: got %+v (median %v), want one of %v h", c.name, c.d, hours(c.d.MedianHours), c.want)
			}
		}
		rows := func(rs []stats.IncidentRow) string {
			out := ""
			for _, x := range rs {
				out += fmt.Sprintf("%s:%d/%d/%d ", x.Key, x.Opened, x.Previous, x.YearEarlier)
			}
			return out
		}
		for _, c := range []struct {
			name string
			got  []stats.IncidentRow
			want string
		}{
			{"channel", r.ByChannel, "analyst:1/1/1 web:1/0/0 "},
			{"identifier", r.ByIdentifier, "phishing:1/1/0 vishing:1/0/0 ddos:0/0/1 "},
			{"type", r.ByType, "fraud/phishing:1/1/0 fraud/masquerade:1/0/0 availability/ddos:0/0/1 "},
			{"organisation", r.ByOrganisation, "alpha:2/0/0 beta:1/1/1 "},
		} {
			if g := rows(c.got); g != c.want {
				t.Errorf("by %s: got %s, want %s", c.name, g, c.want)
			}
		}
		if len(r.Monthly) != 12 || r.Monthly[11].Opened != 2 || r.Monthly[11].Resolved != 1 || r.Monthly[10].Opened != 1 {
			t.Errorf("monthly: got %+v", r.Monthly)
		}
		// A plain count agrees: the incidents opened in January, less the
		// rejected one.
		n, err := s.CountIncidents(ctx, auth.Everything, rules, storage.IncidentFilter{Since: jan(1, 0), Until: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil || n-1 != r.Opened {
			t.Errorf("plain count: got %d (%v) less the rejected, want %d", n, err, r.Opened)
		}

		// Tenancy: an agency sees its own organisation's incidents only.
		for _, c := range []struct {
			name                  string
			sc                    auth.Scope
			org                   int64
			opened, prev, orgRows int
		}{
			{"agency of alpha", auth.Scope{OrgIDs: []int64{a.ID}}, 0, 2, 0, 1},
			{"agency of beta", auth.Scope{OrgIDs: []int64{b.ID}}, 0, 1, 1, 1},
			{"staff, beta", auth.Everything, b.ID, 1, 1, 1},
			{"agency of alpha asking for beta", auth.Scope{OrgIDs: []int64{a.ID}}, b.ID, 0, 0, 0},
			{"an agency of nothing", auth.Scope{}, 0, 0, 0, 0},
		} {
			r, err := s.IncidentStats(ctx, c.sc, storage.StatsQuery{Period: p, OrgID: c.org})
			if err != nil {
				t.Fatal(err)
			}
			if r.Opened != c.opened || r.Previous.Opened != c.prev || len(r.ByOrganisation) != c.orgRows {
				t.Errorf("%s: got opened %d, previous %d, %d organisation rows (%s); want %d, %d, %d", c.name, r.Opened, r.Previous.Opened,
					len(r.ByOrganisation), rows(r.ByOrganisation), c.opened, c.prev, c.orgRows)
			}
		}
		// A year counts the same incidents; its "previous" is the year earlier.
		y, _ := stats.ParsePeriod("2026")
		if r, err := s.IncidentStats(ctx, auth.Everything, storage.StatsQuery{Period: y}); err != nil || r.Opened != 2 || r.Previous.Opened != 2 || r.YearEarlier.Opened != 2 {
			t.Errorf("2026: got %d, previous %d, a year earlier %d (%v); want 2, 2, 2", r.Opened, r.Previous.Opened, r.YearEarlier.Opened, err)
		}
	})
}

// TestIncidentStatsAggregates checks the aggregated statistics against
// the same figures counted from the incidents alone, on random incidents
// opened, moved, reclassified, re-scored, given to other organisations,
// with take-downs, then changed with plain UPDATEs and DELETEs, and after
// an organisation's deletion, for months, quarters and years and every
// scope the aggregates answer.
func TestIncidentStatsAggregates(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		rng := rand.New(rand.NewPCG(3, 4))
		rules := incident.DefaultRules()
		var orgs []*constituency.Org
		for i := range 4 {
			orgs = append(orgs, mustCreate(t, s, org(fmt.Sprintf("org%d", i))))
		}
		base := time.Date(2024, 11, 1, 0, 0, 0, 0, time.UTC)
		when := func() time.Time {
			return base.Add(time.Duration(rng.Int64N(int64(15 * 30 * 24 * time.Hour))))
		}
		cats := incident.Categories
		var ids []int64
		for range 90 {
			var os []int64
			for _, o := range orgs {
				if rng.IntN(3) == 0 {
					os = append(os, o.ID)
				}
			}
			at := when()
			in := openAt(t, s, at, cats[rng.IntN(len(cats))], os...)
			ids = append(ids, in.ID)
			cur := in.Status
			for range rng.IntN(6) {
				next := cur.Next()
				to := next[rng.IntN(len(next))]
				if to == incident.Duplicate {
					continue
				}
				at = at.Add(time.Duration(rng.Int64N(int64(20 * 24 * time.Hour))))
				moveAt(t, s, at, in.ID, to)
				cur = to
			}
			if rng.IntN(3) == 0 {
				clockAt(s, at)
				td, err := s.CreateTakedown(ctx, analyst, rules, in.ID, incident.Takedown{TargetKind: incident.TargetHosting, Provider: "Host", Subject: "https://x.example/"})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := s.MoveTakedown(ctx, analyst, td.ID, incident.TakedownSent, ""); err != nil {
					t.Fatal(err)
				}
				clockAt(s, at.Add(time.Duration(rng.Int64N(int64(10*24*time.Hour)))))
				if _, err := s.MoveTakedown(ctx, analyst, td.ID, incident.TakedownDone, ""); err != nil {
					t.Fatal(err)
				}
			}
		}
		compare := func(stage string) {
			t.Helper()
			counted := 0
			defer func() {
				if counted == 0 {
					t.Errorf("%s: every period counted nothing, want the random incidents counted", stage)
				}
			}()
			for _, ps := range []string{"2024-12", "2025-01", "2025-06", "2025-12", "2026-01", "2025-Q1", "2025-Q4", "2025", "2026"} {
				p, _ := stats.ParsePeriod(ps)
				for _, sc := range []struct {
					name string
					sc   auth.Scope
					org  int64
				}{
					{"all", auth.Everything, 0},
					{"one org", auth.Everything, orgs[1].ID},
					{"agency", auth.Scope{OrgIDs: []int64{orgs[0].ID}}, 0},
				} {
					q := storage.StatsQuery{Period: p, OrgID: sc.org}
					got, err := s.IncidentStats(ctx, sc.sc, q)
					if err != nil {
						t.Fatal(err)
					}
					want, err := storage.IncidentStatsFromIncidents(ctx, s, sc.sc, q)
					if err != nil {
						t.Fatal(err)
					}
					counted += got.Opened + int(got.TimeToTriage.Count)
					got.Generated, want.Generated = time.Time{}, time.Time{}
					gj, _ := json.Marshal(got)
					wj, _ := json.Marshal(want)
					if string(gj) != string(wj) {
						t.Fatalf("%s: %s, %s: aggregated\n%s\nfrom the incidents\n%s", stage, ps, sc.name, gj, wj)
					}
				}
			}
		}
		compare("worked")
		// Reclassify, re-score and move organisations through the store.
		for i, id := range ids {
			clockAt(s, when())
			var err error
			switch i % 4 {
			case 0:
				typ := "ddos"
				_, err = s.UpdateIncident(ctx, analyst, rules, id, storage.IncidentPatch{Type: &typ})
			case 1:
				_, err = s.OverrideIncidentSeverity(ctx, analyst, rules, id, incident.Critical, "test")
			case 2:
				os := []int64{orgs[rng.IntN(len(orgs))].ID}
				_, err = s.UpdateIncident(ctx, analyst, rules, id, storage.IncidentPatch{OrgIDs: &os})
			}
			if err != nil && !isNothingToChange(err) {
				t.Fatalf("change incident %d: %v", id, err)
			}
		}
		compare("reclassified")
		exec := func(q string, a ...any) {
			t.Helper()
			if _, err := s.DB().ExecContext(ctx, q, a...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		for i := range 40 {
			id := ids[rng.IntN(len(ids))]
			switch i % 7 {
			case 0:
				exec(`UPDATE incidents SET status = 'duplicate' WHERE id = $1`, id)
			case 1:
				exec(`UPDATE incidents SET created_at = $1 WHERE id = $2`, when(), id)
			case 2:
				exec(`UPDATE incidents SET resolved_at = $1, triaged_at = NULL WHERE id = $2`, when(), id)
			case 3:
				exec(`UPDATE incidents SET channel = 'email', reported_at = $1 WHERE id = $2`, when(), id)
			case 4:
				exec(`UPDATE incident_takedowns SET done_at = $1 WHERE incident_id = $2`, when(), id)
			case 5:
				exec(`DELETE FROM incident_orgs WHERE incident_id = $1`, id)
			case 6:
				exec(`DELETE FROM incidents WHERE id = $1`, id)
			}
		}
		compare("changed")
		if err := s.DeleteOrg(ctx, analyst, orgs[2].ID); err != nil {
			t.Fatal(err)
		}
		compare("an organisation deleted")
		// Nothing left behind: with every incident gone, every count is 0.
		exec(`DELETE FROM incidents`)
		var n int
		if err := s.DB().QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM istats_month WHERE opened <> 0 OR resolved <> 0) +
			(SELECT COUNT(*) FROM istats_duration WHERE n <> 0 OR seconds <> 0)`).Scan(&n); err != nil || n != 0 {
			t.Errorf("after deleting every incident: got %d rows counting something (%v), want 0", n, err)
		}
	})
}

func isNothingToChange(err error) bool {
	return err != nil && (err.Error() == "nothing to change" || containsStr(err.Error(), "already"))
}

func containsStr(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// TestIncidentStatsBuckets holds the buckets the database counts in equal
// to the ones the estimates are made with.
func TestIncidentStatsBuckets(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		rows, err := s.DB().QueryContext(ctx, `SELECT bucket, lo, hi FROM istats_buckets ORDER BY bucket`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		i := 0
		for ; rows.Next(); i++ {
			var b int
			var lo, hi int64
			if err := rows.Scan(&b, &lo, &hi); err != nil {
				t.Fatal(err)
			}
			if b != i || stats.BucketOf(lo) != b || (i < len(stats.DurationBuckets) && (hi != stats.DurationBuckets[i] || stats.BucketOf(hi-1) != b)) {
				t.Errorf("bucket %d: got [%d, %d) as bucket %d, want it to match stats.DurationBuckets", i, lo, hi, b)
			}
		}
		if i != len(stats.DurationBuckets)+1 {
			t.Errorf("got %d buckets, want %d", i, len(stats.DurationBuckets)+1)
		}
	})
}

// TestIncidentStatsBackfill runs migration 0017's counting of what is
// already stored (its last part) over incidents stored before it, with
// the aggregates emptied: they must come out as the triggers keep them.
func TestIncidentStatsBackfill(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		a, b := mustCreate(t, s, org("alpha")), mustCreate(t, s, org("beta"))
		rules := incident.DefaultRules()
		for i := range 12 {
			at := time.Date(2025, time.Month(1+i), 3+i, 9, 0, 0, 0, time.UTC)
			in := openAt(t, s, at, incident.Categories[i%len(incident.Categories)], []int64{a.ID, b.ID}[:1+i%2]...)
			moveAt(t, s, at.Add(time.Duration(i+1)*time.Hour), in.ID, incident.Triage)
			if i%3 != 0 {
				moveAt(t, s, at.Add(time.Duration(i+5)*24*time.Hour), in.ID, incident.Resolved)
			}
			if i%4 == 1 {
				clockAt(s, at.Add(2*time.Hour))
				td, err := s.CreateTakedown(ctx, analyst, rules, in.ID, incident.Takedown{TargetKind: incident.TargetHosting, Provider: "Host", Subject: "https://x.example/"})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := s.MoveTakedown(ctx, analyst, td.ID, incident.TakedownSent, ""); err != nil {
					t.Fatal(err)
				}
				clockAt(s, at.Add(30*time.Hour))
				if _, err := s.MoveTakedown(ctx, analyst, td.ID, incident.TakedownDone, ""); err != nil {
					t.Fatal(err)
				}
			}
		}
		// One from a citizen's report: channel web, reported an hour earlier.
		clockAt(s, time.Date(2025, 6, 10, 8, 0, 0, 0, time.UTC))
		rep := incident.Report{Category: incident.CatVishing, Description: "A call asked for my SMS code"}
		if err := rep.Normalize("AZ"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SubmitIntake(ctx, auth.Actor{Name: "public"}, &rep); err != nil {
			t.Fatal(err)
		}
		clockAt(s, time.Date(2025, 6, 10, 9, 0, 0, 0, time.UTC))
		tr, err := s.TriageIntake(ctx, analyst, rules, rep.ID, storage.Triage{New: &incident.Incident{OrgIDs: []int64{b.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		moveAt(t, s, time.Date(2025, 6, 10, 12, 0, 0, 0, time.UTC), tr.IncidentID, incident.Triage)
		y, _ := stats.ParsePeriod("2025")
		scopes := []auth.Scope{auth.Everything, {OrgIDs: []int64{b.ID}}}
		var before []string
		for _, sc := range scopes {
			r, err := s.IncidentStats(ctx, sc, storage.StatsQuery{Period: y})
			if err != nil || r.Opened == 0 || r.TimeToTakedown.Count == 0 || len(r.ByChannel) != 2 {
				t.Fatalf("before: got %+v, %v", r, err)
			}
			r.Generated = time.Time{}
			before = append(before, mustJSON(r))
		}
		mig, err := os.ReadFile("migrations/" + s.Dialect() + "/0017_incident_stats.sql")
		if err != nil {
			t.Fatal(err)
		}
		_, backfill, ok := strings.Cut(string(mig), "-- What is already stored")
		if !ok {
			t.Fatal("0017 has no part counting what is already stored")
		}
		_, backfill, _ = strings.Cut(backfill, "\n") // the rest of the comment's line
		// The channels and first reports, as incidents stored before 0017
		// had them (the triggers follow), then filled in again.
		if _, err := s.DB().ExecContext(ctx, `UPDATE incidents SET channel = 'analyst', reported_at = NULL`); err != nil {
			t.Fatal(err)
		}
		i := strings.Index(string(mig), "UPDATE incidents SET")
		fill := string(mig)[i : i+strings.Index(string(mig)[i:], ";")]
		if _, err := s.DB().ExecContext(ctx, fill); err != nil {
			t.Fatalf("channels: %v", err)
		}
		if _, err := s.DB().ExecContext(ctx, `DELETE FROM istats_month`); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB().ExecContext(ctx, `DELETE FROM istats_duration`); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB().ExecContext(ctx, backfill); err != nil {
			t.Fatalf("backfill: %v", err)
		}
		for i, sc := range scopes {
			r, err := s.IncidentStats(ctx, sc, storage.StatsQuery{Period: y})
			if err != nil {
				t.Fatal(err)
			}
			r.Generated = time.Time{}
			if got := mustJSON(r); got != before[i] {
				t.Errorf("scope %d: after the backfill\n%s\nwant, as the triggers kept it,\n%s", i, got, before[i])
			}
		}
	})
}
