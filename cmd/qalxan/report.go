package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/i18n"
	"github.com/qalxan/qalxan/internal/stats"
	"github.com/qalxan/qalxan/internal/storage"
)

func (a *app) reportCommand() *cobra.Command {
	var period, format, org, lang, tz string
	var incidents bool
	c := &cobra.Command{
		Use:   "report",
		Short: "Print the statistics of a month, quarter or year: the headline, then the tables",
		Long: "Print what the CERT publishes about a period: the headline (\"January 2024: security gaps\n" +
			"identified in 68 information resources of 23 organisations; +84 % compared to January\n" +
			"2023\"), the figures against the period before and the same period a year earlier, and\n" +
			"the findings per organisation, sector, identifier, taxonomy and month. Periods are\n" +
			"counted in UTC unless --tz names another zone. The default period is last month.\n" +
			"With --incidents: the incidents registered per type, scheme, channel, severity and\n" +
			"organisation, and the times to triage, contain, resolve and take down (median, p90).",
		Example: "  qalxan report --period 2024-01\n" +
			"  qalxan report --period 2024-Q1 --format md --lang az\n" +
			"  qalxan report --period 2024 --org mdt --format json\n" +
			"  qalxan report --incidents --period 2026-01 --format csv",
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			loc, err := time.LoadLocation(tz)
			if err != nil {
				return usageError{fmt.Errorf("report: --tz %q: not a time zone (UTC, Asia/Baku ...)", tz)}
			}
			p := stats.MonthOf(time.Now(), loc).Previous()
			if period != "" {
				if p, err = stats.ParsePeriod(period); err != nil {
					return usageError{fmt.Errorf("report: --period: %s", oneLine(err))}
				}
			}
			if !slices.Contains(stats.Formats, format) {
				return usageError{fmt.Errorf("report: --format %q: want text, csv, json or md", format)}
			}
			if !i18n.Supported(lang) {
				return usageError{fmt.Errorf("report: --lang %q: want %s", lang, strings.Join(i18n.Languages(), ", "))}
			}
			s, _, err := a.openStore(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			q := storage.StatsQuery{Period: p, Loc: loc}
			if org != "" {
				o, err := s.GetOrgByShortName(cmd.Context(), auth.Everything, org)
				if err != nil {
					return err
				}
				q.OrgID = o.ID
			}
			if incidents {
				r, err := s.IncidentStats(cmd.Context(), auth.Everything, q)
				if err != nil {
					return err
				}
				if org != "" {
					r.Org = strings.ToLower(org)
				}
				return stats.WriteIncidents(a.stdout, r, format, lang)
			}
			r, err := s.Stats(cmd.Context(), auth.Everything, q)
			if err != nil {
				return err
			}
			if org != "" {
				r.Org = strings.ToLower(org)
			}
			return stats.Write(a.stdout, r, format, lang)
		},
	}
	f := c.Flags()
	f.StringVar(&period, "period", "", "a month (2024-01), quarter (2024-Q1) or year (2024); default last month")
	f.StringVar(&format, "format", "text", "text, csv, json or md")
	f.StringVar(&org, "org", "", "only this organisation (short name)")
	f.StringVar(&lang, "lang", i18n.Default, "language of the headline and labels: az, en or ru")
	f.StringVar(&tz, "tz", "UTC", "time zone the periods are counted in")
	f.BoolVar(&incidents, "incidents", false, "the incidents' statistics (per type, channel, severity, organisation; times to triage, contain, resolve, take down) instead of the findings'")
	return c
}
