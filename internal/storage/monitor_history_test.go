package storage_test

import (
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

func TestMonitorContentBaseline(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		a := mustCreate(t, s, org("cont-a", "portal.gov.az"))
		b := mustCreate(t, s, org("cont-b", "other.gov.az"))
		ra, rb := a.Resources[0].ID, b.Resources[0].ID
		save := func(res, orgID int64, day int, content string) {
			t.Helper()
			r := storage.MonitorRun{OrgID: orgID, ResourceID: res, Target: "x", StartedAt: fday(day), Score: 90, Grade: "A", Up: true, TTFBMS: 12, Content: content}
			if err := s.SaveMonitorRun(ctx, &r); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.GetMonitorContent(ctx, auth.Everything, ra); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("before any run: got %v, want not found", err)
		}
		save(ra, a.ID, 0, "first")
		save(ra, a.ID, 1, "second")
		save(ra, a.ID, 2, "") // the site did not answer: nothing seen, nothing changes
		save(rb, b.ID, 0, "theirs")
		c, err := s.GetMonitorContent(ctx, auth.Everything, ra)
		if err != nil || c.Baseline != "first" || !c.BaselineAt.Equal(fday(0)) || c.Latest != "second" || !c.LatestAt.Equal(fday(1)) || c.AcceptedBy != "" {
			t.Fatalf("after three runs: got %+v, %v; want the first as baseline, the second as latest", c, err)
		}
		base, err := s.MonitorBaselines(ctx, b.ID)
		if err != nil || len(base) != 1 || base[rb].Baseline != "theirs" {
			t.Fatalf("baselines of b: got %+v, %v", base, err)
		}
		if all, err := s.MonitorBaselines(ctx, 0); err != nil || len(all) != 2 {
			t.Fatalf("all baselines: got %d, %v; want 2", len(all), err)
		}
		// Tenancy: b's officer does not see a's content, and no agency
		// accepts a baseline, not even its own.
		officerB := auth.Actor{Name: "officer", Role: auth.Agency, Scope: auth.Scope{OrgIDs: []int64{b.ID}}}
		if _, err := s.GetMonitorContent(ctx, officerB.Scope, ra); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("b reads a's content: got %v, want not found", err)
		}
		if _, err := s.AcceptMonitorContent(ctx, officerB, rb); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("an agency accepts: got %v, want forbidden", err)
		}
		if _, err := s.AcceptMonitorContent(ctx, auth.System, 999999); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("unknown resource: got %v, want not found", err)
		}
		analyst := auth.Actor{Name: "ana", Role: auth.Analyst, Scope: auth.Everything}
		c, err = s.AcceptMonitorContent(ctx, analyst, ra)
		if err != nil || c.Baseline != "second" || !c.BaselineAt.Equal(fday(1)) || c.AcceptedBy != "ana" {
			t.Fatalf("accept: got %+v, %v; want the latest as baseline, accepted by ana", c, err)
		}
		if base, _ := s.MonitorBaselines(ctx, a.ID); base[ra].Baseline != "second" {
			t.Errorf("baseline after accepting: got %q, want second", base[ra].Baseline)
		}
		if got, _ := s.GetMonitorContent(ctx, auth.Everything, rb); got.Baseline != "theirs" {
			t.Errorf("b's baseline changed to %q", got.Baseline)
		}
	})
}

func TestMonitorAvailability(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		a := mustCreate(t, s, org("avail-a", "portal.gov.az"))
		b := mustCreate(t, s, org("avail-b", "other.gov.az"))
		ra := a.Resources[0].ID
		now := fday(40)
		// 40 days of daily runs: the last 30 (days 10..39) are counted; of
		// those, days 11, 20 and 35 were down, and day 35 is inside the
		// last week (days 33..39).
		for d := range 40 {
			up := d != 11 && d != 20 && d != 35
			r := storage.MonitorRun{OrgID: a.ID, ResourceID: ra, Target: "portal.gov.az", StartedAt: fday(d), Score: 90, Up: up, TTFBMS: int64(10 * (d + 1))}
			if err := s.SaveMonitorRun(ctx, &r); err != nil {
				t.Fatal(err)
			}
		}
		av, err := s.GetMonitorAvailability(ctx, auth.Everything, ra, now)
		if err != nil {
			t.Fatal(err)
		}
		if av.Uptime30.Runs != 30 || av.Uptime30.Up != 27 || av.Uptime7.Runs != 7 || av.Uptime7.Up != 6 {
			t.Errorf("uptime: got 7d %+v, 30d %+v; want 6/7 and 27/30", av.Uptime7, av.Uptime30)
		}
		// Up days 10..39 but 11, 20 and 35: 27 TTFBs, 110..400 ms without
		// 120, 210 and 360; nearest ranks 14, 25 and 27.
		if av.TTFBP50 != 260 || av.TTFBP90 != 380 || av.TTFBP99 != 400 {
			t.Errorf("ttfb percentiles: got %d/%d/%d, want 260/380/400", av.TTFBP50, av.TTFBP90, av.TTFBP99)
		}
		if len(av.Samples) != 30 || !av.Samples[0].At.Equal(fday(10)) || av.Samples[25].Up || av.Samples[25].TTFBMS != -1 {
			t.Errorf("samples: got %d, first %+v, day 35 %+v; want 30 oldest first, day 35 down without a TTFB", len(av.Samples), av.Samples[0], av.Samples[25])
		}
		up, err := s.MonitorUptimes(ctx, auth.Everything, a.ID, now)
		if err != nil || up[ra].Runs != 30 || up[ra].Up != 27 {
			t.Errorf("org uptimes: got %+v, %v", up, err)
		}
		// Another agency sees nothing of it.
		other := auth.Scope{OrgIDs: []int64{b.ID}}
		if av, err := s.GetMonitorAvailability(ctx, other, ra, now); err != nil || len(av.Samples) != 0 || av.Uptime30.Percent != -1 || av.TTFBP50 != -1 {
			t.Errorf("out of scope: got %+v, %v; want nothing", av, err)
		}
		if up, err := s.MonitorUptimes(ctx, other, a.ID, now); err != nil || len(up) != 0 {
			t.Errorf("org uptimes out of scope: got %+v, %v", up, err)
		}
	})
}

func TestOrgMonitor(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		a := mustCreate(t, s, org("score-a", "portal.gov.az", "https://app.gov.az/", "192.0.2.10"))
		b := mustCreate(t, s, org("score-b", "other.gov.az"))
		save := func(orgID, res int64, day, score int, grade string, up bool, results string) {
			t.Helper()
			r := storage.MonitorRun{OrgID: orgID, ResourceID: res, Target: "x", StartedAt: fday(day), Score: score, Grade: grade, Up: up,
				TTFBMS: 50, Results: []byte(results)}
			if err := s.SaveMonitorRun(ctx, &r); err != nil {
				t.Fatal(err)
			}
		}
		portal, app, host := a.Resources[0].ID, a.Resources[1].ID, a.Resources[2].ID
		save(a.ID, portal, 0, 40, "D+", true, `[{"check":"hsts","status":"fail"}]`)
		save(a.ID, portal, 1, 95, "A", true, `[{"check":"hsts","status":"pass"},{"check":"caa","status":"fail"}]`)
		save(a.ID, app, 1, 65, "B-", true, `[{"check":"header-csp","status":"fail"},{"check":"open-port","instance":"rdp","status":"fail"},{"check":"hsts","status":"pass"}]`)
		save(a.ID, host, 0, 80, "B+", true, `[]`)
		save(a.ID, host, 1, -1, "", false, `[]`)
		save(b.ID, b.Resources[0].ID, 1, 10, "F", true, `[]`)

		m, err := s.GetOrgMonitor(ctx, auth.Everything, a.ID, fday(2))
		if err != nil {
			t.Fatal(err)
		}
		if m.Score != 65 || m.Grade != "B-" || m.Weakest != app || len(m.Resources) != 3 || m.Org != "score-a" {
			t.Fatalf("scorecard: got score %d grade %s weakest %d, %d resources; want B- from the app (the down host does not grade)", m.Score, m.Grade, m.Weakest, len(m.Resources))
		}
		byID := map[int64]storage.OrgMonitorResource{}
		for _, r := range m.Resources {
			byID[r.ResourceID] = r
		}
		if got := byID[app].Failing; len(got) != 2 || got[0] != "header-csp" || got[1] != "open-port/rdp" {
			t.Errorf("app failing: got %v", got)
		}
		if got := byID[portal].Failing; len(got) != 1 || got[0] != "caa" {
			t.Errorf("portal failing: got %v, want the latest run's only", got)
		}
		if u := byID[host].Uptime; u.Runs != 2 || u.Up != 1 || u.Percent != 50 {
			t.Errorf("host uptime: got %+v, want 1 of 2", u)
		}
		if all, err := s.MonitorUptimes(ctx, auth.Everything, 0, fday(2)); err != nil || len(all) != 4 {
			t.Errorf("uptimes of every org: got %v, %v; want 4 resources", all, err)
		}
		if mine, err := s.MonitorUptimes(ctx, auth.Scope{OrgIDs: []int64{b.ID}}, 0, fday(2)); err != nil || len(mine) != 1 {
			t.Errorf("uptimes as b: got %v, %v; want b's one resource", mine, err)
		}
		// Another agency's scope sees nothing of a's scorecard.
		m, err = s.GetOrgMonitor(ctx, auth.Scope{OrgIDs: []int64{b.ID}}, a.ID, fday(2))
		if err != nil || len(m.Resources) != 0 || m.Score != -1 {
			t.Errorf("out of scope: got %+v, %v; want nothing", m, err)
		}
	})
}
