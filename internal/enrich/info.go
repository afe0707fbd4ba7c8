package enrich

import "net/netip"

// IPInfo is what the sources know about an address. A zero field is
// unknown: AS 0 is reserved and never announced, so it doubles as "none".
type IPInfo struct {
	ASN         uint32
	ASName      string
	CountryCode string // ISO 3166-1 alpha-2, upper case
}

// IsZero reports whether nothing is known.
func (i IPInfo) IsZero() bool { return i == IPInfo{} }

// complete reports whether every field is known, so a Chain can stop asking.
func (i IPInfo) complete() bool {
	return i.ASN != 0 && i.ASName != "" && i.CountryCode != ""
}

// IPSource answers lookups for addresses. ok is false when the source knows
// nothing about a; it is never true with a zero IPInfo. IPv4-mapped IPv6
// addresses (::ffff:192.0.2.1) are looked up as the IPv4 address they carry.
// Implementations must be safe for concurrent use.
type IPSource interface {
	Lookup(a netip.Addr) (info IPInfo, ok bool)
}
