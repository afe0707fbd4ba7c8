package storage

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// ReportIDs returns the ids of the archived reports matching f, oldest
// first, for re-processing them in the order they came. f.Limit 0 means
// all of them; f.BeforeID pages as in ListReports.
func (s *Store) ReportIDs(ctx context.Context, f ReportFilter) ([]int64, error) {
	var a args
	conds := reportConds(f, &a)
	q := `SELECT id FROM reports`
	if len(conds) > 0 {
		q += ` WHERE ` + strings.Join(conds, ` AND `)
	}
	q += ` ORDER BY id`
	if f.Limit > 0 {
		q += ` LIMIT ` + a.add(f.Limit)
	}
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("storage: report ids: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("storage: report ids: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// ReportFileNames returns the distinct file names of the reports a
// collector (source) brought in since a time: what it already fetched,
// for a collector that would otherwise download them again after a
// restart.
func (s *Store) ReportFileNames(ctx context.Context, source string, since time.Time) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT file_name FROM reports WHERE source = $1 AND received_at >= $2 ORDER BY file_name`,
		source, since.UTC())
	if err != nil {
		return nil, fmt.Errorf("storage: report file names of %s: %w", source, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("storage: report file names of %s: %w", source, err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// reportConds turns f into SQL conditions over the reports table.
func reportConds(f ReportFilter, a *args) []string {
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
	return conds
}
