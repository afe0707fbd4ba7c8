package orgfile

import (
	"io"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/qalxan/qalxan/internal/constituency"
)

// encodeYAML builds the node tree by hand rather than marshalling structs,
// to choose per resource between the shorthand string and the mapping, and
// to write short mappings in flow style, one line each, as people do.
func encodeYAML(w io.Writer, orgs []constituency.Org) error {
	list := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	for _, o := range orgs {
		list.Content = append(list.Content, orgNode(o))
	}
	root := mapping(0)
	add(root, "organisations", list)
	doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return err
	}
	return enc.Close()
}

func orgNode(o constituency.Org) *yaml.Node {
	n := mapping(0)
	add(n, "short_name", str(o.ShortName))
	add(n, "name", str(o.Name))
	add(n, "sector", str(string(o.Sector)))
	if o.Parent != "" {
		add(n, "parent", str(o.Parent))
	}
	add(n, "cii", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(o.CII)})
	add(n, "language", str(string(o.Language)))
	add(n, "tlp", str(string(o.TLP)))
	if len(o.Resources) > 0 {
		list := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, r := range o.Resources {
			list.Content = append(list.Content, resourceNode(r))
		}
		add(n, "resources", list)
	}
	if len(o.Contacts) > 0 {
		list := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, c := range o.Contacts {
			list.Content = append(list.Content, contactNode(c))
		}
		add(n, "contacts", list)
	}
	return n
}

// resourceNode writes the plain value when decoding it gives the resource
// back: default criticality, no notes, and a kind that detection finds.
func resourceNode(r constituency.Resource) *yaml.Node {
	if (r.Criticality == "" || r.Criticality == "medium") && r.Notes == "" && constituency.DetectKind(r.Value) == r.Kind {
		return str(r.Value)
	}
	n := mapping(flowIf(!strings.Contains(r.Notes, "\n")))
	add(n, "kind", str(string(r.Kind)))
	add(n, "value", str(r.Value))
	if r.Criticality != "" {
		add(n, "criticality", str(string(r.Criticality)))
	}
	if r.Notes != "" {
		add(n, "notes", str(r.Notes))
	}
	return n
}

func contactNode(c constituency.Contact) *yaml.Node {
	n := mapping(flowIf(c.PGPKey == "" && !strings.Contains(c.Name, "\n")))
	add(n, "email", str(c.Email))
	for _, f := range []struct{ key, v string }{
		{"name", c.Name}, {"role", c.Role}, {"language", string(c.Language)}, {"pgp_key", c.PGPKey},
	} {
		if f.v != "" {
			add(n, f.key, str(f.v))
		}
	}
	return n
}

func flowIf(ok bool) yaml.Style {
	if ok {
		return yaml.FlowStyle
	}
	return 0
}

// str is a string scalar. The explicit tag makes the encoder quote values
// that would otherwise read back as another type ("true", "007", "~").
func str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

func mapping(style yaml.Style) *yaml.Node {
	return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: style}
}

// add appends key: v to mapping n.
func add(n *yaml.Node, key string, v *yaml.Node) { n.Content = append(n.Content, str(key), v) }
