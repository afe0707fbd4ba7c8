package lookalike

import "strings"

// Permutation is one look-alike of a domain.
type Permutation struct {
	Fuzzer  string `json:"fuzzer"`
	Domain  string `json:"domain"`  // punycode, as a zone and a certificate have it
	Unicode string `json:"unicode"` // as a reader sees it
}

// Generate returns the look-alikes of domain made by every fuzzer, each
// once (tagged with the first fuzzer that made it), valid host names only,
// without the domain itself. The order is stable: fuzzer order, then the
// order each fuzzer makes them in.
func Generate(domain string) ([]Permutation, error) {
	n, err := splitName(domain)
	if err != nil {
		return nil, err
	}
	self, _, _ := ascii(n.join(n.label))
	seen := map[string]bool{self: true}
	var out []Permutation
	for _, f := range fuzzers {
		for _, c := range f.fn(n) {
			a, u, ok := ascii(c)
			if !ok || seen[a] {
				continue
			}
			seen[a] = true
			out = append(out, Permutation{Fuzzer: f.name, Domain: a, Unicode: u})
		}
	}
	return out, nil
}

// foldAz replaces the Azerbaijani letters with their first ASCII stand-in.
func foldAz(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { _, ok := azFold[r]; return ok }) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if f, ok := azFold[r]; ok {
			return f
		}
		return r
	}, s)
}
