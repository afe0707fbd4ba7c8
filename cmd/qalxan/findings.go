package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/pipeline"
	"github.com/qalxan/qalxan/internal/storage"
)

// withFindings makes a pipeline open and refresh findings from the new
// owned events it stores, rated by policy.
func withFindings(pc *pipeline.Config, s *storage.Store, policy finding.Policy, orgs []constituency.Org) {
	pc.Findings, pc.Policy, pc.Critical = s, policy, pipeline.CII(orgs)
}

// findingsSummary tells what an ingest did to findings.
func findingsSummary(st pipeline.Stats) string {
	return fmt.Sprintf("findings %d opened, %d refreshed, %d reopened", st.FindingsOpened, st.FindingsRefreshed, st.FindingsReopened)
}

// sweepFindings closes the verified fixes and reopens the expired risk
// acceptances, once.
func sweepFindings(ctx context.Context, s *storage.Store, policy finding.Policy, now time.Time) (closed, reopened int, err error) {
	if closed, err = s.VerifyFindings(ctx, policy, now); err != nil {
		return closed, 0, err
	}
	reopened, err = s.ExpireAcceptedFindings(ctx, policy, now)
	return closed, reopened, err
}

// verifyFindingsLoop sweeps the findings hourly until ctx ends. The quiet
// period is days long, so an hour late is nothing; every serve node may
// run it, since a finding a sweep has moved no longer matches the next.
func verifyFindingsLoop(ctx context.Context, s *storage.Store, policy finding.Policy, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		closed, reopened, err := sweepFindings(ctx, s, policy, s.Now())
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("verify findings", "err", err)
		case closed+reopened > 0:
			log.Info("findings verified", "closed", closed, "acceptances_expired", reopened)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (a *app) findingsCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "findings",
		Short: "List security gaps and verify their fixes",
		Long: "Findings are security gaps of the constituency's organisations, opened and refreshed by\n" +
			"the owned events of every ingest and tracked until their fix is verified. The policy\n" +
			"(severity rules, time to fix, quiet period) is the findings: section of the configuration.",
		Args: exactArgs(0),
	}
	c.AddCommand(a.findingsListCommand(), a.findingsVerifyCommand())
	return c
}

func (a *app) findingsListCommand() *cobra.Command {
	var org, status, severity string
	var asJSON, overdue bool
	var limit int
	c := &cobra.Command{
		Use:   "list",
		Short: "List findings, newest first",
		Example: "  qalxan findings list --org mdt --status open,reopened\n" +
			"  qalxan findings list --severity critical --overdue --json",
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, _, err := a.openStore(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			f := storage.FindingFilter{Overdue: overdue, Limit: limit}
			if org != "" {
				o, err := s.GetOrgByShortName(cmd.Context(), auth.Everything, org)
				if err != nil {
					return usageError{fmt.Errorf("findings list: --org: %s", oneLine(err))}
				}
				f.OrgID = o.ID
			}
			for _, v := range splitList(status) {
				st, err := finding.ParseStatus(v)
				if err != nil {
					return usageError{fmt.Errorf("findings list: --status: %s", oneLine(err))}
				}
				f.Statuses = append(f.Statuses, st)
			}
			for _, v := range splitList(severity) {
				sev, err := finding.ParseSeverity(v)
				if err != nil {
					return usageError{fmt.Errorf("findings list: --severity: %s", oneLine(err))}
				}
				f.Severity = append(f.Severity, sev)
			}
			fs, _, err := s.ListFindings(cmd.Context(), auth.Everything, f)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(a.stdout)
				for _, fd := range fs {
					if err := enc.Encode(fd); err != nil {
						return err
					}
				}
				return nil
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tORG\tSEVERITY\tSTATUS\tRESOURCE\tIDENTIFIER\tSEEN\tLAST SEEN\tDUE")
			for _, fd := range fs {
				due := ""
				if !fd.DueAt.IsZero() {
					due = fd.DueAt.Format(time.DateOnly)
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", fd.ID, fd.Org, fd.Severity, fd.Status, fd.Resource, fd.Identifier,
					fd.Count, fd.LastSeen.Format(time.DateOnly), due)
			}
			return tw.Flush()
		},
	}
	fl := c.Flags()
	fl.StringVar(&org, "org", "", "only this organisation (short name)")
	fl.StringVar(&status, "status", "", "only these statuses, comma-separated (open, notified, acknowledged, resolved, closed, reopened, accepted, false_positive)")
	fl.StringVar(&severity, "severity", "", "only these severities, comma-separated (critical, high, medium, low, info)")
	fl.BoolVar(&overdue, "overdue", false, "only active findings past their due date")
	fl.IntVar(&limit, "limit", 100, "at most this many (up to 1000)")
	fl.BoolVar(&asJSON, "json", false, "one JSON object per line")
	return c
}

func (a *app) findingsVerifyCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "verify",
		Short: "Close verified fixes and reopen expired risk acceptances, once",
		Long: "Close each resolved finding its source has not reported for the policy's quiet period, and\n" +
			"reopen each accepted risk whose acceptance has expired. serve does this every hour.",
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, cfg, err := a.openStore(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			closed, reopened, err := sweepFindings(cmd.Context(), s, cfg.Findings, s.Now())
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "%d findings closed as verified, %d risk acceptances expired and reopened\n", closed, reopened)
			return nil
		},
	}
}

// splitList reads a comma-separated flag value.
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
