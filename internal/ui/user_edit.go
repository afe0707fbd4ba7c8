package ui

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/i18n"
)

type userEditView struct {
	view
	Form         *form
	PasswordForm *form
	Target       *auth.User // the user being edited; nil when creating
	Roles        []auth.Role
	MinPassword  int
}

// userFields maps the domain's field names to the user form's.
var userFields = map[string]string{
	"name": "name", "role": "role", "org": "orgs", "language": "language", "password": "password",
}

// userNewForm (GET /admin/users/new) shows an empty user form.
func (h *handler) userNewForm(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.ManageUsers) {
		return
	}
	h.renderUserForm(w, r, u, nil, newForm(url.Values{"role": {string(auth.Analyst)}, "language": {i18n.Default}}), nil, http.StatusOK)
}

// userCreate (POST /admin/users/new) creates a user with a first password.
func (h *handler) userCreate(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.ManageUsers) || !h.parseForm(w, r) {
		return
	}
	f := newForm(r.PostForm)
	nu := userFromForm(r, &auth.User{Name: r.PostFormValue("name")})
	// Validate everything before hashing: the hash is deliberately slow.
	if err := nu.Normalize(); err != nil {
		f.setError(requestLanguage(r, u), err, userFields)
	}
	checkNewPassword(f, requestLanguage(r, u))
	if !f.Failed() {
		hash, err := auth.HashPassword(r.PostFormValue("password"))
		if err != nil {
			h.fail(w, r, u, err)
			return
		}
		nu.PasswordHash = hash
		if err := h.Store.CreateUser(r.Context(), actor(r, u), nu); err != nil {
			if !isInputError(err) {
				h.fail(w, r, u, err)
				return
			}
			f.setError(requestLanguage(r, u), err, userFields)
		}
	}
	if f.Failed() {
		f.Values.Del("password")
		f.Values.Del("password2")
		h.renderUserForm(w, r, u, nil, f, nil, http.StatusUnprocessableEntity)
		return
	}
	h.setFlash(w, "flash.user_created")
	redirect(w, r, "/admin/users")
}

// userEditForm (GET /admin/users/{id}) shows a user; admins may change
// them, auditors see the same page read-only.
func (h *handler) userEditForm(w http.ResponseWriter, r *http.Request, u *auth.User) {
	target, ok := h.loadUser(w, r, u, auth.ReadUsers)
	if !ok {
		return
	}
	h.renderUserForm(w, r, u, target, userFormOf(target), nil, http.StatusOK)
}

// userFormOf is the edit form filled from a stored user.
func userFormOf(target *auth.User) *form {
	f := newForm(url.Values{
		"display_name": {target.DisplayName}, "email": {target.Email}, "role": {string(target.Role)},
		"orgs": {strings.Join(target.OrgNames, ", ")}, "language": {target.Language},
	})
	if target.Disabled {
		f.Values.Set("disabled", "on")
	}
	return f
}

// userUpdate (POST /admin/users/{id}) saves a user's profile, role,
// organisations and disabled flag.
func (h *handler) userUpdate(w http.ResponseWriter, r *http.Request, u *auth.User) {
	target, ok := h.loadUser(w, r, u, auth.ManageUsers)
	if !ok || !h.parseForm(w, r) {
		return
	}
	f := newForm(r.PostForm)
	nu := userFromForm(r, target)
	// An admin who demotes or disables themselves may leave nobody able to
	// manage users; another admin has to do that.
	if target.ID == u.ID && (nu.Role != u.Role || nu.Disabled) {
		f.fieldError(requestLanguage(r, u), "role", "users.err_self")
	} else if err := h.Store.UpdateUser(r.Context(), actor(r, u), nu); err != nil {
		if !isInputError(err) {
			h.fail(w, r, u, err)
			return
		}
		f.setError(requestLanguage(r, u), err, userFields)
	}
	if f.Failed() {
		h.renderUserForm(w, r, u, target, f, nil, http.StatusUnprocessableEntity)
		return
	}
	h.setFlash(w, "flash.user_saved")
	redirect(w, r, "/admin/users")
}

// userFromForm applies the form to a copy of base. Organisations are read
// only for agency users; for other roles the field is ignored rather than
// refused, since they see every organisation anyway.
func userFromForm(r *http.Request, base *auth.User) *auth.User {
	u := *base
	u.DisplayName = r.PostFormValue("display_name")
	u.Email = r.PostFormValue("email")
	u.Role = auth.Role(r.PostFormValue("role"))
	u.Language = r.PostFormValue("language")
	u.Disabled = checked(r, "disabled")
	u.OrgIDs, u.OrgNames = nil, nil
	if u.Role == auth.Agency {
		u.OrgNames = strings.FieldsFunc(strings.ToLower(r.PostFormValue("orgs")), func(c rune) bool {
			return c == ',' || c == ' ' || c == ';' || c == '\n' || c == '\r' || c == '\t'
		})
	}
	return &u
}

// loadUser reads the user in the path after checking the permission.
func (h *handler) loadUser(w http.ResponseWriter, r *http.Request, u *auth.User, p auth.Permission) (*auth.User, bool) {
	if !h.require(w, r, u, p) {
		return nil, false
	}
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r, u)
		return nil, false
	}
	target, err := h.Store.GetUser(r.Context(), id)
	if err != nil {
		h.fail(w, r, u, err)
		return nil, false
	}
	return target, true
}

func (h *handler) renderUserForm(w http.ResponseWriter, r *http.Request, u, target *auth.User, f, pf *form, status int) {
	title := "users.new_title"
	if target != nil {
		title = "users.edit_title"
	}
	if pf == nil {
		pf = newForm(nil)
	}
	v := userEditView{
		view: h.newView(w, r, u, title, "users"), Form: f, PasswordForm: pf, Target: target,
		Roles: auth.Roles, MinPassword: auth.MinPasswordLen,
	}
	if target != nil {
		v.Title = i18n.T(v.Lang, title, target.Name)
	}
	h.render(w, r, status, "user_edit", &v)
}
