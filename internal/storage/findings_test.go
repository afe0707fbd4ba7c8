package storage_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

var fday0 = time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)

func fday(n int) time.Time { return fday0.Add(time.Duration(n) * 24 * time.Hour) }

func rdp(orgID int64, ip string, seen time.Time, event int64) finding.Observation {
	return finding.Observation{OrgID: orgID, Resource: ip + ":3389", Identifier: "accessible-rdp", Taxonomy: "vulnerable",
		Type: "vulnerable-system", Source: "shadowserver", Seen: seen, EventID: event}
}

func TestInsertEventsSetsIDs(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		batch := []storage.StoredEvent{storedEvent("ids1", "192.0.2.1", 20), storedEvent("ids2", "192.0.2.2", 20), storedEvent("ids1", "192.0.2.1", 20)}
		if _, _, err := s.InsertEvents(ctx, batch); err != nil {
			t.Fatal(err)
		}
		if batch[0].ID == 0 || batch[1].ID == 0 || batch[2].ID != 0 || batch[0].ID == batch[1].ID {
			t.Fatalf("ids: got %d %d %d, want two new ids and 0 for the duplicate", batch[0].ID, batch[1].ID, batch[2].ID)
		}
		again := []storage.StoredEvent{storedEvent("ids2", "192.0.2.2", 20)}
		again[0].ID = 99
		if _, _, err := s.InsertEvents(ctx, again); err != nil || again[0].ID != 0 {
			t.Fatalf("duplicate: got id %d, %v; want 0", again[0].ID, err)
		}
	})
}

func TestObserveFindings(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		p := finding.DefaultPolicy()
		a, b := mustCreate(t, s, org("a", "192.0.2.0/24")), mustCreate(t, s, org("b", "198.51.100.0/24"))
		evs := []storage.StoredEvent{storedEvent("o1", "192.0.2.10", 1, a.ID), storedEvent("o2", "192.0.2.10", 2, a.ID)}
		if _, _, err := s.InsertEvents(ctx, evs); err != nil {
			t.Fatal(err)
		}
		// Two sightings of one key in a batch, and one of another
		// organisation's: two findings.
		obs := []finding.Observation{rdp(a.ID, "192.0.2.10", fday(1), evs[1].ID), rdp(a.ID, "192.0.2.10", fday(0), evs[0].ID), rdp(b.ID, "198.51.100.7", fday(0), 0)}
		opened, refreshed, reopened, err := s.ObserveFindings(ctx, p, obs)
		if err != nil || opened != 2 || refreshed != 0 || reopened != 0 {
			t.Fatalf("first: got %d %d %d, %v; want 2 opened", opened, refreshed, reopened, err)
		}
		fs, next, err := s.ListFindings(ctx, auth.Everything, storage.FindingFilter{OrgID: a.ID})
		if err != nil || len(fs) != 1 || next != 0 {
			t.Fatalf("list: got %+v, %d, %v", fs, next, err)
		}
		f := fs[0]
		if f.Count != 2 || !f.FirstSeen.Equal(fday(0)) || !f.LastSeen.Equal(fday(1)) || f.Status != finding.Open || f.Severity != finding.High ||
			f.Org != "a" || !f.DueAt.Equal(fday(7)) {
			t.Fatalf("finding: got %+v", f)
		}
		ids, err := s.FindingEventIDs(ctx, auth.Everything, f.ID)
		if err != nil || len(ids) != 2 {
			t.Fatalf("events: got %v, %v", ids, err)
		}
		var streamed int
		if err := s.EachFindingEvent(ctx, auth.Everything, f.ID, func(e storage.StoredEvent) error { streamed++; return nil }); err != nil || streamed != 2 {
			t.Fatalf("each event: got %d, %v", streamed, err)
		}
		h, err := s.FindingHistory(ctx, auth.Everything, f.ID)
		if err != nil || len(h) != 1 || h[0].From != "" || h[0].To != finding.Open || h[0].Actor != finding.SystemActor {
			t.Fatalf("history: got %+v, %v", h, err)
		}

		// Tenancy: b's agency sees nothing of a's finding.
		agencyB := auth.Actor{Name: "officer-b", Role: auth.Agency, Scope: auth.Scope{OrgIDs: []int64{b.ID}}}
		if _, err := s.GetFinding(ctx, agencyB.Scope, f.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("other agency get: got %v, want not found", err)
		}
		if _, err := s.MoveFinding(ctx, agencyB, f.ID, finding.Action{To: finding.Acknowledged}); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("other agency move: got %v, want not found", err)
		}
		if err := s.EachFindingEvent(ctx, agencyB.Scope, f.ID, func(storage.StoredEvent) error { return nil }); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("other agency events: got %v, want not found", err)
		}
		if n, err := s.CountFindings(ctx, agencyB.Scope, storage.FindingFilter{}); err != nil || n != 1 {
			t.Errorf("other agency count: got %d, %v; want its own 1", n, err)
		}

		// The owner resolves; may not accept the risk.
		agencyA := auth.Actor{Name: "officer-a", Role: auth.Agency, Scope: auth.Scope{OrgIDs: []int64{a.ID}}}
		if _, err := s.MoveFinding(ctx, agencyA, f.ID, finding.Action{To: finding.Accepted, Reason: "x", Until: fday(400)}); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("agency accepts: got %v, want forbidden", err)
		}
		s.Now = func() time.Time { return fday(2) }
		got, err := s.MoveFinding(ctx, agencyA, f.ID, finding.Action{To: finding.Resolved, Reason: "port closed"})
		if err != nil || got.Status != finding.Resolved || !got.ResolvedAt.Equal(fday(2)) {
			t.Fatalf("resolve: got %+v, %v", got, err)
		}
		if _, err := s.MoveFinding(ctx, agencyA, f.ID, finding.Action{To: finding.Acknowledged}); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("resolved → acknowledged: got %v, want conflict", err)
		}

		// Reported again after the fix: reopened, the rest refreshed.
		opened, refreshed, reopened, err = s.ObserveFindings(ctx, p, []finding.Observation{rdp(a.ID, "192.0.2.10", fday(3), 0), rdp(b.ID, "198.51.100.7", fday(3), 0)})
		if err != nil || opened != 0 || refreshed != 1 || reopened != 1 {
			t.Fatalf("again: got %d %d %d, %v; want 1 refreshed, 1 reopened", opened, refreshed, reopened, err)
		}
		got2, err := s.GetFinding(ctx, agencyA.Scope, f.ID)
		if err != nil || got2.Status != finding.Reopened || got2.Count != 3 {
			t.Fatalf("reopened: got %+v, %v", got2, err)
		}
		h, _ = s.FindingHistory(ctx, agencyA.Scope, f.ID)
		if len(h) != 3 || h[1].Actor != "officer-a" || h[2].To != finding.Reopened {
			t.Fatalf("history: got %+v", h)
		}
		// b's finding was only seen again: counted, dated, nothing else.
		bs, _, err := s.ListFindings(ctx, auth.Everything, storage.FindingFilter{OrgID: b.ID})
		if err != nil || len(bs) != 1 || bs[0].Count != 2 || !bs[0].LastSeen.Equal(fday(3)) || !bs[0].FirstSeen.Equal(fday(0)) ||
			bs[0].Status != finding.Open || bs[0].Source != "shadowserver" {
			t.Fatalf("refreshed: got %+v, %v", bs, err)
		}
		if bh, _ := s.FindingHistory(ctx, auth.Everything, bs[0].ID); len(bh) != 1 {
			t.Fatalf("refreshed history: got %+v, want only its opening", bh)
		}

		// Severity and assignment: staff only, reasoned, audited.
		if _, err := s.SetFindingSeverity(ctx, agencyA, f.ID, finding.Critical, "x"); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("agency severity: got %v, want forbidden", err)
		}
		if _, err := s.SetFindingSeverity(ctx, analyst, f.ID, finding.Critical, " "); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("severity without reason: got %v, want invalid", err)
		}
		got, err = s.SetFindingSeverity(ctx, analyst, f.ID, finding.Critical, "domain controller")
		if err != nil || got.Severity != finding.Critical || got.Reason != "severity high → critical: domain controller" {
			t.Fatalf("severity: got %+v, %v", got, err)
		}
		if _, err := s.AssignFinding(ctx, analyst, f.ID, "nobody"); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("assign to nobody: got %v, want invalid", err)
		}
		entries, err := s.ListAudit(ctx, storage.AuditFilter{Action: "finding."})
		if err != nil || len(entries) != 2 {
			t.Errorf("audit: got %d entries, %v; want 2 (transition, severity)", len(entries), err)
		}

		// Filters.
		for _, tc := range []struct {
			f    storage.FindingFilter
			want int
		}{
			{storage.FindingFilter{Resource: "192.0.2.10"}, 1},
			{storage.FindingFilter{Resource: "192.0.2.0/24"}, 1},
			{storage.FindingFilter{Resource: "198.51.100.7:3389"}, 1},
			{storage.FindingFilter{Statuses: []finding.Status{finding.Reopened}}, 1},
			{storage.FindingFilter{Active: true}, 2},
			{storage.FindingFilter{Severity: []finding.Severity{finding.Critical}}, 1},
			{storage.FindingFilter{Identifier: "accessible-rdp"}, 2},
			{storage.FindingFilter{Text: "RDP"}, 2},
			{storage.FindingFilter{Since: fday(1)}, 0},
		} {
			if n, err := s.CountFindings(ctx, auth.Everything, tc.f); err != nil || n != tc.want {
				t.Errorf("%+v: got %d, %v; want %d", tc.f, n, err, tc.want)
			}
		}
		s.Now = func() time.Time { return fday(30) }
		if n, err := s.CountFindings(ctx, auth.Everything, storage.FindingFilter{Overdue: true}); err != nil || n != 2 {
			t.Errorf("overdue: got %d, %v; want 2", n, err)
		}
	})
}

func TestVerifyAndExpireFindings(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		p := finding.DefaultPolicy()
		a := mustCreate(t, s, org("a", "192.0.2.0/24"))
		var obs []finding.Observation
		for i := range 600 { // more than a page of the sweep
			obs = append(obs, rdp(a.ID, fmt.Sprintf("192.0.2.%d", i%250), fday(0), 0))
			obs[i].Resource = fmt.Sprintf("%s-%d", obs[i].Resource, i)
		}
		if opened, _, _, err := s.ObserveFindings(ctx, p, obs); err != nil || opened != 600 {
			t.Fatalf("observe: got %d, %v", opened, err)
		}
		fs, _, err := s.ListFindings(ctx, auth.Everything, storage.FindingFilter{Limit: 1000})
		if err != nil || len(fs) != 600 {
			t.Fatalf("list: got %d, %v", len(fs), err)
		}
		s.Now = func() time.Time { return fday(1) }
		for i, f := range fs {
			to := finding.Resolved
			if i%2 == 1 {
				to = finding.Accepted
			}
			if _, err := s.MoveFinding(ctx, analyst, f.ID, finding.Action{To: to, Reason: "r", Until: fday(5)}); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := s.VerifyFindings(ctx, p, fday(4)); err != nil || n != 0 {
			t.Errorf("early verify: got %d, %v", n, err)
		}
		if n, err := s.VerifyFindings(ctx, p, fday(9)); err != nil || n != 300 {
			t.Errorf("verify: got %d, %v; want 300", n, err)
		}
		if n, err := s.ExpireAcceptedFindings(ctx, p, fday(5)); err != nil || n != 300 {
			t.Errorf("expire: got %d, %v; want 300", n, err)
		}
		for st, want := range map[finding.Status]int{finding.Closed: 300, finding.Reopened: 300} {
			if n, _ := s.CountFindings(ctx, auth.Everything, storage.FindingFilter{Statuses: []finding.Status{st}}); n != want {
				t.Errorf("%s: got %d, want %d", st, n, want)
			}
		}
	})
}
