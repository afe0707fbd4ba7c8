package storage

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/errs"
)

// ReportStatus is where an archived report stands.
type ReportStatus string

const (
	ReportReceived    ReportStatus = "received"    // archived, not parsed yet
	ReportParsed      ReportStatus = "parsed"      // parsed; Events and BadRows are set
	ReportQuarantined ReportStatus = "quarantined" // could not be parsed at all; Reason says why
)

// DefaultMaxReportSize bounds a report's uncompressed size when the caller
// sets no limit. The compressed content is held in memory on its way into
// the database, so the limit also bounds memory.
const DefaultMaxReportSize = 512 << 20

// ArchivedReport is a raw report's record in the archive, without its
// content.
type ArchivedReport struct {
	ID         int64             `json:"id"`
	Source     string            `json:"source"` // collector name
	Feed       string            `json:"feed"`   // empty until detected
	FileName   string            `json:"file_name"`
	ReceivedAt time.Time         `json:"received_at"`
	Meta       map[string]string `json:"meta,omitempty"` // URL, ETag, mail subject and sender ...
	SHA256     string            `json:"sha256"`         // hex, of the uncompressed content
	Size       int64             `json:"size"`           // uncompressed bytes
	StoredSize int64             `json:"stored_size"`    // compressed bytes
	Status     ReportStatus      `json:"status"`
	Reason     string            `json:"reason,omitempty"`
	Events     int               `json:"events"`
	BadRows    int               `json:"bad_rows"`
	ParsedAt   time.Time         `json:"parsed_at,omitzero"`

	// MaxSize bounds the content ArchiveReport accepts (0 means
	// DefaultMaxReportSize). It is an argument, not stored: each collector
	// has its own limit.
	MaxSize int64 `json:"-"`
}

// ReportFilter selects archived reports; zero fields do not filter.
type ReportFilter struct {
	Quarantined bool   // only quarantined reports
	Feed        string // only this feed
	Source      string // only from this collector
	Since       time.Time
	BeforeID    int64 // cursor: the id of the last row of the previous page
	Limit       int   // default 100, at most 1000
}

const reportColumns = `id, source, feed, file_name, received_at, meta, sha256, size, LENGTH(content), status, reason, events, bad_rows, parsed_at`

func scanReport(sc interface{ Scan(...any) error }) (*ArchivedReport, error) {
	var r ArchivedReport
	var meta, status string
	var parsed sql.NullTime
	if err := sc.Scan(&r.ID, &r.Source, &r.Feed, &r.FileName, &r.ReceivedAt, &meta, &r.SHA256, &r.Size, &r.StoredSize,
		&status, &r.Reason, &r.Events, &r.BadRows, &parsed); err != nil {
		return nil, err
	}
	r.Status = ReportStatus(status)
	r.ReceivedAt = r.ReceivedAt.UTC()
	if parsed.Valid {
		r.ParsedAt = parsed.Time.UTC()
	}
	if meta != "" && meta != "{}" {
		if err := json.Unmarshal([]byte(meta), &r.Meta); err != nil {
			return nil, fmt.Errorf("report %d meta: %w", r.ID, err)
		}
	}
	return &r, nil
}

// ArchiveReport stores a report's content, compressed, and returns its id.
// The content is hashed while it is compressed, in one pass; a report whose
// content is already archived is not stored again: its existing id is
// returned with duplicate set, so re-delivered mail or an unchanged
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
	var blob bytes.Buffer
	h := sha256.New()
	zw, _ := gzip.NewWriterLevel(&blob, gzip.BestSpeed) // speed over ratio: ingest waits for this
	// One byte past the limit tells an over-sized report from one exactly
	// at the limit.
	n, err := io.Copy(io.MultiWriter(h, zw), io.LimitReader(content, limit+1))
	if err != nil {
		return 0, false, fmt.Errorf("storage: archive report %q: read: %w", r.FileName, err)
	}
	if n > limit {
		return 0, false, errs.E(errs.Invalid, "report %q is larger than the limit of %d bytes", r.FileName, limit)
	}
	if err := zw.Close(); err != nil {
		return 0, false, fmt.Errorf("storage: archive report %q: compress: %w", r.FileName, err)
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
	sum := hex.EncodeToString(h.Sum(nil))
	err = s.tx(ctx, func(tx *sql.Tx) error {
		// DO NOTHING rather than catching the unique violation: in
		// PostgreSQL a failed statement aborts the whole transaction.
		err := tx.QueryRowContext(ctx, `INSERT INTO reports (source, feed, file_name, received_at, meta, sha256, size, compression, content, status)
			VALUES ($1, $2, $3, $4, $5, $6, $7, 'gzip', $8, $9) ON CONFLICT (sha256) DO NOTHING RETURNING id`,
			r.Source, r.Feed, r.FileName, received.UTC(), string(meta), sum, n, blob.Bytes(), string(ReportReceived)).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			duplicate = true
			err = tx.QueryRowContext(ctx, `SELECT id FROM reports WHERE sha256 = $1`, sum).Scan(&id)
		}
		if err != nil {
			return fmt.Errorf("storage: archive report %q: %w", r.FileName, err)
		}
		return nil
	})
	return id, duplicate, err
}

// GetReport returns an archived report's record.
func (s *Store) GetReport(ctx context.Context, id int64) (*ArchivedReport, error) {
	r, err := scanReport(s.db.QueryRowContext(ctx, `SELECT `+reportColumns+` FROM reports WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "report %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("storage: get report %d: %w", id, err)
	}
	return r, nil
}

// OpenReport returns an archived report's record and its content,
// decompressed as it is read. The caller closes the reader. The compressed
// blob is held in memory while the reader is open (the database drivers
// hand out whole values); it was bounded when it was archived.
func (s *Store) OpenReport(ctx context.Context, id int64) (*ArchivedReport, io.ReadCloser, error) {
	r, err := s.GetReport(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	var blob []byte
	if err := s.db.QueryRowContext(ctx, `SELECT content FROM reports WHERE id = $1`, id).Scan(&blob); err != nil {
		return nil, nil, fmt.Errorf("storage: open report %d: %w", id, err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(blob))
	if err != nil {
		return nil, nil, fmt.Errorf("storage: open report %d: %w", id, err)
	}
	return r, zr, nil
}

// ListReports returns the archived reports matching f, newest first. The
// next page starts before the last id returned.
func (s *Store) ListReports(ctx context.Context, f ReportFilter) ([]*ArchivedReport, error) {
	var a args
	var conds []string
	if f.Quarantined {
		conds = append(conds, `status = `+a.add(string(ReportQuarantined)))
	}
	if f.Feed != "" {
		conds = append(conds, `feed = `+a.add(f.Feed))
	}
	if f.Source != "" {
		conds = append(conds, `source = `+a.add(f.Source))
	}
	if !f.Since.IsZero() {
		conds = append(conds, `received_at >= `+a.add(f.Since.UTC()))
	}
	if f.BeforeID > 0 {
		conds = append(conds, `id < `+a.add(f.BeforeID))
	}
	q := `SELECT ` + reportColumns + ` FROM reports`
	if len(conds) > 0 {
		q += ` WHERE ` + strings.Join(conds, ` AND `)
	}
	q += ` ORDER BY id DESC LIMIT ` + a.add(clampLimit(f.Limit, 100, 1000))
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("storage: list reports: %w", err)
	}
	defer rows.Close()
	var out []*ArchivedReport
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: list reports: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// SetReportFeed records the feed a report was recognised as.
func (s *Store) SetReportFeed(ctx context.Context, id int64, feed string) error {
	return s.updateReport(ctx, id, "set feed of", `UPDATE reports SET feed = $1 WHERE id = $2`, feed, id)
}

// QuarantineReport marks a report that cannot be parsed at all, with the
// reason; it stays in the archive for a person to look at and re-process.
func (s *Store) QuarantineReport(ctx context.Context, id int64, reason string) error {
	if strings.TrimSpace(reason) == "" {
		return errs.Field("reason", "say why the report is quarantined")
	}
	return s.updateReport(ctx, id, "quarantine", `UPDATE reports SET status = $1, reason = $2 WHERE id = $3`,
		string(ReportQuarantined), reason, id)
}

// MarkReportParsed records that a report was parsed, with how many events
// it gave and how many rows were bad. Re-processing overwrites the counts
// and clears an earlier quarantine.
func (s *Store) MarkReportParsed(ctx context.Context, id int64, events, badRows int) error {
	if events < 0 || badRows < 0 {
		return errs.E(errs.Invalid, "report %d: negative counts %d events, %d bad rows", id, events, badRows)
	}
	return s.updateReport(ctx, id, "mark parsed", `UPDATE reports SET status = $1, reason = '', events = $2, bad_rows = $3, parsed_at = $4 WHERE id = $5`,
		string(ReportParsed), events, badRows, s.Now(), id)
}

func (s *Store) updateReport(ctx context.Context, id int64, what, q string, a ...any) error {
	res, err := s.db.ExecContext(ctx, q, a...)
	if err != nil {
		return fmt.Errorf("storage: %s report %d: %w", what, id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.NotFound, "report %d not found", id)
	}
	return nil
}
