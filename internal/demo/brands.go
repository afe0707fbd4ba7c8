package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/lookalike"
	"github.com/qalxan/qalxan/internal/storage"
)

// demoBrands are the banks and state services the demo protects, by
// organisation: official domains, then the names people know them by.
var demoBrands = []struct {
	org, name string
	domains   []string
	keywords  []string
}{
	{"kapitalbank", "Xəzər Kapital Bank", []string{"xezerkapital.az"}, []string{"xezerkapital", "xəzərbank"}},
	{"qafqazbank", "Qafqaz Investment Bank", []string{"qafqazinvest.az"}, []string{"qafqazinvest"}},
	{"pashabank", "Şimal Ticarət Bank", []string{"simalbank.az"}, []string{"simalbank"}},
	{"asan", "Xidmət portalı", []string{"xidmet-portal.gov.az"}, []string{"xidmetportal"}},
	{"tax", "Vergi xidməti", []string{"vergi.gov.az", "e-taxes.gov.az"}, []string{"etaxes"}},
	{"mdt", "e-Xidmət", []string{"e-xidmet.gov.az", "mdt.gov.az"}, []string{"exidmet"}},
}

// demoLookalikes are names a certificate log and the feeds showed in the
// demo's month, days ago: look-alikes of the brands and an innocent name
// or two that a keyword alone would flag.
var demoLookalikes = []struct {
	domain string
	days   int
	seen   int
}{
	{"xezerkapital-login.xyz", 2, 14},
	{"online.xezerkapltal.az", 5, 3},
	{"xezerkapital.com.az", 9, 1},
	{"xəzərkapital.az", 12, 2},
	{"qafqazinvest-bonus.top", 3, 6},
	{"simalbank-kart.site", 1, 9},
	{"simalbannk.az", 20, 1},
	{"xidmet-portal-gov.az", 4, 5},
	{"my.xidmet-portal.gov.az.secure-login.icu", 6, 2},
	{"e-taxes-refund.online", 7, 4},
	{"vergi-gov.info", 15, 1},
	{"e-xidmet-giris.xyz", 2, 7},
	{"mdt-gov.az", 25, 1},
}

// LoadBrands protects the demo's banks and state services and records the
// look-alikes found for them, so /brands is alive on first run: most wait
// for triage, one is dismissed, the worst two have their phishing
// incidents (one with a check's results). It does nothing when brands
// exist already, and returns how many candidates it recorded.
func LoadBrands(ctx context.Context, s *storage.Store, now time.Time) (int, error) {
	if bs, err := s.ListBrands(ctx, auth.Everything); err != nil || len(bs) > 0 {
		return 0, err
	}
	actor := auth.Actor{Name: "analyst", Role: auth.Analyst, Scope: auth.Everything}
	var brands []lookalike.Brand
	for _, d := range demoBrands {
		o, err := s.GetOrgByShortName(ctx, auth.Everything, d.org)
		if err != nil {
			return 0, fmt.Errorf("demo: brand of %s: %w", d.org, err)
		}
		b := storage.Brand{Brand: lookalike.Brand{Name: d.name, Domains: d.domains, Keywords: d.keywords}, OrgID: o.ID}
		if err := s.CreateBrand(ctx, actor, &b); err != nil {
			return 0, fmt.Errorf("demo: brand %s: %w", d.name, err)
		}
		brands = append(brands, b.Brand)
	}
	m, err := lookalike.NewMatcher(brands)
	if err != nil {
		return 0, err
	}
	clock := s.Now
	defer func() { s.Now = clock }()
	n := 0
	for _, l := range demoLookalikes {
		r, ok := m.Match(lookalike.Observation{Domain: l.domain})
		if !ok || r.Score < lookalike.DefaultThreshold {
			continue
		}
		for i := range l.seen {
			at := now.Add(-time.Duration(l.days)*24*time.Hour + time.Duration(i)*37*time.Minute)
			s.Now = func() time.Time { return at }
			created, err := s.RecordCandidates(ctx, []lookalike.Match{r})
			if err != nil {
				return n, err
			}
			n += created
		}
	}
	s.Now = clock
	cs, _, err := s.ListCandidates(ctx, auth.Everything, storage.CandidateFilter{Limit: 1000})
	if err != nil {
		return n, err
	}
	rules := incident.DefaultRules()
	for _, c := range cs {
		switch c.Registered {
		case "xezerkapital-login.xyz", "e-xidmet-giris.xyz":
			if _, _, err := s.OpenCandidateIncident(ctx, actor, rules, c.ID); err != nil {
				return n, err
			}
			if err := s.SetCandidateStatus(ctx, actor, c.ID, lookalike.Confirmed); err != nil {
				return n, err
			}
		case "xezerkapital.com.az":
			if err := s.SetCandidateStatus(ctx, actor, c.ID, lookalike.Dismissed); err != nil {
				return n, err
			}
		}
		if c.Registered == "xezerkapital-login.xyz" {
			// What lookalike.confirm would have found (the demo contacts
			// nobody): documentation addresses, a copied login page.
			conf := lookalike.Confirmation{CheckedAt: now.Add(-36 * time.Hour), A: []string{"203.0.113.45"}, MX: []string{"mx.xezerkapital-login.xyz"},
				NS: []string{"ns1.cheap-dns.example", "ns2.cheap-dns.example"}, URL: "https://xezerkapital-login.xyz/az/", Status: 200,
				Title: "Xəzər Kapital Bank — İnternet Bankçılıq", Size: 48213, Similarity: 81, TextSimilarity: 86, StructureSimilarity: 74,
				BrandURL: "https://xezerkapital.az/"}
			conf.Judge()
			if err := s.SetCandidateConfirmation(ctx, c.ID, conf); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}
