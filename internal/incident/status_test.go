package incident

import (
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/errs"
)

// TestStateMachine checks every pair of statuses: allowed moves succeed
// (with a reason where one is owed), everything else is a conflict.
func TestStateMachine(t *testing.T) {
	allowed := map[[2]Status]bool{}
	for _, p := range [][2]Status{
		{New, Triage}, {New, InProgress}, {New, Rejected}, {New, Duplicate},
		{Triage, InProgress}, {Triage, Contained}, {Triage, Resolved}, {Triage, Rejected}, {Triage, Duplicate},
		{InProgress, Contained}, {InProgress, Resolved}, {InProgress, Duplicate},
		{Contained, InProgress}, {Contained, Resolved},
		{Resolved, Closed}, {Resolved, InProgress},
		{Closed, InProgress},
		{Rejected, Triage}, {Duplicate, Triage},
	} {
		allowed[p] = true
	}
	now := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	for _, from := range Statuses {
		for _, to := range Statuses {
			i := &Incident{ID: 1, Ref: "QLX-2026-000001", Status: from}
			_, err := Move(i, Action{To: to, Actor: "ana", Reason: "because", DuplicateOf: 2}, now)
			if allowed[[2]Status{from, to}] {
				if err != nil {
					t.Errorf("%s → %s: got %v, want it allowed", from, to, err)
				} else if i.Status != to {
					t.Errorf("%s → %s: got status %s", from, to, i.Status)
				}
				continue
			}
			if !errs.Is(err, errs.Conflict) {
				t.Errorf("%s → %s: got %v, want a conflict", from, to, err)
			}
		}
	}
}

func TestMoveReasons(t *testing.T) {
	now := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		from  Status
		a     Action
		field string // "" = allowed
	}{
		{New, Action{To: Rejected}, "reason"},
		{New, Action{To: Rejected, Reason: "not a security incident"}, ""},
		{New, Action{To: Duplicate, Reason: "same campaign"}, "duplicate_of"},
		{New, Action{To: Duplicate, DuplicateOf: 1}, "duplicate_of"}, // itself
		{New, Action{To: Duplicate, DuplicateOf: 7}, ""},
		{Closed, Action{To: InProgress}, "reason"},
		{Contained, Action{To: InProgress}, "reason"},
		{Contained, Action{To: InProgress, Reason: "the site is back"}, ""},
		{Rejected, Action{To: Triage}, "reason"},
		{InProgress, Action{To: Contained}, ""},
		{Resolved, Action{To: Closed}, ""},
	}
	for _, tt := range tests {
		i := &Incident{ID: 1, Status: tt.from}
		_, err := Move(i, tt.a, now)
		if got := errs.FieldOf(err); got != tt.field {
			t.Errorf("%s → %s %+v: got field %q (%v), want %q", tt.from, tt.a.To, tt.a, got, err, tt.field)
		}
	}
}

func TestMoveTimestamps(t *testing.T) {
	t0 := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	i := &Incident{ID: 1, Status: New}
	steps := []Action{{To: Triage}, {To: InProgress}, {To: Contained}, {To: Resolved}, {To: Closed}}
	for n, a := range steps {
		e, err := Move(i, a, t0.Add(time.Duration(n)*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if e.Kind != EntryStatus || e.To != string(a.To) || !strings.Contains(e.Text, "→") {
			t.Errorf("got entry %+v", e)
		}
	}
	if !i.TriagedAt.Equal(t0) || !i.ContainedAt.Equal(t0.Add(2*time.Hour)) || !i.ResolvedAt.Equal(t0.Add(3*time.Hour)) || !i.ClosedAt.Equal(t0.Add(4*time.Hour)) {
		t.Errorf("got triaged %v contained %v resolved %v closed %v", i.TriagedAt, i.ContainedAt, i.ResolvedAt, i.ClosedAt)
	}
	if _, err := Move(i, Action{To: InProgress, Reason: "the site is back"}, t0.Add(5*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if !i.ResolvedAt.IsZero() || !i.ClosedAt.IsZero() || !i.TriagedAt.Equal(t0) {
		t.Errorf("reopened: got resolved %v closed %v triaged %v, want the first two cleared", i.ResolvedAt, i.ClosedAt, i.TriagedAt)
	}
	if i.Reason != "the site is back" {
		t.Errorf("got reason %q", i.Reason)
	}
}

func TestOpenStatuses(t *testing.T) {
	for _, s := range Statuses {
		want := s == New || s == Triage || s == InProgress || s == Contained
		if s.Open() != want {
			t.Errorf("%s.Open() = %v, want %v", s, s.Open(), want)
		}
	}
}

func TestReference(t *testing.T) {
	if got := Reference(2026, 123); got != "QLX-2026-000123" {
		t.Errorf("got %q", got)
	}
	y, n, err := ParseReference("qlx-2026-000123")
	if err != nil || y != 2026 || n != 123 {
		t.Errorf("got %d %d %v", y, n, err)
	}
	for _, bad := range []string{"", "QLX-2026-123", "QLX-26-000123", "QLX-2026-000000", "ABC-2026-000123"} {
		if _, _, err := ParseReference(bad); err == nil {
			t.Errorf("ParseReference(%q): got no error", bad)
		}
	}
}
