package monitor

import (
	"time"

	"github.com/qalxan/qalxan/internal/finding"
)

// Status is a check's outcome.
type Status string

const (
	Pass    Status = "pass"
	Fail    Status = "fail"    // a gap: becomes a finding
	Error   Status = "error"   // the check could not be run (a timeout, a refused connection it needed)
	Skipped Status = "skipped" // not applicable (no MX, an IP address has no DNS, HTTPS unreachable)
)

// Result is one check's outcome on one target. Instance tells apart
// several results of one check (the service of an open port).
type Result struct {
	Check    string           `json:"check"`
	Instance string           `json:"instance,omitempty"`
	Status   Status           `json:"status"`
	Severity finding.Severity `json:"severity"`
	Evidence string           `json:"evidence"`
}

// Identifier is the finding identifier of the result:
// "monitor/<check>" or "monitor/<check>/<instance>".
func (r Result) Identifier() string {
	if r.Instance != "" {
		return "monitor/" + r.Check + "/" + r.Instance
	}
	return "monitor/" + r.Check
}

// Report is one run of every applicable check on one target.
type Report struct {
	Target   string        `json:"target"`
	Started  time.Time     `json:"started"`
	Duration time.Duration `json:"duration_ns"`
	Results  []Result      `json:"results"`
	Score    int           `json:"score"` // Observatory-style header score; -1 when the site was not reachable
	Grade    string        `json:"grade"`
	// Up is whether the site answered HTTP(S) at all; TTFB is how soon
	// its landing page's first response began (connecting included).
	Up   bool          `json:"up"`
	TTFB time.Duration `json:"ttfb_ns,omitempty"`
	// Content is the landing page's text fingerprint, for the baseline.
	Content *Fingerprint `json:"content,omitempty"`
}

// Count is how many results have status st.
func (r *Report) Count(st Status) int {
	n := 0
	for _, x := range r.Results {
		if x.Status == st {
			n++
		}
	}
	return n
}

// result builds a result with the catalogue's severity.
func result(id string, st Status, evidence string) Result {
	c, ok := Lookup(id)
	if !ok {
		panic("monitor: check " + id + " is not in the catalogue")
	}
	return Result{Check: id, Status: st, Severity: c.Severity, Evidence: evidence}
}

// passIf is pass when ok, fail otherwise, with the same evidence.
func passIf(id string, ok bool, evidence string) Result {
	if ok {
		return result(id, Pass, evidence)
	}
	return result(id, Fail, evidence)
}

// skipAll marks checks skipped with one reason.
func skipAll(reason string, ids ...string) []Result {
	out := make([]Result, len(ids))
	for i, id := range ids {
		out[i] = result(id, Skipped, reason)
	}
	return out
}
