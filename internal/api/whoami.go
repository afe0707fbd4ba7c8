package api

import (
	"net/http"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/tlp"
)

// permissions lists every permission, so whoami can tell a client what it
// may do without the client knowing the role table.
var permissions = []auth.Permission{
	auth.ReadOrgs, auth.WriteOrgs, auth.ReadContacts, auth.ImportOrgs, auth.ReadUsers,
	auth.ManageUsers, auth.ReadAudit, auth.ManageOwnToken, auth.ReadDashboard,
}

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
	resp := whoamiResponse{User: u, Role: u.Role, Orgs: nonNil(u.OrgNames), AllOrgs: sc.AllOrgs, MaxTLP: sc.MaxTLP, Permissions: []auth.Permission{}}
	for _, p := range permissions {
		if u.Role.Can(p) {
			resp.Permissions = append(resp.Permissions, p)
		}
	}
	a.writeJSON(w, r, http.StatusOK, resp)
	return nil
}
