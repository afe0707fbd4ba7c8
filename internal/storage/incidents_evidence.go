package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/incident"
)

// mayReadEvidence refuses scopes limited by TLP: evidence files carry no
// label of their own (a screenshot may show anyone's card), so a partner
// sees the case but not its files.
func mayReadEvidence(sc auth.Scope) error {
	if sc.MaxTLP != "" {
		return errs.E(errs.Forbidden, "evidence files are not shared with partners")
	}
	return nil
}

// AddEvidence stores data as evidence of an incident in the actor's scope:
// the bytes once per SHA-256, the attachment with its checked name and
// sniffed type, and the first line of its chain of custody. The same file
// on the same incident twice is a conflict.
func (s *Store) AddEvidence(ctx context.Context, actor auth.Actor, id int64, ev incident.Evidence, data []byte) (incident.Evidence, error) {
	if err := mayDo(actor, auth.WriteIncidents); err != nil {
		return ev, err
	}
	if int64(len(data)) != ev.Size {
		return ev, errs.Field("file", "the file's size does not match")
	}
	sum := sha256.Sum256(data)
	ev.SHA256, ev.IncidentID, ev.Note = hex.EncodeToString(sum[:]), id, strings.TrimSpace(ev.Note)
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.incidentVisible(ctx, tx, actor.Scope, id); err != nil {
			return err
		}
		now := s.Now().UTC()
		if _, err := tx.ExecContext(ctx, `INSERT INTO evidence_blobs (sha256, size, data) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING`,
			ev.SHA256, ev.Size, data); err != nil {
			return fmt.Errorf("storage: store evidence: %w", err)
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO incident_evidence (incident_id, sha256, name, size, media_type, note, added_at, added_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (incident_id, sha256) DO NOTHING RETURNING id`,
			id, ev.SHA256, ev.Name, ev.Size, ev.MediaType, ev.Note, now, actorName(actor)).Scan(&ev.ID)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.E(errs.Conflict, "the incident already has this file (SHA-256 %s)", ev.SHA256)
		}
		if err != nil {
			return fmt.Errorf("storage: attach evidence: %w", err)
		}
		ev.AddedAt, ev.AddedBy = now, actorName(actor)
		if err := s.custody(ctx, tx, ev.ID, actor, incident.CustodyAdded); err != nil {
			return err
		}
		if err := s.insertJournal(ctx, tx, id, []incident.Entry{{At: now, Actor: ev.AddedBy, Kind: incident.EntryNote,
			Text: fmt.Sprintf("evidence added: %s (%s, %d bytes, SHA-256 %s)", ev.Name, ev.MediaType, ev.Size, ev.SHA256)}}); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "incident.evidence_add", "incident", id, 0, nil,
			map[string]any{"sha256": ev.SHA256, "name": ev.Name, "size": ev.Size, "media_type": ev.MediaType})
	})
	return ev, err
}

func (s *Store) custody(ctx context.Context, tx *sql.Tx, evID int64, actor auth.Actor, action string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO evidence_custody (evidence_id, at, actor, action, detail) VALUES ($1, $2, $3, $4, $5)`,
		evID, s.Now().UTC(), actorName(actor), action, actor.IP); err != nil {
		return fmt.Errorf("storage: evidence custody: %w", err)
	}
	return nil
}

const evidenceColumns = `id, incident_id, sha256, name, size, media_type, note, added_at, added_by`

func scanEvidence(row interface{ Scan(...any) error }) (incident.Evidence, error) {
	var e incident.Evidence
	err := row.Scan(&e.ID, &e.IncidentID, &e.SHA256, &e.Name, &e.Size, &e.MediaType, &e.Note, &e.AddedAt, &e.AddedBy)
	e.AddedAt = e.AddedAt.UTC()
	return e, err
}

// IncidentEvidence lists the evidence files of an incident sc may see.
func (s *Store) IncidentEvidence(ctx context.Context, sc auth.Scope, id int64) ([]incident.Evidence, error) {
	if err := s.incidentVisible(ctx, s.db, sc, id); err != nil {
		return nil, err
	}
	if err := mayReadEvidence(sc); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+evidenceColumns+` FROM incident_evidence WHERE incident_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("storage: incident %d evidence: %w", id, err)
	}
	defer rows.Close()
	var out []incident.Evidence
	for rows.Next() {
		e, err := scanEvidence(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: incident %d evidence: %w", id, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// OpenEvidence returns an evidence file and its bytes, and records in its
// chain of custody and the audit log that the actor exported it.
func (s *Store) OpenEvidence(ctx context.Context, actor auth.Actor, id, evID int64) (incident.Evidence, []byte, error) {
	var ev incident.Evidence
	var data []byte
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.incidentVisible(ctx, tx, actor.Scope, id); err != nil {
			return err
		}
		if err := mayReadEvidence(actor.Scope); err != nil {
			return err
		}
		var err error
		ev, err = scanEvidence(tx.QueryRowContext(ctx, `SELECT `+evidenceColumns+` FROM incident_evidence WHERE id = $1 AND incident_id = $2`, evID, id))
		if errors.Is(err, sql.ErrNoRows) {
			return errs.E(errs.NotFound, "evidence %d not found", evID)
		}
		if err != nil {
			return fmt.Errorf("storage: evidence %d: %w", evID, err)
		}
		if err := tx.QueryRowContext(ctx, `SELECT data FROM evidence_blobs WHERE sha256 = $1`, ev.SHA256).Scan(&data); err != nil {
			return fmt.Errorf("storage: evidence %d: %w", evID, err)
		}
		if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != ev.SHA256 {
			return fmt.Errorf("storage: evidence %d: the stored bytes no longer match their SHA-256", evID)
		}
		if err := s.custody(ctx, tx, ev.ID, actor, incident.CustodyExported); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "incident.evidence_export", "incident", id, 0, nil, map[string]any{"evidence_id": ev.ID, "sha256": ev.SHA256})
	})
	return ev, data, err
}

// EvidenceCustody is an evidence file's chain of custody, oldest first.
func (s *Store) EvidenceCustody(ctx context.Context, sc auth.Scope, id, evID int64) ([]incident.CustodyEntry, error) {
	if err := s.incidentVisible(ctx, s.db, sc, id); err != nil {
		return nil, err
	}
	if err := mayReadEvidence(sc); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT c.id, c.evidence_id, c.at, c.actor, c.action, c.detail FROM evidence_custody c
		JOIN incident_evidence e ON e.id = c.evidence_id WHERE c.evidence_id = $1 AND e.incident_id = $2 ORDER BY c.id`, evID, id)
	if err != nil {
		return nil, fmt.Errorf("storage: evidence %d custody: %w", evID, err)
	}
	defer rows.Close()
	var out []incident.CustodyEntry
	for rows.Next() {
		var c incident.CustodyEntry
		if err := rows.Scan(&c.ID, &c.EvidenceID, &c.At, &c.Actor, &c.Action, &c.Detail); err != nil {
			return nil, fmt.Errorf("storage: evidence %d custody: %w", evID, err)
		}
		c.At = c.At.UTC()
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, errs.E(errs.NotFound, "evidence %d not found", evID)
	}
	return out, rows.Err()
}
