package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"sync"
)

// writerCacheKiB is the SQLite page cache of the event-insert connection.
// The fingerprint index takes random keys: with SQLite's default 2 MB
// cache every batch re-reads and re-writes most of it, and a large cache
// made inserts about 45 % faster. The size is the memory budget's: a
// million-row ingest peaked at 230 MB RSS with 64 MiB and 138 MB with
// 16 MiB (modernc's pages cost more than their size); 32 MiB holds the
// fingerprints of about a million events.
const writerCacheKiB = 32768

// writerConn is the one SQLite connection event inserts run on. A page
// cache is per connection: set on whichever pooled connection a batch
// happened to get, it grew on several of them (up to the pool's eight),
// and a million-row ingest peaked at 360 MB. Pinned, there is one large
// cache, and SQLite has one writer anyway.
type writerConn struct {
	mu   sync.Mutex
	conn *sql.Conn

	// The writer does not checkpoint the WAL itself (SQLite's automatic
	// checkpoint ran inside the committing batch: a tenth of ingest's
	// writer time): after each commit it kicks a goroutine that
	// checkpoints on another connection, on the other core, while the
	// next batch is written.
	kick chan struct{}
	done chan struct{}
	wg   sync.WaitGroup
}

func (w *writerConn) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.drop()
}

// drop closes the connection and stops its checkpointer; w.mu is held.
func (w *writerConn) drop() {
	if w.conn != nil {
		w.conn.Close()
		w.conn = nil
		close(w.done)
		w.wg.Wait()
	}
}

// checkpoint copies the WAL into the database after each kick. PASSIVE
// never waits for readers or the writer: what it cannot copy now it
// copies next time.
func (w *writerConn) checkpoint(db *sql.DB) {
	for {
		select {
		case <-w.done:
			return
		case <-w.kick:
		}
		_, _ = db.Exec("PRAGMA wal_checkpoint(PASSIVE)") // best effort: a failure leaves the WAL for the next kick
	}
}

// eventTx runs fn in a transaction for event inserts and the findings they
// observe: on SQLite on the pinned writer connection, on PostgreSQL on any
// pooled one.
func (s *Store) eventTx(ctx context.Context, fn func(*sql.Tx) error) error {
	if s.dialect.name != "sqlite" {
		return s.tx(ctx, fn)
	}
	w := &s.writer
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.conn == nil {
		conn, err := s.db.Conn(ctx)
		if err != nil {
			return fmt.Errorf("storage: writer connection: %w", err)
		}
		// Foreign keys off: events_references.go says why, and checks
		// instead what they guarded.
		for _, pragma := range []string{fmt.Sprintf("PRAGMA cache_size = -%d", writerCacheKiB), "PRAGMA wal_autocheckpoint = 0", "PRAGMA foreign_keys = OFF"} {
			if _, err := conn.ExecContext(ctx, pragma); err != nil {
				conn.Close()
				return fmt.Errorf("storage: writer connection: %w", err)
			}
		}
		w.conn = conn
		w.kick, w.done = make(chan struct{}, 1), make(chan struct{})
		w.wg.Go(func() { w.checkpoint(s.db) })
	}
	tx, err := w.conn.BeginTx(ctx, nil)
	if err != nil {
		if errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) {
			w.drop()
		}
		return fmt.Errorf("storage: begin: %w", err)
	}
	if err := runTx(tx, fn); err != nil {
		return err
	}
	select {
	case w.kick <- struct{}{}:
	default: // a checkpoint is already due
	}
	return nil
}
