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

// LinkIncident links an incident in the actor's scope to another incident,
// an event or a finding the actor may see: one outside the scope is not
// found, exactly as if it did not exist. The same link twice is a conflict.
func (s *Store) LinkIncident(ctx context.Context, actor auth.Actor, rules incident.Rules, id int64, l incident.Link) (incident.Link, error) {
	if err := mayDo(actor, auth.WriteIncidents); err != nil {
		return l, err
	}
	l.IncidentID = id
	if err := l.Normalize(); err != nil {
		return l, err
	}
	label, err := s.linkLabel(ctx, actor.Scope, rules, l.Kind, l.TargetID)
	if err != nil {
		return l, errs.InField("target", err)
	}
	l.Label = label
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.incidentVisible(ctx, tx, actor.Scope, id); err != nil {
			return err
		}
		now := s.Now().UTC()
		err := tx.QueryRowContext(ctx, `INSERT INTO incident_links (incident_id, target_kind, target_id, note, created_at, created_by)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (incident_id, target_kind, target_id) DO NOTHING RETURNING id`,
			id, string(l.Kind), l.TargetID, l.Note, now, actorName(actor)).Scan(&l.ID)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.Field("target", "the incident is already linked to %s %s", l.Kind, label)
		}
		if err != nil {
			return fmt.Errorf("storage: link incident %d: %w", id, err)
		}
		l.CreatedAt, l.CreatedBy = now, actorName(actor)
		// The journal names the target by number only: an agency reading
		// its own case must not learn the title of another's.
		text := fmt.Sprintf("linked to %s %d", l.Kind, l.TargetID)
		if l.Note != "" {
			text += ": " + l.Note
		}
		es := []incident.Entry{{At: now, Actor: l.CreatedBy, Kind: incident.EntryLink, Text: text}}
		if err := s.insertJournal(ctx, tx, id, es); err != nil {
			return err
		}
		if l.Kind == incident.LinkIncident {
			// The other case's journal tells the same story from its side.
			if err := s.insertJournal(ctx, tx, l.TargetID, []incident.Entry{{At: now, Actor: l.CreatedBy, Kind: incident.EntryLink,
				Text: fmt.Sprintf("linked from incident %d", id)}}); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, actor, "incident.link", "incident", id, 0, nil, map[string]any{"kind": l.Kind, "target": l.TargetID})
	})
	return l, err
}

// linkLabel names a link's target as the reader may see it, or answers
// not found when the reader may not.
func (s *Store) linkLabel(ctx context.Context, sc auth.Scope, rules incident.Rules, k incident.LinkKind, target int64) (string, error) {
	switch k {
	case incident.LinkIncident:
		in, err := s.GetIncident(ctx, sc, rules, target)
		if err != nil {
			return "", err
		}
		return in.Ref + " · " + in.Title, nil
	case incident.LinkEvent:
		ev, err := s.GetEvent(ctx, sc, target)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("#%d %s/%s %s", ev.ID, ev.Taxonomy, ev.Type, ev.Feed), nil
	case incident.LinkFinding:
		f, err := s.GetFinding(ctx, sc, target)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("#%d %s %s", f.ID, f.Identifier, f.Resource), nil
	}
	return "", errs.Field("link_kind", "%q is not one of incident, event, finding", k)
}

// IncidentLinks lists what an incident sc may see is linked to, and the
// incidents that link to it, each named; links to what sc may not see are
// left out.
func (s *Store) IncidentLinks(ctx context.Context, sc auth.Scope, rules incident.Rules, id int64) ([]incident.Link, error) {
	if err := s.incidentVisible(ctx, s.db, sc, id); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, incident_id, target_kind, target_id, note, created_at, created_by FROM incident_links
		WHERE incident_id = $1 OR (target_kind = 'incident' AND target_id = $1) ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("storage: incident %d links: %w", id, err)
	}
	var all []incident.Link
	for rows.Next() {
		var l incident.Link
		var kind string
		if err := rows.Scan(&l.ID, &l.IncidentID, &kind, &l.TargetID, &l.Note, &l.CreatedAt, &l.CreatedBy); err != nil {
			rows.Close()
			return nil, fmt.Errorf("storage: incident %d links: %w", id, err)
		}
		l.Kind, l.CreatedAt = incident.LinkKind(kind), l.CreatedAt.UTC()
		if l.IncidentID != id {
			// A link from another incident: shown as a link to that one.
			l.IncidentID, l.TargetID = id, l.IncidentID
		}
		all = append(all, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: incident %d links: %w", id, err)
	}
	var out []incident.Link
	for _, l := range all {
		label, err := s.linkLabel(ctx, sc, rules, l.Kind, l.TargetID)
		if errs.Is(err, errs.NotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		l.Label = label
		out = append(out, l)
	}
	return out, nil
}
