package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
)

// listParams are the query parameters the findings and incidents lists
// share: a time range, an organisation (id or short name, within the
// caller's scope), a page size and the cursor.
type listParams struct {
	since, until time.Time
	orgID        int64
	limit        int
	beforeID     int64
}

func (a *API) listParams(r *http.Request, sc auth.Scope) (lp listParams, err error) {
	q := r.URL.Query()
	if lp.since, err = queryTimeOrDate(q, "since", false); err != nil {
		return lp, err
	}
	if lp.until, err = queryTimeOrDate(q, "until", true); err != nil {
		return lp, err
	}
	if key := strings.TrimSpace(q.Get("org")); key != "" {
		if lp.orgID, err = a.orgIDInScope(r, sc, key); err != nil {
			return lp, err
		}
	}
	if lp.limit, err = queryInt(q, "limit", 100, 1, 1000); err != nil {
		return lp, err
	}
	if s := q.Get("cursor"); s != "" {
		if lp.beforeID, err = decodeCursor(s); err != nil {
			return lp, err
		}
	}
	return lp, nil
}
