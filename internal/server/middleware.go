package server

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/storage"
)

// statusWriter remembers the status code for logs and metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe logs every request, counts it in the metrics and turns a panic
// into a 500 instead of a dropped connection.
func observe(log *slog.Logger, m *metrics, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				log.Error("panic serving request", "method", r.Method, "path", r.URL.Path, "panic", p, "stack", string(debug.Stack()))
				if sw.status == 0 {
					writeError(sw, r, http.StatusInternalServerError, "internal", "internal error")
				}
			}
			d := time.Since(start)
			m.observe(r, sw.status, d)
			level := slog.LevelInfo
			if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" || r.URL.Path == "/metrics" || strings.HasPrefix(r.URL.Path, "/static/") {
				level = slog.LevelDebug
			}
			log.Log(r.Context(), level, "http", "method", r.Method, "path", r.URL.Path, "status", sw.status,
				"bytes", sw.bytes, "ms", d.Milliseconds(), "ip", clientIP(r))
		}()
		next.ServeHTTP(sw, r)
	})
}

// securityHeaders sets the headers every response carries. The UI loads
// nothing from elsewhere, so the policy allows only our own origin.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=63072000")
		}
		next.ServeHTTP(w, r)
	})
}

// limitBody caps request bodies; a larger body fails when it is read.
func limitBody(max int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > max {
			writeError(w, r, http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("request body larger than %d MiB", max>>20))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, max)
		next.ServeHTTP(w, r)
	})
}

// authenticate identifies the caller from an API token (Authorization:
// Bearer) or the session cookie and puts the user in the request context.
// A request without credentials goes on anonymously: each handler decides
// whether it needs a user. A request with bad credentials to the API is
// refused here with 401, so a script learns its token is wrong.
func authenticate(store *storage.Store, log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var u *auth.User
		if h := r.Header.Get("Authorization"); h != "" {
			scheme, token, _ := strings.Cut(h, " ")
			if !strings.EqualFold(scheme, "Bearer") {
				writeAuthError(w, "use Authorization: Bearer <token>")
				return
			}
			user, _, err := store.UserByToken(r.Context(), strings.TrimSpace(token))
			if errs.CodeOf(err) == errs.Internal {
				// The database failed, not the token: say so, or a script
				// would conclude its token is bad.
				log.Error("token lookup", "err", err)
				writeError(w, r, http.StatusServiceUnavailable, "unavailable", "cannot check credentials now; try again")
				return
			}
			if err != nil {
				writeAuthError(w, errs.Message(err))
				return
			}
			u = user
		} else if c, err := r.Cookie(auth.SessionCookie); err == nil && c.Value != "" {
			user, err := store.UserBySession(r.Context(), c.Value)
			switch {
			case err == nil:
				u = user
			case errs.CodeOf(err) == errs.Internal:
				log.Error("session lookup", "err", err)
			}
		}
		if u != nil {
			r = r.WithContext(auth.WithUser(r.Context(), u))
		}
		next.ServeHTTP(w, r)
	})
}

func writeAuthError(w http.ResponseWriter, msg string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="qalxan"`)
	writeJSONError(w, http.StatusUnauthorized, "unauthorized", msg)
}

// writeError answers an error the middleware detects itself: in the API's
// uniform JSON shape under /api/, as plain text elsewhere.
func writeError(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSONError(w, status, code, msg)
		return
	}
	http.Error(w, msg, status)
}

func writeJSONError(w http.ResponseWriter, status int, code, msg string) {
	body, _ := json.Marshal(map[string]map[string]string{"error": {"code": code, "message": msg}})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(body)
}

// clientIP is the remote address without the port. Qalxan does not trust
// X-Forwarded-For: behind a proxy, configure the proxy to log addresses.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// ClientIP is clientIP for handlers.
func ClientIP(r *http.Request) string { return clientIP(r) }
