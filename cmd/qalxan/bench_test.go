package main

import (
	"strings"
	"testing"
	"time"
)

// The bench's generated reports are real Shadowserver reports: each
// day's parses into one event per row, seen on that day, under the
// file name Shadowserver would give it.
func TestBenchReportsParseAsTheirDay(t *testing.T) {
	dir := t.TempDir()
	for _, day := range []time.Time{time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)} {
		path := benchReportPath(dir, day)
		if !strings.HasSuffix(path, day.Format("2006-01-02")+"-scan_rdp-az-geo.csv") {
			t.Fatalf("report path %s", path)
		}
		if _, err := writeBenchReport(path, 50, day); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := cli(t, "", "parse", "--feed", "shadowserver", path)
		if code != 0 {
			t.Fatalf("parse: exit %d: %s", code, errOut)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 50 {
			t.Fatalf("%s: %d events, want 50", path, len(lines))
		}
		want := `"time.source":"` + day.Format("2006-01-02") + `T`
		for _, l := range lines {
			if !strings.Contains(l, want) || !strings.Contains(l, `"classification.identifier":"open-rdp"`) {
				t.Fatalf("event not of %s: %s", day.Format("2006-01-02"), l)
			}
		}
	}
}
