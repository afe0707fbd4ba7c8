package ui

import (
	"net/http"

	"github.com/qalxan/qalxan/internal/auth"
)

// userPassword (POST /admin/users/{id}/password) sets a user's password.
// Storage ends the user's sessions; when admins reset their own password
// they get a fresh session instead of being thrown out.
func (h *handler) userPassword(w http.ResponseWriter, r *http.Request, u *auth.User) {
	target, ok := h.loadUser(w, r, u, auth.ManageUsers)
	if !ok || !h.parseForm(w, r) {
		return
	}
	pf := newForm(r.PostForm)
	if checkNewPassword(pf, requestLanguage(r, u)); pf.Failed() {
		pf.Values = nil // never send a password back to the browser
		h.renderUserForm(w, r, u, target, userFormOf(target), pf, http.StatusUnprocessableEntity)
		return
	}
	hash, err := auth.HashPassword(r.PostFormValue("password"))
	if err == nil {
		err = h.Store.SetPassword(r.Context(), actor(r, u), target.ID, hash)
	}
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	if target.ID == u.ID {
		secret, err := h.Store.CreateSession(r.Context(), u.ID, h.SessionTTL)
		if err != nil {
			h.fail(w, r, u, err)
			return
		}
		h.setSessionCookie(w, secret, h.SessionTTL)
	}
	h.setFlash(w, "flash.password_set")
	redirect(w, r, "/admin/users/"+r.PathValue("id"))
}

// checkNewPassword checks the password fields of a form against the policy
// and each other, recording problems in f.
func checkNewPassword(f *form, lang string) {
	pw := f.Get("password")
	switch {
	case auth.CheckPasswordPolicy(pw) != nil:
		f.fieldError(lang, "password", "users.err_password_policy", auth.MinPasswordLen)
	case pw != f.Get("password2"):
		f.fieldError(lang, "password2", "users.err_password_mismatch")
	}
}
