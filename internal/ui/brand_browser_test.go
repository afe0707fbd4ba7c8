package ui_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/qalxan/qalxan/internal/auth"
)

// TestBrowserBrands walks brand protection in Chromium: the analyst opens
// a look-alike from /brands, opens its incident, edits a brand and deletes
// another (which asks first). Screenshots go to QALXAN_TEST_ARTIFACTS.
func TestBrowserBrands(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	path := chromiumPath(t)
	f := newFixture(t)
	mdtBrand, mdtCand, minfinBrand, _ := seedBrandCandidates(t, f)
	b := newBrowser(t, path, f.srv.URL)
	b.login("analyst")

	b.open("/brands")
	b.wantText("table.candidates", "e-gov-giris.xyz", "maliyye-gov.az")
	b.screenshot("brands-01-list")

	page := fmt.Sprintf("/brands/candidates/%d", mdtCand)
	b.navigateBy("open the candidate", chromedp.Click(chromedp.CSS(`table.candidates a[href="`+page+`"]`)))
	if loc := b.location(); loc != page {
		t.Fatalf("after clicking the domain: at %s, want %s", loc, page)
	}
	b.wantText("main", "e-gov-giris.xyz", "permutation", "suspicious-tld")
	b.screenshot("brands-02-candidate")

	b.submit(`form[action="` + page + `/incident"] button`)
	loc := b.waitLocation(func(l string) bool { return strings.HasPrefix(l, "/incidents/") })
	if loc == "" {
		t.Fatalf("after opening the incident: at %s, want the incident's page", b.location())
	}
	b.wantText("main", "e-gov-giris.xyz", "lookalike-domain")
	b.screenshot("brands-03-incident")
	c, err := f.store.GetCandidate(context.Background(), auth.Everything, mdtCand)
	if err != nil || fmt.Sprintf("/incidents/%d", c.IncidentID) != loc {
		t.Fatalf("candidate after: %+v, %v; browser at %s", c, err, loc)
	}

	b.open(fmt.Sprintf("/brands/%d", mdtBrand))
	b.do("change the keywords",
		chromedp.Clear(chromedp.CSS(`input[name="keywords"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="keywords"]`), "egovportal, egov"),
	)
	b.screenshot("brands-04-edit")
	b.submit(`form[action="/brands/` + fmt.Sprint(mdtBrand) + `"] button[type="submit"]`)
	if loc := b.location(); loc != "/brands" {
		t.Fatalf("after saving: at %s, want /brands", loc)
	}
	b.wantText("table.brands", "egovportal, egov")

	b.open(fmt.Sprintf("/brands/%d", minfinBrand))
	b.submit(`form[action="/brands/` + fmt.Sprint(minfinBrand) + `/delete"] button`)
	b.wantNotText("table.brands", "maliyye.gov.az")
	b.mu.Lock()
	asked := len(b.dialogs) > 0
	b.mu.Unlock()
	if !asked {
		t.Error("deleting a brand did not ask first")
	}
}
