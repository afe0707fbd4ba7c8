package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/finding"
)

// MonitorContent is what content-changed knows of a resource's landing
// page: the baseline it compares with and what the latest run saw, each
// a monitor.Fingerprint in its stored form.
type MonitorContent struct {
	ResourceID int64     `json:"resource_id"`
	Baseline   string    `json:"-"`
	BaselineAt time.Time `json:"baseline_at"`
	AcceptedBy string    `json:"accepted_by,omitempty"` // "" when the first run set it
	Latest     string    `json:"-"`
	LatestAt   time.Time `json:"latest_at"`
}

// saveLatestContent records what a run saw; a resource's first content
// is its baseline too.
func (s *Store) saveLatestContent(ctx context.Context, tx *sql.Tx, resourceID int64, print string, at time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO monitor_content (resource_id, baseline, baseline_at, latest, latest_at) VALUES ($1, $2, $3, $2, $3)
		ON CONFLICT (resource_id) DO UPDATE SET latest = excluded.latest, latest_at = excluded.latest_at`, resourceID, print, at)
	if err != nil {
		return fmt.Errorf("storage: save content of resource %d: %w", resourceID, err)
	}
	return nil
}

// MonitorBaselines are the content baselines of the resources to check
// (of orgID, every organisation's when 0), by resource id: what a round
// hands the checker.
func (s *Store) MonitorBaselines(ctx context.Context, orgID int64) (map[int64]MonitorContent, error) {
	q := `SELECT c.resource_id, c.baseline, c.baseline_at, c.accepted_by, c.latest, c.latest_at FROM monitor_content c`
	var a args
	if orgID != 0 {
		q += ` JOIN resources r ON r.id = c.resource_id WHERE r.org_id = ` + a.add(orgID)
	}
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("storage: monitor baselines: %w", err)
	}
	defer rows.Close()
	out := map[int64]MonitorContent{}
	for rows.Next() {
		c, err := scanMonitorContent(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: monitor baselines: %w", err)
		}
		out[c.ResourceID] = c
	}
	return out, rows.Err()
}

func scanMonitorContent(sc interface{ Scan(...any) error }) (MonitorContent, error) {
	var c MonitorContent
	err := sc.Scan(&c.ResourceID, &c.Baseline, &c.BaselineAt, &c.AcceptedBy, &c.Latest, &c.LatestAt)
	c.BaselineAt, c.LatestAt = c.BaselineAt.UTC(), c.LatestAt.UTC()
	return c, err
}

// GetMonitorContent is a resource's content record, when the resource is
// in scope and has been seen; not found otherwise.
func (s *Store) GetMonitorContent(ctx context.Context, sc auth.Scope, resourceID int64) (*MonitorContent, error) {
	var a args
	q := `SELECT c.resource_id, c.baseline, c.baseline_at, c.accepted_by, c.latest, c.latest_at FROM monitor_content c
		JOIN resources r ON r.id = c.resource_id JOIN orgs o ON o.id = r.org_id
		WHERE c.resource_id = ` + a.add(resourceID) + ` AND ` + scopeCond(sc, &a, "o.id", "o.tlp_rank")
	c, err := scanMonitorContent(s.db.QueryRowContext(ctx, q, a...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "no content of resource %d has been seen", resourceID)
	}
	if err != nil {
		return nil, fmt.Errorf("storage: content of resource %d: %w", resourceID, err)
	}
	return &c, nil
}

// AcceptMonitorContent makes what the latest run saw the resource's
// baseline: the change was the agency's own (a new site, a redesign).
// Only CERT staff may (an agency accepting its own defacement would
// silence the check); the change is audited.
func (s *Store) AcceptMonitorContent(ctx context.Context, actor auth.Actor, resourceID int64) (*MonitorContent, error) {
	if !actor.Scope.Unlimited() {
		return nil, errs.E(errs.Forbidden, "only CERT staff may accept a page's content as its baseline")
	}
	var out *MonitorContent
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var orgID int64
		var value string
		err := tx.QueryRowContext(ctx, `SELECT org_id, value FROM resources WHERE id = $1`, resourceID).Scan(&orgID, &value)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.E(errs.NotFound, "resource %d not found", resourceID)
		}
		if err != nil {
			return fmt.Errorf("storage: accept content of resource %d: %w", resourceID, err)
		}
		before, err := scanMonitorContent(tx.QueryRowContext(ctx, `SELECT resource_id, baseline, baseline_at, accepted_by, latest, latest_at
			FROM monitor_content WHERE resource_id = $1`, resourceID))
		if errors.Is(err, sql.ErrNoRows) {
			return errs.E(errs.NotFound, "no content of resource %d has been seen yet: run a check first", resourceID)
		}
		if err != nil {
			return fmt.Errorf("storage: accept content of resource %d: %w", resourceID, err)
		}
		after := before
		after.Baseline, after.BaselineAt, after.AcceptedBy = before.Latest, before.LatestAt, actorName(actor)
		if _, err := tx.ExecContext(ctx, `UPDATE monitor_content SET baseline = $1, baseline_at = $2, accepted_by = $3 WHERE resource_id = $4`,
			after.Baseline, after.BaselineAt, after.AcceptedBy, resourceID); err != nil {
			return fmt.Errorf("storage: accept content of resource %d: %w", resourceID, err)
		}
		out = &after
		if err := s.settleContentFinding(ctx, tx, actor, orgID, value); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "monitor.accept_content", "resource", resourceID, orgID, before, after)
	})
	return out, err
}

// contentFinding is the identifier of the finding content-changed opens.
const contentFinding = "monitor/content-changed"

// settleContentFinding closes the resource's active content-changed
// finding: the change it reported was the agency's own. It goes through
// resolved (by the actor who accepted) to closed, as a verified fix does,
// so that the next unexpected change reopens it rather than being
// silenced as a false positive would be.
func (s *Store) settleContentFinding(ctx context.Context, tx *sql.Tx, actor auth.Actor, orgID int64, resource string) error {
	key := finding.Key{OrgID: orgID, Resource: resource, Identifier: contentFinding}
	known, err := s.findingsByKey(ctx, tx, []finding.Key{key})
	if err != nil {
		return err
	}
	f := known[key]
	if f == nil || (!f.Status.Active() && f.Status != finding.Resolved) {
		return nil
	}
	now := s.Now().UTC()
	reason := "the page's new content was accepted as its baseline by " + actorName(actor)
	var changes []finding.Change
	if f.Status != finding.Resolved {
		ch, err := finding.Move(f, finding.Action{To: finding.Resolved, Actor: actorName(actor), Reason: reason}, now)
		if err != nil {
			return err
		}
		changes = append(changes, ch)
	}
	ch, err := finding.Move(f, finding.Action{To: finding.Closed, Actor: finding.SystemActor, Reason: reason}, now)
	if err != nil {
		return err
	}
	if err := s.updateFinding(ctx, tx, f, now); err != nil {
		return err
	}
	return s.insertChanges(ctx, tx, append(changes, ch))
}
