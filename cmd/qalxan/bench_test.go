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
		if _, err := writeBenchReport(path, 50, day, day.Day()%2 == 0); err != nil {
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

// Both orders give every row of a million a distinct address, about half
// of them in the default constituency (10.0.0.0–10.39.15.255); the
// scattered order's batches of 5,000 spread over the whole range, where
// the ascending order's stay within a sixth of it.
func TestBenchAddresses(t *testing.T) {
	const rows, batch = 1_000_000, 5000
	const owned = 10<<24 + 40<<16 - 256 // 10.39.15.255 and below
	for _, scatter := range []bool{false, true} {
		seen := make(map[uint32]bool, rows)
		in := 0
		for i := range rows {
			ip := benchAddress(i, scatter)
			if seen[ip] {
				t.Fatalf("scatter %v: row %d repeats %08x", scatter, i, ip)
			}
			seen[ip] = true
			if ip>>24 != 10 || ip-10<<24 >= benchAddresses {
				t.Fatalf("scatter %v: row %d address %08x outside 10.0.0.0–10.77.255.255", scatter, i, ip)
			}
			if ip <= owned {
				in++
			}
		}
		if in < rows*45/100 || in > rows*56/100 {
			t.Errorf("scatter %v: %d of %d addresses in the constituency, want about half", scatter, in, rows)
		}
		lo, hi := uint32(1<<32-1), uint32(0)
		for i := range batch {
			ip := benchAddress(7*batch+i, scatter)
			lo, hi = min(lo, ip), max(hi, ip)
		}
		if wide := hi-lo > benchAddresses*9/10; wide != scatter {
			t.Errorf("scatter %v: a batch spans %d of %d addresses", scatter, hi-lo, benchAddresses)
		}
	}
}
