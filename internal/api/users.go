package api

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
)

// userInput is the body of POST /users. Password is optional: a partner
// system may use only API tokens, and a person may get one set later.
type userInput struct {
	Name        string    `json:"name"`
	DisplayName string    `json:"display_name"`
	Email       string    `json:"email"`
	Role        auth.Role `json:"role"`
	Orgs        []string  `json:"orgs"` // short names; agency users only
	Language    string    `json:"language"`
	Disabled    bool      `json:"disabled"`
	Password    string    `json:"password"`
}

// userPatch is the body of PATCH /users/{id}. The login name does not
// change: the audit log refers to users by it.
type userPatch struct {
	Role        *auth.Role `json:"role"`
	Orgs        *[]string  `json:"orgs"`
	Disabled    *bool      `json:"disabled"`
	DisplayName *string    `json:"display_name"`
	Email       *string    `json:"email"`
	Language    *string    `json:"language"`
}

// userError names the organisations field as the API calls it ("orgs");
// auth and storage call it "org".
func userError(err error) error { return renameField(err, "org", "orgs") }

type passwordInput struct {
	Password string `json:"password"`
}

// orgNames normalises short names the way organisations store them.
func orgNames(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strings.ToLower(strings.TrimSpace(n))
	}
	return out
}

// hashPassword checks the policy before paying for the hash.
func hashPassword(pw string) (string, error) {
	if err := auth.CheckPasswordPolicy(pw); err != nil {
		return "", err
	}
	return auth.HashPassword(pw)
}

func (a *API) listUsers(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	users, err := a.d.Store.ListUsers(r.Context())
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusOK, list[*auth.User]{Items: nonNil(users)})
	return nil
}

func (a *API) createUser(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	in, err := decodeJSON[userInput](w, r)
	if err != nil {
		return err
	}
	nu := &auth.User{Name: in.Name, DisplayName: in.DisplayName, Email: in.Email, Role: in.Role,
		OrgNames: orgNames(in.Orgs), Language: in.Language, Disabled: in.Disabled}
	if in.Password != "" {
		if nu.PasswordHash, err = hashPassword(in.Password); err != nil {
			return err
		}
	}
	if err := a.d.Store.CreateUser(r.Context(), actor(r, u), nu); err != nil {
		return userError(err)
	}
	w.Header().Set("Location", fmt.Sprintf("%s/users/%d", Prefix, nu.ID))
	a.writeJSON(w, r, http.StatusCreated, nu)
	return nil
}

func (a *API) userFor(r *http.Request) (*auth.User, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return a.d.Store.GetUser(r.Context(), id)
}

func (a *API) getUser(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	target, err := a.userFor(r)
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusOK, target)
	return nil
}

func (a *API) updateUser(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	p, err := decodeJSON[userPatch](w, r)
	if err != nil {
		return err
	}
	target, err := a.userFor(r)
	if err != nil {
		return err
	}
	if p.Role != nil {
		role, err := auth.ParseRole(string(*p.Role))
		if err != nil {
			return err
		}
		target.Role = role
	}
	// Only agency users belong to organisations. A new list replaces the
	// old one; a role change away from agency drops the binding, which
	// would otherwise make the change fail validation.
	switch {
	case p.Orgs != nil:
		target.OrgNames, target.OrgIDs = orgNames(*p.Orgs), nil
	case !target.Role.BoundToOrgs():
		target.OrgNames, target.OrgIDs = nil, nil
	}
	patch(&target.Disabled, p.Disabled)
	patch(&target.DisplayName, p.DisplayName)
	patch(&target.Email, p.Email)
	patch(&target.Language, p.Language)
	// An administrator who demotes or disables themselves may leave nobody
	// able to manage users; another administrator must do it.
	if target.ID == u.ID && (target.Disabled || !target.Role.Can(auth.ManageUsers)) {
		return errs.E(errs.Conflict, "you cannot disable yourself or take away your own right to manage users; ask another administrator")
	}
	if err := a.d.Store.UpdateUser(r.Context(), actor(r, u), target); err != nil {
		return userError(err)
	}
	a.writeJSON(w, r, http.StatusOK, target)
	return nil
}

func (a *API) setPassword(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	in, err := decodeJSON[passwordInput](w, r)
	if err != nil {
		return err
	}
	target, err := a.userFor(r)
	if err != nil {
		return err
	}
	hash, err := hashPassword(in.Password)
	if err != nil {
		return err
	}
	if err := a.d.Store.SetPassword(r.Context(), actor(r, u), target.ID, hash); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
