package orgfile

import (
	"bytes"
	"strings"
)

// The CSV columns, in the order Encode writes them. Each row is one
// organisation plus, optionally, one resource and one contact.
const (
	colShortName = iota
	colName
	colSector
	colParent
	colCII
	colLanguage
	colTLP
	colResourceKind
	colResource
	colCriticality
	colNotes
	colContactEmail
	colContactName
	colContactRole
	colContactLanguage
	colContactPGPKey
	numColumns
)

var columnNames = [numColumns]string{
	"short_name", "name", "sector", "parent", "cii", "language", "tlp",
	"resource_kind", "resource", "criticality", "notes",
	"contact_email", "contact_name", "contact_role", "contact_language", "contact_pgp_key",
}

// columnKeys maps each column to the YAML key its errors are reported
// under (errs.Field names such as "resources.value" end in that key).
var columnKeys = [numColumns]string{
	"short_name", "name", "sector", "parent", "cii", "language", "tlp",
	"kind", "value", "criticality", "notes",
	"email", "name", "role", "language", "pgp_key",
}

// orgColumns are the organisation's own columns, which every row of the
// organisation repeats.
var orgColumns = []int{colShortName, colName, colSector, colParent, colCII, colLanguage, colTLP}

// header maps the file's columns (matched by name, case-insensitively, in
// any order) to ours; index[c] is the file's column for c, or -1.
type header struct {
	index [numColumns]int
	width int
}

func parseHeader(line int, names []string) (header, error) {
	h := header{width: len(names)}
	for c := range h.index {
		h.index[c] = -1
	}
	var unknown []string
	for i, name := range names {
		name = strings.ToLower(strings.TrimSpace(name))
		c := columnIndex(name)
		switch {
		case c < 0:
			unknown = append(unknown, `"`+name+`"`)
		case h.index[c] >= 0:
			return h, errAt(line, "column %q appears twice", name)
		default:
			h.index[c] = i
		}
	}
	known := strings.Join(columnNames[:], ", ")
	switch {
	case len(unknown) == len(names):
		// Most likely the header row is missing and this is data.
		return h, errAt(line, "the first row must be a header naming the columns (%s); found %s", known, strings.Join(unknown, ", "))
	case len(unknown) > 0:
		return h, errAt(line, "unknown column(s) %s (known: %s)", strings.Join(unknown, ", "), known)
	}
	for _, c := range []int{colShortName, colName} {
		if h.index[c] < 0 {
			return h, errAt(line, "the header lacks the %s column", columnNames[c])
		}
	}
	return h, nil
}

func columnIndex(name string) int {
	for c, n := range columnNames {
		if n == name {
			return c
		}
	}
	return -1
}

// sniffComma picks the delimiter from the header, the first non-blank
// line. Spreadsheet programs in locales that write decimal commas
// (Azerbaijani and Russian among them) save "CSV" with semicolons.
func sniffComma(data []byte) rune {
	var first []byte
	for len(bytes.TrimSpace(first)) == 0 && len(data) > 0 {
		first, data, _ = bytes.Cut(data, []byte("\n"))
	}
	if !bytes.ContainsRune(first, ',') && bytes.ContainsRune(first, ';') {
		return ';'
	}
	return ','
}
