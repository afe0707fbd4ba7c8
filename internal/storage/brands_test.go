package storage_test

import (
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/lookalike"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

func TestBrandsAndCandidates(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		bank := mustCreate(t, s, org("examplebank"))
		other := mustCreate(t, s, org("otherbank"))
		b := storage.Brand{Brand: lookalike.Brand{Name: "Example Bank", Domains: []string{"examplebank.az"}, Keywords: []string{"ebank"}}, OrgID: bank.ID}
		if err := s.CreateBrand(ctx, analyst, &b); err != nil {
			t.Fatal(err)
		}
		o := storage.Brand{Brand: lookalike.Brand{Domains: []string{"otherbank.az"}}, OrgID: other.ID}
		if err := s.CreateBrand(ctx, analyst, &o); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateBrand(ctx, analyst, &storage.Brand{OrgID: bank.ID}); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("brand without domains: got %v, want invalid", err)
		}

		agency := auth.Actor{Name: "officer", Role: auth.Agency, Scope: auth.Scope{OrgIDs: []int64{bank.ID}}}
		got, err := s.ListBrands(ctx, agency.Scope)
		if err != nil || len(got) != 1 || got[0].Name != "Example Bank" || got[0].Org != "examplebank" || got[0].Keywords[0] != "ebank" {
			t.Fatalf("agency's brands: got %+v, %v; want only Example Bank", got, err)
		}
		if _, err := s.GetBrand(ctx, agency.Scope, o.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("another organisation's brand: got %v, want not found", err)
		}

		m, err := lookalike.NewMatcher([]lookalike.Brand{b.Brand, o.Brand})
		if err != nil {
			t.Fatal(err)
		}
		var ms []lookalike.Match
		for _, d := range []string{"exаmplebank.az", "www.exаmplebank.az", "otherbank-login.xyz"} {
			if r, ok := m.Match(lookalike.Observation{Domain: d}); ok {
				ms = append(ms, r)
			}
		}
		// A fixed clock: the second sighting must come after the first
		// whatever day the test runs.
		s.Now = func() time.Time { return time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC) }
		created, err := s.RecordCandidates(ctx, ms)
		if err != nil || created != 2 {
			t.Fatalf("record: got %d new, %v; want 2 registered domains", created, err)
		}
		later := time.Now().UTC().Add(48 * time.Hour) // the first sighting was at the real now
		s.Now = func() time.Time { return later }
		if created, err := s.RecordCandidates(ctx, ms[:1]); err != nil || created != 0 {
			t.Fatalf("record again: got %d new, %v; want none", created, err)
		}
		cs, _, err := s.ListCandidates(ctx, agency.Scope, storage.CandidateFilter{})
		if err != nil || len(cs) != 1 || cs[0].Registered != "xn--exmplebank-0qi.az" || cs[0].Seen != 3 || cs[0].Status != lookalike.New || cs[0].Brand != "Example Bank" {
			t.Fatalf("agency's candidates: got %+v, %v; want one, seen 3 times, new", cs, err)
		}
		if !cs[0].LastSeen.After(cs[0].FirstSeen) || len(cs[0].Reasons) == 0 {
			t.Errorf("candidate: first %v last %v reasons %v; want last after first and reasons", cs[0].FirstSeen, cs[0].LastSeen, cs[0].Reasons)
		}
		if err := s.SetCandidateStatus(ctx, analyst, cs[0].ID, lookalike.Dismissed); err != nil {
			t.Fatal(err)
		}
		s.RecordCandidates(ctx, ms[:1])
		if cs, _, _ := s.ListCandidates(ctx, auth.Everything, storage.CandidateFilter{Status: lookalike.Dismissed}); len(cs) != 1 {
			t.Errorf("a dismissed candidate seen again: got %d dismissed, want it to stay dismissed", len(cs))
		}
		all, _, _ := s.ListCandidates(ctx, auth.Everything, storage.CandidateFilter{})
		for _, c := range all {
			if c.OrgID == other.ID {
				if err := s.SetCandidateStatus(ctx, agency, c.ID, lookalike.Confirmed); errs.CodeOf(err) != errs.NotFound {
					t.Errorf("agency triaging another organisation's candidate: got %v, want not found", err)
				}
			}
		}
		if err := s.DeleteBrand(ctx, agency, o.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("agency deleting another's brand: got %v, want not found", err)
		}
		if err := s.DeleteBrand(ctx, analyst, o.ID); err != nil {
			t.Fatal(err)
		}
		if all, _, _ := s.ListCandidates(ctx, auth.Everything, storage.CandidateFilter{}); len(all) != 1 {
			t.Errorf("after deleting a brand: got %d candidates, want its candidates gone", len(all))
		}
	})
}
