package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/config"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/lookalike"
	"github.com/qalxan/qalxan/internal/storage"
)

// TestLookalikeSources: a followed file of newly registered domains and a
// certstream list on a loopback server feed the brands' candidates; the
// strongest open one phishing incident per registered domain; a restart
// (a new recorder, the same database) reads nothing twice.
func TestLookalikeSources(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openTestStore(t, filepath.Join(dir, "q.db"))
	o := constituency.Org{ShortName: "examplebank", Name: "Example Bank", Sector: "finance", Language: "az", TLP: "amber"}
	if err := s.CreateOrg(ctx, auth.System, &o); err != nil {
		t.Fatal(err)
	}
	b := storage.Brand{Brand: lookalike.Brand{Name: "Example Bank", Domains: []string{"examplebank.az"}}, OrgID: o.ID}
	if err := s.CreateBrand(ctx, auth.System, &b); err != nil {
		t.Fatal(err)
	}
	nrd := filepath.Join(dir, "nrd.txt")
	os.WriteFile(nrd, []byte("examplebank-login.xyz\nflowers.az\nexamplebank-kart.az\n"), 0o600)
	ct := `{"data":{"leaf_cert":{"all_domains":["secure.examplebank-login.xyz","examplebank-verify.top"],"issuer":{"O":"Let's Encrypt"}}}}` + "\n"
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		if r.Header.Get("If-None-Match") == `"ct1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"ct1"`)
		fmt.Fprint(w, ct)
	}))
	defer srv.Close()
	cfg := config.DefaultLookalike()
	cfg.Sources = []config.LookalikeSource{{Name: "nrd", File: nrd}, {Name: "ct", URL: srv.URL + "/ct.jsonl", Format: "certstream"}}

	round := func() {
		t.Helper()
		rec := newLookalikeRecorder(s, cfg, incident.DefaultRules())
		for _, src := range observedSources(cfg.Sources) {
			if _, err := src.Round(ctx, sourceStates{s}, rec.sourceSink); err != nil {
				t.Fatalf("%s: %v", src.Name, err)
			}
		}
	}
	round()
	cs, _, err := s.ListCandidates(ctx, auth.Everything, storage.CandidateFilter{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]storage.Candidate{}
	for _, c := range cs {
		got[c.Registered] = c
	}
	if len(got) != 3 || got["examplebank-login.xyz"].Seen != 2 {
		t.Fatalf("candidates: got %+v; want login (seen twice), kart, verify", got)
	}
	for reg, c := range got {
		if wantInc := c.Score >= cfg.IncidentThreshold; wantInc != (c.IncidentID != 0) {
			t.Errorf("%s (score %d): incident %d; want one only from %d", reg, c.Score, c.IncidentID, cfg.IncidentThreshold)
		}
	}
	ins, _, err := s.ListIncidents(ctx, auth.Everything, incident.DefaultRules(), storage.IncidentFilter{})
	if err != nil || len(ins) != 2 {
		t.Fatalf("incidents: got %d, %v; want 2 (login and verify)", len(ins), err)
	}

	// A restart: nothing is read again, nothing opened again; what is
	// appended is read.
	f, _ := os.OpenFile(nrd, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("www.examplebank-login.xyz\n")
	f.Close()
	round()
	cs, _, _ = s.ListCandidates(ctx, auth.Everything, storage.CandidateFilter{})
	for _, c := range cs {
		if c.Registered == "examplebank-login.xyz" && (c.Seen != 3 || c.Domain != "www.examplebank-login.xyz") {
			t.Errorf("after the restart: login seen %d times, last as %s; want 3, www", c.Seen, c.Domain)
		}
		if c.Registered == "examplebank-kart.az" && c.Seen != 1 {
			t.Errorf("after the restart: kart seen %d times; want the file not read again", c.Seen)
		}
	}
	if ins, _, _ := s.ListIncidents(ctx, auth.Everything, incident.DefaultRules(), storage.IncidentFilter{}); len(ins) != 2 {
		t.Errorf("incidents after the restart: got %d, want still 2", len(ins))
	}
	if hits != 2 {
		t.Errorf("downloads: got %d requests, want 2 (the second conditional)", hits)
	}
	st, _ := s.LookalikeSourceState(ctx, "nrd")
	if st.Domains != 4 || st.Matched != 3 || !strings.Contains(st.FileID, ":") {
		t.Errorf("nrd state: got %+v; want 4 domains read, 3 matched", st)
	}
}
