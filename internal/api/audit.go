package api

import (
	"net/http"
	"strconv"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/storage"
)

// listAudit returns audit entries newest first, a page at a time: "next"
// is the before_id of the following page.
func (a *API) listAudit(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	q := r.URL.Query()
	f := storage.AuditFilter{Actor: q.Get("actor"), Action: q.Get("action"), ObjectType: q.Get("object_type"), ObjectID: q.Get("object_id")}
	var err error
	if f.Limit, err = queryInt(q, "limit", 100, 1, 1000); err != nil {
		return err
	}
	if f.Since, err = queryTime(q, "since"); err != nil {
		return err
	}
	if f.Until, err = queryTime(q, "until"); err != nil {
		return err
	}
	if s := q.Get("before_id"); s != "" {
		if f.BeforeID, err = strconv.ParseInt(s, 10, 64); err != nil || f.BeforeID <= 0 {
			return errs.Field("before_id", "want a positive whole number, got %q", s)
		}
	}
	entries, err := a.d.Store.ListAudit(r.Context(), f)
	if err != nil {
		return err
	}
	// A full page may be followed by more; the next page starts below its
	// last entry. (At worst the client asks once more and gets none.)
	next := ""
	if len(entries) == f.Limit {
		next = strconv.FormatInt(entries[len(entries)-1].ID, 10)
	}
	a.writeJSON(w, r, http.StatusOK, page[auth.AuditEntry]{Items: nonNil(entries), Next: next})
	return nil
}
