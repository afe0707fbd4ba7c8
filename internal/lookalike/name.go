package lookalike

import (
	"strings"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"

	"github.com/qalxan/qalxan/internal/errs"
)

// profile converts names as registries do (UTS #46, non-transitional), but
// strictly: a permutation must be a name one could register, so
// underscores and other STD3-invalid characters are refused.
var profile = idna.New(
	idna.MapForLookup(),
	idna.Transitional(false),
	idna.StrictDomainName(true),
	idna.BidiRule(),
	idna.ValidateLabels(true),
)

// name is a domain split where fraudsters split it: the subdomain they
// keep, the label they twist and the public suffix they swap.
type name struct {
	sub    string // "www" or "", in Unicode
	label  string // "examplebank", in Unicode (the fuzzers work on letters, not punycode)
	suffix string // "az", "gov.az", "com.az"
}

func (n name) join(label string) string { return joinName(n.sub, label, n.suffix) }

func joinName(sub, label, suffix string) string {
	if sub == "" {
		return label + "." + suffix
	}
	return sub + "." + label + "." + suffix
}

// splitName parses a domain (Unicode or punycode) into its parts.
func splitName(domain string) (name, error) {
	d := strings.TrimSuffix(strings.TrimSpace(domain), ".")
	a, err := profile.ToASCII(d)
	if err != nil || d == "" {
		return name{}, errs.E(errs.Invalid, "%q is not a domain name", domain)
	}
	reg, err := publicsuffix.EffectiveTLDPlusOne(a)
	if err != nil {
		return name{}, errs.E(errs.Invalid, "%q has no registrable part", domain)
	}
	suffix := reg[strings.IndexByte(reg, '.')+1:]
	sub := strings.TrimSuffix(strings.TrimSuffix(a, reg), ".")
	label := strings.TrimSuffix(reg, "."+suffix)
	u, _ := profile.ToUnicode(label)
	usub, _ := profile.ToUnicode(sub)
	return name{sub: usub, label: u, suffix: suffix}, nil
}

// ascii returns the registrable punycode form of a candidate and its
// Unicode form, or false when the candidate is not a valid host name.
func ascii(candidate string) (string, string, bool) {
	if a, ok := plainASCII(candidate); ok {
		return a, a, true
	}
	a, err := profile.ToASCII(candidate)
	if err != nil || len(a) > 253 {
		return "", "", false
	}
	for _, l := range strings.Split(a, ".") {
		if !validLabel(l) {
			return "", "", false
		}
	}
	u, err := profile.ToUnicode(a)
	if err != nil {
		return "", "", false
	}
	return a, u, true
}

// validLabel applies the host-name rules (RFC 1123) and refuses the
// reserved "ab--" form unless it is punycode.
func validLabel(l string) bool {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	if len(l) >= 4 && l[2:4] == "--" && !strings.HasPrefix(l, "xn--") {
		return false
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// plainASCII is the fast path of ascii for the common case, a name in
// lower-case letters, digits, hyphens and dots without punycode: IDNA
// would return it unchanged.
func plainASCII(s string) (string, bool) {
	if len(s) > 253 || strings.Contains(s, "xn--") {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return "", false
		}
	}
	for l := range strings.SplitSeq(s, ".") {
		if !validLabel(l) {
			return "", false
		}
	}
	return s, true
}
