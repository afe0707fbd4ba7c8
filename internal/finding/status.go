package finding

import (
	"slices"

	"github.com/qalxan/qalxan/internal/errs"
)

// Status is where a finding stands in its life.
type Status string

const (
	Open          Status = "open"           // seen, nobody told yet
	Notified      Status = "notified"       // the owner was sent a notice
	Acknowledged  Status = "acknowledged"   // the owner has taken it on
	Resolved      Status = "resolved"       // the owner says it is fixed; not verified yet
	Closed        Status = "closed"         // the fix is verified: the source stopped reporting it, or a re-check passed
	Reopened      Status = "reopened"       // seen again after it was resolved or closed
	Accepted      Status = "accepted"       // risk accepted until a date, with a reason
	FalsePositive Status = "false_positive" // disputed by the owner or an analyst, with a reason
)

// Statuses lists every status in lifecycle order.
var Statuses = []Status{Open, Notified, Acknowledged, Resolved, Closed, Reopened, Accepted, FalsePositive}

// transitions is the state machine: the statuses a finding may move to by
// a person's (or the notifier's) action. Being seen again and
// verification have their own rules (Observe, Verify).
var transitions = map[Status][]Status{
	Open:          {Notified, Acknowledged, Resolved, Accepted, FalsePositive},
	Notified:      {Notified, Acknowledged, Resolved, Accepted, FalsePositive},
	Acknowledged:  {Notified, Resolved, Accepted, FalsePositive},
	Resolved:      {Closed, Reopened},
	Reopened:      {Notified, Acknowledged, Resolved, Accepted, FalsePositive},
	Accepted:      {Reopened},
	FalsePositive: {Reopened},
	Closed:        {Reopened},
}

// Active reports whether the gap is still there as far as anyone knows:
// the statuses that count as "still open" in notices and statistics.
func (s Status) Active() bool {
	return s == Open || s == Notified || s == Acknowledged || s == Reopened
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// CanMove reports whether the state machine allows from → to.
func CanMove(from, to Status) bool { return slices.Contains(transitions[from], to) }

// ParseStatus reads a status name.
func ParseStatus(v string) (Status, error) {
	s := Status(v)
	if !s.Valid() {
		return "", errs.E(errs.Invalid, "status %q is not one of open, notified, acknowledged, resolved, closed, reopened, accepted, false_positive", v)
	}
	return s, nil
}
