package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestIngest(t *testing.T) {
	// One of the sample's two addresses owned; the file named as
	// Shadowserver names it, so the feed and report type are recognised.
	dir, dd, owned := ownedRDPSample(t)
	file := filepath.Join(dir, "2026-11-20-scan_rdp-az-geo.csv")
	if err := os.WriteFile(file, []byte(owned), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "2026-11-20-scan_nothing-az-geo.csv")
	if err := os.WriteFile(bad, []byte(owned), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		code     int
		want     string // the summary starts so
		wantErrs string
	}{
		{"first", []string{file}, 0, "2 events, 0 duplicates, 0 bad rows, 1 owners found, ", ""},
		{"again", []string{"--feed", "shadowserver", file}, 0, "0 events, 2 duplicates, 0 bad rows, 1 owners found, ", ""},
		{"unknown report type", []string{bad}, 1, "0 events, 0 duplicates, 0 bad rows, 0 owners found, ", "quarantined"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := cli(t, "", append(append([]string{"ingest"}, tc.args...), dd...)...)
			if code != tc.code || !strings.HasPrefix(out, tc.want) || !strings.HasSuffix(out, " events/s\n") ||
				!strings.Contains(errOut, tc.wantErrs) {
				t.Errorf("got exit %d, %q, stderr %q; want %d, %q..., stderr with %q", code, out, errOut, tc.code, tc.want, tc.wantErrs)
			}
		})
	}
}

// ownedRDPSample imports the test registry into a new data directory and
// returns its --data-dir flags and the scan_rdp sample with one of its two
// addresses moved into the registry (mdt's host 203.0.113.7).
func ownedRDPSample(t *testing.T) (dir string, dd []string, owned string) {
	t.Helper()
	dir = t.TempDir()
	dd = []string{"--data-dir", dir}
	if code, _, errOut := cli(t, "", append([]string{"org", "import", "testdata/registry.yaml"}, dd...)...); code != 0 {
		t.Fatalf("import: exit %d, %q", code, errOut)
	}
	sample, err := os.ReadFile("../../internal/feed/shadowserver/testdata/scan_rdp.csv")
	if err != nil {
		t.Fatal(err)
	}
	return dir, dd, strings.Replace(string(sample), `"198.123.245.178"`, `"203.0.113.7"`, 1)
}
