package storage_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

// TestEventSearchUsesIndexes checks SQLite's plans: a search by address,
// small network, host name or AS goes through its index (without one it
// read every event: BenchmarkSearchEvents), and a network holding most
// events is read newest first instead, page by page, with the same
// results.
func TestEventSearchUsesIndexes(t *testing.T) {
	s := storagetest.SQLite(t)
	a := mustCreate(t, s, org("a"))
	var evs []storage.StoredEvent
	for i := range 300 {
		e := storedEvent(fmt.Sprintf("plan%d", i), fmt.Sprintf("10.0.%d.%d", i/100, i%100), 20, a.ID)
		e.SourceFQDN = fmt.Sprintf("h%d.example.az", i)
		e.SourceASN = uint32(64500 + i%3)
		evs = append(evs, e)
	}
	if _, _, err := s.InsertEvents(ctx, evs); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		f     storage.EventFilter
		limit int
		want  string // in the plan
		not   string // not in the plan
	}{
		{"address", storage.EventFilter{IP: "10.0.1.7"}, 100, "USING INDEX events_source_ip", ""},
		{"small network", storage.EventFilter{IP: "10.0.2.0/28"}, 100, "USING INDEX events_source_ip", ""},
		{"host name", storage.EventFilter{FQDN: "H7.example.az"}, 100, "USING INDEX events_source_fqdn", ""},
		{"AS", storage.EventFilter{ASN: 64501}, 100, "USING INDEX events_source_asn", ""},
		// 4·√(5·300) = 154 < 300 matches: dense.
		{"dense network", storage.EventFilter{IP: "10.0.0.0/16"}, 5, "SCAN e", "events_source_ip"},
	} {
		plan, err := storage.ExplainListEvents(ctx, s, auth.Everything, c.f, c.limit)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !strings.Contains(plan, c.want) || (c.not != "" && strings.Contains(plan, c.not)) {
			t.Errorf("%s: plan\n%s\nwant %q in it and not %q", c.name, plan, c.want, c.not)
		}
	}

	// Paged newest first through the dense network: every event, in order.
	all, err := s.ListEvents(ctx, auth.Everything, storage.EventFilter{Limit: 1000})
	if err != nil || len(all) != 300 {
		t.Fatalf("all: got %d, %v", len(all), err)
	}
	var want, got []int64
	for _, e := range all {
		want = append(want, e.ID)
	}
	f := storage.EventFilter{IP: "10.0.0.0/16", Limit: 7}
	for {
		page, next, err := s.ListEventsPage(ctx, auth.Everything, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page {
			got = append(got, e.ID)
		}
		if next == 0 {
			break
		}
		f.BeforeID = next
	}
	if !slices.Equal(got, want) {
		t.Errorf("dense network paged: got %d ids %v…, want %d newest first", len(got), got[:min(5, len(got))], len(want))
	}
	// A network of 100 of them, read through the index: those, newest first.
	some, err := s.ListEvents(ctx, auth.Everything, storage.EventFilter{IP: "10.0.1.0/24"})
	if err != nil || len(some) != 100 || some[0].SourceIP != "10.0.1.99" || some[99].SourceIP != "10.0.1.0" {
		t.Errorf("10.0.1.0/24: got %d events, %v", len(some), err)
	}
}

// TestEventTextSearchIsLike checks free-text search on SQLite against the
// LIKE it replaced, on the cases that differ between naive
// implementations: case, non-ASCII letters (which LIKE does not fold),
// LIKE's own wildcards as plain characters, and a text that repeats the
// needle's start.
func TestEventTextSearchIsLike(t *testing.T) {
	s := storagetest.SQLite(t)
	texts := []string{
		`{"source.fqdn":"Login-Bank.example","extra.tag":"RDP"}`,
		`{"x":"İnkişaf Bankı ışık"}`, `{"x":"100% sure_thing \\ back"}`, `{"x":"aaaaaaaaab"}`, `{"x":"ÀÉ àé"}`,
	}
	var evs []storage.StoredEvent
	for i, text := range texts {
		e := storedEvent(fmt.Sprintf("text%d", i), "192.0.2.1", 20)
		e.Data = []byte(text)
		evs = append(evs, e)
	}
	if _, _, err := s.InsertEvents(ctx, evs); err != nil {
		t.Fatal(err)
	}
	needles := []string{"rdp", "RDP", "login-BANK", "İnkişaf", "i̇nkişaf", "inkişaf", "bankı", "BANKI", "%", "_", `\`,
		"100% sure", "sure_thing", "aaab", "àé", "ÀÉ", "xyz"}
	escape := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	for _, needle := range needles {
		var want []string
		for _, text := range texts {
			var like bool
			if err := s.DB().QueryRowContext(ctx, `SELECT ? LIKE ? ESCAPE '\'`, text, "%"+escape.Replace(needle)+"%").Scan(&like); err != nil {
				t.Fatal(err)
			}
			if like {
				want = append(want, text)
			}
		}
		found, err := s.ListEvents(ctx, auth.Everything, storage.EventFilter{Text: needle})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range slices.Backward(found) {
			got = append(got, string(e.Data))
		}
		if !slices.Equal(got, want) {
			t.Errorf("text %q: found %q, LIKE finds %q", needle, got, want)
		}
	}
}
