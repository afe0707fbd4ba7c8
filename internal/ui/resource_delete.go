package ui

import (
	"net/http"

	"github.com/qalxan/qalxan/internal/auth"
)

// resourceDelete (POST /orgs/{short}/resources/{id}/delete) removes a
// resource of the organisation in the path, and only of that one.
func (h *handler) resourceDelete(w http.ResponseWriter, r *http.Request, u *auth.User) {
	o, ok := h.loadOrgToWrite(w, r, u)
	if !ok {
		return
	}
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r, u)
		return
	}
	res, err := h.Store.GetResource(r.Context(), auth.ScopeFor(u), id)
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	if res.OrgID != o.ID {
		h.notFound(w, r, u)
		return
	}
	if err := h.Store.DeleteResource(r.Context(), actor(r, u), id); err != nil {
		h.fail(w, r, u, err)
		return
	}
	h.registryChanged()
	h.setFlash(w, "flash.resource_deleted")
	redirect(w, r, orgURL(o.ShortName)+"#resources")
}
