package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/qalxan/qalxan/internal/storage"
)

func (a *app) migrateCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Apply pending database migrations",
		Long:  "Apply the schema migrations embedded in this binary that the database lacks.\nserve applies them too at start; run this to upgrade ahead of time.",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.config(cmd)
			if err != nil {
				return err
			}
			s, err := storage.OpenNoMigrate(cmd.Context(), c.DSN())
			if err != nil {
				return err
			}
			defer s.Close()
			applied, err := s.Migrate(cmd.Context())
			for _, m := range applied {
				fmt.Fprintf(a.stderr, "applied %s\n", m)
			}
			if err != nil {
				return err
			}
			v, _, err := s.SchemaVersion(cmd.Context())
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "%s schema at version %d\n", s.Dialect(), v)
			return nil
		},
	}
}
