package ui

import (
	"net/http"
	"strconv"

	"github.com/qalxan/qalxan/internal/auth"
)

// monitorAcceptContent (POST /monitor/{id}/baseline) accepts what the
// resource's landing page showed on its latest run as its content
// baseline: the agency changed its site on purpose. Staff only — an
// agency accepting its own defaced page would silence the check — and a
// resource outside the reader's scope is not found.
func (h *handler) monitorAcceptContent(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.ReadFindings) {
		return
	}
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r, u)
		return
	}
	if _, err := h.Store.GetResource(r.Context(), auth.ScopeFor(u), id); err != nil {
		h.fail(w, r, u, err)
		return
	}
	if !h.require(w, r, u, auth.ManageFindings) {
		return
	}
	if _, err := h.Store.AcceptMonitorContent(r.Context(), actor(r, u), id); err != nil {
		h.fail(w, r, u, err)
		return
	}
	h.setFlash(w, "flash.monitor_baseline_accepted")
	redirect(w, r, "/monitor/"+strconv.FormatInt(id, 10)+"#content")
}
