package feed

import (
	"bytes"
	"io"
)

// CSVChunker cuts a CSV stream into blocks of whole records, so that
// several goroutines can parse one report at once, each block with its own
// encoding/csv reader. A block never ends inside a quoted field: the cut
// follows the reader's own rules for quotes (with LazyQuotes, as the feed
// parsers read), so a line break inside quotes stays with its record.
// Memory is one block and the partial record after it, whatever the
// stream's size.
type CSVChunker struct {
	r    io.Reader
	size int    // the usual block size
	tail []byte // read but not yet handed out: the start of the next block
	line int    // the line number the next block starts at (1-based)
	eof  bool
	err  error
}

// NewCSVChunker reads r in blocks of about size bytes (more when one
// record is longer).
func NewCSVChunker(r io.Reader, size int) *CSVChunker {
	return &CSVChunker{r: r, size: max(size, 1), line: 1}
}

// Next returns the next block of whole records in buf (grown as needed)
// and the line its first byte is on; io.EOF after the last one. The last
// block holds whatever follows the last line break, as the CSV reader
// would read it.
func (c *CSVChunker) Next(buf []byte) (block []byte, line int, err error) {
	buf = append(buf[:0], c.tail...)
	for {
		if end := lastRecordEnd(buf); end > 0 && (len(buf) >= c.size || c.eof) {
			c.tail = append(c.tail[:0], buf[end:]...)
			return c.handOut(buf[:end])
		}
		if c.eof {
			if len(buf) == 0 {
				if c.err != nil {
					return nil, 0, c.err
				}
				return nil, 0, io.EOF
			}
			c.tail = c.tail[:0]
			return c.handOut(buf)
		}
		buf = c.fill(buf)
	}
}

func (c *CSVChunker) handOut(block []byte) ([]byte, int, error) {
	line := c.line
	c.line += bytes.Count(block, []byte{'\n'})
	return block, line, nil
}

// fill reads at least one more block's worth into buf.
func (c *CSVChunker) fill(buf []byte) []byte {
	want := len(buf) + c.size
	if cap(buf) < want {
		buf = append(make([]byte, 0, want+want/4), buf...)
	}
	for len(buf) < want && !c.eof {
		n, err := c.r.Read(buf[len(buf):want])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			c.eof = true
		} else if err != nil {
			c.eof, c.err = true, err
		}
	}
	return buf
}

// lastRecordEnd returns the length of the longest prefix of b that is
// whole records ending in a line break, or 0 when b holds none. b starts
// at a record's start. It is encoding/csv's reading with LazyQuotes: a
// field is quoted only when its first byte is a quote; inside one, `""`
// is a quote, `",` and a quote at the end of the line close the field,
// and any other quote is kept as it is.
func lastRecordEnd(b []byte) int {
	end := 0
	fieldStart, quoted := true, false
	for i := 0; i < len(b); i++ {
		if quoted {
			// Only a quote can end a quoted field: jump to the next one.
			q := bytes.IndexByte(b[i:], '"')
			if q < 0 {
				return end
			}
			i += q
			if i+1 == len(b) {
				return end // what follows decides: wait for more
			}
			switch b[i+1] {
			case '"':
				i++
			case ',':
				i++
				quoted, fieldStart = false, true
			case '\n':
				i++
				quoted, fieldStart = false, true
				end = i + 1
			case '\r':
				if i+2 == len(b) {
					return end
				}
				if b[i+2] == '\n' {
					i += 2
					quoted, fieldStart = false, true
					end = i + 1
				}
			}
			continue
		}
		switch b[i] {
		case '"':
			quoted = fieldStart
			fieldStart = false
		case ',':
			fieldStart = true
		case '\n':
			fieldStart = true
			end = i + 1
		default:
			fieldStart = false
			// The rest of an unquoted field: a quote there is only a
			// character, so skip to the next comma or line break.
			for i+1 < len(b) && b[i+1] != ',' && b[i+1] != '\n' {
				i++
			}
		}
	}
	return end
}
