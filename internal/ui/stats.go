package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/stats"
	"github.com/qalxan/qalxan/internal/storage"
)

type statsView struct {
	view
	Period   string // as typed in the picker
	Org      string // short name, "" for everything in scope
	Orgs     []storage.OrgSummary
	Errors   map[string]string
	Report   *stats.Report
	Headline string
	Figures  []statsFigure
	Tiles    []statsFigure // the KPI tiles: the counts
	Monthly  monthChart
	Idents   []bar // top identifiers by findings opened
	Sectors  []bar // findings opened per sector
	Export   string
	// Incidents is the incidents' section, for users who read incidents.
	Incidents *incidentStatsView
}

// statsFigure is a summary line with its changes as text and a class
// saying whether the change is up or down.
type statsFigure struct {
	stats.Figure
	PrevText, YearText   string
	PrevClass, YearClass string
}

// monthChart is the opened/closed bar chart of the last twelve months,
// laid out here so the template only draws: coordinates in a 600×200
// viewBox.
type monthChart struct {
	Bars  []monthBar
	Ticks []chartTick
	Top   int
}

type monthBar struct {
	Label          string
	Opened, Closed int
	X, OX, CX      int // label centre, opened and closed bar x
	OY, OH, CY, CH int // bar tops and heights
	Title          string
}

type chartTick struct {
	Y     int
	Value int
}

const (
	chartBase   = 170 // y of the axis
	chartHeight = 150 // the tallest bar
)

// statsPage (GET /stats) shows a period's statistics as the user's scope
// sees them: the headline, KPI tiles with the changes against the period
// before and a year earlier, charts and the breakdowns.
func (h *handler) statsPage(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !u.Role.Can(auth.ReadFindings) {
		h.forbidden(w, r, u)
		return
	}
	v := statsView{view: h.newView(w, r, u, "stats.title", "stats"), Errors: map[string]string{}}
	rep, err := h.statsReport(r, u, &v)
	if err != nil {
		if errs.CodeOf(err) != errs.Invalid {
			h.fail(w, r, u, err)
			return
		}
		h.render(w, r, http.StatusBadRequest, "stats", &v)
		return
	}
	v.Report = rep
	v.Headline = stats.Headline(rep, v.Lang)
	for _, f := range stats.Figures(rep, v.Lang) {
		sf := statsFigure{Figure: f, PrevText: stats.ChangeText(f.VsPrev, v.Lang), YearText: stats.ChangeText(f.VsYear, v.Lang)}
		sf.PrevClass, sf.YearClass = changeClass(f.VsPrev), changeClass(f.VsYear)
		v.Figures = append(v.Figures, sf)
		if f.VsPrev != nil && len(v.Tiles) < 4 {
			v.Tiles = append(v.Tiles, sf)
		}
	}
	v.Monthly = layoutMonths(rep.Monthly, v.Lang)
	for i, row := range rep.ByIdentifier {
		if i == 10 {
			break
		}
		v.Idents = append(v.Idents, bar{Key: row.Key, Count: row.Opened})
	}
	for _, row := range rep.BySector {
		if row.Opened > 0 {
			v.Sectors = append(v.Sectors, bar{Key: row.Key, Count: row.Opened})
		}
	}
	scaleBars(v.Idents)
	scaleBars(v.Sectors)
	q := url.Values{"period": {rep.Period.String()}}
	if v.Org != "" {
		q.Set("org", v.Org)
	}
	v.Export = "/stats/export?" + q.Encode()
	if v.Incidents, err = h.incidentStats(r, u, v.Lang, rep.Period, v.Org); err != nil {
		h.fail(w, r, u, err)
		return
	}
	h.render(w, r, http.StatusOK, "stats", &v)
}

// statsExport (GET /stats/export) is the page's report as a CSV file.
func (h *handler) statsExport(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !u.Role.Can(auth.ReadFindings) {
		h.forbidden(w, r, u)
		return
	}
	v := statsView{view: h.newView(w, r, u, "stats.title", "stats"), Errors: map[string]string{}}
	rep, err := h.statsReport(r, u, &v)
	if err != nil {
		if errs.CodeOf(err) == errs.Invalid {
			h.render(w, r, http.StatusBadRequest, "stats", &v)
			return
		}
		h.fail(w, r, u, err)
		return
	}
	name := "qalxan-stats-" + rep.Period.String()
	if v.Org != "" {
		name += "-" + v.Org
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.csv"`, name))
	if err := stats.WriteCSV(w, rep); err != nil && r.Context().Err() == nil {
		h.Log.Error("ui: stats export", "err", err)
	}
}

// statsReport reads the picker (period: default last month; org: a short
// name within the scope) into v and counts. A bad value is an invalid
// error with its message in v.Errors.
func (h *handler) statsReport(r *http.Request, u *auth.User, v *statsView) (*stats.Report, error) {
	q := r.URL.Query()
	sc := auth.ScopeFor(u)
	orgs, _, err := h.Store.ListOrgs(r.Context(), sc, storage.OrgFilter{Limit: 1000})
	if err != nil {
		return nil, err
	}
	v.Orgs = orgs
	p := stats.MonthOf(h.Store.Now(), nil).Previous()
	v.Period = strings.TrimSpace(q.Get("period"))
	if v.Period != "" {
		if p, err = stats.ParsePeriod(v.Period); err != nil {
			v.Errors["period"] = errs.Message(err)
		}
	} else {
		v.Period = p.String()
	}
	sq := storage.StatsQuery{Period: p}
	if v.Org = strings.ToLower(strings.TrimSpace(q.Get("org"))); v.Org != "" {
		o, err := h.Store.GetOrgByShortName(r.Context(), sc, v.Org)
		switch {
		case errs.Is(err, errs.NotFound):
			v.Errors["org"] = errs.Message(errs.Field("org", "no organisation %q", v.Org))
		case err != nil:
			return nil, err
		default:
			sq.OrgID = o.ID
		}
	}
	if len(v.Errors) > 0 {
		return nil, errs.E(errs.Invalid, "bad statistics query")
	}
	rep, err := h.Store.Stats(r.Context(), sc, sq)
	if err != nil {
		return nil, err
	}
	rep.Org = v.Org
	return rep, nil
}

// changeClass is "up", "down" or "" for a change.
func changeClass(c *stats.Change) string {
	switch {
	case c == nil || c.Abs == 0:
		return ""
	case c.Abs > 0:
		return "up"
	}
	return "down"
}

// layoutMonths places the monthly bars: twelve groups of two in a 600
// wide chart, scaled to the largest count, with four grid lines.
func layoutMonths(ps []stats.Point, lang string) monthChart {
	c := monthChart{}
	for _, p := range ps {
		c.Top = max(c.Top, p.Opened, p.Closed)
	}
	top := niceCeil(c.Top)
	scale := func(n int) int {
		if top == 0 {
			return 0
		}
		return n * chartHeight / top
	}
	step := 0
	if len(ps) > 0 {
		step = 560 / len(ps)
	}
	for i, p := range ps {
		x := 40 + i*step
		b := monthBar{Label: p.Month.ShortLabel(lang), Opened: p.Opened, Closed: p.Closed, X: x + step/2,
			OX: x + step/2 - 17, CX: x + step/2 + 1, OH: scale(p.Opened), CH: scale(p.Closed)}
		b.OY, b.CY = chartBase-b.OH, chartBase-b.CH
		b.Title = p.Month.Label(lang)
		c.Bars = append(c.Bars, b)
	}
	if top > 0 {
		for i := 1; i <= 4; i++ {
			v := top * i / 4
			c.Ticks = append(c.Ticks, chartTick{Y: chartBase - scale(v), Value: v})
		}
	}
	c.Top = top
	return c
}

// niceCeil rounds n up to 4, 8, 20 or 40 times a power of ten, so the
// four grid lines fall on round numbers.
func niceCeil(n int) int {
	if n <= 0 {
		return 0
	}
	for p := 1; ; p *= 10 {
		for _, m := range []int{4, 8, 20, 40} {
			if m*p >= n {
				return m * p
			}
		}
	}
}
