package storage

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// On SQLite the event writer's connection runs with foreign keys off:
// with them on, every multi-row INSERT into events could abort half-way
// on a missing report, so SQLite kept a statement journal of each page
// the INSERT wrote, and allocating and freeing it took 40 % of the
// writer's time. What the keys guarded is checked here instead, once per
// batch, inside the batch's transaction: SQLite's writer holds the
// database from BEGIN to COMMIT, so nothing checked can be deleted
// before the batch is committed. The ids the writer makes itself (new
// events, findings, history) need no check.

// referencesPerQuery bounds the ids one query checks.
const referencesPerQuery = 5000

// requireIDs fails when any of ids is not a row of table. what names a
// row in the error ("organisation", "report"). Zero ids are skipped.
func (s *Store) requireIDs(ctx context.Context, tx *sql.Tx, table, what string, ids []int64) error {
	if s.dialect.name != "sqlite" {
		return nil // PostgreSQL's writer keeps its foreign keys
	}
	distinct := make([]int64, 0, len(ids))
	for _, id := range ids {
		if id != 0 {
			distinct = append(distinct, id)
		}
	}
	slices.Sort(distinct)
	distinct = slices.Compact(distinct)
	for chunk := range slices.Chunk(distinct, referencesPerQuery) {
		var a args
		ph := make([]string, len(chunk))
		for i, id := range chunk {
			ph[i] = s.bind(&a, id)
		}
		rows, err := s.cachedQuery(ctx, tx, "SELECT id FROM "+table+" WHERE id IN ("+strings.Join(ph, ", ")+")", len(chunk) == referencesPerQuery, a...)
		if err != nil {
			return fmt.Errorf("storage: check %s ids: %w", what, err)
		}
		found := make(map[int64]bool, len(chunk))
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return fmt.Errorf("storage: check %s ids: %w", what, err)
			}
			found[id] = true
		}
		if err := rows.Close(); err != nil {
			return fmt.Errorf("storage: check %s ids: %w", what, err)
		}
		for _, id := range chunk {
			if !found[id] {
				return fmt.Errorf("storage: %s %d no longer exists (deleted during the ingest?)", what, id)
			}
		}
	}
	return nil
}
