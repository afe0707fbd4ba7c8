package finding

import (
	"time"
)

// Finding is one security gap on one resource of one organisation. Its
// key is (OrgID, Resource, Identifier).
type Finding struct {
	ID         int64     `json:"id"`
	OrgID      int64     `json:"org_id"`
	Org        string    `json:"org,omitempty"` // the organisation's short name, when read back
	Resource   string    `json:"resource"`      // "192.0.2.10:3389", "mail.example.gov.az", a URL
	Identifier string    `json:"identifier"`    // "accessible-rdp", "infected-system/emotet", "monitor/tls-version"
	Taxonomy   string    `json:"taxonomy,omitempty"`
	Type       string    `json:"type,omitempty"`
	Source     string    `json:"source,omitempty"` // the feed (or "monitor") that last reported it
	Severity   Severity  `json:"severity"`
	Status     Status    `json:"status"`
	FirstSeen  time.Time `json:"first_seen"`
	LastSeen   time.Time `json:"last_seen"`
	Count      int64     `json:"count"` // how many observations
	DueAt      time.Time `json:"due_at,omitzero"`
	Assignee   string    `json:"assignee,omitempty"`

	NotifiedAt     time.Time `json:"notified_at,omitzero"`
	AcknowledgedAt time.Time `json:"acknowledged_at,omitzero"`
	ResolvedAt     time.Time `json:"resolved_at,omitzero"`
	ClosedAt       time.Time `json:"closed_at,omitzero"`
	AcceptedUntil  time.Time `json:"accepted_until,omitzero"`
	Reason         string    `json:"reason,omitempty"` // of the last accept, dispute, reopening or severity change
}

// Overdue reports whether an active finding is past its due date at now.
func (f *Finding) Overdue(now time.Time) bool {
	return f.Status.Active() && !f.DueAt.IsZero() && now.After(f.DueAt)
}

// Change is one recorded step of a finding's life: who, when, from what
// to what, and why.
type Change struct {
	FindingID int64     `json:"finding_id"`
	At        time.Time `json:"at"`
	Actor     string    `json:"actor"`
	From      Status    `json:"from"`
	To        Status    `json:"to"`
	Reason    string    `json:"reason,omitempty"`
}

// Observation is one sighting of a gap: an owned event, or a failing
// monitoring check.
type Observation struct {
	OrgID      int64
	Critical   bool // the organisation is critical information infrastructure: severity is raised one level
	Resource   string
	Identifier string
	Taxonomy   string
	Type       string
	Source     string
	Seen       time.Time
	EventID    int64 // 0 for monitoring results
}

// Key is a finding's identity.
type Key struct {
	OrgID      int64
	Resource   string
	Identifier string
}

// KeyOf is o's finding key.
func (o Observation) KeyOf() Key { return Key{o.OrgID, o.Resource, o.Identifier} }

// KeyOf is f's key.
func (f *Finding) KeyOf() Key { return Key{f.OrgID, f.Resource, f.Identifier} }
