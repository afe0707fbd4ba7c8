package api

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/storage"
)

// findingDetail is one finding with its history, oldest change first.
type findingDetail struct {
	finding.Finding
	History []finding.Change `json:"history"`
}

// findingFilter reads the list's query parameters. Lists (status,
// severity) are comma-separated or repeated. Tenancy is not among them:
// org only narrows within the caller's scope.
func (a *API) findingFilter(r *http.Request, sc auth.Scope) (storage.FindingFilter, error) {
	q := r.URL.Query()
	f := storage.FindingFilter{
		Identifier: strings.TrimSpace(q.Get("identifier")),
		Resource:   strings.TrimSpace(q.Get("resource")),
		Text:       strings.TrimSpace(q.Get("q")),
		Assignee:   strings.TrimSpace(q.Get("assignee")),
	}
	values := func(name string) []string {
		var out []string
		for _, v := range q[name] {
			for _, s := range strings.Split(v, ",") {
				if s = strings.TrimSpace(s); s != "" {
					out = append(out, s)
				}
			}
		}
		return out
	}
	for _, v := range values("status") {
		if v == "active" {
			f.Active = true
			continue
		}
		st, err := finding.ParseStatus(v)
		if err != nil {
			return f, errs.Field("status", "%s", errs.Message(err))
		}
		f.Statuses = append(f.Statuses, st)
	}
	for _, v := range values("severity") {
		sev, err := finding.ParseSeverity(v)
		if err != nil {
			return f, errs.Field("severity", "%s", errs.Message(err))
		}
		f.Severity = append(f.Severity, sev)
	}
	for name, dst := range map[string]*bool{"overdue": &f.Overdue} {
		if s := q.Get(name); s != "" {
			b, err := strconv.ParseBool(s)
			if err != nil {
				return f, errs.Field(name, "want true or false, got %q", s)
			}
			*dst = b
		}
	}
	lp, err := a.listParams(r, sc)
	f.Since, f.Until, f.OrgID, f.Limit, f.BeforeID = lp.since, lp.until, lp.orgID, lp.limit, lp.beforeID
	return f, err
}

// listFindings lists findings, newest first, a page at a time.
func (a *API) listFindings(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	sc := auth.ScopeFor(u)
	f, err := a.findingFilter(r, sc)
	if err != nil {
		return err
	}
	fs, next, err := a.d.Store.ListFindings(r.Context(), sc, f)
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusOK, page[finding.Finding]{Items: nonNil(fs), Next: encodeCursor(next)})
	return nil
}

// getFinding returns a finding with its history.
func (a *API) getFinding(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return a.writeFinding(w, r, auth.ScopeFor(u), id)
}

func (a *API) writeFinding(w http.ResponseWriter, r *http.Request, sc auth.Scope, id int64) error {
	f, err := a.d.Store.GetFinding(r.Context(), sc, id)
	if err != nil {
		return err
	}
	h, err := a.d.Store.FindingHistory(r.Context(), sc, id)
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusOK, findingDetail{Finding: *f, History: nonNil(h)})
	return nil
}

// transitionIn moves a finding: until (RFC 3339 or a date) is for
// "accepted" only.
type transitionIn struct {
	Status string `json:"status"`
	Reason string `json:"reason"`
	Until  string `json:"until"`
}

// transitionFinding moves a finding through its lifecycle. A move the
// state machine refuses is 409; one the caller's role may not make, 403.
func (a *API) transitionFinding(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in, err := decodeJSON[transitionIn](w, r)
	if err != nil {
		return err
	}
	to, err := finding.ParseStatus(strings.TrimSpace(in.Status))
	if err != nil {
		return errs.Field("status", "%s", errs.Message(err))
	}
	act := finding.Action{To: to, Reason: in.Reason}
	if s := strings.TrimSpace(in.Until); s != "" {
		if act.Until, err = parseTimeOrDate(s); err != nil {
			return errs.Field("until", "want an RFC 3339 time or a date such as 2027-03-31, got %q", s)
		}
	}
	f, err := a.d.Store.MoveFinding(r.Context(), actor(r, u), id, act)
	if err != nil {
		return err
	}
	return a.writeFinding(w, r, auth.ScopeFor(u), f.ID)
}

// parseTimeOrDate reads an RFC 3339 time or a date (midnight UTC).
func parseTimeOrDate(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	return time.Parse(time.DateOnly, s)
}

type severityIn struct {
	Severity string `json:"severity"`
	Reason   string `json:"reason"`
}

// setFindingSeverity changes a finding's severity, with a reason.
func (a *API) setFindingSeverity(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in, err := decodeJSON[severityIn](w, r)
	if err != nil {
		return err
	}
	sev, err := finding.ParseSeverity(in.Severity)
	if err != nil {
		return errs.Field("severity", "%s", errs.Message(err))
	}
	f, err := a.d.Store.SetFindingSeverity(r.Context(), actor(r, u), id, sev, in.Reason)
	if err != nil {
		return err
	}
	return a.writeFinding(w, r, auth.ScopeFor(u), f.ID)
}

type assignIn struct {
	Assignee string `json:"assignee"` // a user name; "" takes the finding from whoever had it
}

// assignFinding gives a finding to a user.
func (a *API) assignFinding(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in, err := decodeJSON[assignIn](w, r)
	if err != nil {
		return err
	}
	f, err := a.d.Store.AssignFinding(r.Context(), actor(r, u), id, in.Assignee)
	if err != nil {
		return err
	}
	return a.writeFinding(w, r, auth.ScopeFor(u), f.ID)
}

// findingEvents streams the events behind a finding as CSV, in the
// columns of the events export; the download is audited like an export.
func (a *API) findingEvents(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	sc := auth.ScopeFor(u)
	f, err := a.d.Store.GetFinding(r.Context(), sc, id)
	if err != nil {
		return err
	}
	if err := a.d.Store.Audit(r.Context(), actor(r, u), "finding.export", "finding", f.ID, f.OrgID, map[string]any{"format": "csv"}); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="qalxan-finding-%d-events.csv"`, f.ID))
	w.WriteHeader(http.StatusOK)
	cw := csv.NewWriter(w)
	cw.Write(csvColumns)
	rows := 0
	err = a.d.Store.EachFindingEvent(r.Context(), sc, f.ID, func(e storage.StoredEvent) error {
		cw.Write(csvRow(eventOut{ID: e.ID, ReportID: e.ReportID, Line: e.Line, TimeSource: e.TimeSource,
			TimeObservation: e.TimeObservation, Feed: e.Feed, Taxonomy: e.Taxonomy, Type: e.Type, Identifier: e.Identifier,
			SourceIP: e.SourceIP, SourceFQDN: e.SourceFQDN, SourceASN: e.SourceASN, Owners: []string{f.Org}, Data: e.Data}))
		rows++
		if rows%exportPage == 0 {
			cw.Flush()
			return cw.Error() // the client went away
		}
		return nil
	})
	cw.Flush()
	if err != nil && cw.Error() == nil && r.Context().Err() == nil {
		// The status is sent: log it and cut the file short.
		a.d.Log.Error("api: finding events download failed", "finding", f.ID, "after_rows", rows, "err", err)
		panic(http.ErrAbortHandler)
	}
	return nil
}
