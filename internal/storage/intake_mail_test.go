package storage_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/notify"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

// TestMailIntakeAndOutbox: on both databases, a mailed report is stored
// once per Message-ID with its files and observables, and the outbox
// holds one receipt and one status mail, claimed once, emptied when sent.
func TestMailIntakeAndOutbox(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		ctx := context.Background()
		png := []byte("\x89PNG\r\n\x1a\nrest of a picture")
		mk := func() *incident.Report {
			r := incident.Report{Category: incident.CatPhishing, Channel: incident.ChannelEmail, Description: "Fwd: lure", ReporterEmail: "leyla@example.az"}
			if err := r.Normalize("AZ"); err != nil {
				t.Fatal(err)
			}
			return &r
		}
		origin := incident.MailOrigin{MessageID: "lure-1@example.az", Sender: "leyla@example.az", Subject: "Fwd: lure"}
		obs := []incident.Observable{{Kind: incident.KindURL, Value: "https://kb-verify.example/s/9"}, {Kind: incident.KindEmail, Value: "security@phish.example"},
			{Kind: incident.KindURL, Value: "https://kb-verify.example/s/9"}}
		files := []incident.ReportFile{{Name: "screen.png", Size: int64(len(png)), MediaType: "image/png", Data: png}}
		r := mk()
		code, err := s.SubmitMailIntake(ctx, r, origin, obs, files)
		if err != nil || code == "" {
			t.Fatalf("first mail: %q, %v", code, err)
		}
		if len(r.Extra) != 2 || len(r.Files) != 1 {
			t.Errorf("stored extras %+v files %+v", r.Extra, r.Files)
		}
		if _, err := s.SubmitMailIntake(ctx, mk(), origin, obs, files); !errors.Is(err, storage.ErrDuplicateMail) || !errs.Is(err, errs.Conflict) {
			t.Errorf("the same mail again: %v, want ErrDuplicateMail", err)
		}
		staff := auth.Actor{Name: "rauf", Role: auth.Admin, Scope: auth.Everything}
		list, _, err := s.ListIntake(ctx, staff, storage.IntakeFilter{})
		if err != nil || len(list) != 1 || len(list[0].Files) != 1 || len(list[0].Extra) != 2 {
			t.Fatalf("reports: %+v, %v", list, err)
		}
		if _, err := s.TriageIntake(ctx, staff, incident.DefaultRules(), r.ID, storage.Triage{Reject: "not for us"}); err != nil {
			t.Fatal(err)
		}
		now := s.Now()
		ms, err := s.ClaimMail(ctx, now, time.Minute, 10)
		if err != nil || len(ms) != 2 {
			t.Fatalf("claimed %+v, %v; want the receipt and the status", ms, err)
		}
		kinds := map[notify.MailKind]notify.PersonalMail{}
		for _, m := range ms {
			kinds[m.Kind] = m
		}
		if kinds[notify.ReportReceived].Data["code"] != code || kinds[notify.ReportStatus].Data["status"] != "not-taken-up" ||
			kinds[notify.ReportStatus].To != "leyla@example.az" || kinds[notify.ReportStatus].Attempts != 1 {
			t.Errorf("claimed mails: %+v", ms)
		}
		if again, err := s.ClaimMail(ctx, now, time.Minute, 10); err != nil || len(again) != 0 {
			t.Errorf("claimed twice: %+v, %v", again, err)
		}
		if err := s.MarkMailSent(ctx, kinds[notify.ReportReceived].ID, "QLX-M-1@cert.example", now); err != nil {
			t.Fatal(err)
		}
		if err := s.RetryMail(ctx, kinds[notify.ReportStatus].ID, "421 try later", now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		later, err := s.ClaimMail(ctx, now.Add(2*time.Minute), time.Minute, 10)
		if err != nil || len(later) != 1 || later[0].Kind != notify.ReportStatus || later[0].Attempts != 2 {
			t.Fatalf("retry claimed %+v, %v", later, err)
		}
		counts, err := s.MailCounts(ctx)
		if err != nil || counts["sent"] != 1 || counts["sending"] != 1 {
			t.Errorf("counts %v, %v", counts, err)
		}
		var data string
		s.DB().QueryRowContext(ctx, `SELECT data FROM mail_outbox WHERE id = $1`, kinds[notify.ReportReceived].ID).Scan(&data)
		if data != "{}" {
			t.Errorf("sent mail keeps its data %q", data)
		}
	})
}

// TestPurgeTakesIntakeExtras: the retention purge takes, with a report's
// reporter fields, its screenshots (and their bytes), the sender and
// subject of its mail and the address of the mails to the reporter; the
// phishing observables found in the mail stay.
func TestPurgeTakesIntakeExtras(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		ctx := context.Background()
		clockAt(s, time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC))
		png := []byte("\x89PNG\r\n\x1a\na screenshot showing the reporter's number")
		r := incident.Report{Category: incident.CatSMS, Channel: incident.ChannelEmail, Description: "Fwd: SMS", ReporterEmail: "leyla@example.az"}
		if err := r.Normalize("AZ"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SubmitMailIntake(ctx, &r, incident.MailOrigin{MessageID: "m1@example.az", Sender: "leyla@example.az", Subject: "Fwd: SMS from +994501234567"},
			[]incident.Observable{{Kind: incident.KindURL, Value: "https://smish.example/pay"}},
			[]incident.ReportFile{{Name: "sms.png", Size: int64(len(png)), MediaType: "image/png", Data: png}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TriageIntake(ctx, analyst, incident.DefaultRules(), r.ID, storage.Triage{Reject: "not for us"}); err != nil {
			t.Fatal(err)
		}
		clockAt(s, time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
		res, err := s.PurgePersonalData(ctx, auth.System, 365*24*time.Hour, false)
		if err != nil || res.Reports != 1 {
			t.Fatalf("purge: %+v, %v", res, err)
		}
		var files, blobs, seen int
		var sender, subject string
		db := s.DB()
		db.QueryRowContext(ctx, `SELECT COUNT(*) FROM incident_report_files`).Scan(&files)
		db.QueryRowContext(ctx, `SELECT COUNT(*) FROM evidence_blobs`).Scan(&blobs)
		db.QueryRowContext(ctx, `SELECT sender, subject FROM incident_report_mails WHERE message_id = 'm1@example.az'`).Scan(&sender, &subject)
		db.QueryRowContext(ctx, `SELECT COUNT(*) FROM mail_outbox WHERE recipient <> '' OR data <> '{}'`).Scan(&seen)
		if files != 0 || blobs != 0 || sender != "" || subject != "" || seen != 0 {
			t.Errorf("after the purge: %d files, %d blobs, sender %q subject %q, %d mails with an address", files, blobs, sender, subject, seen)
		}
		// The mail still counts as known: it will not come back as a new report.
		if _, err := s.SubmitMailIntake(ctx, &r, incident.MailOrigin{MessageID: "m1@example.az"}, nil, nil); !errors.Is(err, storage.ErrDuplicateMail) {
			t.Errorf("the purged mail again: %v, want ErrDuplicateMail", err)
		}
		var obs int
		db.QueryRowContext(ctx, `SELECT COUNT(*) FROM incident_report_observables`).Scan(&obs)
		if obs != 1 {
			t.Errorf("observables after the purge: %d, want the phishing URL kept", obs)
		}
	})
}
