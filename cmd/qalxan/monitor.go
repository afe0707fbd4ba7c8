package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/config"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/monitor"
	"github.com/qalxan/qalxan/internal/storage"
)

// roundStats is what one monitoring round did.
type roundStats struct {
	Resources int           `json:"resources"`
	Checks    int           `json:"checks"`
	Failed    int           `json:"failed"`
	Errors    int           `json:"errors"`
	Opened    int           `json:"findings_opened"`
	Refreshed int           `json:"findings_refreshed"`
	Reopened  int           `json:"findings_reopened"`
	Closed    int           `json:"findings_closed"`
	Duration  time.Duration `json:"duration_ns"`
}

// monitorTarget is the target of a registered resource: a domain gets
// web, mail, DNS and ports; a host web and ports; a URL its web origin
// only (its host is often shared, and not the owner's to answer for).
func monitorTarget(r constituency.Resource) (monitor.Target, error) {
	t, err := monitor.ParseTarget(r.Value)
	if err != nil {
		return t, err
	}
	t.Resource = r.Value
	t.NoPorts = r.Kind == constituency.KindURL
	return t, nil
}

// monitorRound checks every registered resource (of orgID when not 0)
// once: each run is stored, each failing check opens or refreshes its
// owner's finding monitor/<id>, and each passing one closes the finding
// the owner marked resolved. The checks run concurrently; the writes one
// at a time, so SQLite's single writer is never contended.
func monitorRound(ctx context.Context, s *storage.Store, set monitor.Settings, policy finding.Policy, orgID int64, log *slog.Logger) (roundStats, error) {
	checker, err := monitor.New(set)
	if err != nil {
		return roundStats{}, err
	}
	return checkResources(ctx, s, checker, set, policy, orgID, nil, log)
}

// checkResources is a round with checker over the registered resources
// of orgID (every organisation's when 0), only those in only when it is
// not nil.
func checkResources(ctx context.Context, s *storage.Store, checker *monitor.Checker, set monitor.Settings, policy finding.Policy, orgID int64,
	only map[int64]bool, log *slog.Logger) (roundStats, error) {
	var st roundStats
	start := time.Now()
	targets, err := s.MonitorTargets(ctx, orgID)
	if err != nil {
		return st, err
	}
	baselines, err := s.MonitorBaselines(ctx, orgID)
	if err != nil {
		return st, err
	}
	var jobs []monitor.Job
	for _, tg := range targets {
		if only != nil && !only[tg.Resource.ID] {
			continue
		}
		t, err := monitorTarget(tg.Resource)
		if err != nil {
			log.Warn("monitor: resource cannot be checked", "resource", tg.Resource.Value, "err", err)
			continue
		}
		if b, ok := baselines[tg.Resource.ID]; ok {
			print, err := monitor.ParseFingerprint(b.Baseline)
			if err != nil {
				// A damaged baseline must not stop the round; the next
				// accepted content replaces it.
				log.Warn("monitor: content baseline unreadable", "resource", tg.Resource.Value, "err", err)
			} else {
				t.Baseline = &monitor.Baseline{Print: print, Taken: b.BaselineAt}
			}
		}
		jobs = append(jobs, monitor.Job{Target: t, Ref: tg})
	}
	policy = monitor.Policy(policy)
	var mu sync.Mutex
	var firstErr error
	monitor.Round(ctx, checker, jobs, set.Concurrency, set.Delay, func(j monitor.Job, rep monitor.Report) {
		tg := j.Ref.(storage.MonitorTarget)
		mu.Lock()
		defer mu.Unlock()
		if err := saveReport(ctx, s, policy, tg, rep, &st); err != nil && firstErr == nil {
			firstErr = err
		}
	})
	st.Duration = time.Since(start)
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return st, firstErr
}

// saveReport stores one report and applies it to the owner's findings.
func saveReport(ctx context.Context, s *storage.Store, policy finding.Policy, tg storage.MonitorTarget, rep monitor.Report, st *roundStats) error {
	results, err := json.Marshal(rep.Results)
	if err != nil {
		return err
	}
	run := storage.MonitorRun{OrgID: tg.Resource.OrgID, ResourceID: tg.Resource.ID, Target: tg.Resource.Value, StartedAt: rep.Started,
		DurationMS: rep.Duration.Milliseconds(), Score: rep.Score, Grade: rep.Grade, Passed: rep.Count(monitor.Pass),
		Failed: rep.Count(monitor.Fail), Errors: rep.Count(monitor.Error), Results: results, Up: rep.Up, TTFBMS: rep.TTFB.Milliseconds()}
	if rep.Content != nil {
		run.Content = rep.Content.String()
	}
	if err := s.SaveMonitorRun(ctx, &run); err != nil {
		return err
	}
	st.Resources++
	st.Checks += len(rep.Results)
	st.Failed += run.Failed
	st.Errors += run.Errors
	obs := monitor.Observations(rep, tg.Resource.OrgID, tg.CII, tg.Resource.Value, rep.Started)
	o, r, re, err := s.ObserveFindings(ctx, policy, obs)
	if err != nil {
		return err
	}
	st.Opened, st.Refreshed, st.Reopened = st.Opened+o, st.Refreshed+r, st.Reopened+re
	n, err := s.CloseVerifiedFindings(ctx, monitor.Passed(rep, tg.Resource.OrgID, tg.Resource.Value), "verified by a passing monitoring re-check")
	st.Closed += n
	return err
}

// monitorLoop runs a round every interval until ctx ends; an interval of
// 0 turns monitoring off.
func monitorLoop(ctx context.Context, cfg config.Config, s *storage.Store, log *slog.Logger) {
	if cfg.Monitor.Interval <= 0 {
		return
	}
	t := time.NewTicker(cfg.Monitor.Interval)
	defer t.Stop()
	for {
		st, err := monitorRound(ctx, s, cfg.Monitor, cfg.Findings, 0, log)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("monitoring round", "err", err)
		case err == nil:
			log.Info("monitoring round", "resources", st.Resources, "checks", st.Checks, "failed", st.Failed, "opened", st.Opened,
				"closed", st.Closed, "took", st.Duration.Round(time.Second))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (a *app) monitorCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "monitor",
		Short: "Check the registry's resources: HTTPS, headers, mail, DNS, exposure",
		Long: "Monitoring checks every registered domain, URL and host from the outside, stores each\n" +
			"run and turns every failing check into a finding monitor/<check> of the owner. serve runs\n" +
			"a round every monitor.interval; qalxan check runs the checks on one target.",
		Args: exactArgs(0),
	}
	c.AddCommand(a.monitorRunCommand())
	c.AddCommand(a.monitorAcceptCommand())
	return c
}

func (a *app) monitorRunCommand() *cobra.Command {
	var org string
	var asJSON bool
	c := &cobra.Command{
		Use:     "run",
		Short:   "Run one monitoring round now",
		Example: "  qalxan monitor run\n  qalxan monitor run --org mincom --json",
		Args:    exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, cfg, err := a.openStore(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			var orgID int64
			if org != "" {
				o, err := s.GetOrgByShortName(cmd.Context(), auth.Everything, org)
				if err != nil {
					return usageError{fmt.Errorf("monitor run: --org: %s", oneLine(err))}
				}
				orgID = o.ID
			}
			st, err := monitorRound(cmd.Context(), s, cfg.Monitor, cfg.Findings, orgID, a.logger(cfg))
			if err != nil {
				return err
			}
			if asJSON {
				return json.NewEncoder(a.stdout).Encode(st)
			}
			_, err = fmt.Fprintf(a.stdout, "%d resources, %d checks, %d failed, %d errors; findings %d opened, %d refreshed, %d reopened, %d closed; %s\n",
				st.Resources, st.Checks, st.Failed, st.Errors, st.Opened, st.Refreshed, st.Reopened, st.Closed, st.Duration.Round(time.Millisecond))
			return err
		},
	}
	c.Flags().StringVar(&org, "org", "", "only this organisation (short name)")
	c.Flags().BoolVar(&asJSON, "json", false, "print the round's figures as JSON")
	return c
}
