package storage_test

import (
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

// The SQLite event writer runs without foreign keys and checks instead
// what they guarded: a batch that refers to an organisation, a report or
// an event that is gone fails whole on both databases, and stores
// nothing that points nowhere.
func TestEventWriterRefusesMissingReferences(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		a := mustCreate(t, s, org("a"))
		gone := mustCreate(t, s, org("gone"))
		if err := s.DeleteOrg(ctx, analyst, gone.ID); err != nil {
			t.Fatal(err)
		}
		batch := []storage.StoredEvent{storedEvent("ref1", "192.0.2.1", 20, a.ID), storedEvent("ref2", "192.0.2.2", 20, a.ID, gone.ID)}
		if _, _, err := s.InsertEvents(ctx, batch); !refused(err, "organisation") {
			t.Fatalf("owner deleted: got %v, want an error naming the organisation", err)
		}
		if n, err := s.CountEvents(ctx, auth.Everything, storage.EventFilter{}); err != nil || n != 0 {
			t.Fatalf("after the refused batch: %d events, %v; want none", n, err)
		}

		report := storedEvent("ref3", "192.0.2.3", 20, a.ID)
		report.ReportID = 987654
		if _, _, err := s.InsertEvents(ctx, []storage.StoredEvent{report}); !refused(err, "report") {
			t.Fatalf("report missing: got %v, want an error naming the report", err)
		}

		ok := []storage.StoredEvent{storedEvent("ref4", "192.0.2.4", 20, a.ID)}
		if ins, _, err := s.InsertEvents(ctx, ok); err != nil || ins != 1 {
			t.Fatalf("valid batch: %d inserted, %v", ins, err)
		}
		p := finding.DefaultPolicy()
		for name, o := range map[string]finding.Observation{
			"organisation": rdp(gone.ID, "192.0.2.4", fday(0), ok[0].ID),
			"event":        rdp(a.ID, "192.0.2.4", fday(0), ok[0].ID+1000),
		} {
			if _, _, _, err := s.ObserveFindings(ctx, p, []finding.Observation{o}); !refused(err, name) {
				t.Errorf("sighting of a missing %s: got %v, want an error naming it", name, err)
			}
		}
		fs, _, err := s.ListFindings(ctx, auth.Everything, storage.FindingFilter{})
		if err != nil || len(fs) != 0 {
			t.Fatalf("findings after refused sightings: %d, %v; want none", len(fs), err)
		}
		if opened, _, _, err := s.ObserveFindings(ctx, p, []finding.Observation{rdp(a.ID, "192.0.2.4", fday(0), ok[0].ID)}); err != nil || opened != 1 {
			t.Fatalf("valid sighting: %d opened, %v", opened, err)
		}
		// Only the writer's own connection runs without foreign keys:
		// every other write still has them.
		for range 4 {
			if _, err := s.DB().ExecContext(ctx, `INSERT INTO event_owners (event_id, org_id) VALUES ($1, $2)`, ok[0].ID, gone.ID); !refused(err, "organisation") {
				t.Fatalf("an owner that does not exist, outside the writer: %v", err)
			}
		}
	})
}

// refused reports whether err names what was missing: our check's message
// on SQLite, the foreign key's on PostgreSQL.
func refused(err error, what string) bool {
	return err != nil && (strings.Contains(err.Error(), what) || strings.Contains(strings.ToLower(err.Error()), "foreign key"))
}
