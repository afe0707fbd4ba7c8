package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// leaseDue takes the due rows of an outbox table (notices, mail_outbox):
// queued and due, or sending with an ended lease (a worker that crashed
// mid-send). One UPDATE leases up to limit of them until now+lease, so no
// two workers hold one; on PostgreSQL, rows another worker is leasing
// are skipped rather than waited for. scan reads each leased row, whose
// columns are returning; what names the rows in errors.
func (s *Store) leaseDue(ctx context.Context, what, table, returning string, now time.Time, lease time.Duration, limit int, scan func(*sql.Rows) error) error {
	due := `status IN ('queued', 'sending') AND next_attempt_at <= $2`
	lock := ""
	if s.dialect.name == "postgres" {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `UPDATE `+table+` SET status = 'sending', attempts = attempts + 1, next_attempt_at = $1
			WHERE id IN (SELECT id FROM `+table+` WHERE `+due+` ORDER BY next_attempt_at, id LIMIT $3`+lock+`) AND `+due+`
			RETURNING `+returning, now.Add(lease), now, limit)
		if err != nil {
			return fmt.Errorf("storage: claim %s: %w", what, err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return fmt.Errorf("storage: claim %s: %w", what, err)
			}
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("storage: claim %s: %w", what, err)
		}
		return nil
	})
}
