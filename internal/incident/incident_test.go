package incident

import (
	"slices"
	"strings"
	"testing"
)

// TestNormalizeTags checks the tag rule: letters and digits of any script,
// a few separators, at most 40 characters; lower-cased, duplicates and
// blanks dropped.
func TestNormalizeTags(t *testing.T) {
	i := Incident{Title: "x", Classification: Classification{Taxonomy: "fraud", Type: "phishing"}, Tags: []string{" Ödəniş ", "ödəniş", "", "bank:kapital", "фишинг/sms", "a_b.c-d"}}
	if err := i.Normalize(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"ödəniş", "bank:kapital", "фишинг/sms", "a_b.c-d"}; !slices.Equal(i.Tags, want) {
		t.Errorf("tags %q, want %q", i.Tags, want)
	}
	for _, bad := range []string{"two words", "-lead", "x!", strings.Repeat("a", 41)} {
		i := Incident{Title: "x", Classification: Classification{Taxonomy: "fraud", Type: "phishing"}, Tags: []string{bad}}
		if err := i.Normalize(); err == nil {
			t.Errorf("tag %q: no error", bad)
		}
	}
}
