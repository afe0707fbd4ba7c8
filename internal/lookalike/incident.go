package lookalike

import (
	"fmt"
	"strings"
	"time"
)

// Incidents opened from a look-alike are phishing in RSIT (fraud/phishing)
// with this identifier, so they can be found and counted apart from
// phishing reported by people.
const (
	IncidentType       = "phishing"
	IncidentIdentifier = "lookalike-domain"
	IncidentTag        = "lookalike"
)

// Sighting is what an incident about a look-alike says: the candidate's
// facts, as the store keeps them.
type Sighting struct {
	Brand      string
	Org        string
	Registered string
	Domain     string
	Unicode    string
	Score      int
	Reasons    []Reason
	Seen       int
	FirstSeen  time.Time
	LastSeen   time.Time
}

// IncidentTitle is the title of the incident about s.
func (s Sighting) IncidentTitle() string {
	name := s.Unicode
	if name == "" {
		name = s.Domain
	}
	t := "Look-alike domain of " + s.Brand + ": " + name
	if r := []rune(t); len(r) > 200 {
		t = string(r[:199]) + "…"
	}
	return t
}

// IncidentDescription explains the incident: which name imitates which
// brand, the score and every reason for it, and when it was seen.
func (s Sighting) IncidentDescription() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s", s.Domain)
	if s.Unicode != "" && s.Unicode != s.Domain {
		fmt.Fprintf(&b, " (%s)", s.Unicode)
	}
	fmt.Fprintf(&b, " imitates %s", s.Brand)
	if s.Org != "" {
		fmt.Fprintf(&b, " of %s", s.Org)
	}
	fmt.Fprintf(&b, ". Registered domain: %s. Look-alike score %d:\n", s.Registered, s.Score)
	for _, r := range s.Reasons {
		fmt.Fprintf(&b, "- %s: %s (+%d)\n", r.Code, r.Detail, r.Points)
	}
	if !s.FirstSeen.IsZero() {
		fmt.Fprintf(&b, "First seen %s", s.FirstSeen.UTC().Format(time.RFC3339))
		if s.Seen > 1 {
			fmt.Fprintf(&b, ", last seen %s, %d sightings", s.LastSeen.UTC().Format(time.RFC3339), s.Seen)
		}
		b.WriteString(".\n")
	}
	return b.String()
}
