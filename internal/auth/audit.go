package auth

import (
	"encoding/json"
	"time"
)

// AuditEntry is one line of the append-only audit log: a change (with the
// object before and after) or a read of personal data.
type AuditEntry struct {
	ID         int64           `json:"id"`
	At         time.Time       `json:"at"`
	Actor      string          `json:"actor"`
	ActorID    int64           `json:"actor_id,omitempty"`
	Role       Role            `json:"role,omitempty"`
	IP         string          `json:"ip,omitempty"`
	Action     string          `json:"action"`      // e.g. org.create, contact.read, user.login_failed
	ObjectType string          `json:"object_type"` // org, resource, contact, user, token, session
	ObjectID   string          `json:"object_id,omitempty"`
	OrgID      int64           `json:"org_id,omitempty"` // the organisation concerned, if any
	Before     json.RawMessage `json:"before,omitempty"`
	After      json.RawMessage `json:"after,omitempty"`
}
