package api

import (
	"net/http"

	"github.com/qalxan/qalxan/internal/auth"
)

// overview counts the registry as the caller's scope sees it, so an
// agency's dashboard shows its own numbers, not the country's.
func (a *API) overview(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	ov, err := a.d.Store.Overview(r.Context(), auth.ScopeFor(u))
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusOK, ov)
	return nil
}
