package lookalike

import "github.com/qalxan/qalxan/internal/errs"

// Status is where an analyst's triage of a look-alike stands.
type Status string

const (
	New       Status = "new"       // found, not looked at
	Confirmed Status = "confirmed" // a fraud: take-down, warning, incident
	Dismissed Status = "dismissed" // innocent; it stays dismissed when seen again
)

// ParseStatus checks s against the statuses.
func ParseStatus(s string) (Status, error) {
	switch v := Status(s); v {
	case New, Confirmed, Dismissed:
		return v, nil
	}
	return "", errs.Field("status", "unknown status %q (want new, confirmed or dismissed)", s)
}
