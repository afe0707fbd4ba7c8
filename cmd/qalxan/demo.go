package main

import (
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/qalxan/qalxan/internal/config"
	"github.com/qalxan/qalxan/internal/demo"
	"github.com/qalxan/qalxan/internal/storage"
)

func (a *app) demoCommand() *cobra.Command {
	var keep bool
	c := &cobra.Command{
		Use:   "demo",
		Short: "Run the server on a fresh database filled with a demo constituency",
		Long: "Start Qalxan on an embedded SQLite database in a new temporary directory, load a\n" +
			"fictional constituency (ministries, banks, energy, telecom, health, education) and\n" +
			"demo users, print the address and the sign-ins, and serve until Ctrl-C.",
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
