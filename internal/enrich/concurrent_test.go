package enrich

import (
	"net/netip"
	"sync"
	"testing"
)

// TestConcurrentLookups shares one enricher between goroutines, as the
// pipeline's workers will; run with -race.
func TestConcurrentLookups(t *testing.T) {
	asn := openTestMMDB(t, "GeoLite2-ASN", 6, []mmdbNet{{"192.0.2.0/24", maxmindASN(64500, "Example Telecom")}})
	country := openTestMMDB(t, "GeoLite2-City", 6, []mmdbNet{{"192.0.2.0/24", maxmindCity("AZ")}})
	e := NewFromSources(asn, country, openFixture(t, "asn-ipv6.csv"))
	want := IPInfo{64500, "Example Telecom", "AZ"}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 1000 {
				if got, ok := e.Lookup(netip.MustParseAddr("192.0.2.1")); got != want || !ok {
					t.Errorf("got %+v, %v; want %+v, true", got, ok, want)
					return
				}
				if _, ok := e.Lookup(netip.MustParseAddr("2001:db8::1")); !ok {
					t.Error("IPv6 lookup: got a miss, want a hit")
					return
				}
			}
		})
	}
	wg.Wait()
}
