package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/lookalike"
	"github.com/qalxan/qalxan/internal/storage"
)

// brandSeed serialises the lazy seeding of brands: matrix cells run in
// parallel and share a fixture.
var brandSeed sync.Mutex

// matrixBrandID is the id of org's brand, with one look-alike candidate,
// made on first use. The brand is named after the organisation, so a leak
// of the other's trips the secrets check.
func matrixBrandID(f *fixture, org *constituency.Org) int64 {
	brandSeed.Lock()
	defer brandSeed.Unlock()
	bs, _ := f.store.ListBrands(ctx, auth.Scope{OrgIDs: []int64{org.ID}})
	if len(bs) > 0 {
		return bs[0].ID
	}
	domain := strings.ToLower(strings.Fields(org.Name)[0]) + "bank.az"
	b := storage.Brand{Brand: lookalike.Brand{Name: org.Name, Domains: []string{domain}}, OrgID: org.ID}
	if err := f.store.CreateBrand(ctx, auth.System, &b); err != nil {
		panic(err)
	}
	m, err := lookalike.NewMatcher([]lookalike.Brand{b.Brand})
	if err != nil {
		panic(err)
	}
	if r, ok := m.Match(lookalike.Observation{Domain: strings.Replace(domain, ".az", "-login.xyz", 1)}); ok {
		f.store.RecordCandidates(ctx, []lookalike.Match{r})
	}
	return b.ID
}

// matrixCandidateID is the id of the candidate of org's brand.
func matrixCandidateID(f *fixture, org *constituency.Org) int64 {
	bid := matrixBrandID(f, org)
	cs, _, _ := f.store.ListCandidates(ctx, auth.Everything, storage.CandidateFilter{BrandID: bid})
	if len(cs) == 0 {
		return 0
	}
	return cs[0].ID
}

func TestBrandsAPI(t *testing.T) {
	f := newFixture(t)
	matrixBrandID(f, f.own)
	matrixBrandID(f, f.other)

	resp := f.do(t, request{method: "POST", path: "/api/v1/brands", as: analyst, body: `{"org":"alpha-agency","domains":["not a domain"]}`})
	if resp.status != http.StatusBadRequest || !strings.Contains(resp.body, "domains") {
		t.Errorf("invalid brand: got %d %s, want 400 about domains", resp.status, resp.body)
	}
	resp = f.do(t, request{method: "POST", path: "/api/v1/brands", as: analyst, body: `{"org":"nobody","domains":["x.az"]}`})
	if resp.status != http.StatusBadRequest || !strings.Contains(resp.body, "org") {
		t.Errorf("brand of an unknown organisation: got %d %s, want 400 about org", resp.status, resp.body)
	}

	resp = f.do(t, request{method: "GET", path: "/api/v1/lookalike-candidates?status=new", as: agency})
	if resp.status != http.StatusOK || !strings.Contains(resp.body, "alphabank-login.xyz") || strings.Contains(resp.body, "zetabank") {
		t.Fatalf("agency's candidates: got %d %s, want only its own", resp.status, resp.body)
	}
	resp = f.do(t, request{method: "GET", path: "/api/v1/lookalike-candidates?status=maybe", as: analyst})
	if resp.status != http.StatusBadRequest {
		t.Errorf("unknown status filter: got %d, want 400", resp.status)
	}
	id := matrixCandidateID(f, f.own)
	resp = f.do(t, request{method: "POST", path: fmt.Sprintf("/api/v1/lookalike-candidates/%d/status", id), as: analyst, body: `{"status":"dismissed"}`})
	if resp.status != http.StatusOK {
		t.Fatalf("dismiss: got %d %s", resp.status, resp.body)
	}
	resp = f.do(t, request{method: "GET", path: "/api/v1/lookalike-candidates?status=dismissed", as: analyst})
	if !strings.Contains(resp.body, "alphabank-login.xyz") {
		t.Errorf("dismissed candidates: got %s, want the dismissed one", resp.body)
	}
}
