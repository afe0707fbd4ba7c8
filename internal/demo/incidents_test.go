package demo

import (
	"context"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

func TestLoadIncidents(t *testing.T) {
	ctx := context.Background()
	s := storagetest.SQLite(t)
	if err := Load(ctx, s); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	n, err := LoadIncidents(ctx, s, now)
	if err != nil || n != IncidentCount {
		t.Fatalf("got %d, %v", n, err)
	}
	rules := incident.DefaultRules()
	closed, _ := s.CountIncidents(ctx, auth.Everything, rules, storage.IncidentFilter{Statuses: []incident.Status{incident.Closed}})
	open, _ := s.CountIncidents(ctx, auth.Everything, rules, storage.IncidentFilter{Open: true})
	if closed < IncidentCount/2 || open == 0 {
		t.Errorf("got %d closed and %d open, want most closed and some open", closed, open)
	}
	vishing, _ := s.ExportIndicators(ctx, auth.Everything, storage.IndicatorFilter{Kind: incident.KindPhone, Identifier: "vishing"})
	if len(vishing) == 0 || len(vishing) > 25 {
		t.Errorf("got %d vishing numbers, want a recurring few", len(vishing))
	}
	if again, err := LoadIncidents(ctx, s, now); err != nil || again != 0 {
		t.Errorf("second load: got %d, %v; want none", again, err)
	}
}
