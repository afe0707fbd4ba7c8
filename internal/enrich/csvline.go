package enrich

import (
	"errors"
	"strings"
)

// splitCSVLine splits one line of RFC 4180 CSV into fields, appending to
// dst. Quoted fields may contain commas and doubled quotes but not line
// breaks: range files never need them, and parsing line by line keeps
// line numbers exact and stops one stray quote from swallowing the rest of
// the file, as a multi-line CSV reader would.
func splitCSVLine(dst []string, line string) ([]string, error) {
	for {
		if strings.HasPrefix(line, `"`) {
			var b strings.Builder
			rest := line[1:]
			for {
				i := strings.IndexByte(rest, '"')
				if i < 0 {
					return dst, errors.New("unterminated quoted field")
				}
				b.WriteString(rest[:i])
				rest = rest[i+1:]
				if strings.HasPrefix(rest, `"`) { // "" is a literal quote
					b.WriteByte('"')
					rest = rest[1:]
					continue
				}
				break
			}
			dst = append(dst, b.String())
			if rest == "" {
				return dst, nil
			}
			if rest[0] != ',' {
				return dst, errors.New("text after closing quote")
			}
			line = rest[1:]
			continue
		}
		i := strings.IndexByte(line, ',')
		if i < 0 {
			if strings.IndexByte(line, '"') >= 0 {
				return dst, errors.New("quote inside unquoted field")
			}
			return append(dst, line), nil
		}
		if strings.IndexByte(line[:i], '"') >= 0 {
			return dst, errors.New("quote inside unquoted field")
		}
		dst = append(dst, line[:i])
		line = line[i+1:]
	}
}
