package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
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
	// flush asks the checkpointer for a pass now; the answer, when the
	// pass is over, says whether it copied the whole WAL.
	flush chan chan bool
	// walFrames is the WAL's length at the last checkpoint.
	walFrames atomic.Int64
}

// walRestartFrames bounds the WAL during a long ingest. A checkpoint
// copies frames into the database but never lets the WAL start over:
// SQLite rewinds it only when a writer begins while every frame is
// copied, and the background checkpointer always finishes with the
// writer mid-batch. A 5-million-row ingest had grown its WAL to 9 GB
// after two minutes. Past this many frames (64 MiB of 16 KiB pages) the
// writer waits between two batches for a checkpoint of what the last
// batch added (the ones before have copied the rest), and its next batch
// rewinds the WAL. Atomic because tests lower it.
var walRestartFrames = func() *atomic.Int64 {
	var n atomic.Int64
	n.Store(4096)
	return &n
}()

func (w *writerConn) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.drop()
}

// drop closes the connection and stops its checkpointer; w.mu is held.
// Closing a sql.Conn hands it back to the pool, so its settings are put
// back first (best effort: a broken connection is discarded anyway): no
// other transaction may run without foreign keys.
func (w *writerConn) drop() {
	if w.conn != nil {
		for _, pragma := range []string{"PRAGMA foreign_keys = ON", "PRAGMA wal_autocheckpoint = 1000", "PRAGMA cache_size = -2000"} {
			_, _ = w.conn.ExecContext(context.Background(), pragma)
		}
		w.conn.Close()
		w.conn = nil
		close(w.done)
		w.wg.Wait()
	}
}

// checkpoint copies the WAL into the database after each kick, and at
// the writer's request. PASSIVE never waits for readers or the writer:
// what it cannot copy now it copies next time.
func (w *writerConn) checkpoint(db *sql.DB) {
	for {
		var reply chan bool
		select {
		case <-w.done:
			return
		case <-w.kick:
		case reply = <-w.flush:
			// This pass covers the last commit's kick too; run after
			// it, that pass would hold the WAL while the writer begins,
			// and keep it from rewinding.
			select {
			case <-w.kick:
			default:
			}
		}
		// Best effort: a failure leaves the WAL to the next pass.
		var busy, frames, copied int64
		err := db.QueryRow("PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied)
		if err == nil {
			w.walFrames.Store(frames)
		}
		if reply != nil {
			reply <- err == nil && copied == frames
		}
	}
}

// rewind waits, when the WAL has passed walRestartFrames, for a
// checkpoint of all of it, so that the next transaction starts it over;
// w.mu is held and no transaction is open. Readers of older frames can
// keep the pass from copying everything: then the WAL is rewound after a
// later batch.
func (w *writerConn) rewind(ctx context.Context) {
	if w.walFrames.Load() <= walRestartFrames.Load() {
		return
	}
	reply := make(chan bool, 1)
	select {
	case w.flush <- reply:
		select {
		case all := <-reply:
			if all {
				w.walFrames.Store(0) // rewound by the transaction about to begin
			}
		case <-ctx.Done():
		}
	case <-ctx.Done():
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
		w.kick, w.done, w.flush = make(chan struct{}, 1), make(chan struct{}), make(chan chan bool)
		w.wg.Go(func() { w.checkpoint(s.db) })
	}
	w.rewind(ctx)
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
