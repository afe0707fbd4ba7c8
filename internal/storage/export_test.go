package storage

import (
	"context"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
)

// SetWALRestartFrames lets a test bound the WAL at a few frames; it
// returns a function that puts the bound back.
func SetWALRestartFrames(n int64) (restore func()) {
	old := walRestartFrames.Swap(n)
	return func() { walRestartFrames.Store(old) }
}

// ExplainListEvents returns SQLite's plan for the query of a page of
// events, one line per step.
func ExplainListEvents(ctx context.Context, s *Store, sc auth.Scope, f EventFilter, limit int) (string, error) {
	q, a, err := s.listEventsQuery(ctx, sc, f, limit)
	if err != nil {
		return "", err
	}
	rows, err := s.db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, a...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return "", err
		}
		plan = append(plan, detail)
	}
	return strings.Join(plan, "\n"), rows.Err()
}
