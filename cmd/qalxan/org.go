package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/orgfile"
	"github.com/qalxan/qalxan/internal/storage"
)

func (a *app) orgCommand() *cobra.Command {
	c := &cobra.Command{Use: "org", Short: "Manage the constituency registry (organisations, resources, contacts)"}
	c.AddCommand(a.orgImportCommand(), a.orgExportCommand(), a.orgListCommand(), a.orgLookupCommand())
	return c
}

// maxRegistryFile bounds what org import reads into memory.
const maxRegistryFile = 64 << 20

func (a *app) orgImportCommand() *cobra.Command {
	var format string
	c := &cobra.Command{
		Use:   "import FILE",
		Short: "Import organisations from a YAML or CSV file ('-' for standard input)",
		Long: "Create or update the organisations in FILE (YAML or CSV, detected from the name or content).\n" +
			"An organisation's resources and contacts become exactly those in the file; organisations\n" +
			"not in the file are kept. The import is one transaction: an error anywhere imports nothing.\n" +
			"Importing the same file twice changes nothing.",
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := a.readInput(args[0])
			if err != nil {
				return err
			}
			f, err := pickFormat(format, args[0], data)
			if err != nil {
				return err
			}
			orgs, err := orgfile.Decode(bytes.NewReader(data), f)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			s, _, err := a.openStore(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			res, err := s.ImportOrgs(cmd.Context(), cliActor, orgs)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			fmt.Fprintf(a.stdout, "%d organisations: %d created, %d updated, %d unchanged\n", len(orgs), res.Created, res.Updated, res.Unchanged)
			return nil
		},
	}
	c.Flags().StringVar(&format, "format", "", "yaml or csv (default: from the file name or content)")
	return c
}

func (a *app) readInput(name string) ([]byte, error) {
	var r io.Reader = a.stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxRegistryFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxRegistryFile {
		return nil, errs.E(errs.Invalid, "%s is larger than %d MiB", name, maxRegistryFile>>20)
	}
	return data, nil
}

func pickFormat(flag, name string, data []byte) (orgfile.Format, error) {
	switch strings.ToLower(flag) {
	case "":
		if name == "-" {
			name = ""
		}
		return orgfile.DetectFormat(name, data)
	case "yaml", "yml":
		return orgfile.YAML, nil
	case "csv":
		return orgfile.CSV, nil
	}
	return "", usageError{errs.E(errs.Invalid, "--format %q: want yaml or csv", flag)}
}

func (a *app) orgExportCommand() *cobra.Command {
	var format, out string
	c := &cobra.Command{
		Use:   "export",
		Short: "Export the registry as YAML or CSV (the import format)",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := pickFormat(format, "", nil)
			if err != nil {
				return err
			}
			s, _, err := a.openStore(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			orgs, err := s.ExportOrgs(cmd.Context(), auth.Everything)
			if err != nil {
				return err
			}
			if err := s.Audit(cmd.Context(), cliActor, "org.export", "org", 0, 0, map[string]any{"orgs": len(orgs), "format": f}); err != nil {
				return err
			}
			var w io.Writer = a.stdout
			if out != "" && out != "-" {
				file, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
				if err != nil {
					return err
				}
				defer file.Close()
				w = file
			}
			return orgfile.Encode(w, f, orgs)
		},
	}
	c.Flags().StringVar(&format, "format", "yaml", "yaml or csv")
	c.Flags().StringVarP(&out, "output", "o", "", "write to this file instead of standard output")
	return c
}

func (a *app) orgListCommand() *cobra.Command {
	var asJSON bool
	var query, sector string
	c := &cobra.Command{
		Use:   "list",
		Short: "List organisations",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, _, err := a.openStore(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			enc := json.NewEncoder(a.stdout)
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			if !asJSON {
				fmt.Fprintln(tw, "SHORT NAME\tNAME\tSECTOR\tCII\tTLP\tRESOURCES\tCONTACTS")
			}
			f := storage.OrgFilter{Query: query, Sector: sector, Limit: 1000}
			for {
				page, next, err := s.ListOrgs(cmd.Context(), auth.Everything, f)
				if err != nil {
					return err
				}
				for _, o := range page {
					if asJSON {
						if err := enc.Encode(o); err != nil {
							return err
						}
						continue
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%v\t%s\t%d\t%d\n", o.ShortName, o.Name, o.Sector, o.CII, o.TLP, o.ResourceCount, o.ContactCount)
				}
				if next == "" {
					break
				}
				f.After = next
			}
			if asJSON {
				return nil
			}
			return tw.Flush()
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "one JSON object per organisation")
	c.Flags().StringVar(&query, "query", "", "only organisations whose name, short name or resource contains this")
	c.Flags().StringVar(&sector, "sector", "", "only this sector")
	return c
}

func (a *app) orgLookupCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "lookup VALUE...",
		Short: "Print the owners of IPs, networks, domains, URLs or AS numbers",
		Long: "For each VALUE print the value, a tab, and the owning organisations' short names\n" +
			"joined by commas ('-' when none). IPs match the longest registered prefix, names the\n" +
			"longest registered domain on label boundaries (Unicode and punycode alike).",
		Example: "  qalxan org lookup 198.51.100.7 mail.mdt.gov.az https://portal.mdt.gov.az/x AS64500",
		Args:    minArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, _, err := a.openStore(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			orgs, err := s.MatcherOrgs(cmd.Context())
			if err != nil {
				return err
			}
			m := constituency.NewMatcher(orgs)
			for _, v := range args {
				fmt.Fprintf(a.stdout, "%s\t%s\n", v, dash(strings.Join(m.Lookup(v), ",")))
			}
			return nil
		},
	}
}
