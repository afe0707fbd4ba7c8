package api

import (
	"net/http"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/incident"
)

type takedownIn struct {
	TargetKind string `json:"target_kind"`
	Provider   string `json:"provider"`
	Contact    string `json:"contact"`
	Subject    string `json:"subject"`
	Language   string `json:"language"`
	Body       string `json:"body"` // "" for the template's text
}

// createTakedown drafts a take-down request; 201 with its text.
func (a *API) createTakedown(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	id, err := a.incidentID(r, u)
	if err != nil {
		return err
	}
	in, err := decodeJSON[takedownIn](w, r)
	if err != nil {
		return err
	}
	t, err := a.d.Store.CreateTakedown(r.Context(), actor(r, u), a.rules(), id, incident.Takedown{TargetKind: incident.TargetKind(in.TargetKind),
		Provider: in.Provider, Contact: in.Contact, Subject: in.Subject, Language: in.Language, Body: in.Body})
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusCreated, t)
	return nil
}

type takedownMoveIn struct {
	Status string `json:"status"`
	Reason string `json:"reason"`
}

// transitionTakedown moves a request: sent, acknowledged, done, refused
// (with the provider's reason); 409 when the move is not allowed.
func (a *API) transitionTakedown(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in, err := decodeJSON[takedownMoveIn](w, r)
	if err != nil {
		return err
	}
	t, err := a.d.Store.MoveTakedown(r.Context(), actor(r, u), id, incident.TakedownStatus(in.Status), in.Reason)
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusOK, t)
	return nil
}
