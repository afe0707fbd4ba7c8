package orgfile

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/qalxan/qalxan/internal/constituency"
)

// benchOrgs generates n organisations with 10 resources of every kind and
// a contact each.
func benchOrgs(n int) []constituency.Org {
	orgs := make([]constituency.Org, n)
	for i := range orgs {
		o := &orgs[i]
		o.ShortName = fmt.Sprintf("org%04d", i)
		o.Name = fmt.Sprintf("Organisation number %d", i)
		o.Sector = constituency.Sectors[i%len(constituency.Sectors)]
		o.CII = i%3 == 0
		o.Language, o.TLP = "az", "amber"
		o.Resources = []constituency.Resource{
			{Kind: "domain", Value: fmt.Sprintf("org%d.gov.az", i), Criticality: "medium"},
			{Kind: "domain", Value: fmt.Sprintf("mail.org%d.az", i), Criticality: "high", Notes: "MX"},
			{Kind: "cidr", Value: fmt.Sprintf("10.%d.%d.0/24", i/256, i%256), Criticality: "medium"},
			{Kind: "cidr", Value: fmt.Sprintf("2001:db8:%x::/48", i), Criticality: "medium"},
			{Kind: "host", Value: fmt.Sprintf("172.16.%d.%d", i/256, i%256), Criticality: "medium"},
			{Kind: "host", Value: fmt.Sprintf("2001:db8:%x::1", i), Criticality: "low"},
			{Kind: "asn", Value: fmt.Sprintf("AS%d", 64512+i), Criticality: "medium"},
			{Kind: "url", Value: fmt.Sprintf("https://portal.org%d.gov.az/login", i), Criticality: "critical"},
			{Kind: "url", Value: fmt.Sprintf("http://org%d.az:8080/", i), Criticality: "medium"},
			{Kind: "domain", Value: fmt.Sprintf("org%d.example", i), Criticality: "medium"},
		}
		o.Contacts = []constituency.Contact{
			{Email: fmt.Sprintf("cert@org%d.gov.az", i), Name: "Security team", Role: "security", Language: "az"},
		}
	}
	return orgs
}

func BenchmarkDecodeYAML(b *testing.B) { benchDecode(b, YAML) }
func BenchmarkDecodeCSV(b *testing.B)  { benchDecode(b, CSV) }

func benchDecode(b *testing.B, f Format) {
	var buf bytes.Buffer
	if err := Encode(&buf, f, benchOrgs(1000)); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		orgs, err := Decode(bytes.NewReader(data), f)
		if err != nil || len(orgs) != 1000 {
			b.Fatalf("got %d organisations, %v; want 1000", len(orgs), err)
		}
	}
}
