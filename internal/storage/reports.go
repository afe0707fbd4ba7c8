package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
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
// sets no limit. Reports stream into the archive in chunks, so this bounds
// disk use, not memory: a 5-million-row Shadowserver report is about 1 GB.
const DefaultMaxReportSize = 8 << 30

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

const reportColumns = `id, source, feed, file_name, received_at, meta, sha256, size, stored_size, status, reason, events, bad_rows, parsed_at`

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

// ListReports returns the archived reports matching f, newest first. The
// next page starts before the last id returned.
func (s *Store) ListReports(ctx context.Context, f ReportFilter) ([]*ArchivedReport, error) {
	var a args
	conds := reportConds(f, &a)
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
