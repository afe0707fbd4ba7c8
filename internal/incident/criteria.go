package incident

import (
	"fmt"
	"time"

	"github.com/qalxan/qalxan/internal/errs"
)

// Criteria are the facts severity is scored from, in the spirit of CISA's
// National Cyber Incident Scoring System and the NIS2 "significant
// incident" thresholds: how many are hurt, how badly, how far it reaches.
// An analyst fills them in at triage; unknown counts stay zero.
type Criteria struct {
	PeopleAffected int64 `json:"people_affected" yaml:"people_affected"` // people or records
	CII            bool  `json:"cii" yaml:"cii"`                         // critical information infrastructure involved
	PersonalData   bool  `json:"personal_data" yaml:"personal_data"`     // personal data involved
	FinancialLoss  int64 `json:"financial_loss" yaml:"financial_loss"`   // in the policy's currency (AZN by default)
	OutageMinutes  int64 `json:"outage_minutes" yaml:"outage_minutes"`   // service outage duration
	CrossBorder    bool  `json:"cross_border" yaml:"cross_border"`       // other countries affected or involved
	Spreading      bool  `json:"spreading" yaml:"spreading"`             // still spreading to new victims or systems
}

// Validate refuses negative counts.
func (c Criteria) Validate() error {
	for _, f := range []struct {
		name string
		v    int64
	}{{"people_affected", c.PeopleAffected}, {"financial_loss", c.FinancialLoss}, {"outage_minutes", c.OutageMinutes}} {
		if f.v < 0 {
			return errs.Field(f.name, "must not be negative, got %d", f.v)
		}
	}
	return nil
}

// Step gives Points to a count of at least Min. A scale's points are
// those of the highest step reached.
type Step struct {
	Min    int64 `json:"min" yaml:"min"`
	Points int   `json:"points" yaml:"points"`
}

// Policy is the written scoring: points per criterion, the score each
// level starts at, and the time to resolve per level. A CERT changes it
// in the configuration file (incidents.severity in qalxan.yaml).
type Policy struct {
	People       []Step `json:"people" yaml:"people"`
	CII          int    `json:"cii" yaml:"cii"`
	PersonalData int    `json:"personal_data" yaml:"personal_data"`
	Loss         []Step `json:"financial_loss" yaml:"financial_loss"`
	Outage       []Step `json:"outage_minutes" yaml:"outage_minutes"`
	CrossBorder  int    `json:"cross_border" yaml:"cross_border"`
	Spreading    int    `json:"spreading" yaml:"spreading"`
	Currency     string `json:"currency" yaml:"currency"`
	// Thresholds are the lowest scores of medium, high and critical; a
	// lower score is low.
	Thresholds map[Severity]int `json:"thresholds" yaml:"thresholds"`
	// SLA is the time to resolve per severity, from when the incident opens.
	SLA map[Severity]time.Duration `json:"sla" yaml:"sla"`
}

// DefaultPolicy is the policy out of the box. Critical infrastructure
// alone makes an incident high; with an outage of a day, or personal data
// of ten thousand people, critical. A lone citizen's vishing call scores
// nothing and stays low; a campaign reaching thousands is medium, high
// when it is still spreading.
func DefaultPolicy() Policy {
	return Policy{
		People:       []Step{{10, 1}, {1000, 2}, {10000, 3}, {100000, 4}},
		CII:          5,
		PersonalData: 2,
		Loss:         []Step{{1000, 1}, {50000, 2}, {1000000, 4}},
		Outage:       []Step{{60, 1}, {240, 2}, {1440, 3}},
		CrossBorder:  1,
		Spreading:    2,
		Currency:     "AZN",
		Thresholds:   map[Severity]int{Medium: 2, High: 5, Critical: 8},
		SLA: map[Severity]time.Duration{
			Critical: 24 * time.Hour,
			High:     3 * 24 * time.Hour,
			Medium:   10 * 24 * time.Hour,
			Low:      30 * 24 * time.Hour,
		},
	}
}

// Validate checks that scales rise and thresholds are in order.
func (p Policy) Validate() error {
	for name, sc := range map[string][]Step{"people": p.People, "financial_loss": p.Loss, "outage_minutes": p.Outage} {
		for i := 1; i < len(sc); i++ {
			if sc[i].Min <= sc[i-1].Min {
				return errs.E(errs.Invalid, "incident severity policy: %s steps must rise (step %d has min %d after %d)", name, i+1, sc[i].Min, sc[i-1].Min)
			}
		}
		for _, s := range sc {
			if s.Min < 0 || s.Points < 0 {
				return errs.E(errs.Invalid, "incident severity policy: %s has a negative step", name)
			}
		}
	}
	if p.CII < 0 || p.PersonalData < 0 || p.CrossBorder < 0 || p.Spreading < 0 {
		return errs.E(errs.Invalid, "incident severity policy: points must not be negative")
	}
	m, h, c := p.Thresholds[Medium], p.Thresholds[High], p.Thresholds[Critical]
	if m <= 0 || h <= m || c <= h {
		return errs.E(errs.Invalid, "incident severity policy: thresholds must rise: medium %d < high %d < critical %d, all above 0", m, h, c)
	}
	for s, d := range p.SLA {
		if d < 0 {
			return errs.E(errs.Invalid, "incident severity policy: SLA for %s is negative", s)
		}
	}
	return nil
}

// Line is one criterion's part in a score, shown next to the level so
// that anyone can check the arithmetic.
type Line struct {
	Criterion string `json:"criterion"`
	Value     string `json:"value"`
	Points    int    `json:"points"`
}

// Assessment is the policy's verdict on some criteria.
type Assessment struct {
	Score    int      `json:"score"`
	Severity Severity `json:"severity"`
	Lines    []Line   `json:"lines"` // every criterion, scoring or not
}

// Assess scores c.
func (p Policy) Assess(c Criteria) Assessment {
	var a Assessment
	add := func(name, value string, pts int) {
		a.Lines = append(a.Lines, Line{name, value, pts})
		a.Score += pts
	}
	flag := func(name string, on bool, pts int) {
		if on {
			add(name, "yes", pts)
		} else {
			add(name, "no", 0)
		}
	}
	add("people_affected", fmt.Sprint(c.PeopleAffected), stepPoints(p.People, c.PeopleAffected))
	flag("cii", c.CII, p.CII)
	flag("personal_data", c.PersonalData, p.PersonalData)
	add("financial_loss", fmt.Sprintf("%d %s", c.FinancialLoss, p.Currency), stepPoints(p.Loss, c.FinancialLoss))
	add("outage_minutes", fmt.Sprint(c.OutageMinutes), stepPoints(p.Outage, c.OutageMinutes))
	flag("cross_border", c.CrossBorder, p.CrossBorder)
	flag("spreading", c.Spreading, p.Spreading)
	a.Severity = p.level(a.Score)
	return a
}

// stepPoints is the points of the highest step v reaches; 0 below them all.
func stepPoints(sc []Step, v int64) int {
	pts := 0
	for _, s := range sc {
		if v >= s.Min && v > 0 {
			pts = s.Points
		}
	}
	return pts
}

func (p Policy) level(score int) Severity {
	lv := Low
	for _, s := range []Severity{Medium, High, Critical} {
		if t, ok := p.Thresholds[s]; ok && score >= t {
			lv = s
		}
	}
	return lv
}

// DueAt is when an incident of severity s opened at opened should be
// resolved; zero when the policy sets no SLA for s.
func (p Policy) DueAt(s Severity, opened time.Time) time.Time {
	d, ok := p.SLA[s]
	if !ok || d == 0 {
		return time.Time{}
	}
	return opened.Add(d)
}
