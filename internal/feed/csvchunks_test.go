package feed

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// csvRecord is a record as encoding/csv reads it, with its first line.
type csvRecord struct {
	Line   int
	Fields []string
}

func readCSV(t testing.TB, data []byte, firstLine int) []csvRecord {
	r := csv.NewReader(bytes.NewReader(data))
	r.LazyQuotes, r.FieldsPerRecord = true, -1
	var out []csvRecord
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("csv: %v", err)
		}
		line, _ := r.FieldPos(0)
		out = append(out, csvRecord{line + firstLine - 1, rec})
	}
}

// chunked reads data through a CSVChunker in blocks of size, byte by byte
// from the reader to find every cut.
func chunked(t testing.TB, data []byte, size int) (blocks [][]byte, records []csvRecord) {
	c := NewCSVChunker(iotest.HalfReader(bytes.NewReader(data)), size)
	var buf []byte
	for {
		b, line, err := c.Next(buf)
		if err == io.EOF {
			return blocks, records
		}
		if err != nil {
			t.Fatal(err)
		}
		blocks = append(blocks, append([]byte(nil), b...))
		records = append(records, readCSV(t, b, line)...)
		buf = b
	}
}

func checkChunks(t testing.TB, data []byte, size int) {
	blocks, got := chunked(t, data, size)
	if joined := bytes.Join(blocks, nil); !bytes.Equal(joined, data) {
		t.Fatalf("the blocks do not add up to the input:\n%q\n%q", joined, data)
	}
	if want := readCSV(t, data, 1); !reflect.DeepEqual(got, want) {
		t.Fatalf("block size %d: records differ from one read of the whole:\n got %+v\nwant %+v", size, got, want)
	}
}

func TestCSVChunkerKeepsQuotedLineBreaks(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("\"timestamp\",\"ip\",\"note\"\n")
	for i := range 2000 {
		switch i % 5 {
		case 0:
			sb.WriteString("\"2026-11-20\",\"10.0.0.1\",\"a line\nbreak inside quotes\"\n")
		case 1:
			sb.WriteString("\"2026-11-20\",\"10.0.0.2\",\"a \"\"quoted\"\" word, and a comma\"\r\n")
		case 2:
			sb.WriteString("2026-11-20,10.0.0.3,bare \"quote\" in a plain field\n")
		case 3:
			sb.WriteString("\"2026-11-20\",\"10.0.0.4\",\"lazy \"quote\" then\nbreak\"\n\n")
		default:
			sb.WriteString("\"2026-11-20\",\"10.0.0.5\",\"\"\n")
		}
	}
	data := []byte(sb.String())
	for _, size := range []int{1, 4096, 5000, 1 << 20} {
		checkChunks(t, data, size)
	}
	_, recs := chunked(t, data, 4096)
	if len(recs) != 2001 {
		t.Fatalf("%d records, want 2001", len(recs))
	}
}

func TestCSVChunkerEdges(t *testing.T) {
	for _, in := range []string{"", "\n", "a", "a,b", "\"a\nb", "a\n\"", "\"\"\"\n", "x\r\n\"y\"\r", "\"a\"\r\nb\n"} {
		checkChunks(t, []byte(in), 1)
	}
}

func TestCSVChunkerReadError(t *testing.T) {
	boom := errors.New("disk gone")
	c := NewCSVChunker(io.MultiReader(strings.NewReader("a,b\nc,d\n"), iotest.ErrReader(boom)), 4096)
	b, _, err := c.Next(nil)
	if err != nil || string(b) != "a,b\nc,d\n" {
		t.Fatalf("first block %q, %v", b, err)
	}
	if _, _, err := c.Next(nil); !errors.Is(err, boom) {
		t.Fatalf("got %v, want the read error", err)
	}
}

func FuzzCSVChunker(f *testing.F) {
	f.Add([]byte("\"a\",\"b\nc\"\nd,e\n"), uint16(1))
	f.Add([]byte("a,\"b\"\"\",c\r\n\"x\"y\"\n"), uint16(3))
	f.Fuzz(func(t *testing.T, data []byte, size uint16) {
		checkChunks(t, data, int(size))
	})
}
