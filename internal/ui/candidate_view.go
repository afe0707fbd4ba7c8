package ui

import (
	"fmt"
	"net/http"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/storage"
)

type candidateView struct {
	view
	Candidate *storage.Candidate
	// CanCheck says whether staff may run the active check from here:
	// only when the configuration enables it.
	CanCheck bool
}

// candidateViewPage (GET /brands/candidates/{id}) shows one look-alike: why
// it scored what it did, its incident, what the active check found.
func (h *handler) candidateViewPage(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.ReadBrands) {
		return
	}
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r, u)
		return
	}
	c, err := h.Store.GetCandidate(r.Context(), auth.ScopeFor(u), id)
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	v := candidateView{view: h.newView(w, r, u, "brands.candidate_title", "brands"), Candidate: c, CanCheck: h.ConfirmCandidate != nil}
	h.render(w, r, http.StatusOK, "candidate_view", &v)
}

// candidateIncident (POST /brands/candidates/{id}/incident) opens the
// look-alike's phishing incident, or goes to the one it has.
func (h *handler) candidateIncident(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.ManageBrands) || !h.require(w, r, u, auth.WriteIncidents) || !h.parseForm(w, r) {
		return
	}
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r, u)
		return
	}
	in, created, err := h.Store.OpenCandidateIncident(r.Context(), actor(r, u), h.rules(), id)
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	if created {
		h.setFlash(w, "flash.candidate_incident")
	} else {
		h.setFlash(w, "flash.candidate_incident_exists")
	}
	redirect(w, r, fmt.Sprintf("/incidents/%d", in.ID))
}

// candidateCheck (POST /brands/candidates/{id}/check) runs the active
// check now, when the configuration enables it.
func (h *handler) candidateCheck(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.ManageBrands) || !h.parseForm(w, r) {
		return
	}
	id, ok := pathID(r, "id")
	if !ok || h.ConfirmCandidate == nil {
		h.notFound(w, r, u)
		return
	}
	// Read in the user's scope first: the check itself runs as the system.
	if _, err := h.Store.GetCandidate(r.Context(), auth.ScopeFor(u), id); err != nil {
		h.fail(w, r, u, err)
		return
	}
	if err := h.ConfirmCandidate(r.Context(), id); err != nil {
		h.fail(w, r, u, err)
		return
	}
	h.setFlash(w, "flash.candidate_checked")
	redirect(w, r, fmt.Sprintf("/brands/candidates/%d", id))
}
