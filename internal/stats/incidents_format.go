package stats

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/i18n"
)

// IncidentHeadline is the sentence a CERT publishes about the incidents
// of the report's period, in lang (az, en, ru; anything else is
// English): how many were registered, and the change against the same
// period a year earlier.
func IncidentHeadline(r *IncidentReport, lang string) string {
	n, base := r.Opened, r.YearEarlier.Opened
	ch := r.VsYearEarlier.Opened.String()
	switch lang {
	case "az":
		head := r.Period.Label("az") + ": "
		if n == 0 {
			return head + "insident qeydə alınmayıb."
		}
		s := fmt.Sprintf("%s%d insident qeydə alınıb", head, n)
		if base == 0 {
			return s + "; " + r.YearEarlier.Period.Label("az") + " dövründə qeydə alınmamışdı."
		}
		return s + "; " + r.YearEarlier.Period.Label("az") + " ilə müqayisədə " + ch + "."
	case "ru":
		head := capitalize(r.Period.ruLabel(nominative)) + ": "
		if n == 0 {
			return head + "инциденты не зарегистрированы."
		}
		var s string
		switch {
		case one(n):
			s = fmt.Sprintf("%sзарегистрирован %d инцидент", head, n)
		case n%10 >= 2 && n%10 <= 4 && (n%100 < 12 || n%100 > 14):
			s = fmt.Sprintf("%sзарегистрировано %d инцидента", head, n)
		default:
			s = fmt.Sprintf("%sзарегистрировано %d инцидентов", head, n)
		}
		if base == 0 {
			return s + "; в " + r.YearEarlier.Period.ruLabel(prepositional) + " инциденты не регистрировались."
		}
		return strings.TrimSuffix(s+"; "+ch+" по сравнению с "+r.YearEarlier.Period.ruLabel(instrumental), ".") + "."
	}
	head := r.Period.Label("en") + ": "
	if n == 0 {
		return head + "no incidents registered."
	}
	word := "incidents"
	if n == 1 {
		word = "incident"
	}
	s := fmt.Sprintf("%s%d %s registered", head, n, word)
	if base == 0 {
		return s + "; none in " + r.YearEarlier.Period.Label("en") + "."
	}
	return s + "; " + ch + " compared to " + r.YearEarlier.Period.Label("en") + "."
}

// WriteIncidents writes the incident report in a format, as Write does
// for findings: "text", "md", "json" (with the headline) or "csv" (see
// WriteIncidentsCSV). Labels are in lang.
func WriteIncidents(w io.Writer, r *IncidentReport, format, lang string) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Headline string `json:"headline"`
			*IncidentReport
		}{IncidentHeadline(r, lang), r})
	case "csv":
		return WriteIncidentsCSV(w, r)
	case "text", "md":
		return writeIncidentTables(w, r, format == "md", lang)
	}
	return errs.Field("format", "unknown format %q (want text, csv, json or md)", format)
}

// IncidentCSVColumns are the columns of WriteIncidentsCSV.
var IncidentCSVColumns = []string{"section", "key", "name", "incidents_opened", "previous", "year_earlier", "change_vs_previous_pct",
	"change_vs_year_earlier_pct", "incidents_resolved", "count", "median_hours", "p90_hours", "mean_hours"}

// WriteIncidentsCSV writes the incident report as one CSV table: a
// "summary" row per period (the period, the one before, a year earlier;
// key is the period), a "time_to_<measure>" row per period, then a row
// per type, identifier, channel, severity, organisation and month.
// Figures a section does not have are empty.
func WriteIncidentsCSV(w io.Writer, r *IncidentReport) error {
	cw := csv.NewWriter(w)
	cw.Write(IncidentCSVColumns)
	pct := func(c Change) string {
		if c.Pct == nil {
			return ""
		}
		return strconv.FormatFloat(*c.Pct, 'f', 1, 64)
	}
	for i, s := range []IncidentSummary{r.IncidentSummary, r.Previous, r.YearEarlier} {
		row := []string{"summary", s.Period.String(), "", itoa(s.Opened), "", "", "", "", itoa(s.Resolved), "", "", "", ""}
		if i == 0 {
			row[4], row[5], row[6], row[7] = itoa(r.Previous.Opened), itoa(r.YearEarlier.Opened), pct(r.VsPrevious.Opened), pct(r.VsYearEarlier.Opened)
		}
		cw.Write(row)
	}
	for _, s := range []IncidentSummary{r.IncidentSummary, r.Previous, r.YearEarlier} {
		for i, d := range []Duration{s.TimeToTriage, s.TimeToContain, s.TimeToResolve, s.TimeToTakedown} {
			cw.Write([]string{"time_to_" + Measures[i], s.Period.String(), "", "", "", "", "", "", "", strconv.FormatInt(d.Count, 10),
				ftoa(d.MedianHours), ftoa(d.P90Hours), ftoa(d.MeanHours)})
		}
	}
	for _, sec := range []struct {
		name string
		rows []IncidentRow
	}{{"type", r.ByType}, {"identifier", r.ByIdentifier}, {"channel", r.ByChannel}, {"severity", r.BySeverity}, {"organisation", r.ByOrganisation}} {
		for _, x := range sec.rows {
			cw.Write([]string{sec.name, csvSafe(x.Key), csvSafe(x.Name), itoa(x.Opened), itoa(x.Previous), itoa(x.YearEarlier),
				pct(x.VsPrevious), pct(x.VsYearEarlier), itoa(x.Resolved), "", "", "", ""})
		}
	}
	for _, p := range r.Monthly {
		cw.Write([]string{"month", p.Month.String(), "", itoa(p.Opened), "", "", "", "", itoa(p.Resolved), "", "", "", ""})
	}
	cw.Flush()
	return cw.Error()
}

// DurationText is a duration figure as reports print it: "4.0 h", or
// "—" when nothing was measured.
func DurationText(v *float64, lang string) string {
	if v == nil {
		return "—"
	}
	return i18n.T(lang, "stats.hours", strconv.FormatFloat(*v, 'f', 1, 64))
}

// ChannelLabel names a channel in lang.
func ChannelLabel(ch, lang string) string {
	if k := "stats.incidents.channel." + ch; i18n.Has(lang, k) || i18n.Has("en", k) {
		return i18n.T(lang, k)
	}
	return ch
}

// DurationLine is a "time to" line of the summary table: its catalogue
// key and the figures of the three periods.
type DurationLine struct {
	Key             string
	Cur, Prev, Year Duration
}

// IncidentDurations lists the "time to" lines in the order of Measures.
func IncidentDurations(r *IncidentReport) []DurationLine {
	out := make([]DurationLine, len(Measures))
	for i, m := range Measures {
		get := func(s IncidentSummary) Duration {
			return [...]Duration{s.TimeToTriage, s.TimeToContain, s.TimeToResolve, s.TimeToTakedown}[i]
		}
		out[i] = DurationLine{Key: "stats.incidents.time_to_" + m, Cur: get(r.IncidentSummary), Prev: get(r.Previous), Year: get(r.YearEarlier)}
	}
	return out
}

// writeIncidentTables writes the headline and the tables, aligned or as
// Markdown.
func writeIncidentTables(w io.Writer, r *IncidentReport, md bool, lang string) error {
	t := func(k string) string { return i18n.T(lang, k) }
	var b strings.Builder
	table := tableWriter(&b, md)
	if md {
		fmt.Fprintf(&b, "# %s\n\n", IncidentHeadline(r, lang))
	} else {
		fmt.Fprintf(&b, "%s\n\n", IncidentHeadline(r, lang))
	}
	periods := []string{"", r.Period.Label(lang), r.Previous.Period.Label(lang), t("stats.change"), r.YearEarlier.Period.Label(lang), t("stats.change")}
	rows := [][]string{
		{t("stats.incidents.opened"), itoa(r.Opened), itoa(r.Previous.Opened), ChangeText(&r.VsPrevious.Opened, lang), itoa(r.YearEarlier.Opened), ChangeText(&r.VsYearEarlier.Opened, lang)},
		{t("stats.incidents.resolved"), itoa(r.Resolved), itoa(r.Previous.Resolved), ChangeText(&r.VsPrevious.Resolved, lang), itoa(r.YearEarlier.Resolved), ChangeText(&r.VsYearEarlier.Resolved, lang)},
	}
	table("", periods, rows)
	rows = nil
	for _, d := range IncidentDurations(r) {
		rows = append(rows, []string{t(d.Key), strconv.FormatInt(d.Cur.Count, 10), DurationText(d.Cur.MedianHours, lang), DurationText(d.Cur.P90Hours, lang),
			DurationText(d.Cur.MeanHours, lang), DurationText(d.Prev.MedianHours, lang), DurationText(d.Year.MedianHours, lang)})
	}
	table(t("stats.incidents.times"), []string{"", t("stats.incidents.count"), t("stats.incidents.median"), t("stats.incidents.p90"), t("stats.incidents.mean"),
		t("stats.incidents.median") + " " + r.Previous.Period.Label(lang), t("stats.incidents.median") + " " + r.YearEarlier.Period.Label(lang)}, rows)
	breakdown := func(title, keyHead string, list []IncidentRow, label func(IncidentRow) string) {
		if len(list) == 0 {
			return
		}
		var rows [][]string
		for _, x := range list {
			rows = append(rows, []string{label(x), itoa(x.Opened), itoa(x.Previous), ChangeText(&x.VsPrevious, lang), itoa(x.YearEarlier), ChangeText(&x.VsYearEarlier, lang)})
		}
		head := append([]string{keyHead}, periods[1:]...)
		table(title, head, rows)
	}
	key := func(x IncidentRow) string { return x.Key }
	breakdown(t("stats.incidents.by_type"), t("stats.incidents.type"), r.ByType, key)
	breakdown(t("stats.incidents.by_identifier"), t("stats.identifier"), r.ByIdentifier, key)
	breakdown(t("stats.incidents.by_channel"), t("stats.incidents.channel"), r.ByChannel, func(x IncidentRow) string { return ChannelLabel(x.Key, lang) })
	breakdown(t("stats.incidents.by_severity"), t("stats.incidents.severity"), r.BySeverity, func(x IncidentRow) string { return i18n.T(lang, "severity."+x.Key) })
	breakdown(t("stats.incidents.by_org"), t("stats.org"), r.ByOrganisation, func(x IncidentRow) string {
		if x.Name != "" {
			return x.Key + " (" + x.Name + ")"
		}
		return x.Key
	})
	rows = nil
	for _, p := range r.Monthly {
		rows = append(rows, []string{p.Month.String(), itoa(p.Opened), itoa(p.Resolved)})
	}
	table(t("stats.incidents.monthly"), []string{t("stats.month"), t("stats.incidents.opened"), t("stats.incidents.resolved")}, rows)
	_, err := io.WriteString(w, b.String())
	return err
}
