// Package storagetest opens throw-away stores for tests: an SQLite file in
// the test's temporary directory, and a fresh schema on the PostgreSQL
// server named by QALXAN_TEST_POSTGRES (which scripts/test starts).
package storagetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/storage"
)

// Required reports whether the test run demands the named facility
// (QALXAN_TEST_REQUIRE=postgres,chromium): then its absence fails the test
// instead of skipping it, so CI cannot pass by skipping.
func Required(name string) bool {
	for _, r := range strings.Split(os.Getenv("QALXAN_TEST_REQUIRE"), ",") {
		if strings.TrimSpace(r) == name || strings.TrimSpace(r) == "all" {
			return true
		}
	}
	return false
}

// SQLite opens a migrated store on a new SQLite file.
func SQLite(t testing.TB) *storage.Store {
	t.Helper()
	s, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "qalxan.db"))
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// PostgresDSN returns the DSN of a new, empty schema on the test server,
// dropped when the test ends. Without a server it skips the test, or fails
// it when PostgreSQL is required.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv("QALXAN_TEST_POSTGRES")
	if base == "" {
		if Required("postgres") {
			t.Fatal("QALXAN_TEST_POSTGRES is not set but PostgreSQL is required (run the tests with scripts/test)")
		}
		t.Skip("QALXAN_TEST_POSTGRES not set; run scripts/test to test against PostgreSQL")
	}
	ctx := context.Background()
	admin, err := storage.OpenNoMigrate(ctx, base)
	if err != nil {
		t.Fatalf("connect to test PostgreSQL: %v", err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := admin.DB().ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		admin.DB().ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("QALXAN_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Postgres opens a migrated store on a new schema of the test server.
func Postgres(t testing.TB) *storage.Store {
	t.Helper()
	s, err := storage.Open(context.Background(), PostgresDSN(t))
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// ForEach runs fn as a subtest against each database: "sqlite" and "postgres".
func ForEach(t *testing.T, fn func(t *testing.T, s *storage.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}
