package ui

import (
	"net/http"

	"github.com/qalxan/qalxan/internal/auth"
)

type userListView struct {
	view
	Users []*auth.User
}

// userList (GET /admin/users) lists every user; admins manage them,
// auditors only look.
func (h *handler) userList(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.ReadUsers) {
		return
	}
	users, err := h.Store.ListUsers(r.Context())
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	v := userListView{view: h.newView(w, r, u, "users.title", "users"), Users: users}
	h.render(w, r, http.StatusOK, "user_list", &v)
}
