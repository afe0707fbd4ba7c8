package storage

import (
	"compress/gzip"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/qalxan/qalxan/internal/errs"
)

// reportChunkSize is the most compressed bytes one report_chunks row
// holds: what archiving or reading a report keeps in memory at a time.
const reportChunkSize = 1 << 20

// errAlreadyArchived rolls back an archive transaction whose content
// turned out to be archived already.
var errAlreadyArchived = errors.New("already archived")

// ArchiveReport stores a report's content, compressed, and returns its id.
// The content streams through a hash and a compressor into chunks of the
// archive in one pass, so memory does not grow with the report. A report
// whose content is already archived is not stored again: its existing id
// is returned with duplicate set, so re-delivered mail or an unchanged
// download creates no second set of events. Content larger than r.MaxSize
// is refused with an Invalid error.
func (s *Store) ArchiveReport(ctx context.Context, r ArchivedReport, content io.Reader) (id int64, duplicate bool, err error) {
	if strings.TrimSpace(r.Source) == "" {
		return 0, false, errs.Field("source", "name the collector the report came from")
	}
	limit := r.MaxSize
	if limit <= 0 {
		limit = DefaultMaxReportSize
	}
	meta := []byte("{}")
	if len(r.Meta) > 0 {
		if meta, err = json.Marshal(r.Meta); err != nil {
			return 0, false, fmt.Errorf("storage: archive report %q: meta: %w", r.FileName, err)
		}
	}
	received := r.ReceivedAt
	if received.IsZero() {
		received = s.Now()
	}
	var sum string
	err = s.tx(ctx, func(tx *sql.Tx) error {
		// The hash is known only at the end: the row takes a unique
		// placeholder until then, and the transaction is rolled back if
		// the content turns out to be archived already.
		if err := tx.QueryRowContext(ctx, `INSERT INTO reports (source, feed, file_name, received_at, meta, sha256, size, compression, content, status)
			VALUES ($1, $2, $3, $4, $5, $6, 0, 'gzip-chunks', $7, $8) RETURNING id`,
			r.Source, r.Feed, r.FileName, received.UTC(), string(meta), "pending:"+rand.Text(), []byte{}, string(ReportReceived)).Scan(&id); err != nil {
			return fmt.Errorf("storage: archive report %q: %w", r.FileName, err)
		}
		cw := &chunkWriter{ctx: ctx, tx: tx, id: id, buf: make([]byte, 0, reportChunkSize)}
		h := sha256.New()
		zw, _ := gzip.NewWriterLevel(cw, gzip.BestSpeed) // speed over ratio: ingest waits for this
		// One byte past the limit tells an over-sized report from one
		// exactly at the limit.
		n, err := io.Copy(io.MultiWriter(h, zw), io.LimitReader(content, limit+1))
		if err != nil {
			if cw.err != nil {
				return fmt.Errorf("storage: archive report %q: %w", r.FileName, cw.err)
			}
			return fmt.Errorf("storage: archive report %q: read: %w", r.FileName, err)
		}
		if n > limit {
			return errs.E(errs.Invalid, "report %q is larger than the limit of %d bytes", r.FileName, limit)
		}
		if err := zw.Close(); err != nil {
			return fmt.Errorf("storage: archive report %q: compress: %w", r.FileName, err)
		}
		if err := cw.flush(); err != nil {
			return fmt.Errorf("storage: archive report %q: %w", r.FileName, err)
		}
		sum = hex.EncodeToString(h.Sum(nil))
		var existing int64
		switch err := tx.QueryRowContext(ctx, `SELECT id FROM reports WHERE sha256 = $1`, sum).Scan(&existing); {
		case err == nil:
			id, duplicate = existing, true
			return errAlreadyArchived
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("storage: archive report %q: %w", r.FileName, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE reports SET sha256 = $1, size = $2, stored_size = $3 WHERE id = $4`,
			sum, n, cw.stored, id); err != nil {
			return fmt.Errorf("storage: archive report %q: %w", r.FileName, err)
		}
		return nil
	})
	switch {
	case errors.Is(err, errAlreadyArchived):
		return id, true, nil
	case err != nil && sum != "":
		// Another node may have archived the same content while this one
		// read it (PostgreSQL refuses the second hash): that is a duplicate.
		var existing int64
		if s.db.QueryRowContext(ctx, `SELECT id FROM reports WHERE sha256 = $1`, sum).Scan(&existing) == nil {
			return existing, true, nil
		}
		return 0, false, err
	case err != nil:
		return 0, false, err
	}
	return id, false, nil
}

// chunkWriter stores what is written to it as numbered report_chunks rows
// of reportChunkSize bytes.
type chunkWriter struct {
	ctx    context.Context
	tx     *sql.Tx
	id     int64
	seq    int
	buf    []byte
	stored int64
	err    error // the first store error, which io.Copy reports only as a short write
}

func (w *chunkWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		k := copy(w.buf[len(w.buf):cap(w.buf)], p)
		w.buf = w.buf[:len(w.buf)+k]
		p = p[k:]
		if len(w.buf) == cap(w.buf) {
			if err := w.flush(); err != nil {
				return 0, err
			}
		}
	}
	return n, nil
}

func (w *chunkWriter) flush() error {
	if w.err != nil || len(w.buf) == 0 {
		return w.err
	}
	if _, err := w.tx.ExecContext(w.ctx, `INSERT INTO report_chunks (report_id, seq, data) VALUES ($1, $2, $3)`, w.id, w.seq, w.buf); err != nil {
		w.err = fmt.Errorf("store chunk %d: %w", w.seq, err)
		return w.err
	}
	w.seq++
	w.stored += int64(len(w.buf))
	w.buf = w.buf[:0]
	return nil
}

// OpenReport returns an archived report's record and its content,
// decompressed as it is read. The caller closes the reader. Memory holds
// one chunk at a time, whatever the report's size.
func (s *Store) OpenReport(ctx context.Context, id int64) (*ArchivedReport, io.ReadCloser, error) {
	r, err := s.GetReport(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	var compression string
	if err := s.db.QueryRowContext(ctx, `SELECT compression FROM reports WHERE id = $1`, id).Scan(&compression); err != nil {
		return nil, nil, fmt.Errorf("storage: open report %d: %w", id, err)
	}
	cr := &chunkReader{ctx: ctx, s: s, id: id, legacy: compression == "gzip"}
	zr, err := gzip.NewReader(cr)
	if err != nil {
		return nil, nil, fmt.Errorf("storage: open report %d: %w", id, err)
	}
	return r, zr, nil
}

// chunkReader reads a report's compressed content back, one chunk per
// query; a report archived before chunks is one chunk, its content column.
type chunkReader struct {
	ctx    context.Context
	s      *Store
	id     int64
	seq    int
	legacy bool
	cur    []byte
	done   bool
}

func (r *chunkReader) Read(p []byte) (int, error) {
	for len(r.cur) == 0 {
		if r.done {
			return 0, io.EOF
		}
		var err error
		if r.legacy {
			err = r.s.db.QueryRowContext(r.ctx, `SELECT content FROM reports WHERE id = $1`, r.id).Scan(&r.cur)
			r.done = true
		} else {
			err = r.s.db.QueryRowContext(r.ctx, `SELECT data FROM report_chunks WHERE report_id = $1 AND seq = $2`, r.id, r.seq).Scan(&r.cur)
			r.seq++
		}
		if errors.Is(err, sql.ErrNoRows) {
			r.done = true
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("storage: read report %d: %w", r.id, err)
		}
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}
