package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/storage"
)

func TestIncidentPersonalData(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "q.db")
	code, out, errOut := cli(t, "", "incident", "create", "--db", db, "--title", "Customer records of a bank leaked", "--type", "data-leak",
		"--description", "Leak details: 4,000 names with passport numbers", "--observable", "email=leyla.victim@mail.example")
	if code != 0 || !strings.HasPrefix(out, "QLX-") {
		t.Fatalf("create: got %d %q %q", code, out, errOut)
	}
	ref := strings.Fields(out)[0]
	secrets := []string{"passport numbers", "leyla.victim@mail.example"}
	for _, args := range [][]string{{"incident", "show", ref}, {"incident", "show", ref, "--json"}, {"incident", "list", "--json"}} {
		code, out, _ := cli(t, "", append(args, "--db", db)...)
		if code != 0 || !strings.Contains(out, "[redacted]") {
			t.Errorf("%v: got %d %q, want the personal fields redacted", args, code, out)
		}
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("%v: got %q in %q, want it redacted", args, s, out)
			}
		}
		code, out, _ = cli(t, "", append(args, "--db", db, "--personal")...)
		if code != 0 || !strings.Contains(out, secrets[0]) {
			t.Errorf("%v --personal: got %d %q, want the details", args, code, out)
		}
	}
	s := openTestStore(t, db)
	defer s.Close()
	es, err := s.ListAudit(context.Background(), storage.AuditFilter{Action: "incident.personal_read"})
	if err != nil || len(es) != 3 {
		t.Errorf("audit: got %d incident.personal_read records (%v), want 3 (one per --personal read)", len(es), err)
	}
}
