package api

import (
	"errors"
	"io"
	"net/http"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/server"
)

// addEvidence takes a file as the raw request body (any Content-Type:
// what counts is what the bytes are), named by ?name= and described by
// ?note=; 201 with its SHA-256 and sniffed type, 413 over the limit.
func (a *API) addEvidence(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	id, err := a.incidentID(r, u)
	if err != nil {
		return err
	}
	if r.ContentLength > incident.MaxEvidenceSize {
		return tooLarge(incident.MaxEvidenceSize)
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, incident.MaxEvidenceSize))
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return tooLarge(incident.MaxEvidenceSize)
	}
	if err != nil {
		return errs.E(errs.Invalid, "could not read the file: %v", err)
	}
	ev, err := incident.CheckEvidence(r.URL.Query().Get("name"), int64(len(data)), http.DetectContentType(data))
	if err != nil {
		return err
	}
	ev.Note = r.URL.Query().Get("note")
	ev, err = a.d.Store.AddEvidence(r.Context(), actor(r, u), id, ev, data)
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusCreated, ev)
	return nil
}

func (a *API) listEvidence(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	id, err := a.incidentID(r, u)
	if err != nil {
		return err
	}
	evs, err := a.d.Store.IncidentEvidence(r.Context(), auth.ScopeFor(u), id)
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusOK, list[incident.Evidence]{Items: nonNil(evs)})
	return nil
}

// getEvidence sends a file for download, never for display: a captured
// phishing page opened in our origin would run its scripts with the
// analyst's session. So it is always an attachment, of a type the browser
// will not render, in a sandbox; the custody log records the export.
func (a *API) getEvidence(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	id, err := a.incidentID(r, u)
	if err != nil {
		return err
	}
	evID, err := pathID(r, "ev")
	if err != nil {
		return err
	}
	ev, data, err := a.d.Store.OpenEvidence(r.Context(), actor(r, u), id, evID)
	if err != nil {
		return err
	}
	server.SendAttachment(w, ev.Name, ev.SHA256, ev.MediaType, data)
	return nil
}

func (a *API) evidenceCustody(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	id, err := a.incidentID(r, u)
	if err != nil {
		return err
	}
	evID, err := pathID(r, "ev")
	if err != nil {
		return err
	}
	c, err := a.d.Store.EvidenceCustody(r.Context(), auth.ScopeFor(u), id, evID)
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusOK, list[incident.CustodyEntry]{Items: c})
	return nil
}
