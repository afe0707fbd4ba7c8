package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/config"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/lookalike"
	"github.com/qalxan/qalxan/internal/storage"
)

// lookalikeRecorder matches observed domains against the registered brands
// and keeps the look-alikes: matches scoring at least the threshold become
// candidates (one per registered domain), candidates scoring at least the
// incident threshold open their phishing incident. The event watcher and
// the observed-domain sources share one, from several goroutines.
type lookalikeRecorder struct {
	s     *storage.Store
	cfg   config.Lookalike
	rules incident.Rules
	// onNew hears of the registered domains that became candidates (for
	// the active confirmation); may be nil.
	onNew func(registered []string)

	mu      sync.Mutex
	matcher *lookalike.Matcher
	key     string // the brands the matcher was built from
}

func newLookalikeRecorder(s *storage.Store, cfg config.Lookalike, rules incident.Rules) *lookalikeRecorder {
	if cfg.Threshold == 0 {
		cfg.Threshold = lookalike.DefaultThreshold
	}
	return &lookalikeRecorder{s: s, cfg: cfg, rules: rules}
}

// brandsMatcher returns a matcher of the current brands, rebuilt only when
// they changed (a hundred brands take a third of a second); nil when there
// are none.
func (r *lookalikeRecorder) brandsMatcher(ctx context.Context) (*lookalike.Matcher, error) {
	bs, err := r.s.ListBrands(ctx, auth.Everything)
	if err != nil || len(bs) == 0 {
		return nil, err
	}
	var key strings.Builder
	brands := make([]lookalike.Brand, len(bs))
	for i, b := range bs {
		fmt.Fprintf(&key, "%d@%d,", b.ID, b.UpdatedAt.UnixNano())
		brands[i] = b.Brand
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.matcher != nil && key.String() == r.key {
		return r.matcher, nil
	}
	m, err := lookalike.NewMatcher(brands)
	if err != nil {
		return nil, err
	}
	r.matcher, r.key = m, key.String()
	return m, nil
}

// lookalikeTally is what recording a batch found.
type lookalikeTally struct {
	matched int // observations at or above the threshold
	created int // registered domains that became candidates
	opened  int // incidents opened
}

// record matches the observations and keeps the look-alikes.
func (r *lookalikeRecorder) record(ctx context.Context, m *lookalike.Matcher, obs []lookalike.Observation) (lookalikeTally, error) {
	var t lookalikeTally
	var ms []lookalike.Match
	var severe []string
	for _, o := range obs {
		if res, ok := m.Match(o); ok && res.Score >= r.cfg.Threshold {
			ms = append(ms, res)
			if r.cfg.IncidentThreshold > 0 && res.Score >= r.cfg.IncidentThreshold {
				severe = append(severe, res.Registered)
			}
		}
	}
	t.matched = len(ms)
	if len(ms) == 0 {
		return t, nil
	}
	var err error
	if t.created, err = r.s.RecordCandidates(ctx, ms); err != nil {
		return t, err
	}
	if len(severe) > 0 {
		if t.opened, err = r.s.OpenCandidateIncidents(ctx, r.rules, severe, r.cfg.IncidentThreshold); err != nil {
			return t, err
		}
	}
	if t.created > 0 && r.onNew != nil {
		regs := make([]string, len(ms))
		for i, x := range ms {
			regs[i] = x.Registered
		}
		r.onNew(regs)
	}
	return t, nil
}

// lookalikeWatcher matches the host names of newly stored events against
// the registered brands. It starts at the newest event when made: history
// is for `lookalike scan`.
type lookalikeWatcher struct {
	rec   *lookalikeRecorder
	after int64 // the last event already looked at
}

// lookalikeWatchEvery is how often serve looks at new events.
const lookalikeWatchEvery = time.Minute

func newLookalikeWatcher(ctx context.Context, rec *lookalikeRecorder) *lookalikeWatcher {
	id, _ := rec.s.MaxEventID(ctx)
	return &lookalikeWatcher{rec: rec, after: id}
}

// run matches the events stored since the last run and records the
// look-alikes.
func (w *lookalikeWatcher) run(ctx context.Context) (lookalikeTally, error) {
	var total lookalikeTally
	s := w.rec.s
	m, err := w.rec.brandsMatcher(ctx)
	if err != nil || m == nil {
		if id, err2 := s.MaxEventID(ctx); err2 == nil && err == nil {
			w.after = id // nothing to protect: do not keep a backlog
		}
		return total, err
	}
	seen := map[string]bool{}
	for {
		hosts, last, err := s.EventHostsAfter(ctx, w.after, 5000)
		if err != nil {
			return total, err
		}
		var obs []lookalike.Observation
		for _, h := range hosts {
			h = lookalike.HostOf(h)
			if h == "" || seen[h] {
				continue
			}
			seen[h] = true
			obs = append(obs, lookalike.Observation{Domain: h})
		}
		t, err := w.rec.record(ctx, m, obs)
		total.matched, total.created, total.opened = total.matched+t.matched, total.created+t.created, total.opened+t.opened
		if err != nil {
			return total, err
		}
		prev := w.after
		w.after = last
		if last == prev { // no events after the watermark
			return total, nil
		}
	}
}

// report runs the watcher once after an ingest and says what it found.
func (w *lookalikeWatcher) report(ctx context.Context, out io.Writer) {
	t, err := w.run(ctx)
	switch {
	case err != nil:
		fmt.Fprintf(out, "look-alike domains: %v\n", err)
	case t.matched > 0:
		fmt.Fprintf(out, "%d look-alike domains of protected brands, %d new\n", t.matched, t.created)
	}
	if t.opened > 0 {
		fmt.Fprintf(out, "%d phishing incidents opened for look-alike domains\n", t.opened)
	}
}

// lookalikeLoop watches new events in serve until ctx ends.
func lookalikeLoop(ctx context.Context, rec *lookalikeRecorder, log *slog.Logger) {
	w := newLookalikeWatcher(ctx, rec)
	t := time.NewTicker(lookalikeWatchEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		tally, err := w.run(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("look-alike watch", "err", err)
		case tally.created > 0 || tally.opened > 0:
			log.Info("look-alike domains found", "matched", tally.matched, "new", tally.created, "incidents", tally.opened)
		}
	}
}
