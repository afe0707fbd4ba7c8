package storage_test

import (
	"slices"
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

// Migration 0021 rewrites the address keys stored before it (32 hex
// digits of every address's 16-byte form) into the short ones, so that
// those events are found by address and network as new ones are, and
// sort among them.
func TestAddressKeyMigrationKeepsEventsFindable(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		db := s.DB()
		old := map[string]string{ // address: its key before 0021
			"192.0.2.9":   "00000000000000000000ffffc0000209",
			"2001:db8::9": "20010db8000000000000000000000009",
			"":            "",
		}
		for ip, key := range old {
			if _, err := db.ExecContext(ctx, `INSERT INTO events (fingerprint, time_observation, source_ip, source_ipkey, data) VALUES ($1, CURRENT_TIMESTAMP, $2, $3, '{}')`,
				[]byte("before-0021 "+ip), ip, key); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.ExecContext(ctx, `DELETE FROM schema_migrations WHERE version = 21`); err != nil {
			t.Fatal(err)
		}
		if applied, err := s.Migrate(ctx); err != nil || len(applied) != 1 {
			t.Fatalf("migrate again: %v, %v; want 0021 applied", applied, err)
		}
		// Events stored after it, in and around the same networks.
		if _, _, err := s.InsertEvents(ctx, []storage.StoredEvent{
			storedEvent("after-0021 v4", "192.0.2.10", 20),
			storedEvent("after-0021 v4 outside", "192.0.3.1", 20),
			storedEvent("after-0021 v6", "2001:db8::a", 20),
		}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			ip   string
			want []string
		}{
			{"192.0.2.9", []string{"192.0.2.9"}},
			{"::ffff:192.0.2.9", []string{"192.0.2.9"}},
			{"192.0.2.0/24", []string{"192.0.2.10", "192.0.2.9"}},
			{"192.0.0.0/16", []string{"192.0.3.1", "192.0.2.10", "192.0.2.9"}},
			{"::ffff:192.0.2.0/120", []string{"192.0.2.10", "192.0.2.9"}},
			{"2001:db8::9", []string{"2001:db8::9"}},
			{"2001:db8::/32", []string{"2001:db8::a", "2001:db8::9"}},
		} {
			evs, err := s.ListEvents(ctx, auth.Everything, storage.EventFilter{IP: c.ip})
			if err != nil {
				t.Fatalf("%s: %v", c.ip, err)
			}
			var got []string
			for _, e := range evs {
				got = append(got, e.SourceIP)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("%s: got %v, want %v", c.ip, got, c.want)
			}
		}
		var empty int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM events WHERE source_ipkey = ''`).Scan(&empty); err != nil || empty != 1 {
			t.Errorf("events without an address: %d, %v; want the one, its key still empty", empty, err)
		}
	})
}
