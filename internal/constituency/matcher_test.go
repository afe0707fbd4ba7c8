package constituency

import (
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
)

// testOrg builds an organisation whose resources are normalised the way the
// registry stores them; the kind of each value is detected.
func testOrg(tb testing.TB, short string, values ...string) Org {
	tb.Helper()
	o := Org{ShortName: short}
	for _, v := range values {
		r := Resource{Value: v}
		if err := r.Normalize(); err != nil {
			tb.Fatalf("normalise %q: %v", v, err)
		}
		o.Resources = append(o.Resources, r)
	}
	return o
}

func testMatcher(tb testing.TB) *Matcher {
	tb.Helper()
	return NewMatcher([]Org{
		testOrg(tb, "gov", "gov.az", "10.0.0.0/8", "2001:db8::/32", "AS64500"),
		testOrg(tb, "edu", "edu.gov.az", "10.1.0.0/16", "2001:db8:1::/48"),
		testOrg(tb, "host", "10.1.2.3", "2001:db8:1::5"),
		testOrg(tb, "isp-a", "172.16.0.0/12", "192.0.2.0/24", "shared.az", "AS64501"),
		testOrg(tb, "isp-b", "172.16.5.0/24", "192.0.2.0/24", "shared.az", "AS64501"),
		testOrg(tb, "adliyye", "ədliyyə.gov.az"),
		testOrg(tb, "portal", "https://portal.gov.az/login", "http://10.9.9.9:8080/app/"),
		testOrg(tb, "admin", "https://portal.gov.az/login/admin", "https://[2001:db8:1::5]/x"),
		testOrg(tb, "mapped", "::ffff:198.51.100.0/120"), // stored as 198.51.100.0/24
	})
}

func checkOwners(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: got %q, want %q", what, got, want)
	}
	if !slices.IsSorted(got) {
		t.Errorf("%s: got %q, want it sorted", what, got)
	}
}

func TestMatchIP(t *testing.T) {
	m := testMatcher(t)
	tests := []struct {
		name, addr string
		want       []string
	}{
		{"v4 network", "10.200.0.1", []string{"gov"}},
		{"v4 longer prefix", "10.1.9.9", []string{"edu"}},
		{"v4 host beats network", "10.1.2.3", []string{"host"}},
		{"v4 next to host", "10.1.2.4", []string{"edu"}},
		{"v4 outside", "11.0.0.1", nil},
		{"overlap outer org", "172.17.0.1", []string{"isp-a"}},
		{"overlap inner org", "172.16.5.9", []string{"isp-b"}},
		{"two orgs same prefix", "192.0.2.77", []string{"isp-a", "isp-b"}},
		{"v6 network", "2001:db8:ffff::1", []string{"gov"}},
		{"v6 longer prefix", "2001:db8:1:2::1", []string{"edu"}},
		{"v6 host beats network", "2001:db8:1::5", []string{"host"}},
		{"v6 outside", "2001:db9::1", nil},
		{"v4-mapped v6 input", "::ffff:10.1.2.3", []string{"host"}},
		{"v4-mapped v6 resource", "198.51.100.20", []string{"mapped"}},
		{"v6 with zone", "2001:db8:1::5%eth0", []string{"host"}},
		{"v4 is not v6", "::10.1.2.3", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkOwners(t, tt.addr, m.MatchIP(netip.MustParseAddr(tt.addr)), tt.want)
		})
	}
	checkOwners(t, "zero Addr", m.MatchIP(netip.Addr{}), nil)
}

func TestMatchDomain(t *testing.T) {
	m := testMatcher(t)
	puny, err := NormalizeDomain("ədliyyə.gov.az")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, domain string
		want         []string
	}{
		{"exact", "gov.az", []string{"gov"}},
		{"below", "www.gov.az", []string{"gov"}},
		{"longest suffix exact", "edu.gov.az", []string{"edu"}},
		{"longest suffix below", "mail.edu.gov.az", []string{"edu"}},
		{"deep below", "a.b.c.mail.edu.gov.az", []string{"edu"}},
		{"label boundary", "notedu.gov.az", []string{"gov"}},
		{"not a parent", "gov.az.evil.com", nil},
		{"suffix without dot", "xgov.az", nil},
		{"parent of resource", "az", nil},
		{"trailing dot", "mail.edu.gov.az.", []string{"edu"}},
		{"upper case", "MAIL.Edu.GOV.AZ", []string{"edu"}},
		{"two orgs same domain", "x.shared.az", []string{"isp-a", "isp-b"}},
		{"IDN unicode", "ədliyyə.gov.az", []string{"adliyye"}},
		{"IDN unicode upper case", "ƏDLIYYƏ.GOV.AZ.", []string{"adliyye"}},
		{"IDN punycode", puny, []string{"adliyye"}},
		{"IDN punycode upper case", strings.ToUpper(puny), []string{"adliyye"}},
		{"IDN below", "mail." + puny, []string{"adliyye"}},
		{"wildcard", "*.edu.gov.az", []string{"edu"}},
		{"underscore label", "_dmarc.edu.gov.az", []string{"edu"}},
		{"unknown", "example.com", nil},
		{"empty", "", nil},
		{"dot", ".", nil},
		{"empty label", "a..gov.az", nil},
		{"leading hyphen", "-a.gov.az", nil},
		{"bad punycode", "xn--zz.gov.az", nil},
		{"space inside", "a b.gov.az", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkOwners(t, tt.domain, m.MatchDomain(tt.domain), tt.want)
		})
	}
}

// MatchDomain only probes depths some domain has; names of 63 labels or
// more share one depth bit and must still match.
func TestMatchDomainDepths(t *testing.T) {
	deep := strings.Repeat("a.", 69) + "az" // 70 labels
	deeper := strings.Repeat("b.", 60) + "a.a.a." + strings.Repeat("a.", 60) + "az"
	m := NewMatcher([]Org{
		testOrg(t, "tld", "az"),
		testOrg(t, "deep", deep),
		testOrg(t, "five", "a.b.c.d.e"),
	})
	tests := []struct {
		name, domain string
		want         []string
	}{
		{"one label", "az", []string{"tld"}},
		{"below one label", "x.y.z.az", []string{"tld"}},
		{"deep exact", deep, []string{"deep"}},
		{"below deep", "x." + deep, []string{"deep"}},
		{"64 labels, not below deep", strings.Repeat("a.", 63) + "az", []string{"tld"}},
		{"far below deep", strings.Repeat("b.", 50) + deep, []string{"deep"}},
		{"more than 63 above the match", deeper, []string{"tld"}},
		{"five labels", "x.a.b.c.d.e", []string{"five"}},
		{"not five labels", "b.c.d.e", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkOwners(t, tt.domain, m.MatchDomain(tt.domain), tt.want)
		})
	}
}

// The fast path must accept exactly what NormalizeDomain accepts unchanged;
// FuzzLookup checks the same on random input.
func TestCanonicalDomain(t *testing.T) {
	long := strings.Repeat("a", 63)
	for _, in := range []string{
		"gov.az", "gov.az.", "GOV.az", "_dmarc.gov.az", "a-b.az", "ab--c.az", "xn--a.az",
		"-a.az", "a-.az", "a..az", ".az", "az", "1.2.3.4", long + ".az", long + "a.az",
		strings.Repeat("a.", 126) + "a", strings.Repeat("a.", 126) + "ab", "a_b.az", "é.az",
	} {
		want, err := NormalizeDomain(in)
		got, ok := canonicalDomain(in)
		if ok != (err == nil) || got != want {
			t.Errorf("canonicalDomain(%q): got %q %v, want %q %v", in, got, ok, want, err == nil)
		}
	}
}

func TestMatchURL(t *testing.T) {
	m := testMatcher(t)
	tests := []struct {
		name, url string
		want      []string
	}{
		{"exact path", "https://portal.gov.az/login", []string{"portal"}},
		{"exact path trailing slash", "https://portal.gov.az/login/", []string{"portal"}},
		{"below path", "https://portal.gov.az/login/reset?x=1", []string{"portal"}},
		{"longest path wins", "https://portal.gov.az/login/admin/users", []string{"admin"}},
		{"path boundary", "https://portal.gov.az/loginx", []string{"gov"}},
		{"path boundary deeper", "https://portal.gov.az/login/administrator", []string{"portal"}},
		{"other path falls back to host", "https://portal.gov.az/news", []string{"gov"}},
		{"root falls back to host", "https://portal.gov.az", []string{"gov"}},
		{"scheme differs", "http://portal.gov.az/login", []string{"gov"}},
		{"port differs", "https://portal.gov.az:8443/login", []string{"gov"}},
		{"default port", "https://portal.gov.az:443/login", []string{"portal"}},
		{"case of scheme and host", "HTTPS://Portal.GOV.az/login", []string{"portal"}},
		{"path is case-sensitive", "https://portal.gov.az/LOGIN", []string{"gov"}},
		{"fragment ignored", "https://portal.gov.az/login#top", []string{"portal"}},
		{"ip host with port", "http://10.9.9.9:8080/app/x", []string{"portal"}},
		{"ip host other port", "http://10.9.9.9/app/x", []string{"gov"}},
		{"mapped ip host", "http://[::ffff:10.9.9.9]:8080/app", []string{"portal"}},
		{"v6 host", "https://[2001:db8:1::5]/x/y", []string{"admin"}},
		{"v6 host fallback", "https://[2001:db8:1::5]/z", []string{"host"}},
		{"IDN host", "https://ədliyyə.gov.az/", []string{"adliyye"}},
		{"other scheme falls back to host", "ftp://files.edu.gov.az/a", []string{"edu"}},
		{"userinfo ignored", "https://u:p@mail.edu.gov.az/", []string{"edu"}},
		{"unknown host", "https://example.com/login", nil},
		{"no host", "https:///login", nil},
		{"not a URL", "portal.gov.az/login", nil},
		{"bad host", "https://a..b/", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkOwners(t, tt.url, m.MatchURL(tt.url), tt.want)
		})
	}
}

func TestMatchASN(t *testing.T) {
	m := testMatcher(t)
	checkOwners(t, "AS64500", m.MatchASN(64500), []string{"gov"})
	checkOwners(t, "AS64501", m.MatchASN(64501), []string{"isp-a", "isp-b"})
	checkOwners(t, "AS64502", m.MatchASN(64502), nil)
}

func TestLookup(t *testing.T) {
	m := testMatcher(t)
	tests := []struct {
		value string
		want  []string
	}{
		{"10.1.2.3", []string{"host"}},
		{" 10.1.2.3\n", []string{"host"}},
		{"2001:db8:1::9", []string{"edu"}},
		{"::ffff:10.1.2.3", []string{"host"}},
		{"10.1.2.0/24", []string{"edu"}},               // covered by 10.1/16
		{"10.1.2.3/32", []string{"host"}},              // the host itself
		{"10.1.0.0/16", []string{"edu"}},               // exact
		{"10.0.0.0/7", nil},                            // wider than any resource
		{"10.1.2.3/8", []string{"gov"}},                // masked first
		{"::ffff:10.1.2.0/120", []string{"edu"}},       // mapped network
		{"172.16.0.0/16", []string{"isp-a"}},           // holds isp-b's /24, but only isp-a's /12 covers it all
		{"192.0.2.128/25", []string{"isp-a", "isp-b"}}, // shared
		{"2001:db8:1::/64", []string{"edu"}},           // v6 network
		{"https://portal.gov.az/login/x", []string{"portal"}},
		{"https://www.edu.gov.az/", []string{"edu"}},
		{"AS64500", []string{"gov"}},
		{"as64501", []string{"isp-a", "isp-b"}},
		{"AS64999", nil},
		{"mail.edu.gov.az", []string{"edu"}},
		{"Mail.ƏDLIYYƏ.gov.az.", []string{"adliyye"}},
		{"64500", nil}, // a bare number is a (foreign) domain name, as in DetectKind
	}
	for _, tt := range tests {
		checkOwners(t, "Lookup("+tt.value+")", m.Lookup(tt.value), tt.want)
	}
}

func TestLookupGarbage(t *testing.T) {
	m := testMatcher(t)
	for _, v := range []string{
		"", " ", ".", "..", "/", "//", "://", "10.0.0.0/33", "10.0.0/8", "fe80::1%eth0/64",
		"AS", "AS0", "AS4294967296", "ASx", "http://", "http://[::1", "http://%zz/",
		"\x00", "\xff\xfe", "💥", strings.Repeat("a", 300), strings.Repeat("a.", 200) + "gov.az",
		"gov.az/x", "*.", "*", "a b", "10.1.2.3 10.1.2.4",
	} {
		checkOwners(t, "Lookup("+v+")", m.Lookup(v), nil)
	}
}

func TestLenAndSkipped(t *testing.T) {
	m := testMatcher(t)
	if got, want := m.Len(), 23; got != want {
		t.Errorf("Len: got %d, want %d", got, want)
	}
	bad := NewMatcher([]Org{{ShortName: "x", Resources: []Resource{
		{Kind: KindCIDR, Value: "not a network"},
		{Kind: "bogus", Value: "gov.az"},
		{Kind: KindDomain, Value: "gov.az"},
	}}})
	if got, want := bad.Len(), 1; got != want {
		t.Errorf("Len with bad resources: got %d, want %d", got, want)
	}
	empty := NewMatcher(nil)
	if got := empty.Lookup("10.0.0.1"); got != nil {
		t.Errorf("empty matcher: got %q, want nil", got)
	}
	if got := empty.Len(); got != 0 {
		t.Errorf("empty matcher Len: got %d, want 0", got)
	}
}

// Owners of one set share their slice; the matcher must still hand back the
// right set for each key.
func TestSharedOwnerLists(t *testing.T) {
	m := testMatcher(t)
	a, b := m.Lookup("192.0.2.1"), m.Lookup("x.shared.az")
	checkOwners(t, "ip", a, []string{"isp-a", "isp-b"})
	checkOwners(t, "domain", b, []string{"isp-a", "isp-b"})
	if &a[0] != &b[0] {
		t.Errorf("equal owner sets: got two slices, want one shared")
	}
}

func TestConcurrentLookups(t *testing.T) {
	m := testMatcher(t)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 200 {
				if got := m.Lookup("mail.edu.gov.az"); !slices.Equal(got, []string{"edu"}) {
					t.Errorf("got %q, want [edu]", got)
					return
				}
				if got := m.Lookup("10.1.2.3"); !slices.Equal(got, []string{"host"}) {
					t.Errorf("got %q, want [host]", got)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestMatchDomainFastPathAllocs(t *testing.T) {
	m := testMatcher(t)
	if n := testing.AllocsPerRun(100, func() { m.MatchDomain("a.b.mail.edu.gov.az.") }); n != 0 {
		t.Errorf("MatchDomain allocations: got %v, want 0", n)
	}
	a := netip.MustParseAddr("10.1.2.3")
	if n := testing.AllocsPerRun(100, func() { m.MatchIP(a) }); n != 0 {
		t.Errorf("MatchIP allocations: got %v, want 0", n)
	}
}

func FuzzLookup(f *testing.F) {
	for _, s := range []string{
		"10.1.2.3", "::ffff:10.1.2.3", "2001:db8:1::5%eth0", "10.1.0.0/16", "::ffff:10.1.2.0/120",
		"AS64500", "as64501", "mail.edu.gov.az.", "ƏDLIYYƏ.gov.az", "xn--dliyy-6oa2ja.gov.az",
		"https://portal.gov.az/login/admin", "http://[::ffff:10.9.9.9]:8080/app", "*.gov.az",
		"ab--c.gov.az", "_dmarc.gov.az", "", "://", "\xff",
	} {
		f.Add(s)
	}
	m := testMatcher(f)
	f.Fuzz(func(t *testing.T, s string) {
		got := m.Lookup(s)
		if again := m.Lookup(s); !slices.Equal(got, again) {
			t.Fatalf("Lookup(%q): got %q then %q, want the same", s, got, again)
		}
		if !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
			t.Fatalf("Lookup(%q): got %q, want sorted and unique", s, got)
		}
		// The allocation-free path must agree with the full normalisation.
		want, err := NormalizeDomain(s)
		if d, ok := canonicalDomain(s); ok != (err == nil) || d != want {
			t.Fatalf("canonicalDomain(%q): got %q %v, want %q %v", s, d, ok, want, err == nil)
		}
	})
}
