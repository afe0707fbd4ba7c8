package collect_test

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/collect"
	"github.com/qalxan/qalxan/internal/errs"
)

type file struct{ name, body string }

func makeZip(t testing.TB, files ...file) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.Create(f.name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, f.body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func makeGzip(t testing.TB, name, body string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Name = name
	io.WriteString(zw, body)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func unpack(lim collect.UnpackLimits, name string, content []byte) ([]got, error) {
	var s sink
	err := collect.Unpack(lim, s.handle)(ctx, collect.Report{Name: name, Source: "mail", Content: bytes.NewReader(content),
		Meta: map[string]string{collect.MetaMailSubject: "report"}})
	return s.reports, err
}

func TestUnpack(t *testing.T) {
	nestedGz := makeGzip(t, "inner.csv", "x\n")
	tests := []struct {
		name      string
		file      string
		content   []byte
		want      []file
		wantInZip []string // Meta archive.member
	}{
		{"plain passes through", "a.csv", []byte("a,b\n1,2\n"), []file{{"a.csv", "a,b\n1,2\n"}}, []string{""}},
		{"empty passes through", "a.csv", nil, []file{{"a.csv", ""}}, []string{""}},
		{"gzip with a name", "x.gz", makeGzip(t, "2026-11-20-scan_rdp-az-geo.csv", "h\n1\n"), []file{{"2026-11-20-scan_rdp-az-geo.csv", "h\n1\n"}}, []string{""}},
		{"gzip without a name", "feed.csv.gz", makeGzip(t, "", "h\n"), []file{{"feed.csv", "h\n"}}, []string{""}},
		{"zip members in order, folders skipped", "reports.zip",
			makeZip(t, file{"dir/", ""}, file{"dir/a.csv", "1\n"}, file{"__MACOSX/._a.csv", "junk"}, file{`win\b.csv`, "2\n"}),
			[]file{{"a.csv", "1\n"}, {"b.csv", "2\n"}}, []string{"dir/a.csv", `win\b.csv`}},
		{"nested archive handed on as is", "outer.zip", makeZip(t, file{"inner.csv.gz", string(nestedGz)}),
			[]file{{"inner.csv.gz", string(nestedGz)}}, []string{"inner.csv.gz"}},
		{"empty zip", "empty.zip", makeZip(t), nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reports, err := unpack(collect.UnpackLimits{}, tt.file, tt.content)
			if err != nil {
				t.Fatal(err)
			}
			var gotFiles []file
			var members []string
			for _, r := range reports {
				gotFiles = append(gotFiles, file{r.Name, r.Body})
				members = append(members, r.Meta[collect.MetaArchiveMember])
				if r.Source != "mail" || r.Meta[collect.MetaMailSubject] != "report" {
					t.Errorf("%s: got source %q meta %v, want the archive's kept", r.Name, r.Source, r.Meta)
				}
				if wantArchive := tt.file; r.Name != tt.file && r.Meta[collect.MetaArchive] != wantArchive {
					t.Errorf("%s: got archive %q, want %q", r.Name, r.Meta[collect.MetaArchive], wantArchive)
				}
			}
			if !slices.Equal(gotFiles, tt.want) {
				t.Errorf("got %q, want %q", gotFiles, tt.want)
			}
			if !slices.Equal(members, tt.wantInZip) {
				t.Errorf("members: got %q, want %q", members, tt.wantInZip)
			}
		})
	}
}

func TestUnpackRefusesBombs(t *testing.T) {
	zeros := strings.Repeat("0", 1<<20) // compresses about 1000 to 1
	var many []file
	for i := range 20 {
		many = append(many, file{fmt.Sprintf("f%d.csv", i), "x"})
	}
	lim := collect.UnpackLimits{MaxTotal: 256 << 10, MaxMembers: 10, MaxArchive: 64 << 10}
	tests := []struct {
		name    string
		file    string
		content []byte
	}{
		{"gzip bomb", "bomb.gz", makeGzip(t, "bomb.csv", zeros)},
		{"zip bomb, one member", "bomb.zip", makeZip(t, file{"bomb.csv", zeros})},
		{"zip bomb, many small members", "bomb.zip", makeZip(t, file{"a", zeros[:200<<10]}, file{"b", zeros[:200<<10]})},
		{"too many members", "many.zip", makeZip(t, many...)},
		{"archive itself too large", "big.zip", makeZip(t, file{"random.bin", pseudoRandom(128 << 10)})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reports, err := unpack(lim, tt.file, tt.content)
			if !errors.Is(err, collect.ErrTooLarge) || errs.CodeOf(err) != errs.Invalid {
				t.Fatalf("got %v, want an invalid ErrTooLarge", err)
			}
			var total int
			for _, r := range reports {
				total += len(r.Body)
			}
			if int64(total) > lim.MaxTotal {
				t.Errorf("handler got %d bytes, want at most %d", total, lim.MaxTotal)
			}
		})
	}
}

// A declared size that lies is caught while reading.
func TestUnpackLyingZipHeader(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.CreateRaw(&zip.FileHeader{Name: "liar.csv", Method: zip.Deflate, UncompressedSize64: 10, CompressedSize64: 0})
	var deflated bytes.Buffer
	fw, _ := newFlate(&deflated)
	fw.Write(bytes.Repeat([]byte("0"), 1<<20))
	fw.Close()
	w.Write(deflated.Bytes())
	zw.Close()
	_, err := unpack(collect.UnpackLimits{MaxTotal: 1000}, "liar.zip", buf.Bytes())
	if err == nil {
		t.Fatal("got no error, want one")
	}
}

func TestUnpackCorrupt(t *testing.T) {
	z := makeZip(t, file{"a.csv", "1\n"})
	tests := []struct {
		name    string
		content []byte
	}{
		{"truncated zip", z[:len(z)-10]},
		{"gzip header only", []byte{0x1f, 0x8b}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := unpack(collect.UnpackLimits{}, "x", tt.content); errs.CodeOf(err) != errs.Invalid {
				t.Errorf("got %v, want an invalid error", err)
			}
		})
	}
}

// The handler's error comes back, and stops the members that follow.
func TestUnpackHandlerError(t *testing.T) {
	boom := errors.New("boom")
	var seen []string
	h := collect.Unpack(collect.UnpackLimits{}, func(ctx context.Context, r collect.Report) error {
		seen = append(seen, r.Name)
		return boom
	})
	err := h(ctx, collect.Report{Name: "r.zip", Content: bytes.NewReader(makeZip(t, file{"a", "1"}, file{"b", "2"}))})
	if !errors.Is(err, boom) || !slices.Equal(seen, []string{"a"}) {
		t.Errorf("got %v after %v, want boom after a", err, seen)
	}
}

func FuzzUnpack(f *testing.F) {
	f.Add([]byte("a,b\n1,2\n"))
	f.Add(makeGzip(f, "r.csv", "a,b\n1,2\n"))
	f.Add(makeZip(f, file{"a.csv", "1\n"}, file{"d/", ""}, file{"b.csv.gz", string(makeGzip(f, "", "x"))}))
	f.Add(makeGzip(f, "bomb", strings.Repeat("0", 100<<10)))
	lim := collect.UnpackLimits{MaxArchive: 1 << 20, MaxTotal: 64 << 10, MaxMembers: 50}
	f.Fuzz(func(t *testing.T, data []byte) {
		reports, err := unpack(lim, "fuzz", data)
		var total int
		for _, r := range reports {
			total += len(r.Body)
		}
		if int64(total) > lim.MaxTotal {
			t.Fatalf("handler got %d bytes, want at most %d (err %v)", total, lim.MaxTotal, err)
		}
		if len(reports) > lim.MaxMembers {
			t.Fatalf("got %d reports, want at most %d", len(reports), lim.MaxMembers)
		}
	})
}

// An archive over the in-memory threshold is spooled to a temporary file,
// which is removed afterwards.
func TestUnpackLargeZipSpoolsToDisk(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	body := pseudoRandom(3 << 20 / 2)
	reports, err := unpack(collect.UnpackLimits{}, "big.zip", makeZip(t, file{"big.csv", body}))
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) != 1 || reports[0].Body != body {
		t.Fatalf("got %d reports, want big.csv intact", len(reports))
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
