package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/lookalike"
	"github.com/qalxan/qalxan/internal/storage"
)

// lookalikeWatcher matches the host names of newly stored events against
// the registered brands; matches scoring at least the threshold become
// look-alike candidates for triage (one per registered domain). It starts
// at the newest event when made: history is for `lookalike scan`.
type lookalikeWatcher struct {
	s         *storage.Store
	after     int64 // the last event already looked at
	threshold int

	matcher *lookalike.Matcher
	key     string // the brands the matcher was built from
}

// lookalikeWatchEvery is how often serve looks at new events.
const lookalikeWatchEvery = time.Minute

func newLookalikeWatcher(ctx context.Context, s *storage.Store) *lookalikeWatcher {
	id, _ := s.MaxEventID(ctx)
	return &lookalikeWatcher{s: s, after: id, threshold: lookalike.DefaultThreshold}
}

// brandsMatcher returns a matcher of the current brands, rebuilt only when
// they changed (a hundred brands take a third of a second); nil when there
// are none.
func (w *lookalikeWatcher) brandsMatcher(ctx context.Context) (*lookalike.Matcher, error) {
	bs, err := w.s.ListBrands(ctx, auth.Everything)
	if err != nil || len(bs) == 0 {
		return nil, err
	}
	var key strings.Builder
	brands := make([]lookalike.Brand, len(bs))
	for i, b := range bs {
		fmt.Fprintf(&key, "%d@%d,", b.ID, b.UpdatedAt.UnixNano())
		brands[i] = b.Brand
	}
	if w.matcher != nil && key.String() == w.key {
		return w.matcher, nil
	}
	m, err := lookalike.NewMatcher(brands)
	if err != nil {
		return nil, err
	}
	w.matcher, w.key = m, key.String()
	return m, nil
}

// run matches the events stored since the last run and records the
// look-alikes; it returns how many host names it matched and how many
// registered domains were new candidates.
func (w *lookalikeWatcher) run(ctx context.Context) (matched, created int, err error) {
	m, err := w.brandsMatcher(ctx)
	if err != nil || m == nil {
		if id, err2 := w.s.MaxEventID(ctx); err2 == nil && err == nil {
			w.after = id // nothing to protect: do not keep a backlog
		}
		return 0, 0, err
	}
	seen := map[string]bool{}
	for {
		hosts, last, err := w.s.EventHostsAfter(ctx, w.after, 5000)
		if err != nil {
			return matched, created, err
		}
		var ms []lookalike.Match
		for _, h := range hosts {
			h = lookalike.HostOf(h)
			if h == "" || seen[h] {
				continue
			}
			seen[h] = true
			if r, ok := m.Match(lookalike.Observation{Domain: h}); ok && r.Score >= w.threshold {
				ms = append(ms, r)
			}
		}
		n, err := w.s.RecordCandidates(ctx, ms)
		if err != nil {
			return matched, created, err
		}
		prev := w.after
		matched, created, w.after = matched+len(ms), created+n, last
		if last == prev { // no events after the watermark
			return matched, created, nil
		}
	}
}

// report runs the watcher once after an ingest and says what it found.
func (w *lookalikeWatcher) report(ctx context.Context, out io.Writer) {
	matched, created, err := w.run(ctx)
	switch {
	case err != nil:
		fmt.Fprintf(out, "look-alike domains: %v\n", err)
	case matched > 0:
		fmt.Fprintf(out, "%d look-alike domains of protected brands, %d new\n", matched, created)
	}
}

// lookalikeLoop watches new events in serve until ctx ends.
func lookalikeLoop(ctx context.Context, s *storage.Store, log *slog.Logger) {
	w := newLookalikeWatcher(ctx, s)
	t := time.NewTicker(lookalikeWatchEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		matched, created, err := w.run(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("look-alike watch", "err", err)
		case created > 0:
			log.Info("look-alike domains found", "matched", matched, "new", created)
		}
	}
}
