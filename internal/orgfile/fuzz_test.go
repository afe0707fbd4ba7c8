package orgfile

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/errs"
)

func FuzzDecodeYAML(f *testing.F) { fuzzDecode(f, YAML) }
func FuzzDecodeCSV(f *testing.F)  { fuzzDecode(f, CSV) }

// fuzzDecode checks that Decode never panics, that every refusal is an
// Invalid error naming a line, and that whatever it accepts survives
// Encode→Decode in both formats unchanged.
func fuzzDecode(f *testing.F, format Format) {
	for name, data := range inputs(f) {
		if ext := filepath.Ext(name); ext == "."+string(format) {
			f.Add(data)
		}
	}
	for _, tc := range decodeErrors {
		if tc.f == format {
			f.Add([]byte(tc.in))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		orgs, err := Decode(bytes.NewReader(data), format)
		if err != nil {
			if errs.CodeOf(err) != errs.Invalid || !strings.HasPrefix(errs.Message(err), "line ") {
				t.Fatalf("got error %v (code %s), want an Invalid error naming a line", err, errs.CodeOf(err))
			}
			return
		}
		for _, via := range []Format{YAML, CSV} {
			var b bytes.Buffer
			if err := Encode(&b, via, orgs); err != nil {
				t.Fatalf("Encode(%s): %v", via, err)
			}
			again, err := Decode(&b, via)
			if err != nil {
				t.Fatalf("Decode(Encode(%s)): got error %v, want none; encoded:\n%s", via, err, b.String())
			}
			if d := diffOrgs(again, orgs); d != "" {
				t.Fatalf("Decode(Encode(%s)) differs: %s", via, d)
			}
		}
	})
}
