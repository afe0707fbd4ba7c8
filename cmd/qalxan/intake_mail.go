package main

import (
	"context"
	"log/slog"

	"github.com/qalxan/qalxan/internal/collect"
	"github.com/qalxan/qalxan/internal/config"
	"github.com/qalxan/qalxan/internal/storage"
)

// startIncidentMailbox reads the incident mailbox (incidents.mailbox)
// on its interval until ctx ends, each new mail becoming a report. With
// no mailbox configured it does nothing.
func startIncidentMailbox(ctx context.Context, cfg config.Config, s *storage.Store, log *slog.Logger) {
	m := cfg.Incidents.Mailbox
	if !m.Enabled() {
		return
	}
	box := &collect.ReportMailbox{
		IMAP: &collect.IMAP{Source: "incident-mailbox", Addr: m.Addr(), Security: m.TLS, Username: m.User, Password: m.Password,
			Mailbox: m.Folder, MoveTo: m.MoveTo},
		Sink: s, Region: cfg.Incidents.PhoneRegion, Log: log,
	}
	// The IMAP value logs without its password (IMAP.LogValue).
	log.Info("incident mailbox", "imap", box.IMAP, "every", m.Every())
	go box.Run(ctx, m.Every())
}
