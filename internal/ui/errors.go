package ui

import (
	"net/http"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/i18n"
)

// errorView is the data of the error page.
type errorView struct {
	view
	Status int
	Text   string
}

func (h *handler) errorPage(w http.ResponseWriter, r *http.Request, u *auth.User, status int, titleKey, textKey string) {
	v := errorView{view: h.newView(w, r, u, titleKey, ""), Status: status}
	v.Text = i18n.T(v.Lang, textKey)
	h.render(w, r, status, "error", &v)
}

// notFound is also the answer for things that exist but lie outside the
// user's scope: an agency officer cannot tell another agency's page from
// one that does not exist.
func (h *handler) notFound(w http.ResponseWriter, r *http.Request, u *auth.User) {
	h.errorPage(w, r, u, http.StatusNotFound, "error.not_found", "error.not_found_text")
}

func (h *handler) forbidden(w http.ResponseWriter, r *http.Request, u *auth.User) {
	h.errorPage(w, r, u, http.StatusForbidden, "error.forbidden", "error.forbidden_text")
}

// fail answers with the page that fits err's code. Internal errors are
// logged with their details and shown only as "something went wrong".
func (h *handler) fail(w http.ResponseWriter, r *http.Request, u *auth.User, err error) {
	switch errs.CodeOf(err) {
	case errs.NotFound:
		h.notFound(w, r, u)
	case errs.Forbidden:
		h.forbidden(w, r, u)
	case errs.Invalid, errs.Conflict:
		// Forms handle their own validation errors; one reaching here came
		// from a request no form of ours sends.
		h.errorPage(w, r, u, http.StatusBadRequest, "error.bad_request", "error.bad_request_text")
	default:
		h.Log.Error("ui: request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		h.errorPage(w, r, u, http.StatusInternalServerError, "error.internal", "error.internal_text")
	}
}

// require checks a permission, answering 403 when the role lacks it.
func (h *handler) require(w http.ResponseWriter, r *http.Request, u *auth.User, p auth.Permission) bool {
	if u.Role.Can(p) {
		return true
	}
	h.forbidden(w, r, u)
	return false
}
