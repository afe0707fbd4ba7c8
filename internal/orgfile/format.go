// Package orgfile reads and writes the constituency registry files: the
// YAML and CSV forms in which a CERT keeps, exchanges and bulk-imports its
// list of organisations, their internet resources and their contacts.
//
// Decoding is all or nothing: a file either yields every organisation,
// normalised, or an errs.Invalid error whose message begins with the line to
// fix ("line 12: resources.value: ..."). Database identifiers and
// timestamps are not part of the files.
package orgfile

import (
	"io"
	"path"
	"strings"

	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/errs"
)

// Format is a registry file format.
type Format string

const (
	YAML Format = "yaml"
	CSV  Format = "csv"
)

// DetectFormat picks the format from the file name's extension (.yaml,
// .yml, .csv); failing that it sniffs head, the first bytes of the content.
func DetectFormat(name string, head []byte) (Format, error) {
	switch ext := strings.ToLower(path.Ext(name)); ext {
	case ".yaml", ".yml":
		return YAML, nil
	case ".csv":
		return CSV, nil
	case ".xlsx", ".xls", ".ods":
		// Spreadsheets are the likeliest wrong upload; say what to do.
		return "", errs.E(errs.Invalid, "%s spreadsheets cannot be read; save the sheet as CSV (UTF-8) or write YAML", ext)
	}
	if f, ok := sniff(head); ok {
		return f, nil
	}
	return "", errs.E(errs.Invalid, "cannot tell whether the file is YAML or CSV; give it a .yaml or .csv name")
}

// Decode reads a whole registry file and returns its organisations, each
// normalised by (*constituency.Org).Normalize, in file order. Any problem
// with the content is an errs.Invalid error naming the line; nothing
// partial is returned.
func Decode(r io.Reader, f Format) ([]constituency.Org, error) {
	var parse func([]byte) ([]*draft, error)
	switch f {
	case YAML:
		parse = parseYAML
	case CSV:
		parse = parseCSV
	default:
		return nil, errs.E(errs.Invalid, "unknown file format %q (want yaml or csv)", f)
	}
	data, err := readInput(r)
	if err != nil {
		return nil, err
	}
	drafts, err := parse(data)
	if err != nil {
		return nil, err
	}
	return finish(drafts)
}

// Encode writes orgs in format f, keeping the order of organisations,
// resources and contacts. For normalised organisations (such as Decode
// returns) decoding the output gives the same organisations back.
func Encode(w io.Writer, f Format, orgs []constituency.Org) error {
	switch f {
	case YAML:
		return encodeYAML(w, orgs)
	case CSV:
		return encodeCSV(w, orgs)
	}
	return errs.E(errs.Invalid, "unknown file format %q (want yaml or csv)", f)
}
