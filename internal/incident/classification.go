package incident

import (
	"regexp"
	"strings"

	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/event"
)

// Classification is the incident's place in the Reference Security
// Incident Taxonomy, as IntelMQ writes it. RSIT has no type for voice
// phishing or card fraud: those are fraud/masquerade or
// information-gathering/social-engineering, and the identifier names the
// scheme ("vishing", "fake-payment-page", "otp-theft").
type Classification struct {
	Taxonomy   string `json:"taxonomy"`
	Type       string `json:"type"`
	Identifier string `json:"identifier,omitempty"`
}

var identifierRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._/-]{0,63}$`)

// Normalize lower-cases c, fills the taxonomy from the type, and checks
// the pair against RSIT.
func (c *Classification) Normalize() error {
	c.Taxonomy = strings.ToLower(strings.TrimSpace(c.Taxonomy))
	c.Type = strings.ToLower(strings.TrimSpace(c.Type))
	c.Identifier = strings.ToLower(strings.TrimSpace(c.Identifier))
	if c.Type == "" {
		return errs.Field("type", "give the RSIT classification type (phishing, masquerade, ddos, data-leak, …)")
	}
	tax, ok := event.TaxonomyOf(c.Type)
	if !ok {
		return errs.Field("type", "%q is not an RSIT classification type", c.Type)
	}
	if c.Taxonomy == "" {
		c.Taxonomy = tax
	} else if c.Taxonomy != tax {
		return errs.Field("taxonomy", "type %q belongs to taxonomy %q, not %q", c.Type, tax, c.Taxonomy)
	}
	if c.Identifier != "" && !identifierRE.MatchString(c.Identifier) {
		return errs.Field("identifier", "%q is not an identifier (lower-case letters, digits, '.', '_', '/', '-'; at most 64)", c.Identifier)
	}
	return nil
}

// String is "taxonomy/type (identifier)".
func (c Classification) String() string {
	s := c.Taxonomy + "/" + c.Type
	if c.Identifier != "" {
		s += " (" + c.Identifier + ")"
	}
	return s
}

// Category is what a reporter says happened, in words a citizen knows.
// Each maps to a classification (ClassOf) that an analyst may correct.
type Category string

const (
	CatPhishing    Category = "phishing"     // a site asking for a password or card
	CatVishing     Category = "vishing"      // a call pretending to be a bank's support, asking for card data and codes
	CatSMS         Category = "sms"          // an SMS with a link or a request (smishing)
	CatFakeShop    Category = "fake-shop"    // a shop or payment page that takes money and delivers nothing
	CatSocialFraud Category = "social-fraud" // a fake or hijacked social-network account
	CatDDoS        Category = "ddos"         // a service flooded out of reach
	CatDataLeak    Category = "data-leak"    // personal or confidential data exposed
	CatMalware     Category = "malware"      // an infected device, a malicious app or attachment
	CatOther       Category = "other"
)

// Categories lists the reporter's choices in the order a form shows them.
var Categories = []Category{CatPhishing, CatVishing, CatSMS, CatFakeShop, CatSocialFraud, CatDDoS, CatDataLeak, CatMalware, CatOther}

var classOf = map[Category]Classification{
	CatPhishing:    {"fraud", "phishing", "phishing"},
	CatVishing:     {"fraud", "masquerade", "vishing"},
	CatSMS:         {"fraud", "phishing", "smishing"},
	CatFakeShop:    {"fraud", "masquerade", "fake-shop"},
	CatSocialFraud: {"fraud", "masquerade", "social-network-fraud"},
	CatDDoS:        {"availability", "ddos", "ddos"},
	CatDataLeak:    {"information-content-security", "data-leak", "personal-data-breach"},
	CatMalware:     {"malicious-code", "infected-system", "malware"},
	CatOther:       {"other", "undetermined", ""},
}

// ClassOf is the classification a category starts an incident with.
func ClassOf(c Category) Classification { return classOf[c] }

// ParseCategory reads a category name.
func ParseCategory(s string) (Category, error) {
	c := Category(strings.ToLower(strings.TrimSpace(s)))
	if _, ok := classOf[c]; !ok {
		return "", errs.Field("category", "%q is not one of phishing, vishing, sms, fake-shop, social-fraud, ddos, data-leak, malware, other", s)
	}
	return c, nil
}

// PersonalData reports whether incidents of this classification are
// personal-data offences: a restricted category whose personal fields
// only named roles see.
func (c Classification) PersonalData() bool {
	return c.Type == "data-leak" || c.Type == "unauthorised-information-access"
}
