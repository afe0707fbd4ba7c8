package demo_test

import (
	"context"
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/demo"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

func TestDemoLoads(t *testing.T) {
	ctx := context.Background()
	s := storagetest.SQLite(t)
	if err := demo.Load(ctx, s); err != nil {
		t.Fatal(err)
	}
	ov, err := s.Overview(ctx, auth.Everything)
	if err != nil {
		t.Fatal(err)
	}
	if ov.Orgs < 25 || ov.CIIOrgs < 10 || len(ov.BySector) < 6 || ov.Resources < 100 || ov.OrgsWithoutMail < 1 {
		t.Errorf("demo overview: got %+v, want ≥25 orgs across ≥6 sectors, ≥10 CII, ≥100 resources, one org without contacts", ov)
	}
	for _, d := range demo.Users {
		u, err := s.GetUserByName(ctx, d.Name)
		if err != nil || u.Role != d.Role || !auth.VerifyPassword(u.PasswordHash, d.Password) {
			t.Errorf("demo user %s: got %+v, %v; want role %s with the printed password", d.Name, u, err, d.Role)
		}
	}
	officer, _ := s.GetUserByName(ctx, "mdt-officer")
	list, _, _ := s.ListOrgs(ctx, auth.ScopeFor(officer), storage.OrgFilter{})
	if len(list) != 1 || list[0].ShortName != "mdt" {
		t.Errorf("the demo agency officer sees %v, want only mdt", list)
	}
	// Ownership in the demo is unambiguous where it should be.
	orgs, _ := s.MatcherOrgs(ctx)
	m := constituency.NewMatcher(orgs)
	for value, want := range map[string]string{
		"mail.mdt.gov.az":    "mdt",
		"universitet.edu.az": "bsu",
		"lms.edu.az":         "edunet",
		"203.0.113.250":      "archives", // a host inside edunet's network
		"203.0.113.240":      "edunet",
		"ədliyyə.gov.az":     "moj",
	} {
		if got := m.Lookup(value); len(got) != 1 || got[0] != want {
			t.Errorf("lookup %s: got %v, want [%s]", value, got, want)
		}
	}
}
