package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/i18n"
	"github.com/qalxan/qalxan/internal/storage"
)

// findingAction is one form on a finding's page: a move through the
// lifecycle (to), or a change of severity or assignee (to "").
type findingAction struct {
	to    finding.Status
	flash string // the notice after it went through
}

// perm is the permission the action needs: the same rule storage applies.
func (a findingAction) perm() auth.Permission {
	if a.to == "" {
		return auth.ManageFindings
	}
	return storage.FindingPermission(a.to)
}

// findingActions are the actions by the last segment of their URL.
var findingActions = map[string]findingAction{
	"acknowledge": {finding.Acknowledged, "flash.finding_acknowledge"},
	"resolve":     {finding.Resolved, "flash.finding_resolve"},
	"dispute":     {finding.FalsePositive, "flash.finding_dispute"},
	"accept":      {finding.Accepted, "flash.finding_accept"},
	"close":       {finding.Closed, "flash.finding_close"},
	"reopen":      {finding.Reopened, "flash.finding_reopen"},
	"severity":    {"", "flash.finding_severity"},
	"assign":      {"", "flash.finding_assign"},
}

// findingAct (POST /findings/{id}/{action}) acknowledges, resolves,
// disputes, accepts, closes, reopens, changes the severity of or assigns a
// finding. Another agency's finding is not found whatever the action; an
// action the role may not take is forbidden; a move the lifecycle does not
// allow (the page was stale) shows the page again with the reason, as a
// missing reason or date does.
func (h *handler) findingAct(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.ReadFindings) {
		return
	}
	id, ok := pathID(r, "id")
	name := r.PathValue("action")
	a, known := findingActions[name]
	if !ok || !known {
		h.notFound(w, r, u)
		return
	}
	f, err := h.Store.GetFinding(r.Context(), auth.ScopeFor(u), id)
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	if !h.require(w, r, u, a.perm()) || !h.parseForm(w, r) {
		return
	}
	lang := requestLanguage(r, u)
	fm := newForm(r.PostForm)
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	act := actor(r, u)
	switch name {
	case "resolve":
		// The lifecycle does not insist, but the CERT wants to know what
		// was done, and the officer knows it best now.
		if reason == "" {
			fm.fieldError(lang, "reason", "finding.comment_required")
			break
		}
		fallthrough
	case "acknowledge", "dispute", "close", "reopen":
		_, err = h.Store.MoveFinding(r.Context(), act, id, finding.Action{To: a.to, Reason: reason})
	case "accept":
		until, ok := h.parseDay(strings.TrimSpace(r.PostFormValue("until")), true)
		if !ok || until.IsZero() {
			fm.fieldError(lang, "until", "finding.bad_until")
			break
		}
		_, err = h.Store.MoveFinding(r.Context(), act, id, finding.Action{To: a.to, Reason: reason, Until: until})
	case "severity":
		sev, perr := finding.ParseSeverity(r.PostFormValue("severity"))
		if perr != nil {
			fm.fieldError(lang, "severity", "findings.bad_severity")
			break
		}
		_, err = h.Store.SetFindingSeverity(r.Context(), act, id, sev, reason)
	case "assign":
		_, err = h.Store.AssignFinding(r.Context(), act, id, r.PostFormValue("assignee"))
	}
	switch code := errs.CodeOf(err); {
	case fm.Failed():
		h.renderFinding(w, r, u, id, http.StatusBadRequest, name, fm)
	case err == nil:
		h.setFlash(w, a.flash)
		redirect(w, r, "/findings/"+strconv.FormatInt(id, 10))
	case code == errs.Conflict:
		// Someone (or the system) moved it since the page was loaded.
		fm.General = i18n.T(lang, "finding.cannot_move", translateValue(lang, "finding_status.", f.Status), translateValue(lang, "finding_status.", a.to))
		if cur, gerr := h.Store.GetFinding(r.Context(), auth.ScopeFor(u), id); gerr == nil {
			fm.General = i18n.T(lang, "finding.cannot_move", translateValue(lang, "finding_status.", cur.Status), translateValue(lang, "finding_status.", a.to))
		}
		h.renderFinding(w, r, u, id, http.StatusConflict, name, fm)
	case code == errs.Invalid:
		fm.setError(lang, err, map[string]string{"reason": "reason", "until": "until", "severity": "severity", "assignee": "assignee"})
		h.renderFinding(w, r, u, id, http.StatusBadRequest, name, fm)
	default:
		h.fail(w, r, u, err)
	}
}
