package orgfile

import (
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/qalxan/qalxan/internal/errs"
)

// MaxSize bounds the input. The largest national registries are a few
// megabytes; the bound keeps a wrong or hostile upload from exhausting
// memory (a YAML node tree takes several times the file's size).
const MaxSize = 64 << 20

// bom is the UTF-8 byte order mark that spreadsheet programs put first.
var bom = []byte("\uFEFF")

// readInput reads the whole input and rejects what is not plausibly a
// registry file, before a parser gets the chance to produce a cryptic
// message about it.
func readInput(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		// A failing reader is not the content's fault: not Invalid.
		return nil, fmt.Errorf("orgfile: reading the file: %w", err)
	}
	if len(data) > MaxSize {
		return nil, errs.E(errs.Invalid, "the file is larger than %d MiB; split it", MaxSize>>20)
	}
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return nil, errAt(1, "the file is UTF-16 text; save it as UTF-8")
	}
	data = bytes.TrimPrefix(data, bom)
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errAt(1, "the file is empty")
	}
	if err := checkText(data); err != nil {
		return nil, err
	}
	return data, nil
}

// checkText requires valid UTF-8 without control characters other than
// tab and line breaks. Registry text is typed by people; anything else means
// a binary file, a legacy encoding (Windows-1251 exports) or corruption.
func checkText(data []byte) error {
	for i := 0; i < len(data); {
		c := data[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7F {
				return errAt(lineAt(data, i), "the file contains the control character U+%04X; is it a binary file?", c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			return errAt(lineAt(data, i), "the file is not valid UTF-8 text; save it as UTF-8")
		}
		if badRune(r) {
			return errAt(lineAt(data, i), "the file contains the control character U+%04X", r)
		}
		i += n
	}
	return nil
}

// badRune reports the non-ASCII runes no registry text needs and YAML
// either forbids (C1 controls, non-characters) or reads as line breaks
// (NEL, U+2028, U+2029), which would make a value change on a round trip.
func badRune(r rune) bool {
	return r >= 0x80 && r <= 0x9F || r == 0x2028 || r == 0x2029 || r == 0xFFFE || r == 0xFFFF
}

// lineAt is the 1-based line of byte offset i.
func lineAt(data []byte, i int) int { return bytes.Count(data[:i], []byte("\n")) + 1 }
