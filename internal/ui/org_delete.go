package ui

import (
	"net/http"

	"github.com/qalxan/qalxan/internal/auth"
)

// orgDelete (POST /orgs/{short}/delete) removes an organisation with its
// resources and contacts. The button asks for confirmation first (data-confirm).
func (h *handler) orgDelete(w http.ResponseWriter, r *http.Request, u *auth.User) {
	o, ok := h.loadOrgToWrite(w, r, u)
	if !ok {
		return
	}
	if err := h.Store.DeleteOrg(r.Context(), actor(r, u), o.ID); err != nil {
		h.fail(w, r, u, err)
		return
	}
	h.registryChanged()
	h.setFlash(w, "flash.org_deleted")
	redirect(w, r, "/orgs")
}
