package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/storage"
)

func (a *app) reportsCommand() *cobra.Command {
	var quarantined, asJSON bool
	var feedName, source, since string
	var limit int
	c := &cobra.Command{
		Use:   "reports",
		Short: "List the archived reports: where they came from, what they gave, which were quarantined",
		Long: "List the reports in the raw archive, newest first: id, when and from which collector it came,\n" +
			"its feed, file name and size, the events and bad rows it gave, its state (received, parsed,\n" +
			"quarantined) and why it was quarantined. Re-process reports with 'qalxan reprocess'.",
		Example: "  qalxan reports --quarantined\n" +
			"  qalxan reports --feed shadowserver --since 2026-11-20 --limit 50\n" +
			"  qalxan reports --since 24h --json",
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			f := storage.ReportFilter{Quarantined: quarantined, Feed: feedName, Source: source, Limit: limit}
			if limit < 0 || limit > 1000 {
				return usageError{fmt.Errorf("reports: --limit %d: want 1 to 1000", limit)}
			}
			if since != "" {
				t, err := parseSince(since, time.Now())
				if err != nil {
					return usageError{fmt.Errorf("reports: --since %q: %w", since, err)}
				}
				f.Since = t
			}
			s, _, err := a.openStore(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			list, err := s.ListReports(cmd.Context(), f)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(a.stdout)
				for _, r := range list {
					if err := enc.Encode(r); err != nil {
						return err
					}
				}
				return nil
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tRECEIVED\tSOURCE\tFEED\tFILE\tSIZE\tEVENTS\tBAD ROWS\tSTATE\tREASON")
			for _, r := range list {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%s\t%s\n", r.ID, r.ReceivedAt.Format(time.RFC3339), r.Source,
					orDash(r.Feed), orDash(r.FileName), r.Size, r.Events, r.BadRows, r.Status, strings.Join(strings.Fields(r.Reason), " "))
			}
			return tw.Flush()
		},
	}
	f := c.Flags()
	f.BoolVar(&quarantined, "quarantined", false, "only reports that could not be parsed")
	f.StringVar(&feedName, "feed", "", "only reports of this feed")
	f.StringVar(&source, "source", "", "only reports from this collector")
	f.StringVar(&since, "since", "", "only reports received since this time (2026-11-20, RFC 3339) or this long ago (48h, 7d)")
	f.BoolVar(&asJSON, "json", false, "one JSON object per report")
	f.IntVar(&limit, "limit", 100, "at most this many reports (up to 1000)")
	return c
}

// parseSince reads a time, or a duration before now ("48h", "7d").
func parseSince(s string, now time.Time) (time.Time, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.Atoi(days); err == nil && n >= 0 {
			return now.UTC().AddDate(0, 0, -n), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.UTC().Add(-d), nil
	}
	t, err := event.ParseTime(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("want a time such as 2026-11-20 or 2026-11-20T06:00:00Z, or a duration such as 48h or 7d")
	}
	return t, nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
