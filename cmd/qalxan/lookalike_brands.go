package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/storage"
)

// lookalikeBrandsCommand loads a brands file (the scan format) into the
// registry, so serve and ingest watch for them: the way to register a
// country's banks at once rather than one by one in the interface.
func (a *app) lookalikeBrandsCommand() *cobra.Command {
	var org string
	c := &cobra.Command{
		Use:   "add-brands --org ORG FILE",
		Short: "Register the brands of a brands file (official domain, then keywords, per line) for an organisation",
		Long: "Each line of FILE becomes a protected brand of the organisation ORG (short name): serve and\n" +
			"ingest then match newly seen domains against it and keep the look-alikes for triage.",
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			brands, err := readBrands(args[0])
			if err != nil {
				return err
			}
			s, _, err := a.openStore(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			o, err := s.GetOrgByShortName(cmd.Context(), auth.Everything, org)
			if err != nil {
				return err
			}
			for _, b := range brands {
				sb := storage.Brand{Brand: b, OrgID: o.ID}
				if err := s.CreateBrand(cmd.Context(), cliActor, &sb); err != nil {
					return fmt.Errorf("%s: %w", b.Label(), err)
				}
			}
			fmt.Fprintf(a.stdout, "%d brands of %s registered\n", len(brands), o.ShortName)
			return nil
		},
	}
	c.Flags().StringVar(&org, "org", "", "the organisation's short name")
	c.MarkFlagRequired("org")
	return c
}
