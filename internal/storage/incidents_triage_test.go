package storage_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/notify"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

func submitReport(t *testing.T, s *storage.Store, r incident.Report) incident.Report {
	t.Helper()
	if err := r.Normalize("AZ"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SubmitIntake(ctx, auth.Actor{Name: "public"}, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestTriageDuplicateAndCorrelation(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		bank := storagetest.SeedOrg(t, s, "bank", "az", "green")
		other := storagetest.SeedOrg(t, s, "other", "az", "green")
		mine := openIncident(t, s, vishing("Bank callers", bank.ID), incident.Observable{Kind: incident.KindPhone, Value: "050 123 45 67"})
		openIncident(t, s, vishing("Other callers", other.ID), incident.Observable{Kind: incident.KindPhone, Value: "+994501234567"})

		r1 := submitReport(t, s, incident.Report{Category: "vishing", Description: "A call", Phone: "0501234567"})
		seen, err := s.CorrelateObservables(ctx, auth.Everything, r1.Observables(), 0)
		if err != nil || len(seen) != 1 || seen[0].Incidents != 2 {
			t.Fatalf("staff correlation: got %+v, %v; want the number in 2 incidents", seen, err)
		}
		// An agency counts only the incidents it may see.
		seen, _ = s.CorrelateObservables(ctx, agencyActor(bank.ID).Scope, r1.Observables(), 0)
		if seen[0].Incidents != 1 {
			t.Errorf("agency correlation: got %d, want 1", seen[0].Incidents)
		}
		// Leaving out the incident the report went to.
		seen, _ = s.CorrelateObservables(ctx, auth.Everything, r1.Observables(), mine.ID)
		if seen[0].Incidents != 1 {
			t.Errorf("correlation except own: got %d, want 1", seen[0].Incidents)
		}

		if _, err := s.TriageIntake(ctx, staff, rules, r1.ID, storage.Triage{IncidentID: mine.ID}); err != nil {
			t.Fatal(err)
		}
		// A duplicate of an accepted report follows it into its incident.
		r2 := submitReport(t, s, incident.Report{Category: "vishing", Description: "Same call again", Phone: "0501234567"})
		got, err := s.TriageDuplicate(ctx, staff, rules, r2.ID, r1.ID)
		if err != nil || got.Status != incident.ReportAccepted || got.IncidentID != mine.ID {
			t.Fatalf("duplicate of accepted: got %+v, %v", got, err)
		}
		// A duplicate of a waiting report is rejected as one.
		r3 := submitReport(t, s, incident.Report{Category: "other", Description: "Spam"})
		r4 := submitReport(t, s, incident.Report{Category: "other", Description: "Spam again"})
		got, err = s.TriageDuplicate(ctx, staff, rules, r4.ID, r3.ID)
		if err != nil || got.Status != incident.ReportRejected || !strings.Contains(got.RejectReason, "duplicate of report") {
			t.Fatalf("duplicate of waiting: got %+v, %v", got, err)
		}
		for _, of := range []int64{0, r3.ID + 100, r3.ID} {
			if _, err := s.TriageDuplicate(ctx, staff, rules, r3.ID, of); !errs.Is(err, errs.Invalid) {
				t.Errorf("duplicate of %d: got %v, want invalid", of, err)
			}
		}
		if _, err := s.TriageDuplicate(ctx, agencyActor(bank.ID), rules, r3.ID, r1.ID); !errs.Is(err, errs.Forbidden) {
			t.Errorf("agency marks a duplicate: got %v, want forbidden", err)
		}
		if n, err := s.WaitingReports(ctx, staff); err != nil || n != 1 {
			t.Errorf("waiting reports: got %d, %v; want 1 (report %d)", n, err, r3.ID)
		}
		if _, err := s.WaitingReports(ctx, agencyActor(bank.ID)); !errs.Is(err, errs.Forbidden) {
			t.Errorf("agency counts the queue: got %v, want forbidden", err)
		}
	})
}

func TestIncidentLinks(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		bank := storagetest.SeedOrg(t, s, "bank", "az", "green")
		other := storagetest.SeedOrg(t, s, "other", "az", "green")
		a := openIncident(t, s, vishing("Bank callers", bank.ID))
		b := openIncident(t, s, vishing("Same campaign", bank.ID))
		c := openIncident(t, s, vishing("Other's case", other.ID))

		l, err := s.LinkIncident(ctx, staff, rules, a.ID, incident.Link{Kind: incident.LinkIncident, TargetID: b.ID, Note: "same numbers"})
		if err != nil || l.ID == 0 || !strings.Contains(l.Label, b.Ref) {
			t.Fatalf("link: got %+v, %v", l, err)
		}
		if _, err := s.LinkIncident(ctx, staff, rules, a.ID, incident.Link{Kind: incident.LinkIncident, TargetID: b.ID}); !errs.Is(err, errs.Invalid) {
			t.Errorf("link twice: got %v, want invalid", err)
		}
		if _, err := s.LinkIncident(ctx, staff, rules, a.ID, incident.Link{Kind: incident.LinkIncident, TargetID: a.ID}); errs.FieldOf(err) != "target" {
			t.Errorf("link to itself: got %v", err)
		}
		if _, err := s.LinkIncident(ctx, staff, rules, a.ID, incident.Link{Kind: incident.LinkFinding, TargetID: 999}); !errs.Is(err, errs.NotFound) || errs.FieldOf(err) != "target" {
			t.Errorf("link to a missing finding: got %v", err)
		}
		if _, err := s.LinkIncident(ctx, staff, rules, a.ID, incident.Link{Kind: "ticket", TargetID: 1}); errs.FieldOf(err) != "link_kind" {
			t.Errorf("unknown kind: got %v", err)
		}
		if _, err := s.LinkIncident(ctx, staff, rules, a.ID, incident.Link{Kind: incident.LinkIncident, TargetID: c.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.LinkIncident(ctx, agencyActor(bank.ID), rules, a.ID, incident.Link{Kind: incident.LinkIncident, TargetID: b.ID}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("agency links: got %v, want forbidden", err)
		}
		// Both sides show the link; a reader never sees a link to a case
		// outside its scope.
		links, err := s.IncidentLinks(ctx, auth.Everything, rules, a.ID)
		if err != nil || len(links) != 2 {
			t.Fatalf("staff links of a: got %+v, %v", links, err)
		}
		links, _ = s.IncidentLinks(ctx, agencyActor(bank.ID).Scope, rules, a.ID)
		if len(links) != 1 || links[0].TargetID != b.ID {
			t.Errorf("agency links of a: got %+v, want only b", links)
		}
		links, _ = s.IncidentLinks(ctx, auth.Everything, rules, b.ID)
		if len(links) != 1 || links[0].TargetID != a.ID || !strings.Contains(links[0].Label, a.Ref) {
			t.Errorf("links of b: got %+v, want a", links)
		}
		if _, err := s.IncidentLinks(ctx, agencyActor(other.ID).Scope, rules, a.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("other agency reads a's links: got %v, want not found", err)
		}
		j, _ := s.IncidentJournal(ctx, auth.Everything, b.ID)
		if last := j[len(j)-1]; last.Text != fmt.Sprintf("linked from incident %d", a.ID) {
			t.Errorf("b's journal: got %q", last.Text)
		}
	})
}

func TestIncidentViews(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		u1 := &auth.User{Name: "ana", Role: auth.Analyst}
		u2 := &auth.User{Name: "ben", Role: auth.Analyst}
		for _, u := range []*auth.User{u1, u2} {
			if err := s.CreateUser(ctx, analyst, u); err != nil {
				t.Fatal(err)
			}
		}
		v, err := s.SaveIncidentView(ctx, u1.ID, "  Vishing   open ", "status=open&identifier=vishing")
		if err != nil || v.Name != "Vishing open" {
			t.Fatalf("save: got %+v, %v", v, err)
		}
		// Saving under the same name replaces the filter.
		if _, err := s.SaveIncidentView(ctx, u1.ID, "Vishing open", "status=open&identifier=vishing&overdue=1"); err != nil {
			t.Fatal(err)
		}
		for _, bad := range [][2]string{{"", "status=open"}, {"x", ""}, {strings.Repeat("n", 81), "q=x"}} {
			if _, err := s.SaveIncidentView(ctx, u1.ID, bad[0], bad[1]); !errs.Is(err, errs.Invalid) {
				t.Errorf("save %q: got %v, want invalid", bad, err)
			}
		}
		vs, err := s.IncidentViews(ctx, u1.ID)
		if err != nil || len(vs) != 1 || !strings.HasSuffix(vs[0].Query, "overdue=1") {
			t.Fatalf("views: got %+v, %v", vs, err)
		}
		if vs, _ := s.IncidentViews(ctx, u2.ID); len(vs) != 0 {
			t.Errorf("another user's views: got %+v", vs)
		}
		if err := s.DeleteIncidentView(ctx, u2.ID, v.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("delete another's view: got %v, want not found", err)
		}
		if err := s.DeleteIncidentView(ctx, u1.ID, v.ID); err != nil {
			t.Error(err)
		}
	})
}

func TestTakedownReminders(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
		s.Now = func() time.Time { return now }
		ana := &auth.User{Name: "ana", Role: auth.Analyst, Email: "ana@cert.example", Language: "en"}
		if err := s.CreateUser(ctx, analyst, ana); err != nil {
			t.Fatal(err)
		}
		in := openIncident(t, s, vishing("Phishing site"))
		if _, err := s.AssignIncident(ctx, staff, rules, in.ID, "ana", ""); err != nil {
			t.Fatal(err)
		}
		// The assignment's own mail is not what this test is about.
		if _, err := s.ClaimMail(ctx, now, time.Hour, 10); err != nil {
			t.Fatal(err)
		}
		td := func(subject string) incident.Takedown {
			t.Helper()
			x, err := s.CreateTakedown(ctx, staff, rules, in.ID, incident.Takedown{TargetKind: incident.TargetHosting, Provider: "Host", Subject: subject})
			if err != nil {
				t.Fatal(err)
			}
			return x
		}
		sent, acked, draft := td("https://a.example/"), td("https://b.example/"), td("https://c.example/")
		_ = draft
		for _, x := range []incident.Takedown{sent, acked} {
			if _, err := s.MoveTakedown(ctx, staff, x.ID, incident.TakedownSent, ""); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.MoveTakedown(ctx, staff, acked.ID, incident.TakedownAcknowledged, ""); err != nil {
			t.Fatal(err)
		}
		remind := func(at time.Time) []storage.TakedownReminder {
			t.Helper()
			now = at
			got, err := s.RemindTakedowns(ctx, 48*time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		start := now
		if got := remind(start.Add(47 * time.Hour)); len(got) != 0 {
			t.Errorf("before the interval: got %d reminders", len(got))
		}
		got := remind(start.Add(49 * time.Hour))
		if len(got) != 1 || got[0].Takedown.ID != sent.ID || got[0].IncidentRef != in.Ref || got[0].Assignee != "ana" {
			t.Fatalf("after the interval: got %+v, want the one sent request", got)
		}
		// The assignee is told by mail, in their language.
		mails, err := s.ClaimMail(ctx, now, time.Hour, 10)
		if err != nil || len(mails) != 1 || mails[0].Kind != notify.TakedownOverdue || mails[0].To != "ana@cert.example" ||
			mails[0].Language != "en" || mails[0].Data["ref"] != in.Ref || mails[0].Data["takedown"] != fmt.Sprint(sent.ID) {
			t.Fatalf("outbox after the reminder: got %+v, %v", mails, err)
		}
		if got := remind(start.Add(60 * time.Hour)); len(got) != 0 {
			t.Errorf("again within the interval: got %d reminders", len(got))
		}
		if got := remind(start.Add(98 * time.Hour)); len(got) != 1 {
			t.Errorf("a second interval later: got %d reminders, want 1", len(got))
		}
		if _, err := s.MoveTakedown(ctx, staff, sent.ID, incident.TakedownDone, ""); err != nil {
			t.Fatal(err)
		}
		if got := remind(start.Add(200 * time.Hour)); len(got) != 0 {
			t.Errorf("after done: got %d reminders", len(got))
		}
		j, _ := s.IncidentJournal(ctx, auth.Everything, in.ID)
		n := 0
		for _, e := range j {
			if strings.HasPrefix(e.Text, "reminder: take-down request") {
				n++
			}
		}
		if n != 2 {
			t.Errorf("reminders in the journal: got %d, want 2", n)
		}
	})
}
