package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"github.com/qalxan/qalxan/internal/collect"
	"github.com/qalxan/qalxan/internal/config"
	"github.com/qalxan/qalxan/internal/enrich"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/feed"
	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/pipeline"
	"github.com/qalxan/qalxan/internal/storage"
)

// collection runs the configured collectors: each report they bring goes
// through the pipeline into the store, and what it gave is added up per
// collector.
type collection struct {
	store    *storage.Store
	enricher *enrich.Enricher
	log      *slog.Logger
	metrics  *pipeline.Metrics // nil: not counted (collect --once)
	policy   finding.Policy    // of the findings the reports' events open

	mu    sync.Mutex
	stats map[string]*collectorStats
}

// collectorStats is what one collector brought in.
type collectorStats struct {
	Reports     int // handed to the pipeline
	Quarantined int
	pipeline.Stats
}

// newCollection opens what the collectors' reports need (the enrichment
// files); Close releases it.
func newCollection(cfg config.Config, s *storage.Store, log *slog.Logger) (*collection, error) {
	en, err := enrich.New(&enrich.Config{Files: cfg.EnrichFiles, Logger: log})
	if err != nil {
		return nil, err
	}
	return &collection{store: s, enricher: en, log: log, policy: cfg.Findings, stats: map[string]*collectorStats{}}, nil
}

func (c *collection) Close() error { return c.enricher.Close() }

// jobs builds the configured collectors, or only the one named only.
func (c *collection) jobs(cfg config.Config, only string) ([]collect.Job, error) {
	var out []collect.Job
	for _, cc := range cfg.Collectors {
		if only != "" && cc.Name != only {
			continue
		}
		col, err := c.collector(cc)
		if err != nil {
			return nil, err
		}
		if cc.Feed != "" {
			if _, err := feed.Lookup(cc.Feed); err != nil {
				return nil, fmt.Errorf("config: collector %q: feed: %w", cc.Name, err)
			}
		}
		out = append(out, collect.Job{Collector: col, Every: cc.Every(), Handler: collect.Unpack(collect.UnpackLimits{}, c.handler(cc))})
	}
	if only != "" && len(out) == 0 {
		return nil, usageError{fmt.Errorf("no collector %q in the configuration", only)}
	}
	return out, nil
}

// collector makes the collector a configuration entry describes.
func (c *collection) collector(cc config.Collector) (collect.Collector, error) {
	switch cc.Kind {
	case config.KindFile:
		return &globFiles{name: cc.Name, pattern: cc.Path}, nil
	case config.KindDropFolder:
		return &collect.DropFolder{Source: cc.Name, Dir: cc.Path}, nil
	case config.KindHTTP:
		h := http.Header{}
		for k, v := range cc.Headers {
			h.Set(k, v)
		}
		return &collect.HTTP{Source: cc.Name, URL: cc.URL, Username: cc.Username, Password: cc.Password, Header: h}, nil
	case config.KindIMAP:
		return &collect.IMAP{Source: cc.Name, Addr: cc.Addr, Security: cc.TLS, Username: cc.Username, Password: cc.Password, Mailbox: cc.Mailbox}, nil
	case config.KindShadowserver:
		return &collect.Shadowserver{
			Source: cc.Name, APIKey: cc.APIKey, Secret: cc.Secret, APIURL: cc.URL, DownloadURL: cc.DownloadURL,
			Reports: cc.Reports, Types: cc.Types, Days: cc.Days,
			Known: func(ctx context.Context, since time.Time) ([]string, error) {
				return c.store.ReportFileNames(ctx, cc.Name, since)
			},
		}, nil
	}
	return nil, fmt.Errorf("config: collector %q: kind %q is not known", cc.Name, cc.Kind)
}

// handler ingests one collected report. Once the report is in the
// archive it is acknowledged at its source even when it could not be
// parsed: it is quarantined for a person to look at (qalxan reports
// --quarantined) and re-process, not collected again and again.
func (c *collection) handler(cc config.Collector) collect.Handler {
	return func(ctx context.Context, r collect.Report) error {
		pcfg, err := pipelineConfig(ctx, c.store, c.enricher, c.policy, c.metrics)
		if err != nil {
			return err
		}
		p := pipeline.New(pcfg)
		rep := feed.Report{FileName: r.Name, Type: cc.Report, Observed: r.ReceivedAt, FeedURL: r.Meta[collect.MetaURL]}
		st, err := p.Ingest(ctx, pipeline.Input{Source: r.Source, Feed: cc.Feed, Report: rep, Content: r.Content, Meta: r.Meta})
		if st.ReportID == 0 {
			if err == nil {
				err = errors.New("not archived")
			}
			return err // not in the archive: leave it at the source
		}
		quarantined := false
		if err != nil && ctx.Err() == nil {
			if rec, gerr := c.store.GetReport(ctx, st.ReportID); gerr == nil && rec.Status == storage.ReportQuarantined {
				quarantined = true
			}
		}
		c.add(cc.Name, st, quarantined)
		log := c.log.With("collector", cc.Name, "file", r.Name, "report", st.ReportID)
		switch {
		case err != nil && ctx.Err() != nil:
			return err
		case quarantined:
			log.Warn("collect: report quarantined", "err", err)
		case err != nil:
			log.Error("collect: report archived but not fully processed; run qalxan reprocess --report N", "err", err)
		default:
			log.Info("collect: report ingested", "feed", st.Feed, "events", st.Events, "duplicates", st.Duplicates,
				"bad_rows", st.Bad, "duplicate_report", st.DuplicateReport)
		}
		return nil
	}
}

func (c *collection) add(name string, st pipeline.Stats, quarantined bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.stats[name]
	if s == nil {
		s = &collectorStats{}
		c.stats[name] = s
	}
	s.Reports++
	if quarantined {
		s.Quarantined++
	}
	s.Add(st)
}

// statsOf returns what the named collector brought in so far.
func (c *collection) statsOf(name string) collectorStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s := c.stats[name]; s != nil {
		return *s
	}
	return collectorStats{}
}

// startCollectors runs the configured collectors on their schedules until
// ctx ends (for serve). It returns at once; with no collectors it does
// nothing.
func (a *app) startCollectors(ctx context.Context, cfg config.Config, s *storage.Store, log *slog.Logger, metrics *pipeline.Metrics) error {
	if len(cfg.Collectors) == 0 {
		return nil
	}
	if err := registerFeeds(cfg); err != nil {
		return err
	}
	col, err := newCollection(cfg, s, log)
	if err != nil {
		return err
	}
	col.metrics = metrics
	jobs, err := col.jobs(cfg, "")
	if err != nil {
		col.Close()
		return err
	}
	go func() {
		defer col.Close()
		(&collect.Scheduler{Jobs: jobs, Logger: log}).Run(ctx)
	}()
	log.Info("collectors running", "count", len(jobs))
	return nil
}

// globFiles reads the files matching a pattern each round; the archive
// recognises the ones it already holds.
type globFiles struct {
	name, pattern string
}

func (g *globFiles) Name() string { return g.name }

func (g *globFiles) Collect(ctx context.Context, h collect.Handler) error {
	paths, err := filepath.Glob(g.pattern)
	if err != nil {
		return errs.E(errs.Invalid, "collect: %s: path %q: %v", g.name, g.pattern, err)
	}
	if len(paths) == 0 {
		return fmt.Errorf("collect: %s: no file matches %s", g.name, g.pattern)
	}
	return (&collect.Files{Source: g.name, Paths: paths}).Collect(ctx, h)
}
