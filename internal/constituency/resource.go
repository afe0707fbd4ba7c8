package constituency

import (
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/qalxan/qalxan/internal/errs"
)

// ResourceKind says what a resource's value is.
type ResourceKind string

const (
	KindDomain ResourceKind = "domain" // a DNS name and everything below it
	KindCIDR   ResourceKind = "cidr"   // an IPv4 or IPv6 network
	KindHost   ResourceKind = "host"   // one IP address
	KindASN    ResourceKind = "asn"    // an autonomous system
	KindURL    ResourceKind = "url"    // one web application, e.g. a login portal
)

// ResourceKinds lists the kinds in display order.
var ResourceKinds = []ResourceKind{KindDomain, KindCIDR, KindHost, KindASN, KindURL}

// Criticality of a resource to its owner's mission.
type Criticality string

// Criticalities lists the levels from the lowest.
var Criticalities = []Criticality{"low", "medium", "high", "critical"}

// Resource is an internet resource owned by an organisation. Value is kept
// in canonical form (see Normalize) so equal resources compare equal.
type Resource struct {
	ID          int64        `json:"id"`
	OrgID       int64        `json:"org_id,omitempty"`
	Kind        ResourceKind `json:"kind"`
	Value       string       `json:"value"`
	Criticality Criticality  `json:"criticality"`
	Notes       string       `json:"notes,omitempty"`
}

// Display is the value as people read it: the Unicode form of an IDN.
func (r Resource) Display() string {
	switch r.Kind {
	case KindDomain:
		return DomainUnicode(r.Value)
	case KindURL:
		if u, err := url.Parse(r.Value); err == nil {
			if h := DomainUnicode(u.Hostname()); h != u.Hostname() {
				return strings.Replace(r.Value, u.Hostname(), h, 1)
			}
		}
	}
	return r.Value
}

// Normalize detects the kind when it is empty, validates the value and puts
// it in canonical form: domains lower-case punycode without a trailing dot,
// networks masked to their prefix, addresses in their canonical text, ASNs
// as "AS64500", URLs with a lower-case scheme and punycode host.
func (r *Resource) Normalize() error {
	r.Value = strings.TrimSpace(r.Value)
	r.Notes = strings.TrimSpace(r.Notes)
	if r.Value == "" {
		return errs.Field("resources.value", "is empty")
	}
	if r.Kind == "" {
		r.Kind = DetectKind(r.Value)
	}
	var err error
	switch r.Kind {
	case KindDomain:
		r.Value, err = NormalizeDomain(r.Value)
	case KindCIDR:
		r.Value, err = normalizeCIDR(r.Value)
	case KindHost:
		r.Value, err = normalizeHost(r.Value)
	case KindASN:
		var n uint32
		if n, err = ParseASN(r.Value); err == nil {
			r.Value = "AS" + strconv.FormatUint(uint64(n), 10)
		}
	case KindURL:
		r.Value, err = normalizeURL(r.Value)
	default:
		return errs.Field("resources.kind", "unknown kind %q (want domain, cidr, host, asn or url)", r.Kind)
	}
	if err != nil {
		return errs.InField("resources.value", err)
	}
	if r.Criticality == "" {
		r.Criticality = "medium"
	}
	r.Criticality = Criticality(strings.ToLower(string(r.Criticality)))
	for _, c := range Criticalities {
		if c == r.Criticality {
			return nil
		}
	}
	return errs.Field("resources.criticality", "unknown criticality %q (want low, medium, high or critical)", r.Criticality)
}

// DetectKind guesses a resource's kind from its value. The guess is only a
// starting point: Normalize still validates the value for that kind.
func DetectKind(v string) ResourceKind {
	v = strings.TrimSpace(v)
	switch {
	case strings.Contains(v, "://"):
		return KindURL
	case strings.Contains(v, "/"):
		return KindCIDR
	}
	if _, err := netip.ParseAddr(v); err == nil {
		return KindHost
	}
	if _, err := ParseASN(v); err == nil && (len(v) > 2 && strings.EqualFold(v[:2], "as")) {
		return KindASN
	}
	return KindDomain
}

// ParseASN accepts "AS64500", "as64500" and "64500".
func ParseASN(v string) (uint32, error) {
	s := strings.TrimSpace(v)
	if len(s) > 2 && strings.EqualFold(s[:2], "as") {
		s = s[2:]
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil || n == 0 {
		return 0, errs.E(errs.Invalid, "%q is not an AS number", v)
	}
	return uint32(n), nil
}

func normalizeCIDR(v string) (string, error) {
	p, err := netip.ParsePrefix(v)
	if err != nil {
		return "", errs.E(errs.Invalid, "%q is not a network in CIDR notation", v)
	}
	p = p.Masked()
	if p.Addr().Is4In6() {
		p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96).Masked()
	}
	return p.String(), nil
}

func normalizeHost(v string) (string, error) {
	a, err := netip.ParseAddr(v)
	if err != nil || a.Zone() != "" {
		return "", errs.E(errs.Invalid, "%q is not an IP address", v)
	}
	return a.Unmap().String(), nil
}

func normalizeURL(v string) (string, error) {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "HTTP" && u.Scheme != "HTTPS") || u.Host == "" {
		return "", errs.E(errs.Invalid, "%q is not an http(s) URL", v)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	host := u.Hostname()
	if a, err := netip.ParseAddr(host); err == nil {
		host = a.Unmap().String()
		if a.Is6() && !a.Is4In6() {
			host = "[" + host + "]"
		}
	} else if host, err = NormalizeDomain(host); err != nil {
		return "", err
	}
	if p := u.Port(); p != "" {
		if (u.Scheme == "http" && p == "80") || (u.Scheme == "https" && p == "443") {
			u.Host = host
		} else {
			u.Host = host + ":" + p
		}
	} else {
		u.Host = host
	}
	u.Fragment = ""
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String(), nil
}
