package orgfile

import (
	"bytes"
	"errors"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/qalxan/qalxan/internal/constituency"
)

// The keys each YAML mapping may hold. Anything else is an error rather
// than ignored: a misspelt "parnet" silently dropped would be a wrong
// registry entry nobody notices.
var (
	topKeys      = []string{"organisations"}
	orgKeys      = []string{"short_name", "name", "sector", "parent", "cii", "language", "tlp", "resources", "contacts"}
	resourceKeys = []string{"kind", "value", "criticality", "notes"}
	contactKeys  = []string{"email", "name", "role", "language", "pgp_key"}
)

// parseYAML walks the yaml.Node tree rather than unmarshalling into
// structs: the nodes carry the line numbers errors need, and walking lets
// a resource be either a plain string or a mapping.
func parseYAML(data []byte) ([]*draft, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errAt(1, "the file is empty: it holds only comments")
		}
		return nil, yamlSyntax(err)
	}
	// A second document would otherwise be ignored, and with it part of
	// the registry.
	var next yaml.Node
	if err := dec.Decode(&next); err == nil {
		return nil, errAt(next.Line, "the file holds more than one YAML document (---)")
	} else if !errors.Is(err, io.EOF) {
		return nil, yamlSyntax(err)
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, errAt(root.Line, "the file must be a mapping with an organisations list")
	}
	var list *yaml.Node
	err := eachKey(root, topKeys, func(_ string, v *yaml.Node) error {
		list = v
		return nil
	})
	if err != nil {
		return nil, err
	}
	if list == nil {
		return nil, errAt(root.Line, "the organisations key is missing")
	}
	items, err := sequence(list, "organisations")
	if err != nil {
		return nil, err
	}
	drafts := make([]*draft, 0, len(items))
	for _, n := range items {
		d, err := yamlOrg(n)
		if err != nil {
			return nil, err
		}
		drafts = append(drafts, d)
	}
	return drafts, nil
}

// yamlSyntax turns a parser error ("yaml: line 3: could not find expected
// ':'") into an Invalid error in this package's form. The parser leaves the
// line out for problems on the first line.
func yamlSyntax(err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if strings.HasPrefix(msg, "line ") {
		return invalid(msg)
	}
	return errAt(1, "%s", msg)
}

func yamlOrg(n *yaml.Node) (*draft, error) {
	if n.Kind != yaml.MappingNode {
		return nil, errAt(n.Line, "each organisation must be a mapping (short_name: ..., name: ...)")
	}
	d := &draft{at: pos{line: n.Line, fields: map[string]int{}}}
	o := &d.org
	err := eachKey(n, orgKeys, func(key string, v *yaml.Node) error {
		d.at.fields[key] = v.Line
		var err error
		switch key {
		case "short_name":
			o.ShortName, err = scalar(v, key)
		case "name":
			o.Name, err = scalar(v, key)
		case "sector":
			err = scalarTo(v, key, &o.Sector)
		case "parent":
			o.Parent, err = scalar(v, key)
		case "cii":
			var s string
			if s, err = scalar(v, key); err == nil {
				o.CII, err = parseBool(v.Line, key, s)
			}
		case "language":
			err = scalarTo(v, key, &o.Language)
		case "tlp":
			err = scalarTo(v, key, &o.TLP)
		case "resources":
			err = yamlResources(v, d)
		case "contacts":
			err = yamlContacts(v, d)
		}
		return err
	})
	return d, err
}

func yamlResources(list *yaml.Node, d *draft) error {
	items, err := sequence(list, "resources")
	if err != nil {
		return err
	}
	for _, n := range items {
		var r constituency.Resource
		at := pos{line: n.Line}
		switch n.Kind {
		case yaml.ScalarNode:
			// The shorthand: the kind is detected from the value.
			if r.Value, err = scalar(n, "resources"); err != nil {
				return err
			}
		case yaml.MappingNode:
			at.fields = map[string]int{}
			err = eachKey(n, resourceKeys, func(key string, v *yaml.Node) error {
				at.fields[key] = v.Line
				switch key {
				case "kind":
					// Kinds are compared exactly by the domain layer;
					// accept "Host" as people write it.
					s, err := scalar(v, "resources.kind")
					r.Kind = constituency.ResourceKind(strings.ToLower(strings.TrimSpace(s)))
					return err
				case "value":
					return scalarTo(v, "resources.value", &r.Value)
				case "criticality":
					return scalarTo(v, "resources.criticality", &r.Criticality)
				default:
					return scalarTo(v, "resources.notes", &r.Notes)
				}
			})
			if err != nil {
				return err
			}
		default:
			return errAt(n.Line, "resources: each resource must be a value (mdt.gov.az) or a mapping {kind, value, criticality, notes}")
		}
		d.org.Resources = append(d.org.Resources, r)
		d.resAt = append(d.resAt, at)
	}
	return nil
}

func yamlContacts(list *yaml.Node, d *draft) error {
	items, err := sequence(list, "contacts")
	if err != nil {
		return err
	}
	for _, n := range items {
		if n.Kind != yaml.MappingNode {
			return errAt(n.Line, "contacts: each contact must be a mapping {email, name, role, language}")
		}
		var c constituency.Contact
		at := pos{line: n.Line, fields: map[string]int{}}
		err := eachKey(n, contactKeys, func(key string, v *yaml.Node) error {
			at.fields[key] = v.Line
			field := "contacts." + key
			switch key {
			case "email":
				return scalarTo(v, field, &c.Email)
			case "name":
				return scalarTo(v, field, &c.Name)
			case "role":
				return scalarTo(v, field, &c.Role)
			case "language":
				return scalarTo(v, field, &c.Language)
			default:
				return scalarTo(v, field, &c.PGPKey)
			}
		})
		if err != nil {
			return err
		}
		d.org.Contacts = append(d.org.Contacts, c)
		d.conAt = append(d.conAt, at)
	}
	return nil
}
