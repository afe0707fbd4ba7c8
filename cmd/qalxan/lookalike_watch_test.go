package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/lookalike"
	"github.com/qalxan/qalxan/internal/storage"
)

// TestIngestFindsLookalikes: the phishing URLs of an ingested feed that
// imitate a registered brand become candidates, one per registered
// domain, and ingesting the same feed again finds nothing new.
func TestIngestFindsLookalikes(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "q.db")
	dd := []string{"--db", db}
	if code, _, errOut := cli(t, "", append([]string{"org", "import", "testdata/registry.yaml"}, dd...)...); code != 0 {
		t.Fatalf("import: exit %d, %q", code, errOut)
	}
	s := openTestStore(t, db)
	ctx := context.Background()
	orgs, _, err := s.ListOrgs(ctx, auth.Everything, storage.OrgFilter{})
	if err != nil || len(orgs) == 0 {
		t.Fatalf("orgs: %v, %v", orgs, err)
	}
	b := storage.Brand{Brand: lookalike.Brand{Name: "Example Bank", Domains: []string{"examplebank.az"}}, OrgID: orgs[0].ID}
	if err := s.CreateBrand(ctx, auth.System, &b); err != nil {
		t.Fatal(err)
	}
	feed := filepath.Join(dir, "feed.txt")
	urls := "https://examplebank-login.xyz/az/giris\nhttps://www.examplebank-login.xyz/\nhttp://exаmplebank.az/login.php\nhttps://unrelated.example.com/x\nhttps://examplebank.az/\n"
	if err := os.WriteFile(feed, []byte(urls), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := cli(t, "", append([]string{"ingest", "--feed", "openphish", feed}, dd...)...)
	if code != 0 || !strings.Contains(errOut, "3 look-alike domains of protected brands, 2 new") {
		t.Fatalf("ingest: exit %d, stderr %q; want 3 matches of 2 registered domains", code, errOut)
	}
	cs, _, err := s.ListCandidates(ctx, auth.Everything, storage.CandidateFilter{})
	if err != nil || len(cs) != 2 {
		t.Fatalf("candidates: got %+v, %v; want 2", cs, err)
	}
	for _, c := range cs {
		if c.Brand != "Example Bank" || c.Score < lookalike.DefaultThreshold || c.Status != lookalike.New {
			t.Errorf("candidate %s: got brand %q score %d status %s", c.Registered, c.Brand, c.Score, c.Status)
		}
	}
	if code, _, errOut := cli(t, "", append([]string{"ingest", "--feed", "openphish", feed}, dd...)...); code != 0 || strings.Contains(errOut, "look-alike") {
		t.Errorf("ingest again: exit %d, stderr %q; want no new events and nothing found", code, errOut)
	}
}

func TestLookalikeAddBrands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "q.db")
	dd := []string{"--db", db}
	if code, _, errOut := cli(t, "", append([]string{"org", "import", "testdata/registry.yaml"}, dd...)...); code != 0 {
		t.Fatalf("import: exit %d, %q", code, errOut)
	}
	code, out, errOut := cli(t, "", append([]string{"lookalike", "add-brands", "--org", "mdt", "testdata/lookalike/brands.txt"}, dd...)...)
	if code != 0 || out != "16 brands of mdt registered\n" {
		t.Fatalf("add-brands: exit %d, %q, %q", code, out, errOut)
	}
	if code, _, errOut := cli(t, "", append([]string{"lookalike", "add-brands", "--org", "nobody", "testdata/lookalike/brands.txt"}, dd...)...); code != 1 || !strings.Contains(errOut, "nobody not found") {
		t.Errorf("add-brands to an unknown organisation: exit %d, %q", code, errOut)
	}
	s := openTestStore(t, db)
	if bs, err := s.ListBrands(context.Background(), auth.Everything); err != nil || len(bs) != 16 || bs[0].Org != "mdt" {
		t.Errorf("brands: got %d, %v", len(bs), err)
	}
}
