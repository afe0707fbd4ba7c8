package notify

import (
	_ "embed"
	"fmt"
	"path"

	"go.yaml.in/yaml/v3"

	"github.com/qalxan/qalxan/internal/constituency"
)

//go:embed remediation.yaml
var remediationYAML []byte

// Remedy is what to do about findings whose identifier matches one of
// Match (path.Match patterns), in each language.
type Remedy struct {
	Match []string `yaml:"match"`
	AZ    string   `yaml:"az"`
	EN    string   `yaml:"en"`
	RU    string   `yaml:"ru"`
}

// In is the remedy's text in lang (English when lang is unknown).
func (r Remedy) In(lang constituency.Language) string {
	switch lang {
	case constituency.Azerbaijani:
		return r.AZ
	case constituency.Russian:
		return r.RU
	}
	return r.EN
}

// Remedies is the remediation table: the first entry matching an
// identifier wins; the entry matching "default" is for the rest.
type Remedies []Remedy

// DefaultRemedies is the built-in table (remediation.yaml).
func DefaultRemedies() Remedies {
	r, err := ParseRemedies(remediationYAML)
	if err != nil {
		panic(err)
	}
	return r
}

// ParseRemedies reads and checks a remediation table.
func ParseRemedies(b []byte) (Remedies, error) {
	var r Remedies
	if err := yaml.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("notify: remediation table: %w", err)
	}
	hasDefault := false
	for i, e := range r {
		if len(e.Match) == 0 {
			return nil, fmt.Errorf("notify: remediation table: entry %d has no match", i+1)
		}
		for _, m := range e.Match {
			if _, err := path.Match(m, ""); err != nil {
				return nil, fmt.Errorf("notify: remediation table: entry %d: bad pattern %q", i+1, m)
			}
			hasDefault = hasDefault || m == "default"
		}
		if e.AZ == "" || e.EN == "" || e.RU == "" {
			return nil, fmt.Errorf("notify: remediation table: entry %d (%s) lacks a language", i+1, e.Match[0])
		}
	}
	if !hasDefault {
		return nil, fmt.Errorf("notify: remediation table: no default entry")
	}
	return r, nil
}

// For is the remedy for a finding identifier.
func (rs Remedies) For(identifier string) Remedy {
	var def Remedy
	for _, r := range rs {
		for _, m := range r.Match {
			if m == "default" {
				def = r
				continue
			}
			if ok, _ := path.Match(m, identifier); ok {
				return r
			}
		}
	}
	return def
}
