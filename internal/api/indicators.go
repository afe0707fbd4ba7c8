package api

import (
	"encoding/csv"
	"net/http"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/tlp"
)

// tlpOf is a label as the client wrote it ("" when absent); the domain
// validates it.
func tlpOf(s *string) tlp.Label {
	if s == nil {
		return ""
	}
	return tlp.Label(strings.TrimSpace(*s))
}

// exportIndicators answers the partner lists: the phone numbers of
// vishing incidents for mobile operators, phishing URLs for browsers and
// registrars. Each observable's own TLP decides whether it is listed, up
// to the caller's limit (a partner: TLP:GREEN) and max_tlp. CSV or JSON;
// every export is audited.
func (a *API) exportIndicators(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	q := r.URL.Query()
	kind, err := incident.ParseKind(q.Get("kind"))
	if err != nil {
		return err
	}
	f := storage.IndicatorFilter{Kind: kind, Identifier: strings.TrimSpace(q.Get("identifier"))}
	if s := q.Get("max_tlp"); s != "" {
		if f.MaxTLP, err = tlp.Parse(s); err != nil {
			return errs.InField("max_tlp", err)
		}
	}
	if f.Since, err = queryTimeOrDate(q, "since", false); err != nil {
		return err
	}
	f.OpenOnly = q.Get("open") == "true"
	f.NoPersonal = !u.Role.Can(auth.ReadPersonal)
	if f.Limit, err = queryInt(q, "limit", 10000, 1, 100000); err != nil {
		return err
	}
	format := strings.ToLower(q.Get("format"))
	if format != "" && format != "csv" && format != "json" {
		return errs.Field("format", "want csv or json, got %q", format)
	}
	xs, err := a.d.Store.ExportIndicators(r.Context(), auth.ScopeFor(u), f)
	if err != nil {
		return err
	}
	if err := a.d.Store.Audit(r.Context(), actor(r, u), "indicators.export", "indicators", 0, 0,
		map[string]any{"kind": f.Kind, "identifier": f.Identifier, "max_tlp": f.MaxTLP, "count": len(xs)}); err != nil {
		return err
	}
	if format == "json" {
		a.writeJSON(w, r, http.StatusOK, list[storage.Indicator]{Items: nonNil(xs)})
		return nil
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="qalxan-`+string(kind)+`.csv"`)
	cw := csv.NewWriter(w)
	cw.Write([]string{"kind", "value", "tlp", "incidents", "first_seen", "last_seen"})
	for _, x := range xs {
		cw.Write([]string{string(x.Kind), csvSafe(x.Value), x.TLP.String(), itoa(x.Incidents),
			x.FirstSeen.Format(time.RFC3339), x.LastSeen.Format(time.RFC3339)})
	}
	cw.Flush()
	return cw.Error()
}
