package incident

import (
	"fmt"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/errs"
)

// Action is a person's request to move an incident.
type Action struct {
	To          Status
	Actor       string
	Reason      string
	DuplicateOf int64 // Duplicate: the incident that carries on
}

// Move applies a to i at now and returns the journal entry to record. It
// refuses what the state machine does not allow (a conflict) and asks for
// a reason where one is owed: rejecting, marking a duplicate, and every
// step back (reopening a closed case, a contained site that is up again).
func Move(i *Incident, a Action, now time.Time) (Entry, error) {
	if !a.To.Valid() {
		return Entry{}, errs.Field("status", "status %q is not known", a.To)
	}
	if !CanMove(i.Status, a.To) {
		return Entry{}, errs.E(errs.Conflict, "incident %s is %s and cannot become %s", i.Ref, i.Status, a.To)
	}
	reason := strings.TrimSpace(a.Reason)
	switch {
	case a.To == Rejected && reason == "":
		return Entry{}, errs.Field("reason", "say why this is not an incident")
	case a.To == Duplicate && a.DuplicateOf <= 0:
		return Entry{}, errs.Field("duplicate_of", "name the incident this one duplicates")
	case a.To == Duplicate && a.DuplicateOf == i.ID:
		return Entry{}, errs.Field("duplicate_of", "an incident cannot duplicate itself")
	case backwards(i.Status, a.To) && reason == "":
		return Entry{}, errs.Field("reason", "say why the incident goes back to %s", a.To)
	}
	from := i.Status
	switch a.To {
	case Triage:
		if i.TriagedAt.IsZero() {
			i.TriagedAt = now
		}
	case InProgress:
		if i.TriagedAt.IsZero() {
			i.TriagedAt = now
		}
	case Contained:
		if i.ContainedAt.IsZero() {
			i.ContainedAt = now
		}
	case Resolved:
		i.ResolvedAt = now
		if i.ContainedAt.IsZero() {
			i.ContainedAt = now
		}
	case Closed:
		i.ClosedAt = now
	case Duplicate:
		i.DuplicateOf = a.DuplicateOf
	}
	if backwards(from, a.To) {
		// A reopened case is worked again: it is no longer resolved or closed.
		i.ResolvedAt, i.ClosedAt = time.Time{}, time.Time{}
		if a.To != Duplicate {
			i.DuplicateOf = 0
		}
	}
	if reason != "" {
		i.Reason = reason
	}
	i.Status, i.UpdatedAt = a.To, now
	text := fmt.Sprintf("%s → %s", from, a.To)
	if a.To == Duplicate && a.DuplicateOf != 0 {
		text += fmt.Sprintf(" (of incident %d)", a.DuplicateOf)
	}
	if reason != "" {
		text += ": " + reason
	}
	return Entry{IncidentID: i.ID, At: now, Actor: a.Actor, Kind: EntryStatus, Text: text, From: string(from), To: string(a.To)}, nil
}

// Reassess scores new criteria. Unless an analyst overrode the level, the
// assessment's level is the incident's and the due date follows it, still
// counted from when the incident opened.
func (p Policy) Reassess(i *Incident, c Criteria, actor string, now time.Time) (Entry, error) {
	if err := c.Validate(); err != nil {
		return Entry{}, err
	}
	old := i.Assessed
	i.Criteria, i.Assessed = c, p.Assess(c)
	text := fmt.Sprintf("criteria reassessed: score %d → %d (%s → %s)", old.Score, i.Assessed.Score, old.Severity, i.Assessed.Severity)
	if !i.Overridden() && i.Severity != i.Assessed.Severity {
		i.Severity = i.Assessed.Severity
		i.DueAt = p.DueAt(i.Severity, i.CreatedAt)
	} else if i.Overridden() {
		text += fmt.Sprintf("; the override to %s stays", i.Severity)
	}
	i.UpdatedAt = now
	return Entry{IncidentID: i.ID, At: now, Actor: actor, Kind: EntrySeverity, Text: text}, nil
}

// Override sets the severity over the assessment's, with a reason that
// is kept and shown. Overriding back to the assessed level removes the
// override.
func (p Policy) Override(i *Incident, s Severity, reason, actor string, now time.Time) (Entry, error) {
	if !s.Valid() {
		return Entry{}, errs.Field("severity", "severity %d is not known", s)
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return Entry{}, errs.Field("reason", "say why the severity differs from the criteria")
	}
	if s == i.Severity {
		return Entry{}, errs.Field("severity", "incident %s is already %s", i.Ref, s)
	}
	text := fmt.Sprintf("severity %s → %s (criteria say %s, score %d): %s", i.Severity, s, i.Assessed.Severity, i.Assessed.Score, reason)
	i.Severity, i.SeverityReason = s, reason
	if s == i.Assessed.Severity {
		i.SeverityReason = ""
	}
	i.DueAt = p.DueAt(s, i.CreatedAt)
	i.UpdatedAt = now
	return Entry{IncidentID: i.ID, At: now, Actor: actor, Kind: EntrySeverity, Text: text}, nil
}
