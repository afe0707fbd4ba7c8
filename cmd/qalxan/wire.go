package main

import (
	"context"
	"github.com/prometheus/client_golang/prometheus"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/qalxan/qalxan/internal/api"
	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/config"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/server"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/ui"
)

// ownership keeps the constituency matcher current: it is built at start
// and rebuilt after every change to the registry. Rebuilds run one at a
// time; a change during a rebuild triggers one more, so the last change is
// never missed and a burst of edits costs at most two builds.
type ownership struct {
	store    *storage.Store
	log      *slog.Logger
	registry *constituency.Registry
	mu       sync.Mutex
	running  bool
	again    bool
}

func newOwnership(ctx context.Context, s *storage.Store, log *slog.Logger) (*ownership, error) {
	o := &ownership{store: s, log: log, registry: &constituency.Registry{}}
	return o, o.build(ctx)
}

func (o *ownership) build(ctx context.Context) error {
	start := time.Now()
	orgs, err := o.store.MatcherOrgs(ctx)
	if err != nil {
		return err
	}
	m := constituency.NewMatcher(orgs)
	o.registry.Set(m)
	o.log.Debug("ownership matcher built", "resources", m.Len(), "ms", time.Since(start).Milliseconds())
	return nil
}

// changed schedules a rebuild.
func (o *ownership) changed() {
	o.mu.Lock()
	if o.running {
		o.again = true
		o.mu.Unlock()
		return
	}
	o.running = true
	o.mu.Unlock()
	go func() {
		for {
			if err := o.build(context.Background()); err != nil {
				o.log.Error("rebuild ownership matcher", "err", err)
			}
			o.mu.Lock()
			if !o.again {
				o.running = false
				o.mu.Unlock()
				return
			}
			o.again = false
			o.mu.Unlock()
		}
	}()
}

// handler wires the HTTP server: API, UI and the shared middleware.
func handler(c config.Config, s *storage.Store, own *ownership, log *slog.Logger, reg *prometheus.Registry) (http.Handler, error) {
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return nil, err
	}
	key, err := linkKey(context.Background(), c, s)
	if err != nil {
		return nil, err
	}
	rules, err := c.IncidentRules()
	if err != nil {
		return nil, err
	}
	// One limiter each for public reports and status look-ups, shared by
	// the JSON API and the HTML form: a client has one budget for both.
	reportLimiter, statusLimiter := server.NewLimiter(5, time.Minute), server.NewStatusLimiter()
	apiH := api.New(api.Deps{Store: s, Log: log, Registry: own.registry, RegistryChanged: own.changed, Incidents: rules,
		ReportLimiter: reportLimiter, StatusLimiter: statusLimiter})
	uiH := ui.New(ui.Deps{
		Store: s, Log: log, Registry: own.registry, RegistryChanged: own.changed,
		Throttle: auth.NewThrottle(), SessionTTL: c.SessionTTL, SecureCookies: c.CookiesSecure(), Location: loc,
		LinkKey: key, Incidents: rules,
		ReportLimiter: reportLimiter, StatusLimiter: statusLimiter,
		ConfirmCandidate: lookalikeCheckFunc(c, s, rules),
	})
	return server.New(server.Deps{Store: s, Log: log, API: apiH, UI: uiH, Metrics: reg}), nil
}

// noticeLinkTTL is how long the link in a notice opens the organisation's
// findings.
const noticeLinkTTL = 30 * 24 * time.Hour

// linkKey is the key that signs notice links: link_secret from the
// configuration, or a random one made once and kept in the database, so
// every node and every restart agrees on it.
func linkKey(ctx context.Context, c config.Config, s *storage.Store) ([]byte, error) {
	if c.LinkSecret != "" {
		return []byte(c.LinkSecret), nil
	}
	return s.GetOrCreateSecret(ctx, "link_secret")
}

// purgeSessions deletes expired sessions hourly until ctx ends.
func purgeSessions(ctx context.Context, s *storage.Store, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := s.PurgeSessions(ctx); err != nil {
				log.Warn("purge sessions", "err", err)
			} else if n > 0 {
				log.Debug("purged expired sessions", "count", n)
			}
		}
	}
}
