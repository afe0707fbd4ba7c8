package api

import (
	"io"
	"net/http"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/stats"
)

// incidentStatsOut is an incident report as the API returns it: with its
// headline.
type incidentStatsOut struct {
	Headline string `json:"headline"`
	*stats.IncidentReport
}

// incidentStatsReport counts the incident statistics of the request's
// query (statsQuery).
func (a *API) incidentStatsReport(r *http.Request, u *auth.User) (*stats.IncidentReport, string, error) {
	sq, org, lang, err := a.statsQuery(r, u)
	if err != nil {
		return nil, "", err
	}
	rep, err := a.d.Store.IncidentStats(r.Context(), auth.ScopeFor(u), sq)
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
	a.sendStatsCSV(w, r, name, func(w io.Writer) error { return stats.WriteIncidentsCSV(w, rep) })
	return nil
}
