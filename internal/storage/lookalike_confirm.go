package storage

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/lookalike"
)

// SetCandidateConfirmation records what the active check of a candidate
// found (replacing an earlier check's).
func (s *Store) SetCandidateConfirmation(ctx context.Context, id int64, c lookalike.Confirmation) error {
	b, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("storage: candidate %d confirmation: %w", id, err)
	}
	res, err := s.db.ExecContext(ctx, `UPDATE lookalike_candidates SET confirmation = $1, checked_at = $2 WHERE id = $3`, string(b), c.CheckedAt.UTC(), id)
	if err != nil {
		return fmt.Errorf("storage: candidate %d confirmation: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.NotFound, "candidate %d not found", id)
	}
	return nil
}

// CandidatesToConfirm returns up to limit candidates never checked, the
// oldest first; dismissed ones are not checked.
func (s *Store) CandidatesToConfirm(ctx context.Context, limit int) ([]int64, error) {
	var ids []int64
	err := queryInts(ctx, s.db, &ids, `SELECT id FROM lookalike_candidates WHERE checked_at IS NULL AND status <> 'dismissed' ORDER BY id LIMIT $1`, limit)
	return ids, err
}
