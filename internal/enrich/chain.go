package enrich

import "net/netip"

// Chain asks its sources in order and fills each field of the answer from
// the first source that knows it, so a country database behind an ASN
// database supplies the country the ASN database lacks.
//
// The AS name belongs to the AS number: a later source supplies a missing
// name only when it reports the same number, so one source's name is never
// paired with another source's AS.
type Chain []IPSource

// Lookup implements IPSource.
func (c Chain) Lookup(a netip.Addr) (IPInfo, bool) {
	var out IPInfo
	for _, s := range c {
		in, ok := s.Lookup(a)
		if !ok {
			continue
		}
		if out.ASN == 0 && in.ASN != 0 {
			out.ASN, out.ASName = in.ASN, in.ASName
		} else if out.ASName == "" && in.ASName != "" && (in.ASN == out.ASN) {
			out.ASName = in.ASName
		}
		if out.CountryCode == "" {
			out.CountryCode = in.CountryCode
		}
		if out.complete() {
			break
		}
	}
	return out, !out.IsZero()
}
