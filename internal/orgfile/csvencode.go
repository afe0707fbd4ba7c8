package orgfile

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/qalxan/qalxan/internal/constituency"
)

// encodeCSV writes one row per resource or contact, whichever an
// organisation has more of: row i carries resource i and contact i, and an
// organisation with neither still gets a row. Contacts are not repeated, so
// decoding never has to merge them.
func encodeCSV(w io.Writer, orgs []constituency.Org) error {
	cols := columnNames[:colContactPGPKey]
	// The key column is written only when needed: armoured keys are long
	// and multi-line, and most registries have none.
	for _, o := range orgs {
		for _, c := range o.Contacts {
			if c.PGPKey != "" {
				cols = columnNames[:]
			}
		}
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(cols); err != nil {
		return err
	}
	rec := make([]string, len(cols))
	for _, o := range orgs {
		n := max(len(o.Resources), len(o.Contacts), 1)
		for i := range n {
			clear(rec)
			rec[colShortName] = o.ShortName
			rec[colName] = o.Name
			rec[colSector] = string(o.Sector)
			rec[colParent] = o.Parent
			rec[colCII] = strconv.FormatBool(o.CII)
			rec[colLanguage] = string(o.Language)
			rec[colTLP] = string(o.TLP)
			if i < len(o.Resources) {
				r := o.Resources[i]
				// The kind is always written: a detected kind can differ
				// (a domain named "as1" would read as an AS number).
				rec[colResourceKind] = string(r.Kind)
				rec[colResource] = r.Value
				rec[colCriticality] = string(r.Criticality)
				rec[colNotes] = r.Notes
			}
			if i < len(o.Contacts) {
				c := o.Contacts[i]
				rec[colContactEmail] = c.Email
				rec[colContactName] = c.Name
				rec[colContactRole] = c.Role
				rec[colContactLanguage] = string(c.Language)
				if len(cols) > colContactPGPKey {
					rec[colContactPGPKey] = c.PGPKey
				}
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
