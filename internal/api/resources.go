package api

import (
	"fmt"
	"net/http"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
)

// resourceInput is a resource as a client creates it; the kind is
// detected from the value when omitted.
type resourceInput struct {
	Kind        constituency.ResourceKind `json:"kind"`
	Value       string                    `json:"value"`
	Criticality constituency.Criticality  `json:"criticality"`
	Notes       string                    `json:"notes"`
}

func (in resourceInput) resource() constituency.Resource {
	return constituency.Resource{Kind: in.Kind, Value: in.Value, Criticality: in.Criticality, Notes: in.Notes}
}

// resourcePatch is the body of PATCH /resources/{id}.
type resourcePatch struct {
	Kind        *constituency.ResourceKind `json:"kind"`
	Value       *string                    `json:"value"`
	Criticality *constituency.Criticality  `json:"criticality"`
	Notes       *string                    `json:"notes"`
}

// resourceError names the field as this resource's own ("value"), not as
// an entry of an organisation's list ("resources.value").
func resourceError(err error) error { return renameField(err, "resources.", "") }

func (a *API) listResources(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	o, err := a.orgFor(r, u)
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusOK, list[constituency.Resource]{Items: nonNil(o.Resources)})
	return nil
}

func (a *API) createResource(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	in, err := decodeJSON[resourceInput](w, r)
	if err != nil {
		return err
	}
	o, err := a.orgFor(r, u)
	if err != nil {
		return err
	}
	res := in.resource()
	if err := a.d.Store.AddResource(r.Context(), actor(r, u), o.ID, &res); err != nil {
		return resourceError(err)
	}
	a.registryChanged()
	w.Header().Set("Location", fmt.Sprintf("%s/resources/%d", Prefix, res.ID))
	a.writeJSON(w, r, http.StatusCreated, res)
	return nil
}

// resourceFor finds the resource named by the {id} path value within the
// caller's scope; mutations go through it too, so another organisation's
// resource is 404 before any change is attempted.
func (a *API) resourceFor(r *http.Request, u *auth.User) (*constituency.Resource, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return a.d.Store.GetResource(r.Context(), auth.ScopeFor(u), id)
}

func (a *API) getResource(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	res, err := a.resourceFor(r, u)
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusOK, res)
	return nil
}

func (a *API) updateResource(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	p, err := decodeJSON[resourcePatch](w, r)
	if err != nil {
		return err
	}
	res, err := a.resourceFor(r, u)
	if err != nil {
		return err
	}
	if p.Value != nil && p.Kind == nil {
		// A new value may be of another kind (a host becoming a network);
		// detect it again unless the client says which.
		res.Kind = ""
	}
	patch(&res.Kind, p.Kind)
	patch(&res.Value, p.Value)
	patch(&res.Criticality, p.Criticality)
	patch(&res.Notes, p.Notes)
	if err := a.d.Store.UpdateResource(r.Context(), actor(r, u), res); err != nil {
		return resourceError(err)
	}
	a.registryChanged()
	a.writeJSON(w, r, http.StatusOK, res)
	return nil
}

func (a *API) deleteResource(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	res, err := a.resourceFor(r, u)
	if err != nil {
		return err
	}
	if err := a.d.Store.DeleteResource(r.Context(), actor(r, u), res.ID); err != nil {
		return err
	}
	a.registryChanged()
	w.WriteHeader(http.StatusNoContent)
	return nil
}
