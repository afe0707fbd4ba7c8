package api

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/i18n"
	"github.com/qalxan/qalxan/internal/stats"
	"github.com/qalxan/qalxan/internal/storage"
)

// incidentStatsOut is an incident report as the API returns it: with its
// headline.
type incidentStatsOut struct {
	Headline string `json:"headline"`
	*stats.IncidentReport
}

// incidentStatsReport reads the period (period=2026-01, 2026-Q1 or 2026;
// month=2026-01 and year=2026 say the same; default: last month, UTC),
// the organisation (within the caller's scope) and the headline's
// language (default: the caller's), and counts.
func (a *API) incidentStatsReport(r *http.Request, u *auth.User) (*stats.IncidentReport, string, error) {
	q := r.URL.Query()
	sc := auth.ScopeFor(u)
	sq := storage.StatsQuery{Period: stats.MonthOf(a.d.Store.Now(), nil).Previous()}
	given := 0
	for _, name := range []string{"period", "month", "year"} {
		s := strings.TrimSpace(q.Get(name))
		if s == "" {
			continue
		}
		if given++; given > 1 {
			return nil, "", errs.Field(name, "give one of period, month and year")
		}
		p, err := stats.ParsePeriod(s)
		if err != nil {
			return nil, "", errs.InField(name, err)
		}
		if (name == "month" && p.Kind != stats.Month) || (name == "year" && p.Kind != stats.Year) {
			return nil, "", errs.Field(name, "%q is not a %s (2026-01 is a month, 2026 a year)", s, name)
		}
		sq.Period = p
	}
	lang := u.Language
	if s := strings.TrimSpace(q.Get("lang")); s != "" {
		if !i18n.Supported(s) {
			return nil, "", errs.Field("lang", "want one of %s, got %q", strings.Join(i18n.Languages(), ", "), s)
		}
		lang = s
	}
	if !i18n.Supported(lang) {
		lang = i18n.Default
	}
	org := strings.TrimSpace(q.Get("org"))
	if org != "" {
		id, err := a.orgIDInScope(r, sc, org)
		if err != nil {
			return nil, "", err
		}
		sq.OrgID = id
	}
	rep, err := a.d.Store.IncidentStats(r.Context(), sc, sq)
	if err != nil {
		return nil, "", err
	}
	if org != "" && len(rep.ByOrganisation) == 1 {
		rep.Org = rep.ByOrganisation[0].Key
	}
	return rep, lang, nil
}

// getIncidentStats returns the incident statistics of a period: the
// summary with the times to triage, contain, resolve and take down, the
// changes against the period before and a year earlier, the breakdowns
// and the last twelve months. An agency's figures are its own
// organisations' incidents.
func (a *API) getIncidentStats(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	rep, lang, err := a.incidentStatsReport(r, u)
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusOK, incidentStatsOut{Headline: stats.IncidentHeadline(rep, lang), IncidentReport: rep})
	return nil
}

// exportIncidentStats is the same report as one CSV file
// (stats.WriteIncidentsCSV).
func (a *API) exportIncidentStats(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	if f := strings.ToLower(r.URL.Query().Get("format")); f != "" && f != "csv" {
		return errs.Field("format", "unknown format %q (want csv; the JSON is GET %s/stats/incidents)", f, Prefix)
	}
	rep, _, err := a.incidentStatsReport(r, u)
	if err != nil {
		return err
	}
	name := "qalxan-incident-stats-" + rep.Period.String()
	if rep.Org != "" {
		name += "-" + rep.Org
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.csv"`, name))
	w.WriteHeader(http.StatusOK)
	if err := stats.WriteIncidentsCSV(w, rep); err != nil && r.Context().Err() == nil {
		a.d.Log.Error("api: incident stats export failed", "err", err)
	}
	return nil
}
