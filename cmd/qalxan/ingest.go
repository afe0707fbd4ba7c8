package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
	"github.com/qalxan/qalxan/internal/pipeline"
)

func (a *app) ingestCommand() *cobra.Command {
	var feedName, reportType, observed string
	var enrichFiles []string
	var noFindings bool
	c := &cobra.Command{
		Use:   "ingest FILE...",
		Short: "Archive feed reports, and parse, enrich and store their events",
		Long: "Archive each report, parse it, enrich its events (AS and country from --enrich data files,\n" +
			"registered domain, owners from the organisation registry) and store them. An event already\n" +
			"stored (same fingerprint, same day) counts as a duplicate, so ingesting a report twice adds\n" +
			"nothing. Bad rows are reported on standard error with their line numbers; a report that\n" +
			"cannot be parsed at all is quarantined with the reason and the exit status is 1. On a terminal\n" +
			"a status line shows each report's progress.\n\n" +
			"Without --feed each report's feed is recognised from its file name and first bytes.\n\n" +
			"Each owned event opens or refreshes a finding for its owner, who is then notified. Back-filling\n" +
			"old reports with --no-findings stores their events, searchable and counted, without findings:\n" +
			"no agency is told of gaps long fixed. Their events stay duplicates if ingested again later.",
		Example: "  qalxan ingest 2026-11-20-scan_rdp-az-geo.csv 2026-11-20-scan_smb-az-geo.csv\n" +
			"  qalxan ingest --feed shadowserver --report scan_rdp --enrich asn.mmdb report.csv\n" +
			"  qalxan ingest --no-findings archive/2025-*.csv",
		Args: minArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			rep := feed.Report{Type: reportType, Observed: time.Now().UTC().Truncate(time.Second)}
			if observed != "" {
				t, err := event.ParseTime(observed)
				if err != nil {
					return usageError{fmt.Errorf("ingest: --observed %q: %w", observed, err)}
				}
				rep.Observed = t
			}
			if err := a.useFeedData(cmd); err != nil {
				return err
			}
			s, cfg, err := a.openStore(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			en, err := a.openEnricher(cmd, cfg, enrichFiles)
			if err != nil {
				return err
			}
			defer en.Close()
			pcfg, err := pipelineConfig(cmd.Context(), s, en, cfg.Findings, nil)
			if err != nil {
				return err
			}
			if noFindings {
				pcfg.Findings = nil
			}
			var bar func(pipeline.Progress) // the status line of the file being ingested
			if isTerminal(a.stderr) {
				pcfg.OnProgress = func(pr pipeline.Progress) { bar(pr) }
			}
			p := pipeline.New(pcfg)

			var total pipeline.Stats
			var failed []error
			rules, err := cfg.IncidentRules()
			if err != nil {
				return err
			}
			watch := newLookalikeWatcher(cmd.Context(), newLookalikeRecorder(s, cfg.Lookalike, rules))
			for _, name := range args {
				var size int64
				if fi, err := os.Stat(name); err == nil && fi.Mode().IsRegular() {
					size = fi.Size()
				}
				bar = progressLine(a.stderr, size)
				st, err := a.ingestFile(cmd, p, name, feedName, rep)
				total.Add(st)
				if err != nil {
					fmt.Fprintf(a.stderr, "%s: %v\n", name, err)
					failed = append(failed, err)
				}
			}
			findings := findingsSummary(total)
			if noFindings {
				findings = "no findings (--no-findings)"
			}
			fmt.Fprintf(a.stdout, "%d events, %d duplicates, %d bad rows, %d owners found, %s, %.2f seconds, %.0f events/s\n",
				total.Events, total.Duplicates, total.Bad, total.Owned, findings, total.Elapsed.Seconds(), total.PerSecond())
			watch.report(cmd.Context(), a.stderr)
			if len(failed) > 0 {
				return fmt.Errorf("ingest: %d of %d reports failed: %w", len(failed), len(args), errors.Join(failed...))
			}
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&feedName, "feed", "", "feed name (see 'qalxan feeds'); default: recognised from each file")
	f.StringVar(&reportType, "report", "", "report type within the feed (e.g. scan_rdp); default: from the file name")
	f.StringVar(&observed, "observed", "", "time.observation for the events (default now)")
	f.BoolVar(&noFindings, "no-findings", false, "store the events and their owners, but open or refresh no findings (to back-fill old reports)")
	f.StringSliceVar(&enrichFiles, "enrich", nil, "MMDB or IP-range CSV file for AS and country (repeatable; first wins; default enrich_files of the configuration)")
	return c
}

// ingestFile ingests one report, telling of its bad rows as they come.
func (a *app) ingestFile(cmd *cobra.Command, p *pipeline.Pipeline, name, feedName string, rep feed.Report) (pipeline.Stats, error) {
	f, err := os.Open(name)
	if err != nil {
		return pipeline.Stats{}, err
	}
	defer f.Close()
	rep.FileName = filepath.Base(name)
	// The parser runs on the calling goroutine, so this writes in order.
	clear := "" // on a terminal, the status line is wiped before a bad row is told
	if isTerminal(a.stderr) {
		clear = "\r\033[K"
	}
	rep.OnBad = func(b feed.BadRow) { fmt.Fprintf(a.stderr, "%s%s:%d: %s\n", clear, name, b.Line, b.Reason) }
	return p.Ingest(cmd.Context(), pipeline.Input{Source: "file", Feed: feedName, Report: rep, Content: f})
}
