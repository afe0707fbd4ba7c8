package incident

import "time"

// EntryKind says what a journal entry records.
type EntryKind string

const (
	EntryNote       EntryKind = "note"       // a person's note
	EntryStatus     EntryKind = "status"     // a move through the lifecycle
	EntrySeverity   EntryKind = "severity"   // criteria reassessed, or the level overridden
	EntryAssign     EntryKind = "assign"     // given to a user or team
	EntryEdit       EntryKind = "edit"       // title, description, classification, labels, organisations changed
	EntryObservable EntryKind = "observable" // an observable added or removed
	EntryTask       EntryKind = "task"       // a task added, done, cancelled
	EntryReport     EntryKind = "report"     // a report triaged into this incident
	EntryLink       EntryKind = "link"       // linked to another incident, an event, a finding
	EntryEmail      EntryKind = "email"      // a message sent or received about the case
)

// Entry is one line of an incident's journal, its timeline: every change
// writes one, so the journal alone tells the case's story.
type Entry struct {
	ID         int64     `json:"id"`
	IncidentID int64     `json:"incident_id"`
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`
	Kind       EntryKind `json:"kind"`
	Text       string    `json:"text"`
	From       string    `json:"from,omitempty"` // status moves: the old and new status
	To         string    `json:"to,omitempty"`
}
