package ui

import (
	"net/http"
	"slices"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/i18n"
)

// langCookie keeps the language of visitors who are not signed in (the
// login page), and the last choice of those who were.
const langCookie = "qalxan_lang"

// requestLanguage is the signed-in user's language; for anonymous visitors
// the language cookie, then the browser's preference, then Azerbaijani.
func requestLanguage(r *http.Request, u *auth.User) string {
	if u != nil && i18n.Supported(u.Language) {
		return u.Language
	}
	if c, err := r.Cookie(langCookie); err == nil && i18n.Supported(c.Value) {
		return c.Value
	}
	return acceptLanguage(r.Header.Get("Accept-Language"))
}

// acceptLanguage picks the first supported language the browser lists.
// Quality values are ignored: browsers list languages in preference order.
func acceptLanguage(header string) string {
	for _, part := range strings.Split(header, ",") {
		tag, _, _ := strings.Cut(part, ";")
		if l := i18n.Match(tag); l != "" {
			return l
		}
	}
	return i18n.Default
}

// setLanguage (POST /language) switches the interface language: stored in
// the user's profile when signed in, in a cookie in any case.
func (h *handler) setLanguage(w http.ResponseWriter, r *http.Request) {
	lang := r.PostFormValue("lang")
	if !i18n.Supported(lang) {
		http.Error(w, "unknown language", http.StatusBadRequest)
		return
	}
	if u := auth.UserFrom(r.Context()); u != nil && u.Language != lang {
		// Change a copy: UpdateUser rewrites the struct it gets, and the
		// request's user should stay the one that was authenticated.
		c := *u
		c.OrgIDs, c.Language = slices.Clone(u.OrgIDs), lang
		if err := h.Store.UpdateUser(r.Context(), actor(r, u), &c); err != nil {
			h.fail(w, r, u, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{
		Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: h.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
	http.Redirect(w, r, localOr(r.PostFormValue("next"), "/"), http.StatusSeeOther)
}
