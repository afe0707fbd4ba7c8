package orgfile

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/tlp"
)

// parseCSV reads the flat form: a header, then rows grouped into
// organisations by short name in order of first appearance, so a sheet
// sorted by some other column still reads correctly.
func parseCSV(data []byte) ([]*draft, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = sniffComma(data)
	cr.FieldsPerRecord = -1 // checked below, to word the error
	cr.ReuseRecord = true
	names, err := cr.Read()
	if err != nil {
		return nil, csvSyntax(err)
	}
	line, _ := cr.FieldPos(0)
	h, err := parseHeader(line, names)
	if err != nil {
		return nil, err
	}
	var drafts []*draft
	groups := map[string]*csvGroup{}
	row := csvRow{h: &h}
	for {
		row.rec, err = cr.Read()
		if errors.Is(err, io.EOF) {
			return drafts, nil
		}
		if err != nil {
			return nil, csvSyntax(err)
		}
		row.line, _ = cr.FieldPos(0)
		if len(row.rec) != h.width {
			return nil, errAt(row.line, "the row has %d columns but the header has %d", len(row.rec), h.width)
		}
		if blank(row.rec) {
			continue // spreadsheets leave rows of empty cells behind
		}
		// A quoted cell may span lines; errors name the cell's own line.
		for c, i := range h.index {
			row.lines[c] = row.line
			if i >= 0 {
				row.lines[c], _ = cr.FieldPos(i)
			}
		}
		g, isNew, err := csvOrg(&row, groups)
		if err != nil {
			return nil, err
		}
		if isNew {
			drafts = append(drafts, g.d)
		}
		if err := csvResource(&row, g.d); err != nil {
			return nil, err
		}
		if err := csvContact(&row, g); err != nil {
			return nil, err
		}
	}
}

// csvRow is the current data row with the line of each of its cells.
type csvRow struct {
	h     *header
	rec   []string
	lines [numColumns]int
	line  int
}

// get is the trimmed cell of column c; "" when the file lacks the column.
func (r *csvRow) get(c int) string {
	if i := r.h.index[c]; i >= 0 {
		return strings.TrimSpace(r.rec[i])
	}
	return ""
}

// pos locates columns cols of the row, keyed as errs.Field names end, with
// the line of column main as the element's line.
func (r *csvRow) pos(main int, cols ...int) pos {
	p := pos{line: r.lines[main]}
	for _, c := range cols {
		p.set(columnKeys[c], r.lines[c])
	}
	return p
}

// csvGroup gathers the rows of one organisation.
type csvGroup struct {
	d         *draft
	shell     constituency.Org // the first row's org columns, normalised
	firstLine int
	contacts  map[string]csvContactAt // by normalised e-mail
}

type csvContactAt struct {
	c    constituency.Contact // normalised
	line int
}

// csvOrg finds or starts the row's organisation. Every row repeats the
// organisation's columns; they must mean the same on each row (compared
// after normalisation, so "TLP:AMBER" agrees with "amber").
func csvOrg(r *csvRow, groups map[string]*csvGroup) (g *csvGroup, isNew bool, err error) {
	cii, err := parseBool(r.lines[colCII], "cii", r.get(colCII))
	if err != nil {
		return nil, false, err
	}
	raw := constituency.Org{
		ShortName: r.get(colShortName),
		Name:      r.get(colName),
		Sector:    constituency.Sector(r.get(colSector)),
		Parent:    r.get(colParent),
		CII:       cii,
		Language:  constituency.Language(r.get(colLanguage)),
		TLP:       tlp.Label(r.get(colTLP)),
	}
	at := r.pos(colShortName, orgColumns...)
	shell, err := normShell(raw, at)
	if err != nil {
		return nil, false, err
	}
	if g = groups[shell.ShortName]; g == nil {
		g = &csvGroup{
			d:         &draft{org: raw, at: at},
			shell:     shell,
			firstLine: r.line,
			contacts:  map[string]csvContactAt{},
		}
		groups[shell.ShortName] = g
		return g, true, nil
	}
	for _, c := range orgColumns {
		here, there := orgColumn(shell, c), orgColumn(g.shell, c)
		if here != there {
			return nil, false, fieldAt(r.lines[c], columnNames[c], "%q here but %q on line %d; every row of %s must agree",
				here, there, g.firstLine, shell.ShortName)
		}
	}
	return g, false, nil
}

// orgColumn is the text of an organisation's column, for comparing rows.
func orgColumn(o constituency.Org, c int) string {
	switch c {
	case colName:
		return o.Name
	case colSector:
		return string(o.Sector)
	case colParent:
		return o.Parent
	case colCII:
		return fmt.Sprint(o.CII)
	case colLanguage:
		return string(o.Language)
	case colTLP:
		return string(o.TLP)
	}
	return o.ShortName
}

// csvResource adds the row's resource, if it has one.
func csvResource(r *csvRow, d *draft) error {
	value := r.get(colResource)
	if value == "" {
		if r.get(colResourceKind)+r.get(colCriticality)+r.get(colNotes) != "" {
			return fieldAt(r.lines[colResource], "resource", "is empty, but resource_kind, criticality or notes is not")
		}
		return nil
	}
	d.org.Resources = append(d.org.Resources, constituency.Resource{
		// Kinds are compared exactly by the domain layer; accept "Host".
		Kind:        constituency.ResourceKind(strings.ToLower(r.get(colResourceKind))),
		Value:       value,
		Criticality: constituency.Criticality(r.get(colCriticality)),
		Notes:       r.get(colNotes),
	})
	d.resAt = append(d.resAt, r.pos(colResource, colResourceKind, colResource, colCriticality, colNotes))
	return nil
}

// csvContact adds the row's contact, if it has one. Rows may repeat a
// contact (a sheet listing every resource with its contact); repeats are
// merged by e-mail address and must agree.
func csvContact(r *csvRow, g *csvGroup) error {
	email := r.get(colContactEmail)
	if email == "" {
		if r.get(colContactName)+r.get(colContactRole)+r.get(colContactLanguage)+r.get(colContactPGPKey) != "" {
			return fieldAt(r.lines[colContactEmail], "contact_email", "is empty, but another contact column is not")
		}
		return nil
	}
	c := constituency.Contact{
		Email:    email,
		Name:     r.get(colContactName),
		Role:     r.get(colContactRole),
		Language: constituency.Language(r.get(colContactLanguage)),
		PGPKey:   r.get(colContactPGPKey),
	}
	at := r.pos(colContactEmail, colContactEmail, colContactName, colContactRole, colContactLanguage, colContactPGPKey)
	norm, err := normContact(c, g.shell.Language, at)
	if err != nil {
		return err
	}
	if first, ok := g.contacts[norm.Email]; ok {
		for _, col := range []int{colContactName, colContactRole, colContactLanguage, colContactPGPKey} {
			here, there := contactColumn(norm, col), contactColumn(first.c, col)
			if here != there {
				return fieldAt(r.lines[col], columnNames[col], "%q here but %q on line %d for %s",
					here, there, first.line, norm.Email)
			}
		}
		return nil
	}
	g.contacts[norm.Email] = csvContactAt{c: norm, line: at.line}
	g.d.org.Contacts = append(g.d.org.Contacts, c)
	g.d.conAt = append(g.d.conAt, at)
	return nil
}

func contactColumn(c constituency.Contact, col int) string {
	switch col {
	case colContactName:
		return c.Name
	case colContactRole:
		return c.Role
	case colContactLanguage:
		return string(c.Language)
	case colContactPGPKey:
		return c.PGPKey
	}
	return c.Email
}

// csvSyntax words a CSV reader error in this package's form.
func csvSyntax(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, csv.ErrBareQuote) || errors.Is(pe.Err, csv.ErrQuote) {
			return errAt(pe.Line, "%v (a cell holding quotes must be quoted itself, with inner quotes doubled)", pe.Err)
		}
		return errAt(pe.Line, "%v", pe.Err)
	}
	return errAt(1, "%v", err)
}

func blank(rec []string) bool {
	for _, s := range rec {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}
