package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/config"
	"github.com/qalxan/qalxan/internal/mail"
	"github.com/qalxan/qalxan/internal/notify"
	"github.com/qalxan/qalxan/internal/storage"
)

// notifier wires notices together: the store's queue, the templates and
// the SMTP sender (nil when mail.smtp_addr is not configured).
type notifier struct {
	store    *storage.Store
	composer *notify.Composer
	worker   *notify.Worker
	digest   notify.Schedule
	every    time.Duration
	log      *slog.Logger
}

func newNotifier(cfg config.Config, s *storage.Store, log *slog.Logger) (*notifier, error) {
	loc, err := time.LoadLocation(cfg.TimeZone)
	if err != nil {
		return nil, err
	}
	c, err := notify.NewComposer(cfg.BaseURL, cfg.Notify.TemplatesDir, loc)
	if err != nil {
		return nil, err
	}
	key, err := linkKey(context.Background(), cfg, s)
	if err != nil {
		return nil, err
	}
	c.SignLink = func(orgID int64, contact string) string {
		return auth.SignLink(key, orgID, contact, time.Now().Add(noticeLinkTTL))
	}
	at := cfg.Notify.DigestAt
	if at == "" {
		at = "08:00"
	}
	sched, err := notify.ParseSchedule(at, loc)
	if err != nil {
		return nil, err
	}
	n := &notifier{store: s, composer: c, digest: sched, every: cfg.Notify.Every, log: log}
	if n.every <= 0 {
		n.every = time.Minute
	}
	if cfg.Mail.SMTPAddr != "" {
		snd, err := mail.New(mail.Config{Addr: cfg.Mail.SMTPAddr, From: cfg.Mail.From, Username: cfg.Mail.Username,
			Password: cfg.Mail.Password, TLS: cfg.Mail.TLS})
		if err != nil {
			return nil, err
		}
		n.worker = &notify.Worker{Queue: s, Sender: snd, Log: log, Domain: snd.Domain(), MaxAttempts: cfg.Notify.MaxAttempts}
	}
	return n, nil
}

// queue queues the notices of kind due now and passes each to emit; with
// dryRun it renders them (reference "…-DRYRUN") without storing anything.
func (n *notifier) queue(ctx context.Context, kind notify.Kind, dryRun bool, skip map[int64]bool, emit func(*notify.Notice)) error {
	now := n.store.Now()
	batches, err := n.store.NoticeBatches(ctx, kind, now)
	if err != nil {
		return err
	}
	for _, b := range batches {
		if skip[b.Org.ID] {
			continue
		}
		nt, ok := notify.Prepare(b, kind)
		if !ok {
			n.log.Warn("no contact to notify", "org", b.Org.ShortName, "kind", kind, "findings", len(b.Findings))
			continue
		}
		render := func(nt *notify.Notice) error { return n.composer.Render(nt, b, now) }
		if dryRun {
			nt.Reference = fmt.Sprintf("QLX-N-%d-DRYRUN", now.Year())
			if err := render(nt); err != nil {
				return err
			}
		} else {
			queued, err := n.store.QueueNotice(ctx, nt, render)
			if err != nil {
				return err
			}
			if !queued {
				continue
			}
		}
		if skip != nil {
			skip[b.Org.ID] = true
		}
		emit(nt)
	}
	return nil
}

// run is serve's part: every n.every it queues immediate notices and
// sends what is due; at the digest time it queues digests and escalations.
func (n *notifier) run(ctx context.Context) {
	if n.worker == nil {
		n.log.Warn("mail.smtp_addr is not configured: notices are not sent")
		return
	}
	nextDigest := n.digest.Next(n.store.Now())
	t := time.NewTicker(n.every)
	defer t.Stop()
	for {
		kinds := []notify.Kind{notify.Immediate}
		if now := n.store.Now(); !now.Before(nextDigest) {
			kinds = append(kinds, notify.Digest, notify.Escalation)
			nextDigest = n.digest.Next(now)
		}
		for _, k := range kinds {
			if err := n.queue(ctx, k, false, nil, func(nt *notify.Notice) {
				n.log.Info("notice queued", "reference", nt.Reference, "org", nt.Org, "kind", nt.Kind, "findings", nt.FindingsCount)
			}); err != nil && ctx.Err() == nil {
				n.log.Error("queue notices", "kind", k, "err", err)
			}
		}
		if _, err := n.worker.RunOnce(ctx); err != nil && ctx.Err() == nil {
			n.log.Error("notice delivery round", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
