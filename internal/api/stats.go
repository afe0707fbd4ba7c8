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

// statsOut is a report as the API returns it: with its headline.
type statsOut struct {
	Headline string `json:"headline"`
	*stats.Report
}

// statsReport reads the period (default: last month, UTC), the
// organisation (within the caller's scope) and the headline's language
// (default: the caller's) and counts.
func (a *API) statsReport(r *http.Request, u *auth.User) (*stats.Report, string, error) {
	q := r.URL.Query()
	sc := auth.ScopeFor(u)
	sq := storage.StatsQuery{Period: stats.MonthOf(a.d.Store.Now(), nil).Previous()}
	if s := strings.TrimSpace(q.Get("period")); s != "" {
		p, err := stats.ParsePeriod(s)
		if err != nil {
			return nil, "", err
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
	rep, err := a.d.Store.Stats(r.Context(), sc, sq)
	if err != nil {
		return nil, "", err
	}
	if org != "" && len(rep.ByOrganisation) == 1 {
		rep.Org = rep.ByOrganisation[0].Key
	}
	return rep, lang, nil
}

// getStats returns the statistics of a period: the summary, the changes
// against the period before and a year earlier, the breakdowns and the
// last twelve months. An agency's figures are its own organisation's.
func (a *API) getStats(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	rep, lang, err := a.statsReport(r, u)
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusOK, statsOut{Headline: stats.Headline(rep, lang), Report: rep})
	return nil
}

// exportStats is the same report as one CSV file (stats.WriteCSV).
func (a *API) exportStats(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	if f := strings.ToLower(r.URL.Query().Get("format")); f != "" && f != "csv" {
		return errs.Field("format", "unknown format %q (want csv; the JSON is GET %s/stats)", f, Prefix)
	}
	rep, _, err := a.statsReport(r, u)
	if err != nil {
		return err
	}
	name := "qalxan-stats-" + rep.Period.String()
	if rep.Org != "" {
		name += "-" + rep.Org
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.csv"`, name))
	w.WriteHeader(http.StatusOK)
	if err := stats.WriteCSV(w, rep); err != nil && r.Context().Err() == nil {
		a.d.Log.Error("api: stats export failed", "err", err)
	}
	return nil
}
