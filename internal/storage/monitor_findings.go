package storage

import (
	"context"
	"database/sql"
	"slices"

	"github.com/qalxan/qalxan/internal/finding"
)

// CloseVerifiedFindings closes the findings of keys that their owner
// marked resolved: a monitoring re-check has just passed, which is the
// verification the lifecycle waits for (no quiet period needed: the
// monitor looked itself). Other statuses are left alone — a passing check
// does not close what nobody said was fixed; the quiet-period sweep and
// people do that. It returns how many it closed.
func (s *Store) CloseVerifiedFindings(ctx context.Context, keys []finding.Key, reason string) (int, error) {
	closed := 0
	for chunk := range slices.Chunk(keys, findingsPerStatement) {
		n := 0
		err := s.tx(ctx, func(tx *sql.Tx) error {
			n = 0
			known, err := s.findingsByKey(ctx, tx, chunk)
			if err != nil {
				return err
			}
			now := s.Now().UTC()
			var changes []finding.Change
			for _, f := range known {
				if f.Status != finding.Resolved {
					continue
				}
				ch, err := finding.Move(f, finding.Action{To: finding.Closed, Actor: finding.SystemActor, Reason: reason}, now)
				if err != nil {
					return err
				}
				if err := s.updateFinding(ctx, tx, f, now); err != nil {
					return err
				}
				changes = append(changes, ch)
			}
			n = len(changes)
			return s.insertChanges(ctx, tx, changes)
		})
		if err != nil {
			return closed, err
		}
		closed += n
	}
	return closed, nil
}
