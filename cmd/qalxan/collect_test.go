package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCollectOnce(t *testing.T) {
	defer func(d time.Duration) { dropSettle = d }(dropSettle)
	dropSettle = 50 * time.Millisecond
	dir := t.TempDir()
	drop := filepath.Join(dir, "drop")
	partner := filepath.Join(dir, "partner")
	os.MkdirAll(drop, 0o750)
	os.MkdirAll(partner, 0o750)
	sample, err := os.ReadFile("../../internal/feed/shadowserver/testdata/scan_rdp.csv")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(drop, "2026-11-20-scan_rdp-az-geo.csv"), sample, 0o600)
	os.WriteFile(filepath.Join(drop, "garbage.txt"), []byte("nothing to see\n"), 0o600)
	os.WriteFile(filepath.Join(partner, "list-1.csv"), []byte("2026-11-20T01:02:03Z,198.51.100.9,ignored\n2026-11-20T01:02:04Z,198.51.100.10,x\n"), 0o600)
	cfg := filepath.Join(dir, "qalxan.yaml")
	os.WriteFile(cfg, []byte(`
data_dir: `+filepath.Join(dir, "data")+`
collectors:
  - {name: drop, kind: dropfolder, path: `+drop+`}
  - {name: partner, kind: file, path: `+filepath.Join(partner, "*.csv")+`, feed: partner-scans}
  - {name: ss, kind: shadowserver_api, api_key: "${TEST_SS_KEY}", secret: "${TEST_SS_SECRET}", url: "http://127.0.0.1:1/api2/"}
feeds:
  - name: partner-scans
    provider: Partner CERT
    columns: [time.source, source.ip, __IGNORE__]
    type: scanner
`), 0o600)
	t.Setenv("TEST_SS_KEY", "key-should-not-show")
	t.Setenv("TEST_SS_SECRET", "secret-should-not-show")
	c := []string{"--config", cfg}

	code, out, errOut := cli(t, "", append([]string{"collect", "--once", "--only", "drop"}, c...)...)
	if code != 0 || out != "drop: 2 reports, 2 events, 0 duplicates, 0 bad rows, 1 quarantined\n" {
		t.Fatalf("collect --once --only drop: got exit %d, %q, %q", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(drop, "done", "2026-11-20-scan_rdp-az-geo.csv")); err != nil {
		t.Errorf("the taken report is not in done/: %v", err)
	}
	if _, err := os.Stat(filepath.Join(drop, "done", "garbage.txt")); err != nil {
		t.Errorf("the quarantined report is not in done/ (it is in the archive): %v", err)
	}

	code, out, errOut = cli(t, "", append([]string{"collect", "--once"}, c...)...)
	wantLines := []string{
		"drop: 0 reports, 0 events, 0 duplicates, 0 bad rows, 0 quarantined",
		"partner: 1 reports, 2 events, 0 duplicates, 0 bad rows, 0 quarantined",
		"ss: 0 reports, 0 events, 0 duplicates, 0 bad rows, 0 quarantined; failed: collect: ss: reports/list: ",
	}
	for _, w := range wantLines {
		if !strings.Contains(out, w) {
			t.Errorf("collect --once: got %q, want a line %q", out, w)
		}
	}
	if code != 1 || !strings.Contains(errOut, "1 of 3 collectors failed") {
		t.Errorf("collect --once with a failing collector: got exit %d, %q; want 1 and the failure", code, errOut)
	}
	for _, s := range []string{"key-should-not-show", "secret-should-not-show"} {
		if strings.Contains(out+errOut, s) {
			t.Errorf("collect printed a credential: %q %q", out, errOut)
		}
	}
	// The configured feed is in the catalogue of the other commands too.
	if code, out, errOut := cli(t, "", append([]string{"parse", "--feed", "partner-scans", filepath.Join(partner, "list-1.csv")}, c...)...); code != 0 ||
		strings.Count(out, "\n") != 2 || !strings.Contains(out, `"feed.name":"partner-scans"`) {
		t.Errorf("parse --feed partner-scans: got exit %d, %q, %q", code, out, errOut)
	}
	if code, out, _ := cli(t, "", append([]string{"reports", "--source", "partner"}, c...)...); code != 0 || !strings.Contains(out, "partner-scans") {
		t.Errorf("reports --source partner: got exit %d, %q", code, out)
	}

	code, out, _ = cli(t, "", append([]string{"serve", "--print-config"}, c...)...)
	if code != 0 || strings.Contains(out, "should-not-show") || !strings.Contains(out, "api_key: REDACTED") {
		t.Errorf("serve --print-config: got exit %d,\n%s\nwant the credentials redacted", code, out)
	}
}

func TestCollectUsage(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "q.yaml")
	os.WriteFile(cfg, []byte("collectors:\n  - {name: drop, kind: dropfolder, path: "+dir+"}\n"), 0o600)
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("collectors:\n  - {name: drop, kind: dropfolder, url: https://x}\n"), 0o600)
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"collect", "--once", "--data-dir", dir}, 1, "no collectors configured"},
		{[]string{"collect", "--once", "--config", cfg, "--data-dir", dir, "--only", "nope"}, 2, "--only nope: no collector"},
		{[]string{"collect", "--config", bad, "--data-dir", dir}, 1, `collector "drop": url: not used by kind dropfolder`},
		{[]string{"collect", "extra"}, 2, "accepts 0 arg"},
	}
	for _, tc := range cases {
		code, _, errOut := cli(t, "", tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
			t.Errorf("qalxan %v: got exit %d, %q; want %d and one line with %q", tc.args, code, errOut, tc.code, tc.want)
		}
	}
}
