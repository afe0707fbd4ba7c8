package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

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

// purgeIntakeExtras erases, with a report's reporter fields (the
// retention purge, PurgePersonalData), what intake kept beside them: the
// screenshots (their bytes too, when no evidence or other report holds
// the same file), the sender and subject of the mail it came in, and the
// address of the mails to the reporter. The observables found in a mail
// (phishing URLs, the phisher's address) stay: they are the case's, not
// the reporter's.
func (s *Store) purgeIntakeExtras(ctx context.Context, tx *sql.Tx, reportIDs []int64) error {
	for start := 0; start < len(reportIDs); start += 400 {
		part := reportIDs[start:min(start+400, len(reportIDs))]
		var a args
		ph := make([]string, len(part))
		for i, id := range part {
			ph[i] = a.add(id)
		}
		in := strings.Join(ph, ", ")
		var shas []string
		rows, err := tx.QueryContext(ctx, `DELETE FROM incident_report_files WHERE report_id IN (`+in+`) RETURNING sha256`, a...)
		if err != nil {
			return fmt.Errorf("storage: purge report files: %w", err)
		}
		for rows.Next() {
			var h string
			if err := rows.Scan(&h); err != nil {
				rows.Close()
				return fmt.Errorf("storage: purge report files: %w", err)
			}
			shas = append(shas, h)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("storage: purge report files: %w", err)
		}
		for _, h := range shas {
			if _, err := tx.ExecContext(ctx, `DELETE FROM evidence_blobs WHERE sha256 = $1
				AND NOT EXISTS (SELECT 1 FROM incident_evidence WHERE sha256 = $1)
				AND NOT EXISTS (SELECT 1 FROM incident_report_files WHERE sha256 = $1)`, h); err != nil {
				return fmt.Errorf("storage: purge report file bytes: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE incident_report_mails SET sender = '', subject = '' WHERE report_id IN (`+in+`)`, a...); err != nil {
			return fmt.Errorf("storage: purge report mails: %w", err)
		}
		for _, id := range part {
			if _, err := tx.ExecContext(ctx, `UPDATE mail_outbox SET recipient = '', data = '{}' WHERE mail_key LIKE $1`,
				"report:"+strconv.FormatInt(id, 10)+":%"); err != nil {
				return fmt.Errorf("storage: purge report mail addresses: %w", err)
			}
		}
	}
	return nil
}
