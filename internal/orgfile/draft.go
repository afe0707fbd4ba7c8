package orgfile

import (
	"strings"

	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/errs"
)

// pos records where an element of the file sits, so that an error found
// while validating it can name the line the user must fix.
type pos struct {
	line   int            // the element as a whole
	fields map[string]int // YAML key ("value", "email") → line of its value
}

// of is the line of the field an errs.Field error names. Those names read
// "resources.value" or "sector"; the last part is the key in the file.
func (p pos) of(field string) int {
	key := field[strings.LastIndexByte(field, '.')+1:]
	if l, ok := p.fields[key]; ok {
		return l
	}
	return p.line
}

// draft is an organisation as written in the file, not yet validated, with
// the positions of its parts.
type draft struct {
	org   constituency.Org
	at    pos
	resAt []pos // parallel to org.Resources
	conAt []pos // parallel to org.Contacts
}

// finish validates and normalises the drafts. (*constituency.Org).Normalize
// has the final word, but it cannot say which resource or contact is at
// fault, so each part is first checked on its own to put the right line on
// the first error.
func finish(drafts []*draft) ([]constituency.Org, error) {
	orgs := make([]constituency.Org, 0, len(drafts))
	shortAt := make(map[string]int, len(drafts))
	for _, d := range drafts {
		o := d.org
		if err := tidyOrg(&o, d); err != nil {
			return nil, err
		}
		shell, err := normShell(o, d.at)
		if err != nil {
			return nil, err
		}
		line := d.at.of("short_name")
		if first, dup := shortAt[shell.ShortName]; dup {
			return nil, fieldAt(line, "short_name", "%q is already used on line %d", shell.ShortName, first)
		}
		shortAt[shell.ShortName] = line
		resAt := make(map[string]int, len(o.Resources))
		for i, r := range o.Resources {
			if err := r.Normalize(); err != nil {
				return nil, atLine(d.resAt[i].of(errs.FieldOf(err)), err)
			}
			k := string(r.Kind) + " " + r.Value
			line := d.resAt[i].line
			if first, dup := resAt[k]; dup {
				return nil, fieldAt(line, "resources", "%s %s is already listed on line %d", r.Kind, r.Value, first)
			}
			resAt[k] = line
		}
		conAt := make(map[string]int, len(o.Contacts))
		for i, c := range o.Contacts {
			c, err := normContact(c, shell.Language, d.conAt[i])
			if err != nil {
				return nil, err
			}
			line := d.conAt[i].line
			if first, dup := conAt[c.Email]; dup {
				return nil, fieldAt(line, "contacts", "%s is already listed on line %d", c.Email, first)
			}
			conAt[c.Email] = line
		}
		if err := o.Normalize(); err != nil {
			// Not expected after the checks above; keep the error anyway.
			return nil, atLine(d.at.line, err)
		}
		orgs = append(orgs, o)
	}
	return orgs, nil
}

// normShell normalises an organisation's own fields, without its resources
// and contacts.
func normShell(o constituency.Org, at pos) (constituency.Org, error) {
	o.Resources, o.Contacts = nil, nil
	if err := o.Normalize(); err != nil {
		return o, atLine(at.of(errs.FieldOf(err)), err)
	}
	return o, nil
}

// normContact normalises one contact of an organisation whose (normalised)
// language is lang.
func normContact(c constituency.Contact, lang constituency.Language, at pos) (constituency.Contact, error) {
	if err := c.Normalize(lang); err != nil {
		return c, atLine(at.of(errs.FieldOf(err)), err)
	}
	return c, nil
}
