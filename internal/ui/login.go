package ui

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/i18n"
	"github.com/qalxan/qalxan/internal/server"
)

type loginView struct {
	view
	Name  string
	Next  string
	Error string
}

// loginForm (GET /login) shows the sign-in form; a signed-in user goes on.
func (h *handler) loginForm(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Query().Get("next")
	if auth.UserFrom(r.Context()) != nil {
		redirect(w, r, localOr(next, "/"))
		return
	}
	h.renderLogin(w, r, http.StatusOK, "", localOr(next, ""), "")
}

func (h *handler) renderLogin(w http.ResponseWriter, r *http.Request, status int, name, next, errText string) {
	v := loginView{view: h.newView(w, r, nil, "login.title", ""), Name: name, Next: next, Error: errText}
	h.render(w, r, status, "login", &v)
}

// login (POST /login) checks the password. Guessing is slowed per user name
// and per client address; failures are audited; the answer and its timing
// are the same whether or not the user exists.
func (h *handler) login(w http.ResponseWriter, r *http.Request) {
	name := strings.ToLower(strings.TrimSpace(r.PostFormValue("name")))
	if len(name) > 64 {
		name = name[:64] // no user name is longer; keeps throttle keys and the audit log bounded
	}
	next := localOr(r.PostFormValue("next"), "")
	lang := requestLanguage(r, nil)
	ip := server.ClientIP(r)
	userKey, ipKey := "user:"+name, "ip:"+ip

	if wait := max(h.Throttle.Wait(userKey), h.Throttle.Wait(ipKey)); wait > 0 {
		secs := int(math.Ceil(wait.Seconds()))
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		h.renderLogin(w, r, http.StatusTooManyRequests, name, next, i18n.T(lang, "login.throttled", secs))
		return
	}
	u, reason, err := h.checkPassword(r.Context(), name, r.PostFormValue("password"))
	if err != nil {
		h.Log.Error("ui: login", "err", err)
		h.renderLogin(w, r, http.StatusInternalServerError, name, next, i18n.T(lang, "error.internal_text"))
		return
	}
	if reason != "" {
		h.Throttle.Fail(userKey)
		h.Throttle.Fail(ipKey)
		var id int64
		if u != nil {
			id = u.ID // so the failures show in the user's history
		}
		detail := map[string]string{"name": name, "reason": reason}
		if err := h.Store.Audit(r.Context(), auth.Actor{Name: "anonymous", IP: ip}, "user.login_failed", "user", id, 0, detail); err != nil {
			h.Log.Error("ui: audit failed login", "err", err)
		}
		h.renderLogin(w, r, http.StatusUnauthorized, name, next, i18n.T(lang, "login.failed"))
		return
	}
	// Only the user key is cleared: clearing the address too would let
	// someone with one valid account reset their guessing budget for others.
	h.Throttle.Succeed(userKey)
	if err := h.Store.RecordLogin(r.Context(), auth.ActorOf(u, ip), u.ID); err != nil {
		h.Log.Error("ui: record login", "err", err)
	}
	if err := h.startSession(w, r, u); err != nil {
		h.Log.Error("ui: create session", "err", err)
		h.renderLogin(w, r, http.StatusInternalServerError, name, next, i18n.T(lang, "error.internal_text"))
		return
	}
	redirect(w, r, localOr(next, "/"))
}

// checkPassword returns the named user (nil when there is none) and, when
// they may not sign in with this password, the reason for the audit log.
// Exactly one password hash is computed either way, so the time taken does
// not tell whether the name exists.
func (h *handler) checkPassword(ctx context.Context, name, password string) (*auth.User, string, error) {
	u, err := h.Store.GetUserByName(ctx, name)
	switch {
	case errs.Is(err, errs.NotFound):
		auth.VerifyNothing(password)
		return nil, "unknown_user", nil
	case err != nil:
		return nil, "", err
	case u.PasswordHash == "": // signs in with API tokens only
		auth.VerifyNothing(password)
		return u, "no_password", nil
	case !auth.VerifyPassword(u.PasswordHash, password):
		return u, "bad_password", nil
	case u.Disabled:
		return u, "disabled", nil
	}
	return u, "", nil
}

// startSession signs the user in with a fresh session, ending the one the
// browser had: a cookie planted before sign-in (session fixation) never
// becomes an authenticated one.
func (h *handler) startSession(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	if c, err := r.Cookie(auth.SessionCookie); err == nil && c.Value != "" {
		h.Store.DeleteSession(r.Context(), c.Value)
	}
	secret, err := h.Store.CreateSession(r.Context(), u.ID, h.SessionTTL)
	if err != nil {
		return err
	}
	h.setSessionCookie(w, secret, h.SessionTTL)
	return nil
}

// setSessionCookie sets (or, with a negative ttl, clears) the session cookie.
func (h *handler) setSessionCookie(w http.ResponseWriter, secret string, ttl time.Duration) {
	maxAge := int(ttl / time.Second)
	if ttl < 0 {
		maxAge = -1
	}
	http.SetCookie(w, &http.Cookie{
		Name: auth.SessionCookie, Value: secret, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: h.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
}
