package main

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"
)

// parse lets the heap grow further than the other commands before a
// collection (gc.go), and GOGC in the environment still decides.
func TestParseCollectsLessOften(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	file := filepath.Join(t.TempDir(), "2026-11-20-scan_rdp-az-geo.csv")
	if err := os.WriteFile(file, []byte(rdpReport), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		gogc string
		want int
	}{{"", gcParse}, {"75", 100}} {
		t.Setenv("GOGC", c.gogc)
		debug.SetGCPercent(100)
		if code, _, errOut := cli(t, "", "parse", "--feed", "shadowserver", file); code != 0 {
			t.Fatalf("parse: exit %d, %s", code, errOut)
		}
		if got := debug.SetGCPercent(100); got != c.want {
			t.Errorf("GOGC=%q: parse left the collector at %d %%, want %d %%", c.gogc, got, c.want)
		}
	}
	t.Setenv("GOGC", "75")
	setGCPercent(gcLean)
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC set, setGCPercent changed the collector to %d %%", got)
	}
}
