package probe

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"

	"github.com/miekg/dns"
	"golang.org/x/net/publicsuffix"
)

var (
	systemResolverOnce sync.Once
	systemResolver     string
)

func (p *Prober) resolver() string {
	if p.Resolver != "" {
		return p.Resolver
	}
	systemResolverOnce.Do(func() {
		systemResolver = "127.0.0.1:53"
		if cc, err := dns.ClientConfigFromFile("/etc/resolv.conf"); err == nil && len(cc.Servers) > 0 {
			systemResolver = net.JoinHostPort(cc.Servers[0], cc.Port)
		}
	})
	return systemResolver
}

// lookup asks for host's A and MX records and the NS records of its
// registered domain (where the delegation is). A name that does not exist
// is no error: it is the finding.
func (p *Prober) lookup(ctx context.Context, host string) (a, mx, ns []string, err error) {
	var errs []error
	a, err = p.query(ctx, host, dns.TypeA)
	errs = append(errs, err)
	mx, err = p.query(ctx, host, dns.TypeMX)
	errs = append(errs, err)
	zone := host
	if reg, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
		zone = reg
	}
	ns, err = p.query(ctx, zone, dns.TypeNS)
	errs = append(errs, err)
	return a, mx, ns, errors.Join(errs...)
}

// query returns the answers of type qtype for name, sorted; over TCP when
// the UDP answer was truncated.
func (p *Prober) query(ctx context.Context, name string, qtype uint16) ([]string, error) {
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	m.RecursionDesired = true
	ctx, cancel := context.WithTimeout(ctx, p.timeout())
	defer cancel()
	cl := &dns.Client{Timeout: p.timeout()}
	r, _, err := cl.ExchangeContext(ctx, m, p.resolver())
	if err == nil && r.Truncated {
		cl.Net = "tcp"
		r, _, err = cl.ExchangeContext(ctx, m, p.resolver())
	}
	if err != nil {
		return nil, fmt.Errorf("dns %s %s: %w", dns.TypeToString[qtype], name, err)
	}
	if r.Rcode != dns.RcodeSuccess && r.Rcode != dns.RcodeNameError {
		return nil, fmt.Errorf("dns %s %s: %s", dns.TypeToString[qtype], name, dns.RcodeToString[r.Rcode])
	}
	var out []string
	for _, rr := range r.Answer {
		switch v := rr.(type) {
		case *dns.A:
			out = append(out, v.A.String())
		case *dns.MX:
			out = append(out, strings.TrimSuffix(v.Mx, "."))
		case *dns.NS:
			out = append(out, strings.TrimSuffix(v.Ns, "."))
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}
