package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
)

// MonitorRun is one monitoring run of one resource. Results is the JSON
// array of the checks' results, kept as the checker wrote it.
type MonitorRun struct {
	ID         int64           `json:"id"`
	OrgID      int64           `json:"org_id"`
	Org        string          `json:"org,omitempty"`
	ResourceID int64           `json:"resource_id"`
	Target     string          `json:"target"`
	StartedAt  time.Time       `json:"started_at"`
	DurationMS int64           `json:"duration_ms"`
	Score      int             `json:"score"`
	Grade      string          `json:"grade,omitempty"`
	Passed     int             `json:"passed"`
	Failed     int             `json:"failed"`
	Errors     int             `json:"errors"`
	Up         bool            `json:"up"`      // the site answered HTTP(S)
	TTFBMS     int64           `json:"ttfb_ms"` // time to first byte of the landing page; -1 when it did not answer
	Results    json.RawMessage `json:"results,omitempty"`
	// Content is the landing page's fingerprint (monitor.Fingerprint's
	// stored form), "" when there was no page: saved as the resource's
	// latest content, and as its baseline when it has none.
	Content string `json:"-"`
}

// MonitorTarget is a registered resource the monitor may check, with
// what its findings need of the owner.
type MonitorTarget struct {
	Resource constituency.Resource
	Org      string
	CII      bool
}

// monitoredKinds are the kinds a monitor can reach by name or address;
// networks and AS numbers are not swept.
var monitoredKinds = []constituency.ResourceKind{constituency.KindDomain, constituency.KindURL, constituency.KindHost}

// MonitorTargets lists the resources to check: domains, URLs and hosts
// of every organisation, or of orgID when it is not 0.
func (s *Store) MonitorTargets(ctx context.Context, orgID int64) ([]MonitorTarget, error) {
	var a args
	kinds := make([]string, len(monitoredKinds))
	for i, k := range monitoredKinds {
		kinds[i] = a.add(string(k))
	}
	q := `SELECT r.id, r.org_id, r.kind, r.value, r.criticality, r.notes, o.short_name, o.cii FROM resources r JOIN orgs o ON o.id = r.org_id
		WHERE r.kind IN (` + strings.Join(kinds, ", ") + `)`
	if orgID != 0 {
		q += ` AND r.org_id = ` + a.add(orgID)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY r.id`, a...)
	if err != nil {
		return nil, fmt.Errorf("storage: monitor targets: %w", err)
	}
	defer rows.Close()
	var out []MonitorTarget
	for rows.Next() {
		var t MonitorTarget
		var kind, crit string
		if err := rows.Scan(&t.Resource.ID, &t.Resource.OrgID, &kind, &t.Resource.Value, &crit, &t.Resource.Notes, &t.Org, &t.CII); err != nil {
			return nil, fmt.Errorf("storage: monitor targets: %w", err)
		}
		t.Resource.Kind, t.Resource.Criticality = constituency.ResourceKind(kind), constituency.Criticality(crit)
		out = append(out, t)
	}
	return out, rows.Err()
}

// SaveMonitorRun stores a run and sets its id; with Content, it records
// the resource's latest content (and first baseline) in the same
// transaction.
func (s *Store) SaveMonitorRun(ctx context.Context, r *MonitorRun) error {
	if len(r.Results) == 0 {
		r.Results = json.RawMessage("[]")
	}
	if !r.Up {
		r.TTFBMS = -1
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO monitor_runs (org_id, resource_id, target, started_at, duration_ms, score, grade, passed, failed, errors, results, up, ttfb_ms)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
			r.OrgID, r.ResourceID, r.Target, r.StartedAt.UTC(), r.DurationMS, r.Score, r.Grade, r.Passed, r.Failed, r.Errors, string(r.Results),
			r.Up, r.TTFBMS).Scan(&r.ID)
		if err != nil {
			return fmt.Errorf("storage: save monitor run: %w", err)
		}
		if r.Content == "" {
			return nil
		}
		return s.saveLatestContent(ctx, tx, r.ResourceID, r.Content, r.StartedAt.UTC())
	})
}

const monitorRunColumns = `m.id, m.org_id, o.short_name, m.resource_id, m.target, m.started_at, m.duration_ms, m.score, m.grade, m.passed, m.failed, m.errors,
	m.up, m.ttfb_ms`

func scanMonitorRun(sc interface{ Scan(...any) error }, withResults bool) (MonitorRun, error) {
	var r MonitorRun
	dst := []any{&r.ID, &r.OrgID, &r.Org, &r.ResourceID, &r.Target, &r.StartedAt, &r.DurationMS, &r.Score, &r.Grade, &r.Passed, &r.Failed, &r.Errors,
		&r.Up, &r.TTFBMS}
	var res string
	if withResults {
		dst = append(dst, &res)
	}
	err := sc.Scan(dst...)
	r.StartedAt = r.StartedAt.UTC()
	if withResults {
		r.Results = json.RawMessage(res)
	}
	return r, err
}

// LatestMonitorRuns is the newest run of every resource in scope (of
// orgID when it is not 0), worst grade first: the constituency's
// scorecard table. Results are left out; MonitorHistory has them.
func (s *Store) LatestMonitorRuns(ctx context.Context, sc auth.Scope, orgID int64) ([]MonitorRun, error) {
	var a args
	q := `SELECT ` + monitorRunColumns + ` FROM monitor_runs m JOIN orgs o ON o.id = m.org_id
		WHERE m.id IN (SELECT MAX(id) FROM monitor_runs GROUP BY resource_id) AND ` + scopeCond(sc, &a, "o.id", "o.tlp_rank")
	if orgID != 0 {
		q += ` AND m.org_id = ` + a.add(orgID)
	}
	return s.queryMonitorRuns(ctx, q+` ORDER BY m.failed DESC, m.score, m.target`, false, a...)
}

// MonitorHistory is a resource's runs in scope, newest first, with their
// results.
func (s *Store) MonitorHistory(ctx context.Context, sc auth.Scope, resourceID int64, limit int) ([]MonitorRun, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	var a args
	q := `SELECT ` + monitorRunColumns + `, m.results FROM monitor_runs m JOIN orgs o ON o.id = m.org_id
		WHERE m.resource_id = ` + a.add(resourceID) + ` AND ` + scopeCond(sc, &a, "o.id", "o.tlp_rank") + ` ORDER BY m.id DESC LIMIT ` + fmt.Sprint(limit)
	return s.queryMonitorRuns(ctx, q, true, a...)
}

func (s *Store) queryMonitorRuns(ctx context.Context, q string, withResults bool, a ...any) ([]MonitorRun, error) {
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("storage: monitor runs: %w", err)
	}
	defer rows.Close()
	var out []MonitorRun
	for rows.Next() {
		r, err := scanMonitorRun(rows, withResults)
		if err != nil {
			return nil, fmt.Errorf("storage: monitor runs: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
