package storage

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
)

var keyAddresses = []string{
	"0.0.0.0", "9.255.255.255", "10.0.0.0", "10.0.0.1", "10.0.0.255", "10.0.1.0", "10.255.255.255",
	"11.0.0.0", "192.0.2.7", "255.255.255.255",
	"::", "::1", "::fffe:ffff:ffff", "::1:0:0:0", "2001:db8::", "2001:db8::1", "2001:db8:0:1::",
	"2001:db9::", "fe80::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
}

// Keys sort as the addresses do (IPv4 before IPv6), and an IPv4-mapped
// address has its IPv4 address's key.
func TestIPKeySortsAsAddresses(t *testing.T) {
	addrs := make([]netip.Addr, len(keyAddresses))
	for i, s := range keyAddresses {
		addrs[i] = netip.MustParseAddr(s)
	}
	slices.SortFunc(addrs, netip.Addr.Compare)
	for i := 1; i < len(addrs); i++ {
		if a, b := ipKey(addrs[i-1].String()), ipKey(addrs[i].String()); a >= b {
			t.Errorf("key of %s (%s) not below key of %s (%s)", addrs[i-1], a, addrs[i], b)
		}
	}
	if got, want := ipKey("::ffff:192.0.2.7"), ipKey("192.0.2.7"); got != want || got != "4c0000207" {
		t.Errorf("mapped address key %q, IPv4 key %q; want both 4c0000207", got, want)
	}
	if got := ipKey("2001:db8::1"); got != "620010db8000000000000000000000001" {
		t.Errorf("IPv6 key %q", got)
	}
	if got := ipKey("not an address"); got != "" {
		t.Errorf("key of a non-address %q, want none", got)
	}
}

// A network's range of keys holds the keys of exactly its addresses.
func TestPrefixRangeHoldsItsAddresses(t *testing.T) {
	for _, p := range []string{
		"10.0.0.0/8", "10.0.0.0/24", "10.0.0.1/32", "0.0.0.0/0", "192.0.2.0/25",
		"::ffff:10.0.0.0/104", "::ffff:0.0.0.0/96",
		"2001:db8::/32", "2001:db8::/64", "::/0", "::/96", "fe80::/10",
	} {
		prefix := netip.MustParsePrefix(p)
		lo, hi := prefixRange(prefix)
		for _, s := range keyAddresses {
			a := netip.MustParseAddr(s)
			k := ipKey(s)
			in := lo <= k && k <= hi
			want := prefix.Contains(a)
			if prefix.Addr().Is4In6() {
				want = prefix.Contains(netip.AddrFrom16(a.As16()))
			}
			if a.Is4() && prefix.Addr().Is6() && !prefix.Addr().Is4In6() {
				want = false // a wider IPv6 network matches IPv6 addresses only
			}
			if in != want {
				t.Errorf("%s in %s [%s, %s]: %v, want %v", s, p, lo, hi, in, want)
			}
		}
		if !strings.HasPrefix(lo, hi[:1]) {
			t.Errorf("%s: range %s–%s spans both families", p, lo, hi)
		}
	}
}
