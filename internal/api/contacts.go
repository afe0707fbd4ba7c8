package api

import (
	"fmt"
	"net/http"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
)

// Contacts are personal data. Every read goes through Store.ListContacts
// or Store.GetContact, which record it in the audit log.

// contactInput is a contact as a client creates it; the language defaults
// to the organisation's.
type contactInput struct {
	Email    string                `json:"email"`
	Name     string                `json:"name"`
	Role     string                `json:"role"`
	Language constituency.Language `json:"language"`
	PGPKey   string                `json:"pgp_key"`
}

func (in contactInput) contact() constituency.Contact {
	return constituency.Contact{Email: in.Email, Name: in.Name, Role: in.Role, Language: in.Language, PGPKey: in.PGPKey}
}

// contactPatch is the body of PATCH /contacts/{id}.
type contactPatch struct {
	Email    *string                `json:"email"`
	Name     *string                `json:"name"`
	Role     *string                `json:"role"`
	Language *constituency.Language `json:"language"`
	PGPKey   *string                `json:"pgp_key"`
}

// contactError names the field as this contact's own ("email").
func contactError(err error) error { return renameField(err, "contacts.", "") }

func (a *API) listContacts(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	o, err := a.orgFor(r, u)
	if err != nil {
		return err
	}
	cs, err := a.d.Store.ListContacts(r.Context(), auth.ScopeFor(u), actor(r, u), o.ID)
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusOK, list[constituency.Contact]{Items: nonNil(cs)})
	return nil
}

func (a *API) createContact(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	in, err := decodeJSON[contactInput](w, r)
	if err != nil {
		return err
	}
	o, err := a.orgFor(r, u)
	if err != nil {
		return err
	}
	c := in.contact()
	if err := a.d.Store.AddContact(r.Context(), actor(r, u), o.ID, &c); err != nil {
		return contactError(err)
	}
	w.Header().Set("Location", fmt.Sprintf("%s/contacts/%d", Prefix, c.ID))
	a.writeJSON(w, r, http.StatusCreated, c)
	return nil
}

// contactFor finds the contact named by the {id} path value within the
// caller's scope (recording the read).
func (a *API) contactFor(r *http.Request, u *auth.User) (*constituency.Contact, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return a.d.Store.GetContact(r.Context(), auth.ScopeFor(u), actor(r, u), id)
}

func (a *API) getContact(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	c, err := a.contactFor(r, u)
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusOK, c)
	return nil
}

func (a *API) updateContact(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	p, err := decodeJSON[contactPatch](w, r)
	if err != nil {
		return err
	}
	c, err := a.contactFor(r, u)
	if err != nil {
		return err
	}
	patch(&c.Email, p.Email)
	patch(&c.Name, p.Name)
	patch(&c.Role, p.Role)
	patch(&c.Language, p.Language)
	patch(&c.PGPKey, p.PGPKey)
	if err := a.d.Store.UpdateContact(r.Context(), actor(r, u), c); err != nil {
		return contactError(err)
	}
	a.writeJSON(w, r, http.StatusOK, c)
	return nil
}

func (a *API) deleteContact(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	c, err := a.contactFor(r, u)
	if err != nil {
		return err
	}
	if err := a.d.Store.DeleteContact(r.Context(), actor(r, u), c.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
