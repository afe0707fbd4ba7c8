package ui

import (
	"net/http"
	"strconv"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/finding"
)

// findingExport (GET /findings/export.csv?<filter>) downloads the findings
// the list shows with the same filter, every page, written as they are
// read (at most maxExportRows).
func (h *handler) findingExport(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.ReadFindings) {
		return
	}
	f := parseFindingFilter(r.URL.Query())
	sc := auth.ScopeFor(u)
	sf, bad, err := h.findingStorageFilter(r.Context(), sc, f)
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	if len(bad) > 0 {
		h.errorPage(w, r, u, http.StatusBadRequest, "error.bad_request", "events.fix_filter")
		return
	}
	sf.Limit = 1000
	page, next, err := h.Store.ListFindings(r.Context(), sc, sf)
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	streamCSV(h, w, r, "findings", findingCSVColumns, page, next, func(before int64) ([]finding.Finding, int64, error) {
		sf.BeforeID = before
		return h.Store.ListFindings(r.Context(), sc, sf)
	}, findingCSVRow)
}

var findingCSVColumns = []string{"id", "org", "resource", "identifier", "taxonomy", "type", "source", "severity", "status",
	"first_seen", "last_seen", "count", "due_at", "assignee", "reason"}

func findingCSVRow(f finding.Finding) []string {
	t := func(x time.Time) string {
		if x.IsZero() {
			return ""
		}
		return x.UTC().Format(time.RFC3339)
	}
	return []string{strconv.FormatInt(f.ID, 10), f.Org, f.Resource, f.Identifier, f.Taxonomy, f.Type, f.Source,
		f.Severity.String(), string(f.Status), t(f.FirstSeen), t(f.LastSeen), strconv.FormatInt(f.Count, 10), t(f.DueAt),
		f.Assignee, f.Reason}
}
