package api

import (
	"net/http"
	"strconv"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/lookalike"
	"github.com/qalxan/qalxan/internal/storage"
)

// brandInput is the body of POST /brands and PATCH /brands/{id}: the
// organisation by id or short name, the official domains, the keywords.
type brandInput struct {
	Org      string   `json:"org"`
	Name     string   `json:"name"`
	Domains  []string `json:"domains"`
	Keywords []string `json:"keywords"`
}

// brandFromInput resolves the organisation in the caller's scope, so a
// brand cannot be attached to an organisation the caller cannot see.
func (a *API) brandFromInput(r *http.Request, u *auth.User, in brandInput) (storage.Brand, error) {
	sc := auth.ScopeFor(u)
	var orgID int64
	if id, err := strconv.ParseInt(in.Org, 10, 64); err == nil && id > 0 {
		if o, err := a.d.Store.GetOrg(r.Context(), sc, id); err == nil {
			orgID = o.ID
		}
	}
	if orgID == 0 {
		o, err := a.d.Store.GetOrgByShortName(r.Context(), sc, in.Org)
		if err != nil {
			return storage.Brand{}, errs.Field("org", "no organisation %q", in.Org)
		}
		orgID = o.ID
	}
	return storage.Brand{Brand: lookalike.Brand{Name: in.Name, Domains: in.Domains, Keywords: in.Keywords}, OrgID: orgID}, nil
}

func (a *API) listBrands(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	items, err := a.d.Store.ListBrands(r.Context(), auth.ScopeFor(u))
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusOK, page[storage.Brand]{Items: nonNil(items)})
	return nil
}

func (a *API) getBrand(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	b, err := a.d.Store.GetBrand(r.Context(), auth.ScopeFor(u), id)
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusOK, b)
	return nil
}

func (a *API) createBrand(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	in, err := decodeJSON[brandInput](w, r)
	if err != nil {
		return err
	}
	b, err := a.brandFromInput(r, u, in)
	if err != nil {
		return err
	}
	if err := a.d.Store.CreateBrand(r.Context(), actor(r, u), &b); err != nil {
		return err
	}
	return a.writeBrand(w, r, u, http.StatusCreated, b.ID)
}

func (a *API) updateBrand(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	cur, err := a.d.Store.GetBrand(r.Context(), auth.ScopeFor(u), id)
	if err != nil {
		return err
	}
	in, err := decodeJSON[brandPatch](w, r)
	if err != nil {
		return err
	}
	full := brandInput{Org: strconv.FormatInt(cur.OrgID, 10), Name: cur.Name, Domains: cur.Domains, Keywords: cur.Keywords}
	if in.Org != nil {
		full.Org = *in.Org
	}
	if in.Name != nil {
		full.Name = *in.Name
	}
	if in.Domains != nil {
		full.Domains = *in.Domains
	}
	if in.Keywords != nil {
		full.Keywords = *in.Keywords
	}
	b, err := a.brandFromInput(r, u, full)
	if err != nil {
		return err
	}
	b.ID = id
	if err := a.d.Store.UpdateBrand(r.Context(), actor(r, u), &b); err != nil {
		return err
	}
	return a.writeBrand(w, r, u, http.StatusOK, id)
}

// brandPatch is the body of PATCH /brands/{id}: absent fields stay.
type brandPatch struct {
	Org      *string   `json:"org"`
	Name     *string   `json:"name"`
	Domains  *[]string `json:"domains"`
	Keywords *[]string `json:"keywords"`
}

func (a *API) deleteBrand(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.d.Store.DeleteBrand(r.Context(), actor(r, u), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) writeBrand(w http.ResponseWriter, r *http.Request, u *auth.User, status int, id int64) error {
	b, err := a.d.Store.GetBrand(r.Context(), auth.ScopeFor(u), id)
	if err != nil {
		return err
	}
	a.writeJSON(w, r, status, b)
	return nil
}

func (a *API) listCandidates(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	q := r.URL.Query()
	limit, err := queryInt(q, "limit", 100, 1, 1000)
	if err != nil {
		return err
	}
	f := storage.CandidateFilter{Limit: limit}
	if s := q.Get("status"); s != "" {
		if f.Status, err = lookalike.ParseStatus(s); err != nil {
			return err
		}
	}
	for name, dst := range map[string]*int64{"brand": &f.BrandID, "after": &f.After} {
		if s := q.Get(name); s != "" {
			v, err := strconv.ParseInt(s, 10, 64)
			if err != nil || v <= 0 {
				return errs.Field(name, "want a positive id, got %q", s)
			}
			*dst = v
		}
	}
	items, next, err := a.d.Store.ListCandidates(r.Context(), auth.ScopeFor(u), f)
	if err != nil {
		return err
	}
	cursor := ""
	if next != 0 {
		cursor = strconv.FormatInt(next, 10)
	}
	a.writeJSON(w, r, http.StatusOK, page[storage.Candidate]{Items: nonNil(items), Next: cursor})
	return nil
}

func (a *API) setCandidateStatus(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in, err := decodeJSON[struct {
		Status string `json:"status"`
	}](w, r)
	if err != nil {
		return err
	}
	st, err := lookalike.ParseStatus(in.Status)
	if err != nil {
		return err
	}
	if err := a.d.Store.SetCandidateStatus(r.Context(), actor(r, u), id, st); err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusOK, map[string]any{"id": id, "status": st})
	return nil
}
