package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/config"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/demo"
	"github.com/qalxan/qalxan/internal/monitor"
	"github.com/qalxan/qalxan/internal/storage"
)

// demoMonitor starts the demo's simulated agency sites, registers them
// as resources of their organisations and checks them twice (the second
// time with one site down and one page replaced), so the scorecards,
// their history and monitoring findings are alive on first run. Only the
// simulated sites are checked — never the fictional constituency's
// domains, which may exist for real — through the demo's own DNS server,
// trusting the demo CA, without a port sweep. The caller closes the sites.
func demoMonitor(ctx context.Context, cfg config.Config, s *storage.Store, log *slog.Logger) (*demo.Sites, error) {
	sites, err := demo.StartSites(ctx)
	if err != nil {
		return nil, err
	}
	only := map[int64]bool{}
	for _, site := range sites.Sites {
		o, err := s.GetOrgByShortName(ctx, auth.Everything, site.Org)
		if err != nil {
			sites.Close()
			return nil, err
		}
		r := constituency.Resource{Value: site.Resource, Criticality: "high", Notes: "demo: simulated site — " + site.What}
		if err := s.AddResource(ctx, auth.System, o.ID, &r); err != nil {
			sites.Close()
			return nil, err
		}
		only[r.ID] = true
	}
	set := cfg.Monitor
	set.Concurrency, set.Delay = 4, 0
	checker := &monitor.Checker{Resolver: sites.Resolver, Roots: sites.Roots, Ports: []monitor.Port{}, Timeout: 3 * time.Second}
	st, err := checkResources(ctx, s, checker, set, cfg.Findings, 0, only, log)
	if err != nil {
		sites.Close()
		return nil, err
	}
	log.Info("demo: checked the simulated agency sites", "resources", st.Resources, "failed_checks", st.Failed, "findings_opened", st.Opened, "took", st.Duration.Round(time.Millisecond))
	// A second round with one site down and one page replaced, so the
	// scorecards have history: uptime, a sparkline, a content change.
	sites.Disturb()
	st, err = checkResources(ctx, s, checker, set, cfg.Findings, 0, only, log)
	sites.Recover()
	if err != nil {
		sites.Close()
		return nil, err
	}
	log.Info("demo: checked them again, one down and one page replaced", "failed_checks", st.Failed, "findings_opened", st.Opened, "took", st.Duration.Round(time.Millisecond))
	return sites, nil
}
