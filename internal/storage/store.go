// Package storage keeps Qalxan's data in SQLite (embedded, the default) or
// PostgreSQL, chosen by the DSN. One Store serves both: the SQL is written
// once in the subset both dialects share ($1 placeholders, RETURNING,
// ON CONFLICT), with the few differences in dialect.go. Each file holds the
// queries of one entity. Public methods own their transaction; helpers take
// the tx. Every list and get takes an auth.Scope, so tenancy is enforced in
// the query itself.
package storage

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// Store is the database.
type Store struct {
	db      *sql.DB
	dialect dialect
	// Now is the clock; tests replace it.
	Now func() time.Time

	writer writerConn // SQLite: the one connection event inserts use (events_writer.go)
	stmts  stmtCache  // SQLite: statements whose text recurs (stmt_cache.go)
}

// Open connects to the database named by dsn and applies pending
// migrations. A DSN starting with postgres:// or postgresql:// selects
// PostgreSQL; anything else is an SQLite file path (or "sqlite:PATH").
func Open(ctx context.Context, dsn string) (*Store, error) {
	s, err := OpenNoMigrate(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if _, err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// OpenNoMigrate connects without touching the schema.
func OpenNoMigrate(ctx context.Context, dsn string) (*Store, error) {
	d, driver, source, err := parseDSN(dsn)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open(driver, source)
	if err != nil {
		return nil, fmt.Errorf("storage: open %s: %w", d.name, err)
	}
	if d.name == "sqlite" {
		// One connection per core is plenty for an embedded database; WAL lets
		// readers proceed while the single writer holds the lock.
		db.SetMaxOpenConns(8)
		db.SetMaxIdleConns(8)
	} else {
		db.SetMaxOpenConns(16)
		db.SetConnMaxIdleTime(5 * time.Minute)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("storage: connect to %s: %w", d.name, err)
	}
	return &Store{db: db, dialect: d, Now: func() time.Time { return time.Now().UTC() }}, nil
}

// parseDSN picks the dialect and builds the driver's data source.
func parseDSN(dsn string) (dialect, string, string, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return postgres, "pgx", dsn, nil
	}
	path := strings.TrimPrefix(dsn, "sqlite:")
	path = strings.TrimPrefix(path, "file:")
	if path == "" {
		return dialect{}, "", "", fmt.Errorf("storage: empty database path")
	}
	if i := strings.IndexByte(path, '?'); i >= 0 {
		return dialect{}, "", "", fmt.Errorf("storage: SQLite DSN %q: options are set by Qalxan, give only the file path", dsn)
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return dialect{}, "", "", fmt.Errorf("storage: create data directory: %w", err)
		}
	}
	q := url.Values{}
	for _, p := range []string{
		"foreign_keys(1)",
		// 16 KiB pages, not 4: an event row is one to two kilobytes, and
		// the WAL writes each page with two system calls. A new database's
		// ingest took 15 % less writer CPU and half the checkpointing.
		// It applies to a new database only (an existing one keeps its
		// pages), so journal_mode follows it below, not here: the driver
		// runs the _pragma list sorted, and WAL fixes the page size.
		"page_size(16384)",
		"synchronous(NORMAL)", // safe with WAL: a power cut loses at most the last commits, never integrity
		"busy_timeout(10000)",
		// temp_store stays FILE: a statement journal past 64 KiB then
		// goes to a temporary file. In memory, the journal of one
		// 500-row findings upsert (16 KiB for every page it touches, so
		// more as the indexes grow) raised an ingest's peak RSS with the
		// size of the database.
	} {
		q.Add("_pragma", p)
	}
	// Writers take the lock at BEGIN, so two transactions never deadlock
	// upgrading a read lock to a write lock.
	q.Set("_txlock", "immediate")
	q.Set("_journal_mode", "WAL")
	return sqlite, "sqlite", "file:" + path + "?" + q.Encode(), nil
}

// Close closes the database.
func (s *Store) Close() error {
	s.writer.close()
	s.stmts.close()
	return s.db.Close()
}

// Dialect names the database in use: "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.dialect.name }

// Ping checks that the database answers (for /readyz).
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// DB exposes the handle to packages that add their own tables in later
// issues; they follow the same conventions.
func (s *Store) DB() *sql.DB { return s.db }

// tx runs fn in a transaction, committing when it returns nil.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("storage: begin: %w", err)
	}
	return runTx(tx, fn)
}

// runTx runs fn in the begun transaction tx, committing when it returns
// nil and rolling back otherwise.
func runTx(tx *sql.Tx, fn func(*sql.Tx) error) error {
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("storage: commit: %w", err)
	}
	return nil
}
