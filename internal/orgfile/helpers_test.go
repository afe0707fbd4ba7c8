package orgfile

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/constituency"
)

func decodeString(t *testing.T, f Format, in string) []constituency.Org {
	t.Helper()
	orgs, err := Decode(strings.NewReader(in), f)
	if err != nil {
		t.Fatalf("Decode(%s): got error %v, want none", f, err)
	}
	return orgs
}

func encodeString(t *testing.T, f Format, orgs []constituency.Org) string {
	t.Helper()
	var b bytes.Buffer
	if err := Encode(&b, f, orgs); err != nil {
		t.Fatalf("Encode(%s): got error %v, want none", f, err)
	}
	return b.String()
}

// sameOrgs fails the test with the first difference between got and want.
func sameOrgs(t *testing.T, got, want []constituency.Org) {
	t.Helper()
	if d := diffOrgs(got, want); d != "" {
		t.Fatal(d)
	}
}

// diffOrgs describes the first difference, or returns "".
func diffOrgs(got, want []constituency.Org) string {
	if len(got) != len(want) {
		return fmt.Sprintf("got %d organisations, want %d", len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if len(g.Resources) == len(w.Resources) {
			for j := range g.Resources {
				if g.Resources[j] != w.Resources[j] {
					return fmt.Sprintf("org %d resource %d: got %+v, want %+v", i, j, g.Resources[j], w.Resources[j])
				}
			}
		}
		if len(g.Contacts) == len(w.Contacts) {
			for j := range g.Contacts {
				if g.Contacts[j] != w.Contacts[j] {
					return fmt.Sprintf("org %d contact %d: got %+v, want %+v", i, j, g.Contacts[j], w.Contacts[j])
				}
			}
		}
		if !reflect.DeepEqual(g, w) {
			return fmt.Sprintf("org %d:\ngot  %+v\nwant %+v", i, g, w)
		}
	}
	return ""
}
