package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/server"
)

// localPath reports whether s is a path on this site, safe to redirect to
// after sign-in. "//evil.example" and "/\evil.example" are protocol-relative
// URLs to browsers, so they are refused along with absolute URLs.
func localPath(s string) bool {
	if s == "" || s[0] != '/' || strings.ContainsAny(s, "\\\r\n\t") {
		return false
	}
	if len(s) > 1 && s[1] == '/' {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "" && u.Host == ""
}

// localOr is next when it is a local path, otherwise fallback.
func localOr(next, fallback string) string {
	if localPath(next) {
		return next
	}
	return fallback
}

// actor is the user as the audit log records them.
func actor(r *http.Request, u *auth.User) auth.Actor { return auth.ActorOf(u, server.ClientIP(r)) }

// pathID reads a numeric path parameter; ok is false when it is not one.
func pathID(r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	return id, err == nil && id > 0
}

// redirect answers a successful POST (Post/Redirect/Get).
func redirect(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}
