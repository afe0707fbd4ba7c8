package main

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/storage"
)

// TestTakedownReminderPass: a pass of serve's loop writes one reminder per
// overdue request and logs it; the next pass within the interval writes
// none.
func TestTakedownReminderPass(t *testing.T) {
	s := openTestStore(t, filepath.Join(t.TempDir(), "q.db"))
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	rules := incident.DefaultRules()
	in, err := s.CreateIncident(ctx, auth.System, rules, storage.NewIncident{Incident: incident.Incident{Title: "Fake bank page",
		Classification: incident.ClassOf(incident.CatPhishing)}})
	if err != nil {
		t.Fatal(err)
	}
	td, err := s.CreateTakedown(ctx, auth.System, rules, in.ID, incident.Takedown{TargetKind: incident.TargetHosting, Provider: "Example Hosting",
		Subject: "https://fake-bank.example/"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.MoveTakedown(ctx, auth.System, td.ID, incident.TakedownSent, ""); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	now = now.Add(25 * time.Hour)
	if n := remindTakedowns(ctx, s, 24*time.Hour, log); n != 1 {
		t.Fatalf("first pass: %d reminders, want 1", n)
	}
	if !strings.Contains(logs.String(), "take-down overdue") || !strings.Contains(logs.String(), in.Ref) {
		t.Errorf("log: %s", logs.String())
	}
	now = now.Add(time.Hour)
	if n := remindTakedowns(ctx, s, 24*time.Hour, log); n != 0 {
		t.Errorf("second pass within the interval: %d reminders, want 0", n)
	}
}
