package constituency

import (
	"testing"

	"github.com/qalxan/qalxan/internal/errs"
)

func TestResourceNormalize(t *testing.T) {
	cases := []struct {
		kind      ResourceKind
		in        string
		wantKind  ResourceKind
		wantValue string
		wantField string // "" = valid
	}{
		{"", "MDT.gov.az.", KindDomain, "mdt.gov.az", ""},
		{"", "*.mdt.gov.az", KindDomain, "mdt.gov.az", ""},
		{"", "ədliyyə.gov.az", KindDomain, "xn--dliyy-dlcf.gov.az", ""},
		{"", "198.51.100.77/25", KindCIDR, "198.51.100.0/25", ""},
		{"", "2001:DB8:10::/48", KindCIDR, "2001:db8:10::/48", ""},
		{"", "::ffff:192.0.2.0/120", KindCIDR, "192.0.2.0/24", ""},
		{"", "203.0.113.7", KindHost, "203.0.113.7", ""},
		{"", "2001:db8::0001", KindHost, "2001:db8::1", ""},
		{"", "as64500", KindASN, "AS64500", ""},
		{KindASN, "64500", KindASN, "AS64500", ""},
		{"", "HTTPS://Portal.MDT.gov.az:443/login#x", KindURL, "https://portal.mdt.gov.az/login", ""},
		{"", "http://[2001:db8::1]:8080", KindURL, "http://[2001:db8::1]:8080/", ""},
		{"", "198.51.100.300/24", KindCIDR, "", "resources.value"},
		{KindHost, "mdt.gov.az", KindHost, "", "resources.value"},
		{"", "ftp://x.az", KindURL, "", "resources.value"},
		{"", "-bad-.az", KindDomain, "", "resources.value"},
		{KindASN, "AS0", KindASN, "", "resources.value"},
		{"printer", "x", "", "", "resources.kind"},
	}
	for _, c := range cases {
		r := Resource{Kind: c.kind, Value: c.in}
		err := r.Normalize()
		if c.wantField != "" {
			if errs.FieldOf(err) != c.wantField {
				t.Errorf("%s %q: got %v, want an error on %s", c.kind, c.in, err, c.wantField)
			}
			continue
		}
		if err != nil || r.Kind != c.wantKind || r.Value != c.wantValue || r.Criticality != "medium" {
			t.Errorf("%s %q: got %s %q %s (%v), want %s %q medium", c.kind, c.in, r.Kind, r.Value, r.Criticality, err, c.wantKind, c.wantValue)
		}
	}
	if d := (Resource{Kind: KindDomain, Value: "xn--dliyy-dlcf.gov.az"}).Display(); d != "ədliyyə.gov.az" {
		t.Errorf("display: got %q, want the Unicode form", d)
	}
}

func TestOrgNormalize(t *testing.T) {
	good := func() Org {
		return Org{ShortName: " MDT ", Name: "Ministry", Sector: "Government", TLP: "TLP:AMBER+STRICT",
			Resources: []Resource{{Value: "mdt.gov.az"}},
			Contacts:  []Contact{{Email: "CERT@MDT.gov.az"}}}
	}
	o := good()
	if err := o.Normalize(); err != nil {
		t.Fatal(err)
	}
	if o.ShortName != "mdt" || o.Sector != "government" || o.TLP != "amber+strict" || o.Language != "az" ||
		o.Contacts[0].Email != "cert@mdt.gov.az" || o.Contacts[0].Language != "az" || o.Contacts[0].Role != "security" {
		t.Errorf("normalised: got %+v", o)
	}
	bad := []struct {
		field string
		mod   func(*Org)
	}{
		{"short_name", func(o *Org) { o.ShortName = "has space" }},
		{"name", func(o *Org) { o.Name = "" }},
		{"sector", func(o *Org) { o.Sector = "aerospace" }},
		{"language", func(o *Org) { o.Language = "fr" }},
		{"tlp", func(o *Org) { o.TLP = "purple" }},
		{"parent", func(o *Org) { o.Parent = "mdt" }},
		{"resources", func(o *Org) { o.Resources = append(o.Resources, Resource{Value: "MDT.gov.az"}) }},
		{"contacts", func(o *Org) { o.Contacts = append(o.Contacts, Contact{Email: "cert@mdt.gov.az"}) }},
		{"contacts.email", func(o *Org) { o.Contacts[0].Email = "Security <cert@mdt.gov.az>" }},
		{"contacts.role", func(o *Org) { o.Contacts[0].Role = "boss" }},
		{"contacts.pgp_key", func(o *Org) { o.Contacts[0].PGPKey = "not a key" }},
	}
	for _, b := range bad {
		o := good()
		b.mod(&o)
		if err := o.Normalize(); errs.FieldOf(err) != b.field {
			t.Errorf("%s: got %v, want an error on that field", b.field, err)
		}
	}
}
