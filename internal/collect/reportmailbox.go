package collect

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/incident"
)

// ReportSink stores a report made from a mail (storage.Store): a
// conflict (errs.Conflict) means the mail made a report before.
type ReportSink interface {
	SubmitMailIntake(ctx context.Context, r *incident.Report, m incident.MailOrigin, obs []incident.Observable, files []incident.ReportFile) (string, error)
}

// ReportMailbox is the incident mailbox: every new mail in it becomes an
// incident report (channel e-mail), then is marked seen (or moved). It
// reads the mailbox with the feed collector's IMAP client (IMAP.Each).
type ReportMailbox struct {
	IMAP       *IMAP
	Sink       ReportSink
	Region     string // of phone numbers without a country code
	MaxMessage int64  // bytes; DefaultMaxReportMail when 0
	Log        *slog.Logger
}

// DefaultMaxReportMail bounds one mail to the incident mailbox: a
// forwarded phishing mail with a few screenshots fits.
const DefaultMaxReportMail = 30 << 20

// PollResult counts what one poll did.
type PollResult struct {
	Reports, Duplicates, Refused int
}

// Poll takes the unseen mail once. A mail that cannot be read at all (not
// a mail, too large) is logged and marked seen all the same, so it does
// not come back every round; a storage failure leaves it unseen.
func (b *ReportMailbox) Poll(ctx context.Context) (PollResult, error) {
	var res PollResult
	limit := b.MaxMessage
	if limit <= 0 {
		limit = DefaultMaxReportMail
	}
	log := b.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	err := b.IMAP.Each(ctx, func(ctx context.Context, msg io.Reader) error {
		m, err := ParseReportMail(msg, limit)
		if err != nil {
			if errors.Is(err, ErrTooLarge) || errs.Is(err, errs.Invalid) {
				res.Refused++
				log.Warn("incident mailbox: mail not taken", "mailbox", b.IMAP.mailbox(), "err", err)
				return nil
			}
			return err
		}
		r := m.Report()
		if err := r.Normalize(b.Region); err != nil {
			// The sender's address is the only field a mail can spoil.
			r.ReporterEmail = ""
			if err := r.Normalize(b.Region); err != nil {
				return fmt.Errorf("mail %s: %w", m.MessageID, err)
			}
		}
		_, err = b.Sink.SubmitMailIntake(ctx, &r, incident.MailOrigin{MessageID: m.MessageID, Sender: m.From, Subject: m.Subject},
			m.Observables(), m.Screenshots)
		switch {
		case errs.Is(err, errs.Conflict):
			res.Duplicates++
			return nil
		case err != nil:
			return err
		}
		res.Reports++
		log.Info("incident mailbox: report made", "report", r.ID, "urls", len(m.URLs), "forwarded", len(m.Forwarded), "files", len(r.Files))
		return nil
	})
	return res, err
}

// Run polls every interval until ctx ends; a failed poll is logged and
// tried again next time.
func (b *ReportMailbox) Run(ctx context.Context, every time.Duration) {
	if b.Log == nil {
		b.Log = slog.New(slog.DiscardHandler)
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if res, err := b.Poll(ctx); err != nil && ctx.Err() == nil {
			b.Log.Error("incident mailbox", "imap", b.IMAP, "err", err)
		} else if res.Reports+res.Duplicates+res.Refused > 0 {
			b.Log.Debug("incident mailbox polled", "reports", res.Reports, "duplicates", res.Duplicates, "refused", res.Refused)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
