// Package constituency models the organisations a national CERT serves
// (government agencies and critical-infrastructure operators), the internet
// resources they own and the people to contact, and answers "who owns this?".
package constituency

import (
	"regexp"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/tlp"
)

// Org is one organisation of the constituency.
type Org struct {
	ID        int64      `json:"id"`
	ShortName string     `json:"short_name"`
	Name      string     `json:"name"`
	Sector    Sector     `json:"sector"`
	Parent    string     `json:"parent,omitempty"` // short name of the parent organisation
	CII       bool       `json:"cii"`              // operates critical information infrastructure
	Language  Language   `json:"language"`
	TLP       tlp.Label  `json:"tlp"` // default label of data about this organisation
	Resources []Resource `json:"resources,omitempty"`
	Contacts  []Contact  `json:"contacts,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

var shortNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,62}$`)

// ValidShortName reports whether s is a usable short name: lower-case
// letters, digits, dot, dash and underscore, at most 63 characters. Short
// names appear in URLs, file names and notices, so they stay plain ASCII.
func ValidShortName(s string) bool { return shortNameRE.MatchString(s) }

// Normalize fills defaults, trims and validates the organisation's own
// fields, and normalises its resources and contacts. It returns the first
// problem found as an errs.Invalid error naming the field.
func (o *Org) Normalize() error {
	o.ShortName = strings.ToLower(strings.TrimSpace(o.ShortName))
	o.Name = strings.TrimSpace(o.Name)
	o.Parent = strings.ToLower(strings.TrimSpace(o.Parent))
	if !ValidShortName(o.ShortName) {
		return errs.Field("short_name", "%q is not a valid short name (lower-case letters, digits, '.', '-', '_'; at most 63)", o.ShortName)
	}
	if o.Name == "" {
		return errs.Field("name", "is required")
	}
	if len(o.Name) > 300 {
		return errs.Field("name", "is longer than 300 characters")
	}
	if o.Parent == o.ShortName {
		return errs.Field("parent", "an organisation cannot be its own parent")
	}
	if o.Parent != "" && !ValidShortName(o.Parent) {
		return errs.Field("parent", "%q is not a valid short name", o.Parent)
	}
	var err error
	if o.Sector, err = ParseSector(string(o.Sector)); err != nil {
		return err
	}
	if o.Language == "" {
		o.Language = DefaultLanguage
	}
	if o.Language, err = ParseLanguage(string(o.Language)); err != nil {
		return errs.InField("language", err)
	}
	if o.TLP == "" {
		o.TLP = tlp.Amber
	}
	if o.TLP, err = tlp.Parse(string(o.TLP)); err != nil {
		return errs.InField("tlp", err)
	}
	seen := map[string]bool{}
	for i := range o.Resources {
		if err := o.Resources[i].Normalize(); err != nil {
			return err
		}
		k := string(o.Resources[i].Kind) + " " + o.Resources[i].Value
		if seen[k] {
			return errs.Field("resources", "%s %s is listed twice", o.Resources[i].Kind, o.Resources[i].Value)
		}
		seen[k] = true
	}
	seenMail := map[string]bool{}
	for i := range o.Contacts {
		if err := o.Contacts[i].Normalize(o.Language); err != nil {
			return err
		}
		if seenMail[o.Contacts[i].Email] {
			return errs.Field("contacts", "%s is listed twice", o.Contacts[i].Email)
		}
		seenMail[o.Contacts[i].Email] = true
	}
	return nil
}
