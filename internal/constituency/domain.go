package constituency

import (
	"strings"

	"golang.org/x/net/idna"

	"github.com/qalxan/qalxan/internal/errs"
)

// domainProfile converts names the way registries and resolvers do (UTS #46
// with transitional processing off), so "Ədliyyə.gov.az" and its punycode
// form are the same name.
var domainProfile = idna.New(
	idna.MapForLookup(),
	idna.Transitional(false),
	idna.StrictDomainName(false), // underscores occur in real DNS names (_dmarc)
	idna.BidiRule(),
)

// NormalizeDomain returns the canonical form of a DNS name: lower-case
// ASCII (punycode for IDNs), no trailing dot. A leading "*." is dropped: a
// domain resource already covers every name below it.
func NormalizeDomain(v string) (string, error) {
	s := strings.TrimSuffix(strings.TrimSpace(v), ".")
	s = strings.TrimPrefix(s, "*.")
	if s == "" || len(s) > 253 {
		return "", errs.E(errs.Invalid, "%q is not a domain name", v)
	}
	a, err := domainProfile.ToASCII(s)
	if err != nil {
		return "", errs.E(errs.Invalid, "%q is not a domain name: %v", v, err)
	}
	a = strings.ToLower(a)
	for _, label := range strings.Split(a, ".") {
		if label == "" || len(label) > 63 || strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") {
			return "", errs.E(errs.Invalid, "%q is not a domain name", v)
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return "", errs.E(errs.Invalid, "%q is not a domain name", v)
			}
		}
	}
	return a, nil
}

// DomainUnicode is the Unicode form of a canonical domain, for display.
func DomainUnicode(v string) string {
	if !strings.Contains(v, "xn--") {
		return v
	}
	u, err := idna.ToUnicode(v)
	if err != nil {
		return v
	}
	return u
}
