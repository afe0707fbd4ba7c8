package storage_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

var (
	rules   = incident.DefaultRules()
	staff   = auth.Actor{Name: "ana", Role: auth.Analyst, Scope: auth.Everything}
	incDay0 = time.Date(2026, 4, 2, 9, 0, 0, 0, time.UTC)
)

func agencyActor(orgs ...int64) auth.Actor {
	return auth.ActorOf(&auth.User{Name: "officer", Role: auth.Agency, OrgIDs: orgs}, "")
}

var partnerActor = auth.ActorOf(&auth.User{Name: "partner", Role: auth.Partner}, "")

func openIncident(t *testing.T, s *storage.Store, in incident.Incident, obs ...incident.Observable) incident.Incident {
	t.Helper()
	got, err := s.CreateIncident(ctx, staff, rules, storage.NewIncident{Incident: in, Observables: obs})
	if err != nil {
		t.Fatalf("create incident %q: %v", in.Title, err)
	}
	return got
}

func vishing(title string, orgs ...int64) incident.Incident {
	return incident.Incident{Title: title, Classification: incident.ClassOf(incident.CatVishing), OrgIDs: orgs, TLP: "amber"}
}

func TestIncidentLifecycle(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		s.Now = func() time.Time { return incDay0 }
		bank := storagetest.SeedOrg(t, s, "bank", "az", "green")
		in := vishing("Calls as Bank support asking for SMS codes", bank.ID)
		in.Criteria = incident.Criteria{PeopleAffected: 3000, Spreading: true}
		a := openIncident(t, s, in, incident.Observable{Kind: incident.KindPhone, Value: "050 123 45 67", TLP: "green"})
		if a.Ref != "QLX-2026-000001" || a.Status != incident.New || a.Severity != incident.Medium || a.Assessed.Score != 4 {
			t.Fatalf("got %s %s %s score %d", a.Ref, a.Status, a.Severity, a.Assessed.Score)
		}
		if !a.DueAt.Equal(incDay0.Add(10*24*time.Hour)) || len(a.Orgs) != 1 || a.Orgs[0] != "bank" {
			t.Errorf("got due %v orgs %v", a.DueAt, a.Orgs)
		}
		b := openIncident(t, s, vishing("Second"))
		if b.Ref != "QLX-2026-000002" {
			t.Errorf("second reference: got %s", b.Ref)
		}
		tasks, err := s.IncidentTasks(ctx, auth.Everything, a.ID)
		if err != nil || len(tasks) == 0 || tasks[0].Playbook != "vishing" {
			t.Fatalf("tasks: got %v, %v; want the vishing playbook", tasks, err)
		}

		if _, err := s.MoveIncident(ctx, staff, rules, a.ID, incident.Action{To: incident.Closed}); !errs.Is(err, errs.Conflict) {
			t.Errorf("new → closed: got %v, want a conflict", err)
		}
		for _, to := range []incident.Status{incident.Triage, incident.InProgress, incident.Contained} {
			if a, err = s.MoveIncident(ctx, staff, rules, a.ID, incident.Action{To: to}); err != nil {
				t.Fatalf("→ %s: %v", to, err)
			}
		}
		if a.Status != incident.Contained || a.ContainedAt.IsZero() || a.TriagedAt.IsZero() {
			t.Errorf("got %s contained %v triaged %v", a.Status, a.ContainedAt, a.TriagedAt)
		}
		if a, err = s.AssessIncident(ctx, staff, rules, a.ID, incident.Criteria{PeopleAffected: 20000, Spreading: true, CrossBorder: true}); err != nil {
			t.Fatal(err)
		}
		if a.Severity != incident.High || a.Assessed.Score != 6 || len(a.Assessed.Lines) != 7 {
			t.Errorf("assessed: got %s score %d", a.Severity, a.Assessed.Score)
		}
		if _, err := s.OverrideIncidentSeverity(ctx, staff, rules, a.ID, incident.Critical, ""); errs.FieldOf(err) != "reason" {
			t.Errorf("override without reason: got %v", err)
		}
		if a, err = s.OverrideIncidentSeverity(ctx, staff, rules, a.ID, incident.Critical, "targets pensioners nationwide"); err != nil {
			t.Fatal(err)
		}
		if a.Severity != incident.Critical || a.SeverityReason == "" || !a.DueAt.Equal(incDay0.Add(24*time.Hour)) {
			t.Errorf("overridden: got %s %q due %v", a.Severity, a.SeverityReason, a.DueAt)
		}
		if _, err := s.AssignIncident(ctx, staff, rules, a.ID, "nobody-here", ""); errs.FieldOf(err) != "assignee" {
			t.Errorf("assign to unknown user: got %v", err)
		}
		title := "Vishing campaign: fake Bank support"
		tags := []string{"Campaign", "bank"}
		if a, err = s.UpdateIncident(ctx, staff, rules, a.ID, storage.IncidentPatch{Title: &title, Tags: &tags}); err != nil {
			t.Fatal(err)
		}
		if a.Title != title || strings.Join(a.Tags, ",") != "campaign,bank" {
			t.Errorf("updated: got %q %v", a.Title, a.Tags)
		}
		if _, err := s.AddIncidentNote(ctx, staff, a.ID, "Operator blocked two numbers"); err != nil {
			t.Fatal(err)
		}
		j, err := s.IncidentJournal(ctx, auth.Everything, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, e := range j {
			kinds = append(kinds, string(e.Kind))
		}
		want := "status,task,observable,status,status,status,severity,severity,edit,note"
		if strings.Join(kinds, ",") != want {
			t.Errorf("journal: got %s, want %s", strings.Join(kinds, ","), want)
		}
		audit, err := s.ListAudit(ctx, storage.AuditFilter{Action: "incident.", ObjectID: fmt.Sprint(a.ID)})
		if err != nil || len(audit) != 8 {
			t.Errorf("audit: got %d entries, %v; want 8", len(audit), err)
		}

		// Tasks: done, then a playbook added by hand.
		done := incident.TaskDone
		tk, err := s.UpdateIncidentTask(ctx, staff, tasks[0].ID, storage.TaskChange{Status: &done})
		if err != nil || tk.Status != done || tk.DoneAt.IsZero() {
			t.Errorf("task done: got %+v, %v", tk, err)
		}
		added, err := s.AddIncidentTask(ctx, staff, rules, b.ID, incident.Task{Title: "Call the bank"})
		if err != nil || len(added) != 1 || added[0].Position != len(tasks)+1 {
			t.Errorf("add task: got %+v, %v", added, err)
		}

		// Duplicate of an incident.
		if _, err := s.MoveIncident(ctx, staff, rules, b.ID, incident.Action{To: incident.Duplicate, DuplicateOf: 9999}); !errs.Is(err, errs.NotFound) {
			t.Errorf("duplicate of a missing incident: got %v", err)
		}
		if b, err = s.MoveIncident(ctx, staff, rules, b.ID, incident.Action{To: incident.Duplicate, DuplicateOf: a.ID}); err != nil || b.DuplicateOf != a.ID {
			t.Errorf("duplicate: got %d, %v", b.DuplicateOf, err)
		}
		byRef, err := s.GetIncidentByRef(ctx, auth.Everything, rules, "qlx-2026-000001")
		if err != nil || byRef.ID != a.ID {
			t.Errorf("by reference: got %v, %v", byRef, err)
		}
	})
}

func TestIncidentTenancy(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		own := storagetest.SeedOrg(t, s, "own", "az", "green")
		other := storagetest.SeedOrg(t, s, "other", "az", "amber")
		both := openIncident(t, s, vishing("both", own.ID, other.ID))
		mine := openIncident(t, s, vishing("mine", own.ID))
		theirs := openIncident(t, s, vishing("theirs", other.ID))
		public := incident.Incident{Title: "citizen", Classification: incident.ClassOf(incident.CatPhishing), TLP: "clear"}
		pub := openIncident(t, s, public)
		green := vishing("green, nobody's")
		green.TLP = "green"
		gr := openIncident(t, s, green)

		ids := func(sc auth.Scope) string {
			t.Helper()
			got, _, err := s.ListIncidents(ctx, sc, rules, storage.IncidentFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, in := range got {
				out = append(out, in.Title+fmt.Sprint(in.Orgs))
			}
			return strings.Join(out, " ")
		}
		if got, want := ids(agencyActor(own.ID).Scope), "mine[own] both[own]"; got != want {
			t.Errorf("agency: got %q, want %q (and never the other organisation's name)", got, want)
		}
		if got, want := ids(partnerActor.Scope), "green, nobody's[] citizen[]"; got != want {
			t.Errorf("partner: got %q, want %q", got, want)
		}
		if n, err := s.CountIncidents(ctx, auth.Everything, rules, storage.IncidentFilter{}); err != nil || n != 5 {
			t.Errorf("staff count: got %d, %v", n, err)
		}
		for _, id := range []int64{theirs.ID, pub.ID, gr.ID} {
			if _, err := s.GetIncident(ctx, agencyActor(own.ID).Scope, rules, id); !errs.Is(err, errs.NotFound) {
				t.Errorf("agency get %d: got %v, want not found", id, err)
			}
			if _, err := s.AddIncidentNote(ctx, agencyActor(own.ID), id, "hello"); !errs.Is(err, errs.NotFound) {
				t.Errorf("agency note on %d: got %v, want not found", id, err)
			}
		}
		if _, err := s.AddIncidentNote(ctx, agencyActor(own.ID), mine.ID, "We blocked the sender"); err != nil {
			t.Errorf("agency note on its own: %v", err)
		}
		if _, err := s.MoveIncident(ctx, agencyActor(own.ID), rules, mine.ID, incident.Action{To: incident.Triage}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("agency move: got %v, want forbidden", err)
		}
		if _, err := s.CreateIncident(ctx, partnerActor, rules, storage.NewIncident{Incident: vishing("x")}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("partner create: got %v, want forbidden", err)
		}
		// An analyst editing "both" keeps the organisations.
		title := "both, renamed"
		got, err := s.UpdateIncident(ctx, staff, rules, both.ID, storage.IncidentPatch{Title: &title})
		if err != nil || len(got.OrgIDs) != 2 {
			t.Errorf("update: got orgs %v, %v", got.OrgIDs, err)
		}
		if _, _, err := s.ListIncidents(ctx, auth.Everything, rules, storage.IncidentFilter{OrgID: other.ID, Open: true, Text: "renamed"}); err != nil {
			t.Error(err)
		}
	})
}

func TestObservableCorrelation(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		phone := func(v, label string) incident.Observable {
			return incident.Observable{Kind: incident.KindPhone, Value: v, TLP: "amber"}
		}
		a := openIncident(t, s, vishing("a"), phone("050 123 45 67", ""))
		openIncident(t, s, vishing("b"), phone("+994501234567", ""))
		c := openIncident(t, s, vishing("c"), phone("00994 50 123 45 67", ""))
		obs, err := s.IncidentObservables(ctx, auth.Everything, a.ID)
		if err != nil || len(obs) != 1 || obs[0].Value != "+994501234567" || obs[0].Elsewhere != 2 {
			t.Fatalf("got %+v, %v; want the number in 2 other incidents", obs, err)
		}
		found, _, err := s.ListIncidents(ctx, auth.Everything, rules, storage.IncidentFilter{ObservableKind: incident.KindPhone, ObservableValue: "050-123-45-67"})
		if err != nil || len(found) != 3 {
			t.Errorf("by observable: got %d, %v", len(found), err)
		}
		if _, err := s.AddIncidentObservable(ctx, staff, rules, c.ID, phone("+994 50 123 45 67", "")); !errs.Is(err, errs.Conflict) {
			t.Errorf("the same number twice: got %v, want a conflict", err)
		}
		o, err := s.AddIncidentObservable(ctx, staff, rules, c.ID, incident.Observable{Kind: incident.KindPhone, Value: "+994 55 765 43 21", TLP: "green"})
		if err != nil || o.Elsewhere != 0 {
			t.Fatalf("add: got %+v, %v", o, err)
		}
		if _, err := s.AddIncidentObservable(ctx, staff, rules, c.ID, incident.Observable{Kind: incident.KindPhone, Value: "12"}); errs.FieldOf(err) != "value" {
			t.Errorf("bad number: got %v", err)
		}

		list := func(sc auth.Scope, f storage.IndicatorFilter) string {
			t.Helper()
			xs, err := s.ExportIndicators(ctx, sc, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, x := range xs {
				out = append(out, fmt.Sprintf("%s/%s/%d", x.Value, string(x.TLP), x.Incidents))
				if x.FirstSeen.IsZero() {
					t.Errorf("%s: no first seen", x.Value)
				}
			}
			return strings.Join(out, " ")
		}
		f := storage.IndicatorFilter{Kind: incident.KindPhone, Identifier: "vishing"}
		if got, want := list(auth.Everything, f), "+994501234567/amber/3 +994557654321/green/1"; got != want {
			t.Errorf("staff list: got %q, want %q", got, want)
		}
		if got, want := list(partnerActor.Scope, f), "+994557654321/green/1"; got != want {
			t.Errorf("partner list: got %q, want %q (TLP:AMBER numbers stay in)", got, want)
		}
		f.MaxTLP = "green"
		if got, want := list(auth.Everything, f), "+994557654321/green/1"; got != want {
			t.Errorf("staff list up to GREEN: got %q, want %q", got, want)
		}
		// The partner does not see the AMBER observable in a case it may see.
		pub := vishing("public case")
		pub.TLP = "green"
		p := openIncident(t, s, pub, phone("050 123 45 67", ""))
		obs, err = s.IncidentObservables(ctx, partnerActor.Scope, p.ID)
		if err != nil || len(obs) != 0 {
			t.Errorf("partner observables: got %+v, %v; want none", obs, err)
		}
		if err := s.DeleteIncidentObservable(ctx, staff, c.ID, o.ID); err != nil {
			t.Error(err)
		}
	})
}

func TestIntakeTriage(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		bank := storagetest.SeedOrg(t, s, "bank", "az", "green")
		submit := func(r incident.Report) string {
			t.Helper()
			if err := r.Normalize("AZ"); err != nil {
				t.Fatal(err)
			}
			code, err := s.SubmitIntake(ctx, auth.Actor{Name: "public"}, &r)
			if err != nil {
				t.Fatal(err)
			}
			return code
		}
		c1 := submit(incident.Report{Category: "vishing", Description: "Called as the bank, wanted the SMS code", Phone: "050 123 45 67",
			ReporterName: "Aysel", ReporterEmail: "aysel@example.az"})
		c2 := submit(incident.Report{Category: "vishing", Description: "Same caller", Phone: "+994501234567"})
		c3 := submit(incident.Report{Category: "other", Description: "My printer is broken"})
		if st, err := s.IntakeStatusByCode(ctx, strings.ToLower(c1)); err != nil || st.Status != "received" {
			t.Errorf("status: got %+v, %v", st, err)
		}
		if _, err := s.IntakeStatusByCode(ctx, "R-AAAA-BBBB-CCCC"); !errs.Is(err, errs.NotFound) {
			t.Errorf("unknown code: got %v", err)
		}
		if _, _, err := s.ListIntake(ctx, agencyActor(bank.ID), storage.IntakeFilter{}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("agency reads reports: got %v, want forbidden", err)
		}
		queue, _, err := s.ListIntake(ctx, staff, storage.IntakeFilter{Status: incident.ReportNew})
		if err != nil || len(queue) != 3 || queue[2].ReporterEmail != "aysel@example.az" {
			t.Fatalf("queue: got %d, %v", len(queue), err)
		}
		r1, r2, r3 := queue[2], queue[1], queue[0]

		got, err := s.TriageIntake(ctx, staff, rules, r1.ID, storage.Triage{New: &incident.Incident{OrgIDs: []int64{bank.ID}}})
		if err != nil || got.Status != incident.ReportAccepted || got.IncidentID == 0 || !incident.IsReference(got.IncidentRef) {
			t.Fatalf("triage new: got %+v, %v", got, err)
		}
		in, err := s.GetIncident(ctx, auth.Everything, rules, got.IncidentID)
		if err != nil || in.Identifier != "vishing" || in.Type != "masquerade" || in.Category != incident.CatVishing {
			t.Fatalf("incident: got %+v, %v", in, err)
		}
		if _, err := s.TriageIntake(ctx, staff, rules, r2.ID, storage.Triage{IncidentID: in.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TriageIntake(ctx, staff, rules, r3.ID, storage.Triage{Reject: "not a security incident"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TriageIntake(ctx, staff, rules, r3.ID, storage.Triage{Reject: "again"}); !errs.Is(err, errs.Conflict) {
			t.Errorf("triage twice: got %v, want a conflict", err)
		}
		if _, err := s.TriageIntake(ctx, staff, rules, r3.ID, storage.Triage{}); !errs.Is(err, errs.Invalid) {
			t.Errorf("no decision: got %v, want invalid", err)
		}
		obs, _ := s.IncidentObservables(ctx, auth.Everything, in.ID)
		if len(obs) != 1 || obs[0].Value != "+994501234567" {
			t.Errorf("observables: got %+v, want the one number once", obs)
		}
		for code, want := range map[string]string{c1: "in-progress", c2: "in-progress", c3: "not-taken-up"} {
			if st, err := s.IntakeStatusByCode(ctx, code); err != nil || st.Status != want {
				t.Errorf("status of %s: got %+v, %v; want %s", code, st, err, want)
			}
		}
		j, _ := s.IncidentJournal(ctx, auth.Everything, in.ID)
		if last := j[len(j)-1]; last.Kind != incident.EntryReport || !strings.Contains(last.Text, "linked") {
			t.Errorf("journal: got %+v", last)
		}
		// Reporter data stays out of the audit log.
		entries, _ := s.ListAudit(ctx, storage.AuditFilter{Action: "report."})
		for _, e := range entries {
			if strings.Contains(string(e.After), "aysel") {
				t.Errorf("audit entry %s holds the reporter's e-mail", e.Action)
			}
		}
	})
}

func TestIncidentEvidence(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		own := storagetest.SeedOrg(t, s, "own", "az", "green")
		a := openIncident(t, s, vishing("a", own.ID))
		b := openIncident(t, s, vishing("b"))
		data := []byte("\x89PNG\r\n\x1a\n fake screenshot")
		ev, err := incident.CheckEvidence("shot.png", int64(len(data)), "image/png")
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.AddEvidence(ctx, staff, a.ID, ev, data)
		if err != nil || len(got.SHA256) != 64 || got.ID == 0 {
			t.Fatalf("add: got %+v, %v", got, err)
		}
		if _, err := s.AddEvidence(ctx, staff, a.ID, ev, data); !errs.Is(err, errs.Conflict) {
			t.Errorf("the same file twice: got %v, want a conflict", err)
		}
		if _, err := s.AddEvidence(ctx, staff, b.ID, ev, data); err != nil {
			t.Errorf("the same file on another incident: %v", err)
		}
		if _, err := s.AddEvidence(ctx, agencyActor(own.ID), a.ID, ev, data); !errs.Is(err, errs.Forbidden) {
			t.Errorf("agency upload: got %v, want forbidden", err)
		}
		list, err := s.IncidentEvidence(ctx, agencyActor(own.ID).Scope, a.ID)
		if err != nil || len(list) != 1 {
			t.Errorf("agency list: got %v, %v", list, err)
		}
		if _, err := s.IncidentEvidence(ctx, partnerActor.Scope, a.ID); err == nil {
			t.Error("partner list: got no error")
		}
		officer := agencyActor(own.ID)
		officer.IP = "192.0.2.7"
		_, back, err := s.OpenEvidence(ctx, officer, a.ID, got.ID)
		if err != nil || string(back) != string(data) {
			t.Fatalf("open: got %q, %v", back, err)
		}
		if _, _, err := s.OpenEvidence(ctx, officer, b.ID, got.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("open through another incident: got %v, want not found", err)
		}
		chain, err := s.EvidenceCustody(ctx, auth.Everything, a.ID, got.ID)
		if err != nil || len(chain) != 2 || chain[0].Action != "added" || chain[1].Action != "exported" || chain[1].Actor != "officer" || chain[1].Detail != "192.0.2.7" {
			t.Errorf("custody: got %+v, %v", chain, err)
		}
	})
}

func TestTakedowns(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		s.Now = func() time.Time { return incDay0 }
		own := storagetest.SeedOrg(t, s, "own", "az", "green")
		a := openIncident(t, s, vishing("a", own.ID))
		td, err := s.CreateTakedown(ctx, staff, rules, a.ID, incident.Takedown{TargetKind: incident.TargetMobile, Provider: "Azercell", Subject: "+994501234567", Language: "az"})
		if err != nil || td.Status != incident.TakedownDraft || !strings.Contains(td.Body, a.Ref) {
			t.Fatalf("create: got %+v, %v", td, err)
		}
		if _, err := s.CreateTakedown(ctx, agencyActor(own.ID), rules, a.ID, td); !errs.Is(err, errs.Forbidden) {
			t.Errorf("agency: got %v", err)
		}
		if _, err := s.MoveTakedown(ctx, staff, td.ID, incident.TakedownDone, ""); !errs.Is(err, errs.Conflict) {
			t.Errorf("draft → done: got %v", err)
		}
		if _, err := s.MoveTakedown(ctx, staff, td.ID, incident.TakedownSent, ""); err != nil {
			t.Fatal(err)
		}
		late, err := s.OverdueTakedowns(ctx, incDay0.Add(49*time.Hour))
		if err != nil || len(late) != 1 {
			t.Errorf("overdue: got %d, %v", len(late), err)
		}
		s.Now = func() time.Time { return incDay0.Add(6 * time.Hour) }
		done, err := s.MoveTakedown(ctx, staff, td.ID, incident.TakedownDone, "")
		if err != nil || done.TimeToTakeDown() != 6*time.Hour {
			t.Fatalf("done: got %v, %v", done.TimeToTakeDown(), err)
		}
		list, err := s.IncidentTakedowns(ctx, agencyActor(own.ID).Scope, a.ID)
		if err != nil || len(list) != 1 || list[0].Status != incident.TakedownDone {
			t.Errorf("list: got %+v, %v", list, err)
		}
		j, _ := s.IncidentJournal(ctx, auth.Everything, a.ID)
		if last := j[len(j)-1].Text; !strings.Contains(last, "taken down 6h0m0s after sending") {
			t.Errorf("journal: got %q", last)
		}
	})
}
