package incident

import (
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/errs"
)

// LinkKind is what an incident is linked to.
type LinkKind string

const (
	LinkIncident LinkKind = "incident" // a related case (same campaign, same actor), not a duplicate
	LinkEvent    LinkKind = "event"    // an event from the feeds that shows the same thing
	LinkFinding  LinkKind = "finding"  // a finding (an exposed service) the incident came from or caused
)

// LinkKinds lists them.
var LinkKinds = []LinkKind{LinkIncident, LinkEvent, LinkFinding}

// Link ties an incident to another incident, an event or a finding, as
// RTIR links tickets: the journal says who linked what and when, and the
// linked thing is shown only to those who may see it.
type Link struct {
	ID         int64     `json:"id"`
	IncidentID int64     `json:"incident_id"`
	Kind       LinkKind  `json:"kind"`
	TargetID   int64     `json:"target_id"`
	Label      string    `json:"label,omitempty"` // the target's reference or title, when read back
	Note       string    `json:"note,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	CreatedBy  string    `json:"created_by"`
}

// Normalize checks a new link.
func (l *Link) Normalize() error {
	l.Kind = LinkKind(strings.ToLower(strings.TrimSpace(string(l.Kind))))
	if !oneOf(l.Kind, LinkKinds) {
		return errs.Field("link_kind", "%q is not one of incident, event, finding", l.Kind)
	}
	if l.TargetID <= 0 {
		return errs.Field("target", "name the %s to link", l.Kind)
	}
	if l.Kind == LinkIncident && l.TargetID == l.IncidentID {
		return errs.Field("target", "an incident cannot be linked to itself")
	}
	l.Note = strings.TrimSpace(l.Note)
	if len(l.Note) > 2000 {
		return errs.Field("note", "at most 2000 bytes")
	}
	return nil
}
