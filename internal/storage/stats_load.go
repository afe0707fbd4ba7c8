package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/finding"
)

// HistoricFinding is a finding with the changes of status that brought it
// where it is: what LoadFindingHistory stores in bulk.
type HistoricFinding struct {
	finding.Finding
	Changes []finding.Change // oldest first; FindingID is filled in on insert
}

// historicPerInsert is the findings per multi-row INSERT: 21 columns,
// well under both databases' limits on parameters.
const historicPerInsert = 500

const historicColumns = `id, org_id, resource, identifier, taxonomy, type, source, severity, severity_rank, status, first_seen, last_seen,
	seen_count, due_at, notified_at, acknowledged_at, resolved_at, closed_at, accepted_until, reason, updated_at`

// LoadFindingHistory stores findings with their history in bulk, in one
// transaction with multi-row INSERTs: the demo's past years and the
// statistics benchmark, not the pipeline's way in. A finding whose key
// (organisation, resource, identifier) is already stored is skipped with
// its history: the stored one wins. It returns how many it stored, and
// sets the ID of each (0 for one skipped).
func (s *Store) LoadFindingHistory(ctx context.Context, fs []HistoricFinding) (int, error) {
	if len(fs) == 0 {
		return 0, nil
	}
	stored := 0
	err := s.tx(ctx, func(tx *sql.Tx) error {
		stored = 0
		if err := s.reserveFindingIDs(ctx, tx, fs); err != nil {
			return err
		}
		for start := 0; start < len(fs); start += historicPerInsert {
			part := fs[start:min(start+historicPerInsert, len(fs))]
			n, err := s.insertHistoricRows(ctx, tx, part)
			if err != nil {
				return err
			}
			stored += n
		}
		var hist []finding.Change
		flush := func() error {
			if len(hist) == 0 {
				return nil
			}
			var a args
			var q strings.Builder
			q.WriteString("INSERT INTO finding_history (finding_id, at, actor, from_status, to_status, reason) VALUES ")
			for i, c := range hist {
				if i > 0 {
					q.WriteString(", ")
				}
				q.WriteString("(" + s.bind(&a, c.FindingID) + ", " + s.bind(&a, c.At.UTC()) + ", " + s.bind(&a, c.Actor) + ", " +
					s.bind(&a, string(c.From)) + ", " + s.bind(&a, string(c.To)) + ", " + s.bind(&a, c.Reason) + ")")
			}
			hist = hist[:0]
			if _, err := tx.ExecContext(ctx, q.String(), a...); err != nil {
				return fmt.Errorf("storage: load finding history: %w", err)
			}
			return nil
		}
		for i := range fs {
			if fs[i].ID == 0 {
				continue
			}
			for _, c := range fs[i].Changes {
				c.FindingID = fs[i].ID
				hist = append(hist, c)
				if len(hist) == 1000 {
					if err := flush(); err != nil {
						return err
					}
				}
			}
		}
		return flush()
	})
	if err != nil {
		for i := range fs {
			fs[i].ID = 0
		}
		return 0, err
	}
	return stored, nil
}

// reserveFindingIDs gives the findings ids no other writer will take:
// from the sequence on PostgreSQL, above the largest on SQLite (whose
// immediate transaction already holds the write lock).
func (s *Store) reserveFindingIDs(ctx context.Context, tx *sql.Tx, fs []HistoricFinding) error {
	if s.dialect.name == "postgres" {
		rows, err := tx.QueryContext(ctx, `SELECT nextval(pg_get_serial_sequence('findings', 'id')) FROM generate_series(1, $1)`, len(fs))
		if err != nil {
			return fmt.Errorf("storage: load findings: %w", err)
		}
		defer rows.Close()
		for i := 0; rows.Next(); i++ {
			if err := rows.Scan(&fs[i].ID); err != nil {
				return fmt.Errorf("storage: load findings: %w", err)
			}
		}
		return rows.Err()
	}
	var top int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM findings`).Scan(&top); err != nil {
		return fmt.Errorf("storage: load findings: %w", err)
	}
	for i := range fs {
		fs[i].ID = top + int64(i) + 1
	}
	return nil
}

// insertHistoricRows inserts up to historicPerInsert findings with one
// statement, clears the ID of those skipped and returns how many it stored.
func (s *Store) insertHistoricRows(ctx context.Context, tx *sql.Tx, part []HistoricFinding) (int, error) {
	var a args
	var q strings.Builder
	q.WriteString("INSERT INTO findings (" + historicColumns + ") VALUES ")
	orNull := func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return t.UTC()
	}
	for i := range part {
		f := &part[i].Finding
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(")
		updated := f.LastSeen
		for _, t := range []time.Time{f.NotifiedAt, f.AcknowledgedAt, f.ResolvedAt, f.ClosedAt} {
			if t.After(updated) {
				updated = t
			}
		}
		for j, v := range []any{f.ID, f.OrgID, f.Resource, f.Identifier, f.Taxonomy, f.Type, f.Source, f.Severity.String(), int(f.Severity),
			string(f.Status), f.FirstSeen.UTC(), f.LastSeen.UTC(), max(f.Count, 1), orNull(f.DueAt), orNull(f.NotifiedAt),
			orNull(f.AcknowledgedAt), orNull(f.ResolvedAt), orNull(f.ClosedAt), orNull(f.AcceptedUntil), f.Reason, updated.UTC()} {
			if j > 0 {
				q.WriteString(", ")
			}
			q.WriteString(s.bind(&a, v))
		}
		q.WriteString(")")
	}
	q.WriteString(" ON CONFLICT (org_id, resource, identifier) DO NOTHING RETURNING id")
	rows, err := tx.QueryContext(ctx, q.String(), a...)
	if err != nil {
		return 0, fmt.Errorf("storage: load findings: %w", err)
	}
	defer rows.Close()
	in := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return 0, fmt.Errorf("storage: load findings: %w", err)
		}
		in[id] = true
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("storage: load findings: %w", err)
	}
	for i := range part {
		if !in[part[i].ID] {
			part[i].ID = 0
		}
	}
	return len(in), nil
}

// CountFindingsBefore counts the findings first seen before t (all
// organisations): the demo loads its past only into a store without one.
func (s *Store) CountFindingsBefore(ctx context.Context, t time.Time) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM findings WHERE first_seen < $1`, t.UTC()).Scan(&n); err != nil {
		return 0, fmt.Errorf("storage: count findings: %w", err)
	}
	return n, nil
}
