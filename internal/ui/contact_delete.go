package ui

import (
	"net/http"
	"slices"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
)

// contactDelete (POST /orgs/{short}/contacts/{id}/delete) removes a contact
// of the organisation in the path, and only of that one.
func (h *handler) contactDelete(w http.ResponseWriter, r *http.Request, u *auth.User) {
	o, ok := h.loadOrgToWrite(w, r, u)
	if !ok {
		return
	}
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r, u)
		return
	}
	// The organisation's contact list tells whether the id is one of its
	// contacts. Reading it is audited like any read of contacts, which is
	// right: the deleting user does see them.
	cs, err := h.Store.ListContacts(r.Context(), auth.ScopeFor(u), actor(r, u), o.ID)
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	if !slices.ContainsFunc(cs, func(c constituency.Contact) bool { return c.ID == id }) {
		h.notFound(w, r, u)
		return
	}
	if err := h.Store.DeleteContact(r.Context(), actor(r, u), id); err != nil {
		h.fail(w, r, u, err)
		return
	}
	h.setFlash(w, "flash.contact_deleted")
	redirect(w, r, orgURL(o.ShortName)+"#contacts")
}
