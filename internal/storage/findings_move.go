package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/finding"
)

// FindingPermission is the permission a move to status to needs. The
// owner's security officer answers for its gaps (acknowledged, fixed, not
// ours); accepting a risk, closing, reopening and telling the owner
// (notified) are the CERT's decisions.
func FindingPermission(to finding.Status) auth.Permission {
	switch to {
	case finding.Acknowledged, finding.Resolved, finding.FalsePositive:
		return auth.UpdateFindings
	}
	return auth.ManageFindings
}

// mayDo refuses an actor whose role lacks p. The system and the command
// line have no role and may do everything their scope allows.
func mayDo(actor auth.Actor, p auth.Permission) error {
	if actor.Role != "" && !actor.Role.Can(p) {
		return errs.E(errs.Forbidden, "the %s role does not have the %s permission", actor.Role, p)
	}
	return nil
}

// changeFinding reads a finding in actor's scope inside a transaction,
// locked, lets change modify it and return the history entry to record,
// then writes the row, the entry and the audit record together.
func (s *Store) changeFinding(ctx context.Context, actor auth.Actor, id int64, action string, change func(f *finding.Finding, now time.Time) (*finding.Change, error)) (finding.Finding, error) {
	var out finding.Finding
	err := s.tx(ctx, func(tx *sql.Tx) error {
		f, err := s.getFinding(ctx, tx, actor.Scope, id, s.dialect.forUpdate("f"))
		if err != nil {
			return err
		}
		before := *f
		now := s.Now().UTC()
		ch, err := change(f, now)
		if err != nil {
			return err
		}
		if err := s.updateFinding(ctx, tx, f, now); err != nil {
			return err
		}
		if ch != nil {
			if err := s.insertChanges(ctx, tx, []finding.Change{*ch}); err != nil {
				return err
			}
		}
		out = *f
		return s.audit(ctx, tx, actor, action, "finding", f.ID, f.OrgID, auditFinding(before), auditFinding(*f))
	})
	return out, err
}

// auditFinding is what the audit log keeps of a finding's state.
func auditFinding(f finding.Finding) map[string]any {
	m := map[string]any{"status": f.Status, "severity": f.Severity, "assignee": f.Assignee}
	if f.Reason != "" {
		m["reason"] = f.Reason
	}
	if !f.AcceptedUntil.IsZero() {
		m["accepted_until"] = f.AcceptedUntil
	}
	return m
}

// updateFinding writes every column a change may touch.
func (s *Store) updateFinding(ctx context.Context, q interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, f *finding.Finding, now time.Time) error {
	_, err := q.ExecContext(ctx, `UPDATE findings SET severity = $1, severity_rank = $2, status = $3, due_at = $4, assignee = $5,
		notified_at = $6, acknowledged_at = $7, resolved_at = $8, closed_at = $9, accepted_until = $10, reason = $11,
		updated_at = $12 WHERE id = $13`,
		f.Severity.String(), int(f.Severity), string(f.Status), nullTime(f.DueAt), f.Assignee, nullTime(f.NotifiedAt),
		nullTime(f.AcknowledgedAt), nullTime(f.ResolvedAt), nullTime(f.ClosedAt), nullTime(f.AcceptedUntil), f.Reason, now, f.ID)
	if err != nil {
		return fmt.Errorf("storage: update finding %d: %w", f.ID, err)
	}
	return nil
}

// MoveFinding moves a finding in actor's scope through the lifecycle
// (finding.Move): an illegal move is a conflict, a missing reason
// invalid, a move the actor's role may not make forbidden (see
// FindingPermission), a finding outside the scope not found. The history
// names the actor; the audit log records the change.
func (s *Store) MoveFinding(ctx context.Context, actor auth.Actor, id int64, a finding.Action) (finding.Finding, error) {
	if err := mayDo(actor, FindingPermission(a.To)); err != nil {
		return finding.Finding{}, err
	}
	a.Actor = actorName(actor)
	return s.changeFinding(ctx, actor, id, "finding.transition", func(f *finding.Finding, now time.Time) (*finding.Change, error) {
		ch, err := finding.Move(f, a, now)
		return &ch, err
	})
}

// SetFindingSeverity changes a finding's severity, which only CERT staff
// may do and always with a reason. The history records it as a change
// from the status to itself, with the old and new severity in the reason.
// The due date stays: it was promised to the owner.
func (s *Store) SetFindingSeverity(ctx context.Context, actor auth.Actor, id int64, sev finding.Severity, reason string) (finding.Finding, error) {
	if err := mayDo(actor, auth.ManageFindings); err != nil {
		return finding.Finding{}, err
	}
	if sev < finding.Info || sev > finding.Critical {
		return finding.Finding{}, errs.Field("severity", "severity %d is not known", sev)
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return finding.Finding{}, errs.Field("reason", "say why the severity changes")
	}
	return s.changeFinding(ctx, actor, id, "finding.severity", func(f *finding.Finding, now time.Time) (*finding.Change, error) {
		if f.Severity == sev {
			return nil, errs.Field("severity", "finding %d is already %s", f.ID, sev)
		}
		r := fmt.Sprintf("severity %s → %s: %s", f.Severity, sev, reason)
		f.Severity, f.Reason = sev, r
		return &finding.Change{FindingID: f.ID, At: now, Actor: actorName(actor), From: f.Status, To: f.Status, Reason: r}, nil
	})
}

// AssignFinding gives a finding to a user by name, or takes it from
// whoever had it when user is "". Only CERT staff assign.
func (s *Store) AssignFinding(ctx context.Context, actor auth.Actor, id int64, user string) (finding.Finding, error) {
	if err := mayDo(actor, auth.ManageFindings); err != nil {
		return finding.Finding{}, err
	}
	user = strings.TrimSpace(user)
	if user != "" {
		var n int
		err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE name = $1 AND NOT disabled`, user).Scan(&n)
		if err != nil {
			return finding.Finding{}, fmt.Errorf("storage: assign finding %d: %w", id, err)
		}
		if n == 0 {
			return finding.Finding{}, errs.Field("assignee", "no active user %q", user)
		}
	}
	return s.changeFinding(ctx, actor, id, "finding.assign", func(f *finding.Finding, now time.Time) (*finding.Change, error) {
		f.Assignee = user
		return nil, nil
	})
}

// VerifyFindings closes the resolved findings the source has stopped
// reporting for the policy's quiet period (finding.Policy.Verify), and
// returns how many it closed.
func (s *Store) VerifyFindings(ctx context.Context, policy finding.Policy, now time.Time) (int, error) {
	return s.sweepFindings(ctx, finding.Resolved, "resolved_at", now.Add(-policy.Quiet), func(f *finding.Finding) *finding.Change {
		return policy.Verify(f, now)
	})
}

// ExpireAcceptedFindings reopens the accepted risks whose acceptance has
// run out (finding.Policy.Expire), and returns how many.
func (s *Store) ExpireAcceptedFindings(ctx context.Context, policy finding.Policy, now time.Time) (int, error) {
	return s.sweepFindings(ctx, finding.Accepted, "accepted_until", now, func(f *finding.Finding) *finding.Change {
		return policy.Expire(f, now)
	})
}

// sweepFindings applies fn to every finding in status whose column is at
// or before cutoff, a page at a time, each page in its own transaction so
// a sweep over many findings does not hold the writer for long.
func (s *Store) sweepFindings(ctx context.Context, status finding.Status, column string, cutoff time.Time, fn func(*finding.Finding) *finding.Change) (int, error) {
	const page = 500
	changed := 0
	var after int64
	for {
		n, last := 0, after
		err := s.tx(ctx, func(tx *sql.Tx) error {
			n = 0
			rows, err := tx.QueryContext(ctx, `SELECT `+findingColumns+findingFrom+` WHERE f.status = $1 AND f.`+column+` <= $2 AND f.id > $3
				ORDER BY f.id LIMIT `+fmt.Sprint(page)+s.dialect.forUpdate("f"), string(status), cutoff.UTC(), after)
			if err != nil {
				return fmt.Errorf("storage: sweep %s findings: %w", status, err)
			}
			var fs []finding.Finding
			for rows.Next() {
				f, err := scanFinding(rows)
				if err != nil {
					rows.Close()
					return fmt.Errorf("storage: sweep %s findings: %w", status, err)
				}
				fs = append(fs, f)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return fmt.Errorf("storage: sweep %s findings: %w", status, err)
			}
			n = len(fs)
			now := s.Now().UTC()
			var changes []finding.Change
			for i := range fs {
				last = fs[i].ID
				ch := fn(&fs[i])
				if ch == nil {
					continue
				}
				if err := s.updateFinding(ctx, tx, &fs[i], now); err != nil {
					return err
				}
				changes = append(changes, *ch)
			}
			changed += len(changes)
			return s.insertChanges(ctx, tx, changes)
		})
		if err != nil {
			return changed, err
		}
		if n < page {
			return changed, nil
		}
		after = last
	}
}
