package enrich

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoadRanges feeds arbitrary bytes to the range loader: it must not
// panic, and whatever it accepts must be a well-formed table (sorted,
// disjoint, every range answering lookups for its own bounds).
func FuzzLoadRanges(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.csv")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("192.0.2.64,192.0.2.127,2,C\n192.0.2.0,192.0.2.255,1,P\n192.0.2.0,192.0.2.255,3,Q\n"))
	f.Add([]byte("\uFEFFstart,end,cc\r\n::ffff:1.2.3.4,1.2.3.9,\"a,\"\"b\",x\n255.255.255.255,255.255.255.255,ZZ\n"))
	f.Add([]byte("ffff::,ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff,1,a\nffff::1,ffff::2,2,b\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tbl, err := LoadRanges(bytes.NewReader(data))
		if err != nil {
			return
		}
		if tbl.Len() == 0 {
			t.Fatal("no error but no ranges")
		}
		for i, r := range tbl.v4 {
			if r.start > r.end || (i > 0 && tbl.v4[i-1].end >= r.start) || int(r.info) >= len(tbl.infos) {
				t.Fatalf("v4 range %d malformed: %+v (previous %+v)", i, r, tbl.v4[max(i-1, 0)])
			}
			for _, x := range []uint32{r.start, r.end} {
				got, ok := tbl.Lookup(numAddr(u128{lo: uint64(x)}, true))
				if !ok || got != tbl.infos[r.info] {
					t.Fatalf("lookup of bound %d of v4 range %d: got %+v, %v", x, i, got, ok)
				}
			}
		}
		for i, r := range tbl.v6 {
			if r.end.less(r.start) || (i > 0 && !tbl.v6[i-1].end.less(r.start)) || int(r.info) >= len(tbl.infos) {
				t.Fatalf("v6 range %d malformed: %+v", i, r)
			}
			for _, x := range []u128{r.start, r.end} {
				got, ok := tbl.Lookup(numAddr(x, false))
				if !ok || got != tbl.infos[r.info] {
					t.Fatalf("lookup of bound %v of v6 range %d: got %+v, %v", x, i, got, ok)
				}
			}
		}
		for _, info := range tbl.infos {
			if info.IsZero() {
				t.Fatal("zero IPInfo in table")
			}
		}
	})
}
