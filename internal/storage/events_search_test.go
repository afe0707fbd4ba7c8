package storage_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
	"github.com/qalxan/qalxan/internal/tlp"
)

// searchFixture stores four events: e1 of org a (AMBER), e2 of org g
// (GREEN), e3 of both, e4 of nobody, from two feeds and taxonomies, e2
// from an archived report.
func searchFixture(t *testing.T, s *storage.Store) (a, g int64, ids map[string]int64) {
	t.Helper()
	oa := mustCreate(t, s, org("a"))
	og := org("g")
	og.TLP = tlp.Green
	pg := mustCreate(t, s, og)
	report, _ := archive(t, s, storage.ArchivedReport{Source: "test", FileName: "r.csv", ReceivedAt: time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC)}, "a,b\n1,2\n")
	evs := []storage.StoredEvent{
		storedEvent("e1", "192.0.2.1", 20, oa.ID),
		storedEvent("e2", "192.0.2.200", 21, pg.ID),
		storedEvent("e3", "198.51.100.9", 22, oa.ID, pg.ID),
		storedEvent("e4", "2001:db8::1", 22),
	}
	evs[1].ReportID, evs[1].Line = report, 1
	evs[3].Feed, evs[3].Taxonomy, evs[3].Type, evs[3].Identifier = "openphish", "fraud", "phishing", "phishing-url"
	evs[3].Data = []byte(`{"source.ip":"2001:db8::1","source.url":"http://Login-Bank.example/SignIn"}`)
	if _, _, err := s.InsertEvents(ctx, evs); err != nil {
		t.Fatal(err)
	}
	all, err := s.ListEvents(ctx, auth.Everything, storage.EventFilter{})
	if err != nil || len(all) != 4 {
		t.Fatalf("list all: got %d events, %v; want 4", len(all), err)
	}
	ids = map[string]int64{}
	for _, e := range all {
		for _, n := range []string{"e1", "e2", "e3", "e4"} {
			if e.Fingerprint[4:] == fp(n)[:28] {
				ids[n] = e.ID
			}
		}
	}
	return oa.ID, pg.ID, ids
}

func TestEventSearchFilters(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		_, _, ids := searchFixture(t, s)
		nameOf := map[int64]string{}
		for n, id := range ids {
			nameOf[id] = n
		}
		report := int64(0)
		if e, err := s.GetEvent(ctx, auth.Everything, ids["e2"]); err == nil {
			report = e.ReportID
		}
		if report == 0 {
			t.Fatal("e2 lost its report id")
		}
		tests := []struct {
			name string
			f    storage.EventFilter
			want []string
		}{
			{"taxonomy", storage.EventFilter{Taxonomy: "fraud"}, []string{"e4"}},
			{"identifier", storage.EventFilter{Identifier: "accessible-rdp"}, []string{"e3", "e2", "e1"}},
			{"report", storage.EventFilter{ReportID: report}, []string{"e2"}},
			{"feed and type", storage.EventFilter{Feed: "shadowserver", Type: "vulnerable-system"}, []string{"e3", "e2", "e1"}},
			{"text ignores ASCII case", storage.EventFilter{Text: "login-bank"}, []string{"e4"}},
			{"text with LIKE wildcards is literal", storage.EventFilter{Text: "e_"}, nil},
			{"until is exclusive", storage.EventFilter{Until: time.Date(2026, 11, 20, 6, 0, 0, 0, time.UTC)}, nil},
			{"since is inclusive", storage.EventFilter{Since: time.Date(2026, 11, 22, 6, 0, 0, 0, time.UTC)}, []string{"e4", "e3"}},
			{"cursor", storage.EventFilter{BeforeID: ids["e3"]}, []string{"e2", "e1"}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				got, err := s.ListEvents(ctx, auth.Everything, tc.f)
				if err != nil {
					t.Fatal(err)
				}
				var names []string
				for _, e := range got {
					names = append(names, nameOf[e.ID])
				}
				if !slices.Equal(names, tc.want) {
					t.Errorf("got %v, want %v", names, tc.want)
				}
			})
		}
	})
}

func TestListEventsPage(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		_, _, ids := searchFixture(t, s)
		evs, next, err := s.ListEventsPage(ctx, auth.Everything, storage.EventFilter{Limit: 2})
		if err != nil || len(evs) != 2 || next != ids["e3"] {
			t.Fatalf("first page: got %d events, next %d, %v; want 2 and next %d (e3)", len(evs), next, err, ids["e3"])
		}
		evs, next, err = s.ListEventsPage(ctx, auth.Everything, storage.EventFilter{Limit: 2, BeforeID: next})
		if err != nil || len(evs) != 2 || next != 0 {
			t.Fatalf("last page: got %d events, next %d, %v; want 2 and no next (exactly full, nothing after)", len(evs), next, err)
		}
	})
}

func TestEventSearchBadAddressIsInvalid(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		for _, ip := range []string{"192.0.2.300", "192.0.2.0/33", "not-an-ip"} {
			_, err := s.ListEvents(ctx, auth.Everything, storage.EventFilter{IP: ip})
			if !errs.Is(err, errs.Invalid) || errs.FieldOf(err) != "ip" {
				t.Errorf("ip %q: got %v, want an invalid error about ip", ip, err)
			}
			if _, err := s.CountEvents(ctx, auth.Everything, storage.EventFilter{IP: ip}); !errs.Is(err, errs.Invalid) {
				t.Errorf("count, ip %q: got %v, want an invalid error", ip, err)
			}
		}
	})
}

func TestGetEventTenancy(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		a, g, ids := searchFixture(t, s)
		agencyA := auth.Scope{OrgIDs: []int64{a}}
		partner := auth.Scope{AllOrgs: true, MaxTLP: tlp.Green}
		tests := []struct {
			name   string
			scope  auth.Scope
			event  string
			owners []int64 // nil: not found
		}{
			{"staff sees any", auth.Everything, "e3", []int64{a, g}},
			{"staff sees unowned", auth.Everything, "e4", []int64{}},
			{"agency sees its own", agencyA, "e1", []int64{a}},
			{"agency sees a shared one, only itself as owner", agencyA, "e3", []int64{a}},
			{"agency does not see another's", agencyA, "e2", nil},
			{"agency does not see unowned", agencyA, "e4", nil},
			{"partner sees GREEN", partner, "e2", []int64{g}},
			{"partner sees a shared one without the AMBER owner", partner, "e3", []int64{g}},
			{"partner does not see AMBER only", partner, "e1", nil},
			{"partner sees unowned", partner, "e4", []int64{}},
			{"empty scope", auth.Nothing, "e1", nil},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				e, err := s.GetEvent(ctx, tc.scope, ids[tc.event])
				if tc.owners == nil {
					if !errs.Is(err, errs.NotFound) {
						t.Fatalf("got %+v, %v; want not found", e, err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if e.ID != ids[tc.event] || !strings.HasPrefix(string(e.Data), "{") {
					t.Errorf("got event %d with data %s, want %d with its data", e.ID, e.Data, ids[tc.event])
				}
				if !slices.Equal(append([]int64{}, e.Owners...), tc.owners) {
					t.Errorf("owners: got %v, want %v", e.Owners, tc.owners)
				}
			})
		}
		if _, err := s.GetEvent(ctx, auth.Everything, ids["e4"]+1000); !errs.Is(err, errs.NotFound) {
			t.Errorf("missing event: got %v, want not found", err)
		}
	})
}

func TestOrgShortNamesScoped(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		a, g, _ := searchFixture(t, s)
		tests := []struct {
			scope auth.Scope
			want  map[int64]string
		}{
			{auth.Everything, map[int64]string{a: "a", g: "g"}},
			{auth.Scope{OrgIDs: []int64{a}}, map[int64]string{a: "a"}},
			{auth.Scope{AllOrgs: true, MaxTLP: tlp.Green}, map[int64]string{g: "g"}},
		}
		for i, tc := range tests {
			got, err := s.OrgShortNames(ctx, tc.scope, []int64{a, g, 9999})
			if err != nil || fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("%d: got %v, %v; want %v", i, got, err, tc.want)
			}
		}
	})
}
