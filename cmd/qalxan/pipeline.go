package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/qalxan/qalxan/internal/config"

	"github.com/qalxan/qalxan/internal/enrich"
	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/pipeline"
	"github.com/qalxan/qalxan/internal/storage"
)

// pipelineConfig is the ingest pipeline over the store's organisations as
// they are now: owners, which of them are critical infrastructure, and
// findings with policy. ingest, reprocess, the collectors and the demo
// all build theirs here; en and metrics may be nil.
func pipelineConfig(ctx context.Context, s *storage.Store, en *enrich.Enricher, policy finding.Policy, metrics *pipeline.Metrics) (pipeline.Config, error) {
	orgs, err := s.MatcherOrgs(ctx)
	if err != nil {
		return pipeline.Config{}, err
	}
	m, ids := pipeline.Owners(orgs)
	pc := pipeline.Config{Store: s, Enricher: en, Matcher: m, OrgIDs: ids, Metrics: metrics}
	withFindings(&pc, s, policy, orgs)
	return pc, nil
}

// openEnricher opens the AS and country data files: the --enrich flag's
// when given, else the configuration's enrich_files.
func (a *app) openEnricher(cmd *cobra.Command, cfg config.Config, flagFiles []string) (*enrich.Enricher, error) {
	files := cfg.EnrichFiles
	if cmd.Flags().Changed("enrich") {
		files = flagFiles
	}
	return enrich.New(&enrich.Config{Files: files, Logger: a.logger(cfg)})
}
