package ui

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/tlp"
)

type orgEditView struct {
	view
	Form         *form
	Org          *constituency.Org // nil when creating
	Sectors      []constituency.Sector
	OrgLanguages []constituency.Language
	Labels       []tlp.Label
	Parents      []string // short names offered for the parent field
}

// orgFields maps the domain's field names to the form's.
var orgFields = map[string]string{
	"short_name": "short_name", "name": "name", "sector": "sector", "parent": "parent",
	"language": "language", "tlp": "tlp", "resources": "resources", "resources.": "resources", "value": "resources",
}

// orgNewForm (GET /orgs/-/new) shows an empty organisation form.
func (h *handler) orgNewForm(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.WriteOrgs) {
		return
	}
	f := newForm(url.Values{"language": {string(constituency.DefaultLanguage)}, "tlp": {string(tlp.Amber)}, "sector": {"government"}})
	h.renderOrgForm(w, r, u, nil, f, http.StatusOK)
}

// orgCreate (POST /orgs/-/new) creates an organisation, with the resources
// listed in the form, in one transaction.
func (h *handler) orgCreate(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.WriteOrgs) || !h.parseForm(w, r) {
		return
	}
	o := orgFromForm(r)
	for _, line := range strings.Split(r.PostFormValue("resources"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			o.Resources = append(o.Resources, constituency.Resource{Value: line})
		}
	}
	if err := h.Store.CreateOrg(r.Context(), actor(r, u), o); err != nil {
		h.formFailed(w, r, u, nil, err)
		return
	}
	h.registryChanged()
	h.setFlash(w, "flash.org_created")
	redirect(w, r, orgURL(o.ShortName))
}

// orgEditForm (GET /orgs/{short}/edit) shows the form filled from the organisation.
func (h *handler) orgEditForm(w http.ResponseWriter, r *http.Request, u *auth.User) {
	o, ok := h.loadOrgToWrite(w, r, u)
	if !ok {
		return
	}
	f := newForm(url.Values{
		"short_name": {o.ShortName}, "name": {o.Name}, "sector": {string(o.Sector)}, "parent": {o.Parent},
		"language": {string(o.Language)}, "tlp": {string(o.TLP)},
	})
	if o.CII {
		f.Values.Set("cii", "on")
	}
	h.renderOrgForm(w, r, u, o, f, http.StatusOK)
}

// orgUpdate (POST /orgs/{short}/edit) saves the organisation's own fields.
func (h *handler) orgUpdate(w http.ResponseWriter, r *http.Request, u *auth.User) {
	old, ok := h.loadOrgToWrite(w, r, u)
	if !ok || !h.parseForm(w, r) {
		return
	}
	o := orgFromForm(r)
	o.ID = old.ID
	if err := h.Store.UpdateOrg(r.Context(), actor(r, u), o); err != nil {
		h.formFailed(w, r, u, old, err)
		return
	}
	h.registryChanged()
	h.setFlash(w, "flash.org_saved")
	redirect(w, r, orgURL(o.ShortName))
}

func orgFromForm(r *http.Request) *constituency.Org {
	return &constituency.Org{
		ShortName: r.PostFormValue("short_name"),
		Name:      r.PostFormValue("name"),
		Sector:    constituency.Sector(r.PostFormValue("sector")),
		Parent:    r.PostFormValue("parent"),
		CII:       checked(r, "cii"),
		Language:  constituency.Language(r.PostFormValue("language")),
		TLP:       tlp.Label(r.PostFormValue("tlp")),
	}
}

// formFailed shows the form again with the user's input and the message
// next to the field, or the error page when the failure is not the input's.
func (h *handler) formFailed(w http.ResponseWriter, r *http.Request, u *auth.User, o *constituency.Org, err error) {
	if !isInputError(err) {
		h.fail(w, r, u, err)
		return
	}
	f := newForm(r.PostForm)
	f.setError(requestLanguage(r, u), err, orgFields)
	h.renderOrgForm(w, r, u, o, f, http.StatusUnprocessableEntity)
}

func (h *handler) renderOrgForm(w http.ResponseWriter, r *http.Request, u *auth.User, o *constituency.Org, f *form, status int) {
	title := "org.new_title"
	if o != nil {
		title = "org.edit_title"
	}
	v := orgEditView{
		view: h.newView(w, r, u, title, "orgs"), Form: f, Org: o,
		Sectors: constituency.Sectors, OrgLanguages: constituency.Languages, Labels: tlp.All,
	}
	parents, _, err := h.Store.ListOrgs(r.Context(), auth.ScopeFor(u), storage.OrgFilter{Limit: 1000})
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	for _, p := range parents {
		if o == nil || p.ID != o.ID {
			v.Parents = append(v.Parents, p.ShortName)
		}
	}
	h.render(w, r, status, "org_edit", &v)
}

// isInputError reports whether err is the user's to fix (shown next to the
// form) rather than ours (logged, shown as an error page).
func isInputError(err error) bool {
	c := errs.CodeOf(err)
	return c == errs.Invalid || c == errs.Conflict
}
