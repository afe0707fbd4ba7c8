package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestIncidentCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "q.db")
	code, out, errOut := cli(t, "", "incident", "create", "--db", db, "--title", "Vishing as the bank's support", "--type", "masquerade",
		"--identifier", "vishing", "--people", "3000", "--spreading", "--observable", "phone=050 123 45 67", "--observable", "url=hxxps://bonus[.]example/")
	if code != 0 || !strings.HasPrefix(out, "QLX-") || !strings.Contains(out, "medium (score 4)") {
		t.Fatalf("create: got %d %q %q", code, out, errOut)
	}
	ref := strings.Fields(out)[0]
	code, out, _ = cli(t, "", "incident", "list", "--db", db, "--status", "open", "--observable", "phone:+994501234567")
	if code != 0 || !strings.Contains(out, ref) || !strings.Contains(out, "fraud/masquerade (vishing)") {
		t.Errorf("list: got %d %q", code, out)
	}
	code, out, _ = cli(t, "", "incident", "show", "--db", db, ref)
	for _, want := range []string{"severity medium (score 4", "people_affected  3000", "+994501234567", "https://bonus.example/", "vishing playbook"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("show: got no %q in %q", want, out)
		}
	}
	if code, _, errOut = cli(t, "", "incident", "create", "--db", db, "--title", "x", "--type", "nonsense"); code == 0 || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
		t.Errorf("bad type: got %d %q, want one line and non-zero", code, errOut)
	}
	if code, _, errOut = cli(t, "", "incident", "show", "--db", db, "QLX-2026-999999"); code == 0 || !strings.Contains(errOut, "not found") {
		t.Errorf("missing: got %d %q", code, errOut)
	}
}
