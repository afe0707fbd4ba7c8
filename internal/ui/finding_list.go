package ui

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/i18n"
	"github.com/qalxan/qalxan/internal/storage"
)

// findingPageSize is the rows per page of the findings list.
const findingPageSize = 100

type findingListView struct {
	view
	Filter     findingFilter
	Errors     map[string]string // filter field → message
	Statuses   []finding.Status
	Severities []finding.Severity
	Findings   []findingRow
	Total      int // matching findings; -1 when not counted
	NextURL    string
	First      bool
	ExportCSV  string // /findings/export.csv with exactly this filter
}

// findingRow is a finding as a row of the list.
type findingRow struct {
	finding.Finding
	IsOverdue bool
}

// findingFilter is the list's filter bar as typed, kept in the URL.
// Status is a status, "active" (the default when the bar is empty is no
// filter at all) or ""; Overdue is "1" or "".
type findingFilter struct {
	Org, Status, Severity, Identifier, Overdue, Q string
}

func parseFindingFilter(q url.Values) findingFilter {
	g := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	f := findingFilter{Org: g("org"), Status: g("status"), Severity: g("severity"), Identifier: g("identifier"), Q: g("q")}
	if o := g("overdue"); o == "1" || o == "on" || o == "true" {
		f.Overdue = "1"
	}
	return f
}

func (f findingFilter) values() url.Values {
	v := url.Values{}
	for k, x := range map[string]string{"org": f.Org, "status": f.Status, "severity": f.Severity,
		"identifier": f.Identifier, "overdue": f.Overdue, "q": f.Q} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return v
}

// URL is /findings with the filter, plus extra pairs ("cursor", id).
func (f findingFilter) URL(extra ...string) string { return f.url("/findings", extra...) }

func (f findingFilter) url(base string, extra ...string) string {
	v := f.values()
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	if len(v) == 0 {
		return base
	}
	return base + "?" + v.Encode()
}

// Active reports whether any filter is set.
func (f findingFilter) Active() bool { return f != findingFilter{} }

// findingStorageFilter checks the filter and turns it into a storage
// filter; bad maps each bad field to a catalogue key. The organisation is
// looked up within the scope: another agency's short name is unknown.
func (h *handler) findingStorageFilter(ctx context.Context, sc auth.Scope, f findingFilter) (storage.FindingFilter, map[string]string, error) {
	sf := storage.FindingFilter{Identifier: f.Identifier, Text: f.Q, Overdue: f.Overdue != ""}
	bad := map[string]string{}
	switch f.Status {
	case "":
	case "active":
		sf.Active = true
	default:
		st, err := finding.ParseStatus(f.Status)
		if err != nil {
			bad["status"] = "findings.bad_status"
		}
		sf.Statuses = []finding.Status{st}
	}
	if f.Severity != "" {
		sev, err := finding.ParseSeverity(f.Severity)
		if err != nil {
			bad["severity"] = "findings.bad_severity"
		}
		sf.Severity = []finding.Severity{sev}
	}
	if f.Org != "" {
		o, err := h.Store.GetOrgByShortName(ctx, sc, f.Org)
		switch {
		case errs.Is(err, errs.NotFound):
			bad["org"] = "events.bad_org"
		case err != nil:
			return sf, nil, err
		default:
			sf.OrgID = o.ID
		}
	}
	return sf, bad, nil
}

// findingList (GET /findings) lists the findings in the user's scope.
func (h *handler) findingList(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.ReadFindings) {
		return
	}
	q := r.URL.Query()
	f := parseFindingFilter(q)
	sc := auth.ScopeFor(u)
	v := findingListView{view: h.newView(w, r, u, "findings.title", "findings"), Filter: f, Total: -1,
		Statuses: finding.Statuses, Errors: map[string]string{}}
	for s := finding.Critical; s >= finding.Info; s-- {
		v.Severities = append(v.Severities, s)
	}
	sf, bad, err := h.findingStorageFilter(r.Context(), sc, f)
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	if len(bad) > 0 {
		for field, key := range bad {
			v.Errors[field] = i18n.T(v.Lang, key)
		}
		h.render(w, r, http.StatusBadRequest, "finding_list", &v)
		return
	}
	before, _ := strconv.ParseInt(q.Get("cursor"), 10, 64)
	sf.BeforeID, sf.Limit = before, findingPageSize
	fs, next, err := h.Store.ListFindings(r.Context(), sc, sf)
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	now := h.Store.Now()
	for _, fd := range fs {
		v.Findings = append(v.Findings, findingRow{Finding: fd, IsOverdue: fd.Overdue(now)})
	}
	cctx, cancel := context.WithTimeout(r.Context(), eventCountBudget)
	if n, err := h.Store.CountFindings(cctx, sc, sf); err == nil {
		v.Total = n
	}
	cancel()
	v.First = before <= 0
	if next != 0 {
		v.NextURL = f.URL("cursor", strconv.FormatInt(next, 10))
	}
	v.ExportCSV = f.url("/findings/export.csv")
	h.render(w, r, http.StatusOK, "finding_list", &v)
}
