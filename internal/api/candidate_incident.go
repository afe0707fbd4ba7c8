package api

import (
	"net/http"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/storage"
)

// getCandidate (GET /lookalike-candidates/{id}) is one look-alike with its
// reasons, its incident and what its active confirmation found.
func (a *API) getCandidate(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := a.d.Store.GetCandidate(r.Context(), auth.ScopeFor(u), id)
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusOK, c)
	return nil
}

// candidateIncident is the answer of POST /lookalike-candidates/{id}/incident.
type candidateIncident struct {
	Incident incident.Incident `json:"incident"`
	Created  bool              `json:"created"`
}

// openCandidateIncident (POST /lookalike-candidates/{id}/incident) opens
// the candidate's phishing incident: 201 with the new incident, or 200
// with the one it already has (one per registered domain).
func (a *API) openCandidateIncident(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in, created, err := a.d.Store.OpenCandidateIncident(r.Context(), actor(r, u), a.rules(), id)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	a.writeJSON(w, r, status, candidateIncident{Incident: in, Created: created})
	return nil
}

// listLookalikeSources (GET /lookalike-sources) is how far each
// observed-domain stream got: CERT-wide, for staff.
func (a *API) listLookalikeSources(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	items, err := a.d.Store.ListLookalikeSourceStates(r.Context())
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusOK, list[storage.SourceState]{Items: nonNil(items)})
	return nil
}
