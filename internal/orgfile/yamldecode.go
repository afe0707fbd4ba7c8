package orgfile

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"strconv"
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
	if len(doc.Content) == 0 {
		return nil, errAt(1, "the file is empty: it holds only comments")
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
// ':'") into an Invalid error in this package's form.
//
// The yaml package numbers lines from 1 for scanner errors but from 0 for
// parser errors (it adds 1 only for the former), and leaves the line out
// when the mark is on line 0, so the parser's messages get one added here.
// TestDecodeErrors pins this down in case a release fixes it.
func yamlSyntax(err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		n, tail, _ := strings.Cut(rest, ": ")
		if l, err := strconv.Atoi(n); err == nil {
			line, msg = l, tail
		}
	}
	if line == 0 || slices.Contains(yamlParserProblems, msg) {
		line++
	}
	return errAt(line, "%s", msg)
}

// yamlParserProblems are the messages of the yaml package's parser (as
// opposed to its scanner), from parserc.go.
var yamlParserProblems = []string{
	"did not find expected <stream-start>",
	"did not find expected <document start>",
	"found undefined tag handle",
	"did not find expected node content",
	"did not find expected '-' indicator",
	"did not find expected key",
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"found duplicate %YAML directive",
	"found incompatible YAML document",
	"found duplicate %TAG directive",
}

func yamlOrg(n *yaml.Node) (*draft, error) {
	if n.Kind != yaml.MappingNode {
		return nil, errAt(n.Line, "each organisation must be a mapping (short_name: ..., name: ...)")
	}
	d := &draft{at: pos{line: n.Line}}
	o := &d.org
	err := eachKey(n, orgKeys, func(key string, v *yaml.Node) error {
		d.at.set(key, v.Line)
		var err error
		switch key {
		case "short_name":
			err = scalarTo(v, key, &o.ShortName)
		case "name":
			err = scalarTo(v, key, &o.Name)
		case "sector":
			err = scalarTo(v, key, &o.Sector)
		case "parent":
			err = scalarTo(v, key, &o.Parent)
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
			err = eachKey(n, resourceKeys, func(key string, v *yaml.Node) error {
				at.set(key, v.Line)
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
		at := pos{line: n.Line}
		err := eachKey(n, contactKeys, func(key string, v *yaml.Node) error {
			at.set(key, v.Line)
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
