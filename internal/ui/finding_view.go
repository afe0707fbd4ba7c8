package ui

import (
	"errors"
	"net/http"
	"sync"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/i18n"
	"github.com/qalxan/qalxan/internal/notify"
	"github.com/qalxan/qalxan/internal/storage"
)

// findingEventsShown is how many of a finding's events the page lists;
// the CSV download has all of them.
const findingEventsShown = 20

// remedies is the notices' remediation table, which the page shows too.
var remedies = sync.OnceValue(notify.DefaultRemedies)

type findingView struct {
	view
	Finding    finding.Finding
	Org        *constituency.Org
	Overdue    bool
	Remedy     string
	History    []finding.Change
	Events     []storage.StoredEvent // the first findingEventsShown
	EventCount int
	Actions    map[string]bool // the forms the user may use now
	Severities []finding.Severity
	Assignees  []string // for the assign form: staff user names
	Failed     string   // the action whose form is shown again with its errors
	Form       *form
}

// F is the form of action name: the failed one with what was typed, or an
// empty one.
func (v *findingView) F(name string) *form {
	if name == v.Failed && v.Form != nil {
		return v.Form
	}
	return newForm(nil)
}

// findingView (GET /findings/{id}) shows a finding: its state, what to do
// about it, its history, the events behind it and the actions the user may
// take. Another agency's finding is not found.
func (h *handler) findingView(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.ReadFindings) {
		return
	}
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r, u)
		return
	}
	h.renderFinding(w, r, u, id, http.StatusOK, "", nil)
}

// renderFinding renders the page of finding id, with failed's form shown
// again with its errors when an action did not go through.
func (h *handler) renderFinding(w http.ResponseWriter, r *http.Request, u *auth.User, id int64, status int, failed string, fm *form) {
	ctx := r.Context()
	sc := auth.ScopeFor(u)
	f, err := h.Store.GetFinding(ctx, sc, id)
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	v := findingView{view: h.newView(w, r, u, "findings.title", "findings"), Finding: *f, Failed: failed, Form: fm,
		Overdue: f.Overdue(h.Store.Now()), Actions: map[string]bool{}}
	v.Title = i18n.T(v.Lang, "finding.title", f.ID)
	if v.Org, err = h.Store.GetOrg(ctx, sc, f.OrgID); err != nil {
		h.fail(w, r, u, err)
		return
	}
	v.Remedy = remedies().For(f.Identifier).In(constituency.Language(v.Lang))
	if v.History, err = h.Store.FindingHistory(ctx, sc, id); err != nil {
		h.fail(w, r, u, err)
		return
	}
	ids, err := h.Store.FindingEventIDs(ctx, sc, id)
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	v.EventCount = len(ids)
	errEnough := errors.New("enough")
	err = h.Store.EachFindingEvent(ctx, sc, id, func(e storage.StoredEvent) error {
		v.Events = append(v.Events, e)
		if len(v.Events) == findingEventsShown {
			return errEnough
		}
		return nil
	})
	if err != nil && !errors.Is(err, errEnough) {
		h.fail(w, r, u, err)
		return
	}
	for name, a := range findingActions {
		if u.Role.Can(a.perm()) && (a.to == "" || finding.CanMove(f.Status, a.to)) {
			v.Actions[name] = true
		}
	}
	if v.Actions["severity"] {
		for s := finding.Critical; s >= finding.Info; s-- {
			v.Severities = append(v.Severities, s)
		}
	}
	if v.Actions["assign"] {
		users, err := h.Store.ListUsers(ctx)
		if err != nil {
			h.fail(w, r, u, err)
			return
		}
		for _, x := range users {
			if !x.Disabled && x.Role.Can(auth.ManageFindings) {
				v.Assignees = append(v.Assignees, x.Name)
			}
		}
	}
	h.render(w, r, status, "finding_view", &v)
}
