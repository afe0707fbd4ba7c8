package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestLookalikeGenerate(t *testing.T) {
	code, out, errOut := cli(t, "", "lookalike", "generate", "examplebank.az")
	if code != 0 || !strings.Contains(out, "homoglyph") || !strings.Contains(out, "xn--") || !strings.Contains(out, "examplebank.com.az") {
		t.Fatalf("generate: exit %d, stderr %q, out starts %.200q", code, errOut, out)
	}
	code, out, _ = cli(t, "", "lookalike", "generate", "ədliyyə.gov.az", "--json")
	if code != 0 {
		t.Fatalf("generate --json: exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var p struct{ Fuzzer, Domain, Unicode string }
	if err := json.Unmarshal([]byte(lines[0]), &p); err != nil || p.Fuzzer == "" || p.Domain == "" || p.Unicode == "" {
		t.Errorf("generate --json: first line %q: got %+v, %v; want fuzzer, domain and unicode", lines[0], p, err)
	}
	if len(lines) < 200 {
		t.Errorf("generate --json: got %d permutations, want hundreds", len(lines))
	}
}

func TestLookalikeScan(t *testing.T) {
	code, out, errOut := cli(t, "", "lookalike", "scan", "--brands", "testdata/lookalike/brands.txt", "--domains", "testdata/lookalike/domains.txt", "--json")
	if code != 0 {
		t.Fatalf("scan: exit %d, %q", code, errOut)
	}
	got := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var m struct {
			Domain, Brand string
			Score         int
			Reasons       []struct{ Code string }
		}
		if err := json.Unmarshal([]byte(line), &m); err != nil || m.Score == 0 || len(m.Reasons) == 0 {
			t.Fatalf("scan --json line %q: %+v, %v; want domain, brand, score, reasons", line, m, err)
		}
		got[m.Domain] = m.Brand
	}
	want := map[string]string{
		"kapitalbank-giris.site": "kapitalbank.az",
		"xn--exmplebank-0qi.az":  "examplebank.az",
		"birbank-bonus.xyz":      "kapitalbank.az",
		"www.birbank-bonus.xyz":  "kapitalbank.az",
	}
	if len(got) != len(want) {
		t.Errorf("scan: got %v, want %v", got, want)
	}
	for d, b := range want {
		if got[d] != b {
			t.Errorf("scan: %s matched %q, want %q", d, got[d], b)
		}
	}
	if !strings.Contains(errOut, "domains against 16 brands") || !strings.Contains(errOut, "4 look-alikes") {
		t.Errorf("scan: summary %q, want the counts", errOut)
	}

	code, out, _ = cli(t, "kapitalbank-giris.site\n", "lookalike", "scan", "--brands", "testdata/lookalike/brands.txt", "--domains", "-")
	if code != 0 || !strings.HasPrefix(out, "kapitalbank-giris.site\t") || !strings.Contains(out, "keyword: giris (+25)") {
		t.Errorf("scan from stdin: exit %d, %q", code, out)
	}
}

func TestLookalikeBadUsage(t *testing.T) {
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"lookalike", "generate"}, 2, "accepts 1 arg"},
		{[]string{"lookalike", "generate", "gov.az"}, 2, "no registrable part"},
		{[]string{"lookalike", "scan", "--domains", "-"}, 1, `required flag(s) "brands" not set`},
		{[]string{"lookalike", "scan", "--brands", "testdata/lookalike/missing.txt", "--domains", "-"}, 1, "no such file"},
		{[]string{"lookalike", "scan", "--brands", "testdata/lookalike/domains.txt", "--domains", "-"}, 1, "domains.txt:5"},
	}
	for _, c := range cases {
		code, _, stderr := cli(t, "", c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("qalxan %v: got exit %d, stderr %q; want exit %d and one line containing %q", c.args, code, stderr, c.code, c.want)
		}
	}
}
