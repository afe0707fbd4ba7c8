package api

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/tlp"
)

// orgInput is the body of POST /orgs. It lists only what a client may set:
// ids and timestamps belong to the server, and sending them is an error
// (unknown field) rather than silently ignored.
type orgInput struct {
	ShortName string                `json:"short_name"`
	Name      string                `json:"name"`
	Sector    constituency.Sector   `json:"sector"`
	Parent    string                `json:"parent"`
	CII       bool                  `json:"cii"`
	Language  constituency.Language `json:"language"`
	TLP       tlp.Label             `json:"tlp"`
	Resources []resourceInput       `json:"resources"`
	Contacts  []contactInput        `json:"contacts"`
}

// orgPatch is the body of PATCH /orgs/{org}: absent fields stay as they
// are. Resources and contacts have their own routes.
type orgPatch struct {
	ShortName *string                `json:"short_name"`
	Name      *string                `json:"name"`
	Sector    *constituency.Sector   `json:"sector"`
	Parent    *string                `json:"parent"`
	CII       *bool                  `json:"cii"`
	Language  *constituency.Language `json:"language"`
	TLP       *tlp.Label             `json:"tlp"`
}

// orgFor finds the organisation named by the {org} path value, by id or
// short name, within the caller's scope. A short name may be all digits
// ("112"), so a number that is no visible id is tried as a name too.
func (a *API) orgFor(r *http.Request, u *auth.User) (*constituency.Org, error) {
	key, sc := r.PathValue("org"), auth.ScopeFor(u)
	if id, err := strconv.ParseInt(key, 10, 64); err == nil && id > 0 {
		o, err := a.d.Store.GetOrg(r.Context(), sc, id)
		if !errs.Is(err, errs.NotFound) {
			return o, err
		}
	}
	return a.d.Store.GetOrgByShortName(r.Context(), sc, key)
}

func (a *API) listOrgs(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	q := r.URL.Query()
	limit, err := queryInt(q, "limit", 50, 1, 1000)
	if err != nil {
		return err
	}
	cii, err := queryBool(q, "cii")
	if err != nil {
		return err
	}
	f := storage.OrgFilter{Query: q.Get("q"), CII: cii, After: q.Get("after"), Limit: limit}
	if s := q.Get("sector"); s != "" {
		sector, err := constituency.ParseSector(s)
		if err != nil {
			return err
		}
		f.Sector = string(sector)
	}
	items, next, err := a.d.Store.ListOrgs(r.Context(), auth.ScopeFor(u), f)
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusOK, page[storage.OrgSummary]{Items: nonNil(items), Next: next})
	return nil
}

func (a *API) createOrg(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	in, err := decodeJSON[orgInput](w, r)
	if err != nil {
		return err
	}
	o := &constituency.Org{ShortName: in.ShortName, Name: in.Name, Sector: in.Sector, Parent: in.Parent,
		CII: in.CII, Language: in.Language, TLP: in.TLP}
	if err := o.Normalize(); err != nil {
		return err
	}
	// Check each entry on its own first: the store would report only
	// "resources.value", and in a list of fifty the client needs to know which.
	for i, in := range in.Resources {
		res := in.resource()
		if err := res.Normalize(); err != nil {
			return renameField(err, "resources.", fmt.Sprintf("resources[%d].", i))
		}
		o.Resources = append(o.Resources, res)
	}
	for i, in := range in.Contacts {
		c := in.contact()
		if err := c.Normalize(o.Language); err != nil {
			return renameField(err, "contacts.", fmt.Sprintf("contacts[%d].", i))
		}
		o.Contacts = append(o.Contacts, c)
	}
	if err := a.d.Store.CreateOrg(r.Context(), actor(r, u), o); err != nil {
		return err
	}
	a.registryChanged()
	w.Header().Set("Location", fmt.Sprintf("%s/orgs/%d", Prefix, o.ID))
	a.writeJSON(w, r, http.StatusCreated, o)
	return nil
}

func (a *API) getOrg(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	o, err := a.orgFor(r, u)
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusOK, o)
	return nil
}

func (a *API) updateOrg(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	p, err := decodeJSON[orgPatch](w, r)
	if err != nil {
		return err
	}
	o, err := a.orgFor(r, u)
	if err != nil {
		return err
	}
	patch(&o.ShortName, p.ShortName)
	patch(&o.Name, p.Name)
	patch(&o.Sector, p.Sector)
	patch(&o.Parent, p.Parent)
	patch(&o.CII, p.CII)
	patch(&o.Language, p.Language)
	patch(&o.TLP, p.TLP)
	if err := a.d.Store.UpdateOrg(r.Context(), actor(r, u), o); err != nil {
		return err
	}
	a.registryChanged() // the matcher reports owners by short name, which may have changed
	a.writeJSON(w, r, http.StatusOK, o)
	return nil
}

func (a *API) deleteOrg(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	o, err := a.orgFor(r, u)
	if err != nil {
		return err
	}
	if err := a.d.Store.DeleteOrg(r.Context(), actor(r, u), o.ID); err != nil {
		return err
	}
	a.registryChanged()
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// renameField moves a coded error to another field name, replacing the
// prefix from with to in its field and in its message (which starts with
// the field): "resources.value: ..." becomes "resources[3].value: ...".
func renameField(err error, from, to string) error {
	f := errs.FieldOf(err)
	rest, ok := strings.CutPrefix(f, from)
	if !ok {
		return err
	}
	msg := errs.Message(err)
	if m, ok := strings.CutPrefix(msg, from); ok {
		msg = to + m
	}
	return &errs.Error{Code: errs.CodeOf(err), Field: to + rest, Message: msg}
}
