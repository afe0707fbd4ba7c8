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

// Seen is an observable named by a report with the number of incidents
// (that the reader may see) naming the same value: the triage queue's
// "seen in 14 other incidents".
type Seen struct {
	incident.Observable
	Incidents int
}

// CorrelateObservables counts, for each observable, the incidents in sc
// naming the same normalised value, leaving out the incident except (the
// one a triaged report went to; 0 for none). Each count is one lookup on
// the (kind, value) index.
func (s *Store) CorrelateObservables(ctx context.Context, sc auth.Scope, obs []incident.Observable, except int64) ([]Seen, error) {
	out := make([]Seen, 0, len(obs))
	for _, o := range obs {
		var a args
		scope := incidentScope(sc, &a)
		q := `SELECT COUNT(DISTINCT x.incident_id) FROM incident_observables x JOIN incidents i ON i.id = x.incident_id
			WHERE x.kind = ` + a.add(string(o.Kind)) + ` AND x.value = ` + a.add(o.Value) + ` AND x.incident_id <> ` + a.add(except) +
			` AND x.tlp_rank <= ` + a.add(sc.MaxTLPRank()) + ` AND ` + scope
		sn := Seen{Observable: o}
		if err := s.db.QueryRowContext(ctx, q, a...).Scan(&sn.Incidents); err != nil {
			return nil, fmt.Errorf("storage: correlate %s %s: %w", o.Kind, o.Value, err)
		}
		out = append(out, sn)
	}
	return out, nil
}

// TriageDuplicate settles a report as a duplicate of an earlier one: it
// follows the earlier report into its incident when that was accepted
// (the same case, now with one more reporter), and is rejected as a
// duplicate otherwise (the earlier one is waiting or was not taken up,
// and one decision covers both).
func (s *Store) TriageDuplicate(ctx context.Context, actor auth.Actor, rules incident.Rules, id, of int64) (*incident.Report, error) {
	if err := mayDo(actor, auth.TriageReports); err != nil {
		return nil, err
	}
	if of <= 0 || of == id {
		return nil, errs.Field("duplicate_of", "name the earlier report this one repeats")
	}
	var status string
	var inc sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT status, incident_id FROM incident_reports WHERE id = $1`, of).Scan(&status, &inc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.Field("duplicate_of", "report %d not found", of)
	}
	if err != nil {
		return nil, fmt.Errorf("storage: triage report %d: %w", id, err)
	}
	if incident.ReportStatus(status) == incident.ReportAccepted && inc.Valid {
		return s.TriageIntake(ctx, actor, rules, id, Triage{IncidentID: inc.Int64})
	}
	return s.TriageIntake(ctx, actor, rules, id, Triage{Reject: fmt.Sprintf("duplicate of report %d", of)})
}

// WaitingReports counts the reports waiting for triage: a number for the
// incident list's button, no personal data, so not audited. Only those
// who may read the queue get it.
func (s *Store) WaitingReports(ctx context.Context, actor auth.Actor) (int, error) {
	if err := mayReadIntake(actor); err != nil {
		return 0, err
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM incident_reports WHERE status = $1`, string(incident.ReportNew)).Scan(&n); err != nil {
		return 0, fmt.Errorf("storage: count waiting reports: %w", err)
	}
	return n, nil
}
