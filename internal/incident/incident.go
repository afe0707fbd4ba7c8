package incident

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/tlp"
)

// Incident is a case: one harmful thing that happened (a phishing site
// impersonating a bank, a vishing campaign, a DDoS against a ministry, a
// personal-data leak), worked from report to closure.
type Incident struct {
	ID          int64  `json:"id"`
	Ref         string `json:"ref"` // QLX-2026-000123
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Classification
	Category Category `json:"category,omitempty"` // what the first report said, when it came from one

	// Severity is the level in force: the assessment's, or the analyst's
	// override (SeverityReason says why, and Assessed keeps the score).
	Severity       Severity   `json:"severity"`
	Criteria       Criteria   `json:"criteria"`
	Assessed       Assessment `json:"assessment"`
	SeverityReason string     `json:"severity_reason,omitempty"` // set when overridden

	Status      Status    `json:"status"`
	TLP         tlp.Label `json:"tlp"`
	PAP         PAP       `json:"pap"`
	Tags        []string  `json:"tags"`
	OrgIDs      []int64   `json:"org_ids"`            // affected organisations
	Orgs        []string  `json:"orgs,omitempty"`     // their short names, when read back (only those the reader may see)
	OwnerTeam   string    `json:"owner_team"`         // the CERT team that owns the case
	Assignee    string    `json:"assignee,omitempty"` // a user name
	DueAt       time.Time `json:"due_at,omitzero"`    // from the SLA of the severity
	Reason      string    `json:"reason,omitempty"`   // of the last rejection, reopening or resolution
	DuplicateOf int64     `json:"duplicate_of,omitempty"`

	CreatedAt   time.Time `json:"created_at"`
	CreatedBy   string    `json:"created_by"`
	UpdatedAt   time.Time `json:"updated_at"`
	TriagedAt   time.Time `json:"triaged_at,omitzero"`
	ContainedAt time.Time `json:"contained_at,omitzero"`
	ResolvedAt  time.Time `json:"resolved_at,omitzero"`
	ClosedAt    time.Time `json:"closed_at,omitzero"`
}

// DefaultTeam owns an incident nobody gave to another team.
const DefaultTeam = "incident-response"

const (
	maxTitle       = 200
	maxDescription = 20000
	maxTags        = 20
)

// tagRE is compiled when first used: its \p{L} and \p{N} classes take
// milliseconds to compile, which every command would pay at start-up.
var tagRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N}:._/-]{0,39}$`)
})
var teamRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,39}$`)

// Normalize checks and tidies the fields a person writes. It does not
// touch status, severity or dates: Open and the lifecycle own those.
func (i *Incident) Normalize() error {
	i.Title = strings.Join(strings.Fields(i.Title), " ")
	if i.Title == "" {
		return errs.Field("title", "give the incident a title")
	}
	if utf8.RuneCountInString(i.Title) > maxTitle {
		return errs.Field("title", "at most %d characters", maxTitle)
	}
	i.Description = strings.TrimSpace(i.Description)
	if utf8.RuneCountInString(i.Description) > maxDescription {
		return errs.Field("description", "at most %d characters", maxDescription)
	}
	if !utf8.ValidString(i.Title) || !utf8.ValidString(i.Description) {
		return errs.Field("description", "the text is not valid UTF-8")
	}
	if err := i.Classification.Normalize(); err != nil {
		return err
	}
	if i.Category != "" {
		c, err := ParseCategory(string(i.Category))
		if err != nil {
			return err
		}
		i.Category = c
	}
	if i.TLP == "" {
		i.TLP = tlp.Amber
	} else {
		l, err := tlp.Parse(string(i.TLP))
		if err != nil {
			return errs.InField("tlp", err)
		}
		i.TLP = l
	}
	if i.PAP == "" {
		i.PAP = PAPAmber
	} else {
		p, err := ParsePAP(string(i.PAP))
		if err != nil {
			return err
		}
		i.PAP = p
	}
	tags := []string{}
	for _, t := range i.Tags {
		t = strings.ToLower(strings.TrimSpace(t))
		if t == "" || slices.Contains(tags, t) {
			continue
		}
		if !tagRE().MatchString(t) {
			return errs.Field("tags", "%q is not a tag (letters, digits, ':', '.', '_', '/', '-'; at most 40)", t)
		}
		tags = append(tags, t)
	}
	if len(tags) > maxTags {
		return errs.Field("tags", "at most %d tags", maxTags)
	}
	i.Tags = tags
	slices.Sort(i.OrgIDs)
	i.OrgIDs = slices.Compact(i.OrgIDs)
	i.OwnerTeam = strings.ToLower(strings.TrimSpace(i.OwnerTeam))
	if i.OwnerTeam == "" {
		i.OwnerTeam = DefaultTeam
	}
	if !teamRE.MatchString(i.OwnerTeam) {
		return errs.Field("owner_team", "%q is not a team name (lower-case letters, digits, '.', '_', '-')", i.OwnerTeam)
	}
	i.Assignee = strings.TrimSpace(i.Assignee)
	return i.Criteria.Validate()
}

// Open starts a normalised incident's life at now: status new, severity
// and due date from the policy's assessment of its criteria.
func (p Policy) Open(i *Incident, actor string, now time.Time) {
	i.Status = New
	i.CreatedAt, i.UpdatedAt, i.CreatedBy = now, now, actor
	i.Assessed = p.Assess(i.Criteria)
	i.Severity, i.SeverityReason = i.Assessed.Severity, ""
	i.DueAt = p.DueAt(i.Severity, now)
}

// Overdue reports whether an open incident is past its due date at now.
func (i *Incident) Overdue(now time.Time) bool {
	return i.Status.Open() && !i.DueAt.IsZero() && now.After(i.DueAt)
}

// Overridden reports whether an analyst set the severity over the
// assessment's.
func (i *Incident) Overridden() bool { return i.SeverityReason != "" }
