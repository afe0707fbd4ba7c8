package lookalike

import (
	"strings"

	"github.com/qalxan/qalxan/internal/errs"
)

// Brand is what a CERT protects: an organisation's official domains and
// the names people know it by ("Kapital Bank", "Birbank", "ASAN").
type Brand struct {
	ID       int64    `json:"id,omitempty"`
	Name     string   `json:"name"`
	Domains  []string `json:"domains"`
	Keywords []string `json:"keywords,omitempty"`
}

// Label names the brand in a match: its name, else its first domain.
func (b Brand) Label() string {
	if b.Name != "" {
		return b.Name
	}
	if len(b.Domains) > 0 {
		return b.Domains[0]
	}
	return ""
}

// minKeyword is the shortest folded keyword searched for inside names:
// shorter ones ("asan", "abb", "yelo") occur in innocent names by
// chance; they still match as permutations and by edit distance.
const minKeyword = 5

// ParseBrandLine reads the brands file format: an official domain,
// optionally followed by keywords ("examplebank.az example ebank").
// Blank lines and lines starting with # give ok false.
func ParseBrandLine(line string) (b Brand, ok bool, err error) {
	f := strings.Fields(line)
	if len(f) == 0 || strings.HasPrefix(f[0], "#") {
		return Brand{}, false, nil
	}
	if _, err := splitName(f[0]); err != nil {
		return Brand{}, false, err
	}
	return Brand{Name: f[0], Domains: f[:1], Keywords: f[1:]}, true, nil
}

// Validate checks a brand before it is stored or matched.
func (b Brand) Validate() error {
	if len(b.Domains) == 0 && len(b.Keywords) == 0 {
		return errs.Field("domains", "a brand needs an official domain or a keyword")
	}
	for _, d := range b.Domains {
		if _, err := splitName(d); err != nil {
			return errs.Field("domains", "%q is not a registrable domain", d)
		}
	}
	for _, k := range b.Keywords {
		if strings.TrimSpace(k) == "" {
			return errs.Field("keywords", "a keyword is empty")
		}
	}
	return nil
}
