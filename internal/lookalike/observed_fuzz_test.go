package lookalike

import (
	"strings"
	"testing"
)

// FuzzParseLine feeds arbitrary stream lines (domains, URLs, export rows,
// certstream JSON) through ParseLine and the matcher, as serve does with
// every line of a followed file or fetched list: nothing may panic, a
// line that is not JSON gives at most one name, and names carry no
// separator, port or upper case.
func FuzzParseLine(f *testing.F) {
	for _, s := range []string{
		"examplebank-login.xyz",
		"https://Examplebank-Login.xyz:8443/az/giris?x=1",
		"examplebank.online,2026-11-20,A",
		"xn--exmplebank-0qi.az\t2026-11-20",
		"# comment",
		"192.0.2.1",
		"[2001:db8::1]:443",
		`{"message_type":"certificate_update","data":{"leaf_cert":{"all_domains":["*.exаmplebank.az","exаmplebank.az"],"issuer":{"O":"Let's Encrypt"}}}}`,
		`{"data":{"leaf_cert":{"all_domains":["", "*.", "e-gov.az.", "ЕXAMPLEBANK.AZ"]}}}`,
		`{"broken`,
	} {
		f.Add(s)
	}
	m, err := NewMatcher([]Brand{{Name: "Example Bank", Domains: []string{"examplebank.az"}, Keywords: []string{"ebank"}}, {Name: "e-Gov", Domains: []string{"e-gov.az"}}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, line string) {
		obs := ParseLine(line)
		json := strings.HasPrefix(strings.TrimSpace(line), "{")
		if !json && len(obs) > 1 {
			t.Fatalf("ParseLine(%q): %d names from one plain line", line, len(obs))
		}
		for _, o := range obs {
			if !json && (strings.ContainsAny(o.Domain, " \t,/:") || o.Domain != strings.ToLower(o.Domain)) {
				t.Fatalf("ParseLine(%q): name %q is not a bare lower-case host", line, o.Domain)
			}
			if r, ok := m.Match(o); ok && (r.Score <= 0 || len(r.Reasons) == 0) {
				t.Fatalf("Match(%q): a match without a score or reasons: %+v", o.Domain, r)
			}
		}
	})
}
