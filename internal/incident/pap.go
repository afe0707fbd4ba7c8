package incident

import (
	"strings"

	"github.com/qalxan/qalxan/internal/errs"
)

// PAP is the Permissible Actions Protocol label (as TheHive and MISP use
// it): what a recipient may do with the information, where TLP says whom
// they may tell.
type PAP string

const (
	PAPClear PAP = "clear" // any action, including active ones visible to the adversary
	PAPGreen PAP = "green" // active actions that the adversary could see (blocking, take-down requests)
	PAPAmber PAP = "amber" // passive actions only (look it up, do not touch)
	PAPRed   PAP = "red"   // no action outside the case: the adversary must not learn we know
)

// PAPs lists the labels from the least to the most restrictive.
var PAPs = []PAP{PAPClear, PAPGreen, PAPAmber, PAPRed}

// ParsePAP accepts "amber" and "PAP:AMBER" (and the old "white" for clear).
func ParsePAP(s string) (PAP, error) {
	v := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(s)), "pap:")
	if v == "white" {
		v = string(PAPClear)
	}
	for _, p := range PAPs {
		if v == string(p) {
			return p, nil
		}
	}
	return "", errs.Field("pap", "unknown PAP label %q (want clear, green, amber or red)", s)
}

// String is the label as written on a document: "PAP:AMBER".
func (p PAP) String() string { return "PAP:" + strings.ToUpper(string(p)) }
