package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/stats"
	"github.com/qalxan/qalxan/internal/tlp"
)

// istatsFromIncidents counts from the incidents in scope themselves: what
// the aggregates must agree with, and the way for scopes and time zones
// they cannot answer. It reads every incident in scope (and its
// organisations and take-downs) once.
func (s *Store) istatsFromIncidents(ctx context.Context, sc auth.Scope, orgID int64, p *istatsPeriods, orgs map[int64]statsOrg) error {
	var a args
	where := incidentScope(sc, &a)
	if orgID != 0 {
		where += " AND EXISTS (SELECT 1 FROM incident_orgs io2 WHERE io2.incident_id = i.id AND io2.org_id = " + a.add(orgID) + ")"
	}
	// The organisations of each incident the breakdown may name.
	orgsOf := map[int64][]string{}
	rows, err := s.db.QueryContext(ctx, `SELECT io.incident_id, io.org_id, o.tlp FROM incident_orgs io JOIN orgs o ON o.id = io.org_id
		JOIN incidents i ON i.id = io.incident_id WHERE `+where, a...)
	if err != nil {
		return fmt.Errorf("storage: incident stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var iid, oid int64
		var label string
		if err := rows.Scan(&iid, &oid, &label); err != nil {
			return fmt.Errorf("storage: incident stats: %w", err)
		}
		if _, known := orgs[oid]; !known || !sc.AllowsOrg(oid, tlp.Label(label)) || (orgID != 0 && oid != orgID) {
			continue
		}
		orgsOf[iid] = append(orgsOf[iid], fmt.Sprint(oid))
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("storage: incident stats: %w", err)
	}
	rows.Close()

	rows, err = s.db.QueryContext(ctx, `SELECT i.id, i.taxonomy, i.type, i.identifier, i.channel, i.severity_rank, i.status, i.created_at,
		i.reported_at, i.triaged_at, i.contained_at, i.resolved_at FROM incidents i WHERE `+where+` AND i.status NOT IN ('rejected', 'duplicate')`, a...)
	if err != nil {
		return fmt.Errorf("storage: incident stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var sev int
		var tax, typ, ident, ch, status string
		var created time.Time
		var reported, triaged, contained, resolved sql.NullTime
		if err := rows.Scan(&id, &tax, &typ, &ident, &ch, &sev, &status, &created, &reported, &triaged, &contained, &resolved); err != nil {
			return fmt.Errorf("storage: incident stats: %w", err)
		}
		keys := map[string]string{"type": tax + "/" + typ, "identifier": ident, "channel": ch, "severity": severityKey(sev)}
		start := created
		if reported.Valid {
			start = reported.Time
		}
		p.count(created, keys, 1, 0)
		for _, o := range orgsOf[id] {
			p.countOrg(created, o, 1, 0)
		}
		if resolved.Valid {
			p.count(resolved.Time, keys, 0, 1)
			for _, o := range orgsOf[id] {
				p.countOrg(resolved.Time, o, 0, 1)
			}
		}
		for _, m := range []struct {
			name string
			at   sql.NullTime
		}{{"triage", triaged}, {"contain", contained}, {"resolve", resolved}} {
			if m.at.Valid {
				secs := stats.SecondsBetween(start, m.at.Time)
				p.duration(m.at.Time, m.name, stats.BucketOf(secs), 1, secs)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("storage: incident stats: %w", err)
	}
	rows.Close()

	rows, err = s.db.QueryContext(ctx, `SELECT t.sent_at, t.done_at FROM incident_takedowns t JOIN incidents i ON i.id = t.incident_id
		WHERE `+where+` AND t.status = 'done' AND t.sent_at IS NOT NULL AND t.done_at IS NOT NULL`, a...)
	if err != nil {
		return fmt.Errorf("storage: incident stats take-downs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sent, done time.Time
		if err := rows.Scan(&sent, &done); err != nil {
			return fmt.Errorf("storage: incident stats take-downs: %w", err)
		}
		secs := stats.SecondsBetween(sent, done)
		p.duration(done, "takedown", stats.BucketOf(secs), 1, secs)
	}
	return rows.Err()
}
