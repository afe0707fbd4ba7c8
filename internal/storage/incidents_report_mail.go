package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/incident"
)

// ErrDuplicateMail is returned for a mail that already made a report.
var ErrDuplicateMail = errs.E(errs.Conflict, "this mail already made a report")

// SubmitMailIntake stores a report that came to the incident mailbox,
// with the observables found in the mail and its screenshots, in one
// transaction. A mail whose Message-ID is already known stores nothing
// and answers ErrDuplicateMail: a mailbox read twice, or a crash between
// storing and marking the mail seen, makes no second report.
func (s *Store) SubmitMailIntake(ctx context.Context, r *incident.Report, m incident.MailOrigin, obs []incident.Observable, files []incident.ReportFile) (string, error) {
	if m.MessageID == "" {
		return "", errs.Field("message_id", "a mail report needs its Message-ID")
	}
	actor := auth.Actor{Name: "mailbox"}
	return s.submitIntake(ctx, actor, r, files, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO incident_report_mails (report_id, message_id, sender, subject) VALUES ($1, $2, $3, $4)
			ON CONFLICT (message_id) DO NOTHING RETURNING report_id`, r.ID, m.MessageID, m.Sender, clipText(m.Subject, 500)).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrDuplicateMail
		}
		if err != nil {
			return fmt.Errorf("storage: report mail: %w", err)
		}
		r.Extra = nil
		for _, o := range obs {
			if !o.Kind.Valid() || o.Value == "" {
				continue
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO incident_report_observables (report_id, kind, value) VALUES ($1, $2, $3)
				ON CONFLICT (report_id, kind, value) DO NOTHING`, r.ID, string(o.Kind), o.Value)
			if err != nil {
				return fmt.Errorf("storage: report observables: %w", err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				r.Extra = append(r.Extra, incident.ReportObservable{Kind: o.Kind, Value: o.Value})
			}
		}
		return nil
	})
}

// reportObservables are the observables stored with a report.
func (s *Store) reportObservables(ctx context.Context, q querier, reportID int64) ([]incident.ReportObservable, error) {
	rows, err := q.QueryContext(ctx, `SELECT kind, value FROM incident_report_observables WHERE report_id = $1 ORDER BY kind, value`, reportID)
	if err != nil {
		return nil, fmt.Errorf("storage: report %d observables: %w", reportID, err)
	}
	defer rows.Close()
	var out []incident.ReportObservable
	for rows.Next() {
		var o incident.ReportObservable
		var kind string
		if err := rows.Scan(&kind, &o.Value); err != nil {
			return nil, fmt.Errorf("storage: report %d observables: %w", reportID, err)
		}
		o.Kind = incident.Kind(kind)
		out = append(out, o)
	}
	return out, rows.Err()
}

// clipText cuts s to at most n bytes on a character boundary.
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
