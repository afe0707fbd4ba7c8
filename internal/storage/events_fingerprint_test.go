package storage_test

import (
	"encoding/hex"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

// Migration 0019 rewrites the fingerprints stored before it (the first
// 16 bytes of the SHA-256) into the day-first form, so an event stored
// then is still a duplicate when its report comes again.
func TestFingerprintMigrationKeepsDuplicatesDuplicates(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		db := s.DB()
		old := storedEvent("before-0019", "192.0.2.9", 20)
		noTime := storedEvent("before-0019-untimed", "192.0.2.10", 20) // stored without time.source
		for _, e := range []storage.StoredEvent{old, noTime} {
			legacy, _ := hex.DecodeString(e.Fingerprint[:32])
			var ts any = e.TimeSource
			if e.Fingerprint == noTime.Fingerprint {
				ts = nil
			}
			if _, err := db.ExecContext(ctx, `INSERT INTO events (fingerprint, time_source, time_observation, data) VALUES ($1, $2, $3, '{}')`,
				legacy, ts, e.TimeObservation); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.ExecContext(ctx, `DELETE FROM schema_migrations WHERE version = 19`); err != nil {
			t.Fatal(err)
		}
		if applied, err := s.Migrate(ctx); err != nil || len(applied) != 1 {
			t.Fatalf("migrate again: %v, %v; want 0019 applied", applied, err)
		}
		got := map[string]bool{}
		rows, err := db.QueryContext(ctx, `SELECT fingerprint FROM events`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var b []byte
			if err := rows.Scan(&b); err != nil {
				t.Fatal(err)
			}
			got[hex.EncodeToString(b)] = true
		}
		rows.Close()
		if want := storedFP("before-0019", 20); !got[want] || !got["0000"+fp("before-0019-untimed")[:28]] {
			t.Fatalf("rewritten fingerprints %v; want %s and the untimed one under day 0", got, want)
		}
		// The same events again, stored the new way: duplicates.
		noTime.TimeSource = time.Time{}
		ins, dup, err := s.InsertEvents(ctx, []storage.StoredEvent{old, noTime})
		if err != nil || ins != 0 || dup != 2 {
			t.Fatalf("re-ingest after the migration: %d inserted, %d duplicates, %v; want two duplicates", ins, dup, err)
		}
	})
}
