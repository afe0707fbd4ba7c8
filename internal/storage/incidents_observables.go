package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/tlp"
)

// insertObservable adds a normalised observable; false when the incident
// already had it.
func (s *Store) insertObservable(ctx context.Context, tx *sql.Tx, o *incident.Observable, by string, now time.Time) (bool, error) {
	err := tx.QueryRowContext(ctx, `INSERT INTO incident_observables (incident_id, kind, value, tlp, tlp_rank, note, created_at, created_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (incident_id, kind, value) DO NOTHING RETURNING id`,
		o.IncidentID, string(o.Kind), o.Value, string(o.TLP), o.TLP.Rank(), o.Note, now, by).Scan(&o.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("storage: incident %d observable: %w", o.IncidentID, err)
	}
	o.CreatedAt, o.CreatedBy = now, by
	return true, nil
}

// IncidentObservables lists the observables of an incident sc may see
// (only those whose own TLP the scope allows), each with the number of
// other incidents sc may see that name the same value.
func (s *Store) IncidentObservables(ctx context.Context, sc auth.Scope, id int64) ([]incident.Observable, error) {
	if err := s.incidentVisible(ctx, s.db, sc, id); err != nil {
		return nil, err
	}
	var a args
	scope := incidentScope(sc, &a)
	rows, err := s.db.QueryContext(ctx, `SELECT o.id, o.incident_id, o.kind, o.value, o.tlp, o.note, o.created_at, o.created_by,
		(SELECT COUNT(DISTINCT x.incident_id) FROM incident_observables x JOIN incidents i ON i.id = x.incident_id
		 WHERE x.kind = o.kind AND x.value = o.value AND x.incident_id <> o.incident_id AND x.tlp_rank <= `+a.add(sc.MaxTLPRank())+` AND `+scope+`)
		FROM incident_observables o WHERE o.incident_id = `+a.add(id)+` AND o.tlp_rank <= `+a.add(sc.MaxTLPRank())+` ORDER BY o.kind, o.value`, a...)
	if err != nil {
		return nil, fmt.Errorf("storage: incident %d observables: %w", id, err)
	}
	defer rows.Close()
	var out []incident.Observable
	for rows.Next() {
		var o incident.Observable
		var kind, label string
		if err := rows.Scan(&o.ID, &o.IncidentID, &kind, &o.Value, &label, &o.Note, &o.CreatedAt, &o.CreatedBy, &o.Elsewhere); err != nil {
			return nil, fmt.Errorf("storage: incident %d observables: %w", id, err)
		}
		o.Kind, o.TLP, o.CreatedAt = incident.Kind(kind), tlp.Label(label), o.CreatedAt.UTC()
		out = append(out, o)
	}
	return out, rows.Err()
}

// AddIncidentObservable normalises and adds an observable to an incident
// in the actor's scope; one already there is a conflict.
func (s *Store) AddIncidentObservable(ctx context.Context, actor auth.Actor, rules incident.Rules, id int64, o incident.Observable) (incident.Observable, error) {
	if err := mayDo(actor, auth.WriteIncidents); err != nil {
		return o, err
	}
	if err := o.Normalize(rules.Region); err != nil {
		return o, err
	}
	o.IncidentID = id
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.incidentVisible(ctx, tx, actor.Scope, id); err != nil {
			return err
		}
		now := s.Now().UTC()
		added, err := s.insertObservable(ctx, tx, &o, actorName(actor), now)
		if err != nil {
			return err
		}
		if !added {
			return errs.E(errs.Conflict, "the incident already has %s %s", o.Kind, o.Value)
		}
		if err := s.insertJournal(ctx, tx, id, []incident.Entry{{At: now, Actor: actorName(actor), Kind: incident.EntryObservable,
			Text: fmt.Sprintf("added %s %s (%s)", o.Kind, o.Value, o.TLP)}}); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "incident.observable_add", "incident", id, 0, nil, map[string]any{"kind": o.Kind, "value": o.Value, "tlp": o.TLP})
	})
	if err != nil {
		return o, err
	}
	var a args
	scope := incidentScope(actor.Scope, &a)
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(DISTINCT x.incident_id) FROM incident_observables x JOIN incidents i ON i.id = x.incident_id
		WHERE x.kind = `+a.add(string(o.Kind))+` AND x.value = `+a.add(o.Value)+` AND x.incident_id <> `+a.add(id)+` AND `+scope, a...).Scan(&o.Elsewhere); err != nil {
		return o, fmt.Errorf("storage: correlate observable: %w", err)
	}
	return o, nil
}

// DeleteIncidentObservable removes an observable from an incident.
func (s *Store) DeleteIncidentObservable(ctx context.Context, actor auth.Actor, id, obsID int64) error {
	if err := mayDo(actor, auth.WriteIncidents); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.incidentVisible(ctx, tx, actor.Scope, id); err != nil {
			return err
		}
		var kind, value string
		err := tx.QueryRowContext(ctx, `DELETE FROM incident_observables WHERE id = $1 AND incident_id = $2 RETURNING kind, value`, obsID, id).Scan(&kind, &value)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.E(errs.NotFound, "observable %d not found", obsID)
		}
		if err != nil {
			return fmt.Errorf("storage: delete observable %d: %w", obsID, err)
		}
		if err := s.insertJournal(ctx, tx, id, []incident.Entry{{At: s.Now().UTC(), Actor: actorName(actor), Kind: incident.EntryObservable,
			Text: fmt.Sprintf("removed %s %s", kind, value)}}); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "incident.observable_delete", "incident", id, 0, map[string]any{"kind": kind, "value": value}, nil)
	})
}

// Indicator is one line of a partner list: a value named by incidents,
// with when it was first and last added and by how many incidents.
type Indicator struct {
	Kind       incident.Kind `json:"kind"`
	Value      string        `json:"value"`
	TLP        tlp.Label     `json:"tlp"` // the most restrictive label among its sightings in the list
	Incidents  int           `json:"incidents"`
	FirstSeen  time.Time     `json:"first_seen"`
	LastSeen   time.Time     `json:"last_seen"`
	Identifier string        `json:"identifier,omitempty"` // when the list is of one identifier
}

// IndicatorFilter selects a partner list.
type IndicatorFilter struct {
	Kind       incident.Kind // required: phone for mobile operators, url for browsers and registrars
	Identifier string        // e.g. vishing; "" = any
	MaxTLP     tlp.Label     // at most this label (the caller's scope may lower it further)
	Since      time.Time     // observables added since
	OpenOnly   bool          // only of incidents still open
	Limit      int           // default 10,000, at most 100,000
	// NoPersonal leaves out the personal observables of personal-data
	// offences (incident.Redact): for callers without incidents.personal.
	NoPersonal bool
}

// ExportIndicators returns the list of distinct values of one kind that
// sc may share: each observable's own TLP decides, not the incident's —
// the numbers of a TLP:AMBER case may be TLP:GREEN for the operators who
// block them. Rejected and duplicate incidents do not count.
func (s *Store) ExportIndicators(ctx context.Context, sc auth.Scope, f IndicatorFilter) ([]Indicator, error) {
	if !f.Kind.Valid() {
		return nil, errs.Field("kind", "give the kind of list: phone, url, domain, …")
	}
	rank := sc.MaxTLPRank()
	if f.MaxTLP != "" && f.MaxTLP.Rank() < rank {
		rank = f.MaxTLP.Rank()
	}
	var a args
	conds := []string{"o.kind = " + a.add(string(f.Kind)), "o.tlp_rank <= " + a.add(rank),
		"i.status NOT IN (" + a.add(string(incident.Rejected)) + ", " + a.add(string(incident.Duplicate)) + ")"}
	if f.Identifier != "" {
		conds = append(conds, "i.identifier = "+a.add(strings.ToLower(f.Identifier)))
	}
	if !f.Since.IsZero() {
		conds = append(conds, "o.created_at >= "+a.add(f.Since.UTC()))
	}
	if f.OpenOnly {
		var ph []string
		for _, st := range incident.Statuses {
			if st.Open() {
				ph = append(ph, a.add(string(st)))
			}
		}
		conds = append(conds, "i.status IN ("+strings.Join(ph, ", ")+")")
	}
	if f.NoPersonal && f.Kind.Personal() {
		conds = append(conds, personalCaseExcluded)
	}
	limit := clampLimit(f.Limit, 10000, 100000)
	rows, err := s.db.QueryContext(ctx, `SELECT o.value, MAX(o.tlp_rank), COUNT(DISTINCT o.incident_id), MIN(o.created_at), MAX(o.created_at)
		FROM incident_observables o JOIN incidents i ON i.id = o.incident_id WHERE `+strings.Join(conds, " AND ")+`
		GROUP BY o.value ORDER BY o.value LIMIT `+strconv.Itoa(limit), a...)
	if err != nil {
		return nil, fmt.Errorf("storage: export indicators: %w", err)
	}
	defer rows.Close()
	var out []Indicator
	for rows.Next() {
		x := Indicator{Kind: f.Kind, Identifier: strings.ToLower(f.Identifier)}
		var r int
		var first, last any
		if err := rows.Scan(&x.Value, &r, &x.Incidents, &first, &last); err != nil {
			return nil, fmt.Errorf("storage: export indicators: %w", err)
		}
		x.TLP = tlp.All[r]
		x.FirstSeen, x.LastSeen = aggTime(first), aggTime(last)
		out = append(out, x)
	}
	return out, rows.Err()
}

// aggTime reads MIN/MAX of a timestamp column: PostgreSQL returns a
// time, SQLite the stored text.
func aggTime(v any) time.Time {
	switch t := v.(type) {
	case time.Time:
		return t.UTC()
	case string:
		for _, layout := range []string{"2006-01-02 15:04:05.999999999 -0700 MST", "2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999Z07:00"} {
			if p, err := time.Parse(layout, t); err == nil {
				return p.UTC()
			}
		}
	case []byte:
		return aggTime(string(t))
	}
	return time.Time{}
}
