package monitor

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"

	"github.com/miekg/dns"
)

var (
	systemResolverOnce sync.Once
	systemResolver     string
)

// resolver is the DNS server every lookup goes to: the configured one, or
// the first nameserver of /etc/resolv.conf.
func (c *Checker) resolver() string {
	if c.Resolver != "" {
		return c.Resolver
	}
	systemResolverOnce.Do(func() {
		systemResolver = "127.0.0.1:53"
		if cc, err := dns.ClientConfigFromFile("/etc/resolv.conf"); err == nil && len(cc.Servers) > 0 {
			systemResolver = net.JoinHostPort(cc.Servers[0], cc.Port)
		}
	})
	return systemResolver
}

// query asks the resolver for name's records of type qtype, with the
// DNSSEC OK bit so signatures come along; over TCP when the UDP answer
// was truncated.
func (c *Checker) query(ctx context.Context, name string, qtype uint16) (*dns.Msg, error) {
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	m.SetEdns0(4096, true)
	m.RecursionDesired = true
	ctx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	cl := &dns.Client{Timeout: c.timeout()}
	r, _, err := cl.ExchangeContext(ctx, m, c.resolver())
	if err == nil && r.Truncated {
		cl.Net = "tcp"
		r, _, err = cl.ExchangeContext(ctx, m, c.resolver())
	}
	if err != nil {
		return nil, fmt.Errorf("dns %s %s: %w", dns.TypeToString[qtype], name, err)
	}
	if r.Rcode != dns.RcodeSuccess && r.Rcode != dns.RcodeNameError {
		return nil, fmt.Errorf("dns %s %s: %s", dns.TypeToString[qtype], name, dns.RcodeToString[r.Rcode])
	}
	return r, nil
}

// txt is name's TXT strings, each record's parts joined.
func (c *Checker) txt(ctx context.Context, name string) ([]string, error) {
	r, err := c.query(ctx, name, dns.TypeTXT)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, rr := range r.Answer {
		if t, ok := rr.(*dns.TXT); ok {
			out = append(out, strings.Join(t.Txt, ""))
		}
	}
	return out, nil
}

// lookupAddrs resolves host through the resolver (an address is itself).
func (c *Checker) lookupAddrs(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a}, nil
	}
	var out []netip.Addr
	var last error
	for _, qt := range []uint16{dns.TypeA, dns.TypeAAAA} {
		r, err := c.query(ctx, host, qt)
		if err != nil {
			last = err
			continue
		}
		for _, rr := range r.Answer {
			switch v := rr.(type) {
			case *dns.A:
				if a, ok := netip.AddrFromSlice(v.A.To4()); ok {
					out = append(out, a)
				}
			case *dns.AAAA:
				if a, ok := netip.AddrFromSlice(v.AAAA); ok {
					out = append(out, a)
				}
			}
		}
	}
	if len(out) == 0 {
		if last != nil {
			return nil, last
		}
		return nil, fmt.Errorf("%s has no address", host)
	}
	return out, nil
}

// dial connects to addr (HOST:PORT), resolving the host through the
// resolver and trying its addresses in turn, each within the timeout.
func (c *Checker) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	addrs, err := c.lookupAddrs(ctx, host)
	if err != nil {
		return nil, err
	}
	d := net.Dialer{Timeout: c.timeout()}
	var last error
	for _, a := range addrs {
		conn, err := d.DialContext(ctx, network, net.JoinHostPort(a.String(), port))
		if err == nil {
			return watched(c.watch, conn), nil
		}
		last = err
	}
	return nil, last
}
