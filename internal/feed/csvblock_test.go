package feed

import (
	"encoding/csv"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

// checkBlock reads data with a CSVBlock and with encoding/csv and fails t
// unless they give the same records, lines and raw texts.
func checkBlock(t testing.TB, data string) {
	t.Helper()
	r := csv.NewReader(strings.NewReader(data))
	r.LazyQuotes, r.FieldsPerRecord = true, -1
	b := NewCSVBlock(data, 7)
	prev := 0
	for n := 1; ; n++ {
		want, wantErr := r.Read()
		got, line, raw, err := b.Next()
		if errors.Is(wantErr, io.EOF) {
			if !errors.Is(err, io.EOF) {
				t.Fatalf("%q: record %d: got %q, %v, want io.EOF", data, n, got, err)
			}
			return
		}
		if wantErr != nil || err != nil {
			t.Fatalf("%q: record %d: got error %v, encoding/csv %v", data, n, err, wantErr)
		}
		wantLine, _ := r.FieldPos(0)
		end := int(r.InputOffset())
		wantRaw := trimLineEnds(data[prev:end])
		prev = end
		if !reflect.DeepEqual(got, want) || line != wantLine+6 || raw != wantRaw {
			t.Fatalf("%q: record %d:\ngot  %q line %d raw %q\nwant %q line %d raw %q", data, n, got, line, raw, want, wantLine+6, wantRaw)
		}
	}
}

func TestCSVBlock(t *testing.T) {
	for _, data := range []string{
		"", "\n", "\n\n", "\r\n", "a", "a\n", "a,b\nc,d", "a,b\nc,d\n", "\n\na,b\n\nc\n",
		`"a","b",c` + "\n" + `"d",,"",` + "\n",
		`"a""b",c` + "\n" + `"x"y",z` + "\n" + `a"b,"c"` + "\n",
		"\"multi\nline\",x\n\"y\",\"z\"\n",
		"a,b\r\nc,d\r\n", "a,\"b\r\nc\"\n", "a,b\r", "\ra,b\n", "a\rb,c\n",
		`"unclosed,a` + "\nb,c\n", `"a"` + "\r\n", `"a",` + "\r", `,,,` + "\n" + `,"",""` + "\n",
		"\"é\",x\n\"a\"é,b\n\xff,\"\xfe\"\n",
	} {
		checkBlock(t, data)
	}
	var sb strings.Builder
	for i := range 1000 {
		sb.WriteString(`"2026-11-20 00:00:00","10.0.0.1",3389,,"rdp",x,"AZ"` + "\n")
		if i%97 == 0 {
			sb.WriteString("a,\"b\"\"c\",\"d\ne\"\r\n\n")
		}
	}
	checkBlock(t, sb.String())
}

func FuzzCSVBlock(f *testing.F) {
	f.Add("\"a\",\"b\nc\"\nd,e\n")
	f.Add("a,\"b\"\"\",c\r\n\"x\"y\"\n")
	f.Add("\n\"a\",,\"\"\r\n")
	f.Fuzz(func(t *testing.T, data string) {
		checkBlock(t, data)
	})
}
