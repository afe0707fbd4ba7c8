package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/feed"
	"github.com/qalxan/qalxan/internal/feed/shadowserver"
)

func (a *app) feedsCommand() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "feeds",
		Short: "List the feeds Qalxan can parse",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if asJSON {
				enc := json.NewEncoder(a.stdout)
				for _, s := range feed.All() {
					if err := enc.Encode(specJSON(s)); err != nil {
						return err
					}
				}
				return nil
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tPROVIDER\tFORMAT")
			for _, s := range feed.All() {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", s.Name, s.Provider, s.Format)
			}
			return tw.Flush()
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "one JSON object per feed")
	c.AddCommand(a.feedsShowCommand(), a.feedsUpdateShadowserverSchemaCommand())
	return c
}

// maxSchemaFile bounds a Shadowserver schema read into memory (today's is
// under 1 MB).
const maxSchemaFile = 64 << 20

func (a *app) feedsUpdateShadowserverSchemaCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "update-shadowserver-schema FILE",
		Short: "Install a newer Shadowserver report schema in the data directory",
		Long: "Check FILE (Shadowserver's shadowserver-report_schema-intelmq.json, '-' for standard input)\n" +
			"and install it in the data directory, where it replaces the schema built into qalxan for\n" +
			"every later parse. A file this version cannot use (an unknown conversion, an invalid\n" +
			"constant field) is refused and nothing changes.",
		Example: "  curl -sO https://interchange.shadowserver.org/intelmq/v1/schema\n" +
			"  qalxan feeds update-shadowserver-schema schema",
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in, closeIn, err := a.openReport(args[0])
			if err != nil {
				return err
			}
			defer closeIn()
			data, err := io.ReadAll(io.LimitReader(in, maxSchemaFile+1))
			if err != nil {
				return err
			}
			if len(data) > maxSchemaFile {
				return errs.E(errs.Invalid, "%s: larger than %d bytes", args[0], maxSchemaFile)
			}
			s, err := shadowserver.ParseSchema(data)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			cfg, err := a.config(cmd)
			if err != nil {
				return err
			}
			if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
				return err
			}
			dst := filepath.Join(cfg.DataDir, shadowserver.SchemaFile)
			tmp := dst + ".new"
			if err := os.WriteFile(tmp, data, 0o640); err != nil {
				return err
			}
			if err := os.Rename(tmp, dst); err != nil {
				return err
			}
			e := shadowserver.Embedded()
			fmt.Fprintf(a.stdout, "installed %s: %d report types, dated %s (built in: %d, dated %s)\n",
				dst, len(s.Reports), s.Created, len(e.Reports), e.Created)
			return nil
		},
	}
}

// useFeedData installs feed data kept in the data directory (a newer
// Shadowserver schema) for this run.
func (a *app) useFeedData(cmd *cobra.Command) error {
	cfg, err := a.config(cmd)
	if err != nil {
		return err
	}
	path := filepath.Join(cfg.DataDir, shadowserver.SchemaFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		shadowserver.Use(nil)
		return nil
	}
	if err != nil {
		return err
	}
	s, err := shadowserver.ParseSchema(data)
	if err != nil {
		return fmt.Errorf("%s: %w (remove it to use the built-in schema)", path, err)
	}
	shadowserver.Use(s)
	return nil
}

type feedInfo struct {
	Name        string   `json:"name"`
	Provider    string   `json:"provider"`
	Format      string   `json:"format"`
	DocURL      string   `json:"doc_url,omitempty"`
	Description string   `json:"description,omitempty"`
	FileNames   []string `json:"file_names,omitempty"`
}

func specJSON(s feed.Spec) feedInfo {
	return feedInfo{s.Name, s.Provider, s.Format, s.DocURL, s.Description, s.FileNames}
}

func (a *app) feedsShowCommand() *cobra.Command {
	var report string
	c := &cobra.Command{
		Use:   "show NAME",
		Short: "Show a feed: what it is and how its reports map to event fields",
		Long: "Show a feed's description and mapping. For a feed with several report types\n" +
			"(shadowserver), list them, or with --report TYPE show that report's field mapping.",
		Example: "  qalxan feeds show shadowserver --report scan_rdp",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := a.useFeedData(cmd); err != nil {
				return err
			}
			s, err := feed.Lookup(args[0])
			if err != nil {
				return err
			}
			var b strings.Builder
			fmt.Fprintf(&b, "name:        %s\nprovider:    %s\nformat:      %s\n", s.Name, s.Provider, s.Format)
			if s.DocURL != "" {
				fmt.Fprintf(&b, "docs:        %s\n", s.DocURL)
			}
			if len(s.FileNames) > 0 {
				fmt.Fprintf(&b, "file names:  %s\n", strings.Join(s.FileNames, " "))
			}
			if s.Description != "" {
				fmt.Fprintf(&b, "description: %s\n", s.Description)
			}
			switch {
			case s.Details != nil:
				d, err := s.Details(report)
				if err != nil {
					return err
				}
				b.WriteString("\n" + d)
			case report != "":
				return errs.E(errs.Invalid, "feed %s has no report types; drop --report", s.Name)
			}
			_, err = fmt.Fprint(a.stdout, b.String())
			return err
		},
	}
	c.Flags().StringVar(&report, "report", "", "show this report type's field mapping")
	return c
}
