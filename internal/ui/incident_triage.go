package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/i18n"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/tlp"
)

// triagePageSize is the reports per page of the triage queue.
const triagePageSize = 50

type triageView struct {
	view
	Status     string // new (the default), accepted, rejected, or "all"
	Statuses   []string
	Category   string
	Categories []incident.Category
	Labels     []tlp.Label
	Reports    []triageRow
	NextURL    string
	First      bool
	CanTriage  bool
	// The decision that failed, shown again on its report with what was
	// typed and the message next to the field.
	FailedID   int64
	FailedName string
	Form       *form
}

type triageRow struct {
	incident.Report
	Seen []storage.Seen // its URL, host and phone number, each with the incidents naming it
}

// F is the form of decision name on report id: the failed one with what
// was typed, or an empty one.
func (v *triageView) F(id int64, name string) *form {
	if id == v.FailedID && name == v.FailedName && v.Form != nil {
		return v.Form
	}
	return newForm(nil)
}

// URL is the queue with its filter, plus extra pairs ("cursor", id).
func (v *triageView) URL(extra ...string) string {
	q := url.Values{}
	if v.Status != "" && v.Status != string(incident.ReportNew) {
		q.Set("status", v.Status)
	}
	if v.Category != "" {
		q.Set("category", v.Category)
	}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	if len(q) == 0 {
		return "/incidents/triage"
	}
	return "/incidents/triage?" + q.Encode()
}

// triageQueue (GET /incidents/triage) is the queue of reports waiting for
// a decision, newest first, each with the observables found in it and how
// many incidents already name them. Reporters' personal data is on this
// page, so only CERT staff open it and every page read is audited (by
// storage, as the API's reads are).
func (h *handler) triageQueue(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.ReadReports) {
		return
	}
	h.renderTriage(w, r, u, http.StatusOK, 0, "", nil)
}

func (h *handler) renderTriage(w http.ResponseWriter, r *http.Request, u *auth.User, status int, failedID int64, failed string, fm *form) {
	q := r.URL.Query()
	v := triageView{view: h.newView(w, r, u, "triage.title", "incidents"), Status: strings.TrimSpace(q.Get("status")),
		Category: strings.TrimSpace(q.Get("category")), Categories: incident.Categories, Labels: tlp.All,
		Statuses:  []string{"new", "accepted", "rejected", "all"},
		CanTriage: u.Role.Can(auth.TriageReports), FailedID: failedID, FailedName: failed, Form: fm}
	f := storage.IntakeFilter{Limit: triagePageSize}
	switch v.Status {
	case "", string(incident.ReportNew):
		v.Status, f.Status = string(incident.ReportNew), incident.ReportNew
	case string(incident.ReportAccepted), string(incident.ReportRejected):
		f.Status = incident.ReportStatus(v.Status)
	case "all":
	default:
		h.errorPage(w, r, u, http.StatusBadRequest, "error.bad_request", "error.bad_request_text")
		return
	}
	if v.Category != "" {
		c, err := incident.ParseCategory(v.Category)
		if err != nil {
			h.errorPage(w, r, u, http.StatusBadRequest, "error.bad_request", "error.bad_request_text")
			return
		}
		f.Category = c
	}
	f.BeforeID, _ = strconv.ParseInt(q.Get("cursor"), 10, 64)
	reports, next, err := h.Store.ListIntake(r.Context(), actor(r, u), f)
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	if err := h.personalReports(r, u, reports); err != nil {
		h.fail(w, r, u, err)
		return
	}
	sc := auth.ScopeFor(u)
	for _, rep := range reports {
		seen, err := h.Store.CorrelateObservables(r.Context(), sc, rep.Observables(), rep.IncidentID)
		if err != nil {
			h.fail(w, r, u, err)
			return
		}
		v.Reports = append(v.Reports, triageRow{Report: rep, Seen: seen})
	}
	v.First = f.BeforeID <= 0
	if next != 0 {
		v.NextURL = v.URL("cursor", strconv.FormatInt(next, 10))
	}
	h.render(w, r, status, "incident_triage", &v)
}

// triageDecide (POST /incidents/triage/{id}/{decision}) settles a report:
// open a new incident from it, add it to an existing incident (by
// reference), reject it with a reason, or mark it a duplicate of an
// earlier report. Bad input shows the queue again with the message next
// to the field; a report someone else decided meanwhile says so.
func (h *handler) triageDecide(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.ReadReports) {
		return
	}
	id, ok := pathID(r, "id")
	decision := r.PathValue("decision")
	if !ok || (decision != "open" && decision != "link" && decision != "reject" && decision != "duplicate") {
		h.notFound(w, r, u)
		return
	}
	if !h.require(w, r, u, auth.TriageReports) || !h.parseForm(w, r) {
		return
	}
	lang := requestLanguage(r, u)
	fm := newForm(r.PostForm)
	act, ctx, rules := actor(r, u), r.Context(), h.rules()
	val := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	var rep *incident.Report
	var err error
	switch decision {
	case "open":
		in := &incident.Incident{Title: val("title"), TLP: tlp.Label(val("tlp"))}
		orgs, ok := h.orgIDsOf(ctx, auth.ScopeFor(u), val("orgs"), lang, "orgs", fm)
		if !ok {
			break
		}
		in.OrgIDs = orgs
		rep, err = h.Store.TriageIntake(ctx, act, rules, id, storage.Triage{New: in})
	case "link":
		ref := val("ref")
		var target *incident.Incident
		if ref == "" {
			fm.fieldError(lang, "ref", "triage.need_ref")
			break
		}
		if n, perr := strconv.ParseInt(ref, 10, 64); perr == nil {
			target, err = h.Store.GetIncident(ctx, auth.ScopeFor(u), rules, n)
		} else {
			target, err = h.Store.GetIncidentByRef(ctx, auth.ScopeFor(u), rules, ref)
		}
		if err != nil {
			if c := errs.CodeOf(err); c == errs.NotFound || c == errs.Invalid {
				fm.fieldError(lang, "ref", "triage.bad_ref")
				err = nil
			}
			break
		}
		rep, err = h.Store.TriageIntake(ctx, act, rules, id, storage.Triage{IncidentID: target.ID})
	case "reject":
		if val("reason") == "" {
			fm.fieldError(lang, "reason", "triage.need_reason")
			break
		}
		rep, err = h.Store.TriageIntake(ctx, act, rules, id, storage.Triage{Reject: val("reason")})
	case "duplicate":
		of, perr := strconv.ParseInt(val("duplicate_of"), 10, 64)
		if perr != nil || of <= 0 {
			fm.fieldError(lang, "duplicate_of", "triage.need_report")
			break
		}
		rep, err = h.Store.TriageDuplicate(ctx, act, rules, id, of)
	}
	switch code := errs.CodeOf(err); {
	case fm.Failed():
		h.renderTriage(w, r, u, http.StatusBadRequest, id, decision, fm)
	case err == nil && decision == "open":
		h.setFlash(w, "flash.incident_created")
		redirect(w, r, incidentURL(rep.IncidentID))
	case err == nil:
		h.setFlash(w, "flash.report_triaged")
		redirect(w, r, "/incidents/triage")
	case code == errs.Conflict:
		fm.General = i18n.T(lang, "triage.already")
		h.renderTriage(w, r, u, http.StatusConflict, id, decision, fm)
	case code == errs.Invalid:
		fm.setError(lang, err, map[string]string{"title": "title", "tlp": "tlp", "org_ids": "orgs", "incident_id": "ref", "duplicate_of": "duplicate_of", "reason": "reason"})
		h.renderTriage(w, r, u, http.StatusBadRequest, id, decision, fm)
	default:
		h.fail(w, r, u, err)
	}
}
