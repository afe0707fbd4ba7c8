package storage_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/stats"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

func TestPurgePersonalData(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		o := mustCreate(t, s, org("alpha"))
		rules := incident.DefaultRules()
		day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 9, 0, 0, 0, time.UTC) }
		report := func(at time.Time, cat incident.Category, name, mail string) incident.Report {
			t.Helper()
			clockAt(s, at)
			r := incident.Report{Category: cat, Description: "My story with my name in it", ReporterName: name, ReporterEmail: mail}
			if err := r.Normalize("AZ"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.SubmitIntake(ctx, auth.Actor{Name: "public"}, &r); err != nil {
				t.Fatal(err)
			}
			return r
		}
		// open opens an incident from a report, with observables and a
		// note, and closes it at closed (unless zero).
		open := func(at time.Time, cat incident.Category, closed time.Time) int64 {
			t.Helper()
			r := report(at, cat, "Leyla Victim", "leyla@victim.example")
			clockAt(s, at.Add(time.Hour))
			tr, err := s.TriageIntake(ctx, analyst, rules, r.ID, storage.Triage{New: &incident.Incident{OrgIDs: []int64{o.ID},
				Description: "Leak of 300 rows with home addresses"}})
			if err != nil {
				t.Fatal(err)
			}
			for _, ob := range []incident.Observable{{Kind: incident.KindEmail, Value: "leyla@victim.example"}, {Kind: incident.KindURL, Value: "https://leak.example/dump"}} {
				if _, err := s.AddIncidentObservable(ctx, analyst, rules, tr.IncidentID, ob); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := s.AddIncidentNote(ctx, analyst, tr.IncidentID, "Leyla called again"); err != nil {
				t.Fatal(err)
			}
			if !closed.IsZero() {
				for i, st := range []incident.Status{incident.InProgress, incident.Resolved, incident.Closed} {
					moveAt(t, s, closed.Add(time.Duration(i-2)*time.Hour), tr.IncidentID, st)
				}
			}
			return tr.IncidentID
		}
		oldLeak := open(day(2024, 1, 10), incident.CatDataLeak, day(2024, 2, 1))
		oldPhish := open(day(2024, 1, 12), incident.CatPhishing, day(2024, 2, 1))
		openLeak := open(day(2024, 1, 14), incident.CatDataLeak, time.Time{})
		newLeak := open(day(2025, 12, 1), incident.CatDataLeak, day(2026, 1, 1))
		rejected := report(day(2024, 1, 20), incident.CatVishing, "Rauf", "rauf@caller.example")
		clockAt(s, day(2024, 1, 21))
		if _, err := s.TriageIntake(ctx, analyst, rules, rejected.ID, storage.Triage{Reject: "not for us"}); err != nil {
			t.Fatal(err)
		}
		waiting := report(day(2024, 1, 22), incident.CatVishing, "Aysel", "aysel@waiting.example")
		// A mail forwarded with a screenshot, rejected.
		clockAt(s, day(2024, 1, 23))
		mailed := incident.Report{Category: incident.CatPhishing, Channel: incident.ChannelEmail, Description: "Fwd: lure", ReporterEmail: "nigar@mail.example"}
		if err := mailed.Normalize("AZ"); err != nil {
			t.Fatal(err)
		}
		png := []byte("\x89PNG\r\n\x1a\n a screenshot")
		if _, err := s.SubmitMailIntake(ctx, &mailed, incident.MailOrigin{MessageID: "lure@mail.example", Sender: "nigar@mail.example", Subject: "Fwd: my bank?"},
			nil, []incident.ReportFile{{Name: "screen.png", Size: int64(len(png)), MediaType: "image/png", Data: png}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TriageIntake(ctx, analyst, rules, mailed.ID, storage.Triage{Reject: "not for us"}); err != nil {
			t.Fatal(err)
		}

		clockAt(s, day(2026, 6, 1))
		y, _ := stats.ParsePeriod("2024")
		before, err := s.IncidentStats(ctx, auth.Everything, storage.StatsQuery{Period: y})
		if err != nil {
			t.Fatal(err)
		}
		const twoYears = 2 * 365 * 24 * time.Hour
		dry, err := s.PurgePersonalData(ctx, auth.System, twoYears, true)
		if err != nil {
			t.Fatal(err)
		}
		if !dry.DryRun || len(dry.Incidents) != 2 || dry.Descriptions != 1 || dry.Observables != 1 || dry.Reports != 4 || dry.JournalEntries == 0 {
			t.Errorf("dry run: got %+v, want 2 incidents, 1 description, 1 observable, 4 reports", dry)
		}
		if in, _ := s.GetIncident(ctx, auth.Everything, rules, oldLeak); in.Description == "" {
			t.Fatal("the dry run erased a description")
		}
		res, err := s.PurgePersonalData(ctx, auth.System, twoYears, false)
		if err != nil {
			t.Fatal(err)
		}
		dry.DryRun = false
		if dj, rj := mustJSON(dry), mustJSON(res); dj != rj {
			t.Errorf("the purge did other than its dry run: got %s, want %s", rj, dj)
		}
		// The old data leak: description, e-mail observable and note gone,
		// the URL kept, a journal line says so.
		in, _ := s.GetIncident(ctx, auth.Everything, rules, oldLeak)
		obs, _ := s.IncidentObservables(ctx, auth.Everything, oldLeak)
		journal, _ := s.IncidentJournal(ctx, auth.Everything, oldLeak)
		if in.Description != "" || len(obs) != 1 || obs[0].Kind != incident.KindURL {
			t.Errorf("old leak: got description %q, observables %+v; want none but the URL", in.Description, obs)
		}
		text := ""
		for _, e := range journal {
			text += e.Text + "\n"
		}
		if strings.Contains(text, "Leyla") || strings.Contains(text, "leyla@") || !strings.Contains(text, "personal data purged after the retention period (730 days): description, observable") {
			t.Errorf("old leak's journal: got\n%s", text)
		}
		// The old phishing case keeps its description and observables; its
		// report loses the reporter.
		if in, _ := s.GetIncident(ctx, auth.Everything, rules, oldPhish); in.Description == "" {
			t.Error("old phishing: got its description erased, want it kept (not a personal-data case)")
		}
		if obs, _ := s.IncidentObservables(ctx, auth.Everything, oldPhish); len(obs) != 2 {
			t.Errorf("old phishing: got %d observables, want 2", len(obs))
		}
		for _, id := range []int64{openLeak, newLeak} {
			if in, _ := s.GetIncident(ctx, auth.Everything, rules, id); in.Description == "" {
				t.Errorf("incident %d (open, or closed recently): got its description erased, want it kept", id)
			}
		}
		reps, _, err := s.ListIntake(ctx, analyst, storage.IntakeFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range reps {
			purged := r.ReporterName == "" && r.ReporterEmail == "" && r.Description == storage.Purged
			want := r.IncidentID == oldLeak || r.IncidentID == oldPhish || r.ID == rejected.ID || r.ID == mailed.ID
			if purged != want {
				t.Errorf("report %d (incident %d): got purged %v, want %v (%+v)", r.ID, r.IncidentID, purged, want, r)
			}
			if r.ID == waiting.ID && r.ReporterName != "Aysel" {
				t.Errorf("a report waiting for triage: got %+v, want it untouched", r)
			}
		}
		var left int
		if err := s.DB().QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM incident_report_files) + (SELECT COUNT(*) FROM incident_report_mails WHERE sender <> '')`).Scan(&left); err != nil || left != 0 {
			t.Errorf("the mailed report's screenshot and sender: got %d left (%v), want none", left, err)
		}
		// Statistics count what they counted.
		after, err := s.IncidentStats(ctx, auth.Everything, storage.StatsQuery{Period: y})
		if err != nil {
			t.Fatal(err)
		}
		before.Generated, after.Generated = time.Time{}, time.Time{}
		if mustJSON(before) != mustJSON(after) {
			t.Errorf("statistics changed: got\n%s\nwant\n%s", mustJSON(after), mustJSON(before))
		}
		// Again: nothing left to purge, nothing written.
		again, err := s.PurgePersonalData(ctx, auth.System, twoYears, false)
		if err != nil || len(again.Incidents) != 0 || again.Reports != 0 || again.Observables != 0 || again.JournalEntries != 0 {
			t.Errorf("a second purge: got %+v, %v; want nothing", again, err)
		}
		if es, err := s.ListAudit(ctx, storage.AuditFilter{Action: "incident.personal_purge"}); err != nil || len(es) != 1 {
			t.Errorf("audit: got %d purge records (%v), want 1", len(es), err)
		}
		if _, err := s.PurgePersonalData(ctx, auth.System, 0, false); err == nil {
			t.Error("a retention of 0: got no error")
		}
	})
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestRedactedDescriptionNotSaved: an edit sending back the redaction
// marker leaves the description as it was.
func TestRedactedDescriptionNotSaved(t *testing.T) {
	s := storagetest.SQLite(t)
	rules := incident.DefaultRules()
	in, err := s.CreateIncident(ctx, analyst, rules, storage.NewIncident{NoPlaybook: true, Incident: incident.Incident{Title: "Leak",
		Description: "the details", Classification: incident.ClassOf(incident.CatDataLeak)}})
	if err != nil {
		t.Fatal(err)
	}
	red, title := incident.Redacted, "Leak of records"
	got, err := s.UpdateIncident(ctx, analyst, rules, in.ID, storage.IncidentPatch{Title: &title, Description: &red})
	if err != nil || got.Description != "the details" || got.Title != title {
		t.Errorf("got %q / %q, %v; want the description kept and the title changed", got.Description, got.Title, err)
	}
}
