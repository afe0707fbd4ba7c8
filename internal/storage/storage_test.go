package storage_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

var ctx = context.Background()

var analyst = auth.Actor{Name: "tester", Role: auth.Analyst, Scope: auth.Everything}

func org(short string, res ...string) constituency.Org {
	o := constituency.Org{ShortName: short, Name: "Org " + short, Sector: "government", Language: "az", TLP: "amber"}
	for _, r := range res {
		o.Resources = append(o.Resources, constituency.Resource{Value: r})
	}
	return o
}

func mustCreate(t *testing.T, s *storage.Store, o constituency.Org) *constituency.Org {
	t.Helper()
	if err := s.CreateOrg(ctx, analyst, &o); err != nil {
		t.Fatalf("create %s: %v", o.ShortName, err)
	}
	return &o
}

func TestMigrateIsIdempotent(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		applied, err := s.Migrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Errorf("second migrate applied %v, want nothing", applied)
		}
		got, known, err := s.SchemaVersion(ctx)
		if err != nil || got != known || got < 1 {
			t.Errorf("schema version got %d (known %d, err %v), want equal and ≥ 1", got, known, err)
		}
	})
}

func TestOrgCRUD(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		parent := mustCreate(t, s, org("cabinet"))
		o := org("mdt", "mdt.gov.az", "198.51.100.0/25", "2001:db8:10::/48", "AS64500", "https://portal.mdt.gov.az/login", "203.0.113.7")
		o.Parent, o.CII = "cabinet", true
		o.Contacts = []constituency.Contact{{Email: "CERT@mdt.gov.az", Name: "Security team"}}
		created := mustCreate(t, s, o)

		got, err := s.GetOrg(ctx, auth.Everything, created.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ShortName != "mdt" || got.Parent != "cabinet" || !got.CII || len(got.Resources) != 6 {
			t.Errorf("got %+v, want mdt with parent cabinet, cii and 6 resources", got)
		}
		kinds := map[constituency.ResourceKind]int{}
		for _, r := range got.Resources {
			kinds[r.Kind]++
		}
		want := map[constituency.ResourceKind]int{"domain": 1, "cidr": 2, "asn": 1, "url": 1, "host": 1}
		for k, n := range want {
			if kinds[k] != n {
				t.Errorf("resources of kind %s: got %d, want %d", k, kinds[k], n)
			}
		}
		cs, err := s.ListContacts(ctx, auth.Everything, analyst, created.ID)
		if err != nil || len(cs) != 1 || cs[0].Email != "cert@mdt.gov.az" || cs[0].Language != "az" {
			t.Errorf("contacts: got %+v (%v), want cert@mdt.gov.az in az", cs, err)
		}

		if err := s.CreateOrg(ctx, analyst, &constituency.Org{ShortName: "mdt", Name: "Again"}); !errs.Is(err, errs.Invalid) {
			t.Errorf("duplicate short name: got %v, want invalid", err)
		}
		// A parent that would make a cycle is refused.
		parent.Parent = "mdt"
		if err := s.UpdateOrg(ctx, analyst, parent); !errs.Is(err, errs.Invalid) {
			t.Errorf("cycle: got %v, want invalid", err)
		}

		got.Name = "Ministry of Digital Development"
		if err := s.UpdateOrg(ctx, analyst, got); err != nil {
			t.Fatal(err)
		}
		again, _ := s.GetOrgByShortName(ctx, auth.Everything, "MDT")
		if again == nil || again.Name != "Ministry of Digital Development" {
			t.Errorf("after update got %+v", again)
		}

		r := constituency.Resource{Value: "Ədliyyə.GOV.az", Criticality: "high"}
		if err := s.AddResource(ctx, analyst, created.ID, &r); err != nil {
			t.Fatal(err)
		}
		if r.Kind != "domain" || r.Value != "xn--dliyy-dlcf.gov.az" {
			t.Errorf("IDN resource stored as %s %q, want punycode domain", r.Kind, r.Value)
		}
		if err := s.AddResource(ctx, analyst, created.ID, &constituency.Resource{Value: r.Value}); !errs.Is(err, errs.Invalid) {
			t.Errorf("duplicate resource: got %v, want invalid", err)
		}
		if err := s.AddResource(ctx, analyst, created.ID, &constituency.Resource{Kind: "host", Value: "300.1.1.1"}); !errs.Is(err, errs.Invalid) {
			t.Errorf("bad address: got %v, want invalid", err)
		}
		r.Notes = "registry"
		if err := s.UpdateResource(ctx, analyst, &r); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteResource(ctx, analyst, r.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetResource(ctx, auth.Everything, r.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("deleted resource: got %v, want not_found", err)
		}

		if err := s.DeleteOrg(ctx, analyst, parent.ID); err != nil {
			t.Fatal(err)
		}
		again, _ = s.GetOrg(ctx, auth.Everything, created.ID)
		if again.Parent != "" {
			t.Errorf("parent after deleting it: got %q, want none", again.Parent)
		}
		entries, err := s.ListAudit(ctx, storage.AuditFilter{Action: "org."})
		if err != nil || len(entries) != 4 {
			t.Errorf("org audit entries: got %d (%v), want 4 (2 creates, 1 update, 1 delete)", len(entries), err)
		}
	})
}

func TestListOrgsSearchAndPages(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		for _, o := range []constituency.Org{
			org("bank-a", "banka.az"), org("bank-b", "bankb.az"), org("edu", "edu.gov.az"), org("health", "ədliyyə.az"),
		} {
			mustCreate(t, s, o)
		}
		cases := []struct {
			query string
			want  []string
		}{
			{"bank", []string{"bank-a", "bank-b"}},
			{"edu.gov", []string{"edu"}},
			{"ədliyyə", []string{"health"}},
			{"100%", nil},
			{"", []string{"bank-a", "bank-b", "edu", "health"}},
		}
		for _, c := range cases {
			got, _, err := s.ListOrgs(ctx, auth.Everything, storage.OrgFilter{Query: c.query})
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, o := range got {
				names = append(names, o.ShortName)
			}
			if len(names) != len(c.want) {
				t.Errorf("query %q: got %v, want %v", c.query, names, c.want)
				continue
			}
			for i := range names {
				if names[i] != c.want[i] {
					t.Errorf("query %q: got %v, want %v", c.query, names, c.want)
				}
			}
		}
		page1, next, _ := s.ListOrgs(ctx, auth.Everything, storage.OrgFilter{Limit: 3})
		page2, last, _ := s.ListOrgs(ctx, auth.Everything, storage.OrgFilter{Limit: 3, After: next})
		if len(page1) != 3 || next != "edu" || len(page2) != 1 || page2[0].ShortName != "health" || last != "" {
			t.Errorf("pages: got %d then %d (cursor %q, %q), want 3 then 1", len(page1), len(page2), next, last)
		}
	})
}

func TestTenancyInQueries(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		mine := mustCreate(t, s, func() constituency.Org {
			o := org("mine", "mine.gov.az")
			o.Contacts = []constituency.Contact{{Email: "a@mine.gov.az"}}
			return o
		}())
		other := mustCreate(t, s, func() constituency.Org {
			o := org("other", "other.gov.az")
			o.Contacts = []constituency.Contact{{Email: "b@other.gov.az"}}
			return o
		}())
		public := org("public", "public.az")
		public.TLP = "clear"
		mustCreate(t, s, public)

		agency := auth.Scope{OrgIDs: []int64{mine.ID}}
		list, _, _ := s.ListOrgs(ctx, agency, storage.OrgFilter{})
		if len(list) != 1 || list[0].ShortName != "mine" {
			t.Errorf("agency list: got %v, want only mine", list)
		}
		if _, err := s.GetOrg(ctx, agency, other.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("agency get other: got %v, want not_found", err)
		}
		if _, err := s.GetResource(ctx, agency, other.Resources[0].ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("agency get other's resource: got %v, want not_found", err)
		}
		if cs, _ := s.ListContacts(ctx, agency, analyst, other.ID); len(cs) != 0 {
			t.Errorf("agency contacts of other: got %v, want none", cs)
		}
		if _, err := s.GetContact(ctx, agency, analyst, other.Contacts[0].ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("agency get other's contact: got %v, want not_found", err)
		}
		if exp, _ := s.ExportOrgs(ctx, agency); len(exp) != 1 || exp[0].ShortName != "mine" || len(exp[0].Contacts) != 1 {
			t.Errorf("agency export: got %+v, want only mine with its contact", exp)
		}
		if ov, _ := s.Overview(ctx, agency); ov.Orgs != 1 || ov.Resources != 1 || ov.Contacts != 1 {
			t.Errorf("agency overview: got %+v, want 1 org, 1 resource, 1 contact", ov)
		}
		partner := auth.ScopeFor(&auth.User{Role: auth.Partner})
		list, _, _ = s.ListOrgs(ctx, partner, storage.OrgFilter{})
		if len(list) != 1 || list[0].ShortName != "public" {
			t.Errorf("partner list: got %v, want only the TLP:CLEAR org", list)
		}
		if v, err := s.VisibleOrgNames(ctx, agency, []string{"mine", "other", "public", "nowhere"}); err != nil || len(v) != 1 || !v["mine"] {
			t.Errorf("agency visible names: got %v (%v), want only mine", v, err)
		}
		if list, _, _ := s.ListOrgs(ctx, auth.Nothing, storage.OrgFilter{}); len(list) != 0 {
			t.Errorf("empty scope: got %v, want nothing", list)
		}
	})
}

func TestImportOrgs(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		file := func() []constituency.Org {
			child := org("mdt", "mdt.gov.az", "198.51.100.0/25")
			child.Parent = "cabinet" // comes later in the file
			child.Contacts = []constituency.Contact{{Email: "cert@mdt.gov.az"}}
			return []constituency.Org{child, org("cabinet", "gov.az")}
		}
		res, err := s.ImportOrgs(ctx, analyst, file())
		if err != nil || res.Created != 2 {
			t.Fatalf("first import: got %+v (%v), want 2 created", res, err)
		}
		before, _ := s.GetOrgByShortName(ctx, auth.Everything, "mdt")
		audits, _ := s.ListAudit(ctx, storage.AuditFilter{})

		res, err = s.ImportOrgs(ctx, analyst, file())
		if err != nil || res.Unchanged != 2 || res.Created+res.Updated != 0 {
			t.Fatalf("second import: got %+v (%v), want 2 unchanged", res, err)
		}
		after, _ := s.GetOrgByShortName(ctx, auth.Everything, "mdt")
		if !after.UpdatedAt.Equal(before.UpdatedAt) || after.Parent != "cabinet" {
			t.Errorf("unchanged import touched the org: updated_at %v → %v, parent %q", before.UpdatedAt, after.UpdatedAt, after.Parent)
		}
		if again, _ := s.ListAudit(ctx, storage.AuditFilter{}); len(again) != len(audits) {
			t.Errorf("unchanged import wrote %d audit entries, want 0", len(again)-len(audits))
		}

		changed := file()
		changed[0].Resources = []constituency.Resource{{Value: "mdt.gov.az"}, {Value: "203.0.113.9", Criticality: "high"}}
		changed[0].Contacts[0].Name = "CERT team"
		res, err = s.ImportOrgs(ctx, analyst, changed)
		if err != nil || res.Updated != 1 || res.Unchanged != 1 {
			t.Fatalf("changed import: got %+v (%v), want 1 updated", res, err)
		}
		after, _ = s.GetOrgByShortName(ctx, auth.Everything, "mdt")
		idOf := func(o *constituency.Org, v string) int64 {
			for _, r := range o.Resources {
				if r.Value == v {
					return r.ID
				}
			}
			return -1
		}
		if len(after.Resources) != 2 || idOf(after, "mdt.gov.az") != idOf(before, "mdt.gov.az") || idOf(after, "203.0.113.9") < 0 {
			t.Errorf("resources after update: got %+v, want mdt.gov.az kept (same id) and the host added", after.Resources)
		}
		cs, _ := s.ListContacts(ctx, auth.Everything, analyst, after.ID)
		if len(cs) != 1 || cs[0].Name != "CERT team" {
			t.Errorf("contacts after update: got %+v", cs)
		}

		// A bad organisation anywhere in the file: nothing is imported.
		bad := []constituency.Org{org("new-one", "new.gov.az"), org("broken", "new.gov.az")}
		bad[1].Parent = "nowhere"
		if _, err := s.ImportOrgs(ctx, analyst, bad); !errs.Is(err, errs.Invalid) {
			t.Errorf("missing parent: got %v, want invalid", err)
		}
		if _, err := s.GetOrgByShortName(ctx, auth.Everything, "new-one"); !errs.Is(err, errs.NotFound) {
			t.Errorf("after failed import new-one: got %v, want not_found (nothing imported)", err)
		}
		cyc := []constituency.Org{org("x1"), org("x2")}
		cyc[0].Parent, cyc[1].Parent = "x2", "x1"
		if _, err := s.ImportOrgs(ctx, analyst, cyc); !errs.Is(err, errs.Invalid) {
			t.Errorf("cycle: got %v, want invalid", err)
		}
	})
}

func TestUsersTokensSessions(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
		s.Now = func() time.Time { return now }
		o := mustCreate(t, s, org("mine"))
		if err := s.CreateUser(ctx, analyst, &auth.User{Name: "officer", Role: auth.Agency}); !errs.Is(err, errs.Invalid) {
			t.Errorf("agency user without org: got %v, want invalid", err)
		}
		u := &auth.User{Name: "Officer", Role: auth.Agency, OrgNames: []string{"mine"}}
		if err := s.CreateUser(ctx, analyst, u); err != nil {
			t.Fatal(err)
		}
		if u.Name != "officer" || len(u.OrgIDs) != 1 || u.OrgIDs[0] != o.ID {
			t.Errorf("created user: got %+v", u)
		}
		if err := s.CreateUser(ctx, analyst, &auth.User{Name: "officer", Role: auth.Analyst}); !errs.Is(err, errs.Invalid) {
			t.Errorf("duplicate user: got %v, want invalid", err)
		}

		secret, tok, err := s.CreateToken(ctx, analyst, u.ID, "script", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := s.UserByToken(ctx, secret)
		if err != nil || got.ID != u.ID || got.OrgIDs[0] != o.ID {
			t.Errorf("user by token: got %+v (%v)", got, err)
		}
		if _, _, err := s.UserByToken(ctx, secret+"x"); !errs.Is(err, errs.Unauthorized) {
			t.Errorf("wrong token: got %v, want unauthorized", err)
		}
		now = now.Add(2 * time.Hour)
		if _, _, err := s.UserByToken(ctx, secret); !errs.Is(err, errs.Unauthorized) {
			t.Errorf("expired token: got %v, want unauthorized", err)
		}
		secret2, tok2, _ := s.CreateToken(ctx, analyst, u.ID, "other", time.Hour)
		if err := s.RevokeToken(ctx, analyst, tok2.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.UserByToken(ctx, secret2); !errs.Is(err, errs.Unauthorized) {
			t.Errorf("revoked token: got %v, want unauthorized", err)
		}
		if ts, _ := s.ListTokens(ctx, u.ID); len(ts) != 2 || ts[0].ID != tok.ID {
			t.Errorf("tokens: got %d, want 2", len(ts))
		}

		sess, err := s.CreateSession(ctx, u.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := s.UserBySession(ctx, sess); err != nil || got.ID != u.ID {
			t.Errorf("user by session: got %v (%v)", got, err)
		}
		u.Disabled = true
		if err := s.UpdateUser(ctx, analyst, u); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UserBySession(ctx, sess); !errs.Is(err, errs.Unauthorized) {
			t.Errorf("session of disabled user: got %v, want unauthorized", err)
		}
		u.Disabled = false
		s.UpdateUser(ctx, analyst, u)
		sess, _ = s.CreateSession(ctx, u.ID, time.Hour)
		now = now.Add(61 * time.Minute)
		if _, err := s.UserBySession(ctx, sess); !errs.Is(err, errs.Unauthorized) {
			t.Errorf("expired session: got %v, want unauthorized", err)
		}
		if n, _ := s.PurgeSessions(ctx); n != 1 {
			t.Errorf("purged %d sessions, want 1", n)
		}
	})
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		mustCreate(t, s, org("mine"))
		if _, err := s.DB().ExecContext(ctx, `UPDATE audit_log SET actor = 'someone else'`); err == nil {
			t.Error("UPDATE of the audit log succeeded, want refusal")
		}
		if _, err := s.DB().ExecContext(ctx, `DELETE FROM audit_log`); err == nil {
			t.Error("DELETE from the audit log succeeded, want refusal")
		}
		entries, err := s.ListAudit(ctx, storage.AuditFilter{Action: "org.create"})
		if err != nil || len(entries) != 1 || entries[0].Actor != "tester" || len(entries[0].After) == 0 {
			t.Errorf("audit: got %+v (%v), want one org.create by tester with the org", entries, err)
		}
	})
}

func TestNotFoundIsCoded(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		for name, err := range map[string]error{
			"org":     errOf(s.GetOrg(ctx, auth.Everything, 999)),
			"user":    errOf(s.GetUser(ctx, 999)),
			"token":   errOf(s.GetToken(ctx, 999)),
			"delete":  s.DeleteOrg(ctx, analyst, 999),
			"contact": s.DeleteContact(ctx, analyst, 999),
		} {
			if !errs.Is(err, errs.NotFound) {
				t.Errorf("%s: got %v, want not_found", name, err)
			}
		}
		var e *errs.Error
		if err := s.DeleteOrg(ctx, analyst, 999); !errors.As(err, &e) {
			t.Errorf("got %T, want *errs.Error", err)
		}
	})
}

func errOf[T any](_ T, err error) error { return err }

// TestWritesAreScoped: storage itself refuses changes outside the actor's
// scope, whatever a handler checked.
func TestWritesAreScoped(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		mine := mustCreate(t, s, func() constituency.Org {
			o := org("mine", "mine.gov.az")
			o.Contacts = []constituency.Contact{{Email: "a@mine.gov.az"}}
			return o
		}())
		other := mustCreate(t, s, func() constituency.Org {
			o := org("other", "other.gov.az")
			o.Contacts = []constituency.Contact{{Email: "b@other.gov.az"}}
			return o
		}())
		officer := auth.Actor{Name: "officer", Role: auth.Agency, Scope: auth.Scope{OrgIDs: []int64{mine.ID}}}
		otherRes, otherContact := other.Resources[0], other.Contacts[0]
		otherCopy := *other
		refused := map[string]error{
			"create org":      s.CreateOrg(ctx, officer, &constituency.Org{ShortName: "new", Name: "New"}),
			"import":          errOf(s.ImportOrgs(ctx, officer, []constituency.Org{org("new")})),
			"update org":      s.UpdateOrg(ctx, officer, &otherCopy),
			"delete org":      s.DeleteOrg(ctx, officer, other.ID),
			"add resource":    s.AddResource(ctx, officer, other.ID, &constituency.Resource{Value: "x.other.gov.az"}),
			"update resource": s.UpdateResource(ctx, officer, &otherRes),
			"delete resource": s.DeleteResource(ctx, officer, otherRes.ID),
			"add contact":     s.AddContact(ctx, officer, other.ID, &constituency.Contact{Email: "c@other.gov.az"}),
			"update contact":  s.UpdateContact(ctx, officer, &otherContact),
			"delete contact":  s.DeleteContact(ctx, officer, otherContact.ID),
			"zero actor":      s.DeleteOrg(ctx, auth.Actor{Name: "nobody"}, mine.ID),
		}
		for name, err := range refused {
			if err == nil {
				t.Errorf("%s outside the scope: succeeded, want refusal", name)
			}
		}
		if got, _ := s.GetOrg(ctx, auth.Everything, other.ID); got == nil || len(got.Resources) != 1 {
			t.Errorf("the other org changed: %+v", got)
		}
		// Within the scope the same actor may change its own organisation.
		if err := s.AddResource(ctx, officer, mine.ID, &constituency.Resource{Value: "www.mine.gov.az"}); err != nil {
			t.Errorf("change inside the scope: %v", err)
		}
	})
}

func TestSearchFoldsAzerbaijaniLetters(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		o := org("mdt", "mdt.gov.az")
		o.Name = "Rəqəmsal İnkişaf və Nəqliyyat Nazirliyi"
		mustCreate(t, s, o)
		withContact := org("edu")
		withContact.Contacts = []constituency.Contact{{Email: "cert@edu.gov.az"}}
		mustCreate(t, s, withContact)
		for _, q := range []string{"İnkişaf", "inkişaf", "INKIŞAF", "ınkişaf", "RƏQƏMSAL", "MDT.GOV"} {
			got, _, err := s.ListOrgs(ctx, auth.Everything, storage.OrgFilter{Query: q})
			if err != nil || len(got) != 1 || got[0].ShortName != "mdt" {
				t.Errorf("search %q: got %v (%v), want mdt", q, got, err)
			}
		}
		got, _, _ := s.ListOrgs(ctx, auth.Everything, storage.OrgFilter{NoContacts: true})
		if len(got) != 1 || got[0].ShortName != "mdt" {
			t.Errorf("without contacts: got %v, want only mdt", got)
		}
	})
}
