package ui

import (
	"net/http"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/server"
)

// reportFile (GET /incidents/triage/{id}/files/{file}) sends a screenshot
// that came with a report, for download, never for display: it came from
// a stranger, so it goes as an attachment of a type no browser renders,
// in a sandbox, like evidence. Only staff who read reports get it, and
// storage audits the export.
func (h *handler) reportFile(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.ReadReports) {
		return
	}
	id, ok1 := pathID(r, "id")
	fid, ok2 := pathID(r, "file")
	if !ok1 || !ok2 {
		h.notFound(w, r, u)
		return
	}
	f, err := h.Store.OpenReportFile(r.Context(), actor(r, u), id, fid)
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	server.SendAttachment(w, f.Name, f.SHA256, f.MediaType, f.Data)
}
