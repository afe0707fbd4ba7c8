package incident

import (
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/errs"
)

func TestTakedown(t *testing.T) {
	t0 := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	for _, lang := range []string{"az", "en", "ru"} {
		td := Takedown{TargetKind: TargetHosting, Provider: "Example Hosting", Subject: "https://kapital-bonus.example/", Language: lang}
		if err := td.Normalize("QLX-2026-000007"); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(td.Body, "QLX-2026-000007") || !strings.Contains(td.Body, "https://kapital-bonus.example/") || td.Status != TakedownDraft {
			t.Errorf("%s: got %q", lang, td.Body)
		}
	}
	td := Takedown{ID: 1, TargetKind: TargetMobile, Provider: "Operator", Subject: "+994501234567"}
	td.Normalize("QLX-2026-000001")
	if err := MoveTakedown(&td, TakedownDone, "", t0); !errs.Is(err, errs.Conflict) {
		t.Errorf("draft → done: got %v", err)
	}
	if err := MoveTakedown(&td, TakedownSent, "", t0); err != nil || !td.RemindAt.Equal(t0.Add(TakedownWait)) {
		t.Fatalf("sent: %v %v", err, td.RemindAt)
	}
	if !td.Overdue(t0.Add(49*time.Hour)) || td.Overdue(t0.Add(time.Hour)) {
		t.Error("overdue: wrong")
	}
	if err := MoveTakedown(&td, TakedownRefused, "", t0); errs.FieldOf(err) != "reason" {
		t.Errorf("refused without reason: got %v", err)
	}
	if err := MoveTakedown(&td, TakedownDone, "", t0.Add(30*time.Hour)); err != nil || td.TimeToTakeDown() != 30*time.Hour || td.Overdue(t0.Add(99*time.Hour)) {
		t.Errorf("done: %v %v", err, td.TimeToTakeDown())
	}
	bad := Takedown{TargetKind: "fax", Provider: "x", Subject: "y"}
	if err := bad.Normalize("r"); errs.FieldOf(err) != "target_kind" {
		t.Errorf("bad kind: got %v", err)
	}
}
