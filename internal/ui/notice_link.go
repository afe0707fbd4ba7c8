package ui

import (
	"errors"
	"net/http"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/server"
)

// noticeLink (GET /n/{token}) opens the findings of an organisation from
// the signed link in a notice (auth.SignLink), without an account: a
// valid, unexpired token starts a short session for "link:<contact>" with
// the agency role and that one organisation, then goes to the findings.
// An expired link is gone (410), a tampered or unknown one forbidden (403);
// neither starts a session.
func (h *handler) noticeLink(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	orgID, contact, err := auth.VerifyLink(h.LinkKey, r.PathValue("token"), h.Store.Now())
	if errors.Is(err, auth.ErrLinkExpired) {
		h.errorPage(w, r, nil, http.StatusGone, "link.expired", "link.expired_text")
		return
	}
	if err != nil {
		h.errorPage(w, r, nil, http.StatusForbidden, "link.invalid", "link.invalid_text")
		return
	}
	if c, err := r.Cookie(auth.SessionCookie); err == nil && c.Value != "" {
		h.Store.DeleteSession(r.Context(), c.Value)
	}
	secret, err := h.Store.CreateLinkSession(r.Context(), orgID, contact, server.ClientIP(r), h.LinkSessionTTL)
	switch {
	case errs.Is(err, errs.NotFound):
		// The organisation was deleted since the notice was sent.
		h.errorPage(w, r, nil, http.StatusForbidden, "link.invalid", "link.invalid_text")
		return
	case err != nil:
		h.Log.Error("ui: notice link session", "org", orgID, "err", err)
		h.errorPage(w, r, nil, http.StatusInternalServerError, "error.internal", "error.internal_text")
		return
	}
	h.setSessionCookie(w, secret, h.LinkSessionTTL)
	redirect(w, r, "/findings")
}
