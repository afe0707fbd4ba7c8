package ui

import (
	"net/http"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
)

type orgView struct {
	view
	Org           *constituency.Org
	Contacts      []constituency.Contact
	ShowContacts  bool // the role may read contacts (personal data)
	ResourceForm  *form
	ContactForm   *form
	Kinds         []constituency.ResourceKind
	Criticalities []constituency.Criticality
	ContactRoles  []string
	OrgLanguages  []constituency.Language
}

// orgView (GET /orgs/{short}) shows one organisation with its resources and
// contacts, and the forms to change them when the user may.
func (h *handler) orgView(w http.ResponseWriter, r *http.Request, u *auth.User) {
	o, ok := h.loadOrg(w, r, u)
	if !ok {
		return
	}
	h.renderOrg(w, r, u, o, http.StatusOK, nil, nil)
}

// renderOrg shows the organisation page; after a failed add, the failing
// form comes back filled in with its messages.
func (h *handler) renderOrg(w http.ResponseWriter, r *http.Request, u *auth.User, o *constituency.Org, status int, resForm, contactForm *form) {
	v := orgView{
		view: h.newView(w, r, u, "org.title", "orgs"),
		Org:  o, ResourceForm: resForm, ContactForm: contactForm,
		Kinds: constituency.ResourceKinds, Criticalities: constituency.Criticalities,
		ContactRoles: constituency.ContactRoles, OrgLanguages: constituency.Languages,
	}
	v.Title = o.ShortName + " · " + o.Name
	if u.Role.Can(auth.ReadContacts) {
		cs, err := h.Store.ListContacts(r.Context(), auth.ScopeFor(u), actor(r, u), o.ID)
		if err != nil {
			h.fail(w, r, u, err)
			return
		}
		v.Contacts, v.ShowContacts = cs, true
	}
	if v.ResourceForm == nil {
		v.ResourceForm = newForm(nil)
	}
	if v.ContactForm == nil {
		v.ContactForm = newForm(nil)
	}
	h.render(w, r, status, "org_view", &v)
}
