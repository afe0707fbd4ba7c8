package api

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/server"
	"github.com/qalxan/qalxan/internal/storage"
)

func itoa(n int) string { return strconv.Itoa(n) }

// maxPublicReport bounds a public report's body: a description of at
// most 10,000 characters and a few short fields fit with room to spare,
// and a stranger gets no more of our memory than that.
const maxPublicReport = 64 << 10

// reportIn is a report as the public form and the partner API send it.
type reportIn struct {
	Category      string `json:"category"`
	Description   string `json:"description"`
	URL           string `json:"url"`
	Phone         string `json:"phone"`
	ReporterName  string `json:"reporter_name"`
	ReporterEmail string `json:"reporter_email"`
	Language      string `json:"language"`
	// Only through the authenticated API:
	ReporterType string `json:"reporter_type"`
	OrgID        int64  `json:"org_id"`
}

type trackingOut struct {
	ID           int64  `json:"id,omitempty"`
	TrackingCode string `json:"tracking_code"`
}

// submitPublicReport takes a citizen's report without sign-in: rate
// limited per client address, size limited, strictly validated. It is
// safe from cross-site forgery without a token: it needs a JSON body
// (which a foreign page cannot send without CORS, which we never allow),
// acts on no one's session, and the server's cross-origin protection
// refuses browsers' cross-site POSTs anyway. The answer is only the
// tracking code.
func (a *API) submitPublicReport(w http.ResponseWriter, r *http.Request, _ *auth.User) error {
	if !a.limiter.Allow(server.ClientIP(r)) {
		w.Header().Set("Retry-After", "60")
		return errs.E(errs.TooMany, "too many reports from this address; try again in a few minutes")
	}
	if err := requireMediaType(r, isJSONType, "application/json"); err != nil {
		return err
	}
	if r.ContentLength > maxPublicReport {
		return tooLarge(maxPublicReport)
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxPublicReport))
	dec.DisallowUnknownFields()
	var in reportIn
	if err := dec.Decode(&in); err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return tooLarge(maxPublicReport)
		}
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return tooLarge(maxPublicReport)
		}
		return errs.E(errs.Invalid, "unexpected data after the JSON value; send exactly one JSON object")
	}
	if in.ReporterType != "" || in.OrgID != 0 {
		return errs.E(errs.Invalid, "reporter_type and org_id are for the authenticated API")
	}
	rep, err := incident.PublicReport{Category: in.Category, Description: in.Description, URL: in.URL, Phone: in.Phone,
		ReporterName: in.ReporterName, ReporterEmail: in.ReporterEmail, Language: in.Language}.Report(a.rules().Region)
	if err != nil {
		return err
	}
	code, err := a.d.Store.SubmitIntake(r.Context(), auth.Actor{Name: "public", IP: server.ClientIP(r)}, &rep)
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusCreated, trackingOut{TrackingCode: code})
	return nil
}

// publicReportStatus shows a report's progress to whoever holds its
// tracking code, and nothing else. Look-ups are rate limited per client
// (12 letters of 31 make guessing hopeless anyway).
func (a *API) publicReportStatus(w http.ResponseWriter, r *http.Request, _ *auth.User) error {
	if !a.statusLimiter.Allow(server.ClientIP(r)) {
		w.Header().Set("Retry-After", "60")
		return errs.E(errs.TooMany, "too many requests from this address; try again in a few minutes")
	}
	st, err := a.d.Store.IntakeStatusByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusOK, st)
	return nil
}

// submitReport takes a report from a signed-in agency, bank or partner
// (or an analyst typing in a hotline call).
func (a *API) submitReport(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	in, err := decodeJSON[reportIn](w, r)
	if err != nil {
		return err
	}
	rep := incident.Report{Category: incident.Category(in.Category), Description: in.Description, URL: in.URL, Phone: in.Phone,
		ReporterName: in.ReporterName, ReporterEmail: in.ReporterEmail, Language: in.Language,
		ReporterType: incident.ReporterType(strings.TrimSpace(in.ReporterType)), Channel: incident.ChannelAPI, OrgID: in.OrgID, SubmittedBy: u.Name}
	// Who the reporter is follows from the account, except for staff, who
	// type in what came by phone or mail.
	switch u.Role {
	case auth.Agency:
		rep.ReporterType = incident.ReporterAgency
		if rep.OrgID == 0 && len(u.OrgIDs) == 1 {
			rep.OrgID = u.OrgIDs[0]
		}
	case auth.Partner:
		rep.ReporterType = incident.ReporterPartner
	}
	if err := rep.Normalize(a.rules().Region); err != nil {
		return err
	}
	code, err := a.d.Store.SubmitIntake(r.Context(), actor(r, u), &rep)
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusCreated, trackingOut{ID: rep.ID, TrackingCode: code})
	return nil
}

// listReports is the triage queue (staff; reads audited).
func (a *API) listReports(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	q := r.URL.Query()
	f := storage.IntakeFilter{Status: incident.ReportStatus(q.Get("status"))}
	switch f.Status {
	case "", incident.ReportNew, incident.ReportAccepted, incident.ReportRejected:
	default:
		return errs.Field("status", "want new, accepted or rejected, got %q", f.Status)
	}
	if c := q.Get("category"); c != "" {
		cat, err := incident.ParseCategory(c)
		if err != nil {
			return err
		}
		f.Category = cat
	}
	var err error
	if f.Limit, err = queryInt(q, "limit", 100, 1, 1000); err != nil {
		return err
	}
	if s := q.Get("cursor"); s != "" {
		if f.BeforeID, err = decodeCursor(s); err != nil {
			return err
		}
	}
	rs, next, err := a.d.Store.ListIntake(r.Context(), actor(r, u), f)
	if err != nil {
		return err
	}
	if err := a.personalReports(r, u, rs); err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusOK, page[incident.Report]{Items: nonNil(rs), Next: encodeCursor(next)})
	return nil
}

func (a *API) getReport(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	rep, err := a.d.Store.GetIntake(r.Context(), actor(r, u), id)
	if err != nil {
		return err
	}
	one := []incident.Report{*rep}
	if err := a.personalReports(r, u, one); err != nil {
		return err
	}
	rep = &one[0]
	a.writeJSON(w, r, http.StatusOK, rep)
	return nil
}

// triageIn is one decision: new (an incident, possibly empty: filled
// from the report), incident_id, or reject.
type triageIn struct {
	New        *incidentIn `json:"new"`
	IncidentID int64       `json:"incident_id"`
	Reject     string      `json:"reject"`
	// DuplicateOf is an earlier report this one repeats (storage.TriageDuplicate).
	DuplicateOf int64 `json:"duplicate_of"`
}

func (a *API) triageReport(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in, err := decodeJSON[triageIn](w, r)
	if err != nil {
		return err
	}
	if in.DuplicateOf != 0 {
		if in.New != nil || in.IncidentID != 0 || in.Reject != "" {
			return errs.E(errs.Invalid, "decide one thing: open a new incident, link to an existing one (incident_id), or reject with a reason")
		}
		rep, err := a.d.Store.TriageDuplicate(r.Context(), actor(r, u), a.rules(), id, in.DuplicateOf)
		if err != nil {
			return err
		}
		a.writeJSON(w, r, http.StatusOK, rep)
		return nil
	}
	t := storage.Triage{IncidentID: in.IncidentID, Reject: in.Reject}
	if in.New != nil {
		n := in.New
		t.New = &incident.Incident{Title: deref(n.Title), Description: deref(n.Description),
			Classification: incident.Classification{Taxonomy: deref(n.Taxonomy), Type: deref(n.Type), Identifier: deref(n.Identifier)},
			Tags:           deref(n.Tags), OrgIDs: deref(n.OrgIDs), OwnerTeam: deref(n.OwnerTeam), Assignee: n.Assignee, Criteria: deref(n.Criteria),
			TLP: tlpOf(n.TLP), PAP: incident.PAP(deref(n.PAP))}
	}
	rep, err := a.d.Store.TriageIntake(r.Context(), actor(r, u), a.rules(), id, t)
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusOK, rep)
	return nil
}
