package lookalike

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the current output")

// goldenDomains cover an ASCII bank, an IDN state service under a second
// level suffix, a hyphenated name and a subdomain.
var goldenDomains = []string{"examplebank.az", "ədliyyə.gov.az", "e-gov.az", "my.gov.az", "online.kapitalbank.az"}

func TestGenerateGolden(t *testing.T) {
	for _, d := range goldenDomains {
		perms, err := Generate(d)
		if err != nil {
			t.Fatalf("Generate(%q): %v", d, err)
		}
		var b strings.Builder
		for _, p := range perms {
			fmt.Fprintf(&b, "%s\t%s\t%s\n", p.Fuzzer, p.Domain, p.Unicode)
		}
		path := filepath.Join("testdata", "golden", d+".tsv")
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update)", err)
		}
		if b.String() != string(want) {
			t.Errorf("Generate(%q) differs from %s (run with -update and review the diff)", d, path)
		}
	}
}

func TestGenerateEveryFuzzerContributes(t *testing.T) {
	perms, err := Generate("examplebank.az")
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]int{}
	for _, p := range perms {
		by[p.Fuzzer]++
	}
	for _, f := range FuzzerNames() {
		if by[f] == 0 {
			t.Errorf("fuzzer %s: got no permutations of examplebank.az, want some", f)
		}
	}
}

func TestGenerateIsValidAndUnique(t *testing.T) {
	for _, d := range goldenDomains {
		perms, err := Generate(d)
		if err != nil {
			t.Fatal(err)
		}
		self, _, _ := ascii(d)
		seen := map[string]bool{}
		for _, p := range perms {
			if seen[p.Domain] {
				t.Errorf("%s: %s twice", d, p.Domain)
			}
			seen[p.Domain] = true
			if p.Domain == self {
				t.Errorf("%s: the domain itself is among its permutations", d)
			}
			for _, l := range strings.Split(p.Domain, ".") {
				if !validLabel(l) {
					t.Errorf("%s: %s (%s) has an invalid label %q", d, p.Domain, p.Fuzzer, l)
				}
			}
			if a, u, ok := ascii(p.Unicode); !ok || a != p.Domain || u != p.Unicode {
				t.Errorf("%s: %s and %s are not one name", d, p.Domain, p.Unicode)
			}
		}
	}
}

func TestGenerateExpected(t *testing.T) {
	cases := []struct{ domain, fuzzer, want string }{
		{"examplebank.az", "homoglyph", "exаmplebank.az"},  // Cyrillic а
		{"examplebank.az", "homoglyph", "examp1ebank.az"},  // digit one
		{"examplebank.az", "homoglyph", "exarnplebank.az"}, // rn for m
		{"examplebank.az", "homoglyph", "examplebənk.az"},  // Azerbaijani ə for a
		{"ədliyyə.gov.az", "homoglyph", "edliyye.gov.az"},  // ASCII stand-ins everywhere
		{"ədliyyə.gov.az", "homoglyph", "adliyya.gov.az"},
		{"examplebank.az", "replacement", "examplebanl.az"},
		{"examplebank.az", "replacement", "exampıebank.az"}, // Azerbaijani keyboard: ı next to l
		{"examplebank.az", "dictionary", "examplebank-onlayn.az"},
		{"examplebank.az", "tld-swap", "examplebank.com.az"},
		{"examplebank.az", "various", "examplebankaz.com"},
		{"e-gov.az", "transposition", "-egov.az"},
		{"my.gov.az", "various", "my-gov.az"},
		{"examplebank.az", "subdomain", "example.bank.az"},
		{"examplebank.az", "bitsquatting", "gxamplebank.az"},
	}
	got := map[string]map[string]string{}
	for _, c := range cases {
		if got[c.domain] == nil {
			perms, err := Generate(c.domain)
			if err != nil {
				t.Fatal(err)
			}
			got[c.domain] = map[string]string{}
			for _, p := range perms {
				got[c.domain][p.Unicode] = p.Fuzzer
			}
		}
		f, ok := got[c.domain][c.want]
		if strings.HasPrefix(c.want, "-") {
			if ok {
				t.Errorf("%s: got %s from %s, want no label starting with a hyphen", c.domain, c.want, f)
			}
			continue
		}
		if f != c.fuzzer {
			t.Errorf("%s: %s made by %q, want %q", c.domain, c.want, f, c.fuzzer)
		}
	}
}

func TestGenerateRefusesNonDomains(t *testing.T) {
	for _, d := range []string{"", "az", "gov.az", "exa mple.az", "a_b.az", "-x.az"} {
		if _, err := Generate(d); err == nil {
			t.Errorf("Generate(%q): got no error, want one", d)
		}
	}
}
