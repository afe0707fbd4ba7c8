package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/idna"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/config"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/lookalike"
	"github.com/qalxan/qalxan/internal/lookalike/probe"
	"github.com/qalxan/qalxan/internal/storage"
)

// defaultChromium is where Debian puts the browser.
const defaultChromium = "/usr/bin/chromium"

// lookalikeConfirmer runs the active check of candidates (lookalike.confirm):
// new ones in the background, one at a time, and any on demand from the
// candidate's page. A page imitating the brand's opens the candidate's
// incident (when incidents open by themselves); the screenshot is kept as
// that incident's evidence.
type lookalikeConfirmer struct {
	s                 *storage.Store
	p                 *probe.Prober
	rules             incident.Rules
	incidentThreshold int
	wake              chan struct{}
	brandScheme       string     // of the brand's page: https (tests: http)
	mu                sync.Mutex // one check at a time: the machine is shared
}

// newLookalikeConfirmer is nil when confirmation is off.
func newLookalikeConfirmer(cfg config.Config, s *storage.Store, rules incident.Rules) *lookalikeConfirmer {
	l := cfg.Lookalike
	if !l.Confirm {
		return nil
	}
	resolver := l.Resolver
	if resolver == "" {
		resolver = cfg.Monitor.Resolver
	}
	chromium := l.Chromium
	switch chromium {
	case "none":
		chromium = ""
	case "":
		if _, err := os.Stat(defaultChromium); err == nil {
			chromium = defaultChromium
		}
	}
	return &lookalikeConfirmer{s: s, rules: rules, incidentThreshold: l.IncidentThreshold, wake: make(chan struct{}, 1), brandScheme: "https",
		p: &probe.Prober{Resolver: resolver, Timeout: l.ConfirmTimeout, Chromium: chromium}}
}

// lookalikeCheckFunc is the check the candidate page's button runs; nil
// when confirmation is off.
func lookalikeCheckFunc(cfg config.Config, s *storage.Store, rules incident.Rules) func(context.Context, int64) error {
	c := newLookalikeConfirmer(cfg, s, rules)
	if c == nil {
		return nil
	}
	return c.confirm
}

// poke asks the background loop to look for unchecked candidates now.
func (c *lookalikeConfirmer) poke([]string) {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// confirm checks one candidate and records what it found.
func (c *lookalikeConfirmer) confirm(ctx context.Context, id int64) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	cand, err := c.s.GetCandidate(ctx, auth.Everything, id)
	if err != nil {
		return err
	}
	brandURL := ""
	if b, err := c.s.GetBrand(ctx, auth.Everything, cand.BrandID); err == nil && len(b.Domains) > 0 {
		if d, err := idna.Lookup.ToASCII(b.Domains[0]); err == nil {
			brandURL = c.brandScheme + "://" + d + "/"
		}
	}
	res, err := c.p.Check(ctx, cand.Domain, brandURL, c.s.Now())
	if err != nil {
		return err
	}
	conf := res.Confirmation
	incID := cand.IncidentID
	if conf.Verdict == lookalike.Imitation && incID == 0 && c.incidentThreshold > 0 {
		in, _, err := c.s.OpenCandidateIncident(ctx, auth.System, c.rules, id)
		if err != nil {
			return fmt.Errorf("incident of candidate %d: %w", id, err)
		}
		incID = in.ID
	}
	if res.Screenshot != nil {
		if incID == 0 {
			conf.ScreenshotError = "taken but not kept: the candidate has no incident (open one and check again)"
		} else if evID, err := c.keepScreenshot(ctx, incID, cand.Domain, conf.URL, res.Screenshot); err != nil {
			conf.ScreenshotError = "not kept: " + err.Error()
		} else {
			conf.Screenshot = evID
		}
	}
	return c.s.SetCandidateConfirmation(ctx, id, conf)
}

// keepScreenshot attaches the PNG to the incident as evidence; the same
// picture again is the evidence already there.
func (c *lookalikeConfirmer) keepScreenshot(ctx context.Context, incID int64, domain, pageURL string, png []byte) (int64, error) {
	name := "screenshot-" + strings.ReplaceAll(domain, "*", "_") + "-" + c.s.Now().UTC().Format("20060102-150405") + ".png"
	ev, err := incident.CheckEvidence(name, int64(len(png)), http.DetectContentType(png))
	if err != nil {
		return 0, err
	}
	ev.Note = "look-alike check: " + pageURL
	got, err := c.s.AddEvidence(ctx, auth.System, incID, ev, png)
	if errs.CodeOf(err) == errs.Conflict {
		evs, err2 := c.s.IncidentEvidence(ctx, auth.Everything, incID)
		if err2 != nil {
			return 0, err2
		}
		for _, e := range evs {
			if e.SHA256 == got.SHA256 {
				return e.ID, nil
			}
		}
	}
	if err != nil {
		return 0, err
	}
	return got.ID, nil
}

// confirmEvery is how often the loop looks for unchecked candidates
// without being poked.
const confirmEvery = time.Minute

// loop checks unchecked candidates until ctx ends.
func (c *lookalikeConfirmer) loop(ctx context.Context, log *slog.Logger) {
	t := time.NewTicker(confirmEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-c.wake:
		}
		ids, err := c.s.CandidatesToConfirm(ctx, 20)
		if err != nil && ctx.Err() == nil {
			log.Warn("look-alike check", "err", err)
		}
		for _, id := range ids {
			err := c.confirm(ctx, id)
			switch {
			case ctx.Err() != nil:
				return
			case err != nil && !errors.Is(err, context.Canceled):
				log.Warn("look-alike check", "candidate", id, "err", err)
			}
		}
	}
}
