package orgfile

import (
	"bytes"
	"regexp"
)

// yamlKeyRE matches a line that opens a YAML mapping ("organisations:").
// A CSV header never has a colon followed by a space or the line's end.
var yamlKeyRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*[ \t]*:([ \t]|$)`)

// sniff guesses the format from the first meaningful line of head. It is
// used only when the file name says nothing, so it errs on the side of
// giving up: a wrong guess would surface as a confusing parse error.
func sniff(head []byte) (Format, bool) {
	head = bytes.TrimPrefix(head, bom)
	for len(head) > 0 {
		var line []byte
		line, head, _ = bytes.Cut(head, []byte("\n"))
		line = bytes.TrimSpace(line)
		switch {
		case len(line) == 0:
			continue
		case line[0] == '#', line[0] == '%', bytes.HasPrefix(line, []byte("---")),
			bytes.HasPrefix(line, []byte("- ")), yamlKeyRE.Match(line):
			return YAML, true
		case bytes.ContainsAny(line, ",;"):
			return CSV, true
		}
		return "", false
	}
	return "", false
}
