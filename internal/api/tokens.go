package api

import (
	"fmt"
	"net/http"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
)

// Token lifetimes in days: a default that forces a yearly-ish rotation and
// the store's maximum.
const (
	defaultTokenDays = 90
	maxTokenDays     = 366
)

type tokenInput struct {
	Name          string `json:"name"`
	ExpiresInDays *int   `json:"expires_in_days"`
}

// newToken is the answer to POST /tokens: the token's record and, this
// once, its secret.
type newToken struct {
	*auth.Token
	Secret string `json:"secret"`
}

func (a *API) listTokens(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	all, err := queryBool(r.URL.Query(), "all")
	if err != nil {
		return err
	}
	owner := u.ID
	if all != nil && *all {
		if !u.Role.Can(auth.ManageUsers) {
			return errs.E(errs.Forbidden, "only administrators may list everyone's tokens")
		}
		owner = 0
	}
	ts, err := a.d.Store.ListTokens(r.Context(), owner)
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusOK, list[*auth.Token]{Items: nonNil(ts)})
	return nil
}

func (a *API) createToken(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	in, err := decodeJSON[tokenInput](w, r)
	if err != nil {
		return err
	}
	days := defaultTokenDays
	patch(&days, in.ExpiresInDays)
	if days < 1 || days > maxTokenDays {
		return errs.Field("expires_in_days", "must be from 1 to %d, got %d", maxTokenDays, days)
	}
	secret, t, err := a.d.Store.CreateToken(r.Context(), actor(r, u), u.ID, in.Name, time.Duration(days)*24*time.Hour)
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("%s/tokens/%d", Prefix, t.ID))
	a.writeJSON(w, r, http.StatusCreated, newToken{Token: t, Secret: secret})
	return nil
}

// revokeToken revokes one of the caller's tokens; administrators may
// revoke anyone's. Someone else's token is "not found" to everybody else,
// so token ids reveal nothing about other users.
func (a *API) revokeToken(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	t, err := a.d.Store.GetToken(r.Context(), id)
	if err != nil {
		return err
	}
	if t.UserID != u.ID && !u.Role.Can(auth.ManageUsers) {
		return errs.E(errs.NotFound, "token %d not found", id)
	}
	if err := a.d.Store.RevokeToken(r.Context(), actor(r, u), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
