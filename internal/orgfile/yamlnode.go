package orgfile

import (
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// eachKey calls fn for every key of mapping m in order, after checking that
// the key is one of known and appears only once (the Node API, unlike
// Unmarshal, lets duplicates through).
func eachKey(m *yaml.Node, known []string, fn func(key string, v *yaml.Node) error) error {
	seen := make(map[string]int, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if err := noAlias(k); err != nil {
			return err
		}
		if err := noAlias(v); err != nil {
			return err
		}
		if k.Kind != yaml.ScalarNode {
			return errAt(k.Line, "a key must be a plain word")
		}
		key := k.Value
		if !slices.Contains(known, key) {
			return errAt(k.Line, "unknown key %q (known: %s)", key, strings.Join(known, ", "))
		}
		if first, dup := seen[key]; dup {
			return errAt(k.Line, "key %q appears twice (first on line %d)", key, first)
		}
		seen[key] = k.Line
		if err := fn(key, v); err != nil {
			return err
		}
	}
	return nil
}

// noAlias refuses YAML aliases (*name). A registry has no use for them, and
// following them would let a small file expand into a huge one.
func noAlias(n *yaml.Node) error {
	if n.Kind == yaml.AliasNode {
		return errAt(n.Line, "aliases (*%s) are not supported", n.Value)
	}
	return nil
}

// sequence returns the items of a list; null or an empty value is no items.
func sequence(n *yaml.Node, field string) ([]*yaml.Node, error) {
	switch {
	case isNull(n):
		return nil, nil
	case n.Kind != yaml.SequenceNode:
		return nil, fieldAt(n.Line, field, "want a list (lines starting with \"- \")")
	}
	for _, item := range n.Content {
		if err := noAlias(item); err != nil {
			return nil, err
		}
	}
	return n.Content, nil
}

// scalar returns a scalar's text exactly as written, whatever YAML would
// resolve it to: a short name "007" stays "007", not 7. Null is "".
func scalar(n *yaml.Node, field string) (string, error) {
	if n.Kind != yaml.ScalarNode {
		return "", fieldAt(n.Line, field, "want a single value, not a list or mapping")
	}
	if isNull(n) {
		return "", nil
	}
	return n.Value, nil
}

// scalarTo is scalar for the string-based types of the domain.
func scalarTo[T ~string](n *yaml.Node, field string, dst *T) error {
	s, err := scalar(n, field)
	*dst = T(s)
	return err
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}
