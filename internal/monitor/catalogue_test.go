package monitor

import (
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/finding"
)

func TestCatalogueRejectsMistakes(t *testing.T) {
	for _, bad := range []string{
		"checks: [{id: a, family: https, title: {en: x, az: x, ru: x}, remediation: {en: x, az: x}}]",
		"checks: [{id: a, family: web, title: {en: x, az: x, ru: x}, remediation: {en: x, az: x, ru: x}}]",
		"checks: [{id: a, family: https, title: {en: x, az: x, ru: x}, remediation: {en: x, az: x, ru: x}}, {id: a, family: https}]",
		"checks: []\nprobes: [{check: nope, paths: [/x], match: x}]",
		"checks: [{id: a, family: https, title: {en: x, az: x, ru: x}, remediation: {en: x, az: x, ru: x}}]\nprobes: [{check: a, paths: [/x], match: '('}]",
	} {
		if _, err := parseCatalogue([]byte(bad)); err == nil {
			t.Errorf("%s: got no error", bad)
		}
	}
	if c, ok := Lookup("exposed-env"); !ok || c.Severity != finding.Critical || c.RemediationIn("ru") == c.RemediationIn("en") || c.TitleIn("xx") != c.Title["en"] {
		t.Errorf("exposed-env: got %+v", c)
	}
}

func TestParseTarget(t *testing.T) {
	tests := []struct {
		in, host, https, http, domain string
		addr                          bool
	}{
		{"https://127.0.0.1:8443/", "127.0.0.1", "https://127.0.0.1:8443/", "http://127.0.0.1/", "", true},
		{"http://portal.gov.az/login", "portal.gov.az", "https://portal.gov.az/login", "http://portal.gov.az/login", "", false},
		{"Example.GOV.az.", "example.gov.az", "https://example.gov.az/", "http://example.gov.az/", "example.gov.az", false},
		{"example.gov.az:8443", "example.gov.az", "https://example.gov.az:8443/", "http://example.gov.az/", "example.gov.az", false},
		{"2001:db8::1", "2001:db8::1", "https://[2001:db8::1]/", "http://[2001:db8::1]/", "", true},
	}
	for _, tc := range tests {
		got, err := ParseTarget(tc.in)
		if err != nil || got.Host != tc.host || got.HTTPS.String() != tc.https || got.HTTP.String() != tc.http || got.Domain != tc.domain || got.IsAddr != tc.addr {
			t.Errorf("%s: got %+v %v %v, %v", tc.in, got, got.HTTPS, got.HTTP, err)
		}
	}
	for _, bad := range []string{"", "ftp://x", "a b"} {
		if _, err := ParseTarget(bad); err == nil {
			t.Errorf("%q: got no error", bad)
		}
	}
}

func TestScoreAndGrade(t *testing.T) {
	all := []Result{result("header-csp", Fail, ""), result("header-x-frame-options", Fail, ""), result("hsts", Pass, "")}
	if s, g := Score(all); s != 55 || g != "C" {
		t.Errorf("got %d %s, want 55 C", s, g)
	}
	if s, g := Score(nil); s != 100 || g != "A+" {
		t.Errorf("got %d %s, want 100 A+", s, g)
	}
	if g := Grade(0); g != "F" {
		t.Errorf("got %s, want F", g)
	}
}

func TestFindingsOfAReport(t *testing.T) {
	rep := Report{Results: []Result{result("exposed-git", Fail, "x"), result("hsts", Pass, "y"), {Check: "open-port", Instance: "rdp", Status: Fail}}}
	seen := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	obs := Observations(rep, 7, false, "portal.gov.az", seen)
	if len(obs) != 2 || obs[0].Identifier != "monitor/exposed-git" || obs[1].Identifier != "monitor/open-port/rdp" || obs[0].Source != "monitor" ||
		obs[0].Type != "information-disclosure" || obs[0].OrgID != 7 || !obs[0].Seen.Equal(seen) {
		t.Fatalf("observations: got %+v", obs)
	}
	if keys := Passed(rep, 7, "portal.gov.az"); len(keys) != 1 || keys[0].Identifier != "monitor/hsts" {
		t.Errorf("passed: got %+v", keys)
	}
	p := Policy(finding.DefaultPolicy())
	for id, want := range map[string]finding.Severity{"monitor/exposed-env": finding.Critical, "monitor/open-port/rdp": finding.High,
		"monitor/caa": finding.Low, "monitor/unknown": finding.Medium, "accessible-rdp": finding.High} {
		if got := p.SeverityOf(id, "", "", false); got != want {
			t.Errorf("%s: got %s, want %s", id, got, want)
		}
	}
}
