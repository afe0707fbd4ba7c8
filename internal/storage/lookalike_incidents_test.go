package storage_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/lookalike"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

// TestCandidateIncidents: a look-alike opens one phishing incident per
// registered domain, however often it is seen or asked for; an open
// incident already naming the domain is linked rather than doubled; an
// agency cannot open one, a scoped analyst not for another organisation.
func TestCandidateIncidents(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		rules := incident.DefaultRules()
		bank := mustCreate(t, s, org("examplebank"))
		other := mustCreate(t, s, org("otherbank"))
		b := storage.Brand{Brand: lookalike.Brand{Name: "Example Bank", Domains: []string{"examplebank.az"}}, OrgID: bank.ID}
		if err := s.CreateBrand(ctx, analyst, &b); err != nil {
			t.Fatal(err)
		}
		m, err := lookalike.NewMatcher([]lookalike.Brand{b.Brand})
		if err != nil {
			t.Fatal(err)
		}
		var ms []lookalike.Match
		var regs []string
		for _, d := range []string{"examplebank-login.xyz", "www.examplebank-login.xyz", "examplebank-verify.top", "examplebank-kart.az"} {
			r, ok := m.Match(lookalike.Observation{Domain: d})
			if !ok {
				t.Fatalf("%s does not match", d)
			}
			ms = append(ms, r)
			regs = append(regs, r.Registered)
		}
		if _, err := s.RecordCandidates(ctx, ms); err != nil {
			t.Fatal(err)
		}
		cs, _, _ := s.ListCandidates(ctx, auth.Everything, storage.CandidateFilter{})
		byReg := map[string]storage.Candidate{}
		for _, c := range cs {
			byReg[c.Registered] = c
		}
		login := byReg["examplebank-login.xyz"]
		if login.Score < 100 || byReg["examplebank-kart.az"].Score >= 100 {
			t.Fatalf("scores: login %d, kart %d; the test wants one at or above 100 and one below", login.Score, byReg["examplebank-kart.az"].Score)
		}

		// An open incident from a report already names one domain: it is
		// linked, not doubled.
		hand, err := s.CreateIncident(ctx, analyst, rules, storage.NewIncident{
			Incident:    incident.Incident{Title: "Citizen report: fake bank page", Classification: incident.Classification{Type: "phishing"}, OrgIDs: []int64{bank.ID}},
			Observables: []incident.Observable{{Kind: incident.KindDomain, Value: "examplebank-verify.top"}},
		})
		if err != nil {
			t.Fatal(err)
		}

		opened, err := s.OpenCandidateIncidents(ctx, rules, regs, 100)
		if err != nil || opened != 1 {
			t.Fatalf("automatic incidents: got %d, %v; want 1 new (one linked, the low score left)", opened, err)
		}
		if opened, err := s.OpenCandidateIncidents(ctx, rules, regs, 100); err != nil || opened != 0 {
			t.Fatalf("seen again: got %d new incidents, %v; want none", opened, err)
		}
		got, err := s.GetCandidate(ctx, auth.Scope{OrgIDs: []int64{bank.ID}}, login.ID)
		if err != nil || got.IncidentID == 0 || !strings.HasPrefix(got.IncidentRef, "QLX-") {
			t.Fatalf("candidate after: got %+v, %v; want its incident", got, err)
		}
		in, err := s.GetIncident(ctx, auth.Scope{OrgIDs: []int64{bank.ID}}, rules, got.IncidentID)
		if err != nil {
			t.Fatal(err)
		}
		if in.Taxonomy != "fraud" || in.Type != "phishing" || in.Identifier != lookalike.IncidentIdentifier || len(in.OrgIDs) != 1 || in.OrgIDs[0] != bank.ID ||
			!strings.Contains(in.Description, "score "+strconv.Itoa(login.Score)) || !strings.Contains(in.Description, "keyword") || in.CreatedBy != "system" {
			t.Errorf("incident: got %+v", in)
		}
		obs, _ := s.IncidentObservables(ctx, auth.Everything, in.ID)
		var values []string
		for _, o := range obs {
			values = append(values, string(o.Kind)+":"+o.Value)
		}
		if strings.Join(values, ",") != "domain:examplebank-login.xyz,domain:www.examplebank-login.xyz" {
			t.Errorf("observables: got %v", values)
		}
		linked, _ := s.GetCandidate(ctx, auth.Everything, byReg["examplebank-verify.top"].ID)
		if linked.IncidentID != hand.ID {
			t.Errorf("candidate named by a report: got incident %d, want the reported one %d", linked.IncidentID, hand.ID)
		}

		// By hand: the low score gets one; asking again gives the same.
		kart := byReg["examplebank-kart.az"].ID
		agency := auth.Actor{Name: "officer", Role: auth.Agency, Scope: auth.Scope{OrgIDs: []int64{bank.ID}}}
		if _, _, err := s.OpenCandidateIncident(ctx, agency, rules, kart); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("agency: got %v, want forbidden", err)
		}
		scoped := auth.Actor{Name: "other-analyst", Role: auth.Analyst, Scope: auth.Scope{OrgIDs: []int64{other.ID}}}
		if _, _, err := s.OpenCandidateIncident(ctx, scoped, rules, kart); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("analyst of another organisation: got %v, want not found", err)
		}
		first, created, err := s.OpenCandidateIncident(ctx, analyst, rules, kart)
		if err != nil || !created || first.CreatedBy != "tester" {
			t.Fatalf("by hand: got %+v %v %v", first, created, err)
		}
		again, created, err := s.OpenCandidateIncident(ctx, analyst, rules, kart)
		if err != nil || created || again.ID != first.ID {
			t.Fatalf("by hand again: got %d (created %v), %v; want %d", again.ID, created, err, first.ID)
		}
		if _, _, err := s.OpenCandidateIncident(ctx, analyst, rules, 999999); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("no such candidate: got %v, want not found", err)
		}
	})
}

func TestLookalikeSourceState(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		st, err := s.LookalikeSourceState(ctx, "ct")
		if err != nil || st.Offset != 0 || st.Name != "ct" {
			t.Fatalf("new source: got %+v, %v", st, err)
		}
		st.FileID, st.Offset = "1:2", 4096
		if err := s.SaveLookalikeSourceState(ctx, st, 100, 3); err != nil {
			t.Fatal(err)
		}
		st.Offset, st.ETag = 8192, `"x"`
		if err := s.SaveLookalikeSourceState(ctx, st, 50, 1); err != nil {
			t.Fatal(err)
		}
		got, err := s.LookalikeSourceState(ctx, "ct")
		if err != nil || got.Offset != 8192 || got.FileID != "1:2" || got.ETag != `"x"` || got.Domains != 150 || got.Matched != 4 {
			t.Fatalf("got %+v, %v; want offset 8192, 150 domains, 4 matched", got, err)
		}
	})
}

// TestCandidateIncidentRace: several nodes (goroutines here) opening the
// incident of one candidate at once open one incident between them.
func TestCandidateIncidentRace(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		rules := incident.DefaultRules()
		bank := mustCreate(t, s, org("examplebank"))
		b := storage.Brand{Brand: lookalike.Brand{Name: "Example Bank", Domains: []string{"examplebank.az"}}, OrgID: bank.ID}
		if err := s.CreateBrand(ctx, analyst, &b); err != nil {
			t.Fatal(err)
		}
		m, _ := lookalike.NewMatcher([]lookalike.Brand{b.Brand})
		r, _ := m.Match(lookalike.Observation{Domain: "examplebank-login.xyz"})
		if _, err := s.RecordCandidates(ctx, []lookalike.Match{r}); err != nil {
			t.Fatal(err)
		}
		cs, _, _ := s.ListCandidates(ctx, auth.Everything, storage.CandidateFilter{})
		const n = 4
		ids := make(chan int64, n)
		created := make(chan bool, n)
		errc := make(chan error, n)
		for range n {
			go func() {
				in, c, err := s.OpenCandidateIncident(ctx, analyst, rules, cs[0].ID)
				ids <- in.ID
				created <- c
				errc <- err
			}()
		}
		first, news := int64(0), 0
		for range n {
			id, c, err := <-ids, <-created, <-errc
			if err != nil {
				t.Fatal(err)
			}
			if first == 0 {
				first = id
			}
			if id != first {
				t.Errorf("got incidents %d and %d for one candidate", first, id)
			}
			if c {
				news++
			}
		}
		if news != 1 {
			t.Errorf("got %d incidents created, want 1", news)
		}
		if n, _ := s.CountIncidents(ctx, auth.Everything, rules, storage.IncidentFilter{}); n != 1 {
			t.Errorf("got %d incidents stored, want 1", n)
		}
	})
}
