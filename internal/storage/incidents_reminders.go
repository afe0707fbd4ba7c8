package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/notify"
)

// TakedownReminder is one overdue take-down request that was just chased:
// written in its incident's journal, and mailed to the assignee (through
// the outbox) when they have an address.
type TakedownReminder struct {
	Takedown    incident.Takedown
	IncidentRef string
	Assignee    string // "" when nobody has the case
}

// RemindTakedowns finds the requests sent at least every ago that the
// provider has not acknowledged, done or refused, and not chased within
// every either, and writes one reminder in each incident's journal. Each
// request is claimed by an UPDATE that re-checks the condition, so several
// serve nodes running the loop write one reminder, not one each.
func (s *Store) RemindTakedowns(ctx context.Context, every time.Duration) ([]TakedownReminder, error) {
	now := s.Now().UTC()
	cut := now.Add(-every)
	due, err := s.queryTakedowns(ctx, `SELECT `+takedownColumns+` FROM incident_takedowns WHERE status = 'sent' AND sent_at < $1
		AND (reminded_at IS NULL OR reminded_at < $1) ORDER BY sent_at LIMIT 500`, cut)
	if err != nil {
		return nil, err
	}
	var out []TakedownReminder
	for _, t := range due {
		var rm TakedownReminder
		claimed := false
		err := s.tx(ctx, func(tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, `UPDATE incident_takedowns SET reminded_at = $1 WHERE id = $2 AND status = 'sent' AND sent_at < $3
				AND (reminded_at IS NULL OR reminded_at < $3)`, now, t.ID, cut)
			if err != nil {
				return fmt.Errorf("storage: remind take-down %d: %w", t.ID, err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil // another node did it, or it moved on
			}
			claimed = true
			rm.Takedown = t
			if err := tx.QueryRowContext(ctx, `SELECT ref, assignee FROM incidents WHERE id = $1`, t.IncidentID).Scan(&rm.IncidentRef, &rm.Assignee); err != nil {
				return fmt.Errorf("storage: remind take-down %d: %w", t.ID, err)
			}
			text := fmt.Sprintf("reminder: take-down request %d to %s for %s has had no answer since %s (%s)", t.ID, t.Provider, t.Subject,
				t.SentAt.Format(time.RFC3339), now.Sub(t.SentAt).Round(time.Hour))
			if err := s.insertJournal(ctx, tx, t.IncidentID, []incident.Entry{{At: now, Actor: actorName(auth.System), Kind: incident.EntryLink, Text: text}}); err != nil {
				return err
			}
			if err := s.mailTakedownOverdue(ctx, tx, rm, now); err != nil {
				return err
			}
			return s.audit(ctx, tx, auth.System, "incident.takedown_remind", "incident", t.IncidentID, 0, nil, map[string]any{"takedown": t.ID})
		})
		if err != nil {
			return out, err
		}
		if claimed {
			out = append(out, rm)
		}
	}
	return out, nil
}

// mailTakedownOverdue queues the reminder to the incident's assignee, in
// their language, when they have an address: one mail per reminder.
func (s *Store) mailTakedownOverdue(ctx context.Context, tx *sql.Tx, rm TakedownReminder, now time.Time) error {
	if rm.Assignee == "" {
		return nil
	}
	var email, lang string
	err := tx.QueryRowContext(ctx, `SELECT email, language FROM users WHERE name = $1 AND NOT disabled`, rm.Assignee).Scan(&email, &lang)
	if errors.Is(err, sql.ErrNoRows) || email == "" {
		return nil
	}
	if err != nil {
		return fmt.Errorf("storage: assignee of %s: %w", rm.IncidentRef, err)
	}
	t := rm.Takedown
	return s.queueMail(ctx, tx, notify.PersonalMail{
		Key:  fmt.Sprintf("takedown:%d:overdue:%d", t.ID, now.Unix()),
		Kind: notify.TakedownOverdue, To: email, Language: lang,
		Data: map[string]string{"id": strconv.FormatInt(t.IncidentID, 10), "ref": rm.IncidentRef, "takedown": strconv.FormatInt(t.ID, 10),
			"provider": t.Provider, "subject": t.Subject, "sent": t.SentAt.UTC().Format("2006-01-02 15:04 UTC")}})
}
