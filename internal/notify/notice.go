package notify

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/tlp"
)

// Kind is why a notice is sent.
type Kind string

const (
	Immediate  Kind = "immediate"  // critical findings, at once
	Digest     Kind = "digest"     // the daily summary of new and still-open findings
	Escalation Kind = "escalation" // overdue findings, to the escalation contacts
)

// Status is where a notice stands in the queue.
type Status string

const (
	Queued  Status = "queued"  // waiting for its next attempt
	Sending Status = "sending" // claimed by a worker until its lease ends
	Sent    Status = "sent"
	Failed  Status = "failed" // gave up: permanent error, or too many attempts
)

// Notice is one e-mail to one organisation about some of its findings.
type Notice struct {
	ID              int64                 `json:"id"`
	OrgID           int64                 `json:"org_id"`
	Org             string                `json:"org"` // short name
	Reference       string                `json:"reference"`
	Kind            Kind                  `json:"kind"`
	Status          Status                `json:"status"`
	Attempts        int                   `json:"attempts"`
	NextAttemptAt   time.Time             `json:"next_attempt_at,omitzero"`
	LastError       string                `json:"last_error,omitempty"`
	To              []string              `json:"to"`
	Subject         string                `json:"subject"`
	Language        constituency.Language `json:"language"`
	TLP             tlp.Label             `json:"tlp"`
	HighestSeverity finding.Severity      `json:"severity"`
	FindingsCount   int                   `json:"findings"`
	CreatedAt       time.Time             `json:"created_at,omitzero"`
	SentAt          time.Time             `json:"sent_at,omitzero"`
	MessageID       string                `json:"message_id,omitempty"`

	Text       string  `json:"-"` // the rendered bodies, kept so a retry sends the same message
	HTML       string  `json:"-"`
	FindingIDs []int64 `json:"-"`
}

// Reference is the notice reference for a notice id created in year:
// "QLX-N-2026-000123". Ids are unique, so references are.
func Reference(year int, id int64) string { return fmt.Sprintf("QLX-N-%d-%06d", year, id) }

// MessageID is the Message-ID (without angle brackets) of the notice with
// this reference, sent from domain: the same on every attempt, so a
// message sent twice after a crash is recognisable as one.
func MessageID(reference, domain string) string {
	if domain == "" {
		domain = "qalxan.invalid"
	}
	return reference + "@" + domain
}

// Message is an e-mail as a Sender delivers it.
type Message struct {
	MessageID   string // without angle brackets
	To          []string
	Subject     string
	Text, HTML  string
	Date        time.Time
	Attachments []Attachment
}

// Attachment is a file attached to a message; Write streams its content.
type Attachment struct {
	Name        string
	ContentType string
	Write       func(w io.Writer) error
}

// Sender delivers a message (internal/mail over SMTP). An error wrapped
// with Permanent is not retried.
type Sender interface {
	Send(ctx context.Context, m *Message) error
}

// permanentError marks a delivery failure that retrying will not fix.
type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// Permanent marks err as a failure not worth retrying (a rejected
// recipient, a message too large).
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}
