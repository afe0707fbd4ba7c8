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
