package storage_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

// BenchmarkSearchEvents measures the searches an analyst runs most, on
// 200k stored events of about 1 KB (one owner each, 1,000 owners, a
// thousand addresses in each of 200 /24s): the first page of events of
// one address, of one /24 and of all (a /8), of one host name, of one AS, of one owner
// (an agency's view) and of a free-text match.
func BenchmarkSearchEvents(b *testing.B) {
	s := storagetest.SQLite(b)
	const owners, events = 1000, 200_000
	orgs := make([]int64, owners)
	for i := range orgs {
		o := org(fmt.Sprintf("o%d", i))
		if err := s.CreateOrg(ctx, analyst, &o); err != nil {
			b.Fatal(err)
		}
		orgs[i] = o.ID
	}
	pad := strings.Repeat("x", 900)
	batch := make([]storage.StoredEvent, 0, 5000)
	for n := range events {
		ip := fmt.Sprintf("10.%d.%d.%d", n%200, n/200%250, n/50000)
		e := storedEvent(fmt.Sprintf("e%d", n), ip, 20, orgs[n%owners])
		e.SourceFQDN = fmt.Sprintf("host%d.example.az", n)
		e.SourceASN = uint32(64500 + n%300)
		e.Data = fmt.Appendf(nil, `{"source.ip":%q,"extra.banner":"%s%d"}`, ip, pad, n)
		batch = append(batch, e)
		if len(batch) == cap(batch) {
			if _, _, err := s.InsertEvents(ctx, batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	agency := auth.Scope{OrgIDs: []int64{orgs[7]}}
	for _, c := range []struct {
		name  string
		scope auth.Scope
		f     storage.EventFilter
		want  int
	}{
		{"ip", auth.Everything, storage.EventFilter{IP: "10.7.3.1"}, 1},
		{"cidr24", auth.Everything, storage.EventFilter{IP: "10.7.3.0/24"}, 4},
		{"cidr8", auth.Everything, storage.EventFilter{IP: "10.0.0.0/8"}, 100},
		{"fqdn", auth.Everything, storage.EventFilter{FQDN: "host123457.example.az"}, 1},
		{"asn", auth.Everything, storage.EventFilter{ASN: 64507}, 100},
		{"agency", agency, storage.EventFilter{}, 100},
		{"agency-ip", agency, storage.EventFilter{IP: "10.7.0.0"}, 1},
		{"text", auth.Everything, storage.EventFilter{Text: "x123457\""}, 1},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				evs, err := s.ListEvents(ctx, c.scope, c.f)
				if err != nil || len(evs) != c.want {
					b.Fatalf("got %d events, %v; want %d", len(evs), err, c.want)
				}
			}
		})
	}
}
