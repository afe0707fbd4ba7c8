package orgfile

import (
	"strings"

	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/errs"
)

// pos records where an element of the file sits, so that an error found
// while validating it can name the line the user must fix.
type pos struct {
	line   int         // the element as a whole
	fields []fieldLine // fields whose value is on another line
}

// fieldLine is the line of a field, by its YAML key ("value", "email").
// A short slice rather than a map: an element has a handful of fields, and
// a large file has many elements.
type fieldLine struct {
	key  string
	line int
}

// set records that field key's value is on line.
func (p *pos) set(key string, line int) {
	if line != p.line {
		p.fields = append(p.fields, fieldLine{key, line})
	}
}

// of is the line of the field an errs.Field error names. Those names read
// "resources.value" or "sector"; the last part is the key in the file.
func (p pos) of(field string) int {
	key := field[strings.LastIndexByte(field, '.')+1:]
	for _, f := range p.fields {
		if f.key == key {
			return f.line
		}
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

// finish validates and normalises the drafts with
// (*constituency.Org).Normalize. That cannot say which resource or contact
// is at fault, so when it fails, locate repeats its checks part by part to
// put the right line on the error; the common case pays for one pass.
func finish(drafts []*draft) ([]constituency.Org, error) {
	orgs := make([]constituency.Org, 0, len(drafts))
	shortAt := make(map[string]int, len(drafts))
	for _, d := range drafts {
		o := d.org
		if err := tidyOrg(&o, d); err != nil {
			return nil, err
		}
		if err := o.Normalize(); err != nil {
			return nil, locate(d, err)
		}
		line := d.at.of("short_name")
		if first, dup := shortAt[o.ShortName]; dup {
			return nil, fieldAt(line, "short_name", "%q is already used on line %d", o.ShortName, first)
		}
		shortAt[o.ShortName] = line
		orgs = append(orgs, o)
	}
	return orgs, nil
}

// locate finds the line of the first problem in d, which Normalize
// reported as err, by checking the organisation's own fields, then each
// resource and contact in the order Normalize does.
func locate(d *draft, err error) error {
	o := d.org
	if err := tidyOrg(&o, d); err != nil {
		return err
	}
	shell, serr := normShell(o, d.at)
	if serr != nil {
		return serr
	}
	resAt := make(map[string]int, len(o.Resources))
	for i, r := range o.Resources {
		if err := r.Normalize(); err != nil {
			return atLine(d.resAt[i].of(errs.FieldOf(err)), err)
		}
		k := string(r.Kind) + " " + r.Value
		line := d.resAt[i].line
		if first, dup := resAt[k]; dup {
			return fieldAt(line, "resources", "%s %s is already listed on line %d", r.Kind, r.Value, first)
		}
		resAt[k] = line
	}
	conAt := make(map[string]int, len(o.Contacts))
	for i, c := range o.Contacts {
		c, err := normContact(c, shell.Language, d.conAt[i])
		if err != nil {
			return err
		}
		line := d.conAt[i].line
		if first, dup := conAt[c.Email]; dup {
			return fieldAt(line, "contacts", "%s is already listed on line %d", c.Email, first)
		}
		conAt[c.Email] = line
	}
	// Not expected: the checks above mirror Normalize's.
	return atLine(d.at.line, err)
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
