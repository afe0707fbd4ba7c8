package ui

import (
	"net/http"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
)

// contactFields maps the domain's field names to the contact form's.
var contactFields = map[string]string{
	"contacts.email": "email", "email": "email", "contacts.role": "role",
	"contacts.language": "language", "contacts.pgp_key": "pgp_key",
}

// contactAdd (POST /orgs/{short}/contacts) adds a contact; an empty
// language means the organisation's.
func (h *handler) contactAdd(w http.ResponseWriter, r *http.Request, u *auth.User) {
	o, ok := h.loadOrgToWrite(w, r, u)
	if !ok || !h.parseForm(w, r) {
		return
	}
	c := &constituency.Contact{
		Email:    r.PostFormValue("email"),
		Name:     r.PostFormValue("name"),
		Role:     r.PostFormValue("role"),
		Language: constituency.Language(r.PostFormValue("language")),
		PGPKey:   r.PostFormValue("pgp_key"),
	}
	if err := h.Store.AddContact(r.Context(), actor(r, u), o.ID, c); err != nil {
		if !isInputError(err) {
			h.fail(w, r, u, err)
			return
		}
		f := newForm(r.PostForm)
		f.setError(requestLanguage(r, u), err, contactFields)
		h.renderOrg(w, r, u, o, http.StatusUnprocessableEntity, nil, f)
		return
	}
	h.setFlash(w, "flash.contact_added")
	redirect(w, r, orgURL(o.ShortName)+"#contacts")
}
