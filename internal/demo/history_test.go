package demo_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/demo"
	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/stats"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

func TestHistory(t *testing.T) {
	ctx := context.Background()
	s := storagetest.SQLite(t)
	if err := demo.Load(ctx, s); err != nil {
		t.Fatal(err)
	}
	orgs, err := s.MatcherOrgs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 21, 9, 30, 0, 0, time.UTC)
	h := demo.History(orgs, now)
	if again := demo.History(orgs, now); !reflect.DeepEqual(h, again) {
		t.Fatal("History is not deterministic: two runs with the same now differ")
	}
	if len(h) < 1000 {
		t.Fatalf("got %d findings, want a couple of years' worth (≥1000)", len(h))
	}
	known := map[int64]bool{}
	for _, o := range orgs {
		known[o.ID] = true
	}
	statuses := map[finding.Status]int{}
	late := 0
	for _, f := range h {
		statuses[f.Status]++
		if !known[f.OrgID] || f.Resource == "" || f.FirstSeen.After(now.AddDate(0, 0, -demo.Days)) || f.FirstSeen.Before(now.AddDate(0, -demo.HistoryMonths-1, 0)) {
			t.Fatalf("finding out of place: %+v", f.Finding)
		}
		// The history replays to the status, each step one the state
		// machine allows (or the system's reopening), in time order.
		st, prev := finding.Open, f.FirstSeen
		for _, c := range f.Changes {
			if c.From != st || (!finding.CanMove(c.From, c.To) && c.Actor != finding.SystemActor) || c.At.Before(prev) || c.At.After(now) {
				t.Fatalf("%s %s: change %+v does not follow %s at %v", f.Resource, f.Identifier, c, st, prev)
			}
			st, prev = c.To, c.At
		}
		if st != f.Status {
			t.Fatalf("%s %s: history ends at %s, status is %s", f.Resource, f.Identifier, st, f.Status)
		}
		switch f.Status {
		case finding.Closed:
			if f.ClosedAt.IsZero() || f.ResolvedAt.IsZero() || f.ClosedAt.Before(f.ResolvedAt) {
				t.Fatalf("closed without its dates: %+v", f.Finding)
			}
			if f.ResolvedAt.After(f.DueAt) {
				late++
			}
		case finding.Accepted:
			if f.AcceptedUntil.Before(now) {
				t.Fatalf("accepted until %v, before now: should have reopened", f.AcceptedUntil)
			}
		}
	}
	for _, st := range []finding.Status{finding.Closed, finding.Notified, finding.Acknowledged, finding.Accepted, finding.FalsePositive, finding.Reopened} {
		if statuses[st] == 0 {
			t.Errorf("no finding is %s; got %v", st, statuses)
		}
	}
	if closed := statuses[finding.Closed]; closed < len(h)/2 || late == 0 || late > closed/3 {
		t.Errorf("got %d closed of %d, %d of them late; want most closed, mostly within the SLA", closed, len(h), late)
	}

	n, loaded, err := demo.LoadHistory(ctx, s, now)
	if err != nil || !loaded || n != len(h) {
		t.Fatalf("load: got %d, %v, %v; want %d stored", n, loaded, err, len(h))
	}
	if _, loaded, err := demo.LoadHistory(ctx, s, now); loaded || err != nil {
		t.Errorf("second load: got %v, %v; want nothing done", loaded, err)
	}
	// The statistics page has a growing trend to show.
	p := stats.MonthOf(now, nil).Previous().Previous()
	r, err := s.Stats(ctx, auth.Everything, storage.StatsQuery{Period: p})
	if err != nil {
		t.Fatal(err)
	}
	if ch := r.VsYearEarlier.ResourcesWithGaps; r.ResourcesWithGaps < 30 || ch.Pct == nil || *ch.Pct < 20 {
		t.Errorf("%s: got %d resources with gaps, %s against a year earlier; want a clear rise", p, r.ResourcesWithGaps, ch)
	}
	if r.FindingsClosed == 0 || r.SLACompliance == nil || *r.SLACompliance < 50 || r.StillOpen == 0 {
		t.Errorf("%s: got %+v; want closed findings, SLA mostly met, some still open", p, r.Summary)
	}
	t.Logf("%s", stats.Headline(r, "en"))
}
