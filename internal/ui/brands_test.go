package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/lookalike"
	"github.com/qalxan/qalxan/internal/storage"
)

func TestBrandsPage(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	staff := f.as(t, "analyst")
	staff.post("/brands", url.Values{"org": {"mdt"}, "name": {"e-gov"}, "domains": {"e-gov.az"}, "keywords": {"egovportal"}}).redirectsTo(t, "/brands")
	staff.post("/brands", url.Values{"org": {"minfin"}, "domains": {"maliyye.gov.az"}}).redirectsTo(t, "/brands")
	staff.post("/brands", url.Values{"org": {"minfin"}, "domains": {"not a domain"}}).want(t, http.StatusBadRequest).contains(t, `value="not a domain"`)

	bs, err := f.store.ListBrands(ctx, auth.Everything)
	if err != nil || len(bs) != 2 {
		t.Fatalf("brands: got %v, %v; want two", bs, err)
	}
	var brands []lookalike.Brand
	for _, b := range bs {
		brands = append(brands, b.Brand)
	}
	m, err := lookalike.NewMatcher(brands)
	if err != nil {
		t.Fatal(err)
	}
	var ms []lookalike.Match
	for _, d := range []string{"e-gov-giris.xyz", "maliyye-gov.az"} {
		if r, ok := m.Match(lookalike.Observation{Domain: d}); ok {
			ms = append(ms, r)
		}
	}
	if _, err := f.store.RecordCandidates(ctx, ms); err != nil || len(ms) != 2 {
		t.Fatalf("record: %v (%d matches)", err, len(ms))
	}

	staff.get("/brands").want(t, http.StatusOK).contains(t, "e-gov.az", "maliyye.gov.az", "e-gov-giris.xyz", "maliyye-gov.az", "/brands/candidates/")
	officer := f.as(t, "mdt-officer")
	officer.get("/brands").want(t, http.StatusOK).contains(t, "e-gov-giris.xyz").lacks(t, "maliyye", `action="/brands/candidates/`, `class="btn small" href="/brands/`)
	f.as(t, "partner").get("/brands").want(t, http.StatusForbidden)

	cs, _, _ := f.store.ListCandidates(ctx, auth.Everything, storage.CandidateFilter{})
	var minfinID, mdtID int64
	for _, c := range cs {
		if c.Org == "minfin" {
			minfinID = c.ID
		} else {
			mdtID = c.ID
		}
	}
	officer.post(fmt.Sprintf("/brands/candidates/%d/dismissed", mdtID), nil).want(t, http.StatusForbidden)
	staff.post(fmt.Sprintf("/brands/candidates/%d/confirmed", minfinID), url.Values{"back": {"new"}}).redirectsTo(t, "/brands?status=new")
	staff.get("/brands").want(t, http.StatusOK).lacks(t, "maliyye-gov.az")
	staff.get("/brands?status=confirmed").want(t, http.StatusOK).contains(t, "maliyye-gov.az")
}
