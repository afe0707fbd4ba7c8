package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/qalxan/qalxan/internal/config"
	"github.com/qalxan/qalxan/internal/demo"
	"github.com/qalxan/qalxan/internal/pipeline"
	"github.com/qalxan/qalxan/internal/storage"
)

func (a *app) demoCommand() *cobra.Command {
	var keep bool
	c := &cobra.Command{
		Use:   "demo",
		Short: "Run the server on a fresh database filled with a demo constituency",
		Long: "Start Qalxan on an embedded SQLite database in a new temporary directory, load a\n" +
			"fictional constituency (ministries, banks, energy, telecom, health, education) and\n" +
			"demo users, ingest a generated month of feed reports (Shadowserver, OpenPhish, URLhaus,\n" +
			"Spamhaus DROP), print the address and the sign-ins, and serve until Ctrl-C.",
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := a.config(cmd)
			if err != nil {
				return err
			}
			dir, err := os.MkdirTemp("", "qalxan-demo-")
			if err != nil {
				return err
			}
			if !keep {
				defer os.RemoveAll(dir)
			}
			cfg.DataDir, cfg.DB = dir, ""
			if cfg.SecureCookies == "auto" && cfg.BaseURL == "" {
				cfg.SecureCookies = "false" // the demo serves plain HTTP
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			s, err := storage.Open(ctx, filepath.Join(dir, "qalxan.db"))
			if err != nil {
				return err
			}
			defer s.Close()
			if err := demo.Load(ctx, s); err != nil {
				return err
			}
			if err := a.demoMonth(ctx, cfg, s); err != nil {
				return err
			}
			if n, loaded, err := demo.LoadHistory(ctx, s, time.Now()); err != nil {
				return err
			} else if loaded {
				a.logger(cfg).Info("demo: loaded a findings history for the statistics", "months", demo.HistoryMonths, "findings", n)
			}
			if n, err := demo.LoadIncidents(ctx, s, time.Now()); err != nil {
				return err
			} else if n > 0 {
				a.logger(cfg).Info("demo: loaded a year of incidents", "incidents", n)
			}
			if n, err := demo.LoadBrands(ctx, s, time.Now()); err != nil {
				return err
			} else if n > 0 {
				a.logger(cfg).Info("demo: protected brands with their look-alike domains", "candidates", n)
			}
			sites, err := demoMonitor(ctx, cfg, s, a.logger(cfg))
			if err != nil {
				return err
			}
			defer sites.Close()
			return a.serve(ctx, cfg, s, func(addr net.Addr) {
				fmt.Fprintf(a.stdout, "Qalxan demo: http://%s/\n", addr)
				fmt.Fprintf(a.stdout, "data directory: %s (%s)\n\nsign in as:\n", dir, map[bool]string{true: "kept", false: "deleted at exit"}[keep])
				for _, u := range demo.Users {
					fmt.Fprintf(a.stdout, "  %-12s password %-22s %s\n", u.Name, u.Password, u.What)
				}
				fmt.Fprintln(a.stdout, "\nCtrl-C stops the demo.")
			})
		},
	}
	c.Flags().String("addr", config.Defaults().Addr, "listen address HOST:PORT")
	c.Flags().BoolVar(&keep, "keep", false, "keep the data directory after exit")
	return c
}

// demoMonth ingests a generated month of feed reports, so that the events
// pages and their owners have something to show, unless the demo
// database already holds events.
func (a *app) demoMonth(ctx context.Context, cfg config.Config, s *storage.Store) error {
	pcfg, err := pipelineConfig(ctx, s, nil, cfg.Findings, nil)
	if err != nil {
		return err
	}
	p := pipeline.New(pcfg)
	start := time.Now()
	st, loaded, err := demo.LoadMonth(ctx, s, p, start)
	if err != nil || !loaded {
		return err
	}
	a.logger(cfg).Info("demo: ingested a month of feed reports", "days", demo.Days, "events", st.Events,
		"duplicates", st.Duplicates, "bad_rows", st.Bad, "owned", st.Owned, "seconds", time.Since(start).Round(10*time.Millisecond).Seconds())
	return nil
}
