package config

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"time"
)

// Lookalike is the watch for look-alike domains of the protected brands
// in serve (and after ingest): which scores become candidates and which
// open incidents, the streams of observed domains to follow, and the
// optional active confirmation of a candidate.
type Lookalike struct {
	// Threshold is the score from which a match becomes a candidate.
	Threshold int `yaml:"threshold"`
	// IncidentThreshold is the score from which a candidate opens a
	// phishing incident by itself; 0 opens none (staff open them from
	// /brands).
	IncidentThreshold int `yaml:"incident_threshold"`
	// Sources are streams of newly seen domains: certificate
	// transparency, newly registered domains, passive DNS.
	Sources []LookalikeSource `yaml:"sources,omitempty"`
	// Confirm enables the active confirmation of new candidates: DNS A,
	// MX and NS, a fetch of the page, its similarity to the brand's real
	// page, a screenshot. It contacts the suspect's servers: off by
	// default.
	Confirm bool `yaml:"confirm"`
	// Resolver is the DNS server (HOST:PORT) confirmation asks; default
	// monitor.resolver, then /etc/resolv.conf's first.
	Resolver string `yaml:"resolver,omitempty"`
	// ConfirmTimeout bounds each step of a confirmation (a lookup, the
	// fetch, the screenshot).
	ConfirmTimeout time.Duration `yaml:"confirm_timeout"`
	// Chromium is the browser that takes screenshots; default
	// /usr/bin/chromium when it exists; "none" takes none.
	Chromium string `yaml:"chromium,omitempty"`
}

// LookalikeSource is one stream of observed domains: a file followed as
// it grows, or a URL fetched every interval with a conditional GET.
type LookalikeSource struct {
	Name     string        `yaml:"name"`
	File     string        `yaml:"file,omitempty"`
	URL      string        `yaml:"url,omitempty"`
	Format   string        `yaml:"format,omitempty"`   // lines (default) or certstream
	Interval time.Duration `yaml:"interval,omitempty"` // default 1m for a file, 1h for a URL
}

// DefaultLookalike are the defaults: candidates from 65 (phishing_catcher's
// "potential"), incidents from 100 (a look-alike name plus a credential
// word or a cheap suffix), no confirmation.
func DefaultLookalike() Lookalike {
	return Lookalike{Threshold: 65, IncidentThreshold: 100, ConfirmTimeout: 15 * time.Second}
}

// Every is how often the source is read.
func (s LookalikeSource) Every() time.Duration {
	switch {
	case s.Interval > 0:
		return s.Interval
	case s.URL != "":
		return time.Hour
	}
	return time.Minute
}

// Validate checks the look-alike settings; errors name the key.
func (l Lookalike) Validate() error {
	if l.Threshold < 1 || l.Threshold > 1000 {
		return fmt.Errorf("config: lookalike.threshold %d: want 1 to 1000", l.Threshold)
	}
	if l.IncidentThreshold != 0 && l.IncidentThreshold < l.Threshold {
		return fmt.Errorf("config: lookalike.incident_threshold %d: want 0 (none) or at least lookalike.threshold (%d)", l.IncidentThreshold, l.Threshold)
	}
	if l.Resolver != "" {
		if _, _, err := net.SplitHostPort(l.Resolver); err != nil {
			return fmt.Errorf("config: lookalike.resolver %q: want HOST:PORT", l.Resolver)
		}
	}
	if l.ConfirmTimeout < time.Second || l.ConfirmTimeout > 5*time.Minute {
		return fmt.Errorf("config: lookalike.confirm_timeout %s: want 1s to 5m", l.ConfirmTimeout)
	}
	if l.Chromium != "" && l.Chromium != "none" {
		if fi, err := os.Stat(l.Chromium); err != nil || fi.IsDir() {
			return fmt.Errorf("config: lookalike.chromium %q: not a program (give its path, or none)", l.Chromium)
		}
	}
	names := map[string]bool{}
	for i, s := range l.Sources {
		fail := func(format string, a ...any) error {
			return fmt.Errorf("config: lookalike.sources[%d] %q: %s", i, s.Name, fmt.Sprintf(format, a...))
		}
		if !collectorName.MatchString(s.Name) {
			return fail("name: want lower-case letters, digits, '-', '_' or '.'")
		}
		if names[s.Name] {
			return fail("name used twice")
		}
		names[s.Name] = true
		if (s.File == "") == (s.URL == "") {
			return fail("give either file or url")
		}
		if s.URL != "" {
			u, err := url.Parse(s.URL)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return fail("url: not an http(s) URL")
			}
		}
		switch s.Format {
		case "", "lines", "certstream":
		default:
			return fail("format %q: want lines or certstream", s.Format)
		}
		if s.Interval < 0 || (s.Interval > 0 && s.Interval < time.Second) {
			return fail("interval %s: want at least 1s", s.Interval)
		}
	}
	return nil
}

// redacted hides credentials in the sources' URLs.
func (l Lookalike) redacted() Lookalike {
	if len(l.Sources) == 0 {
		return l
	}
	src := make([]LookalikeSource, len(l.Sources))
	for i, s := range l.Sources {
		s.URL = redactURL(s.URL)
		src[i] = s
	}
	l.Sources = src
	return l
}
