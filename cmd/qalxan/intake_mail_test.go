package main

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/collect/imaptest"
	"github.com/qalxan/qalxan/internal/config"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

// forwardedLure is a citizen's mail with a phishing mail attached.
func forwardedLure(id string) []byte {
	return []byte("From: Leyla <leyla@example.az>\r\nTo: incident@cert.az\r\nSubject: Fwd: saxta bank\r\nMessage-ID: <" + id + ">\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"MIX\"\r\n\r\n" +
		"--MIX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBu mektubu aldim.\r\n" +
		"--MIX\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment; filename=\"lure.eml\"\r\n\r\n" +
		"From: \"Bank\" <security@kapitalbank-az.example>\r\nSubject: Hesabiniz bloklanib\r\nContent-Type: text/html\r\n\r\n" +
		"<a href=\"https://kb-verify.example/s/9\">https://www.kapitalbank.az</a>\r\n--MIX--\r\n")
}

// TestIncidentMailbox: serve's incident mailbox, configured as in the
// file, turns each new mail into one report (not two for the same mail),
// moves it out of the folder, and the forwarded mail's URLs and sender
// become the incident's observables at triage.
func TestIncidentMailbox(t *testing.T) {
	srv := imaptest.Start(t, "incident", "imap-pw")
	addr, user := srv.Addr, srv.User
	host, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	var cfg config.Config
	cfg.Incidents.PhoneRegion = "AZ"
	cfg.Incidents.Mailbox = config.Mailbox{Host: host, Port: p, TLS: "insecure", User: "incident", Password: "imap-pw", MoveTo: "Processed",
		Interval: 50 * time.Millisecond}
	s := storagetest.SQLite(t)
	for _, raw := range [][]byte{forwardedLure("lure-1@example.az"), forwardedLure("lure-1@example.az"), []byte("not a mail")} {
		if _, err := user.Append("INBOX", bytes.NewReader(raw), &imap.AppendOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	var logs strings.Builder
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	startIncidentMailbox(ctx, cfg, s, log)
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, total := srv.Counts(t, "INBOX"); total == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the mailbox was not emptied; log:\n%s", logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if _, total := srv.Counts(t, "Processed"); total != 3 {
		t.Errorf("processed folder holds %d mails, want 3", total)
	}
	staff := auth.Actor{Name: "rauf", Role: auth.Admin, Scope: auth.Everything}
	list, _, err := s.ListIntake(context.Background(), staff, storage.IntakeFilter{})
	if err != nil || len(list) != 1 {
		t.Fatalf("reports: %+v, %v; want one", list, err)
	}
	rep := list[0]
	if rep.Channel != incident.ChannelEmail || rep.ReporterEmail != "leyla@example.az" || rep.URL != "https://kb-verify.example/s/9" {
		t.Errorf("report: %+v", rep)
	}
	got, err := s.TriageIntake(context.Background(), staff, incident.DefaultRules(), rep.ID, storage.Triage{New: &incident.Incident{}})
	if err != nil {
		t.Fatal(err)
	}
	obs, err := s.IncidentObservables(context.Background(), auth.Everything, got.IncidentID)
	if err != nil {
		t.Fatal(err)
	}
	var values []string
	for _, o := range obs {
		values = append(values, string(o.Kind)+" "+o.Value)
	}
	for _, want := range []string{"email security@kapitalbank-az.example", "url https://kb-verify.example/s/9", "url https://www.kapitalbank.az/", "domain kb-verify.example"} {
		if !slices.Contains(values, want) {
			t.Errorf("incident observables %q lack %q", values, want)
		}
	}
	if strings.Contains(logs.String(), "imap-pw") {
		t.Error("the IMAP password is in the log")
	}
}
