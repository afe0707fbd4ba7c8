package monitor

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// maxBody bounds what is read of any page: enough for a header page, an
// index or the start of a dump, never a whole download.
const maxBody = 256 << 10

// userAgent says who is asking, so an agency reading its logs knows.
const userAgent = "Qalxan-Monitor/1 (national CERT security check)"

// page is one HTTP answer.
type page struct {
	url    *url.URL
	status int
	header http.Header
	body   []byte
	ttfb   time.Duration // from sending the request to the response's headers, connecting included
	plain  *string       // pageText(body), once asked for
}

// text is the page's visible text (pageText), worked out once.
func (p *page) text() string {
	if p.plain == nil {
		t := pageText(p.body)
		p.plain = &t
	}
	return *p.plain
}

// site is what the web checks learnt: the page headers were read from
// (nil when neither HTTPS nor HTTP answered) and its origin.
type site struct {
	results []Result
	page    *page
	origin  *url.URL      // scheme://host[:port] the exposure probes use
	ttfb    time.Duration // the first request to the landing page: time to first byte
	content *Fingerprint  // the landing page's text
}

// client is an HTTP client through the resolver that follows no redirect
// (each hop is looked at) and accepts any certificate (the certificate
// checks judge it).
func (c *Checker) client(t Target) *http.Client {
	tr := &http.Transport{
		DialContext:            c.dial,
		DialTLSContext:         c.tlsDialer(sni(t)),
		TLSHandshakeTimeout:    c.timeout(),
		ResponseHeaderTimeout:  c.timeout(),
		MaxConnsPerHost:        1, // politeness: one connection at a time, reused for the run's requests
		MaxIdleConnsPerHost:    1,
		IdleConnTimeout:        c.timeout(),
		MaxResponseHeaderBytes: 64 << 10,
	}
	return &http.Client{Transport: tr, Timeout: c.timeout(), CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}

// get fetches u once, reading at most maxBody of the body.
func (c *Checker) get(ctx context.Context, cl *http.Client, u *url.URL) (*page, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", userAgent)
	start := time.Now()
	resp, err := cl.Do(req)
	if err != nil {
		return nil, err
	}
	ttfb := time.Since(start)
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, err
	}
	return &page{url: u, status: resp.StatusCode, header: resp.Header, body: body, ttfb: ttfb}, nil
}

// follow fetches u and follows redirects within the same host (at most
// five), so headers are judged on the page a visitor lands on and no
// other host is contacted. The page's ttfb is the first hop's: how soon
// the site answered at all.
func (c *Checker) follow(ctx context.Context, cl *http.Client, u *url.URL) (*page, error) {
	var first time.Duration
	for i := range 5 {
		p, err := c.get(ctx, cl, u)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			first = p.ttfb
		}
		p.ttfb = first
		loc := p.header.Get("Location")
		if p.status < 300 || p.status > 399 || loc == "" {
			return p, nil
		}
		next, err := u.Parse(loc)
		if err != nil || next.Hostname() != u.Hostname() || (next.Scheme != "http" && next.Scheme != "https") {
			return p, nil
		}
		u = next
	}
	return nil, fmt.Errorf("more than five redirects")
}

// webChecks runs the HTTPS, TLS and header checks.
func (c *Checker) webChecks(ctx context.Context, t Target) site {
	var s site
	cl := c.client(t)
	defer cl.CloseIdleConnections()
	addr := hostPort(t.HTTPS)
	start := time.Now()
	st, err := c.handshake(ctx, addr, probeConfig(sni(t)))
	var https *page
	if err == nil {
		https, err = c.follow(ctx, cl, t.HTTPS)
		// The TLS probes next open their own connections: the page's must
		// not stay open beside them (one connection at a time per host).
		cl.CloseIdleConnections()
	}
	if err != nil {
		s.results = append(s.results, result("https-reachable", Fail, fmt.Sprintf("%s: %v", t.HTTPS, err)))
		s.results = append(s.results, skipAll("HTTPS not reachable", tlsChecks...)...)
	} else {
		s.results = append(s.results, result("https-reachable", Pass, fmt.Sprintf("%s answered %d in %d ms", t.HTTPS, https.status, time.Since(start).Milliseconds())))
		s.results = append(s.results, c.tlsResults(ctx, t, addr, st)...)
	}

	plain, perr := c.get(ctx, cl, t.HTTP)
	s.results = append(s.results, redirectResult(t, plain, perr))
	switch {
	case https != nil:
		s.page, s.origin = https, &url.URL{Scheme: "https", Host: t.HTTPS.Host}
		s.results = append(s.results, hstsResult(https))
	case perr == nil:
		// No HTTPS at all: the headers are still judged, on the plain site.
		if p, err := c.follow(ctx, cl, t.HTTP); err == nil {
			s.page, s.origin = p, &url.URL{Scheme: "http", Host: t.HTTP.Host}
		}
		s.results = append(s.results, result("hsts", Fail, "no HTTPS"))
	default:
		s.results = append(s.results, result("hsts", Skipped, "the site is not reachable"))
	}
	if s.page == nil {
		s.results = append(s.results, skipAll("the site is not reachable", append(headerChecks, "defacement", "content-changed")...)...)
		return s
	}
	s.results = append(s.results, headerResults(s.page)...)
	s.results = append(s.results, c.defacementResult(s.page))
	s.ttfb = s.page.ttfb
	if s.page.status < 200 || s.page.status > 299 {
		// An error or maintenance page says nothing of the site's content,
		// and must not become its baseline.
		s.results = append(s.results, result("content-changed", Skipped, fmt.Sprintf("%s answered %d", s.page.url, s.page.status)))
		return s
	}
	fp := fingerprintText(s.page.text())
	s.content = &fp
	s.results = append(s.results, c.contentResult(s.page, fp, t.Baseline))
	return s
}

// redirectResult judges the plain-HTTP answer: a redirect to HTTPS on the
// same host on the first hop. No plain HTTP at all is fine.
func redirectResult(t Target, p *page, err error) Result {
	if err != nil {
		return result("http-redirect-https", Pass, fmt.Sprintf("%s does not answer plain HTTP", hostPort(t.HTTP)))
	}
	loc := p.header.Get("Location")
	if p.status >= 300 && p.status <= 399 && loc != "" {
		if u, err := p.url.Parse(loc); err == nil && u.Scheme == "https" && strings.EqualFold(u.Hostname(), t.Host) {
			return result("http-redirect-https", Pass, fmt.Sprintf("%s answers %d → %s", t.HTTP, p.status, u))
		}
		return result("http-redirect-https", Fail, fmt.Sprintf("%s redirects to %s, not to HTTPS on the same host", t.HTTP, loc))
	}
	return result("http-redirect-https", Fail, fmt.Sprintf("%s answers %d without redirecting to HTTPS", t.HTTP, p.status))
}

// hstsResult wants Strict-Transport-Security with max-age ≥ one year.
func hstsResult(p *page) Result {
	v := p.header.Get("Strict-Transport-Security")
	if v == "" {
		return result("hsts", Fail, "no Strict-Transport-Security header")
	}
	for _, d := range strings.Split(v, ";") {
		k, val, _ := strings.Cut(strings.TrimSpace(d), "=")
		if strings.EqualFold(k, "max-age") {
			n, err := strconv.ParseInt(strings.Trim(val, `"`), 10, 64)
			if err == nil && n >= 31536000 {
				return result("hsts", Pass, "Strict-Transport-Security: "+v)
			}
			return result("hsts", Fail, "max-age below one year: "+v)
		}
	}
	return result("hsts", Fail, "no max-age: "+v)
}
