// Package probe is the active confirmation of a look-alike domain: it asks
// the configured DNS resolver for the name's A, MX and NS records, fetches
// its web page through the addresses found (never the system's resolver,
// so what was checked is what the resolver said), compares the page with
// the brand's real one, and takes a screenshot with headless Chromium.
//
// It contacts only the matched domain (and the brand's own page), with
// timeouts and a size limit, and refuses private and loopback addresses
// unless told otherwise: a look-alike that resolves to 10.0.0.1 must not
// make the CERT's server probe its own network.
package probe

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/qalxan/qalxan/internal/lookalike"
)

// Defaults.
const (
	DefaultTimeout = 15 * time.Second
	DefaultMaxBody = 2 << 20 // a login page is tens of kilobytes; a kit that serves more is still judged by its start
	maxRedirects   = 5
	userAgent      = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Qalxan-check"
)

// Prober checks look-alike domains. The zero value asks /etc/resolv.conf's
// first server, takes no screenshots and refuses private addresses.
type Prober struct {
	Resolver string        // DNS server HOST:PORT
	Timeout  time.Duration // per step: a lookup, a fetch, the screenshot
	MaxBody  int64         // bytes read of a page
	Chromium string        // the browser's path; "" takes no screenshot
	// AllowPrivate lets fetches go to private, loopback and link-local
	// addresses (tests on loopback).
	AllowPrivate bool
	// Ports replace the default port of a scheme (tests: "http" → the
	// loopback server's); Schemes are tried in order, https then http
	// by default.
	Ports   map[string]string
	Schemes []string
}

// Result is a check's findings and the screenshot (PNG), if one was taken.
type Result struct {
	Confirmation lookalike.Confirmation
	Screenshot   []byte
}

// Check probes host (the matched name) and compares its page with the
// brand's page at brandURL ("" compares with nothing). Failures of each
// step are findings, written into the confirmation; Check itself fails
// only when ctx ends.
func (p *Prober) Check(ctx context.Context, host, brandURL string, now time.Time) (Result, error) {
	var res Result
	c := &res.Confirmation
	c.CheckedAt = now.UTC()
	a, mx, ns, err := p.lookup(ctx, host)
	c.A, c.MX, c.NS = a, mx, ns
	if err != nil {
		c.DNSError = err.Error()
	}
	if ctx.Err() != nil {
		return res, ctx.Err()
	}
	if len(a) == 0 {
		c.Judge()
		return res, nil
	}
	page, err := p.fetch(ctx, host, a)
	if err != nil {
		c.FetchError = err.Error()
	} else {
		c.URL, c.Status, c.Size, c.Title = page.url, page.status, len(page.body), page.features.Title
	}
	if ctx.Err() != nil {
		return res, ctx.Err()
	}
	if err == nil && brandURL != "" {
		c.BrandURL = brandURL
		brand, err := p.fetchURL(ctx, brandURL)
		if err != nil {
			c.BrandError = err.Error()
		} else {
			c.Similarity, c.TextSimilarity, c.StructureSimilarity = lookalike.Similarity(page.features, brand.features)
		}
	}
	if err == nil && p.Chromium != "" {
		shot, err := p.screenshot(ctx, page.url, host, page.addr)
		if err != nil {
			c.ScreenshotError = err.Error()
		} else {
			res.Screenshot = shot
		}
	}
	c.Judge()
	return res, ctx.Err()
}

// page is a fetched page.
type page struct {
	url      string // after redirects
	addr     string // the IP:port it came from
	status   int
	body     []byte
	features lookalike.PageFeatures
}

func (p *Prober) timeout() time.Duration {
	if p.Timeout > 0 {
		return p.Timeout
	}
	return DefaultTimeout
}

func (p *Prober) maxBody() int64 {
	if p.MaxBody > 0 {
		return p.MaxBody
	}
	return DefaultMaxBody
}

// readLimited reads at most n bytes of r.
func readLimited(r io.Reader, n int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, n))
	if err != nil {
		return b, fmt.Errorf("read page: %w", err)
	}
	return b, nil
}
