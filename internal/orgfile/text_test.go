package orgfile

import (
	"testing"

	"github.com/qalxan/qalxan/internal/constituency"
)

// TestRoundTripText sends awkward free text through both formats: text
// that YAML would read as another type or syntax, CSV delimiters and
// quotes, and line breaks in the places block scalars find hard.
func TestRoundTripText(t *testing.T) {
	for _, s := range []string{
		"true", "~", "null", "007", "1e3", "- item", "? key", "key: value", "# not a comment",
		"a #b", "'single'", `"double"`, "a,b;c", "=SUM(A1)", "@x", "&anchor", "*alias", "!tag", "|", ">",
		"a\nb", "a\n\nb", "a \nb", "a\n b", "a\tb", "a\n\tb", "\u00a0nbsp\u00a0", "zero\u200bwidth",
		"\ufeffbom", "Ədliyyə Nazirliyi", "emoji 🛡", "x\u00a0\n\u00a0y", "{flow}", "[flow]", "%YAML",
		"---", "...", "a\\nb",
	} {
		orgs := []constituency.Org{{
			ShortName: "a", Name: s, Sector: "other", Language: "az", TLP: "amber",
			Resources: []constituency.Resource{{Kind: "domain", Value: "a.az", Criticality: "medium", Notes: s}},
			Contacts:  []constituency.Contact{{Email: "a@a.az", Name: s, Role: "security", Language: "az"}},
		}}
		// Start from the normalised form: Normalize trims the text.
		orgs = decodeString(t, YAML, encodeString(t, YAML, orgs))
		for _, f := range []Format{YAML, CSV} {
			got := decodeString(t, f, encodeString(t, f, orgs))
			if d := diffOrgs(got, orgs); d != "" {
				t.Errorf("%q through %s: %s", s, f, d)
			}
		}
	}
}
