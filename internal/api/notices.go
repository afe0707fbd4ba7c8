package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/notify"
	"github.com/qalxan/qalxan/internal/storage"
)

// listNotices returns notices newest first, a page at a time: staff see
// what was sent, what waits and what failed (status, attempts,
// last_error). "next" is the before_id of the following page.
func (a *API) listNotices(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	q := r.URL.Query()
	var f storage.NoticeFilter
	var err error
	if f.Limit, err = queryInt(q, "limit", 100, 1, 1000); err != nil {
		return err
	}
	if s := q.Get("status"); s != "" {
		for _, v := range strings.Split(s, ",") {
			st := notify.Status(strings.TrimSpace(v))
			switch st {
			case notify.Queued, notify.Sending, notify.Sent, notify.Failed:
				f.Statuses = append(f.Statuses, st)
			default:
				return errs.Field("status", "%q is not one of queued, sending, sent, failed", v)
			}
		}
	}
	if s := q.Get("org"); s != "" {
		o, err := a.d.Store.GetOrgByShortName(r.Context(), auth.ScopeFor(u), s)
		if err != nil {
			return err
		}
		f.OrgID = o.ID
	}
	if s := q.Get("before_id"); s != "" {
		if f.BeforeID, err = strconv.ParseInt(s, 10, 64); err != nil || f.BeforeID <= 0 {
			return errs.Field("before_id", "want a positive whole number, got %q", s)
		}
	}
	ns, err := a.d.Store.ListNotices(r.Context(), auth.ScopeFor(u), f)
	if err != nil {
		return err
	}
	next := ""
	if len(ns) == f.Limit {
		next = strconv.FormatInt(ns[len(ns)-1].ID, 10)
	}
	a.writeJSON(w, r, http.StatusOK, page[notify.Notice]{Items: nonNil(ns), Next: next})
	return nil
}
