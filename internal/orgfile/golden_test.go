package orgfile

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the current output")

// TestGolden decodes each testdata/in file and compares its re-encoding in
// both formats with testdata/golden/<input name>.{yaml,csv}. Review the
// diff after running with -update.
func TestGolden(t *testing.T) {
	for name, data := range inputs(t) {
		f, err := DetectFormat(name, data)
		if err != nil {
			t.Fatal(err)
		}
		orgs := decodeString(t, f, string(data))
		for _, out := range []Format{YAML, CSV} {
			got := encodeString(t, out, orgs)
			path := filepath.Join("testdata", "golden", name+"."+string(out))
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("%s as %s:\ngot\n%s\nwant (%s)\n%s", name, out, got, path, want)
			}
		}
	}
}
