package ui

import (
	"net/http"

	"github.com/qalxan/qalxan/internal/auth"
)

// logout (POST /logout) ends the session on the server, not only in the
// browser, so a copied cookie stops working too. It is a POST so that a
// link or image on another page cannot sign the user out.
func (h *handler) logout(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if c, err := r.Cookie(auth.SessionCookie); err == nil && c.Value != "" {
		if err := h.Store.DeleteSession(r.Context(), c.Value); err != nil {
			h.Log.Error("ui: logout", "user", u.Name, "err", err)
		}
	}
	h.setSessionCookie(w, "", -1)
	redirect(w, r, "/login")
}
