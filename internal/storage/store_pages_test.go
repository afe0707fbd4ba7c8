package storage_test

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/qalxan/qalxan/internal/storage"
)

// A new SQLite database has 16 KiB pages and the WAL journal: the
// driver runs its _pragma list sorted, and journal_mode before page_size
// would leave the pages at 4 KiB.
func TestNewSQLiteDatabaseHasLargePagesAndWAL(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pages.db")
	s, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var pageSize int
	var mode string
	if err := db.QueryRow("PRAGMA page_size").Scan(&pageSize); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if pageSize != 16384 || mode != "wal" {
		t.Fatalf("page size %d, journal %s; want 16384, wal", pageSize, mode)
	}
}
