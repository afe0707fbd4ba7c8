package constituency

import (
	"net/netip"
	"net/url"
	"slices"
	"strings"

	"github.com/gaissmai/bart"
)

// Matcher answers "who owns this?" for addresses, names, AS numbers and
// URLs. It is built once from the registry and never modified, so any
// number of goroutines may use it at once; when the registry changes the
// caller builds a new one and swaps the pointer.
//
// Every Match method returns the owners' short names, sorted and without
// duplicates, or nil when nobody owns the value. The returned slice is
// shared with the matcher (so that lookups do not allocate) and must not
// be modified.
type Matcher struct {
	// bart.Fast trades memory for lookup speed; the table is read far more
	// often than it is built.
	ips     bart.Fast[[]string]
	domains map[string][]string
	depths  uint64 // bit n set: some domain has n labels (63: 63 or more)
	asns    map[uint32][]string
	urls    map[string][]urlRule // by origin, longest path first
	n       int
}

// urlRule is one URL resource below an origin.
type urlRule struct {
	path   string // without the trailing slash; "" is the whole origin
	owners []string
}

// NewMatcher builds an immutable matcher from organisations and their
// (already normalised) Resources. Resources whose value does not parse for
// their kind are skipped and not counted by Len. NewMatcher(nil) is an
// empty matcher.
func NewMatcher(orgs []Org) *Matcher {
	type urlKey struct{ origin, path string }
	ips := map[netip.Prefix][]string{}
	domains := map[string][]string{}
	asns := map[uint32][]string{}
	urls := map[urlKey][]string{}

	m := &Matcher{}
	for _, o := range orgs {
		for _, r := range o.Resources {
			ok := true
			switch r.Kind {
			case KindCIDR, KindHost:
				var p netip.Prefix
				if p, ok = parseNetwork(r.Value); ok {
					ips[p] = append(ips[p], o.ShortName)
				}
			case KindDomain:
				var d string
				if d, ok = canonicalDomain(r.Value); ok {
					domains[d] = append(domains[d], o.ShortName)
				}
			case KindASN:
				n, err := ParseASN(r.Value)
				if ok = err == nil; ok {
					asns[n] = append(asns[n], o.ShortName)
				}
			case KindURL:
				var u parsedURL
				if u, ok = parseURL(r.Value); ok {
					k := urlKey{u.origin, u.path}
					urls[k] = append(urls[k], o.ShortName)
				}
			default:
				ok = false
			}
			if ok {
				m.n++
			}
		}
	}

	in := interner{}
	for p, owners := range ips {
		m.ips.Insert(p, in.owners(owners))
	}
	m.domains = make(map[string][]string, len(domains))
	for d, owners := range domains {
		m.domains[d] = in.owners(owners)
		m.depths |= depthBit(strings.Count(d, ".") + 1)
	}
	m.asns = make(map[uint32][]string, len(asns))
	for n, owners := range asns {
		m.asns[n] = in.owners(owners)
	}
	m.urls = make(map[string][]urlRule)
	for k, owners := range urls {
		m.urls[k.origin] = append(m.urls[k.origin], urlRule{k.path, in.owners(owners)})
	}
	for _, rules := range m.urls {
		// Longest path first, so the first rule that matches is the most
		// specific one.
		slices.SortFunc(rules, func(a, b urlRule) int { return len(b.path) - len(a.path) })
	}
	return m
}

// Len is the number of resources indexed.
func (m *Matcher) Len() int { return m.n }

// MatchIP returns the owners of the longest prefix containing a. A host
// resource is a /32 or /128, so it beats any network around it.
func (m *Matcher) MatchIP(a netip.Addr) []string {
	// Resources are stored unmapped, and bart does not unmap for us.
	owners, _ := m.ips.Lookup(a.Unmap())
	return owners
}

// MatchDomain returns the owners of the longest registered domain that is
// name or a parent of it, on label boundaries. name may be Unicode or
// punycode, in any case, with or without the trailing dot.
func (m *Matcher) MatchDomain(name string) []string {
	name, ok := canonicalDomain(name)
	if !ok {
		return nil
	}
	// Registered domains come in few depths (gov.az, edu.gov.az), so
	// skipping suffixes of other depths saves most map probes, each a
	// likely cache miss in a large registry.
	for labels := strings.Count(name, ".") + 1; ; labels-- {
		if m.depths&depthBit(labels) != 0 {
			if owners, ok := m.domains[name]; ok {
				return owners
			}
		}
		i := strings.IndexByte(name, '.')
		if i < 0 {
			return nil
		}
		name = name[i+1:]
	}
}

// depthBit is the bit for names of that many labels in Matcher.depths;
// absurdly deep names share the last bit.
func depthBit(labels int) uint64 { return 1 << min(labels, 63) }

// MatchASN returns the owners of an autonomous system.
func (m *Matcher) MatchASN(asn uint32) []string { return m.asns[asn] }

// MatchURL returns the owners of the most specific URL resource covering
// raw: same scheme, host and port, and a path that is the resource's path
// or below it ("/portal" covers "/portal/login" but not "/portals"). When
// no URL resource covers it, the owners of the host are returned.
func (m *Matcher) MatchURL(raw string) []string {
	u, ok := parseURL(raw)
	if !ok {
		return nil
	}
	for _, r := range m.urls[u.origin] {
		if under(u.path, r.path) {
			return r.owners
		}
	}
	if u.ip.IsValid() {
		return m.MatchIP(u.ip)
	}
	return m.MatchDomain(u.domain)
}

// Lookup finds the owners of a value of any kind, guessing the kind the way
// DetectKind does: a URL, a network in CIDR notation (the owners of the
// longest prefix covering the whole network), an IP address, an AS number
// written "AS64500", or a domain name. Unparseable input yields nil.
func (m *Matcher) Lookup(value string) []string {
	v := strings.TrimSpace(value)
	switch {
	case v == "":
		return nil
	case strings.Contains(v, "://"):
		return m.MatchURL(v)
	case strings.Contains(v, "/"):
		return m.matchNetwork(v)
	}
	if a, err := netip.ParseAddr(v); err == nil {
		return m.MatchIP(a)
	}
	// A bare number is a valid DNS label, so only the "AS" prefix makes it
	// an AS number, as in DetectKind.
	if len(v) > 2 && strings.EqualFold(v[:2], "as") {
		if n, err := ParseASN(v); err == nil {
			return m.MatchASN(n)
		}
	}
	return m.MatchDomain(v)
}

func (m *Matcher) matchNetwork(v string) []string {
	p, ok := parseNetwork(v)
	if !ok {
		return nil
	}
	owners, _ := m.ips.LookupPrefix(p)
	return owners
}

// parseNetwork reads a CIDR network or a single address as a masked prefix,
// with IPv4-mapped IPv6 turned into plain IPv4 so that both spellings meet
// in the same table.
func parseNetwork(v string) (netip.Prefix, bool) {
	if !strings.Contains(v, "/") {
		a, err := netip.ParseAddr(v)
		if err != nil {
			return netip.Prefix{}, false
		}
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), true // PrefixFrom drops any zone
	}
	p, err := netip.ParsePrefix(v)
	if err != nil {
		return netip.Prefix{}, false
	}
	if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
		p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	return p.Masked(), true
}

// canonicalDomain is NormalizeDomain with a fast path: a name that is
// already plain lower-case ASCII and obviously valid is returned as is
// (less a trailing dot), without IDNA processing or allocation. Anything
// else, including every "xn--" label, goes through NormalizeDomain, so both
// paths agree on what is valid.
func canonicalDomain(name string) (string, bool) {
	s := strings.TrimSuffix(name, ".")
	if plainDomain(s) {
		return s, true
	}
	d, err := NormalizeDomain(name)
	return d, err == nil
}

// plainDomain reports whether s is a valid name that NormalizeDomain would
// return unchanged: labels of [a-z0-9_-], 1 to 63 long, not starting or
// ending with '-', and without "--" in positions 3-4 (reserved for
// punycode and the like, which IDNA checks).
func plainDomain(s string) bool {
	if len(s) == 0 || len(s) > 253 {
		return false
	}
	start := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) {
			c := s[i]
			if 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' {
				continue
			}
			if c != '.' {
				return false
			}
		}
		label := s[start:i]
		if len(label) == 0 || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' ||
			len(label) >= 4 && label[2] == '-' && label[3] == '-' {
			return false
		}
		start = i + 1
	}
	return true
}

// parsedURL is the part of a URL that ownership depends on.
type parsedURL struct {
	origin string     // scheme://host[:port], canonical, default port dropped
	path   string     // without the trailing slash
	ip     netip.Addr // the host, when it is an address
	domain string     // the canonical host name otherwise
}

// parseURL splits raw into its canonical origin and path. Resources and
// inputs both pass through here, so they compare equal however they were
// spelt.
func parseURL(raw string) (parsedURL, bool) {
	var p parsedURL
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return p, false
	}
	scheme := strings.ToLower(u.Scheme)
	host := u.Hostname()
	if a, err := netip.ParseAddr(host); err == nil {
		p.ip = a.Unmap().WithZone("")
		host = p.ip.String()
		if p.ip.Is6() {
			host = "[" + host + "]"
		}
	} else if d, ok := canonicalDomain(host); ok {
		p.domain, host = d, d
	} else {
		return p, false
	}
	if port := u.Port(); port != "" && !(scheme == "http" && port == "80") && !(scheme == "https" && port == "443") {
		host += ":" + port
	}
	p.origin = scheme + "://" + host
	// "/portal/" and "/portal" name the same application.
	p.path = strings.TrimRight(u.Path, "/")
	return p, true
}

// under reports whether path is base or below it on a '/' boundary.
func under(path, base string) bool {
	return strings.HasPrefix(path, base) && (len(path) == len(base) || path[len(base)] == '/')
}

// interner sorts and deduplicates owner lists and shares equal ones, so a
// table of many prefixes held by a few organisations holds few lists.
type interner map[string][]string

func (in interner) owners(s []string) []string {
	slices.Sort(s)
	s = slices.Clip(slices.Compact(s))
	k := strings.Join(s, "\x00") // short names cannot contain NUL
	if v, ok := in[k]; ok {
		return v
	}
	in[k] = s
	return s
}
