package ui

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/storage"
)

// findingEventColumns are the CSV's columns: the event's main keys and
// its full data as JSON.
var findingEventColumns = []string{"id", "time.source", "time.observation", "feed.name", "classification.taxonomy",
	"classification.type", "classification.identifier", "source.ip", "source.fqdn", "source.asn", "report_id", "line", "data"}

// findingEvents (GET /findings/{id}/events.csv) downloads every event
// behind a finding, streamed from the store as it reads them: a finding
// seen daily for a year is not held in memory. The download is audited,
// as the API's is. Another agency's finding is not found.
func (h *handler) findingEvents(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.ReadFindings) {
		return
	}
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r, u)
		return
	}
	sc := auth.ScopeFor(u)
	f, err := h.Store.GetFinding(r.Context(), sc, id)
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	if err := h.Store.Audit(r.Context(), actor(r, u), "finding.export", "finding", f.ID, f.OrgID, map[string]any{"format": "csv"}); err != nil {
		h.fail(w, r, u, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="qalxan-finding-%d-events.csv"`, f.ID))
	cw := csv.NewWriter(w)
	cw.Write(findingEventColumns)
	rows := 0
	t := func(x time.Time) string {
		if x.IsZero() {
			return ""
		}
		return x.UTC().Format(time.RFC3339)
	}
	err = h.Store.EachFindingEvent(r.Context(), sc, f.ID, func(e storage.StoredEvent) error {
		asn := ""
		if e.SourceASN != 0 {
			asn = strconv.FormatUint(uint64(e.SourceASN), 10)
		}
		report, line := "", ""
		if e.ReportID != 0 {
			report, line = strconv.FormatInt(e.ReportID, 10), strconv.Itoa(int(e.Line))
		}
		cw.Write([]string{strconv.FormatInt(e.ID, 10), t(e.TimeSource), t(e.TimeObservation), e.Feed, e.Taxonomy, e.Type,
			e.Identifier, e.SourceIP, e.SourceFQDN, asn, report, line, string(e.Data)})
		if rows++; rows%1000 == 0 {
			cw.Flush()
			return cw.Error() // the client went away
		}
		return nil
	})
	cw.Flush()
	if err != nil && cw.Error() == nil && r.Context().Err() == nil {
		// The status is sent: log it and cut the file short.
		h.Log.Error("ui: finding events download failed", "finding", f.ID, "after_rows", rows, "err", err)
		panic(http.ErrAbortHandler)
	}
}
