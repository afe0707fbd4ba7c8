package ui

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/incident"
)

// incidentExport (GET /incidents/export.csv?<filter>) downloads the
// incidents the list shows with the same filter and the same scope, every
// page, written as they are read (at most maxExportRows): an agency's
// file holds its own incidents, and only the organisations it may see.
func (h *handler) incidentExport(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.ReadIncidents) {
		return
	}
	f := parseIncidentFilter(r.URL.Query())
	sf, bad := f.storage()
	if len(bad) > 0 {
		h.errorPage(w, r, u, http.StatusBadRequest, "error.bad_request", "events.fix_filter")
		return
	}
	sc, rules := auth.ScopeFor(u), h.rules()
	sf.Limit = 1000
	page, next, err := h.Store.ListIncidents(r.Context(), sc, rules, sf)
	if err != nil {
		if errs.Is(err, errs.Invalid) {
			h.errorPage(w, r, u, http.StatusBadRequest, "error.bad_request", "events.fix_filter")
			return
		}
		h.fail(w, r, u, err)
		return
	}
	streamCSV(h, w, r, "incidents", incidentCSVColumns, page, next, func(before int64) ([]incident.Incident, int64, error) {
		sf.BeforeID = before
		return h.Store.ListIncidents(r.Context(), sc, rules, sf)
	}, incidentCSVRow)
}

var incidentCSVColumns = []string{"ref", "title", "status", "severity", "score", "taxonomy", "type", "identifier", "category", "tlp", "pap",
	"orgs", "team", "assignee", "tags", "created_at", "due_at", "triaged_at", "contained_at", "resolved_at", "closed_at"}

func incidentCSVRow(in incident.Incident) []string {
	t := func(x time.Time) string {
		if x.IsZero() {
			return ""
		}
		return x.UTC().Format(time.RFC3339)
	}
	return []string{in.Ref, csvText(in.Title), string(in.Status), in.Severity.String(), strconv.Itoa(in.Assessed.Score), in.Taxonomy, in.Type,
		in.Identifier, string(in.Category), string(in.TLP), string(in.PAP), strings.Join(in.Orgs, " "), in.OwnerTeam, in.Assignee,
		strings.Join(in.Tags, " "), t(in.CreatedAt), t(in.DueAt), t(in.TriagedAt), t(in.ContainedAt), t(in.ResolvedAt), t(in.ClosedAt)}
}

// csvText keeps a text cell a text: titles often come from what a
// stranger reported, and a cell starting with = + - @ is a formula to a
// spreadsheet (OWASP's CSV injection), so it gets a leading apostrophe.
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
