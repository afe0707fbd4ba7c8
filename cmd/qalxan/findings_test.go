package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/storage"
)

func TestFindingsFromIngest(t *testing.T) {
	// One address owned (mdt's host 203.0.113.7): one finding.
	dir, dd, owned := ownedRDPSample(t)
	file := filepath.Join(dir, "2026-11-20-scan_rdp-az-geo.csv")
	os.WriteFile(file, []byte(owned), 0o600)
	ingest := func(name string, want string) {
		t.Helper()
		code, out, errOut := cli(t, "", append([]string{"ingest", name}, dd...)...)
		if code != 0 || !strings.Contains(out, want) {
			t.Fatalf("ingest %s: exit %d, %q, %q; want %q", name, code, out, errOut, want)
		}
	}
	ingest(file, "findings 1 opened, 0 refreshed, 0 reopened")
	list := func() []finding.Finding {
		t.Helper()
		code, out, errOut := cli(t, "", append([]string{"findings", "list", "--org", "mdt", "--json"}, dd...)...)
		if code != 0 {
			t.Fatalf("list: exit %d, %q", code, errOut)
		}
		var fs []finding.Finding
		dec := json.NewDecoder(strings.NewReader(out))
		for dec.More() {
			var f finding.Finding
			if err := dec.Decode(&f); err != nil {
				t.Fatalf("list: %v in %q", err, out)
			}
			fs = append(fs, f)
		}
		return fs
	}
	fs := list()
	if len(fs) != 1 || fs[0].Resource != "203.0.113.7:5678" || fs[0].Identifier != "open-rdp" || fs[0].Status != finding.Open || fs[0].Org != "mdt" {
		t.Fatalf("after ingest: got %+v", fs)
	}
	if code, out, _ := cli(t, "", append([]string{"findings", "list"}, dd...)...); code != 0 || !strings.Contains(out, "203.0.113.7:5678") {
		t.Errorf("table: exit %d, %q", code, out)
	}

	// The same report again: duplicates, nothing changes.
	ingest(file, "findings 0 opened, 0 refreshed, 0 reopened")
	if again := list(); len(again) != 1 || again[0].Count != 1 {
		t.Fatalf("after the same report: got %+v", again)
	}

	// The owner resolves it; a later report of the same gap reopens it.
	s, err := storage.Open(context.Background(), filepath.Join(dir, "qalxan.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.MoveFinding(context.Background(), auth.CLI, fs[0].ID, finding.Action{To: finding.Resolved}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	later := filepath.Join(dir, "2099-09-04-scan_rdp-az-geo.csv")
	os.WriteFile(later, []byte(strings.ReplaceAll(owned, `"2019-09-04 `, `"2099-09-04 `)), 0o600)
	ingest(later, "findings 0 opened, 0 refreshed, 1 reopened")
	if fs := list(); len(fs) != 1 || fs[0].Status != finding.Reopened || fs[0].Count != 2 {
		t.Fatalf("after a later report: got %+v", fs)
	}

	if code, out, errOut := cli(t, "", append([]string{"findings", "verify"}, dd...)...); code != 0 || !strings.HasPrefix(out, "0 findings closed") {
		t.Errorf("verify: exit %d, %q, %q", code, out, errOut)
	}
	if code, _, errOut := cli(t, "", append([]string{"findings", "list", "--status", "bogus"}, dd...)...); code != 2 || !strings.Contains(errOut, "--status") {
		t.Errorf("bad status: exit %d, %q", code, errOut)
	}
}

// TestIngestWithoutFindings: a back-fill with --no-findings stores the
// events and their owners but opens no finding; the same report ingested
// later is all duplicates, so it opens none either, while another report
// of the same host does.
func TestIngestWithoutFindings(t *testing.T) {
	dir, dd, owned := ownedRDPSample(t)
	old := filepath.Join(dir, "2026-11-20-scan_rdp-az-geo.csv")
	if err := os.WriteFile(old, []byte(owned), 0o600); err != nil {
		t.Fatal(err)
	}
	// The same host a day later.
	next := filepath.Join(dir, "2026-11-21-scan_rdp-az-geo.csv")
	if err := os.WriteFile(next, []byte(strings.ReplaceAll(owned, "2019-09-04 ", "2019-09-05 ")), 0o600); err != nil {
		t.Fatal(err)
	}
	ingest := func(want string, args ...string) {
		t.Helper()
		code, out, errOut := cli(t, "", append(append([]string{"ingest"}, args...), dd...)...)
		if code != 0 || !strings.HasPrefix(out, want) {
			t.Fatalf("ingest %v: exit %d, %q, %q; want %q...", args, code, out, errOut, want)
		}
	}
	findings := func() string {
		t.Helper()
		code, out, errOut := cli(t, "", append([]string{"findings", "list", "--json"}, dd...)...)
		if code != 0 {
			t.Fatalf("findings list: exit %d, %q", code, errOut)
		}
		return out
	}
	ingest("2 events, 0 duplicates, 0 bad rows, 1 owners found, no findings (--no-findings), ", "--no-findings", old)
	if out := findings(); strings.TrimSpace(out) != "" {
		t.Fatalf("after a back-fill: findings %q, want none", out)
	}
	ingest("0 events, 2 duplicates, 0 bad rows, 1 owners found, findings 0 opened, ", old)
	if out := findings(); strings.TrimSpace(out) != "" {
		t.Fatalf("after the back-filled report again: findings %q, want none", out)
	}
	ingest("2 events, 0 duplicates, 0 bad rows, 1 owners found, findings 1 opened, ", next)
	if out := findings(); !strings.Contains(out, "203.0.113.7:5678") {
		t.Fatalf("after a new report: findings %q, want the host's", out)
	}
}
