package api

import (
	"fmt"
	"io"
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

// statsQuery reads what both statistics routes take: the period
// (period=2026-01, 2026-Q1 or 2026; month=2026-01 and year=2026 say the
// same; default: last month, UTC), the organisation (within the caller's
// scope; org is "" for none) and the headline's language (default: the
// caller's).
func (a *API) statsQuery(r *http.Request, u *auth.User) (sq storage.StatsQuery, org, lang string, err error) {
	q := r.URL.Query()
	sq.Period = stats.MonthOf(a.d.Store.Now(), nil).Previous()
	given := 0
	for _, name := range []string{"period", "month", "year"} {
		s := strings.TrimSpace(q.Get(name))
		if s == "" {
			continue
		}
		if given++; given > 1 {
			return sq, "", "", errs.Field(name, "give one of period, month and year")
		}
		p, err := stats.ParsePeriod(s)
		if err != nil {
			if name == "period" {
				return sq, "", "", err
			}
			return sq, "", "", errs.InField(name, err)
		}
		if (name == "month" && p.Kind != stats.Month) || (name == "year" && p.Kind != stats.Year) {
			return sq, "", "", errs.Field(name, "%q is not a %s (2026-01 is a month, 2026 a year)", s, name)
		}
		sq.Period = p
	}
	lang = u.Language
	if s := strings.TrimSpace(q.Get("lang")); s != "" {
		if !i18n.Supported(s) {
			return sq, "", "", errs.Field("lang", "want one of %s, got %q", strings.Join(i18n.Languages(), ", "), s)
		}
		lang = s
	}
	if !i18n.Supported(lang) {
		lang = i18n.Default
	}
	if org = strings.TrimSpace(q.Get("org")); org != "" {
		if sq.OrgID, err = a.orgIDInScope(r, auth.ScopeFor(u), org); err != nil {
			return sq, "", "", err
		}
	}
	return sq, org, lang, nil
}

// statsReport counts the findings statistics of the request's query.
func (a *API) statsReport(r *http.Request, u *auth.User) (*stats.Report, string, error) {
	sq, org, lang, err := a.statsQuery(r, u)
	if err != nil {
		return nil, "", err
	}
	rep, err := a.d.Store.Stats(r.Context(), auth.ScopeFor(u), sq)
	if err != nil {
		return nil, "", err
	}
	if org != "" && len(rep.ByOrganisation) == 1 {
		rep.Org = rep.ByOrganisation[0].Key
	}
	return rep, lang, nil
}

// sendStatsCSV sends a statistics report as one CSV file named for its
// period and organisation; once the header is out an error is only logged.
func (a *API) sendStatsCSV(w http.ResponseWriter, r *http.Request, name string, write func(io.Writer) error) {
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.csv"`, name))
	w.WriteHeader(http.StatusOK)
	if err := write(w); err != nil && r.Context().Err() == nil {
		a.d.Log.Error("api: statistics export failed", "file", name, "err", err)
	}
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
	a.sendStatsCSV(w, r, name, func(w io.Writer) error { return stats.WriteCSV(w, rep) })
	return nil
}
