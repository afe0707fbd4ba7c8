package demo

import (
	"context"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/lookalike"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

// TestLoadBrands: the demo's brands find their look-alikes (and not the
// innocent names), two of them with incidents, one with check results;
// loading again changes nothing.
func TestLoadBrands(t *testing.T) {
	ctx := context.Background()
	s := storagetest.SQLite(t)
	if err := Load(ctx, s); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC)
	n, err := LoadBrands(ctx, s, now)
	if err != nil {
		t.Fatal(err)
	}
	if n < 10 {
		t.Fatalf("got %d candidates, want most of the %d demo look-alikes", n, len(demoLookalikes))
	}
	cs, _, _ := s.ListCandidates(ctx, auth.Everything, storage.CandidateFilter{Limit: 1000})
	incidents, checked, dismissed := 0, 0, 0
	for _, c := range cs {
		if c.IncidentID != 0 {
			incidents++
		}
		if c.Confirmation != nil && c.Confirmation.Verdict == lookalike.Imitation {
			checked++
		}
		if c.Status == lookalike.Dismissed {
			dismissed++
		}
		if c.LastSeen.After(now) || c.FirstSeen.Before(now.Add(-30*24*time.Hour)) {
			t.Errorf("%s: seen %s to %s, want within the demo's month", c.Registered, c.FirstSeen, c.LastSeen)
		}
	}
	if incidents != 2 || checked != 1 || dismissed != 1 {
		t.Errorf("got %d incidents, %d checked, %d dismissed; want 2, 1, 1", incidents, checked, dismissed)
	}
	// The agency officer of mdt sees its own look-alikes.
	o, _ := s.GetOrgByShortName(ctx, auth.Everything, "mdt")
	mine, _, _ := s.ListCandidates(ctx, auth.Scope{OrgIDs: []int64{o.ID}}, storage.CandidateFilter{})
	if len(mine) == 0 {
		t.Error("mdt has no look-alikes to show its officer")
	}
	if n, err := LoadBrands(ctx, s, now); err != nil || n != 0 {
		t.Errorf("loading again: got %d, %v; want nothing", n, err)
	}
}
