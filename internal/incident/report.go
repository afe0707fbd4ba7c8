package incident

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/qalxan/qalxan/internal/errs"
)

// ReporterType is who sent a report.
type ReporterType string

const (
	ReporterCitizen ReporterType = "citizen"
	ReporterAgency  ReporterType = "agency"
	ReporterBank    ReporterType = "bank"
	ReporterPartner ReporterType = "partner-cert"
	ReporterPolice  ReporterType = "police"
	ReporterOther   ReporterType = "other"
)

// ReporterTypes lists them.
var ReporterTypes = []ReporterType{ReporterCitizen, ReporterAgency, ReporterBank, ReporterPartner, ReporterPolice, ReporterOther}

// Channel is how a report came in.
type Channel string

const (
	ChannelWeb     Channel = "web"     // the public form
	ChannelAPI     Channel = "api"     // an agency, bank or partner system
	ChannelEmail   Channel = "email"   // the reporting mailbox
	ChannelPhone   Channel = "phone"   // the hotline, typed in by an analyst
	ChannelAnalyst Channel = "analyst" // an analyst's own finding
)

// Channels lists them.
var Channels = []Channel{ChannelWeb, ChannelAPI, ChannelEmail, ChannelPhone, ChannelAnalyst}

// ReportStatus is where a report stands in triage.
type ReportStatus string

const (
	ReportNew      ReportStatus = "new"      // waiting for triage
	ReportAccepted ReportStatus = "accepted" // triaged into an incident (new or existing)
	ReportRejected ReportStatus = "rejected" // not for us, or not true, with a reason
)

// Report is what came in: the reporter's words, before anyone judged
// them. Triage turns it into an incident, links it to one, or rejects it.
type Report struct {
	ID           int64        `json:"id"`
	ReceivedAt   time.Time    `json:"received_at"`
	ReporterType ReporterType `json:"reporter_type"`
	Channel      Channel      `json:"channel"`
	Category     Category     `json:"category"`
	Description  string       `json:"description"`
	URL          string       `json:"url,omitempty"`
	Phone        string       `json:"phone,omitempty"` // E.164 once normalised
	Language     string       `json:"language"`        // az, en, ru: for the answers to the reporter
	OrgID        int64        `json:"org_id,omitempty"`

	// The reporter's personal data: shown only to CERT staff.
	ReporterName  string `json:"reporter_name,omitempty"`
	ReporterEmail string `json:"reporter_email,omitempty"`
	SubmittedBy   string `json:"submitted_by,omitempty"` // the user who sent it, "" for the public form

	Status       ReportStatus `json:"status"`
	IncidentID   int64        `json:"incident_id,omitempty"`
	IncidentRef  string       `json:"incident_ref,omitempty"`
	RejectReason string       `json:"reject_reason,omitempty"`
	TriagedAt    time.Time    `json:"triaged_at,omitzero"`
	TriagedBy    string       `json:"triaged_by,omitempty"`

	// Files are the screenshots that came with it, when read back one by one.
	Files []ReportFile `json:"files,omitempty"`
	// Extra are observables found in it beyond URL and Phone: the URLs
	// and senders of a forwarded phishing mail.
	Extra []ReportObservable `json:"observables,omitempty"`
}

// ReportObservable is an observable found in a report, before triage
// makes it an incident's.
type ReportObservable struct {
	Kind  Kind   `json:"kind"`
	Value string `json:"value"`
}

const maxReportText = 10000

// Normalize validates what a reporter sent. region is the country phone
// numbers without a country code belong to ("AZ").
func (r *Report) Normalize(region string) error {
	c, err := ParseCategory(string(r.Category))
	if err != nil {
		return err
	}
	r.Category = c
	if r.ReporterType == "" {
		r.ReporterType = ReporterCitizen
	}
	if !oneOf(r.ReporterType, ReporterTypes) {
		return errs.Field("reporter_type", "%q is not one of citizen, agency, bank, partner-cert, police, other", r.ReporterType)
	}
	if r.Channel == "" {
		r.Channel = ChannelWeb
	}
	if !oneOf(r.Channel, Channels) {
		return errs.Field("channel", "%q is not one of web, api, email, phone, analyst", r.Channel)
	}
	r.Description = strings.TrimSpace(r.Description)
	if !utf8.ValidString(r.Description) {
		return errs.Field("description", "the text is not valid UTF-8")
	}
	if r.Description == "" {
		return errs.Field("description", "say what happened")
	}
	if utf8.RuneCountInString(r.Description) > maxReportText {
		return errs.Field("description", "at most %d characters", maxReportText)
	}
	if r.URL = strings.TrimSpace(r.URL); r.URL != "" {
		v, err := Normalise(KindURL, r.URL, region)
		if err != nil {
			return errs.InField("url", err)
		}
		r.URL = v
	}
	if r.Phone = strings.TrimSpace(r.Phone); r.Phone != "" {
		v, err := Normalise(KindPhone, r.Phone, region)
		if err != nil {
			return errs.InField("phone", err)
		}
		r.Phone = v
	}
	switch r.Language = strings.ToLower(strings.TrimSpace(r.Language)); r.Language {
	case "":
		r.Language = "az"
	case "az", "en", "ru":
	default:
		return errs.Field("language", "%q is not one of az, en, ru", r.Language)
	}
	r.ReporterName = strings.TrimSpace(r.ReporterName)
	if utf8.RuneCountInString(r.ReporterName) > 200 {
		return errs.Field("reporter_name", "at most 200 characters")
	}
	if r.ReporterEmail = strings.TrimSpace(r.ReporterEmail); r.ReporterEmail != "" {
		a, err := mail.ParseAddress(r.ReporterEmail)
		if err != nil || a.Address != r.ReporterEmail || len(r.ReporterEmail) > 254 {
			return errs.Field("reporter_email", "%q is not an e-mail address", r.ReporterEmail)
		}
	}
	return nil
}

func oneOf[T comparable](v T, vs []T) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}

// Title is a first title for an incident opened from r, which the analyst
// will usually improve: the category and what it points at.
func (r *Report) Title() string {
	t := string(r.Category)
	switch {
	case r.URL != "":
		host := r.URL
		if u, err := url.Parse(r.URL); err == nil && u.Host != "" {
			host = u.Host
		}
		t += ": " + host
	case r.Phone != "":
		t += ": " + r.Phone
	}
	return t
}

// Observables are what r names that can be correlated: its URL (and the
// URL's host) and its phone number.
func (r *Report) Observables() []Observable {
	var out []Observable
	if r.URL != "" {
		out = append(out, Observable{Kind: KindURL, Value: r.URL})
		if u, err := url.Parse(r.URL); err == nil && u.Hostname() != "" {
			k := KindDomain
			if _, err := Normalise(KindIP, u.Hostname(), ""); err == nil {
				k = KindIP
			}
			out = append(out, Observable{Kind: k, Value: u.Hostname()})
		}
	}
	if r.Phone != "" {
		out = append(out, Observable{Kind: KindPhone, Value: r.Phone})
	}
	for _, o := range r.Extra {
		dup := false
		for _, x := range out {
			dup = dup || (x.Kind == o.Kind && x.Value == o.Value)
		}
		if !dup {
			out = append(out, Observable{Kind: o.Kind, Value: o.Value})
		}
	}
	return out
}

// NewTrackingCode returns a code for the reporter to follow a report by,
// and its hash, which is all storage keeps: the code is the reporter's
// only credential, so a copy of the database must not reveal it. Letters
// that look alike (0/O, 1/I/L) are left out of its alphabet.
func NewTrackingCode() (code, hash string) {
	const alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
	var sb strings.Builder
	sb.WriteString("R-")
	b := make([]byte, 1)
	for n := 0; n < 12; {
		rand.Read(b)
		// Rejecting the bytes above the last whole multiple of the
		// alphabet keeps every letter equally likely.
		if int(b[0]) >= 256-256%len(alphabet) {
			continue
		}
		if n > 0 && n%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(alphabet[int(b[0])%len(alphabet)])
		n++
	}
	code = sb.String()
	return code, HashTrackingCode(code)
}

// HashTrackingCode is the stored form of a tracking code; it forgives case
// and spaces as a person types them.
func HashTrackingCode(code string) string {
	c := strings.ToUpper(strings.Join(strings.Fields(code), ""))
	sum := sha256.Sum256([]byte(c))
	return hex.EncodeToString(sum[:])
}

// PublicStatus is what a reporter may learn with the tracking code:
// whether the report was received, is being handled, was handled, or was
// not taken up — nothing about the case itself.
func PublicStatus(r ReportStatus, incident Status) string {
	switch r {
	case ReportRejected:
		return "not-taken-up"
	case ReportAccepted:
		if incident == Resolved || incident == Closed || incident == Duplicate {
			return "handled"
		}
		if incident == Rejected {
			return "not-taken-up"
		}
		return "in-progress"
	}
	return "received"
}
