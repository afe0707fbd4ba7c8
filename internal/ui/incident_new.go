package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/tlp"
)

type incidentNewView struct {
	view
	Form       *form
	Categories []incident.Category
	Labels     []tlp.Label
	PAPs       []incident.PAP
}

// incidentNewForm (GET /incidents/new) is the form to open an incident.
func (h *handler) incidentNewForm(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.WriteIncidents) {
		return
	}
	h.renderIncidentNew(w, r, u, http.StatusOK, newForm(nil))
}

func (h *handler) renderIncidentNew(w http.ResponseWriter, r *http.Request, u *auth.User, status int, fm *form) {
	v := incidentNewView{view: h.newView(w, r, u, "incident.new", "incidents"), Form: fm,
		Categories: incident.Categories, Labels: tlp.All, PAPs: incident.PAPs}
	h.render(w, r, status, "incident_new", &v)
}

// incidentCreate (POST /incidents/new) opens the incident: the category
// gives the RSIT classification unless a type is given; the criteria give
// the severity; the organisations are short names.
func (h *handler) incidentCreate(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.WriteIncidents) || !h.parseForm(w, r) {
		return
	}
	lang := requestLanguage(r, u)
	fm := newForm(r.PostForm)
	val := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	num := func(k string) int64 {
		n, err := strconv.ParseInt(val(k), 10, 64)
		if val(k) != "" && (err != nil || n < 0) {
			fm.fieldError(lang, k, "incident.bad_number")
		}
		return n
	}
	in := incident.Incident{Title: val("title"), Description: val("description"), TLP: tlp.Label(val("tlp")), PAP: incident.PAP(val("pap")),
		Tags: strings.Split(val("tags"), ","), Criteria: incident.Criteria{PeopleAffected: num("people_affected"), FinancialLoss: num("financial_loss"),
			OutageMinutes: num("outage_minutes"), CII: val("cii") != "", PersonalData: val("personal_data") != "", CrossBorder: val("cross_border") != "",
			Spreading: val("spreading") != ""}}
	if c, err := incident.ParseCategory(val("category")); err == nil {
		in.Category, in.Classification = c, incident.ClassOf(c)
	} else if val("type") == "" {
		fm.fieldError(lang, "category", "incident.need_category")
	}
	if t := val("type"); t != "" {
		in.Classification = incident.Classification{Type: t, Identifier: val("identifier")}
	} else if id := val("identifier"); id != "" {
		in.Identifier = id
	}
	for _, name := range strings.FieldsFunc(val("orgs"), func(r rune) bool { return r == ',' || r == ' ' }) {
		o, err := h.Store.GetOrgByShortName(r.Context(), auth.ScopeFor(u), name)
		if err != nil {
			fm.fieldError(lang, "orgs", "events.bad_org")
			break
		}
		in.OrgIDs = append(in.OrgIDs, o.ID)
	}
	var obs []incident.Observable
	if v := val("observable"); v != "" {
		obs = append(obs, incident.Observable{Kind: incident.Kind(val("observable_kind")), Value: v, TLP: in.TLP})
	}
	if fm.Failed() {
		h.renderIncidentNew(w, r, u, http.StatusBadRequest, fm)
		return
	}
	created, err := h.Store.CreateIncident(r.Context(), actor(r, u), h.rules(), storage.NewIncident{Incident: in, Observables: obs})
	if errs.Is(err, errs.Invalid) {
		fm.setError(lang, err, map[string]string{"title": "title", "description": "description", "type": "type", "taxonomy": "type",
			"identifier": "identifier", "tlp": "tlp", "pap": "pap", "tags": "tags", "org_ids": "orgs", "value": "observable", "kind": "observable",
			"people_affected": "people_affected", "financial_loss": "financial_loss", "outage_minutes": "outage_minutes"})
		h.renderIncidentNew(w, r, u, http.StatusBadRequest, fm)
		return
	}
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	h.setFlash(w, "flash.incident_created")
	redirect(w, r, incidentURL(created.ID))
}
