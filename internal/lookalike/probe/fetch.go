package probe

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	"github.com/miekg/dns"

	"github.com/qalxan/qalxan/internal/lookalike"
)

// fetch gets host's page through the addresses the resolver gave: https
// first, then http.
func (p *Prober) fetch(ctx context.Context, host string, addrs []string) (*page, error) {
	schemes := p.Schemes
	if len(schemes) == 0 {
		schemes = []string{"https", "http"}
	}
	var errs []error
	for _, scheme := range schemes {
		pg, err := p.get(ctx, scheme+"://"+host+"/", map[string][]string{strings.ToLower(host): addrs})
		if err == nil {
			return pg, nil
		}
		errs = append(errs, err)
		if ctx.Err() != nil {
			break
		}
	}
	return nil, errors.Join(errs...)
}

// fetchURL gets the brand's page; its name is resolved like the suspect's.
func (p *Prober) fetchURL(ctx context.Context, raw string) (*page, error) {
	return p.get(ctx, raw, nil)
}

// get fetches one URL, following up to maxRedirects redirects (to any
// host: kits bounce visitors around), each host resolved through the
// resolver unless pinned, private addresses refused unless allowed.
func (p *Prober) get(ctx context.Context, raw string, pinned map[string][]string) (*page, error) {
	ctx, cancel := context.WithTimeout(ctx, p.timeout())
	defer cancel()
	var lastAddr string
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		scheme := "http"
		if port == "443" {
			scheme = "https"
		}
		if pp, ok := p.Ports[scheme]; ok {
			port = pp
		}
		ips := pinned[strings.ToLower(host)]
		if len(ips) == 0 {
			if ip, err := netip.ParseAddr(host); err == nil {
				ips = []string{ip.String()}
			} else if ips, err = p.query(ctx, host, dns.TypeA); err != nil {
				return nil, err
			}
		}
		if len(ips) == 0 {
			return nil, fmt.Errorf("%s has no address", host)
		}
		var d net.Dialer
		var last error
		for _, ip := range ips {
			a, err := netip.ParseAddr(ip)
			if err != nil {
				continue
			}
			if !p.AllowPrivate && !public(a) {
				last = fmt.Errorf("%s resolves to %s, not a public address: not fetched", host, ip)
				continue
			}
			c, err := d.DialContext(ctx, network, net.JoinHostPort(ip, port))
			if err == nil {
				lastAddr = net.JoinHostPort(ip, port)
				return c, nil
			}
			last = err
		}
		return nil, last
	}
	client := &http.Client{
		Transport: &http.Transport{
			Proxy:       nil,
			DialContext: dial,
			// A phishing site's certificate is often self-signed or for
			// another name: the page is what matters here, and nothing
			// is sent to it.
			TLSClientConfig:       &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // see above
			ResponseHeaderTimeout: p.timeout(),
			DisableKeepAlives:     true,
		},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= maxRedirects {
				return fmt.Errorf("more than %d redirects", maxRedirects)
			}
			return nil
		},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
	if err != nil {
		return nil, fmt.Errorf("bad URL %q: %w", raw, err)
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Accept-Language", "az,en;q=0.8,ru;q=0.6")
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = fmt.Errorf("%s %s: %w", ue.Op, ue.URL, ue.Err)
		}
		return nil, err
	}
	defer resp.Body.Close()
	body, err := readLimited(resp.Body, p.maxBody())
	if err != nil {
		return nil, err
	}
	return &page{url: resp.Request.URL.String(), addr: lastAddr, status: resp.StatusCode, body: body,
		features: lookalike.ParsePage(bytes.NewReader(body))}, nil
}

// public reports whether a is an address on the internet.
func public(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsGlobalUnicast() && !a.IsPrivate() && !a.IsLoopback() && !a.IsLinkLocalUnicast()
}
