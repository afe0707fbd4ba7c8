package orgfile

import (
	"os"
	"path/filepath"
	"testing"
)

// inputs returns the valid sample files, by name.
func inputs(t testing.TB) map[string][]byte {
	t.Helper()
	names, err := filepath.Glob("testdata/in/*")
	if err != nil || len(names) == 0 {
		t.Fatalf("no test inputs: %v", err)
	}
	files := map[string][]byte{}
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(n)] = data
	}
	return files
}

func TestRoundTrip(t *testing.T) {
	for name, data := range inputs(t) {
		f, err := DetectFormat(name, data)
		if err != nil {
			t.Fatal(err)
		}
		orgs := decodeString(t, f, string(data))
		for _, path := range [][]Format{{YAML}, {CSV}, {YAML, CSV}, {CSV, YAML}, {CSV, YAML, CSV, YAML}} {
			t.Run(name+"/"+string(path[0])+"…", func(t *testing.T) {
				got := orgs
				for _, via := range path {
					got = decodeString(t, via, encodeString(t, via, got))
				}
				sameOrgs(t, got, orgs)
			})
		}
	}
}

// TestEncodeStable checks that output is a fixed point: what Encode writes
// for decoded output is byte for byte what it wrote before, in each format
// and after a detour through the other.
func TestEncodeStable(t *testing.T) {
	for name, data := range inputs(t) {
		f, _ := DetectFormat(name, data)
		orgs := decodeString(t, f, string(data))
		y := encodeString(t, YAML, orgs)
		c := encodeString(t, CSV, orgs)
		if got := encodeString(t, YAML, decodeString(t, CSV, c)); got != y {
			t.Errorf("%s: YAML→CSV→YAML:\ngot\n%s\nwant\n%s", name, got, y)
		}
		if got := encodeString(t, CSV, decodeString(t, YAML, y)); got != c {
			t.Errorf("%s: CSV→YAML→CSV:\ngot\n%s\nwant\n%s", name, got, c)
		}
	}
}

func TestRoundTripEmpty(t *testing.T) {
	for _, f := range []Format{YAML, CSV} {
		if got := decodeString(t, f, encodeString(t, f, nil)); len(got) != 0 {
			t.Errorf("%s: got %d organisations, want 0", f, len(got))
		}
	}
}
