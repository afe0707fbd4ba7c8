package main

import (
	"context"
	"fmt"
	"github.com/qalxan/qalxan/internal/pipeline"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/qalxan/qalxan/internal/config"
	"github.com/qalxan/qalxan/internal/server"
	"github.com/qalxan/qalxan/internal/storage"
)

func (a *app) serveCommand() *cobra.Command {
	var printConfig bool
	c := &cobra.Command{
		Use:   "serve",
		Short: "Run the server: web interface, API, background work",
		Long: "Run Qalxan's server. Configuration comes from --config FILE (YAML), QALXAN_*\n" +
			"environment variables and flags, each overriding the one before.\n" +
			"SIGINT or SIGTERM shut it down gracefully.",
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := a.config(cmd)
			if err != nil {
				return err
			}
			if printConfig {
				out, err := cfg.Redacted()
				if err != nil {
					return err
				}
				_, err = a.stdout.Write(out)
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			s, err := storage.Open(ctx, cfg.DSN())
			if err != nil {
				return err
			}
			defer s.Close()
			if n, err := s.CountUsers(ctx); err == nil && n == 0 {
				fmt.Fprintln(a.stderr, "no users yet: create one with  qalxan user add NAME --role admin --password-stdin")
			}
			return a.serve(ctx, cfg, s, func(addr net.Addr) {
				fmt.Fprintf(a.stderr, "qalxan serving on http://%s (%s database)\n", addr, s.Dialect())
			})
		},
	}
	c.Flags().String("addr", config.Defaults().Addr, "listen address HOST:PORT; also QALXAN_ADDR")
	c.Flags().BoolVar(&printConfig, "print-config", false, "print the effective configuration (secrets redacted) and exit")
	return c
}

// serve runs the server until ctx ends.
func (a *app) serve(ctx context.Context, cfg config.Config, s *storage.Store, ready func(net.Addr)) error {
	log := a.logger(cfg)
	own, err := newOwnership(ctx, s, log)
	if err != nil {
		return err
	}
	reg := server.NewRegistry()
	h, err := handler(cfg, s, own, log, reg)
	if err != nil {
		return err
	}
	go purgeSessions(ctx, s, log)
	go verifyFindingsLoop(ctx, s, cfg.Findings, log)
	go monitorLoop(ctx, cfg, s, log)
	go purgePersonalLoop(ctx, s, cfg.Incidents.Retention(), log)
	if err := startLookalike(ctx, cfg, s, log); err != nil {
		return err
	}
	go takedownReminderLoop(ctx, s, cfg.Incidents.ReminderEvery(), log)
	notices, err := newNotifier(cfg, s, log)
	if err != nil {
		return err
	}
	go notices.run(ctx)
	startOutbox(ctx, cfg, s, notices, log)
	if err := a.startCollectors(ctx, cfg, s, log, pipeline.NewMetrics(reg)); err != nil {
		return err
	}
	startIncidentMailbox(ctx, cfg, s, log)
	return server.Serve(ctx, cfg.Addr, h, log, ready)
}
