package finding

import (
	"fmt"
	"strings"

	"github.com/qalxan/qalxan/internal/errs"
)

// Severity orders findings by how soon they must be fixed.
type Severity int

const (
	Info Severity = iota
	Low
	Medium
	High
	Critical
)

var severityNames = [...]string{"info", "low", "medium", "high", "critical"}

func (s Severity) String() string {
	if s < Info || s > Critical {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity reads a severity name (any case).
func ParseSeverity(v string) (Severity, error) {
	for i, n := range severityNames {
		if strings.EqualFold(strings.TrimSpace(v), n) {
			return Severity(i), nil
		}
	}
	return Info, errs.E(errs.Invalid, "severity %q is not one of critical, high, medium, low, info", v)
}

// Raised is one level higher, at most Critical.
func (s Severity) Raised() Severity { return min(s+1, Critical) }

// MarshalText and UnmarshalText make a severity its name in JSON and YAML.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}
