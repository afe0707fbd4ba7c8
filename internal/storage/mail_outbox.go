package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/notify"
)

// queueMail adds a personal mail to the outbox in the caller's
// transaction, so the mail exists exactly when the change it tells of
// does. A mail whose key is already queued is not queued again.
func (s *Store) queueMail(ctx context.Context, tx *sql.Tx, m notify.PersonalMail) error {
	if m.To == "" {
		return nil
	}
	data, _ := json.Marshal(m.Data)
	now := s.Now().UTC()
	if _, err := tx.ExecContext(ctx, `INSERT INTO mail_outbox (mail_key, kind, recipient, language, data, status, next_attempt_at, created_at)
		VALUES ($1, $2, $3, $4, $5, 'queued', $6, $6) ON CONFLICT (mail_key) DO NOTHING`,
		m.Key, string(m.Kind), m.To, m.Language, string(data), now); err != nil {
		return fmt.Errorf("storage: queue mail %s: %w", m.Key, err)
	}
	return nil
}

// mailReceived queues the reporter's receipt with the tracking code,
// when they gave an address.
func (s *Store) mailReceived(ctx context.Context, tx *sql.Tx, r *incident.Report, code string) error {
	return s.queueMail(ctx, tx, notify.PersonalMail{Key: "report:" + strconv.FormatInt(r.ID, 10) + ":received", Kind: notify.ReportReceived,
		To: r.ReporterEmail, Language: r.Language, Data: map[string]string{"code": code, "category": string(r.Category)}})
}

// mailReportStatus queues, for each report of an incident (or the one
// report reportID, when not 0) whose reporter gave an address, a mail
// saying its public status, once per status: a reporter hears when the
// report is taken up, handled or not taken up, and not of the case's
// inner moves.
func (s *Store) mailReportStatus(ctx context.Context, tx *sql.Tx, incidentID, reportID int64) error {
	q := `SELECT r.id, r.status, r.reporter_email, r.language, r.received_at, COALESCE(i.status, '') FROM incident_reports r
		LEFT JOIN incidents i ON i.id = r.incident_id WHERE r.reporter_email <> '' AND `
	arg := incidentID
	if reportID != 0 {
		q, arg = q+`r.id = $1`, reportID
	} else {
		q += `r.incident_id = $1`
	}
	rows, err := tx.QueryContext(ctx, q, arg)
	if err != nil {
		return fmt.Errorf("storage: reporters to tell: %w", err)
	}
	var ms []notify.PersonalMail
	for rows.Next() {
		var id int64
		var status, to, lang, inc string
		var received time.Time
		if err := rows.Scan(&id, &status, &to, &lang, &received, &inc); err != nil {
			rows.Close()
			return fmt.Errorf("storage: reporters to tell: %w", err)
		}
		pub := incident.PublicStatus(incident.ReportStatus(status), incident.Status(inc))
		if pub == "received" {
			continue
		}
		ms = append(ms, notify.PersonalMail{Key: "report:" + strconv.FormatInt(id, 10) + ":" + pub, Kind: notify.ReportStatus, To: to, Language: lang,
			Data: map[string]string{"status": pub, "received": received.UTC().Format("2006-01-02")}})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("storage: reporters to tell: %w", err)
	}
	for _, m := range ms {
		if err := s.queueMail(ctx, tx, m); err != nil {
			return err
		}
	}
	return nil
}

// mailAssignee queues a mail to the user an incident was just given to,
// when they have an address and did not give it to themselves.
func (s *Store) mailAssignee(ctx context.Context, tx *sql.Tx, in *incident.Incident, by string) error {
	if in.Assignee == "" || in.Assignee == by {
		return nil
	}
	var email, lang string
	err := tx.QueryRowContext(ctx, `SELECT email, language FROM users WHERE name = $1`, in.Assignee).Scan(&email, &lang)
	if errors.Is(err, sql.ErrNoRows) || email == "" {
		return nil
	}
	if err != nil {
		return fmt.Errorf("storage: assignee of %s: %w", in.Ref, err)
	}
	due := ""
	if !in.DueAt.IsZero() {
		due = in.DueAt.UTC().Format("2006-01-02 15:04 UTC")
	}
	return s.queueMail(ctx, tx, notify.PersonalMail{
		Key:  fmt.Sprintf("incident:%d:assigned:%s:%d", in.ID, in.Assignee, s.Now().UnixNano()),
		Kind: notify.IncidentAssigned, To: email, Language: lang,
		Data: map[string]string{"id": strconv.FormatInt(in.ID, 10), "ref": in.Ref, "title": in.Title, "severity": in.Severity.String(), "due": due, "by": by}})
}

// mailOnChange queues what a change of an incident tells people: its
// reporters of a new public status, a new assignee of the assignment.
func (s *Store) mailOnChange(ctx context.Context, tx *sql.Tx, before, after *incident.Incident, by string) error {
	if before.Status != after.Status {
		if err := s.mailReportStatus(ctx, tx, after.ID, 0); err != nil {
			return err
		}
	}
	if before.Assignee != after.Assignee {
		return s.mailAssignee(ctx, tx, after, by)
	}
	return nil
}

// ClaimMail implements notify.MailQueue like ClaimNotices: one UPDATE
// leases the due mails, so two workers never hold one.
func (s *Store) ClaimMail(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]notify.PersonalMail, error) {
	var out []notify.PersonalMail
	err := s.leaseDue(ctx, "mail", "mail_outbox", "id, mail_key, kind, recipient, language, data, attempts, created_at", now, lease, limit, func(rows *sql.Rows) error {
		var m notify.PersonalMail
		var kind, data string
		if err := rows.Scan(&m.ID, &m.Key, &kind, &m.To, &m.Language, &data, &m.Attempts, &m.CreatedAt); err != nil {
			return err
		}
		m.Kind, m.CreatedAt = notify.MailKind(kind), m.CreatedAt.UTC()
		if err := json.Unmarshal([]byte(data), &m.Data); err != nil {
			return fmt.Errorf("mail %d: %w", m.ID, err)
		}
		out = append(out, m)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// MarkMailSent implements notify.MailQueue. The data goes: it may hold a
// tracking code, which must not outlive its delivery in our database.
func (s *Store) MarkMailSent(ctx context.Context, id int64, messageID string, at time.Time) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE mail_outbox SET status = 'sent', sent_at = $1, message_id = $2, last_error = '', data = '{}' WHERE id = $3`,
		at, messageID, id); err != nil {
		return fmt.Errorf("storage: mark mail %d sent: %w", id, err)
	}
	return nil
}

// RetryMail implements notify.MailQueue: queued again until next, or
// failed for good (its data forgotten) when next is zero.
func (s *Store) RetryMail(ctx context.Context, id int64, lastError string, next time.Time) error {
	if len(lastError) > 2000 {
		lastError = lastError[:2000]
	}
	q := `UPDATE mail_outbox SET status = 'queued', next_attempt_at = $1, last_error = $2 WHERE id = $3`
	at := next
	if next.IsZero() {
		q, at = `UPDATE mail_outbox SET status = 'failed', next_attempt_at = $1, last_error = $2, data = '{}' WHERE id = $3`, s.Now()
	}
	if _, err := s.db.ExecContext(ctx, q, at, lastError, id); err != nil {
		return fmt.Errorf("storage: retry mail %d: %w", id, err)
	}
	return nil
}

// MailCounts counts the outbox's mails by status, for the health of the
// queue (and tests).
func (s *Store) MailCounts(ctx context.Context) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT status, COUNT(*) FROM mail_outbox GROUP BY status`)
	if err != nil {
		return nil, fmt.Errorf("storage: mail counts: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("storage: mail counts: %w", err)
		}
		out[st] = n
	}
	return out, rows.Err()
}

var _ notify.MailQueue = (*Store)(nil)
