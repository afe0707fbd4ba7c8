package ui

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/notify"
	"github.com/qalxan/qalxan/internal/storage"
)

const noticePageSize = 100

// noticeStatusFilters are the filter's choices: what needs a look first.
var noticeStatusFilters = []string{"problems", "failed", "queued", "sending", "sent", "all"}

type noticeListView struct {
	view
	Status   string
	Statuses []string
	Notices  []notify.Notice
	NextURL  string
}

// noticeList (GET /admin/notices) shows the notices that failed or wait
// to be sent (or, filtered, those sent): status, attempts, last error.
func (h *handler) noticeList(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.ReadNotices) {
		return
	}
	q := r.URL.Query()
	status := q.Get("status")
	f := storage.NoticeFilter{Limit: noticePageSize}
	switch status {
	case "failed", "queued", "sending", "sent":
		f.Statuses = []notify.Status{notify.Status(status)}
	case "all":
	default:
		status = "problems"
		f.Statuses = []notify.Status{notify.Failed, notify.Queued, notify.Sending}
	}
	f.BeforeID, _ = strconv.ParseInt(q.Get("before_id"), 10, 64)
	ns, err := h.Store.ListNotices(r.Context(), auth.ScopeFor(u), f)
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	v := noticeListView{view: h.newView(w, r, u, "notices.title", "notices"), Status: status, Statuses: noticeStatusFilters, Notices: ns}
	if len(ns) == noticePageSize {
		v.NextURL = "/admin/notices?" + url.Values{"status": {status}, "before_id": {strconv.FormatInt(ns[len(ns)-1].ID, 10)}}.Encode()
	}
	h.render(w, r, http.StatusOK, "notice_list", &v)
}
