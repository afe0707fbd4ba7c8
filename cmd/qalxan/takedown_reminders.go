package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/qalxan/qalxan/internal/storage"
)

// takedownCheck is how often serve looks for unanswered take-down
// requests: the reminder interval is hours or days, so a reminder is at
// most this late.
const takedownCheck = 10 * time.Minute

// takedownReminderLoop writes a reminder in the journal of each incident
// whose take-down request has gone unanswered for every, once per every
// (storage claims each request, so several serve nodes write one), and
// queues a mail to the incident's assignee in the outbox, which serve's
// outbox loop sends when an SMTP relay is configured.
func takedownReminderLoop(ctx context.Context, s *storage.Store, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(takedownCheck)
	defer t.Stop()
	for {
		remindTakedowns(ctx, s, every, log)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// remindTakedowns is one pass of the loop.
func remindTakedowns(ctx context.Context, s *storage.Store, every time.Duration, log *slog.Logger) int {
	rs, err := s.RemindTakedowns(ctx, every)
	if err != nil && ctx.Err() == nil {
		log.Warn("take-down reminders", "err", err)
	}
	for _, r := range rs {
		log.Info("take-down overdue", "incident", r.IncidentRef, "takedown", r.Takedown.ID, "provider", r.Takedown.Provider,
			"sent_at", r.Takedown.SentAt, "assignee", r.Assignee)
	}
	return len(rs)
}
