package ui

import (
	"net/http"
	"net/url"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/i18n"
	"github.com/qalxan/qalxan/internal/stats"
	"github.com/qalxan/qalxan/internal/storage"
)

// incidentStatsView is the incidents' section of the statistics page.
type incidentStatsView struct {
	Report    *stats.IncidentReport
	Headline  string
	Counts    []incidentStatsLine // registered, resolved
	Times     []incidentTimeLine
	Breakdown []incidentBreakdown
	Monthly   monthChart
	Export    string
}

// incidentTimeLine is a "time to" figure as the page prints it.
type incidentTimeLine struct {
	Key                                       string
	Count                                     int64
	Median, P90, Mean, PrevMedian, YearMedian string
}

// incidentStatsLine is a figure of the three periods with its changes.
type incidentStatsLine struct {
	Key, Label           string
	Cur, Prev, Year      int
	PrevText, YearText   string
	PrevClass, YearClass string
}

// incidentBreakdown is one breakdown table: its title, the head of its
// key column and its rows, labelled.
type incidentBreakdown struct {
	Title, KeyHead string
	Rows           []incidentStatsLine
	Link           bool // keys are organisations' short names
}

// incidentStats counts the incidents of the page's period (and
// organisation) in the user's scope, for users who may read incidents.
func (h *handler) incidentStats(r *http.Request, u *auth.User, lang string, p stats.Period, org string) (*incidentStatsView, error) {
	if !u.Role.Can(auth.ReadIncidents) {
		return nil, nil
	}
	sc := auth.ScopeFor(u)
	q := storage.StatsQuery{Period: p}
	if org != "" {
		o, err := h.Store.GetOrgByShortName(r.Context(), sc, org)
		if err != nil {
			return nil, err
		}
		q.OrgID = o.ID
	}
	rep, err := h.Store.IncidentStats(r.Context(), sc, q)
	if err != nil {
		return nil, err
	}
	rep.Org = org
	v := &incidentStatsView{Report: rep, Headline: stats.IncidentHeadline(rep, lang)}
	for _, d := range stats.IncidentDurations(rep) {
		v.Times = append(v.Times, incidentTimeLine{Key: d.Key, Count: d.Cur.Count, Median: stats.DurationText(d.Cur.MedianHours, lang),
			P90: stats.DurationText(d.Cur.P90Hours, lang), Mean: stats.DurationText(d.Cur.MeanHours, lang),
			PrevMedian: stats.DurationText(d.Prev.MedianHours, lang), YearMedian: stats.DurationText(d.Year.MedianHours, lang)})
	}
	line := func(key string, cur, prev, year int, vsPrev, vsYear stats.Change) incidentStatsLine {
		return incidentStatsLine{Key: key, Label: key, Cur: cur, Prev: prev, Year: year, PrevText: stats.ChangeText(&vsPrev, lang), YearText: stats.ChangeText(&vsYear, lang),
			PrevClass: changeClass(&vsPrev), YearClass: changeClass(&vsYear)}
	}
	v.Counts = []incidentStatsLine{
		line("stats.incidents.opened", rep.Opened, rep.Previous.Opened, rep.YearEarlier.Opened, rep.VsPrevious.Opened, rep.VsYearEarlier.Opened),
		line("stats.incidents.resolved", rep.Resolved, rep.Previous.Resolved, rep.YearEarlier.Resolved, rep.VsPrevious.Resolved, rep.VsYearEarlier.Resolved),
	}
	add := func(title, keyHead string, rows []stats.IncidentRow, label func(stats.IncidentRow) string, link bool) {
		b := incidentBreakdown{Title: title, KeyHead: keyHead, Link: link}
		for _, x := range rows {
			l := line(x.Key, x.Opened, x.Previous, x.YearEarlier, x.VsPrevious, x.VsYearEarlier)
			l.Label = label(x)
			b.Rows = append(b.Rows, l)
		}
		v.Breakdown = append(v.Breakdown, b)
	}
	key := func(x stats.IncidentRow) string { return x.Key }
	add("stats.incidents.by_type", "stats.incidents.type", rep.ByType, key, false)
	add("stats.incidents.by_identifier", "stats.identifier", rep.ByIdentifier, key, false)
	add("stats.incidents.by_channel", "stats.incidents.channel", rep.ByChannel, func(x stats.IncidentRow) string { return stats.ChannelLabel(x.Key, lang) }, false)
	add("stats.incidents.by_severity", "stats.incidents.severity", rep.BySeverity, func(x stats.IncidentRow) string { return i18n.T(lang, "severity."+x.Key) }, false)
	add("stats.incidents.by_org", "stats.org", rep.ByOrganisation, key, true)
	points := make([]stats.Point, len(rep.Monthly))
	for i, m := range rep.Monthly {
		points[i] = stats.Point{Month: m.Month, Opened: m.Opened, Closed: m.Resolved}
	}
	v.Monthly = layoutMonths(points, lang)
	qv := url.Values{"period": {rep.Period.String()}}
	if org != "" {
		qv.Set("org", org)
	}
	v.Export = "/stats/incidents/export?" + qv.Encode()
	return v, nil
}

// incidentStatsExport (GET /stats/incidents/export) is the page's
// incident figures as a CSV file.
func (h *handler) incidentStatsExport(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !u.Role.Can(auth.ReadIncidents) {
		h.forbidden(w, r, u)
		return
	}
	v := statsView{view: h.newView(w, r, u, "stats.title", "stats"), Errors: map[string]string{}}
	q := r.URL.Query()
	p := stats.MonthOf(h.Store.Now(), nil).Previous()
	if s := q.Get("period"); s != "" {
		var err error
		if p, err = stats.ParsePeriod(s); err != nil {
			v.Errors["period"] = errs.Message(err)
			h.render(w, r, http.StatusBadRequest, "stats", &v)
			return
		}
	}
	org := q.Get("org")
	iv, err := h.incidentStats(r, u, v.Lang, p, org)
	if err != nil {
		if errs.Is(err, errs.NotFound) {
			v.Errors["org"] = errs.Message(errs.Field("org", "no organisation %q", org))
			h.render(w, r, http.StatusBadRequest, "stats", &v)
			return
		}
		h.fail(w, r, u, err)
		return
	}
	name := "qalxan-incident-stats-" + p.String()
	if org != "" {
		name += "-" + org
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+url.PathEscape(name)+`.csv"`)
	if err := stats.WriteIncidentsCSV(w, iv.Report); err != nil && r.Context().Err() == nil {
		h.Log.Error("ui: incident stats export", "err", err)
	}
}
