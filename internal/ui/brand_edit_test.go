package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/lookalike"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/ui"
)

// seedBrandCandidates registers a brand of mdt and one of minfin, with a
// look-alike each, and returns the candidates' ids.
func seedBrandCandidates(t *testing.T, f *fixture) (mdtBrand, mdtCand, minfinBrand, minfinCand int64) {
	t.Helper()
	ctx := context.Background()
	var brands []lookalike.Brand
	ids := map[string]int64{}
	for org, domain := range map[string]string{"mdt": "e-gov.az", "minfin": "maliyye.gov.az"} {
		b := storage.Brand{Brand: lookalike.Brand{Domains: []string{domain}}, OrgID: f.orgs[org].ID}
		if err := f.store.CreateBrand(ctx, auth.System, &b); err != nil {
			t.Fatal(err)
		}
		ids[org] = b.ID
		brands = append(brands, b.Brand)
	}
	m, err := lookalike.NewMatcher(brands)
	if err != nil {
		t.Fatal(err)
	}
	var ms []lookalike.Match
	for _, d := range []string{"e-gov-giris.xyz", "maliyye-gov.az"} {
		r, ok := m.Match(lookalike.Observation{Domain: d})
		if !ok {
			t.Fatalf("%s does not match", d)
		}
		ms = append(ms, r)
	}
	if _, err := f.store.RecordCandidates(ctx, ms); err != nil {
		t.Fatal(err)
	}
	cs, _, _ := f.store.ListCandidates(ctx, auth.Everything, storage.CandidateFilter{})
	for _, c := range cs {
		if c.Org == "mdt" {
			mdtCand = c.ID
		} else {
			minfinCand = c.ID
		}
	}
	return ids["mdt"], mdtCand, ids["minfin"], minfinCand
}

func TestBrandEditAndDelete(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	mdtBrand, _, minfinBrand, _ := seedBrandCandidates(t, f)
	staff := f.as(t, "analyst")
	edit := fmt.Sprintf("/brands/%d", mdtBrand)
	staff.get("/brands").want(t, http.StatusOK).contains(t, `href="`+edit+`"`)
	staff.get(edit).want(t, http.StatusOK).contains(t, `value="e-gov.az"`, `value="mdt"`, `action="`+edit+`/delete"`, "data-confirm")

	staff.post(edit, url.Values{"org": {"mdt"}, "name": {"e-Gov"}, "domains": {"e-gov.az, egov.az"}, "keywords": {"egovportal"}}).redirectsTo(t, "/brands")
	b, err := f.store.GetBrand(ctx, auth.Everything, mdtBrand)
	if err != nil || b.Name != "e-Gov" || strings.Join(b.Domains, " ") != "e-gov.az egov.az" || strings.Join(b.Keywords, " ") != "egovportal" {
		t.Fatalf("after the edit: got %+v, %v", b, err)
	}
	staff.post(edit, url.Values{"org": {"mdt"}, "domains": {"not a domain"}}).want(t, http.StatusBadRequest).contains(t, `value="not a domain"`, `aria-invalid="true"`)
	staff.post(edit, url.Values{"org": {"nobody"}, "domains": {"e-gov.az"}}).want(t, http.StatusBadRequest)
	staff.get("/brands/999999").want(t, http.StatusNotFound)
	staff.get("/brands/abc").want(t, http.StatusNotFound)

	// An agency sees its brands but changes none, and another's not at all.
	officer := f.as(t, "mdt-officer")
	officer.get(edit).want(t, http.StatusForbidden)
	officer.post(edit, url.Values{"org": {"mdt"}, "domains": {"evil.az"}}).want(t, http.StatusForbidden)
	officer.post(fmt.Sprintf("/brands/%d/delete", minfinBrand), nil).want(t, http.StatusForbidden)
	if b, _ := f.store.GetBrand(ctx, auth.Everything, mdtBrand); strings.Contains(strings.Join(b.Domains, " "), "evil") {
		t.Fatalf("the agency changed a brand: %+v", b)
	}

	staff.post(fmt.Sprintf("/brands/%d/delete", minfinBrand), nil).redirectsTo(t, "/brands")
	if _, err := f.store.GetBrand(ctx, auth.Everything, minfinBrand); err == nil {
		t.Error("the brand is still there after its deletion")
	}
	staff.get("/brands?status=all").want(t, http.StatusOK).lacks(t, "maliyye-gov.az")
}

func TestCandidatePageAndIncident(t *testing.T) {
	t.Parallel()
	checked := make(chan int64, 1)
	f := newFixture(t, func(d *ui.Deps) {
		d.ConfirmCandidate = func(_ context.Context, id int64) error { checked <- id; return nil }
	})
	ctx := context.Background()
	_, mdtCand, _, minfinCand := seedBrandCandidates(t, f)
	page := fmt.Sprintf("/brands/candidates/%d", mdtCand)

	officer := f.as(t, "mdt-officer")
	officer.get(page).want(t, http.StatusOK).contains(t, "e-gov-giris.xyz", "permutation", "suspicious-tld").
		lacks(t, `action="`+page+`/incident"`, `action="`+page+`/check"`)
	officer.get(fmt.Sprintf("/brands/candidates/%d", minfinCand)).want(t, http.StatusNotFound).lacks(t, "maliyye")
	officer.post(page+"/incident", nil).want(t, http.StatusForbidden)
	officer.post(fmt.Sprintf("/brands/candidates/%d/incident", minfinCand), nil).want(t, http.StatusForbidden)
	f.as(t, "partner").get(page).want(t, http.StatusForbidden)

	staff := f.as(t, "analyst")
	staff.get("/brands").want(t, http.StatusOK).contains(t, `action="`+page+`/incident"`, `href="`+page+`"`)
	staff.get(page).want(t, http.StatusOK).contains(t, `action="`+page+`/incident"`, `action="`+page+`/check"`)
	r := staff.post(page+"/incident", nil).want(t, http.StatusSeeOther)
	c, err := f.store.GetCandidate(ctx, auth.Everything, mdtCand)
	if err != nil || c.IncidentID == 0 || r.Header.Get("Location") != fmt.Sprintf("/incidents/%d", c.IncidentID) {
		t.Fatalf("after opening: candidate %+v, %v; redirected to %s", c, err, r.Header.Get("Location"))
	}
	// Again: the same incident, no second one.
	staff.post(page+"/incident", nil).redirectsTo(t, fmt.Sprintf("/incidents/%d", c.IncidentID))
	staff.get(page).want(t, http.StatusOK).contains(t, c.IncidentRef).lacks(t, `action="`+page+`/incident"`)
	staff.get("/brands").want(t, http.StatusOK).contains(t, c.IncidentRef)
	officer.get(fmt.Sprintf("/incidents/%d", c.IncidentID)).want(t, http.StatusOK).contains(t, "e-gov-giris.xyz")

	// The check runs through the configured confirmer; results show.
	staff.post(page+"/check", nil).redirectsTo(t, page)
	select {
	case id := <-checked:
		if id != mdtCand {
			t.Errorf("checked candidate %d, want %d", id, mdtCand)
		}
	case <-time.After(time.Second):
		t.Fatal("the check did not run")
	}
	conf := lookalike.Confirmation{CheckedAt: time.Now().UTC(), A: []string{"192.0.2.66"}, Status: 200, URL: "http://e-gov-giris.xyz/", Title: "e-Gov giriş", Similarity: 87, TextSimilarity: 90, StructureSimilarity: 84}
	conf.Judge()
	if err := f.store.SetCandidateConfirmation(ctx, mdtCand, conf); err != nil {
		t.Fatal(err)
	}
	staff.get(page).want(t, http.StatusOK).contains(t, "192.0.2.66", "87%", "verdict-imitation", "e-Gov giriş")

	// The streams' progress: for staff, not for the agency.
	if err := f.store.SaveLookalikeSourceState(ctx, storage.SourceState{Name: "ct-stream"}, 120000, 42); err != nil {
		t.Fatal(err)
	}
	staff.get("/brands").want(t, http.StatusOK).contains(t, "ct-stream", "120000", ">42<")
	officer.get("/brands").want(t, http.StatusOK).lacks(t, "ct-stream")
}
