package finding

import (
	"path"
	"time"

	"github.com/qalxan/qalxan/internal/errs"
)

// Rule gives a severity to the findings it matches. Match is a
// path.Match pattern over the identifier ("vulnerable-*",
// "infected-system/*") or, failing that, the type or taxonomy; the first
// matching rule of a policy wins.
type Rule struct {
	Match    string   `yaml:"match" json:"match"`
	Severity Severity `yaml:"severity" json:"severity"`
}

// Policy is how severe a gap is and how long its owner has to fix it. A
// CERT changes it in the configuration file (findings: in qalxan.yaml).
type Policy struct {
	Rules   []Rule   `yaml:"rules" json:"rules"`
	Default Severity `yaml:"default" json:"default"` // for a finding no rule matches
	// RaiseCritical raises severity one level for critical information
	// infrastructure owners (the organisation's criticality).
	RaiseCritical bool `yaml:"raise_critical" json:"raise_critical"`
	// SLA is the time to fix per severity, from when the finding opens.
	SLA map[Severity]time.Duration `yaml:"sla" json:"sla"`
	// Quiet is how long the source must stop reporting a finding the owner
	// marked resolved before it is closed as verified.
	Quiet time.Duration `yaml:"quiet" json:"quiet"`
}

// DefaultPolicy is the policy out of the box: gaps that give an attacker
// control of a system (infections, remotely exploitable services,
// compromised sites) first, then exposed services and weak configuration.
func DefaultPolicy() Policy {
	return Policy{
		Rules: []Rule{
			{"compromised*", Critical},
			{"infected-system*", Critical},
			{"malware-distribution*", Critical},
			{"ransomware*", Critical},
			{"backdoor*", Critical},
			{"c2-server*", Critical},
			{"vulnerable-exchange*", Critical},
			{"*bluekeep*", Critical},
			{"phishing*", High},
			{"vulnerable-system", Medium},
			{"vulnerable-service", Medium},
			{"vulnerable-*", High},
			{"accessible-rdp", High},
			{"accessible-smb", High},
			{"accessible-telnet", High},
			{"open-elasticsearch", High},
			{"open-mongodb", High},
			{"open-redis", High},
			{"accessible-*", Medium},
			{"open-*", Medium},
			{"amplification*", Medium},
			{"ddos-amplifier", Medium},
			{"weak-crypto", Medium},
			{"potentially-unwanted-accessible", Medium},
			{"blacklist*", Low},
			{"spam", Low},
			{"scanner", Low},
			{"brute-force", Low},
			{"monitor/*", Medium},
		},
		Default:       Low,
		RaiseCritical: true,
		SLA: map[Severity]time.Duration{
			Critical: 2 * 24 * time.Hour,
			High:     7 * 24 * time.Hour,
			Medium:   30 * 24 * time.Hour,
			Low:      90 * 24 * time.Hour,
		},
		Quiet: 7 * 24 * time.Hour,
	}
}

// Validate checks the patterns and durations.
func (p Policy) Validate() error {
	for i, r := range p.Rules {
		if r.Match == "" {
			return errs.E(errs.Invalid, "findings policy: rule %d has no match", i+1)
		}
		if _, err := path.Match(r.Match, ""); err != nil {
			return errs.E(errs.Invalid, "findings policy: rule %d: bad pattern %q", i+1, r.Match)
		}
	}
	for s, d := range p.SLA {
		if d < 0 {
			return errs.E(errs.Invalid, "findings policy: SLA for %s is negative", s)
		}
	}
	if p.Quiet < 0 {
		return errs.E(errs.Invalid, "findings policy: quiet period is negative")
	}
	return nil
}

// SeverityOf is the severity of a gap with this identifier, type and
// taxonomy, for an owner that is critical infrastructure or not.
func (p Policy) SeverityOf(identifier, typ, taxonomy string, critical bool) Severity {
	s := p.Default
	for _, cand := range []string{identifier, typ, taxonomy} {
		if cand == "" {
			continue
		}
		if r, ok := p.match(cand); ok {
			s = r.Severity
			break
		}
	}
	if critical && p.RaiseCritical {
		s = s.Raised()
	}
	return s
}

func (p Policy) match(v string) (Rule, bool) {
	for _, r := range p.Rules {
		if ok, _ := path.Match(r.Match, v); ok {
			return r, true
		}
	}
	return Rule{}, false
}

// DueAt is when a finding of severity s opened at opened must be fixed;
// zero when the policy sets no SLA for s.
func (p Policy) DueAt(s Severity, opened time.Time) time.Time {
	d, ok := p.SLA[s]
	if !ok || d == 0 {
		return time.Time{}
	}
	return opened.Add(d)
}
