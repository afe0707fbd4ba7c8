package main

import (
	"context"
	"log/slog"

	"github.com/qalxan/qalxan/internal/collect/observed"
	"github.com/qalxan/qalxan/internal/config"
	"github.com/qalxan/qalxan/internal/lookalike"
	"github.com/qalxan/qalxan/internal/storage"
)

// sourceStates keeps the observed-domain sources' states in the database,
// so that a restart neither reads a followed file again from its start
// nor downloads an unchanged list.
type sourceStates struct{ s *storage.Store }

var _ observed.StateStore = sourceStates{}

func (ss sourceStates) LoadState(ctx context.Context, name string) (observed.State, error) {
	st, err := ss.s.LookalikeSourceState(ctx, name)
	return observed.State{FileID: st.FileID, Offset: st.Offset, ETag: st.ETag, LastModified: st.LastModified}, err
}

func (ss sourceStates) SaveState(ctx context.Context, name string, st observed.State, domains, matched int) error {
	return ss.s.SaveLookalikeSourceState(ctx, storage.SourceState{Name: name, FileID: st.FileID, Offset: st.Offset,
		ETag: st.ETag, LastModified: st.LastModified}, domains, matched)
}

// observedSources are the configured streams as the adapter takes them.
func observedSources(cfg []config.LookalikeSource) []observed.Source {
	out := make([]observed.Source, len(cfg))
	for i, c := range cfg {
		f, _ := observed.ParseFormat(c.Format) // validated with the configuration
		out[i] = observed.Source{Name: c.Name, Path: c.File, URL: c.URL, Format: f, Every: c.Every()}
	}
	return out
}

// sourceSink matches a batch of observed domains against the brands and
// keeps the look-alikes; with no brands it only counts.
func (r *lookalikeRecorder) sourceSink(ctx context.Context, obs []lookalike.Observation) (int, error) {
	m, err := r.brandsMatcher(ctx)
	if err != nil || m == nil {
		return 0, err
	}
	t, err := r.record(ctx, m, obs)
	return t.matched, err
}

// lookalikeSourcesLoop follows the configured sources until ctx ends.
func lookalikeSourcesLoop(ctx context.Context, rec *lookalikeRecorder, sources []config.LookalikeSource, log *slog.Logger) {
	if len(sources) == 0 {
		return
	}
	observed.Run(ctx, observedSources(sources), sourceStates{rec.s}, rec.sourceSink, func(name string, r observed.Result, err error) {
		switch {
		case err != nil:
			log.Warn("look-alike source", "source", name, "err", err)
		case r.Domains > 0:
			log.Info("look-alike source read", "source", name, "domains", r.Domains, "matched", r.Matched, "skipped", r.Skipped)
		}
	})
}

// startLookalike starts serve's look-alike work: the watch of new events,
// the configured sources, and the confirmation of new candidates when
// enabled. It returns at once; the work ends with ctx.
func startLookalike(ctx context.Context, cfg config.Config, s *storage.Store, log *slog.Logger) error {
	rules, err := cfg.IncidentRules()
	if err != nil {
		return err
	}
	rec := newLookalikeRecorder(s, cfg.Lookalike, rules)
	if c := newLookalikeConfirmer(cfg, s, rules); c != nil {
		rec.onNew = c.poke
		go c.loop(ctx, log)
	}
	go lookalikeLoop(ctx, rec, log)
	go lookalikeSourcesLoop(ctx, rec, cfg.Lookalike.Sources, log)
	return nil
}
