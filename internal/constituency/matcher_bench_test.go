package constituency

import (
	"math/rand/v2"
	"net/netip"
	"strconv"
	"testing"
)

// benchOrgs spreads resources over 500 organisations, roughly the size of
// a national constituency, so owner lists are shared as in production.
const benchOrgs = 500

// BenchmarkMatchIP looks up random addresses, about half of them inside a
// registered network, in a table of 100k prefixes: v4 /16–/30, v6 /32–/64
// and hosts.
func BenchmarkMatchIP(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	orgs := make([]Org, benchOrgs)
	for i := range orgs {
		orgs[i].ShortName = "org" + strconv.Itoa(i)
	}
	var nets []netip.Prefix
	for i := range 100_000 {
		var p netip.Prefix
		switch {
		case i%10 < 7:
			p = netip.PrefixFrom(randAddr4(rng), 16+rng.IntN(15)).Masked()
		case i%10 < 9:
			a := randAddr4(rng)
			p = netip.PrefixFrom(a, 32)
		default:
			p = netip.PrefixFrom(randAddr6(rng), 32+rng.IntN(33)).Masked()
		}
		nets = append(nets, p)
		o := &orgs[rng.IntN(len(orgs))]
		kind := KindCIDR
		if p.IsSingleIP() {
			kind = KindHost
		}
		o.Resources = append(o.Resources, Resource{Kind: kind, Value: p.String()})
	}
	m := NewMatcher(orgs)

	addrs := make([]netip.Addr, 1<<16)
	for i := range addrs {
		if i%2 == 0 {
			addrs[i] = randIn(rng, nets[rng.IntN(len(nets))])
		} else if i%8 == 1 {
			addrs[i] = randAddr6(rng)
		} else {
			addrs[i] = randAddr4(rng)
		}
	}
	hits := 0
	for _, a := range addrs {
		if m.MatchIP(a) != nil {
			hits++
		}
	}
	b.Logf("%d resources, %d of %d lookups hit", m.Len(), hits, len(addrs))

	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.MatchIP(addrs[i&(len(addrs)-1)])
		i++
	}
}

// BenchmarkMatchDomain looks up lower-case ASCII names one to three labels
// below 50k registered domains, plus some that nobody owns.
func BenchmarkMatchDomain(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	orgs := make([]Org, benchOrgs)
	for i := range orgs {
		orgs[i].ShortName = "org" + strconv.Itoa(i)
	}
	var domains []string
	for i := range 50_000 {
		d := "agency" + strconv.Itoa(i) + ".gov.az"
		if i%2 == 1 {
			d = "sub" + strconv.Itoa(i) + ".org" + strconv.Itoa(i) + ".az"
		}
		domains = append(domains, d)
		o := &orgs[rng.IntN(len(orgs))]
		o.Resources = append(o.Resources, Resource{Kind: KindDomain, Value: d})
	}
	m := NewMatcher(orgs)

	labels := []string{"www", "mail", "vpn", "portal", "api", "static", "dev", "a1"}
	names := make([]string, 1<<16)
	for i := range names {
		d := domains[rng.IntN(len(domains))]
		if i%16 == 0 {
			d = "unknown" + strconv.Itoa(i) + ".example.com"
		}
		for range 1 + rng.IntN(3) {
			d = labels[rng.IntN(len(labels))] + "." + d
		}
		names[i] = d
	}

	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.MatchDomain(names[i&(len(names)-1)])
		i++
	}
}

// BenchmarkMatchDomainIDN measures the slow path: Unicode input that needs
// IDNA conversion.
func BenchmarkMatchDomainIDN(b *testing.B) {
	m := NewMatcher([]Org{testOrg(b, "adliyye", "ədliyyə.gov.az")})
	b.ReportAllocs()
	for b.Loop() {
		m.MatchDomain("mail.Ədliyyə.gov.az")
	}
}

func randAddr4(rng *rand.Rand) netip.Addr {
	var a [4]byte
	v := rng.Uint32()
	a[0], a[1], a[2], a[3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
	return netip.AddrFrom4(a)
}

// randAddr6 draws from 2001:db8::/24-ish space so v6 prefixes and lookups
// overlap instead of scattering over 2^128.
func randAddr6(rng *rand.Rand) netip.Addr {
	var a [16]byte
	a[0], a[1], a[2] = 0x20, 0x01, 0x0d
	for i := 3; i < 16; i++ {
		a[i] = byte(rng.Uint32())
	}
	return netip.AddrFrom16(a)
}

// randIn returns a random address inside p.
func randIn(rng *rand.Rand, p netip.Prefix) netip.Addr {
	b := p.Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		if rng.IntN(2) == 1 {
			b[i/8] |= 0x80 >> (i % 8)
		}
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}
