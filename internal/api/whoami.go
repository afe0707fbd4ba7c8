package api

import (
	"net/http"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/tlp"
)

// whoamiResponse describes the caller: who they are, what they may do and
// which organisations they see.
type whoamiResponse struct {
	User        *auth.User        `json:"user"`
	Role        auth.Role         `json:"role"`
	Orgs        []string          `json:"orgs"`     // short names of the organisations an agency user is bound to
	AllOrgs     bool              `json:"all_orgs"` // sees every organisation (within max_tlp)
	MaxTLP      tlp.Label         `json:"max_tlp,omitempty"`
	Permissions []auth.Permission `json:"permissions"`
}

func (a *API) whoami(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	sc := auth.ScopeFor(u)
	resp := whoamiResponse{User: u, Role: u.Role, Orgs: nonNil(u.OrgNames), AllOrgs: sc.AllOrgs, MaxTLP: sc.MaxTLP, Permissions: u.Role.Permissions()}
	a.writeJSON(w, r, http.StatusOK, resp)
	return nil
}
