package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/config"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/storage"
)

// TestPersonalMailArrives: a reporter hears of the receipt (with the
// tracking code) and of the report's status, an analyst of an incident
// given to them, each once, in their language, through mailpit.
func TestPersonalMailArrives(t *testing.T) {
	m := sharedMailpit(t)
	dir := t.TempDir()
	cfg, err := config.Load(notifyConfig(t, dir, m), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s, err := storage.Open(ctx, filepath.Join(dir, "qalxan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	domain := fmt.Sprintf("p%d.example.az", time.Now().UnixNano())
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	n, err := newNotifier(cfg, s, log)
	if err != nil {
		t.Fatal(err)
	}
	out := newOutbox(cfg, s, n, log)

	staff := auth.Actor{Name: "rauf", Role: auth.Admin, Scope: auth.Everything}
	if err := s.CreateUser(ctx, auth.System, &auth.User{Name: "leyla", Role: auth.Analyst, Email: "leyla@" + domain, Language: "en"}); err != nil {
		t.Fatal(err)
	}
	rep, err := incident.PublicReport{Category: "vishing", Description: "Звонок от «банка»", Phone: "050 123 45 67",
		ReporterEmail: "citizen@" + domain, Language: "ru"}.Report("AZ")
	if err != nil {
		t.Fatal(err)
	}
	code, err := s.SubmitIntake(ctx, auth.Actor{Name: "public"}, &rep)
	if err != nil {
		t.Fatal(err)
	}
	quiet, _ := incident.PublicReport{Category: "sms", Description: "no address given"}.Report("AZ")
	if _, err := s.SubmitIntake(ctx, auth.Actor{Name: "public"}, &quiet); err != nil {
		t.Fatal(err)
	}
	// Triaged into a new incident given to leyla: the reporter hears it is
	// being handled, leyla that it is hers.
	got, err := s.TriageIntake(ctx, staff, incident.DefaultRules(), rep.ID, storage.Triage{New: &incident.Incident{Assignee: "leyla"}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := out.RunOnce(ctx)
	if err != nil || res.Sent != 3 || res.Failed+res.Retried != 0 {
		t.Fatalf("first round: %+v, %v; want 3 sent", res, err)
	}
	// Moves inside the case say nothing new; resolving it does, once.
	rules := incident.DefaultRules()
	for _, to := range []incident.Status{incident.Triage, incident.InProgress, incident.Resolved} {
		if _, err := s.MoveIncident(ctx, staff, rules, got.IncidentID, incident.Action{To: to, Reason: "blocked by the operator"}); err != nil {
			t.Fatalf("move to %s: %v", to, err)
		}
	}
	if res, err = out.RunOnce(ctx); err != nil || res.Sent != 1 {
		t.Fatalf("second round: %+v, %v; want 1 sent", res, err)
	}
	if res, err = out.RunOnce(ctx); err != nil || res.Sent != 0 {
		t.Fatalf("third round: %+v, %v; want nothing", res, err)
	}

	msgs := m.messagesTo(t, "@"+domain)
	subjects := map[string]string{} // subject → recipient
	for _, s := range msgs {
		subjects[s.Subject] = s.To[0].Address
	}
	want := map[string]string{
		"Ваше сообщение получено: " + code:                     "citizen@" + domain,
		"Ваше сообщение в работе":                              "citizen@" + domain,
		"Ваше сообщение обработано":                            "citizen@" + domain,
		"Incident " + got.IncidentRef + " was assigned to you": "leyla@" + domain,
	}
	if len(msgs) != len(want) {
		t.Errorf("arrived %d messages, want %d: %v", len(msgs), len(want), subjects)
	}
	for subj, to := range want {
		if subjects[subj] != to {
			t.Errorf("no %q to %s among %v", subj, to, subjects)
		}
	}
	for _, s := range msgs {
		if !strings.HasPrefix(s.Subject, "Ваше сообщение получено") {
			continue
		}
		var msg mpMessage
		getJSON(t, m.api+"/api/v1/message/"+s.ID, &msg)
		for _, w := range []string{code, "Звонок", "https://portal.cert.example/report/status?code=" + code} {
			if w == "Звонок" {
				if strings.Contains(msg.Text, w) {
					t.Errorf("the receipt repeats the report's text")
				}
				continue
			}
			if !strings.Contains(msg.Text, w) {
				t.Errorf("receipt lacks %q:\n%s", w, msg.Text)
			}
		}
		if !strings.Contains(msg.Text, "Телефонное мошенничество") {
			t.Errorf("receipt does not name the category:\n%s", msg.Text)
		}
	}
	// Sent mail keeps no tracking code in the database.
	var left int
	if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM mail_outbox WHERE data LIKE '%`+code+`%'`).Scan(&left); err != nil || left != 0 {
		t.Errorf("tracking code still in the outbox: %d rows, %v", left, err)
	}
}
