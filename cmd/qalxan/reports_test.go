package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ingestGoodAndBad ingests a Shadowserver report and one no feed
// recognises into a new data directory, and returns its flags.
func ingestGoodAndBad(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	dd := []string{"--data-dir", dir}
	sample, err := os.ReadFile("../../internal/feed/shadowserver/testdata/scan_rdp.csv")
	if err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "2026-11-20-scan_rdp-az-geo.csv")
	bad := filepath.Join(dir, "notes.txt")
	os.WriteFile(good, sample, 0o600)
	os.WriteFile(bad, []byte("this is not a feed\n"), 0o600)
	if code, _, errOut := cli(t, "", append([]string{"ingest", good}, dd...)...); code != 0 {
		t.Fatalf("ingest good: exit %d, %q", code, errOut)
	}
	if code, _, _ := cli(t, "", append([]string{"ingest", bad}, dd...)...); code != 1 {
		t.Fatalf("ingest bad: exit %d, want 1", code)
	}
	return dd
}

func TestReports(t *testing.T) {
	dd := ingestGoodAndBad(t)
	code, out, errOut := cli(t, "", append([]string{"reports", "--quarantined"}, dd...)...)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 2 || !strings.HasPrefix(lines[0], "ID ") || !strings.Contains(lines[1], "notes.txt") ||
		!strings.Contains(lines[1], "quarantined") || !strings.Contains(lines[1], "no feed recognises") {
		t.Errorf("reports --quarantined: got exit %d, %q, %q; want the header and the bad report with its reason", code, out, errOut)
	}

	code, out, _ = cli(t, "", append([]string{"reports", "--json"}, dd...)...)
	var got []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var r map[string]any
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("reports --json: line %q: %v", l, err)
		}
		got = append(got, r)
	}
	if code != 0 || len(got) != 2 || got[1]["feed"] != "shadowserver" || got[1]["status"] != "parsed" || got[1]["events"] != 2.0 ||
		got[0]["status"] != "quarantined" {
		t.Errorf("reports --json: got %v, want the quarantined report, then the parsed one with 2 events", got)
	}

	for _, args := range [][]string{{"--feed", "shadowserver"}, {"--since", "1h"}, {"--limit", "1"}} {
		code, out, _ := cli(t, "", append(append([]string{"reports"}, args...), dd...)...)
		if n := strings.Count(out, "\n"); code != 0 || (args[0] != "--since" && n != 2) || (args[0] == "--since" && n != 3) {
			t.Errorf("reports %v: got exit %d, %q", args, code, out)
		}
	}
	if code, _, errOut := cli(t, "", append([]string{"reports", "--since", "yesterday-ish"}, dd...)...); code != 2 || !strings.Contains(errOut, "--since") {
		t.Errorf("bad --since: got exit %d, %q; want 2 and the flag named", code, errOut)
	}
}
