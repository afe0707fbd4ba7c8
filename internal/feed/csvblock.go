package feed

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"
)

// CSVBlock reads the records of a block of whole CSV records (see
// CSVChunker) as encoding/csv reads them with LazyQuotes and
// FieldsPerRecord -1, without copying: a field is a substring of the
// block wherever the CSV text holds it as it is, which is nearly always.
// A record with a doubled quote, a quote that does not close its field, a
// line break inside quotes or a carriage return at its line's end is read
// by encoding/csv, so the fields are encoding/csv's in every case.
//
// Holding a field keeps the whole block in memory: the block is one
// string shared by all its records instead of one allocation per record.
type CSVBlock struct {
	data   string
	off    int // where the next record (or blank lines before it) starts
	line   int // the line data[off] is on
	fields []string
}

// NewCSVBlock reads data, whose first byte is on line firstLine.
func NewCSVBlock(data string, firstLine int) *CSVBlock {
	return &CSVBlock{data: data, line: firstLine}
}

// Next returns the next record's fields (the slice is reused by the next
// call; the strings are not), the line its first field is on, and its
// text without the line breaks before and after it (raw); io.EOF after the
// last record. A *csv.ParseError leaves the record out, as encoding/csv's
// Read does; with LazyQuotes it does not happen.
func (b *CSVBlock) Next() (fields []string, line int, raw string, err error) {
	start := b.off
	for b.off < len(b.data) && b.data[b.off] == '\n' { // encoding/csv skips blank lines
		b.off++
		b.line++
	}
	if b.off == len(b.data) {
		return nil, 0, "", io.EOF
	}
	end, ok := b.split(b.off)
	if !ok {
		return b.nextSlow(start)
	}
	line = b.line
	b.off = end
	if end > 0 && b.data[end-1] == '\n' {
		b.line++
	}
	return b.fields, line, trimLineEnds(b.data[start:end]), nil
}

// split reads the record at off into b.fields when it is plain: one line
// (ending in "\n" or at the block's end, not in "\r\n"), its quoted fields
// without quotes inside. It returns where the record ends, after its line
// break; ok is false when the record is not plain.
func (b *CSVBlock) split(off int) (end int, ok bool) {
	d := b.data
	lineEnd := len(d) // the record's "\n", or the end of the block
	if i := strings.IndexByte(d[off:], '\n'); i >= 0 {
		lineEnd = off + i
	}
	if lineEnd > off && d[lineEnd-1] == '\r' {
		return 0, false // encoding/csv drops it, or makes "\r\n" "\n" inside quotes
	}
	next := min(lineEnd+1, len(d))
	b.fields = b.fields[:0]
	for i := off; ; {
		if i < lineEnd && d[i] == '"' {
			q := strings.IndexByte(d[i+1:lineEnd], '"')
			if q < 0 {
				return 0, false // the field goes on after the line break, or never closes
			}
			closing := i + 1 + q
			b.fields = append(b.fields, d[i+1:closing])
			switch {
			case closing+1 == lineEnd:
				return next, true
			case d[closing+1] == ',':
				i = closing + 2
			default:
				return 0, false // a doubled quote, or a bare one (kept, with LazyQuotes)
			}
			continue
		}
		// Unquoted: up to the next comma; with LazyQuotes a quote inside is
		// only a character.
		c := strings.IndexByte(d[i:lineEnd], ',')
		if c < 0 {
			b.fields = append(b.fields, d[i:lineEnd])
			return next, true
		}
		b.fields = append(b.fields, d[i:i+c])
		i += c + 1
	}
}

// nextSlow reads the record at b.off with encoding/csv; start is where the
// blank lines before it start.
func (b *CSVBlock) nextSlow(start int) (fields []string, line int, raw string, err error) {
	r := csv.NewReader(strings.NewReader(b.data[b.off:]))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	fields, err = r.Read()
	end := b.off + int(r.InputOffset())
	if end == b.off && err != nil && err != io.EOF {
		end = len(b.data) // no progress: do not read it again
	}
	first := b.line
	b.line += strings.Count(b.data[b.off:end], "\n")
	b.off = end
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			pe.StartLine += first - 1
			pe.Line += first - 1
		}
		return nil, 0, "", err
	}
	line, _ = r.FieldPos(0)
	return fields, line + first - 1, trimLineEnds(b.data[start:end]), nil
}

// trimLineEnds drops the line breaks before a record and after it.
func trimLineEnds(s string) string {
	for len(s) > 0 && (s[0] == '\n' || s[0] == '\r') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == '\n' || s[len(s)-1] == '\r') {
		s = s[:len(s)-1]
	}
	return s
}
