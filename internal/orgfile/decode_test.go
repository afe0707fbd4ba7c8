package orgfile

import (
	"os"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/errs"
)

// exampleOrgs is what testdata/in/example.yaml and example.csv hold.
var exampleOrgs = []constituency.Org{{
	ShortName: "mdt",
	Name:      "Ministry of Digital Development and Transport",
	Sector:    "government",
	Parent:    "cabinet",
	CII:       true,
	Language:  "az",
	TLP:       "amber",
	Resources: []constituency.Resource{
		{Kind: "domain", Value: "mdt.gov.az", Criticality: "medium"},
		{Kind: "cidr", Value: "198.51.100.0/25", Criticality: "medium"},
		{Kind: "cidr", Value: "2001:db8:10::/48", Criticality: "medium"},
		{Kind: "asn", Value: "AS64500", Criticality: "medium"},
		{Kind: "url", Value: "https://portal.mdt.gov.az/login", Criticality: "medium"},
		{Kind: "host", Value: "203.0.113.7", Criticality: "high", Notes: "mail relay"},
	},
	Contacts: []constituency.Contact{
		{Email: "cert@mdt.gov.az", Name: "Security team", Role: "security", Language: "az"},
	},
}}

func TestDecodeExample(t *testing.T) {
	for _, name := range []string{"example.yaml", "example.csv"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile("testdata/in/" + name)
			if err != nil {
				t.Fatal(err)
			}
			f, err := DetectFormat(name, data)
			if err != nil {
				t.Fatal(err)
			}
			sameOrgs(t, decodeString(t, f, string(data)), exampleOrgs)
		})
	}
}

// TestDecodeCSVRules covers what only the flat form has: grouping rows by
// short name, merging repeated contacts, tolerated spellings.
func TestDecodeCSVRules(t *testing.T) {
	in := "\uFEFFName , SHORT_NAME,cii,resource,Contact_Email,contact_name\n" +
		"Bank,bank,yes,bank.az,cert@bank.az,CERT\n" +
		"Telco,telco,0,,,\n" +
		",,,,,\n" +
		"Bank,BANK,true,,CERT@bank.az,CERT\n" +
		"Bank,bank,1,192.0.2.1,,\n"
	got := decodeString(t, CSV, in)
	want := []constituency.Org{
		{ShortName: "bank", Name: "Bank", Sector: "other", CII: true, Language: "az", TLP: "amber",
			Resources: []constituency.Resource{
				{Kind: "domain", Value: "bank.az", Criticality: "medium"},
				{Kind: "host", Value: "192.0.2.1", Criticality: "medium"},
			},
			Contacts: []constituency.Contact{{Email: "cert@bank.az", Name: "CERT", Role: "security", Language: "az"}},
		},
		{ShortName: "telco", Name: "Telco", Sector: "other", Language: "az", TLP: "amber"},
	}
	sameOrgs(t, got, want)
}

func TestDecodeEmptyRegistry(t *testing.T) {
	for _, tc := range []struct {
		f  Format
		in string
	}{
		{YAML, "organisations: []\n"},
		{YAML, "organisations:\n"},
		{CSV, "short_name,name\n"},
	} {
		if got := decodeString(t, tc.f, tc.in); len(got) != 0 {
			t.Errorf("Decode(%q): got %d organisations, want 0", tc.in, len(got))
		}
	}
}

const csvHeader = "short_name,name,sector,parent,cii,language,tlp,resource_kind,resource,criticality,notes,contact_email,contact_name,contact_role,contact_language\n"

// decodeErrors are inputs Decode must refuse, with the start of the message
// (which names the line). The fuzz targets use them as seeds too.
var decodeErrors = []struct {
	name string
	f    Format
	in   string
	want string
}{
	{"bad IP", YAML, "organisations:\n  - short_name: a\n    name: A\n    resources:\n      - example.az\n      - {kind: host, value: 300.1.1.1}\n",
		`line 6: resources.value: "300.1.1.1" is not an IP address`},
	{"bad IP in mapping, value line", YAML, "organisations:\n  - short_name: a\n    name: A\n    resources:\n      - kind: host\n        value: 300.1.1.1\n",
		`line 6: resources.value: "300.1.1.1" is not an IP address`},
	{"bad kind", YAML, "organisations:\n  - short_name: a\n    name: A\n    resources:\n      - kind: ip\n        value: 192.0.2.1\n",
		`line 5: resources.kind: unknown kind "ip"`},
	{"bad CIDR shorthand", YAML, "organisations:\n- short_name: a\n  name: A\n  resources: [192.0.2.0/33]\n",
		`line 4: resources.value: "192.0.2.0/33" is not a network`},
	{"unknown org key", YAML, "organisations:\n  - short_name: a\n    name: A\n    parnet: b\n",
		`line 4: unknown key "parnet" (known: short_name, name,`},
	{"unknown resource key", YAML, "organisations:\n  - short_name: a\n    name: A\n    resources:\n      - {value: a.az, note: x}\n",
		`line 5: unknown key "note"`},
	{"unknown contact key", YAML, "organisations:\n  - short_name: a\n    name: A\n    contacts:\n      - email: a@a.az\n        phone: 1\n",
		`line 6: unknown key "phone"`},
	{"unknown top key", YAML, "organizations:\n  - short_name: a\n",
		`line 1: unknown key "organizations" (known: organisations)`},
	{"duplicate key", YAML, "organisations:\n  - short_name: a\n    name: A\n    name: B\n",
		`line 4: key "name" appears twice (first on line 3)`},
	{"bad sector", YAML, "organisations:\n  - short_name: a\n    name: A\n    sector: banking\n",
		`line 4: sector: unknown sector "banking"`},
	{"bad language", YAML, "organisations:\n  - short_name: a\n    name: A\n    language: de\n",
		`line 4: language: unknown language "de"`},
	{"bad tlp", YAML, "organisations:\n  - short_name: a\n    name: A\n\n    tlp: orange\n",
		`line 5: tlp: unknown TLP label "orange"`},
	{"bad cii", YAML, "organisations:\n  - short_name: a\n    name: A\n    cii: maybe\n",
		`line 4: cii: want true or false`},
	{"bad short name", YAML, "organisations:\n  - short_name: Ədliyyə\n    name: A\n",
		`line 2: short_name: "ədliyyə" is not a valid short name`},
	{"missing name", YAML, "organisations:\n  - short_name: a\n  - short_name: b\n    sector: energy\n",
		`line 2: name: is required`},
	{"duplicate short name", YAML, "organisations:\n  - short_name: a\n    name: A\n  - name: B\n    short_name: A\n",
		`line 5: short_name: "a" is already used on line 2`},
	{"duplicate resource", YAML, "organisations:\n  - short_name: a\n    name: A\n    resources:\n      - a.az\n      - 192.0.2.1\n      - A.AZ.\n",
		`line 7: resources: domain a.az is already listed on line 5`},
	{"duplicate contact", YAML, "organisations:\n  - short_name: a\n    name: A\n    contacts:\n      - {email: x@a.az}\n      - {email: X@A.az, role: abuse}\n",
		`line 6: contacts: x@a.az is already listed on line 5`},
	{"bad email", YAML, "organisations:\n  - short_name: a\n    name: A\n    contacts:\n      - {name: X, email: not-an-address}\n",
		`line 5: contacts.email: "not-an-address" is not an e-mail address`},
	{"bad role", YAML, "organisations:\n  - short_name: a\n    name: A\n    contacts:\n      - email: x@a.az\n        role: boss\n",
		`line 6: contacts.role: unknown role "boss"`},
	{"own parent", YAML, "organisations:\n  - short_name: a\n    name: A\n    parent: a\n",
		`line 4: parent: an organisation cannot be its own parent`},
	{"resource as list", YAML, "organisations:\n  - short_name: a\n    name: A\n    resources:\n      - [a.az]\n",
		`line 5: resources: each resource must be`},
	{"contact as string", YAML, "organisations:\n  - short_name: a\n    name: A\n    contacts:\n      - x@a.az\n",
		`line 5: contacts: each contact must be a mapping`},
	{"name as list", YAML, "organisations:\n  - short_name: a\n    name: [A]\n",
		`line 3: name: want a single value`},
	{"resources as mapping", YAML, "organisations:\n  - short_name: a\n    name: A\n    resources: {a: b}\n",
		`line 4: resources: want a list`},
	{"org as string", YAML, "organisations:\n  - a\n",
		`line 2: each organisation must be a mapping`},
	{"organisations as mapping", YAML, "organisations:\n  a: b\n",
		`line 2: organisations: want a list`},
	{"missing organisations", YAML, "{}\n", `line 1: the organisations key is missing`},
	{"alias", YAML, "organisations:\n  - &x {short_name: a, name: A}\n  - *x\n",
		`line 3: aliases (*x) are not supported`},
	{"two documents", YAML, "organisations: []\n---\norganisations: []\n",
		`line 2: the file holds more than one YAML document`},
	{"control character escape", YAML, "organisations:\n  - short_name: a\n    name: \"A\\x07\"\n",
		`line 3: name: contains the control character U+0007`},
	{"garbage text", YAML, "Dear CERT, please find attached our list.\n",
		`line 1: the file must be a mapping`},
	{"garbage syntax", YAML, "organisations:\n  - short_name: a\n    name: [A\n",
		`line 3: did not find expected ',' or ']'`},
	{"garbage syntax, scanner", YAML, "organisations:\n  - short_name: a\n    name: \"A\n",
		`line 3: found unexpected end of stream`},
	{"garbage syntax, first line", YAML, "organisations: x: y\n",
		`line 1: mapping values are not allowed in this context`},
	{"garbage syntax, block", YAML, "organisations:\n  - short_name: a\n  name: A\n",
		`line 2: did not find expected '-' indicator`},
	{"garbage syntax, key", YAML, "organisations: []\n- a\n",
		`line 2: did not find expected key`},
	{"garbage escape", YAML, "organisations:\n  - short_name: a\n    name: \"\\q\"\n",
		`line 3: found unknown escape character`},
	{"garbage tabs", YAML, "organisations:\n\t- short_name: a\n",
		`line 2: found character that cannot start any token`},
	{"garbage binary", YAML, "organisations:\n\x00\x01\x02",
		`line 2: the file contains the control character U+0000`},
	{"not UTF-8", CSV, csvHeader + "a,\xc0\xe4\xeb\xe8\xe9\xe9\xe0,,,,,,,,,,,,,\n",
		`line 2: the file is not valid UTF-8 text`},
	{"UTF-16", CSV, "\xff\xfes\x00h\x00", `line 1: the file is UTF-16 text`},
	{"empty YAML", YAML, "", `line 1: the file is empty`},
	{"blank YAML", YAML, " \n\n\t\n", `line 1: the file is empty`},
	{"comments only", YAML, "# nothing yet\n", `line 1: the file is empty`},
	{"empty CSV", CSV, "", `line 1: the file is empty`},
	{"BOM only CSV", CSV, "\uFEFF\r\n", `line 1: the file is empty`},
	{"CSV wrong column count", CSV, csvHeader + "a,A,,,,,,,,,,,,,\nb,B,,,,,,,,,\n",
		`line 3: the row has 11 columns but the header has 15`},
	{"CSV conflicting org columns", CSV, csvHeader + "a,A,energy,,,,,,a.az,,,,,,\nb,B,,,,,,,,,,,,,\na,A,finance,,,,,,b.az,,,,,,\n",
		`line 4: sector: "finance" here but "energy" on line 2; every row of a must agree`},
	{"CSV conflicting cii", CSV, csvHeader + "a,A,,,yes,,,,a.az,,,,,,\na,A,,,no,,,,b.az,,,,,,\n",
		`line 3: cii: "false" here but "true" on line 2`},
	{"CSV conflicting contact", CSV, csvHeader + "a,A,,,,,,,,,,x@a.az,X,,\na,A,,,,,,,,,,x@a.az,Y,,\n",
		`line 3: contact_name: "Y" here but "X" on line 2 for x@a.az`},
	{"CSV unknown column", CSV, "short_name,name,email,Phone\n", `line 1: unknown column(s) "email", "phone" (known: short_name,`},
	{"CSV duplicate column", CSV, "short_name,name,Name\n", `line 1: column "name" appears twice`},
	{"CSV missing name column", CSV, "short_name,sector\na,energy\n", `line 1: the header lacks the name column`},
	{"CSV bad IP", CSV, csvHeader + "a,A,,,,,,,a.az,,,,,,\na,A,,,,,,host,300.1.1.1,,,,,,\n",
		`line 3: resources.value: "300.1.1.1" is not an IP address`},
	{"CSV bad IP after multi-line cell", CSV, "short_name,name,notes,resource_kind,resource\na,A,\"two\nlines\",host,300.1.1.1\n",
		`line 3: resources.value: "300.1.1.1" is not an IP address`},
	{"CSV bad sector", CSV, csvHeader + "a,A,banking,,,,,,,,,,,,\n", `line 2: sector: unknown sector "banking"`},
	{"CSV bad cii", CSV, csvHeader + "a,A,,,maybe,,,,,,,,,,\n", `line 2: cii: want true or false`},
	{"CSV duplicate resource", CSV, csvHeader + "a,A,,,,,,,a.az,,,,,,\na,A,,,,,,,A.az.,,,,,,\n",
		`line 3: resources: domain a.az is already listed on line 2`},
	{"CSV contact without email", CSV, csvHeader + "a,A,,,,,,,,,,,,,\nb,B,,,,,,,,,,,,,\nb,B,,,,,,,,,,,,,en\n",
		`line 4: contact_email: is empty, but another contact column is not`},
	{"CSV notes without resource", CSV, csvHeader + "a,A,,,,,,,,,note,,,,\n",
		`line 2: resource: is empty, but resource_kind, criticality or notes is not`},
	{"CSV bare quote", CSV, "short_name,name\na,Bank \"X\"\n",
		`line 2: bare " in non-quoted-field`},
	{"CSV unterminated quote", CSV, "short_name,name\na,\"Bank\n",
		`line 2: extraneous or missing " in quoted-field`},
	{"CSV garbage", CSV, "%PDF-1.7\n%âãÏÓ\n", `line 1: the first row must be a header naming the columns (short_name, name,`},
	{"CSV without header", CSV, "mdt,Ministry,government\n", `line 1: the first row must be a header`},
}

func TestDecodeErrors(t *testing.T) {
	for _, tc := range decodeErrors {
		t.Run(tc.name, func(t *testing.T) {
			orgs, err := Decode(strings.NewReader(tc.in), tc.f)
			if err == nil {
				t.Fatalf("got %d organisations and no error, want error %q", len(orgs), tc.want)
			}
			if orgs != nil {
				t.Errorf("got %d organisations with the error, want none", len(orgs))
			}
			if c := errs.CodeOf(err); c != errs.Invalid {
				t.Errorf("got code %s, want %s", c, errs.Invalid)
			}
			if msg := errs.Message(err); !strings.HasPrefix(msg, tc.want) {
				t.Errorf("got message %q, want it to start with %q", msg, tc.want)
			}
		})
	}
}

func TestDecodeTooLarge(t *testing.T) {
	big := strings.NewReader("#" + strings.Repeat(" ", MaxSize))
	_, err := Decode(big, YAML)
	if want := "the file is larger than 64 MiB"; !strings.HasPrefix(errs.Message(err), want) || errs.CodeOf(err) != errs.Invalid {
		t.Errorf("got %v, want an Invalid error starting %q", err, want)
	}
}

func TestUnknownFormat(t *testing.T) {
	if _, err := Decode(strings.NewReader("x"), "xml"); !errs.Is(err, errs.Invalid) {
		t.Errorf("Decode: got %v, want an Invalid error", err)
	}
	if err := Encode(new(strings.Builder), "xml", nil); !errs.Is(err, errs.Invalid) {
		t.Errorf("Encode: got %v, want an Invalid error", err)
	}
}
