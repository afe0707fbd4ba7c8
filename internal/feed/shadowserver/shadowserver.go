// Package shadowserver parses every report type Shadowserver publishes,
// driven by Shadowserver's own mapping file (schema/), which is embedded
// and can be replaced by a newer one.
package shadowserver

import (
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/feed"
)

func init() {
	feed.Register(feed.Spec{
		Name:        "shadowserver",
		Provider:    "Shadowserver Foundation",
		DocURL:      "https://www.shadowserver.org/what-we-do/network-reporting/",
		Format:      "csv",
		Description: "All Shadowserver network reports (scan_*, event4_*, ...); the report type comes from the file name (2026-11-20-scan_rdp-az-geo.csv).",
		Recognise: func(fileName string, head []byte) bool {
			t := TypeFromFileName(fileName)
			if t == "" {
				return false
			}
			_, ok := Default().Lookup(t)
			return ok && (head == nil || looksLikeCSV(head))
		},
		Details: func(detail string) (string, error) { return Describe(Default(), detail) },
		Parser:  &Parser{},
	})
}

// Describe summarises the schema, or with a report type, its mapping.
func Describe(s *Schema, reportType string) (string, error) {
	var b strings.Builder
	if reportType == "" {
		fmt.Fprintf(&b, "schema dated %s: %d report types (show one with --report TYPE)\n", s.Created, len(s.Reports))
		w := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "REPORT\tFEED NAME\tCLASSIFICATION")
		for _, n := range s.Names() {
			rt, _ := s.Lookup(n)
			fmt.Fprintf(w, "%s\t%s\t%s\n", n, rt.FeedName, rt.classification())
		}
		w.Flush()
		return b.String(), nil
	}
	rt, ok := s.Lookup(reportType)
	if !ok {
		msg := fmt.Sprintf("unknown report type %q", reportType)
		if near := feed.Closest(reportType, s.Names(), 3); len(near) > 0 {
			msg += "; closest known: " + strings.Join(near, ", ")
		}
		return "", errs.E(errs.NotFound, "%s", msg)
	}
	fmt.Fprintf(&b, "report:   %s\nfeed:     %s\ndocs:     %s\n", rt.FileName, rt.FeedName, rt.URL)
	cs := append([]Constant(nil), rt.Constant...)
	sort.Slice(cs, func(i, j int) bool { return cs[i].Key < cs[j].Key })
	for _, c := range cs {
		fmt.Fprintf(&b, "constant: %s = %s\n", c.Key, c.Value)
	}
	w := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "\nCOLUMN\tFIELD\tCONVERSION\tREQUIRED")
	for _, set := range []struct {
		ms  []Mapping
		req string
	}{{rt.Required, "yes"}, {rt.Optional, ""}} {
		for _, m := range set.ms {
			key := m.Key
			switch key {
			case "":
				key = "(ignored)"
			case "extra.":
				key = "extra." + m.Column
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", m.Column, key, m.Conv, set.req)
		}
	}
	w.Flush()
	return b.String(), nil
}

func (rt *ReportType) classification() string {
	var tax, typ, id string
	for _, c := range rt.Constant {
		switch c.Key {
		case "classification.taxonomy":
			tax = c.Value
		case "classification.type":
			typ = c.Value
		case "classification.identifier":
			id = c.Value
		}
	}
	if typ == "" {
		return "(from the data)"
	}
	return tax + "/" + typ + " " + id
}
