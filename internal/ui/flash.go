package ui

import (
	"net/http"
	"strings"

	"github.com/qalxan/qalxan/internal/i18n"
)

// flashCookie carries a one-time notice ("Organisation saved") across the
// redirect that follows a successful form. It holds a catalogue key, never
// text, so nobody can make the page display words of their choosing.
const flashCookie = "qalxan_flash"

func (h *handler) setFlash(w http.ResponseWriter, key string) {
	http.SetCookie(w, &http.Cookie{
		Name: flashCookie, Value: key, Path: "/", MaxAge: 60,
		HttpOnly: true, Secure: h.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
}

// takeFlash returns the pending notice, translated, and clears it.
func takeFlash(w http.ResponseWriter, r *http.Request, lang string) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	if !strings.HasPrefix(c.Value, "flash.") || !i18n.Has(i18n.Default, c.Value) {
		return ""
	}
	return i18n.T(lang, c.Value)
}
