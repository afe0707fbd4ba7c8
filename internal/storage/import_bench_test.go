package storage_test

import (
	"fmt"
	"testing"

	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

// bigRegistry makes n organisations with 10 resources each (domains, v4
// and v6 networks, hosts, a URL, an ASN) and one contact.
func bigRegistry(n int) []constituency.Org {
	orgs := make([]constituency.Org, n)
	for i := range orgs {
		o := constituency.Org{ShortName: fmt.Sprintf("org%05d", i), Name: fmt.Sprintf("Organisation %d", i), Sector: "government"}
		if i > 0 {
			o.Parent = fmt.Sprintf("org%05d", i/10)
		}
		a, b := i/256, i%256
		for _, v := range []string{
			fmt.Sprintf("org%d.gov.az", i), fmt.Sprintf("org%d-portal.az", i), fmt.Sprintf("org%d.edu.az", i),
			fmt.Sprintf("10.%d.%d.0/24", a, b), fmt.Sprintf("172.16.%d.%d", a, b), fmt.Sprintf("100.64.%d.%d", a, b),
			fmt.Sprintf("2001:db8:%x:%x::/64", a, b), fmt.Sprintf("2001:db8:%x:%x::1", a+4096, b),
			fmt.Sprintf("https://portal.org%d.gov.az/login", i), fmt.Sprintf("AS%d", 4200000000+i),
		} {
			o.Resources = append(o.Resources, constituency.Resource{Value: v})
		}
		o.Contacts = []constituency.Contact{{Email: fmt.Sprintf("cert@org%d.gov.az", i)}}
		orgs[i] = o
	}
	return orgs
}

// BenchmarkImportOrgs imports 10k organisations with 100k resources into an
// empty registry (ns/op is the whole import), then times re-importing the
// unchanged file, which must write nothing.
func BenchmarkImportOrgs(b *testing.B) {
	for _, db := range []struct {
		name string
		open func(testing.TB) *storage.Store
	}{{"sqlite", storagetest.SQLite}, {"postgres", storagetest.Postgres}} {
		b.Run(db.name+"/10k-orgs-100k-resources", func(b *testing.B) {
			orgs := bigRegistry(10_000)
			for b.Loop() {
				b.StopTimer()
				s := db.open(b)
				fresh := append([]constituency.Org(nil), orgs...)
				b.StartTimer()
				res, err := s.ImportOrgs(ctx, analyst, fresh)
				if err != nil || res.Created != len(orgs) {
					b.Fatalf("import: %+v, %v", res, err)
				}
			}
		})
		b.Run(db.name+"/reimport-unchanged", func(b *testing.B) {
			orgs := bigRegistry(10_000)
			s := db.open(b)
			if _, err := s.ImportOrgs(ctx, analyst, append([]constituency.Org(nil), orgs...)); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				res, err := s.ImportOrgs(ctx, analyst, append([]constituency.Org(nil), orgs...))
				if err != nil || res.Unchanged != len(orgs) {
					b.Fatalf("re-import: %+v, %v", res, err)
				}
			}
		})
	}
}
