package stats

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/i18n"
)

// Formats are the file formats Write writes.
var Formats = []string{"text", "csv", "json", "md"}

// Write writes the report in a format: "text" (the headline and aligned
// tables), "md" (the same as Markdown), "json" (the Report with its
// headline) or "csv" (one table, a row per figure set: see WriteCSV).
// Labels are in lang.
func Write(w io.Writer, r *Report, format, lang string) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Headline string `json:"headline"`
			*Report
		}{Headline(r, lang), r})
	case "csv":
		return WriteCSV(w, r)
	case "text", "md":
		return writeTables(w, r, format == "md", lang)
	}
	return errs.Field("format", "unknown format %q (want text, csv, json or md)", format)
}

// CSVColumns are the columns of WriteCSV.
var CSVColumns = []string{"section", "key", "name", "findings_opened", "resources_with_gaps", "organisations_with_gaps",
	"findings_closed", "still_open", "notices_sent", "median_hours_to_remediate", "mean_hours_to_remediate", "sla_compliance_pct"}

// WriteCSV writes the report as one CSV table: a "summary" row for the
// period, the one before and a year earlier (key is the period), then a
// row per organisation, sector, identifier, taxonomy and month (section
// names which). Figures a section does not have are empty.
func WriteCSV(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	cw.Write(CSVColumns)
	for _, s := range []Summary{r.Summary, r.Previous, r.YearEarlier} {
		cw.Write([]string{"summary", s.Period.String(), "", itoa(s.FindingsOpened), itoa(s.ResourcesWithGaps), itoa(s.OrganisationsWithGaps),
			itoa(s.FindingsClosed), itoa(s.StillOpen), itoa(s.NoticesSent), ftoa(s.MedianHoursToRemediate), ftoa(s.MeanHoursToRemediate), ftoa(s.SLACompliance)})
	}
	for _, sec := range []struct {
		name string
		rows []Row
	}{{"organisation", r.ByOrganisation}, {"sector", r.BySector}, {"identifier", r.ByIdentifier}, {"taxonomy", r.ByTaxonomy}} {
		for _, row := range sec.rows {
			cw.Write([]string{sec.name, csvSafe(row.Key), csvSafe(row.Name), itoa(row.Opened), itoa(row.Resources), itoa(row.Orgs),
				itoa(row.Closed), itoa(row.StillOpen), "", "", "", ""})
		}
	}
	for _, p := range r.Monthly {
		cw.Write([]string{"month", p.Month.String(), "", itoa(p.Opened), "", "", itoa(p.Closed), "", "", "", "", ""})
	}
	cw.Flush()
	return cw.Error()
}

func itoa(n int) string { return strconv.Itoa(n) }

func ftoa(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', 1, 64)
}

// csvSafe keeps a spreadsheet from running a cell as a formula (names
// come from the registry and identifiers from feeds).
func csvSafe(v string) string {
	if v == "" || !strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return v
	}
	return "'" + v
}

// Figure is one line of the summary table: a label and the value in the
// period, the period before and a year earlier, with the changes where a
// change means something.
type Figure struct {
	Key                      string // the catalogue key of the label: "stats.findings_opened"
	Cur, Prev, Year          string
	VsPrev, VsYear           *Change
	CurNum, PrevNum, YearNum int
}

// Figures lists the summary's lines in the order reports show them.
func Figures(r *Report, lang string) []Figure {
	counts := []struct {
		key        string
		get        func(Summary) int
		prev, year Change
	}{
		{"stats.resources_with_gaps", func(s Summary) int { return s.ResourcesWithGaps }, r.VsPrevious.ResourcesWithGaps, r.VsYearEarlier.ResourcesWithGaps},
		{"stats.orgs_with_gaps", func(s Summary) int { return s.OrganisationsWithGaps }, r.VsPrevious.OrganisationsWithGaps, r.VsYearEarlier.OrganisationsWithGaps},
		{"stats.findings_opened", func(s Summary) int { return s.FindingsOpened }, r.VsPrevious.FindingsOpened, r.VsYearEarlier.FindingsOpened},
		{"stats.findings_closed", func(s Summary) int { return s.FindingsClosed }, r.VsPrevious.FindingsClosed, r.VsYearEarlier.FindingsClosed},
		{"stats.still_open", func(s Summary) int { return s.StillOpen }, r.VsPrevious.StillOpen, r.VsYearEarlier.StillOpen},
		{"stats.notices_sent", func(s Summary) int { return s.NoticesSent }, r.VsPrevious.NoticesSent, r.VsYearEarlier.NoticesSent},
	}
	var out []Figure
	for _, c := range counts {
		f := Figure{Key: c.key, CurNum: c.get(r.Summary), PrevNum: c.get(r.Previous), YearNum: c.get(r.YearEarlier)}
		f.Cur, f.Prev, f.Year = itoa(f.CurNum), itoa(f.PrevNum), itoa(f.YearNum)
		f.VsPrev, f.VsYear = &c.prev, &c.year
		out = append(out, f)
	}
	hours := func(v *float64) string {
		if v == nil {
			return "—"
		}
		return i18n.T(lang, "stats.hours", strconv.FormatFloat(*v, 'f', 1, 64))
	}
	pct := func(v *float64) string {
		if v == nil {
			return "—"
		}
		return strconv.FormatFloat(*v, 'f', 1, 64) + " %"
	}
	out = append(out,
		Figure{Key: "stats.median_ttr", Cur: hours(r.MedianHoursToRemediate), Prev: hours(r.Previous.MedianHoursToRemediate), Year: hours(r.YearEarlier.MedianHoursToRemediate)},
		Figure{Key: "stats.mean_ttr", Cur: hours(r.MeanHoursToRemediate), Prev: hours(r.Previous.MeanHoursToRemediate), Year: hours(r.YearEarlier.MeanHoursToRemediate)},
		Figure{Key: "stats.sla", Cur: pct(r.SLACompliance), Prev: pct(r.Previous.SLACompliance), Year: pct(r.YearEarlier.SLACompliance)},
	)
	return out
}

// ChangeText is a change as reports print it, "new" translated.
func ChangeText(c *Change, lang string) string {
	if c == nil {
		return ""
	}
	if s := c.String(); s != "new" {
		return s
	}
	return i18n.T(lang, "stats.new")
}

// SectorLabel names a sector in lang as the catalogue does.
func SectorLabel(sector, lang string) string {
	if k := "sector." + sector; i18n.Has(lang, k) || i18n.Has("en", k) {
		return i18n.T(lang, k)
	}
	return sector
}

// writeTables writes the headline and the tables, aligned or as Markdown.
func writeTables(w io.Writer, r *Report, md bool, lang string) error {
	t := func(k string) string { return i18n.T(lang, k) }
	var b strings.Builder
	table := tableWriter(&b, md)
	if md {
		fmt.Fprintf(&b, "# %s\n\n", Headline(r, lang))
	} else {
		fmt.Fprintf(&b, "%s\n\n", Headline(r, lang))
	}
	var rows [][]string
	for _, f := range Figures(r, lang) {
		rows = append(rows, []string{t(f.Key), f.Cur, f.Prev, ChangeText(f.VsPrev, lang), f.Year, ChangeText(f.VsYear, lang)})
	}
	table("", []string{"", r.Period.Label(lang), r.Previous.Period.Label(lang), t("stats.change"), r.YearEarlier.Period.Label(lang), t("stats.change")}, rows)
	// Still open is counted per organisation (and so per sector) only.
	breakdown := func(title, keyHead string, list []Row, withName, withOrgs, withOpen bool, label func(string) string) {
		if len(list) == 0 {
			return
		}
		head := []string{keyHead}
		if withName {
			head = append(head, t("org.name"))
		}
		head = append(head, t("stats.opened"), t("stats.resources"))
		if withOrgs {
			head = append(head, t("stats.orgs"))
		}
		head = append(head, t("stats.closed"))
		if withOpen {
			head = append(head, t("stats.open"))
		}
		var rows [][]string
		for _, x := range list {
			row := []string{label(x.Key)}
			if withName {
				row = append(row, x.Name)
			}
			row = append(row, itoa(x.Opened), itoa(x.Resources))
			if withOrgs {
				row = append(row, itoa(x.Orgs))
			}
			row = append(row, itoa(x.Closed))
			if withOpen {
				row = append(row, itoa(x.StillOpen))
			}
			rows = append(rows, row)
		}
		table(title, head, rows)
	}
	same := func(s string) string { return s }
	breakdown(t("stats.by_org"), t("stats.org"), r.ByOrganisation, true, false, true, same)
	breakdown(t("stats.by_sector"), t("stats.sector"), r.BySector, false, true, true, func(s string) string { return SectorLabel(s, lang) })
	breakdown(t("stats.by_identifier"), t("stats.identifier"), r.ByIdentifier, false, true, false, same)
	breakdown(t("stats.by_taxonomy"), t("stats.taxonomy"), r.ByTaxonomy, false, true, false, same)
	rows = nil
	for _, p := range r.Monthly {
		rows = append(rows, []string{p.Month.String(), itoa(p.Opened), itoa(p.Closed)})
	}
	table(t("stats.monthly"), []string{t("stats.month"), t("stats.opened"), t("stats.closed")}, rows)
	_, err := io.WriteString(w, b.String())
	return err
}

// tableWriter returns a function that writes one titled table into b:
// Markdown (first column left, the figures right-aligned, pipes escaped)
// or columns aligned with spaces.
func tableWriter(b *strings.Builder, md bool) func(title string, head []string, rows [][]string) {
	return func(title string, head []string, rows [][]string) {
		if title != "" {
			if md {
				fmt.Fprintf(b, "\n## %s\n\n", title)
			} else {
				fmt.Fprintf(b, "\n%s\n", title)
			}
		}
		if md {
			b.WriteString("| " + strings.Join(head, " | ") + " |\n|")
			for i := range head {
				if i == 0 {
					b.WriteString(" --- |")
				} else {
					b.WriteString(" ---: |")
				}
			}
			b.WriteString("\n")
			for _, row := range rows {
				for i, c := range row {
					row[i] = strings.ReplaceAll(c, "|", `\|`)
				}
				b.WriteString("| " + strings.Join(row, " | ") + " |\n")
			}
			return
		}
		tw := tabwriter.NewWriter(b, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, strings.Join(head, "\t"))
		for _, row := range rows {
			fmt.Fprintln(tw, strings.Join(row, "\t"))
		}
		tw.Flush()
	}
}
