package storage_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

// fp is a fingerprint for a name; stored, it reads back as the day of
// time.source in four hex digits and its first 28 (storedFP).
func fp(name string) string {
	sum := sha256.Sum256([]byte(name))
	return hex.EncodeToString(sum[:])
}

// storedFP is how fp(name) on day of November 2026 reads back.
func storedFP(name string, day int) string {
	return fmt.Sprintf("%04x", time.Date(2026, 11, day, 0, 0, 0, 0, time.UTC).Unix()/86400) + fp(name)[:28]
}

func storedEvent(name, ip string, day int, owners ...int64) storage.StoredEvent {
	ts := time.Date(2026, 11, day, 6, 0, 0, 0, time.UTC)
	return storage.StoredEvent{
		Fingerprint: fp(name), TimeSource: ts, TimeObservation: ts.Add(time.Hour), Feed: "shadowserver",
		Taxonomy: "vulnerable", Type: "vulnerable-system", Identifier: "accessible-rdp",
		SourceIP: ip, SourceASN: 64500, SourceFQDN: "host.example.az", Owners: owners,
		Data: []byte(fmt.Sprintf(`{"source.ip":%q,"name":%q}`, ip, name)),
	}
}

func TestInsertEventsDedupes(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		a := mustCreate(t, s, org("a"))
		// More than one multi-row statement, with a duplicate inside the
		// batch spanning statements.
		var batch []storage.StoredEvent
		for i := range 1200 {
			batch = append(batch, storedEvent(fmt.Sprintf("fp%d", i), fmt.Sprintf("192.0.2.%d", i%250), 20, a.ID))
		}
		batch = append(batch, storedEvent("fp7", "192.0.2.7", 20, a.ID))
		ins, dup, err := s.InsertEvents(ctx, batch)
		if err != nil || ins != 1200 || dup != 1 {
			t.Fatalf("first insert: got %d inserted, %d duplicates, %v; want 1200, 1", ins, dup, err)
		}
		ins, dup, err = s.InsertEvents(ctx, batch[:10])
		if err != nil || ins != 0 || dup != 10 {
			t.Fatalf("again: got %d inserted, %d duplicates, %v; want 0, 10", ins, dup, err)
		}
		n, err := s.CountEvents(ctx, auth.Everything, storage.EventFilter{OrgID: a.ID})
		if err != nil || n != 1200 {
			t.Fatalf("count of org a: got %d, %v; want 1200 (owners linked once each)", n, err)
		}
	})
}

func TestListEventsFiltersAndTenancy(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		a := mustCreate(t, s, org("a"))
		b := mustCreate(t, s, org("b"))
		evs := []storage.StoredEvent{
			storedEvent("e1", "192.0.2.1", 20, a.ID),
			storedEvent("e2", "192.0.2.200", 21, b.ID),
			storedEvent("e3", "198.51.100.9", 22, a.ID, b.ID),
			storedEvent("e4", "2001:db8::1", 22),
		}
		evs[3].Type, evs[3].SourceASN, evs[3].SourceFQDN = "infected-system", 64501, "bot.example.org"
		if _, _, err := s.InsertEvents(ctx, evs); err != nil {
			t.Fatal(err)
		}
		nameOf := map[string]string{}
		for i, n := range []string{"e1", "e2", "e3", "e4"} {
			nameOf[storedFP(n, evs[i].TimeSource.Day())] = n
		}
		agencyA := auth.Scope{OrgIDs: []int64{a.ID}}
		tests := []struct {
			name  string
			scope auth.Scope
			f     storage.EventFilter
			want  []string // event names, newest first
		}{
			{"everything", auth.Everything, storage.EventFilter{}, []string{"e4", "e3", "e2", "e1"}},
			{"agency sees only its own", agencyA, storage.EventFilter{}, []string{"e3", "e1"}},
			{"agency cannot widen by org", agencyA, storage.EventFilter{OrgID: b.ID}, []string{"e3"}},
			{"empty scope sees nothing", auth.Scope{}, storage.EventFilter{}, nil},
			{"org", auth.Everything, storage.EventFilter{OrgID: b.ID}, []string{"e3", "e2"}},
			{"time range", auth.Everything, storage.EventFilter{Since: time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC),
				Until: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)}, []string{"e2"}},
			{"cidr", auth.Everything, storage.EventFilter{IP: "192.0.2.0/25"}, []string{"e1"}},
			{"cidr v6", auth.Everything, storage.EventFilter{IP: "2001:db8::/32"}, []string{"e4"}},
			{"ip", auth.Everything, storage.EventFilter{IP: "198.51.100.9"}, []string{"e3"}},
			{"type", auth.Everything, storage.EventFilter{Type: "infected-system"}, []string{"e4"}},
			{"asn", auth.Everything, storage.EventFilter{ASN: 64501}, []string{"e4"}},
			{"fqdn", auth.Everything, storage.EventFilter{FQDN: "BOT.example.org"}, []string{"e4"}},
			{"text", auth.Everything, storage.EventFilter{Text: "198.51.100"}, []string{"e3"}},
			{"feed", auth.Everything, storage.EventFilter{Feed: "openphish"}, nil},
			{"page", auth.Everything, storage.EventFilter{Limit: 2}, []string{"e4", "e3"}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				got, err := s.ListEvents(ctx, tc.scope, tc.f)
				if err != nil {
					t.Fatal(err)
				}
				var names []string
				for _, e := range got {
					names = append(names, nameOf[e.Fingerprint])
				}
				if !slices.Equal(names, tc.want) {
					t.Errorf("got %v, want %v", names, tc.want)
				}
				n, err := s.CountEvents(ctx, tc.scope, tc.f)
				if err != nil || (tc.f.Limit == 0 && n != len(tc.want)) {
					t.Errorf("count: got %d, %v; want %d", n, err, len(tc.want))
				}
			})
		}
		// The next page, and owners limited to what the scope may see.
		page, err := s.ListEvents(ctx, auth.Everything, storage.EventFilter{BeforeID: 0, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		rest, err := s.ListEvents(ctx, auth.Everything, storage.EventFilter{BeforeID: page[1].ID})
		if err != nil || len(rest) != 2 || rest[0].Fingerprint != storedFP("e2", 21) {
			t.Errorf("next page: got %d events (%v), want e2, e1", len(rest), err)
		}
		mine, err := s.ListEvents(ctx, agencyA, storage.EventFilter{IP: "198.51.100.9"})
		if err != nil || len(mine) != 1 || !slices.Equal(mine[0].Owners, []int64{a.ID}) {
			t.Errorf("agency's owners: got %+v, %v; want only org a", mine, err)
		}
		all, err := s.ListEvents(ctx, auth.Everything, storage.EventFilter{IP: "198.51.100.9"})
		if err != nil || len(all) != 1 || len(all[0].Owners) != 2 || all[0].SourceASN != 64500 || !all[0].TimeSource.Equal(evs[2].TimeSource) {
			t.Errorf("staff's view: got %+v, %v; want both owners and the stored columns", all, err)
		}
	})
}

// BenchmarkInsertEvents measures the store alone: 100k events of about
// 1 KB of JSON, one owner each, in transactions of 5,000.
func BenchmarkInsertEvents(b *testing.B) {
	s := storagetest.SQLite(b)
	o := org("bench")
	if err := s.CreateOrg(ctx, analyst, &o); err != nil {
		b.Fatal(err)
	}
	data := []byte(`{"padding":"` + strings.Repeat("x", 1000) + `"}`)
	batch := make([]storage.StoredEvent, 5000)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for range 20 {
			for i := range batch {
				e := storedEvent(strconv.FormatUint(rand.Uint64(), 10), fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255), 20, o.ID)
				e.Data = data
				batch[i] = e
				n++
			}
			if _, _, err := s.InsertEvents(ctx, batch); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
}
