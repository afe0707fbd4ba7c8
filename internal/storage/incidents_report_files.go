package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/incident"
)

// insertReportFiles stores the files of a new report: the bytes once per
// SHA-256 in evidence_blobs (so a screenshot that later becomes evidence
// is not stored twice), and one row each on the report. The same picture
// twice in one report is kept once.
func (s *Store) insertReportFiles(ctx context.Context, tx *sql.Tx, reportID int64, at time.Time, files []incident.ReportFile) ([]incident.ReportFile, error) {
	if len(files) > incident.MaxScreenshots {
		return nil, errs.Field("screenshots", "at most %d files", incident.MaxScreenshots)
	}
	var out []incident.ReportFile
	for _, f := range files {
		if int64(len(f.Data)) != f.Size || f.Size == 0 {
			return nil, errs.Field("screenshots", "the size of %q does not match its content", f.Name)
		}
		sum := sha256.Sum256(f.Data)
		f.SHA256, f.ReportID, f.AddedAt = hex.EncodeToString(sum[:]), reportID, at
		if _, err := tx.ExecContext(ctx, `INSERT INTO evidence_blobs (sha256, size, data) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING`,
			f.SHA256, f.Size, f.Data); err != nil {
			return nil, fmt.Errorf("storage: store report file: %w", err)
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO incident_report_files (report_id, sha256, name, size, media_type, added_at)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (report_id, sha256) DO NOTHING RETURNING id`,
			reportID, f.SHA256, f.Name, f.Size, f.MediaType, at).Scan(&f.ID)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("storage: attach report file: %w", err)
		}
		f.Data = nil
		out = append(out, f)
	}
	return out, nil
}

const reportFileColumns = `id, report_id, sha256, name, size, media_type, added_at`

func scanReportFile(row interface{ Scan(...any) error }) (incident.ReportFile, error) {
	var f incident.ReportFile
	err := row.Scan(&f.ID, &f.ReportID, &f.SHA256, &f.Name, &f.Size, &f.MediaType, &f.AddedAt)
	f.AddedAt = f.AddedAt.UTC()
	return f, err
}

// reportFiles lists a report's files (the caller checked the reader).
func (s *Store) reportFiles(ctx context.Context, reportID int64) ([]incident.ReportFile, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+reportFileColumns+` FROM incident_report_files WHERE report_id = $1 ORDER BY id`, reportID)
	if err != nil {
		return nil, fmt.Errorf("storage: report %d files: %w", reportID, err)
	}
	defer rows.Close()
	var out []incident.ReportFile
	for rows.Next() {
		f, err := scanReportFile(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: report %d files: %w", reportID, err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// OpenReportFile returns a file of a report with its bytes, for staff who
// read reports (they hold the reporter's pictures: the export is audited).
func (s *Store) OpenReportFile(ctx context.Context, actor auth.Actor, reportID, fileID int64) (incident.ReportFile, error) {
	if err := mayReadIntake(actor); err != nil {
		return incident.ReportFile{}, err
	}
	// A reporter's screenshot is their personal data as much as their
	// name: a phishing SMS shows their number, a leak what leaked.
	if err := mayDo(actor, auth.ReadPersonal); err != nil {
		return incident.ReportFile{}, errs.E(errs.Forbidden, "a report's files may hold the reporter's personal data: only staff with incidents.personal open them")
	}
	f, err := scanReportFile(s.db.QueryRowContext(ctx, `SELECT `+reportFileColumns+` FROM incident_report_files WHERE id = $1 AND report_id = $2`,
		fileID, reportID))
	if errors.Is(err, sql.ErrNoRows) {
		return f, errs.E(errs.NotFound, "report %d has no file %d", reportID, fileID)
	}
	if err != nil {
		return f, fmt.Errorf("storage: report file %d: %w", fileID, err)
	}
	if err := s.db.QueryRowContext(ctx, `SELECT data FROM evidence_blobs WHERE sha256 = $1`, f.SHA256).Scan(&f.Data); err != nil {
		return f, fmt.Errorf("storage: report file %d: %w", fileID, err)
	}
	if sum := sha256.Sum256(f.Data); hex.EncodeToString(sum[:]) != f.SHA256 {
		return f, fmt.Errorf("storage: report file %d: the stored bytes no longer match their SHA-256", fileID)
	}
	return f, s.Audit(ctx, actor, "report.file_export", "incident_report", reportID, 0, map[string]any{"file_id": fileID, "sha256": f.SHA256})
}

// fillReportExtras sets the files and the extra observables of a page of
// reports, two queries for the page.
func (s *Store) fillReportExtras(ctx context.Context, rs []incident.Report) error {
	if len(rs) == 0 {
		return nil
	}
	pos := map[int64]int{}
	var a args
	ph := make([]string, len(rs))
	for i, r := range rs {
		pos[r.ID] = i
		ph[i] = a.add(r.ID)
	}
	in := strings.Join(ph, ", ")
	rows, err := s.db.QueryContext(ctx, `SELECT `+reportFileColumns+` FROM incident_report_files WHERE report_id IN (`+in+`) ORDER BY id`, a...)
	if err != nil {
		return fmt.Errorf("storage: report files: %w", err)
	}
	for rows.Next() {
		f, err := scanReportFile(rows)
		if err != nil {
			rows.Close()
			return fmt.Errorf("storage: report files: %w", err)
		}
		r := &rs[pos[f.ReportID]]
		r.Files = append(r.Files, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("storage: report files: %w", err)
	}
	rows, err = s.db.QueryContext(ctx, `SELECT report_id, kind, value FROM incident_report_observables WHERE report_id IN (`+in+`) ORDER BY report_id, kind, value`, a...)
	if err != nil {
		return fmt.Errorf("storage: report observables: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var kind, value string
		if err := rows.Scan(&id, &kind, &value); err != nil {
			return fmt.Errorf("storage: report observables: %w", err)
		}
		r := &rs[pos[id]]
		r.Extra = append(r.Extra, incident.ReportObservable{Kind: incident.Kind(kind), Value: value})
	}
	return rows.Err()
}
