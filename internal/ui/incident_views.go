package ui

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/i18n"
)

// savedView is a saved view as the incident list shows it.
type savedView struct {
	ID   int64
	Name string
	URL  string
}

// incidentViewSave (POST /incidents/views) saves the list's current
// filter under a name for the user. The query is read back through the
// filter, so only filter fields are kept (no cursor, nothing else).
func (h *handler) incidentViewSave(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.ReadIncidents) || !h.parseForm(w, r) {
		return
	}
	q, err := url.ParseQuery(r.PostFormValue("query"))
	if err != nil {
		q = url.Values{}
	}
	f := parseIncidentFilter(q)
	_, query, _ := strings.Cut(f.URL(), "?")
	_, err = h.Store.SaveIncidentView(r.Context(), u.ID, r.PostFormValue("name"), query)
	if errs.Is(err, errs.Invalid) {
		// Back to the list with the filter, the name typed and the message.
		lang := requestLanguage(r, u)
		msg := localError(lang, err)
		if errs.FieldOf(err) == "query" && query == "" {
			msg = i18n.T(lang, "views.need_filter")
		}
		r.URL.RawQuery = query
		h.renderIncidentList(w, r, u, http.StatusBadRequest, &viewForm{Name: r.PostFormValue("name"), Err: msg})
		return
	}
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	h.setFlash(w, "flash.view_saved")
	redirect(w, r, f.URL())
}

// incidentViewDelete (POST /incidents/views/{id}/delete) deletes one of
// the user's views; another user's is not found.
func (h *handler) incidentViewDelete(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.ReadIncidents) {
		return
	}
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r, u)
		return
	}
	if err := h.Store.DeleteIncidentView(r.Context(), u.ID, id); err != nil {
		h.fail(w, r, u, err)
		return
	}
	h.setFlash(w, "flash.view_deleted")
	redirect(w, r, "/incidents")
}

// viewForm is the save-view form shown again after a refusal.
type viewForm struct {
	Name, Err string
}

// fillIncidentViews adds the user's saved views, the save form and the
// export link to the incident list.
func (h *handler) fillIncidentViews(r *http.Request, u *auth.User, f incidentFilter, v *incidentListView, vf *viewForm) error {
	views, err := h.Store.IncidentViews(r.Context(), u.ID)
	if err != nil {
		return err
	}
	for _, sv := range views {
		v.Views = append(v.Views, savedView{ID: sv.ID, Name: sv.Name, URL: "/incidents?" + sv.Query})
	}
	_, v.Query, _ = strings.Cut(f.URL(), "?")
	v.ExportURL = "/incidents/export.csv"
	if v.Query != "" {
		v.ExportURL += "?" + v.Query
	}
	if u.Role.Can(auth.ReadReports) {
		if v.Waiting, err = h.Store.WaitingReports(r.Context(), actor(r, u)); err != nil && !errs.Is(err, errs.Forbidden) {
			return err
		}
	}
	if vf == nil {
		vf = &viewForm{}
	}
	v.ViewForm = vf
	return nil
}
