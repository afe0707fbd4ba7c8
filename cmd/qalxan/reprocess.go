package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/qalxan/qalxan/internal/feed"
	"github.com/qalxan/qalxan/internal/pipeline"
	"github.com/qalxan/qalxan/internal/storage"
)

func (a *app) reprocessCommand() *cobra.Command {
	var ids []int64
	var feedName, since string
	var quarantined bool
	var enrichFiles []string
	c := &cobra.Command{
		Use:   "reprocess",
		Short: "Parse archived reports again and store what they give",
		Long: "Parse reports from the raw archive again, enrich them and store their events, as when they\n" +
			"came in: after a parser was fixed, a feed added to the configuration, or a quarantined\n" +
			"report explained. Events already stored count as duplicates, so nothing is stored twice.\n" +
			"Select reports by id (--report, repeatable), or all those of a feed (--feed) or all\n" +
			"quarantined ones (--quarantined) received since a time (--since). With --report or\n" +
			"--quarantined, --feed names the feed to parse them as instead of the one recognised.",
		Example: "  qalxan reprocess --report 42\n" +
			"  qalxan reprocess --report 42 --feed partner-csv\n" +
			"  qalxan reprocess --feed shadowserver --since 2026-11-20\n" +
			"  qalxan reprocess --quarantined --since 7d",
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(ids) == 0 && feedName == "" && !quarantined {
				return usageError{errors.New("reprocess: name reports with --report ID, or select them with --feed NAME or --quarantined and --since T")}
			}
			if len(ids) > 0 && quarantined {
				return usageError{errors.New("reprocess: --report and --quarantined do not go together")}
			}
			if len(ids) == 0 && since == "" {
				return usageError{errors.New("reprocess: --since T is needed with --feed or --quarantined (an early date such as 2000-01-01 for all)")}
			}
			var from time.Time
			if since != "" {
				t, err := parseSince(since, time.Now())
				if err != nil {
					return usageError{fmt.Errorf("reprocess: --since %q: %w", since, err)}
				}
				from = t
			}
			if err := a.useFeedData(cmd); err != nil {
				return err
			}
			s, cfg, err := a.openStore(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			if err := registerFeeds(cfg); err != nil {
				return err
			}
			// With --report or --quarantined, --feed is the feed to parse as.
			forced := feedName != "" && (len(ids) > 0 || quarantined)
			if forced {
				if _, err := feed.Lookup(feedName); err != nil {
					return err
				}
			}
			if len(ids) == 0 {
				f := storage.ReportFilter{Quarantined: quarantined, Since: from}
				if !forced {
					f.Feed = feedName
				}
				if ids, err = s.ReportIDs(cmd.Context(), f); err != nil {
					return err
				}
			}
			en, err := a.openEnricher(cmd, cfg, enrichFiles)
			if err != nil {
				return err
			}
			defer en.Close()
			pcfg, err := pipelineConfig(cmd.Context(), s, en, cfg.Findings, nil)
			if err != nil {
				return err
			}
			p := pipeline.New(pcfg)

			var total pipeline.Stats
			var failed []error
			for _, id := range ids {
				rec, err := s.GetReport(cmd.Context(), id)
				if err != nil {
					fmt.Fprintf(a.stderr, "report %d: %v\n", id, oneLine(err))
					failed = append(failed, err)
					continue
				}
				// The feed forced, else the one recognised before, else
				// recognise it now. A quarantined report's feed, if it has
				// one, may be why it failed: it is recognised again.
				as := rec.Feed
				switch {
				case forced:
					as = feedName
				case rec.Status == storage.ReportQuarantined:
					as = ""
				}
				rep := feed.Report{OnBad: func(b feed.BadRow) {
					fmt.Fprintf(a.stderr, "report %d (%s):%d: %s\n", id, rec.FileName, b.Line, b.Reason)
				}}
				st, err := p.Process(cmd.Context(), id, as, rep)
				total.Add(st)
				if err == nil && forced && rec.Feed != feedName {
					// Process records only a feed it recognised itself.
					err = s.SetReportFeed(cmd.Context(), id, feedName)
				}
				if err != nil {
					fmt.Fprintf(a.stderr, "report %d (%s): %v\n", id, rec.FileName, err)
					failed = append(failed, err)
				}
				if cmd.Context().Err() != nil {
					break
				}
			}
			fmt.Fprintf(a.stdout, "%d reports, %d events, %d duplicates, %d bad rows, %d owners found, %.2f seconds, %.0f events/s\n",
				len(ids), total.Events, total.Duplicates, total.Bad, total.Owned, total.Elapsed.Seconds(), total.PerSecond())
			if len(failed) > 0 {
				return fmt.Errorf("reprocess: %d of %d reports failed: %w", len(failed), len(ids), errors.Join(failed...))
			}
			return nil
		},
	}
	f := c.Flags()
	f.Int64SliceVar(&ids, "report", nil, "id of an archived report (repeatable; see 'qalxan reports')")
	f.StringVar(&feedName, "feed", "", "with --report or --quarantined: parse as this feed; else: the reports of this feed")
	f.BoolVar(&quarantined, "quarantined", false, "the quarantined reports")
	f.StringVar(&since, "since", "", "reports received since this time (2026-11-20, RFC 3339) or this long ago (48h, 7d)")
	f.StringSliceVar(&enrichFiles, "enrich", nil, "MMDB or IP-range CSV file for AS and country (repeatable; default enrich_files of the configuration)")
	return c
}
