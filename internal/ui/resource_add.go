package ui

import (
	"net/http"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
)

// resourceFields maps the domain's field names to the resource form's.
var resourceFields = map[string]string{
	"resources.kind": "kind", "resources.value": "value", "value": "value",
	"resources.criticality": "criticality", "resources.notes": "notes",
}

// resourceAdd (POST /orgs/{short}/resources) registers a resource. An
// empty kind is detected from the value.
func (h *handler) resourceAdd(w http.ResponseWriter, r *http.Request, u *auth.User) {
	o, ok := h.loadOrgToWrite(w, r, u)
	if !ok || !h.parseForm(w, r) {
		return
	}
	res := &constituency.Resource{
		Kind:        constituency.ResourceKind(r.PostFormValue("kind")),
		Value:       r.PostFormValue("value"),
		Criticality: constituency.Criticality(r.PostFormValue("criticality")),
		Notes:       r.PostFormValue("notes"),
	}
	if err := h.Store.AddResource(r.Context(), actor(r, u), o.ID, res); err != nil {
		if !isInputError(err) {
			h.fail(w, r, u, err)
			return
		}
		f := newForm(r.PostForm)
		f.setError(requestLanguage(r, u), err, resourceFields)
		h.renderOrg(w, r, u, o, http.StatusUnprocessableEntity, f, nil)
		return
	}
	h.registryChanged()
	h.setFlash(w, "flash.resource_added")
	redirect(w, r, orgURL(o.ShortName)+"#resources")
}
