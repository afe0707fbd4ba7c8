package monitor

import (
	"context"
	"crypto/x509"
	"sync"
	"time"
)

// Checker runs the catalogue's checks against one target at a time. Its
// zero value works: the system's resolver and roots, ten-second steps, the
// catalogue's ports, SMTP on 25.
type Checker struct {
	Resolver string         // DNS server HOST:PORT; /etc/resolv.conf's first when empty
	Timeout  time.Duration  // per network step; 10 s when 0
	Roots    *x509.CertPool // CAs trusted besides the system's
	Ports    []Port         // risky services; the catalogue's when nil
	SMTPPort int            // 25 when 0
	Keywords []string       // signs of defacement; the catalogue's when nil
	// ChangeThreshold is the share of the landing page's text that may
	// change from the baseline before content-changed fails;
	// DefaultChangeThreshold when 0.
	ChangeThreshold float64
	Now             func() time.Time

	once    sync.Once
	trusted *x509.CertPool
	watch   connWatch // tests: sees every connection opened and closed
	mxLocks addrLocks // one SMTP session at a time per mail server address
	// byName groups a round's jobs by host name only, not by resolved
	// address: the benchmark's "politeness off", where thousands of
	// names share one loopback address.
	byName bool
}

// New makes a checker from the configuration.
func New(s Settings) (*Checker, error) {
	roots, err := LoadRoots(s.ExtraRoots)
	if err != nil {
		return nil, err
	}
	return &Checker{Resolver: s.Resolver, Timeout: s.Timeout, Roots: roots, Ports: s.Ports, SMTPPort: s.SMTPPort, Keywords: s.Keywords,
		ChangeThreshold: s.ContentChangeThreshold}, nil
}

func (c *Checker) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return 10 * time.Second
}

func (c *Checker) now() time.Time {
	if c.Now != nil {
		return c.Now().UTC()
	}
	return time.Now().UTC()
}

// systemRoots is the system's pool, read once.
func (c *Checker) systemRoots() *x509.CertPool {
	c.once.Do(func() {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		c.trusted = pool
	})
	return c.trusted
}

// Run checks t and reports every applicable check once, in catalogue
// order of families: HTTPS, headers, exposure, mail, DNS, ports. The
// checks of one target run one after another, so a host never sees more
// than one connection of ours at a time.
func (c *Checker) Run(ctx context.Context, t Target) Report {
	rep := Report{Target: t.Input, Started: c.now(), Score: -1}
	start := time.Now()
	site := c.webChecks(ctx, t)
	rep.Results = append(rep.Results, site.results...)
	rep.Results = append(rep.Results, c.exposureChecks(ctx, t, site)...)
	if t.Domain != "" {
		rep.Results = append(rep.Results, c.mailChecks(ctx, t.Domain)...)
		rep.Results = append(rep.Results, c.dnsChecks(ctx, t.Domain)...)
	} else {
		rep.Results = append(rep.Results, skipAll("not a domain", mailAndDNSChecks...)...)
	}
	if !t.NoPorts {
		rep.Results = append(rep.Results, c.portChecks(ctx, t.Host)...)
	}
	if site.page != nil {
		rep.Score, rep.Grade = Score(rep.Results)
		rep.Up, rep.TTFB, rep.Content = true, site.ttfb, site.content
	}
	rep.Duration = time.Since(start)
	return rep
}

var mailAndDNSChecks = []string{"spf-present", "spf-all", "spf-lookups", "dmarc-present", "dmarc-policy", "mx-starttls", "mx-tls-cert",
	"caa", "dnssec-signed", "dnssec-valid"}
