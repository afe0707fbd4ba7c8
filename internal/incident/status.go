package incident

import (
	"slices"

	"github.com/qalxan/qalxan/internal/errs"
)

// Status is where an incident stands in its life.
type Status string

const (
	New        Status = "new"         // opened (from a report or by an analyst); nobody has looked at it yet
	Triage     Status = "triage"      // being assessed: is it real, how severe, whose
	InProgress Status = "in_progress" // being handled
	Contained  Status = "contained"   // the harm has stopped (site down, numbers blocked); clean-up goes on
	Resolved   Status = "resolved"    // handled; waiting for the last checks before closing
	Closed     Status = "closed"      // done
	Rejected   Status = "rejected"    // not an incident (not ours, not security, not true), with a reason
	Duplicate  Status = "duplicate"   // the same case as another incident, which carries on
)

// Statuses lists every status in lifecycle order.
var Statuses = []Status{New, Triage, InProgress, Contained, Resolved, Closed, Rejected, Duplicate}

// transitions is the state machine. Going back (contained → in_progress
// when the site comes back up, closed → in_progress when the case
// revives) is allowed but owes a reason (see Move).
var transitions = map[Status][]Status{
	New:        {Triage, InProgress, Rejected, Duplicate},
	Triage:     {InProgress, Contained, Resolved, Rejected, Duplicate},
	InProgress: {Contained, Resolved, Duplicate},
	Contained:  {InProgress, Resolved},
	Resolved:   {Closed, InProgress},
	Closed:     {InProgress},
	Rejected:   {Triage},
	Duplicate:  {Triage},
}

// Open reports whether the incident still needs work: what counts for
// SLA and "open incidents" figures.
func (s Status) Open() bool {
	return s == New || s == Triage || s == InProgress || s == Contained
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// Next lists the statuses s may move to, in lifecycle order.
func (s Status) Next() []Status { return slices.Clone(transitions[s]) }

// CanMove reports whether the state machine allows from → to.
func CanMove(from, to Status) bool { return slices.Contains(transitions[from], to) }

// backwards reports whether from → to goes back in the lifecycle: a
// reopening, which must say why.
func backwards(from, to Status) bool {
	return slices.Index(Statuses, to) < slices.Index(Statuses, from) && from != Rejected && from != Duplicate ||
		(from == Rejected || from == Duplicate) && to == Triage
}

// ParseStatus reads a status name.
func ParseStatus(v string) (Status, error) {
	s := Status(v)
	if !s.Valid() {
		return "", errs.E(errs.Invalid, "status %q is not one of new, triage, in_progress, contained, resolved, closed, rejected, duplicate", v)
	}
	return s, nil
}
