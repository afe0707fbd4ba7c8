// Package tlp implements the Traffic Light Protocol 2.0 labels (FIRST).
package tlp

import (
	"strings"

	"github.com/qalxan/qalxan/internal/errs"
)

// Label is a TLP 2.0 label, stored in its lower-case short form ("amber+strict").
type Label string

const (
	Clear       Label = "clear"
	Green       Label = "green"
	Amber       Label = "amber"
	AmberStrict Label = "amber+strict"
	Red         Label = "red"
)

// All lists the labels from the least to the most restrictive.
var All = []Label{Clear, Green, Amber, AmberStrict, Red}

// Parse accepts "amber", "TLP:AMBER", "tlp:amber+strict" and the TLP 1.0
// name "white" (now CLEAR).
func Parse(s string) (Label, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	v = strings.TrimPrefix(v, "tlp:")
	if v == "white" {
		v = string(Clear)
	}
	for _, l := range All {
		if v == string(l) {
			return l, nil
		}
	}
	return "", errs.E(errs.Invalid, "unknown TLP label %q (want clear, green, amber, amber+strict or red)", s)
}

// Rank orders labels by restriction: clear 0 … red 4; -1 for an unknown label.
func (l Label) Rank() int {
	for i, x := range All {
		if x == l {
			return i
		}
	}
	return -1
}

// String is the label as FIRST writes it: "TLP:AMBER+STRICT".
func (l Label) String() string { return "TLP:" + strings.ToUpper(string(l)) }

// Colour is FIRST's text colour for the label (shown on black).
func (l Label) Colour() string {
	switch l {
	case Red:
		return "#FF2B2B"
	case Amber, AmberStrict:
		return "#FFC000"
	case Green:
		return "#33FF00"
	default:
		return "#FFFFFF"
	}
}
