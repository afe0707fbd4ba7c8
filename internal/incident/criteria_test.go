package incident

import (
	"testing"
	"time"
)

func TestAssess(t *testing.T) {
	p := DefaultPolicy()
	tests := []struct {
		name  string
		c     Criteria
		score int
		want  Severity
	}{
		{"one citizen's vishing call", Criteria{PeopleAffected: 1}, 0, Low},
		{"a campaign reaching thousands", Criteria{PeopleAffected: 5000}, 2, Medium},
		{"a campaign still spreading", Criteria{PeopleAffected: 5000, Spreading: true}, 4, Medium},
		{"spreading, abroad too", Criteria{PeopleAffected: 5000, Spreading: true, CrossBorder: true}, 5, High},
		{"critical infrastructure alone", Criteria{CII: true}, 5, High},
		{"CII down for a day", Criteria{CII: true, OutageMinutes: 1440}, 8, Critical},
		{"personal data of 20k people", Criteria{PeopleAffected: 20000, PersonalData: true}, 5, High},
		{"personal data of 200k people with loss", Criteria{PeopleAffected: 200000, PersonalData: true, FinancialLoss: 60000}, 8, Critical},
		{"a shop lost 500 AZN", Criteria{FinancialLoss: 500}, 0, Low},
		{"DDoS of two hours", Criteria{OutageMinutes: 120}, 1, Low},
	}
	for _, tt := range tests {
		a := p.Assess(tt.c)
		if a.Score != tt.score || a.Severity != tt.want {
			t.Errorf("%s: got score %d %s, want %d %s", tt.name, a.Score, a.Severity, tt.score, tt.want)
		}
		if len(a.Lines) != 7 {
			t.Errorf("%s: got %d lines, want all 7 criteria shown", tt.name, len(a.Lines))
		}
		sum := 0
		for _, l := range a.Lines {
			sum += l.Points
		}
		if sum != a.Score {
			t.Errorf("%s: lines add up to %d, score is %d", tt.name, sum, a.Score)
		}
	}
}

func TestPolicyValidate(t *testing.T) {
	if err := DefaultPolicy().Validate(); err != nil {
		t.Fatalf("default policy: %v", err)
	}
	bad := []func(*Policy){
		func(p *Policy) { p.People = []Step{{100, 1}, {10, 2}} },
		func(p *Policy) { p.Thresholds = map[Severity]int{Medium: 5, High: 3, Critical: 8} },
		func(p *Policy) { p.Thresholds = map[Severity]int{High: 3, Critical: 8} },
		func(p *Policy) { p.CII = -1 },
		func(p *Policy) { p.SLA[High] = -time.Hour },
	}
	for i, f := range bad {
		p := DefaultPolicy()
		f(&p)
		if err := p.Validate(); err == nil {
			t.Errorf("case %d: got no error", i)
		}
	}
}

func TestOpenReassessOverride(t *testing.T) {
	p := DefaultPolicy()
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	i := &Incident{Ref: "QLX-2026-000001", Criteria: Criteria{PeopleAffected: 5000}}
	p.Open(i, "ana", t0)
	if i.Status != New || i.Severity != Medium || !i.DueAt.Equal(t0.Add(10*24*time.Hour)) {
		t.Fatalf("opened: got %s %s due %v", i.Status, i.Severity, i.DueAt)
	}
	if _, err := p.Reassess(i, Criteria{CII: true, OutageMinutes: 1440}, "ana", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if i.Severity != Critical || !i.DueAt.Equal(t0.Add(24*time.Hour)) {
		t.Errorf("reassessed: got %s due %v, want critical due a day after opening", i.Severity, i.DueAt)
	}
	if _, err := p.Override(i, High, "", "ana", t0); err == nil {
		t.Error("override without a reason: got no error")
	}
	if _, err := p.Override(i, High, "the outage was planned maintenance", "ana", t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if i.Severity != High || !i.Overridden() || i.Assessed.Severity != Critical {
		t.Errorf("overridden: got %s overridden=%v assessed %s", i.Severity, i.Overridden(), i.Assessed.Severity)
	}
	// New criteria do not undo an analyst's override.
	if _, err := p.Reassess(i, Criteria{PeopleAffected: 1}, "ana", t0.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if i.Severity != High || i.Assessed.Severity != Low {
		t.Errorf("reassessed after override: got %s (assessed %s), want the override to stay", i.Severity, i.Assessed.Severity)
	}
	if _, err := p.Override(i, Low, "back to the criteria", "ana", t0); err != nil {
		t.Fatal(err)
	}
	if i.Overridden() {
		t.Error("override back to the assessed level: still overridden")
	}
}
