package orgfile

import (
	"testing"

	"github.com/qalxan/qalxan/internal/errs"
)

func TestDetectFormat(t *testing.T) {
	for _, tc := range []struct {
		name, head string
		want       Format // "" means an error is wanted
	}{
		{"registry.yaml", "", YAML},
		{"REGISTRY.YML", "short_name,name", YAML}, // the name wins
		{"C:\\Users\\cert\\orgs.CSV", "", CSV},
		{"orgs.xlsx", "PK\x03\x04", ""},
		{"upload", "organisations:\n  - short_name: a", YAML},
		{"upload", "\uFEFF# registry\norganisations: []", YAML},
		{"upload", "\n\n---\norganisations: []", YAML},
		{"upload", "%YAML 1.2\n---", YAML},
		{"upload", "- short_name: a", YAML},
		{"upload", "organisations:", YAML},
		{"upload", "\uFEFFshort_name,name,sector\r\n", CSV},
		{"upload", "short_name;name;sector\n", CSV},
		{"upload.txt", "short_name,name,notes: see below\n", CSV},
		{"upload", "", ""},
		{"upload", "hello", ""},
		{"upload", "\x89PNG\r\n", ""},
	} {
		got, err := DetectFormat(tc.name, []byte(tc.head))
		switch {
		case tc.want == "" && !errs.Is(err, errs.Invalid):
			t.Errorf("DetectFormat(%q, %q): got %q, %v, want an Invalid error", tc.name, tc.head, got, err)
		case tc.want != "" && (err != nil || got != tc.want):
			t.Errorf("DetectFormat(%q, %q): got %q, %v, want %q", tc.name, tc.head, got, err, tc.want)
		}
	}
}
