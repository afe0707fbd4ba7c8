package finding

import (
	"fmt"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/errs"
)

// SystemActor names the automatic changes: sightings, verification,
// expiry of an accepted risk.
const SystemActor = "system"

// Action is a person's (or the notifier's) request to move a finding.
type Action struct {
	To     Status
	Actor  string
	Reason string
	Until  time.Time // Accepted: when the acceptance expires
}

// Move applies a to f at now and returns the change to record. It refuses
// what the state machine does not allow, and asks for a reason where one
// is owed: accepting a risk (with an expiry in the future), disputing,
// reopening by hand.
func Move(f *Finding, a Action, now time.Time) (Change, error) {
	if !a.To.Valid() {
		return Change{}, errs.E(errs.Invalid, "status %q is not known", a.To)
	}
	if !CanMove(f.Status, a.To) {
		return Change{}, errs.E(errs.Conflict, "finding %d is %s and cannot become %s", f.ID, f.Status, a.To)
	}
	reason := strings.TrimSpace(a.Reason)
	switch a.To {
	case Accepted:
		if reason == "" {
			return Change{}, errs.Field("reason", "say why the risk is accepted")
		}
		if !a.Until.After(now) {
			return Change{}, errs.Field("until", "give the date the acceptance expires, in the future")
		}
		f.AcceptedUntil = a.Until.UTC()
	case FalsePositive:
		if reason == "" {
			return Change{}, errs.Field("reason", "say why this is a false positive")
		}
	case Reopened:
		if reason == "" {
			return Change{}, errs.Field("reason", "say why the finding is reopened")
		}
	case Notified:
		f.NotifiedAt = now
	case Acknowledged:
		f.AcknowledgedAt = now
	case Resolved:
		f.ResolvedAt = now
	case Closed:
		f.ClosedAt = now
	}
	if reason != "" {
		f.Reason = reason
	}
	ch := Change{FindingID: f.ID, At: now, Actor: a.Actor, From: f.Status, To: a.To, Reason: reason}
	f.Status = a.To
	return ch, nil
}

// Observe applies a sighting o to f, or opens a new finding when f is nil,
// and returns the finding and the status change to record, if any. A gap
// seen again after it was resolved or closed reopens; an accepted risk
// whose acceptance has expired reopens; a disputed finding only counts.
func (p Policy) Observe(f *Finding, o Observation) (Finding, *Change) {
	seen := o.Seen.UTC()
	if f == nil {
		sev := p.SeverityOf(o.Identifier, o.Type, o.Taxonomy, o.Critical)
		return Finding{
			OrgID: o.OrgID, Resource: o.Resource, Identifier: o.Identifier, Taxonomy: o.Taxonomy, Type: o.Type,
			Source: o.Source, Severity: sev, Status: Open, FirstSeen: seen, LastSeen: seen, Count: 1,
			DueAt: p.DueAt(sev, seen),
		}, nil
	}
	n := *f
	n.Count++
	if seen.After(n.LastSeen) {
		n.LastSeen = seen
	}
	if o.Source != "" {
		n.Source = o.Source
	}
	var reason string
	switch {
	case n.Status == Resolved && seen.After(n.ResolvedAt):
		reason = fmt.Sprintf("reported again on %s after it was marked resolved", seen.Format(time.DateOnly))
	case n.Status == Closed && seen.After(n.ClosedAt):
		reason = fmt.Sprintf("reported again on %s after it was closed", seen.Format(time.DateOnly))
	case n.Status == Accepted && !n.AcceptedUntil.IsZero() && seen.After(n.AcceptedUntil):
		reason = fmt.Sprintf("reported on %s, after the risk acceptance expired on %s", seen.Format(time.DateOnly), n.AcceptedUntil.Format(time.DateOnly))
	default:
		return n, nil
	}
	ch := &Change{FindingID: n.ID, At: seen, Actor: SystemActor, From: n.Status, To: Reopened, Reason: reason}
	n.Status, n.Reason = Reopened, reason
	// A new round to fix it: the clock starts again from this sighting.
	n.DueAt = p.DueAt(n.Severity, seen)
	return n, ch
}

// Verify closes f when its owner marked it resolved and the source has
// not reported it for the policy's quiet period since; it returns the
// change to record, or nil when nothing changes.
func (p Policy) Verify(f *Finding, now time.Time) *Change {
	if f.Status != Resolved || f.ResolvedAt.IsZero() || now.Sub(f.ResolvedAt) < p.Quiet || f.LastSeen.After(f.ResolvedAt) {
		return nil
	}
	reason := fmt.Sprintf("not reported for %d days after it was marked resolved", int(p.Quiet.Hours()/24))
	ch := &Change{FindingID: f.ID, At: now, Actor: SystemActor, From: f.Status, To: Closed, Reason: reason}
	f.Status, f.ClosedAt = Closed, now
	return ch
}

// Expire reopens an accepted risk whose acceptance has run out.
func (p Policy) Expire(f *Finding, now time.Time) *Change {
	if f.Status != Accepted || f.AcceptedUntil.IsZero() || now.Before(f.AcceptedUntil) {
		return nil
	}
	reason := fmt.Sprintf("risk acceptance expired on %s", f.AcceptedUntil.Format(time.DateOnly))
	ch := &Change{FindingID: f.ID, At: now, Actor: SystemActor, From: f.Status, To: Reopened, Reason: reason}
	f.Status, f.Reason = Reopened, reason
	f.DueAt = p.DueAt(f.Severity, now)
	return ch
}
