package constituency

import (
	"net/mail"
	"strings"

	"github.com/qalxan/qalxan/internal/errs"
)

// Contact is a person or team to notify at an organisation. Contacts are
// personal data: reading them is recorded in the audit log.
type Contact struct {
	ID       int64    `json:"id"`
	OrgID    int64    `json:"org_id,omitempty"`
	Email    string   `json:"email"`
	Name     string   `json:"name,omitempty"`
	Role     string   `json:"role,omitempty"` // security, technical, management, escalation, ...
	Language Language `json:"language,omitempty"`
	PGPKey   string   `json:"pgp_key,omitempty"` // ASCII-armoured OpenPGP public key
}

// ContactRoles are the roles a contact may have; notices pick contacts by role.
var ContactRoles = []string{"security", "technical", "management", "escalation", "abuse", "other"}

// Normalize validates the contact, defaulting its language to orgLang.
func (c *Contact) Normalize(orgLang Language) error {
	c.Email = strings.TrimSpace(c.Email)
	addr, err := mail.ParseAddress(c.Email)
	if err != nil || addr.Name != "" || !strings.Contains(addr.Address, "@") {
		return errs.Field("contacts.email", "%q is not an e-mail address", c.Email)
	}
	// Domain part is case-insensitive; the local part we keep as written
	// except for case, which every real mail system ignores.
	c.Email = strings.ToLower(addr.Address)
	c.Name = strings.TrimSpace(c.Name)
	c.Role = strings.ToLower(strings.TrimSpace(c.Role))
	if c.Role == "" {
		c.Role = "security"
	}
	known := false
	for _, r := range ContactRoles {
		known = known || r == c.Role
	}
	if !known {
		return errs.Field("contacts.role", "unknown role %q (known: %s)", c.Role, strings.Join(ContactRoles, ", "))
	}
	if c.Language == "" {
		c.Language = orgLang
	}
	if c.Language, err = ParseLanguage(string(c.Language)); err != nil {
		return errs.InField("contacts.language", err)
	}
	c.PGPKey = strings.TrimSpace(c.PGPKey)
	if c.PGPKey != "" && !strings.HasPrefix(c.PGPKey, "-----BEGIN PGP PUBLIC KEY BLOCK-----") {
		return errs.Field("contacts.pgp_key", "is not an ASCII-armoured OpenPGP public key")
	}
	return nil
}
