package enrich

import (
	"net/netip"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// RegisteredDomain returns the domain a name was registered under: the
// public suffix plus one label ("www.mincom.gov.az" → "mincom.gov.az",
// "a.b.example.co.uk" → "example.co.uk"). That is the unit a registrar and
// a registrant deal in, so it is what a CERT reports abuse against.
//
// The result is lower case, without a trailing dot, and in punycode (a
// Unicode name is converted). Private suffixes in the list count as
// suffixes, so "user.github.io" is its own registered domain: GitHub does
// not answer for its users' pages. IP literals, bare public suffixes
// ("gov.az") and names that are not valid host names give false.
func RegisteredDomain(fqdn string) (string, bool) {
	name := strings.TrimSuffix(strings.TrimSpace(fqdn), ".")
	if name == "" {
		return "", false
	}
	// "[2001:db8::1]" is how a URL writes an IPv6 host.
	if _, err := netip.ParseAddr(strings.Trim(name, "[]")); err == nil {
		return "", false
	}
	ascii, ok := asciiName(name)
	if !ok {
		return "", false
	}
	// An all-numeric name such as "192.0.2" is not an address but has no
	// registrable part either; publicsuffix would make one up under the
	// implicit "*" rule.
	if !strings.ContainsFunc(ascii, isLetter) {
		return "", false
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(ascii)
	if err != nil {
		return "", false
	}
	return d, true
}

// asciiName lower-cases an ASCII name, or converts a Unicode one to
// punycode. ASCII names skip IDNA's STD3 rules on purpose: underscores are
// legal in DNS ("_dmarc.example.com") and common in malicious host names,
// which a CERT must still attribute.
func asciiName(name string) (string, bool) {
	for i := 0; i < len(name); i++ {
		if name[i] >= utf8.RuneSelf {
			a, err := idna.Lookup.ToASCII(name)
			return a, err == nil
		}
	}
	name = strings.ToLower(name)
	for _, label := range strings.Split(name, ".") {
		if label == "" || len(label) > 63 {
			return "", false
		}
		for i := 0; i < len(label); i++ {
			if c := label[i]; !isLetter(rune(c)) && !isDigit(c) && c != '-' && c != '_' {
				return "", false
			}
		}
	}
	return name, true
}

func isLetter(r rune) bool { return 'a' <= r && r <= 'z' }
