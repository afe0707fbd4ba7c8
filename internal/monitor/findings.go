package monitor

import (
	"path"
	"slices"
	"time"

	"github.com/qalxan/qalxan/internal/finding"
)

// Source names monitoring as the reporter of its findings.
const Source = "monitor"

// Observations turns a report's failing checks into sightings of the
// owner's findings, filed under resource (the registry's value).
func Observations(rep Report, orgID int64, critical bool, resource string, seen time.Time) []finding.Observation {
	var out []finding.Observation
	for _, r := range rep.Results {
		if r.Status != Fail {
			continue
		}
		c, _ := Lookup(r.Check)
		out = append(out, finding.Observation{OrgID: orgID, Critical: critical, Resource: resource, Identifier: r.Identifier(),
			Taxonomy: taxonomyOf(c.Type), Type: c.Type, Source: Source, Seen: seen})
	}
	return out
}

// Passed is the finding keys a report shows fixed: its passing checks.
// A finding of one of them that the owner marked resolved is verified.
func Passed(rep Report, orgID int64, resource string) []finding.Key {
	var out []finding.Key
	for _, r := range rep.Results {
		if r.Status == Pass {
			out = append(out, finding.Key{OrgID: orgID, Resource: resource, Identifier: r.Identifier()})
		}
	}
	return out
}

// taxonomyOf is the RSIT taxonomy of a check's type.
func taxonomyOf(typ string) string {
	switch typ {
	case "information-disclosure":
		return "information-content-security"
	case "compromised":
		return "intrusions"
	}
	return "vulnerable"
}

// Policy is p with the catalogue's severities for monitoring findings,
// placed before p's first rule that would catch them (the default
// policy's "monitor/*"), so a CERT's own earlier, specific rules still
// win.
func Policy(p finding.Policy) finding.Policy {
	var rules []finding.Rule
	for _, c := range catalogue().Checks {
		rules = append(rules, finding.Rule{Match: "monitor/" + c.ID, Severity: c.Severity}, finding.Rule{Match: "monitor/" + c.ID + "/*", Severity: c.Severity})
	}
	at := slices.IndexFunc(p.Rules, func(r finding.Rule) bool {
		ok, _ := path.Match(r.Match, "monitor/x")
		return ok
	})
	if at < 0 {
		at = len(p.Rules)
	}
	out := p
	out.Rules = slices.Concat(p.Rules[:at], rules, p.Rules[at:])
	return out
}
