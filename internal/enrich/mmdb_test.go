package enrich

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/maxmind/mmdbwriter/mmdbtype"
)

// lookupCase is one address and the answer expected for it.
type lookupCase struct {
	addr string
	want IPInfo
	ok   bool
}

func checkLookups(t *testing.T, src IPSource, cases []lookupCase) {
	t.Helper()
	for _, c := range cases {
		got, ok := src.Lookup(netip.MustParseAddr(c.addr))
		if got != c.want || ok != c.ok {
			t.Errorf("Lookup(%s): got %+v, %v; want %+v, %v", c.addr, got, ok, c.want, c.ok)
		}
	}
}

var (
	asnAZ     = IPInfo{ASN: 64500, ASName: "Example Telecom"}
	asnAZv6   = IPInfo{ASN: 64501, ASName: "Example Six"}
	countryAZ = IPInfo{CountryCode: "AZ"}
	countryDE = IPInfo{CountryCode: "DE"}
)

func TestMMDBLayouts(t *testing.T) {
	tests := []struct {
		name      string
		dbType    string
		ipVersion int
		nets      []mmdbNet
		cases     []lookupCase
	}{
		{
			name: "GeoLite2-ASN", dbType: "GeoLite2-ASN", ipVersion: 6,
			nets: []mmdbNet{
				{"192.0.2.0/24", maxmindASN(64500, "Example Telecom")},
				{"2001:db8::/32", maxmindASN(64501, "Example Six")},
			},
			cases: []lookupCase{
				{"192.0.2.1", asnAZ, true},
				{"::ffff:192.0.2.200", asnAZ, true},
				{"2001:db8:1::1", asnAZv6, true},
				{"198.51.100.1", IPInfo{}, false},
				{"2001:db9::1", IPInfo{}, false},
			},
		},
		{
			name: "GeoLite2-Country", dbType: "GeoLite2-Country", ipVersion: 6,
			nets: []mmdbNet{
				{"192.0.2.0/24", maxmindCountry("AZ")},
				{"2001:db8::/32", maxmindCountry("AZ")},
				// Only the registration country known, as for some
				// satellite providers.
				{"198.51.100.0/24", mmdbtype.Map{"registered_country": mmdbtype.Map{"iso_code": mmdbtype.String("DE")}}},
			},
			cases: []lookupCase{
				{"192.0.2.1", countryAZ, true},
				{"::ffff:192.0.2.1", countryAZ, true},
				{"2001:db8::1", countryAZ, true},
				{"198.51.100.7", countryDE, true},
				{"203.0.113.1", IPInfo{}, false},
			},
		},
		{
			name: "GeoIP2-City", dbType: "GeoIP2-City", ipVersion: 6,
			nets: []mmdbNet{{"192.0.2.0/24", maxmindCity("AZ")}},
			cases: []lookupCase{
				{"192.0.2.1", countryAZ, true},
				{"2001:db8::1", IPInfo{}, false},
			},
		},
		{
			name: "GeoIP2-Enterprise traits", dbType: "GeoIP2-Enterprise", ipVersion: 6,
			nets: []mmdbNet{{"192.0.2.0/24", func() mmdbtype.Map {
				r := maxmindCountry("AZ")
				r["traits"] = maxmindASN(64500, "Example Telecom")
				return r
			}()}},
			cases: []lookupCase{{"192.0.2.1", IPInfo{64500, "Example Telecom", "AZ"}, true}},
		},
		{
			name: "DB-IP ASN lite", dbType: "DBIP-ASN-Lite (compat=GeoLite2-ASN)", ipVersion: 6,
			nets:  []mmdbNet{{"192.0.2.0/24", maxmindASN(64500, "Example Telecom")}},
			cases: []lookupCase{{"192.0.2.1", asnAZ, true}},
		},
		{
			name: "DB-IP country lite", dbType: "DBIP-Country-Lite", ipVersion: 6,
			nets:  []mmdbNet{{"2001:db8::/32", maxmindCountry("AZ")}},
			cases: []lookupCase{{"2001:db8::1", countryAZ, true}},
		},
		{
			// ip-location-db publishes separate IPv4-only and IPv6 files.
			name: "ip-location-db country ipv4", dbType: "country ipv4", ipVersion: 4,
			nets: []mmdbNet{{"192.0.2.0/24", flatCountry("AZ")}},
			cases: []lookupCase{
				{"192.0.2.1", countryAZ, true},
				{"::ffff:192.0.2.1", countryAZ, true},
				{"2001:db8::1", IPInfo{}, false}, // IPv6 in an IPv4-only file
				{"198.51.100.1", IPInfo{}, false},
			},
		},
		{
			name: "ip-location-db country ipv6", dbType: "country ipv6", ipVersion: 6,
			nets:  []mmdbNet{{"2001:db8::/32", flatCountry("de")}},
			cases: []lookupCase{{"2001:db8::1", countryDE, true}, {"192.0.2.1", IPInfo{}, false}},
		},
		{
			name: "ip-location-db asn", dbType: "asn ipv4", ipVersion: 4,
			nets:  []mmdbNet{{"192.0.2.0/24", maxmindASN(64500, "Example Telecom")}},
			cases: []lookupCase{{"192.0.2.1", asnAZ, true}},
		},
		{
			name: "IPinfo country_asn", dbType: "ipinfo country_asn.mmdb", ipVersion: 6,
			nets: []mmdbNet{{"192.0.2.0/24", mmdbtype.Map{
				"asn": mmdbtype.String("AS64500"), "as_name": mmdbtype.String("Example Telecom"),
				"as_domain": mmdbtype.String("example.az"),
				"country":   mmdbtype.String("AZ"), "country_name": mmdbtype.String("Azerbaijan"),
			}}},
			cases: []lookupCase{{"192.0.2.1", IPInfo{64500, "Example Telecom", "AZ"}, true}},
		},
		{
			name: "IPinfo lite", dbType: "ipinfo lite.mmdb", ipVersion: 6,
			nets: []mmdbNet{{"2001:db8::/32", mmdbtype.Map{
				"asn": mmdbtype.String("AS64501"), "as_name": mmdbtype.String("Example Six"),
				"country": mmdbtype.String("Azerbaijan"), "country_code": mmdbtype.String("AZ"),
			}}},
			cases: []lookupCase{{"2001:db8::5", IPInfo{64501, "Example Six", "AZ"}, true}},
		},
		{
			// An unknown type is recognised from the first record's keys.
			name: "unknown type, flat record", dbType: "Acme-Geo", ipVersion: 6,
			nets:  []mmdbNet{{"192.0.2.0/24", flatCountry("AZ")}},
			cases: []lookupCase{{"192.0.2.1", countryAZ, true}},
		},
		{
			name: "unknown type, MaxMind record", dbType: "Acme-Country", ipVersion: 6,
			nets:  []mmdbNet{{"192.0.2.0/24", maxmindCountry("AZ")}},
			cases: []lookupCase{{"192.0.2.1", countryAZ, true}},
		},
		{
			// Third-party files in MaxMind's layout vary the number's type.
			name: "ASN as uint64 and as string", dbType: "GeoLite2-ASN", ipVersion: 6,
			nets: []mmdbNet{
				{"192.0.2.0/24", mmdbtype.Map{
					"autonomous_system_number":       mmdbtype.Uint64(64500),
					"autonomous_system_organization": mmdbtype.String("Example Telecom"),
				}},
				{"2001:db8::/32", mmdbtype.Map{
					"autonomous_system_number":       mmdbtype.String("AS64501"),
					"autonomous_system_organization": mmdbtype.String("Example Six"),
				}},
			},
			cases: []lookupCase{{"192.0.2.1", asnAZ, true}, {"2001:db8::1", asnAZv6, true}},
		},
		{
			name: "bad values read as unknown", dbType: "ipinfo test", ipVersion: 6,
			nets: []mmdbNet{{"192.0.2.0/24", mmdbtype.Map{
				"asn": mmdbtype.Map{"x": mmdbtype.Bool(true)}, "as_name": mmdbtype.String("orphan name"),
				"country": mmdbtype.String("Azerbaijan"),
			}}},
			cases: []lookupCase{{"192.0.2.1", IPInfo{}, false}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := openTestMMDB(t, tt.dbType, tt.ipVersion, tt.nets)
			checkLookups(t, m, tt.cases)
			if got := m.DatabaseType(); got != tt.dbType {
				t.Errorf("DatabaseType: got %q, want %q", got, tt.dbType)
			}
		})
	}
}

func TestOpenMMDBErrors(t *testing.T) {
	anon := writeMMDB(t, "GeoIP2-Anonymous-IP", 6, []mmdbNet{
		{"192.0.2.0/24", mmdbtype.Map{"is_anonymous": mmdbtype.Bool(true)}},
	})
	empty := writeMMDB(t, "Acme-Empty", 6, nil)
	tests := []struct {
		name, path, want string
	}{
		{"missing file", "/nonexistent/x.mmdb", "no such file"},
		{"no usable fields", anon, "no AS or country fields"},
		{"unknown and empty", empty, "holds no records"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := OpenMMDB(tt.path)
			if err == nil {
				m.Close()
				t.Fatalf("OpenMMDB: got no error, want one containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("OpenMMDB: got %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestMMDBInvalidAddr(t *testing.T) {
	m := openTestMMDB(t, "GeoLite2-ASN", 6, []mmdbNet{{"0.0.0.0/0", maxmindASN(1, "x")}})
	if got, ok := m.Lookup(netip.Addr{}); ok {
		t.Errorf("Lookup(zero Addr): got %+v, true; want false", got)
	}
}

// TestMMDBLookupAllocs pins the zero-allocation lookup: records come from
// a pool and repeated strings from the reader's cache.
func TestMMDBLookupAllocs(t *testing.T) {
	tests := []struct {
		name, dbType string
		record       mmdbtype.Map
	}{
		{"maxmind asn", "GeoLite2-ASN", maxmindASN(64500, "Example Telecom")},
		{"maxmind city", "GeoLite2-City", maxmindCity("AZ")},
		{"ip-location-db", "country ipv6", flatCountry("AZ")},
		{"ipinfo", "ipinfo lite.mmdb", mmdbtype.Map{
			"asn": mmdbtype.String("AS64500"), "as_name": mmdbtype.String("Example Telecom"),
			"country_code": mmdbtype.String("AZ"),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := openTestMMDB(t, tt.dbType, 6, []mmdbNet{{"192.0.2.0/24", tt.record}})
			a := netip.MustParseAddr("192.0.2.1")
			if _, ok := m.Lookup(a); !ok { // also fills the string cache
				t.Fatal("Lookup: got a miss, want a hit")
			}
			if n := testing.AllocsPerRun(100, func() { m.Lookup(a) }); n > 0 {
				t.Errorf("Lookup allocates %.1f times per call, want 0", n)
			}
		})
	}
}
