package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/incident"
)

const takedownColumns = `id, incident_id, target_kind, provider, contact, subject, language, body, status, reason, created_at, sent_at, done_at, remind_at`

func scanTakedown(row interface{ Scan(...any) error }) (incident.Takedown, error) {
	var t incident.Takedown
	var kind, status string
	var sent, done, remind sql.NullTime
	if err := row.Scan(&t.ID, &t.IncidentID, &kind, &t.Provider, &t.Contact, &t.Subject, &t.Language, &t.Body, &status, &t.Reason,
		&t.CreatedAt, &sent, &done, &remind); err != nil {
		return t, err
	}
	t.TargetKind, t.Status, t.CreatedAt = incident.TargetKind(kind), incident.TakedownStatus(status), t.CreatedAt.UTC()
	for _, x := range []struct {
		src sql.NullTime
		dst *time.Time
	}{{sent, &t.SentAt}, {done, &t.DoneAt}, {remind, &t.RemindAt}} {
		if x.src.Valid {
			*x.dst = x.src.Time.UTC()
		}
	}
	return t, nil
}

// CreateTakedown drafts a take-down request for an incident in the
// actor's scope, its text from the template of its kind and language
// unless one is given.
func (s *Store) CreateTakedown(ctx context.Context, actor auth.Actor, rules incident.Rules, id int64, t incident.Takedown) (incident.Takedown, error) {
	if err := mayDo(actor, auth.WriteIncidents); err != nil {
		return t, err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		in, err := s.getIncident(ctx, tx, actor.Scope, rules.Policy, id, "")
		if err != nil {
			return err
		}
		if err := t.Normalize(in.Ref); err != nil {
			return err
		}
		now := s.Now().UTC()
		t.IncidentID, t.CreatedAt = id, now
		if err := tx.QueryRowContext(ctx, `INSERT INTO incident_takedowns (incident_id, target_kind, provider, contact, subject, language, body, status, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, id, string(t.TargetKind), t.Provider, t.Contact, t.Subject, t.Language, t.Body,
			string(t.Status), now).Scan(&t.ID); err != nil {
			return fmt.Errorf("storage: create take-down: %w", err)
		}
		if err := s.insertJournal(ctx, tx, id, []incident.Entry{{At: now, Actor: actorName(actor), Kind: incident.EntryLink,
			Text: fmt.Sprintf("take-down request %d drafted to %s (%s) for %s", t.ID, t.Provider, t.TargetKind, t.Subject)}}); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "incident.takedown_create", "incident", id, 0, nil, map[string]any{"takedown": t.ID, "provider": t.Provider, "subject": t.Subject})
	})
	return t, err
}

// MoveTakedown moves a take-down request (incident.MoveTakedown) of an
// incident in the actor's scope, with a journal entry and an audit record.
func (s *Store) MoveTakedown(ctx context.Context, actor auth.Actor, tdID int64, to incident.TakedownStatus, reason string) (incident.Takedown, error) {
	if err := mayDo(actor, auth.WriteIncidents); err != nil {
		return incident.Takedown{}, err
	}
	var t incident.Takedown
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		t, err = scanTakedown(tx.QueryRowContext(ctx, `SELECT `+takedownColumns+` FROM incident_takedowns WHERE id = $1`+s.dialect.forUpdate("incident_takedowns"), tdID))
		if errors.Is(err, sql.ErrNoRows) {
			return errs.E(errs.NotFound, "take-down %d not found", tdID)
		}
		if err != nil {
			return fmt.Errorf("storage: take-down %d: %w", tdID, err)
		}
		if err := s.incidentVisible(ctx, tx, actor.Scope, t.IncidentID); err != nil {
			return errs.E(errs.NotFound, "take-down %d not found", tdID)
		}
		from, now := t.Status, s.Now().UTC()
		if err := incident.MoveTakedown(&t, to, reason, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE incident_takedowns SET status = $1, reason = $2, sent_at = $3, done_at = $4, remind_at = $5 WHERE id = $6`,
			string(t.Status), t.Reason, nullTime(t.SentAt), nullTime(t.DoneAt), nullTime(t.RemindAt), t.ID); err != nil {
			return fmt.Errorf("storage: take-down %d: %w", tdID, err)
		}
		text := fmt.Sprintf("take-down request %d to %s: %s → %s", t.ID, t.Provider, from, t.Status)
		if d := t.TimeToTakeDown(); d > 0 {
			text += fmt.Sprintf(" (taken down %s after sending)", d.Round(time.Minute))
		}
		if t.Reason != "" {
			text += ": " + t.Reason
		}
		if err := s.insertJournal(ctx, tx, t.IncidentID, []incident.Entry{{At: now, Actor: actorName(actor), Kind: incident.EntryLink, Text: text}}); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "incident.takedown_transition", "incident", t.IncidentID, 0, map[string]any{"takedown": t.ID, "status": from},
			map[string]any{"takedown": t.ID, "status": t.Status, "reason": t.Reason})
	})
	return t, err
}

// IncidentTakedowns lists the take-down requests of an incident sc may see.
func (s *Store) IncidentTakedowns(ctx context.Context, sc auth.Scope, id int64) ([]incident.Takedown, error) {
	if err := s.incidentVisible(ctx, s.db, sc, id); err != nil {
		return nil, err
	}
	return s.queryTakedowns(ctx, `SELECT `+takedownColumns+` FROM incident_takedowns WHERE incident_id = $1 ORDER BY id`, id)
}

// OverdueTakedowns lists the requests sent or acknowledged whose reminder
// is due at now: the providers to chase.
func (s *Store) OverdueTakedowns(ctx context.Context, now time.Time) ([]incident.Takedown, error) {
	return s.queryTakedowns(ctx, `SELECT `+takedownColumns+` FROM incident_takedowns WHERE remind_at IS NOT NULL AND remind_at < $1
		AND status IN ('sent', 'acknowledged') ORDER BY remind_at`, now.UTC())
}

func (s *Store) queryTakedowns(ctx context.Context, q string, args ...any) ([]incident.Takedown, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("storage: take-downs: %w", err)
	}
	defer rows.Close()
	var out []incident.Takedown
	for rows.Next() {
		t, err := scanTakedown(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: take-downs: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
