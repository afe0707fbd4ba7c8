package enrich

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"
)

func loadString(t testing.TB, csv string) *RangeTable {
	t.Helper()
	tbl, err := LoadRanges(strings.NewReader(csv))
	if err != nil {
		t.Fatalf("LoadRanges: %v", err)
	}
	return tbl
}

func openFixture(t testing.TB, name string) *RangeTable {
	t.Helper()
	tbl, err := OpenRanges("testdata/" + name)
	if err != nil {
		t.Fatalf("OpenRanges(%s): %v", name, err)
	}
	if tbl.Skipped() != 0 {
		t.Fatalf("OpenRanges(%s): got bad lines %v, want none", name, tbl.BadLines())
	}
	return tbl
}

func TestRangeFixtures(t *testing.T) {
	telecom := IPInfo{ASN: 64500, ASName: "Example Telecom, LLC"}
	hosting := IPInfo{ASN: 64501, ASName: "Example Hosting"}
	tests := []struct {
		file  string
		cases []lookupCase
	}{
		{"asn-ipv4.csv", []lookupCase{
			{"192.0.2.0", telecom, true},
			{"192.0.2.127", telecom, true},
			{"192.0.2.128", hosting, true},
			{"::ffff:192.0.2.200", hosting, true},
			{"198.51.100.9", IPInfo{ASN: 64502, ASName: `Example "Quoted" Networks`}, true},
			{"203.0.113.255", IPInfo{ASN: 65536, ASName: "Example Thirty-Two"}, true},
			{"192.0.1.255", IPInfo{}, false}, // before the first range
			{"198.51.99.1", IPInfo{}, false}, // between ranges
			{"203.0.114.0", IPInfo{}, false}, // after the last
			{"2001:db8::1", IPInfo{}, false}, // no IPv6 in this file
		}},
		{"asn-ipv6.csv", []lookupCase{
			{"2001:db8::", telecom, true},
			{"2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", telecom, true},
			{"3fff:abc::1", hosting, true},
			{"2001:db9::", IPInfo{}, false},
			{"2001:db7:ffff::", IPInfo{}, false},
			{"192.0.2.1", IPInfo{}, false},
		}},
		{"geo-whois-asn-country-ipv4.csv", []lookupCase{
			{"192.0.2.77", countryAZ, true},
			{"198.51.100.127", IPInfo{CountryCode: "GE"}, true},
			{"198.51.100.128", IPInfo{CountryCode: "TR"}, true},
			{"10.0.0.1", IPInfo{}, false},
		}},
		{"geo-whois-asn-country-ipv6.csv", []lookupCase{
			{"2001:db8:1234::1", countryAZ, true},
			{"3fff::1", countryDE, true},
			{"::1", IPInfo{}, false},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			checkLookups(t, openFixture(t, tt.file), tt.cases)
		})
	}
}

func TestLoadRangesBadLines(t *testing.T) {
	csv := strings.Join([]string{
		"192.0.2.0,192.0.2.255,64500,Good",                // 1
		"192.0.2.x,192.0.2.255,64500,Bad start",           // 2
		"198.51.100.0,198.51.100.255",                     // 3
		"198.51.100.255,198.51.100.0,64501,Reversed",      // 4
		"198.51.100.0,2001:db8::1,64501,Mixed",            // 5
		"198.51.100.0,198.51.100.255,ASX,Bad AS",          // 6
		"198.51.100.0,198.51.100.255,Azerbaijan",          // 7
		`198.51.100.0,198.51.100.255,64501,"Unterminated`, // 8
		"",                                      // 9: blank, ignored
		"fe80::1%eth0,fe80::2,64501,Zone",       // 10
		"198.51.100.0,198.51.100.255,0,AS zero", // 11
		"203.0.113.0,203.0.113.255,AS64502,Prefixed AS",   // 12
		"2001:db8::,2001:db8::ffff,az",                    // 13
		`198.51.100.0,198.51.100.255,64501,"x"y`,          // 14
		`198.51.100.0,198.51.100.255,64501,x"y`,           // 15
		"198.51.100.0,198.51.100.255,99999999999,Too big", // 16
	}, "\n")
	tbl := loadString(t, csv)
	wantBad := []struct {
		line   int
		reason string
	}{
		{2, "start: "},
		{3, "want at least 3 fields"},
		{4, "is before start"},
		{5, "different IP versions"},
		{6, `"ASX" is neither an AS number`},
		{7, "neither an AS number nor a two-letter country code"},
		{8, "unterminated quoted field"},
		{10, "has a zone"},
		{11, `bad AS number "0"`},
		{14, "text after closing quote"},
		{15, "quote inside unquoted field"},
		{16, "bad AS number"},
	}
	got := tbl.BadLines()
	if len(got) != len(wantBad) || tbl.Skipped() != len(wantBad) {
		t.Fatalf("BadLines: got %d (%d skipped): %v; want %d", len(got), tbl.Skipped(), got, len(wantBad))
	}
	for i, w := range wantBad {
		if got[i].Line != w.line || !strings.Contains(got[i].Reason, w.reason) {
			t.Errorf("bad line %d: got %v, want line %d containing %q", i, got[i], w.line, w.reason)
		}
	}
	if got, want := tbl.Lines(), 16; got != want {
		t.Errorf("Lines: got %d, want %d", got, want)
	}
	checkLookups(t, tbl, []lookupCase{
		{"192.0.2.1", IPInfo{ASN: 64500, ASName: "Good"}, true},
		{"203.0.113.1", IPInfo{ASN: 64502, ASName: "Prefixed AS"}, true},
		{"2001:db8::1", countryAZ, true},
		{"198.51.100.1", IPInfo{}, false},
	})
}

func TestLoadRangesBadLinesCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString("192.0.2.0,192.0.2.255,AZ\n")
	for range 250 {
		b.WriteString("junk\n")
	}
	tbl := loadString(t, b.String())
	if got, want := tbl.Skipped(), 250; got != want {
		t.Errorf("Skipped: got %d, want %d", got, want)
	}
	if got, want := len(tbl.BadLines()), maxLineErrors; got != want {
		t.Errorf("len(BadLines): got %d, want %d", got, want)
	}
	if got, want := tbl.BadLines()[maxLineErrors-1].Line, maxLineErrors+1; got != want {
		t.Errorf("last kept bad line: got line %d, want %d", got, want)
	}
}

func TestLoadRangesNothingUsable(t *testing.T) {
	tests := []struct {
		name, csv, want string
	}{
		{"empty", "", "no usable IP ranges: no data lines"},
		{"header only", "start,end,asn,org\n", "no data lines"},
		{"all bad", "1.2.3.4\n1.2.3.4,1.2.3.5,?\n", "all 2 data lines are bad (first line 1: want at least 3 fields"},
		{"too long", "1.2.3.4,1.2.3.5,1," + strings.Repeat("x", maxLineLen), "line 1: longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadRanges(strings.NewReader(tt.csv))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("LoadRanges: got error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestLoadRangesTolerance(t *testing.T) {
	// A header, a byte-order mark, CRLF line ends, blank lines, spaces
	// around fields, an IPv4-mapped range and the city layout.
	csv := "\uFEFFip_range_start,ip_range_end,country_code\r\n" +
		"192.0.2.0, 192.0.2.255 ,az\r\n" +
		"\r\n" +
		"::ffff:198.51.100.0,::ffff:198.51.100.255,64500,Mapped\r\n" +
		"203.0.113.0,203.0.113.255,DE,Berlin,,Berlin,10115,52.5,13.4,Europe/Berlin\r\n"
	tbl := loadString(t, csv)
	if tbl.Skipped() != 0 {
		t.Fatalf("BadLines: got %v, want none", tbl.BadLines())
	}
	checkLookups(t, tbl, []lookupCase{
		{"192.0.2.9", countryAZ, true},
		{"198.51.100.9", IPInfo{ASN: 64500, ASName: "Mapped"}, true},
		{"203.0.113.9", countryDE, true},
	})
}

func TestLoadRangesOrderAndOverlap(t *testing.T) {
	a := func(n uint32, name string) IPInfo { return IPInfo{ASN: n, ASName: name} }
	tests := []struct {
		name   string
		csv    string
		ranges int // disjoint ranges after resolution
		cases  []lookupCase
	}{
		{
			name: "unsorted is sorted",
			csv: "203.0.113.0,203.0.113.255,3,C\n" +
				"192.0.2.0,192.0.2.255,1,A\n" +
				"198.51.100.0,198.51.100.255,2,B\n",
			ranges: 3,
			cases: []lookupCase{
				{"192.0.2.1", a(1, "A"), true},
				{"198.51.100.1", a(2, "B"), true},
				{"203.0.113.1", a(3, "C"), true},
			},
		},
		{
			name: "nested: narrowest wins, either order",
			csv: "192.0.2.64,192.0.2.127,2,Customer\n" +
				"192.0.2.0,192.0.2.255,1,Provider\n" +
				"192.0.2.100,192.0.2.100,3,Host\n",
			ranges: 5,
			cases: []lookupCase{
				{"192.0.2.0", a(1, "Provider"), true},
				{"192.0.2.63", a(1, "Provider"), true},
				{"192.0.2.64", a(2, "Customer"), true},
				{"192.0.2.99", a(2, "Customer"), true},
				{"192.0.2.100", a(3, "Host"), true},
				{"192.0.2.101", a(2, "Customer"), true},
				{"192.0.2.128", a(1, "Provider"), true},
				{"192.0.2.255", a(1, "Provider"), true},
			},
		},
		{
			name: "partial overlap: narrower wins where they meet",
			csv: "192.0.2.0,192.0.2.199,1,Wide\n" +
				"192.0.2.150,192.0.2.255,2,Narrow\n",
			ranges: 2,
			cases: []lookupCase{
				{"192.0.2.149", a(1, "Wide"), true},
				{"192.0.2.150", a(2, "Narrow"), true},
				{"192.0.2.199", a(2, "Narrow"), true},
				{"192.0.2.255", a(2, "Narrow"), true},
			},
		},
		{
			name: "equal width: later line wins",
			csv: "192.0.2.0,192.0.2.255,1,Old\n" +
				"192.0.2.0,192.0.2.255,2,Correction\n",
			ranges: 1,
			cases:  []lookupCase{{"192.0.2.1", a(2, "Correction"), true}},
		},
		{
			name: "pieces with the same answer are merged",
			csv: "192.0.2.0,192.0.2.255,1,A\n" +
				"192.0.2.0,192.0.2.127,1,A\n",
			ranges: 1,
			cases:  []lookupCase{{"192.0.2.200", a(1, "A"), true}},
		},
		{
			name: "ranges to the top of both spaces",
			csv: "255.255.255.0,255.255.255.255,1,Top4\n" +
				"255.255.255.255,255.255.255.255,2,Last4\n" +
				"ffff::,ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff,3,Top6\n" +
				"ffff::1,ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff,4,Narrower6\n",
			ranges: 4,
			cases: []lookupCase{
				{"255.255.255.254", a(1, "Top4"), true},
				{"255.255.255.255", a(2, "Last4"), true},
				{"ffff::", a(3, "Top6"), true},
				{"ffff::1", a(4, "Narrower6"), true},
				{"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", a(4, "Narrower6"), true},
			},
		},
		{
			name: "IPv6 overlap",
			csv: "2001:db8::,2001:db8:ffff:ffff:ffff:ffff:ffff:ffff,1,Block\n" +
				"2001:db8:1::,2001:db8:1:ffff:ffff:ffff:ffff:ffff,2,Customer\n",
			ranges: 3,
			cases: []lookupCase{
				{"2001:db8::1", a(1, "Block"), true},
				{"2001:db8:1::1", a(2, "Customer"), true},
				{"2001:db8:2::", a(1, "Block"), true},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tbl := loadString(t, tt.csv)
			if got := tbl.Len(); got != tt.ranges {
				t.Errorf("Len: got %d, want %d", got, tt.ranges)
			}
			checkLookups(t, tbl, tt.cases)
		})
	}
}

// TestOverlapMatchesReference checks the sweep against the definition,
// address by address, on random overlapping ranges in a small space.
func TestOverlapMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for round := range 200 {
		type in struct {
			start, end uint32
			asn        uint32
		}
		var ins []in
		var b strings.Builder
		for i := range 1 + rng.IntN(12) {
			s := uint32(rng.IntN(64))
			e := s + uint32(rng.IntN(20))
			ins = append(ins, in{s, e, uint32(1 + i%4)}) // repeated answers exercise merging
			fmt.Fprintf(&b, "10.0.0.%d,10.0.0.%d,%d,n%d\n", s, e, 1+i%4, 1+i%4)
		}
		tbl := loadString(t, b.String())
		for x := range uint32(90) {
			// Reference: the narrowest covering range; the later line
			// among equally narrow ones.
			var want IPInfo
			best := -1
			for i, r := range ins {
				if r.start <= x && x <= r.end &&
					(best < 0 || r.end-r.start <= ins[best].end-ins[best].start) {
					best = i
				}
			}
			if best >= 0 {
				want = IPInfo{ASN: ins[best].asn, ASName: fmt.Sprintf("n%d", ins[best].asn)}
			}
			got, ok := tbl.Lookup(netip.AddrFrom4([4]byte{10, 0, 0, byte(x)}))
			if got != want || ok != (best >= 0) {
				t.Fatalf("round %d, 10.0.0.%d: got %+v, %v; want %+v, %v\ninput:\n%s",
					round, x, got, ok, want, best >= 0, b.String())
			}
		}
	}
}

func TestRangeTableInvalidAddr(t *testing.T) {
	tbl := openFixture(t, "asn-ipv4.csv")
	if got, ok := tbl.Lookup(netip.Addr{}); ok {
		t.Errorf("Lookup(zero Addr): got %+v, true; want false", got)
	}
}

// TestIndex4 checks the /16 index against a plain binary search on a table
// big enough to get one, at bucket edges and at random.
func TestIndex4(t *testing.T) {
	ranges, is4, _ := benchData()
	tbl := loadString(t, benchCSV(ranges[:20_000], is4[:20_000]))
	if tbl.idx4 == nil {
		t.Fatalf("no index for %d IPv4 ranges", len(tbl.v4))
	}
	plain := *tbl
	plain.idx4 = nil
	rng := rand.New(rand.NewPCG(3, 4))
	var probes []uint32
	for _, r := range tbl.v4[:2000] {
		probes = append(probes, r.start, r.end, r.start-1, r.end+1, r.start&^0xffff, r.start|0xffff)
	}
	for range 100_000 {
		probes = append(probes, rng.Uint32())
	}
	probes = append(probes, 0, ^uint32(0))
	for _, x := range probes {
		a := numAddr(u128{lo: uint64(x)}, true)
		got, gotOK := tbl.Lookup(a)
		want, wantOK := plain.Lookup(a)
		if got != want || gotOK != wantOK {
			t.Fatalf("Lookup(%s): got %+v, %v with the index; want %+v, %v", a, got, gotOK, want, wantOK)
		}
	}
}
