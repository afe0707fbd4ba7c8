package ui

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/storage"
)

// maxExportRows bounds one export; a registry larger than this is exported
// with the command line or the API.
const maxExportRows = 100_000

// orgExport (GET /orgs/-/export?format=csv|json&<filter>) downloads the rows
// the list shows with the same filter, all pages at once. Contacts are not
// included (only their number), so the export is not a read of personal data.
func (h *handler) orgExport(w http.ResponseWriter, r *http.Request, u *auth.User) {
	q := r.URL.Query()
	format := q.Get("format")
	if format != "csv" && format != "json" {
		h.notFound(w, r, u)
		return
	}
	f := parseOrgFilter(q)
	var all []storage.OrgSummary
	after := ""
	for {
		page, next, err := h.Store.ListOrgs(r.Context(), auth.ScopeFor(u), f.storage(after, 1000))
		if err != nil {
			h.fail(w, r, u, err)
			return
		}
		all = append(all, page...)
		if next == "" || len(all) >= maxExportRows {
			break
		}
		after = next
	}
	name := "qalxan-orgs-" + time.Now().In(h.Location).Format("2006-01-02") + "." + format
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	if format == "json" {
		w.Header().Set("Content-Type", "application/json")
		if all == nil {
			all = []storage.OrgSummary{}
		}
		json.NewEncoder(w).Encode(all)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	cw := csv.NewWriter(w)
	cw.Write([]string{"short_name", "name", "sector", "parent", "cii", "tlp", "language", "resources", "contacts"})
	for _, o := range all {
		cw.Write([]string{o.ShortName, o.Name, string(o.Sector), o.Parent, strconv.FormatBool(o.CII), string(o.TLP),
			string(o.Language), strconv.Itoa(o.ResourceCount), strconv.Itoa(o.ContactCount)})
	}
	cw.Flush()
}
