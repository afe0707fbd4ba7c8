package ui

import (
	"net/http"
	"net/url"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
)

// loadOrg reads the organisation named in the path, within the user's
// scope, answering 404 (or 500) itself when it cannot. Handlers that change
// an organisation call it before checking the permission, so another
// agency's organisation is "not found" even to a POST, and its existence
// never shows through a 403.
func (h *handler) loadOrg(w http.ResponseWriter, r *http.Request, u *auth.User) (*constituency.Org, bool) {
	o, err := h.Store.GetOrgByShortName(r.Context(), auth.ScopeFor(u), r.PathValue("short"))
	if err != nil {
		h.fail(w, r, u, err)
		return nil, false
	}
	return o, true
}

// loadOrgToWrite is loadOrg followed by the write permission check.
func (h *handler) loadOrgToWrite(w http.ResponseWriter, r *http.Request, u *auth.User) (*constituency.Org, bool) {
	o, ok := h.loadOrg(w, r, u)
	if !ok || !h.require(w, r, u, auth.WriteOrgs) {
		return nil, false
	}
	return o, true
}

// orgURL is the page of an organisation.
func orgURL(short string) string { return "/orgs/" + url.PathEscape(short) }
