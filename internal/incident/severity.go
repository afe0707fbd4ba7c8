package incident

import (
	"fmt"
	"strings"

	"github.com/qalxan/qalxan/internal/errs"
)

// Severity is how grave an incident is, from the criteria (criteria.go)
// or an analyst's override.
type Severity int

const (
	Low Severity = iota
	Medium
	High
	Critical
)

// Severities lists the levels from the least to the most grave.
var Severities = []Severity{Low, Medium, High, Critical}

var severityNames = [...]string{"low", "medium", "high", "critical"}

func (s Severity) String() string {
	if s < Low || s > Critical {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// Valid reports whether s is a known level.
func (s Severity) Valid() bool { return s >= Low && s <= Critical }

// ParseSeverity reads a severity name (any case).
func ParseSeverity(v string) (Severity, error) {
	for i, n := range severityNames {
		if strings.EqualFold(strings.TrimSpace(v), n) {
			return Severity(i), nil
		}
	}
	return Low, errs.E(errs.Invalid, "severity %q is not one of low, medium, high, critical", v)
}

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
