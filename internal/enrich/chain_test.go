package enrich

import (
	"net/netip"
	"testing"
)

// fixed is a source with one answer for every address.
type fixed struct {
	info IPInfo
	ok   bool
}

func (f fixed) Lookup(netip.Addr) (IPInfo, bool) { return f.info, f.ok }

// counting records whether it was asked.
type counting struct {
	fixed
	calls *int
}

func (c counting) Lookup(a netip.Addr) (IPInfo, bool) { *c.calls++; return c.fixed.Lookup(a) }

func TestChain(t *testing.T) {
	full := IPInfo{ASN: 64500, ASName: "Telecom", CountryCode: "AZ"}
	tests := []struct {
		name   string
		chain  Chain
		want   IPInfo
		wantOK bool
	}{
		{"empty", nil, IPInfo{}, false},
		{"all miss", Chain{fixed{}, fixed{}}, IPInfo{}, false},
		{"first answer wins", Chain{fixed{full, true}, fixed{IPInfo{1, "Other", "DE"}, true}}, full, true},
		{"ASN and country combine", Chain{
			fixed{IPInfo{ASN: 64500, ASName: "Telecom"}, true},
			fixed{IPInfo{CountryCode: "AZ"}, true},
		}, full, true},
		{"miss then answer", Chain{fixed{}, fixed{full, true}}, full, true},
		{"later source does not override a field", Chain{
			fixed{IPInfo{CountryCode: "AZ"}, true},
			fixed{IPInfo{ASN: 64500, ASName: "Telecom", CountryCode: "DE"}, true},
		}, full, true},
		{"name only from the same AS", Chain{
			fixed{IPInfo{ASN: 64500, CountryCode: "AZ"}, true},
			fixed{IPInfo{ASN: 64999, ASName: "Someone Else"}, true},
		}, IPInfo{ASN: 64500, CountryCode: "AZ"}, true},
		{"missing name filled by same AS", Chain{
			fixed{IPInfo{ASN: 64500, CountryCode: "AZ"}, true},
			fixed{IPInfo{ASN: 64500, ASName: "Telecom"}, true},
		}, full, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.chain.Lookup(netip.MustParseAddr("192.0.2.1"))
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("got %+v, %v; want %+v, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestChainStopsWhenComplete(t *testing.T) {
	calls := 0
	c := Chain{fixed{IPInfo{64500, "Telecom", "AZ"}, true}, counting{fixed{}, &calls}}
	c.Lookup(netip.MustParseAddr("192.0.2.1"))
	if calls != 0 {
		t.Errorf("second source asked %d times after a complete answer, want 0", calls)
	}
}

// TestChainRealSources combines an ASN MMDB, a country MMDB built from
// the ip-location-db fixture, and the ASN range CSV.
func TestChainRealSources(t *testing.T) {
	asn := openTestMMDB(t, "GeoLite2-ASN", 6, []mmdbNet{{"192.0.2.0/25", maxmindASN(64500, "MaxMind Name")}})
	country := openTestMMDB(t, "country ipv4", 4, fixtureCountryNets(t, "geo-whois-asn-country-ipv4.csv"))
	ranges := openFixture(t, "asn-ipv4.csv")
	c := Chain{asn, country, ranges}
	checkLookups(t, c, []lookupCase{
		// The MMDB's AS wins over the CSV's.
		{"192.0.2.1", IPInfo{64500, "MaxMind Name", "AZ"}, true},
		// The MMDB has no AS here: the CSV supplies it.
		{"192.0.2.200", IPInfo{64501, "Example Hosting", "AZ"}, true},
		{"198.51.100.200", IPInfo{64502, `Example "Quoted" Networks`, "TR"}, true},
		{"::ffff:203.0.113.5", IPInfo{65536, "Example Thirty-Two", "DE"}, true},
		{"2001:db8::1", IPInfo{}, false},
		{"10.0.0.1", IPInfo{}, false},
	})
}
