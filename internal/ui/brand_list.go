package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/lookalike"
	"github.com/qalxan/qalxan/internal/storage"
)

const candidatePageSize = 100

// candidateStatusFilters are the filter's choices, what to triage first.
var candidateStatusFilters = []string{"new", "confirmed", "dismissed", "all"}

type brandListView struct {
	view
	Brands     []storage.Brand
	Candidates []storage.Candidate
	Status     string
	Statuses   []string
	NextURL    string
	Form       *form
	// Sources are the observed-domain streams serve follows (staff only).
	Sources []storage.SourceState
}

// brandList (GET /brands) shows the protected brands and the look-alike
// domains found for them, with the triage buttons for staff. An agency
// sees its own organisation's.
func (h *handler) brandList(w http.ResponseWriter, r *http.Request, u *auth.User) {
	h.renderBrands(w, r, u, http.StatusOK, nil)
}

func (h *handler) renderBrands(w http.ResponseWriter, r *http.Request, u *auth.User, status int, fm *form) {
	if !h.require(w, r, u, auth.ReadBrands) {
		return
	}
	sc := auth.ScopeFor(u)
	bs, err := h.Store.ListBrands(r.Context(), sc)
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	q := r.URL.Query()
	st := q.Get("status")
	f := storage.CandidateFilter{Limit: candidatePageSize}
	switch st {
	case "confirmed", "dismissed":
		f.Status = lookalike.Status(st)
	case "all":
	default:
		st, f.Status = "new", lookalike.New
	}
	f.After, _ = strconv.ParseInt(q.Get("after"), 10, 64)
	cs, next, err := h.Store.ListCandidates(r.Context(), sc, f)
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	if fm == nil {
		fm = newForm(nil)
	}
	v := brandListView{view: h.newView(w, r, u, "brands.title", "brands"), Brands: bs, Candidates: cs, Status: st, Statuses: candidateStatusFilters, Form: fm}
	if u.Role.Can(auth.ManageBrands) {
		if v.Sources, err = h.Store.ListLookalikeSourceStates(r.Context()); err != nil {
			h.fail(w, r, u, err)
			return
		}
	}
	if next != 0 {
		v.NextURL = "/brands?" + url.Values{"status": {st}, "after": {strconv.FormatInt(next, 10)}}.Encode()
	}
	h.render(w, r, status, "brand_list", &v)
}

// brandCreate (POST /brands) protects a brand of an organisation: its
// official domains and keywords, separated by spaces or commas.
func (h *handler) brandCreate(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.ManageBrands) || !h.parseForm(w, r) {
		return
	}
	lang := requestLanguage(r, u)
	fm := newForm(r.PostForm)
	words := func(name string) []string {
		return strings.FieldsFunc(r.PostFormValue(name), func(c rune) bool { return c == ' ' || c == ',' || c == '\n' || c == '\r' || c == '\t' })
	}
	o, err := h.Store.GetOrgByShortName(r.Context(), auth.ScopeFor(u), strings.TrimSpace(r.PostFormValue("org")))
	if err != nil {
		fm.fieldError(lang, "org", "brands.bad_org")
		h.renderBrands(w, r, u, http.StatusBadRequest, fm)
		return
	}
	b := storage.Brand{Brand: lookalike.Brand{Name: strings.TrimSpace(r.PostFormValue("name")), Domains: words("domains"), Keywords: words("keywords")}, OrgID: o.ID}
	err = h.Store.CreateBrand(r.Context(), actor(r, u), &b)
	switch {
	case err == nil:
		h.setFlash(w, "flash.brand_created")
		redirect(w, r, "/brands")
	case errs.CodeOf(err) == errs.Invalid:
		fm.setError(lang, err, map[string]string{"domains": "domains", "keywords": "keywords", "org_id": "org"})
		h.renderBrands(w, r, u, http.StatusBadRequest, fm)
	default:
		h.fail(w, r, u, err)
	}
}

// candidateFlash is the notice after each triage move.
var candidateFlash = map[lookalike.Status]string{
	lookalike.Confirmed: "flash.candidate_confirmed",
	lookalike.Dismissed: "flash.candidate_dismissed",
	lookalike.New:       "flash.candidate_new",
}

// candidateTriage (POST /brands/candidates/{id}/{status}) confirms,
// dismisses or reopens a look-alike.
func (h *handler) candidateTriage(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.ManageBrands) || !h.parseForm(w, r) {
		return
	}
	id, ok := pathID(r, "id")
	st, err := lookalike.ParseStatus(r.PathValue("status"))
	if !ok || err != nil {
		h.notFound(w, r, u)
		return
	}
	if err := h.Store.SetCandidateStatus(r.Context(), actor(r, u), id, st); err != nil {
		h.fail(w, r, u, err)
		return
	}
	h.setFlash(w, candidateFlash[st])
	back := "/brands"
	if s := r.PostFormValue("back"); s != "" {
		back += "?" + url.Values{"status": {s}}.Encode()
	}
	redirect(w, r, back)
}
