package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/lookalike"
)

// Candidate is a look-alike registered domain waiting for (or after) an
// analyst's triage.
type Candidate struct {
	ID         int64              `json:"id"`
	BrandID    int64              `json:"brand_id"`
	Brand      string             `json:"brand"`
	OrgID      int64              `json:"org_id"`
	Org        string             `json:"org"`
	Registered string             `json:"registered"`
	Domain     string             `json:"domain"`
	Unicode    string             `json:"unicode"`
	Score      int                `json:"score"`
	Reasons    []lookalike.Reason `json:"reasons"`
	Status     lookalike.Status   `json:"status"`
	Seen       int                `json:"seen"`
	FirstSeen  time.Time          `json:"first_seen"`
	LastSeen   time.Time          `json:"last_seen"`
	// IncidentID is the phishing incident opened for it (0: none yet),
	// IncidentRef that incident's reference.
	IncidentID  int64  `json:"incident_id,omitempty"`
	IncidentRef string `json:"incident_ref,omitempty"`
	// Confirmation is what the active check found; nil when not checked.
	Confirmation *lookalike.Confirmation `json:"confirmation,omitempty"`
}

// candidateSelect reads candidates with their brand, organisation and
// incident reference; scanCandidate reads its rows.
const candidateSelect = `SELECT c.id, c.brand_id, b.name, c.org_id, o.short_name, c.registered, c.domain, c.unicode, c.score, c.reasons, c.status, c.seen,
		c.first_seen, c.last_seen, COALESCE(c.incident_id, 0), COALESCE(i.ref, ''), c.confirmation
		FROM lookalike_candidates c JOIN brands b ON b.id = c.brand_id JOIN orgs o ON o.id = c.org_id
		LEFT JOIN incidents i ON i.id = c.incident_id`

func scanCandidate(sc interface{ Scan(...any) error }, c *Candidate) error {
	var reasons, status, conf string
	if err := sc.Scan(&c.ID, &c.BrandID, &c.Brand, &c.OrgID, &c.Org, &c.Registered, &c.Domain, &c.Unicode, &c.Score, &reasons, &status, &c.Seen,
		&c.FirstSeen, &c.LastSeen, &c.IncidentID, &c.IncidentRef, &conf); err != nil {
		return err
	}
	json.Unmarshal([]byte(reasons), &c.Reasons)
	if conf != "" {
		c.Confirmation = &lookalike.Confirmation{}
		if err := json.Unmarshal([]byte(conf), c.Confirmation); err != nil {
			c.Confirmation = nil
		}
	}
	c.Status = lookalike.Status(status)
	c.FirstSeen, c.LastSeen = c.FirstSeen.UTC(), c.LastSeen.UTC()
	return nil
}

// GetCandidate returns one candidate of a brand in scope.
func (s *Store) GetCandidate(ctx context.Context, sc auth.Scope, id int64) (*Candidate, error) {
	var a args
	q := candidateSelect + ` WHERE c.id = ` + a.add(id) + ` AND ` + scopeCond(sc, &a, "c.org_id", "o.tlp_rank")
	var c Candidate
	if err := scanCandidate(s.db.QueryRowContext(ctx, q, a...), &c); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, errs.E(errs.NotFound, "candidate %d not found", id)
		}
		return nil, fmt.Errorf("storage: get candidate %d: %w", id, err)
	}
	return &c, nil
}

// RecordCandidates stores matches (their BrandID set) as candidates, one
// per registered domain: a domain seen again counts once more, keeps its
// triage status and the highest score with its reasons. It returns how
// many registered domains were new.
func (s *Store) RecordCandidates(ctx context.Context, ms []lookalike.Match) (int, error) {
	created := 0
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := s.Now()
		for _, m := range ms {
			reasons, _ := json.Marshal(m.Reasons)
			var seen int
			err := tx.QueryRowContext(ctx, `INSERT INTO lookalike_candidates (brand_id, org_id, registered, domain, unicode, score, reasons, status, seen, first_seen, last_seen)
				SELECT b.id, b.org_id, $2, $3, $4, $5, $6, 'new', 1, $7, $7 FROM brands b WHERE b.id = $1
				ON CONFLICT (registered) DO UPDATE SET
					seen = lookalike_candidates.seen + 1,
					last_seen = excluded.last_seen,
					domain = excluded.domain,
					unicode = excluded.unicode,
					reasons = CASE WHEN excluded.score > lookalike_candidates.score THEN excluded.reasons ELSE lookalike_candidates.reasons END,
					score = CASE WHEN excluded.score > lookalike_candidates.score THEN excluded.score ELSE lookalike_candidates.score END
				RETURNING seen`,
				m.BrandID, m.Registered, m.Domain, m.Unicode, m.Score, string(reasons), now).Scan(&seen)
			if errors.Is(err, sql.ErrNoRows) {
				continue // the brand was deleted meanwhile
			}
			if err != nil {
				return fmt.Errorf("storage: record candidate %s: %w", m.Registered, err)
			}
			if seen == 1 {
				created++
			}
		}
		return nil
	})
	return created, err
}

// CandidateFilter selects candidates; zero fields do not filter.
type CandidateFilter struct {
	Status  lookalike.Status
	BrandID int64
	After   int64 // cursor: the id of the last row of the previous page
	Limit   int   // default 100, at most 1000
}

// ListCandidates returns the candidates of brands in scope, newest first,
// and the cursor of the next page (0 on the last page).
func (s *Store) ListCandidates(ctx context.Context, sc auth.Scope, f CandidateFilter) ([]Candidate, int64, error) {
	var a args
	limit := clampLimit(f.Limit, 100, 1000)
	q := candidateSelect + `
		WHERE ` + scopeCond(sc, &a, "c.org_id", "o.tlp_rank")
	if f.Status != "" {
		q += ` AND c.status = ` + a.add(string(f.Status))
	}
	if f.BrandID != 0 {
		q += ` AND c.brand_id = ` + a.add(f.BrandID)
	}
	if f.After != 0 {
		q += ` AND c.id < ` + a.add(f.After)
	}
	q += ` ORDER BY c.id DESC LIMIT ` + a.add(limit+1)
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, 0, fmt.Errorf("storage: list candidates: %w", err)
	}
	defer rows.Close()
	var out []Candidate
	for rows.Next() {
		var c Candidate
		if err := scanCandidate(rows, &c); err != nil {
			return nil, 0, fmt.Errorf("storage: list candidates: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("storage: list candidates: %w", err)
	}
	var next int64
	if len(out) > limit {
		out = out[:limit]
		next = out[limit-1].ID
	}
	return out, next, nil
}

// SetCandidateStatus records an analyst's triage of a candidate in scope.
func (s *Store) SetCandidateStatus(ctx context.Context, actor auth.Actor, id int64, st lookalike.Status) error {
	if _, err := lookalike.ParseStatus(string(st)); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var orgID int64
		var before string
		err := tx.QueryRowContext(ctx, `SELECT org_id, status FROM lookalike_candidates WHERE id = $1`, id).Scan(&orgID, &before)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.E(errs.NotFound, "candidate %d not found", id)
		}
		if err != nil {
			return fmt.Errorf("storage: get candidate %d: %w", id, err)
		}
		if err := mayChangeOrg(ctx, tx, actor, orgID); err != nil {
			return errs.E(errs.NotFound, "candidate %d not found", id)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE lookalike_candidates SET status = $1 WHERE id = $2`, string(st), id); err != nil {
			return fmt.Errorf("storage: set candidate %d status: %w", id, err)
		}
		return s.audit(ctx, tx, actor, "candidate.status", "lookalike_candidate", id, orgID, map[string]string{"status": before}, map[string]string{"status": string(st)})
	})
}
