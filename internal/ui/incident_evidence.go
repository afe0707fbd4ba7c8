package ui

import (
	"errors"
	"io"
	"net/http"
	"net/url"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/incident"
)

// maxEvidenceForm bounds an upload form: the file at its limit and the
// few short fields around it.
const maxEvidenceForm = incident.MaxEvidenceSize + 64<<10

// incidentEvidence (POST /incidents/{id}/evidence) takes a file from the
// incident page as a multipart form, under the rules the API applies
// (incident.CheckEvidence: the size limit, a plain name, and content that
// is what the name says); the storage keeps it by its SHA-256 and starts
// its chain of custody. Downloads go through the API's one handler, which
// sends every file as an attachment in a sandbox.
func (h *handler) incidentEvidence(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.ReadIncidents) {
		return
	}
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r, u)
		return
	}
	if _, err := h.Store.GetIncident(r.Context(), auth.ScopeFor(u), h.rules(), id); err != nil {
		h.fail(w, r, u, err)
		return
	}
	if !h.require(w, r, u, auth.WriteIncidents) {
		return
	}
	lang := requestLanguage(r, u)
	r.Body = http.MaxBytesReader(w, r.Body, maxEvidenceForm)
	err := r.ParseMultipartForm(1 << 20)
	var values url.Values
	if r.MultipartForm != nil {
		values = url.Values(r.MultipartForm.Value)
		defer r.MultipartForm.RemoveAll()
	}
	fm := newForm(values)
	var mb *http.MaxBytesError
	switch {
	case errors.As(err, &mb):
		fm.fieldError(lang, "file", "evidence.too_large", incident.MaxEvidenceSize>>20)
		h.renderIncident(w, r, u, id, http.StatusRequestEntityTooLarge, "evidence", fm)
		return
	case err != nil:
		fm.fieldError(lang, "file", "evidence.need_file")
		h.renderIncident(w, r, u, id, http.StatusBadRequest, "evidence", fm)
		return
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		fm.fieldError(lang, "file", "evidence.need_file")
		h.renderIncident(w, r, u, id, http.StatusBadRequest, "evidence", fm)
		return
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, incident.MaxEvidenceSize+1))
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	if len(data) > incident.MaxEvidenceSize {
		fm.fieldError(lang, "file", "evidence.too_large", incident.MaxEvidenceSize>>20)
		h.renderIncident(w, r, u, id, http.StatusRequestEntityTooLarge, "evidence", fm)
		return
	}
	ev, err := incident.CheckEvidence(hdr.Filename, int64(len(data)), http.DetectContentType(data))
	if err == nil {
		ev.Note = fm.Get("note")
		_, err = h.Store.AddEvidence(r.Context(), actor(r, u), id, ev, data)
	}
	switch code := errs.CodeOf(err); {
	case err == nil:
		h.setFlash(w, "flash.incident_saved")
		redirect(w, r, incidentURL(id)+"#evidence")
	case code == errs.Invalid || code == errs.Conflict:
		fm.setError(lang, err, map[string]string{"file": "file", "name": "file", "": "file", "note": "note"})
		status := http.StatusBadRequest
		if code == errs.Conflict {
			status = http.StatusConflict
		}
		h.renderIncident(w, r, u, id, status, "evidence", fm)
	default:
		h.fail(w, r, u, err)
	}
}
