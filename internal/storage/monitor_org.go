package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
)

// OrgMonitorResource is one resource on an organisation's scorecard: its
// latest run, the checks that failed on it and its 30-day uptime.
type OrgMonitorResource struct {
	MonitorRun
	Failing []string `json:"failing"` // check ids (check/instance), catalogue order
	Uptime  Uptime   `json:"uptime_30d"`
}

// OrgMonitor is an organisation's security scorecard: every monitored
// resource, and the organisation graded by its weakest one — an attacker
// needs one way in. Resources without a score (no site answered) show
// their uptime but do not grade the organisation: they are unreachable,
// not insecure.
type OrgMonitor struct {
	OrgID     int64                `json:"org_id"`
	Org       string               `json:"org"`
	Score     int                  `json:"score"` // -1 when no resource has a score
	Grade     string               `json:"grade,omitempty"`
	Weakest   int64                `json:"weakest_resource_id,omitempty"`
	Resources []OrgMonitorResource `json:"resources"`
}

// GetOrgMonitor builds the scorecard of orgID as sc sees it (nothing of
// an organisation outside it), uptime counted back from now.
func (s *Store) GetOrgMonitor(ctx context.Context, sc auth.Scope, orgID int64, now time.Time) (*OrgMonitor, error) {
	var a args
	q := `SELECT ` + monitorRunColumns + `, m.results FROM monitor_runs m JOIN orgs o ON o.id = m.org_id
		WHERE m.id IN (SELECT MAX(id) FROM monitor_runs WHERE org_id = ` + a.add(orgID) + ` GROUP BY resource_id) AND ` +
		scopeCond(sc, &a, "o.id", "o.tlp_rank") + ` ORDER BY m.score, m.failed DESC, m.target`
	runs, err := s.queryMonitorRuns(ctx, q, true, a...)
	if err != nil {
		return nil, err
	}
	up, err := s.MonitorUptimes(ctx, sc, orgID, now)
	if err != nil {
		return nil, err
	}
	out := &OrgMonitor{OrgID: orgID, Score: -1, Resources: []OrgMonitorResource{}}
	for _, run := range runs {
		var results []struct{ Check, Instance, Status string }
		if err := json.Unmarshal(run.Results, &results); err != nil {
			return nil, fmt.Errorf("storage: org %d scorecard: run %d: %w", orgID, run.ID, err)
		}
		row := OrgMonitorResource{MonitorRun: run, Failing: []string{}, Uptime: up[run.ResourceID]}
		if row.Uptime.Runs == 0 {
			row.Uptime.Percent = -1
		}
		for _, r := range results {
			if r.Status == "fail" {
				id := r.Check
				if r.Instance != "" {
					id += "/" + r.Instance
				}
				row.Failing = append(row.Failing, id)
			}
		}
		row.Results = nil
		out.Org = run.Org
		if run.Score >= 0 && (out.Score < 0 || run.Score < out.Score) {
			out.Score, out.Grade, out.Weakest = run.Score, run.Grade, run.ResourceID
		}
		out.Resources = append(out.Resources, row)
	}
	return out, nil
}
