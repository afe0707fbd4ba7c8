package collect_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/collect"
)

func TestFiles(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.json")
	os.WriteFile(a, []byte("x,y\n"), 0o600)
	os.WriteFile(b, []byte("[]"), 0o600)
	var s sink
	mustCollect(t, &collect.Files{Paths: []string{a, b}, Now: fixedNow}, s.handle)
	if got, want := s.names(), []string{"a.csv", "b.json"}; !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	r := s.reports[0]
	if r.Body != "x,y\n" || r.Source != "file" || r.Meta[collect.MetaPath] != a || !r.ReceivedAt.Equal(fixedNow()) {
		t.Errorf("got %+v, want a.csv's content from source file at %s", r, fixedNow())
	}
	if err := (&collect.Files{Paths: []string{filepath.Join(dir, "missing.csv")}}).Collect(ctx, s.handle); err == nil {
		t.Error("missing file: got no error, want one")
	}
	if err := (&collect.Files{Paths: []string{dir}}).Collect(ctx, s.handle); err == nil {
		t.Error("directory: got no error, want one")
	}
}

func TestStdin(t *testing.T) {
	var s sink
	mustCollect(t, &collect.Stdin{FileName: "2026-11-20-scan_rdp-az-geo.csv", Reader: strings.NewReader("a\n")}, s.handle)
	if len(s.reports) != 1 || s.reports[0].Name != "2026-11-20-scan_rdp-az-geo.csv" || s.reports[0].Body != "a\n" || s.reports[0].Source != "stdin" {
		t.Errorf("got %+v, want one report named after the flag with body a", s.reports)
	}
}
