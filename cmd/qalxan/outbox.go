package main

import (
	"context"
	"log/slog"

	"github.com/qalxan/qalxan/internal/config"
	"github.com/qalxan/qalxan/internal/notify"
	"github.com/qalxan/qalxan/internal/storage"
)

// newOutbox is the sender of personal mail (to reporters and assignees):
// the notices' SMTP sender and retry policy, the outbox queue. nil when
// no SMTP relay is configured.
func newOutbox(cfg config.Config, s *storage.Store, n *notifier, log *slog.Logger) *notify.Outbox {
	if n.worker == nil {
		return nil
	}
	return &notify.Outbox{Queue: s, Sender: n.worker.Sender, Log: log, BaseURL: cfg.BaseURL,
		Worker: notify.Worker{Log: log, Domain: n.worker.Domain, MaxAttempts: n.worker.MaxAttempts}}
}

// startOutbox sends personal mail every notify.every until ctx ends.
func startOutbox(ctx context.Context, cfg config.Config, s *storage.Store, n *notifier, log *slog.Logger) {
	if o := newOutbox(cfg, s, n, log); o != nil {
		go o.Run(ctx, n.every)
	}
}
