package ui

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/lookalike"
	"github.com/qalxan/qalxan/internal/storage"
)

type brandEditView struct {
	view
	Brand *storage.Brand
	Form  *form
}

// brandWords splits a form field of domains or keywords, separated by
// spaces, commas or new lines.
func brandWords(r *http.Request, name string) []string {
	return strings.FieldsFunc(r.PostFormValue(name), func(c rune) bool { return c == ' ' || c == ',' || c == '\n' || c == '\r' || c == '\t' })
}

// brandEditForm (GET /brands/{id}) is the form that changes a brand, with
// the button that deletes it. Staff only.
func (h *handler) brandEditForm(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.ManageBrands) {
		return
	}
	b, ok := h.brandOf(w, r, u)
	if !ok {
		return
	}
	fm := newForm(url.Values{"org": {b.Org}, "name": {b.Name}, "domains": {strings.Join(b.Domains, " ")}, "keywords": {strings.Join(b.Keywords, " ")}})
	h.renderBrandEdit(w, r, u, http.StatusOK, b, fm)
}

func (h *handler) renderBrandEdit(w http.ResponseWriter, r *http.Request, u *auth.User, status int, b *storage.Brand, fm *form) {
	v := brandEditView{view: h.newView(w, r, u, "brands.edit_title", "brands"), Brand: b, Form: fm}
	h.render(w, r, status, "brand_edit", &v)
}

// brandOf reads the brand of the path in the user's scope, or answers 404.
func (h *handler) brandOf(w http.ResponseWriter, r *http.Request, u *auth.User) (*storage.Brand, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r, u)
		return nil, false
	}
	b, err := h.Store.GetBrand(r.Context(), auth.ScopeFor(u), id)
	if err != nil {
		h.fail(w, r, u, err)
		return nil, false
	}
	return b, true
}

// brandUpdate (POST /brands/{id}) saves the form; the candidates follow
// the brand to its organisation.
func (h *handler) brandUpdate(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.ManageBrands) || !h.parseForm(w, r) {
		return
	}
	b, ok := h.brandOf(w, r, u)
	if !ok {
		return
	}
	lang := requestLanguage(r, u)
	fm := newForm(r.PostForm)
	o, err := h.Store.GetOrgByShortName(r.Context(), auth.ScopeFor(u), strings.TrimSpace(r.PostFormValue("org")))
	if err != nil {
		fm.fieldError(lang, "org", "brands.bad_org")
		h.renderBrandEdit(w, r, u, http.StatusBadRequest, b, fm)
		return
	}
	nb := storage.Brand{Brand: lookalike.Brand{ID: b.ID, Name: strings.TrimSpace(r.PostFormValue("name")), Domains: brandWords(r, "domains"), Keywords: brandWords(r, "keywords")}, OrgID: o.ID}
	err = h.Store.UpdateBrand(r.Context(), actor(r, u), &nb)
	switch {
	case err == nil:
		h.setFlash(w, "flash.brand_updated")
		redirect(w, r, "/brands")
	case errs.CodeOf(err) == errs.Invalid:
		fm.setError(lang, err, map[string]string{"domains": "domains", "keywords": "keywords", "org_id": "org"})
		h.renderBrandEdit(w, r, u, http.StatusBadRequest, b, fm)
	default:
		h.fail(w, r, u, err)
	}
}

// brandDelete (POST /brands/{id}/delete) stops protecting a brand; its
// candidates go with it (their incidents stay).
func (h *handler) brandDelete(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.ManageBrands) || !h.parseForm(w, r) {
		return
	}
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r, u)
		return
	}
	if err := h.Store.DeleteBrand(r.Context(), actor(r, u), id); err != nil {
		h.fail(w, r, u, err)
		return
	}
	h.setFlash(w, "flash.brand_deleted")
	redirect(w, r, "/brands")
}
