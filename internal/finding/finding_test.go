package finding

import (
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/errs"
)

var t0 = time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)

func day(n int) time.Time { return t0.Add(time.Duration(n) * 24 * time.Hour) }

func TestSeverityPolicy(t *testing.T) {
	p := DefaultPolicy()
	tests := []struct {
		id, typ, tax string
		critical     bool
		want         Severity
	}{
		{"accessible-rdp", "vulnerable-system", "vulnerable", false, High},
		{"accessible-rdp", "vulnerable-system", "vulnerable", true, Critical},
		{"infected-system/emotet", "infected-system", "malicious-code", false, Critical},
		{"infected-system/emotet", "infected-system", "malicious-code", true, Critical}, // already the top
		{"open-ipmi", "vulnerable-system", "vulnerable", false, Medium},
		{"ssl-freak", "vulnerable-system", "vulnerable", false, Medium}, // no identifier rule: the type's
		{"", "spam", "abusive-content", false, Low},
		{"something-new", "other", "other", false, Low}, // the default
	}
	for _, tc := range tests {
		if got := p.SeverityOf(tc.id, tc.typ, tc.tax, tc.critical); got != tc.want {
			t.Errorf("%s/%s critical=%v: got %s, want %s", tc.id, tc.typ, tc.critical, got, tc.want)
		}
	}
	if got := p.DueAt(Critical, t0); !got.Equal(day(2)) {
		t.Errorf("critical due: got %v, want two days on", got)
	}
	if err := (Policy{Rules: []Rule{{Match: "[", Severity: Low}}}).Validate(); errs.CodeOf(err) != errs.Invalid {
		t.Errorf("bad pattern: got %v, want invalid", err)
	}
	var s Severity
	if err := s.UnmarshalText([]byte("HIGH")); err != nil || s != High {
		t.Errorf("parse HIGH: got %v, %v", s, err)
	}
}

func TestStateMachine(t *testing.T) {
	// Every pair: allowed exactly when the table says so, and then the
	// change records from, to and actor.
	for _, from := range Statuses {
		for _, to := range Statuses {
			f := &Finding{ID: 7, Status: from}
			_, err := Move(f, Action{To: to, Actor: "ana", Reason: "because", Until: day(30)}, day(1))
			if CanMove(from, to) != (err == nil) {
				t.Errorf("%s → %s: allowed=%v, got %v", from, to, CanMove(from, to), err)
			}
			if err != nil && errs.CodeOf(err) != errs.Conflict {
				t.Errorf("%s → %s: got %v, want a conflict error", from, to, err)
			}
		}
	}
	f := &Finding{ID: 1, Status: Open}
	for _, a := range []Action{{To: Accepted, Actor: "ana", Until: day(30)}, {To: Accepted, Actor: "ana", Reason: "legacy system", Until: day(-1)},
		{To: FalsePositive, Actor: "ana"}} {
		if _, err := Move(f, a, day(1)); errs.CodeOf(err) != errs.Invalid || f.Status != Open {
			t.Errorf("%+v: got %v, status %s; want invalid and no change", a, err, f.Status)
		}
	}
	ch, err := Move(f, Action{To: Acknowledged, Actor: "officer"}, day(2))
	if err != nil || f.Status != Acknowledged || !f.AcknowledgedAt.Equal(day(2)) || ch.From != Open || ch.To != Acknowledged || ch.Actor != "officer" {
		t.Errorf("acknowledge: got %+v %+v, %v", f, ch, err)
	}
}

func TestLifecycleThroughSightings(t *testing.T) {
	p := DefaultPolicy()
	obs := Observation{OrgID: 3, Resource: "192.0.2.10:3389", Identifier: "accessible-rdp", Type: "vulnerable-system", Source: "shadowserver", Seen: day(0)}
	f, ch := p.Observe(nil, obs)
	if ch != nil || f.Status != Open || f.Severity != High || f.Count != 1 || !f.DueAt.Equal(day(7)) {
		t.Fatalf("new: got %+v, %v", f, ch)
	}
	obs.Seen = day(1)
	if f, ch = p.Observe(&f, obs); ch != nil || f.Count != 2 || !f.LastSeen.Equal(day(1)) || !f.FirstSeen.Equal(day(0)) {
		t.Fatalf("again: got %+v, %v", f, ch)
	}
	if _, err := Move(&f, Action{To: Resolved, Actor: "officer", Reason: "port closed"}, day(2)); err != nil {
		t.Fatal(err)
	}
	// Not verified before the quiet period.
	if ch := p.Verify(&f, day(5)); ch != nil || f.Status != Resolved {
		t.Fatalf("early verify: got %+v, %v", f, ch)
	}
	// Seen again after the fix: reopened, and the agency has a new due date.
	obs.Seen = day(4)
	f, ch = p.Observe(&f, obs)
	if ch == nil || f.Status != Reopened || ch.From != Resolved || ch.Actor != SystemActor || !f.DueAt.Equal(day(11)) {
		t.Fatalf("seen after resolved: got %+v, %+v", f, ch)
	}
	if _, err := Move(&f, Action{To: Resolved, Actor: "officer"}, day(5)); err != nil {
		t.Fatal(err)
	}
	// Quiet for seven days: closed as verified.
	if ch := p.Verify(&f, day(12)); ch == nil || f.Status != Closed || ch.To != Closed {
		t.Fatalf("verify: got %+v, %v", f, ch)
	}
	obs.Seen = day(20)
	if f, ch = p.Observe(&f, obs); ch == nil || f.Status != Reopened {
		t.Fatalf("seen after closed: got %+v, %v", f, ch)
	}
}

func TestAcceptedRiskExpires(t *testing.T) {
	p := DefaultPolicy()
	f := Finding{ID: 2, Status: Open, Severity: Medium}
	if _, err := Move(&f, Action{To: Accepted, Actor: "ana", Reason: "replacement ordered", Until: day(10)}, day(1)); err != nil {
		t.Fatal(err)
	}
	obs := Observation{Seen: day(5)}
	if g, ch := p.Observe(&f, obs); ch != nil || g.Status != Accepted {
		t.Errorf("seen while accepted: got %+v, %v", g, ch)
	}
	if ch := p.Expire(&f, day(9)); ch != nil {
		t.Errorf("expired early: %v", ch)
	}
	if ch := p.Expire(&f, day(10)); ch == nil || f.Status != Reopened {
		t.Errorf("expiry: got %+v, %v", f, ch)
	}
}

func TestGapOf(t *testing.T) {
	tests := []struct {
		ev            map[string]string
		resource, gap string
		ok            bool
	}{
		{map[string]string{"classification.identifier": "accessible-rdp", "classification.type": "vulnerable-system", "source.ip": "192.0.2.10", "source.port": "3389"}, "192.0.2.10:3389", "accessible-rdp", true},
		{map[string]string{"classification.type": "infected-system", "classification.identifier": "andromeda", "malware.name": "Andromeda", "source.ip": "2001:db8::1", "source.port": "443"}, "[2001:db8::1]:443", "infected-system/andromeda", true},
		{map[string]string{"classification.type": "phishing", "source.url": "http://x.example/login", "source.fqdn": "x.example"}, "x.example", "phishing", true},
		{map[string]string{"classification.type": "phishing", "source.url": "http://x.example/login"}, "http://x.example/login", "phishing", true},
		{map[string]string{"classification.type": "spam"}, "", "", false},
		{map[string]string{"source.ip": "192.0.2.1"}, "", "", false},
	}
	for _, tc := range tests {
		get := func(k string) (string, bool) { v, ok := tc.ev[k]; return v, ok }
		r, g, ok := GapOf(get)
		if r != tc.resource || g != tc.gap || ok != tc.ok {
			t.Errorf("%v: got %q %q %v, want %q %q %v", tc.ev, r, g, ok, tc.resource, tc.gap, tc.ok)
		}
	}
}
