package storage_test

import (
	"encoding/json"
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

func TestMonitorRuns(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		a := mustCreate(t, s, org("mon-a", "portal.gov.az", "https://app.gov.az/login", "192.0.2.10", "192.0.2.0/24", "AS64500"))
		b := mustCreate(t, s, org("mon-b", "other.gov.az"))
		all, err := s.MonitorTargets(ctx, 0)
		if err != nil || len(all) != 4 {
			t.Fatalf("targets: got %d, %v; want the domains, URL and host of both, no network or AS", len(all), err)
		}
		mine, err := s.MonitorTargets(ctx, a.ID)
		if err != nil || len(mine) != 3 || mine[0].Org != "mon-a" {
			t.Fatalf("targets of a: got %+v, %v", mine, err)
		}
		byValue := map[string]int64{}
		for _, tg := range all {
			byValue[tg.Resource.Value] = tg.Resource.ID
		}
		runs := []storage.MonitorRun{
			{OrgID: a.ID, ResourceID: byValue["portal.gov.az"], Target: "portal.gov.az", StartedAt: fday(0), Score: 55, Grade: "C", Passed: 20, Failed: 5},
			{OrgID: a.ID, ResourceID: byValue["portal.gov.az"], Target: "portal.gov.az", StartedAt: fday(1), Score: 90, Grade: "A", Passed: 24, Failed: 1,
				Results: json.RawMessage(`[{"check":"hsts","status":"fail"}]`)},
			{OrgID: b.ID, ResourceID: byValue["other.gov.az"], Target: "other.gov.az", StartedAt: fday(1), Score: -1, Errors: 3},
		}
		for i := range runs {
			if err := s.SaveMonitorRun(ctx, &runs[i]); err != nil || runs[i].ID == 0 {
				t.Fatalf("save: %v", err)
			}
		}
		latest, err := s.LatestMonitorRuns(ctx, auth.Everything, 0)
		if err != nil || len(latest) != 2 || latest[0].Target != "portal.gov.az" || latest[0].Grade != "A" || !latest[0].StartedAt.Equal(fday(1)) {
			t.Fatalf("latest: got %+v, %v", latest, err)
		}
		// An agency sees its own organisation's only.
		own, err := s.LatestMonitorRuns(ctx, auth.Scope{OrgIDs: []int64{b.ID}}, 0)
		if err != nil || len(own) != 1 || own[0].Org != "mon-b" {
			t.Fatalf("agency b: got %+v, %v", own, err)
		}
		hist, err := s.MonitorHistory(ctx, auth.Everything, byValue["portal.gov.az"], 10)
		if err != nil || len(hist) != 2 || hist[0].Score != 90 || string(hist[0].Results) != `[{"check":"hsts","status":"fail"}]` || string(hist[1].Results) != "[]" {
			t.Fatalf("history: got %+v, %v", hist, err)
		}
		if hist, err := s.MonitorHistory(ctx, auth.Scope{OrgIDs: []int64{b.ID}}, byValue["portal.gov.az"], 10); err != nil || len(hist) != 0 {
			t.Fatalf("history out of scope: got %+v, %v", hist, err)
		}
	})
}

func TestPassingRecheckClosesResolvedFinding(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		a := mustCreate(t, s, org("mon-c", "portal.gov.az"))
		obs := func(id string) finding.Observation {
			return finding.Observation{OrgID: a.ID, Resource: "portal.gov.az", Identifier: id, Type: "vulnerable-system", Source: "monitor", Seen: fday(0)}
		}
		if _, _, _, err := s.ObserveFindings(ctx, finding.DefaultPolicy(), []finding.Observation{obs("monitor/hsts"), obs("monitor/caa")}); err != nil {
			t.Fatal(err)
		}
		fs, _, err := s.ListFindings(ctx, auth.Everything, storage.FindingFilter{OrgID: a.ID})
		if err != nil || len(fs) != 2 {
			t.Fatalf("list: %+v, %v", fs, err)
		}
		officer := auth.Actor{Name: "officer", Role: auth.Agency, Scope: auth.Scope{OrgIDs: []int64{a.ID}}}
		var hsts int64
		for _, f := range fs {
			if f.Identifier == "monitor/hsts" {
				hsts = f.ID
				if _, err := s.MoveFinding(ctx, officer, f.ID, finding.Action{To: finding.Resolved, Reason: "HSTS added"}); err != nil {
					t.Fatal(err)
				}
			}
		}
		keys := []finding.Key{{OrgID: a.ID, Resource: "portal.gov.az", Identifier: "monitor/hsts"}, {OrgID: a.ID, Resource: "portal.gov.az", Identifier: "monitor/caa"},
			{OrgID: a.ID, Resource: "portal.gov.az", Identifier: "monitor/tls13"}}
		n, err := s.CloseVerifiedFindings(ctx, keys, "verified by a passing monitoring re-check")
		if err != nil || n != 1 {
			t.Fatalf("close: got %d, %v; want the resolved one only", n, err)
		}
		f, err := s.GetFinding(ctx, auth.Everything, hsts)
		if err != nil {
			t.Fatal(err)
		}
		hist, err := s.FindingHistory(ctx, auth.Everything, hsts)
		if err != nil || f.Status != finding.Closed || hist[len(hist)-1].Actor != finding.SystemActor || hist[len(hist)-1].To != finding.Closed {
			t.Fatalf("hsts: got %+v %+v, %v; want closed by the system", f, hist, err)
		}
	})
}
