package orgfile

import (
	"strings"

	"github.com/qalxan/qalxan/internal/constituency"
)

// tidyOrg unifies line breaks in the free-text fields and rejects control
// characters in every field. The raw file was checked already, but YAML
// escapes ("\x07", "\r") can still put them into values; a CR would not
// survive a trip through CSV (the reader folds CRLF inside quotes), and the
// rest have no place in a registry.
func tidyOrg(o *constituency.Org, d *draft) error {
	if err := plain(d.at, "short_name", o.ShortName); err != nil {
		return err
	}
	for _, f := range []struct{ key, v string }{
		{"sector", string(o.Sector)}, {"parent", o.Parent},
		{"language", string(o.Language)}, {"tlp", string(o.TLP)},
	} {
		if err := plain(d.at, f.key, f.v); err != nil {
			return err
		}
	}
	var err error
	if o.Name, err = freeText(d.at, "name", o.Name); err != nil {
		return err
	}
	// Copy before changing: the slices belong to the draft.
	o.Resources = append([]constituency.Resource(nil), o.Resources...)
	for i := range o.Resources {
		r, at := &o.Resources[i], d.resAt[i]
		for _, f := range []struct{ key, v string }{
			{"kind", string(r.Kind)}, {"value", r.Value}, {"criticality", string(r.Criticality)},
		} {
			if err := plain(at, "resources."+f.key, f.v); err != nil {
				return err
			}
		}
		if r.Notes, err = freeText(at, "resources.notes", r.Notes); err != nil {
			return err
		}
	}
	o.Contacts = append([]constituency.Contact(nil), o.Contacts...)
	for i := range o.Contacts {
		c, at := &o.Contacts[i], d.conAt[i]
		for _, f := range []struct{ key, v string }{
			{"email", c.Email}, {"role", c.Role}, {"language", string(c.Language)},
		} {
			if err := plain(at, "contacts."+f.key, f.v); err != nil {
				return err
			}
		}
		if c.Name, err = freeText(at, "contacts.name", c.Name); err != nil {
			return err
		}
		if c.PGPKey, err = freeText(at, "contacts.pgp_key", c.PGPKey); err != nil {
			return err
		}
	}
	return nil
}

// plain rejects any control character in a one-line field.
func plain(at pos, field, v string) error {
	for _, r := range v {
		if isControl(r) {
			return fieldAt(at.of(field), field, "contains the control character U+%04X", r)
		}
	}
	return nil
}

// freeText turns CRLF and CR into LF and rejects control characters other
// than tab and LF.
func freeText(at pos, field, v string) (string, error) {
	if strings.Contains(v, "\r") {
		v = strings.ReplaceAll(strings.ReplaceAll(v, "\r\n", "\n"), "\r", "\n")
	}
	for _, r := range v {
		if isControl(r) && r != '\t' && r != '\n' {
			return "", fieldAt(at.of(field), field, "contains the control character U+%04X", r)
		}
	}
	return v, nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7F || badRune(r) }
