package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/lookalike"
)

// errLostRace: another node linked the candidate to an incident between
// our read and our write; the transaction is rolled back and read again.
var errLostRace = errors.New("storage: candidate linked meanwhile")

// OpenCandidateIncident gives a candidate in the actor's scope its
// phishing incident: the one it has, else an open incident that already
// names the registered domain (opened from a citizen's report, say), else
// a new one — fraud/phishing, affecting the brand's organisation, the
// domain as an observable, the score and its reasons in the description.
// So there is one incident per registered domain however often it is
// seen. created says whether a new incident was opened.
func (s *Store) OpenCandidateIncident(ctx context.Context, actor auth.Actor, rules incident.Rules, id int64) (in incident.Incident, created bool, err error) {
	if err := mayDo(actor, auth.WriteIncidents); err != nil {
		return in, false, err
	}
	for range 3 {
		created = false
		err = s.tx(ctx, func(tx *sql.Tx) error {
			c, err := s.candidateForUpdate(ctx, tx, actor, id)
			if err != nil {
				return err
			}
			incID := c.IncidentID
			if incID == 0 {
				incID, err = openIncidentNaming(ctx, tx, c.Registered)
				if err != nil {
					return err
				}
			}
			if incID == 0 {
				in, err = s.createIncident(ctx, tx, actor, rules, candidateIncident(c))
				if err != nil {
					return err
				}
				incID, created = in.ID, true
			}
			if c.IncidentID == incID {
				got, err := s.getIncident(ctx, tx, auth.Everything, rules.Policy, incID, "")
				if err != nil {
					return err
				}
				in = *got
				return nil
			}
			res, err := tx.ExecContext(ctx, `UPDATE lookalike_candidates SET incident_id = $1 WHERE id = $2 AND incident_id IS NULL`, incID, id)
			if err != nil {
				return fmt.Errorf("storage: link candidate %d: %w", id, err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return errLostRace
			}
			if !created {
				got, err := s.getIncident(ctx, tx, auth.Everything, rules.Policy, incID, "")
				if err != nil {
					return err
				}
				in = *got
			}
			return s.audit(ctx, tx, actor, "candidate.incident", "lookalike_candidate", id, c.OrgID, nil, map[string]any{"incident": in.Ref, "created": created})
		})
		if !errors.Is(err, errLostRace) {
			return in, created, err
		}
	}
	return in, false, err
}

// candidateForUpdate reads a candidate the actor may change, locked
// where the database locks rows.
func (s *Store) candidateForUpdate(ctx context.Context, tx *sql.Tx, actor auth.Actor, id int64) (*Candidate, error) {
	var c Candidate
	err := scanCandidate(tx.QueryRowContext(ctx, candidateSelect+` WHERE c.id = $1`+s.dialect.forUpdate("c"), id), &c)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "candidate %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("storage: get candidate %d: %w", id, err)
	}
	if err := mayChangeOrg(ctx, tx, actor, c.OrgID); err != nil {
		return nil, errs.E(errs.NotFound, "candidate %d not found", id)
	}
	return &c, nil
}

// openIncidentNaming is the oldest open incident with the domain among its
// observables, or 0.
func openIncidentNaming(ctx context.Context, tx *sql.Tx, domain string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT i.id FROM incident_observables ob JOIN incidents i ON i.id = ob.incident_id
		WHERE ob.kind = $1 AND ob.value = $2 AND i.status IN ($3, $4, $5, $6) ORDER BY i.id LIMIT 1`,
		string(incident.KindDomain), domain, string(incident.New), string(incident.Triage), string(incident.InProgress), string(incident.Contained)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("storage: incidents naming %s: %w", domain, err)
	}
	return id, nil
}

// candidateIncident is the new incident about c.
func candidateIncident(c *Candidate) NewIncident {
	sg := lookalike.Sighting{Brand: c.Brand, Org: c.Org, Registered: c.Registered, Domain: c.Domain, Unicode: c.Unicode,
		Score: c.Score, Reasons: c.Reasons, Seen: c.Seen, FirstSeen: c.FirstSeen, LastSeen: c.LastSeen}
	note := fmt.Sprintf("look-alike of %s, score %d", c.Brand, c.Score)
	obs := []incident.Observable{{Kind: incident.KindDomain, Value: c.Registered, Note: note}}
	if c.Domain != c.Registered {
		obs = append(obs, incident.Observable{Kind: incident.KindDomain, Value: c.Domain, Note: "host name seen"})
	}
	return NewIncident{
		Incident: incident.Incident{
			Title:          sg.IncidentTitle(),
			Description:    sg.IncidentDescription(),
			Classification: incident.Classification{Type: lookalike.IncidentType, Identifier: lookalike.IncidentIdentifier},
			Tags:           []string{lookalike.IncidentTag},
			OrgIDs:         []int64{c.OrgID},
		},
		Observables: obs,
	}
}

// OpenCandidateIncidents opens, as the system, the incidents of the
// candidates of these registered domains that score at least minScore
// and have none yet (a dismissed one stays without). It returns how many
// it opened.
func (s *Store) OpenCandidateIncidents(ctx context.Context, rules incident.Rules, registered []string, minScore int) (int, error) {
	opened := 0
	for start := 0; start < len(registered); start += 500 {
		chunk := registered[start:min(start+500, len(registered))]
		var a args
		q := `SELECT id FROM lookalike_candidates WHERE incident_id IS NULL AND status <> 'dismissed' AND score >= ` + a.add(minScore) + ` AND registered IN (`
		for i, r := range chunk {
			if i > 0 {
				q += ", "
			}
			q += a.add(r)
		}
		var ids []int64
		if err := queryInts(ctx, s.db, &ids, q+`) ORDER BY id`, a...); err != nil {
			return opened, err
		}
		for _, id := range ids {
			_, created, err := s.OpenCandidateIncident(ctx, auth.System, rules, id)
			if err != nil {
				return opened, fmt.Errorf("storage: incident of candidate %d: %w", id, err)
			}
			if created {
				opened++
			}
		}
	}
	return opened, nil
}
