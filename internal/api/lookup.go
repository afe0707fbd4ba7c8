package api

import (
	"context"
	"net/http"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
)

// maxLookupValues bounds one lookup request; a client with more values
// sends several requests.
const maxLookupValues = 1000

// lookupResult is the owners of one looked-up value.
type lookupResult struct {
	Value  string   `json:"value"`
	Owners []string `json:"owners"` // short names, only those the caller may see
}

// lookup answers "who owns this?" for each value parameter. The matcher
// knows every organisation, so its answer is filtered by the caller's
// scope: an agency must not learn that an address belongs to another
// agency, nor a partner that it belongs to an organisation above its TLP.
func (a *API) lookup(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	values := r.URL.Query()["value"]
	if len(values) == 0 {
		return errs.Field("value", "give at least one value to look up (?value=192.0.2.1&value=example.gov.az)")
	}
	if len(values) > maxLookupValues {
		return errs.Field("value", "at most %d values per request, got %d", maxLookupValues, len(values))
	}
	visible := a.visibility(r.Context(), auth.ScopeFor(u))
	m := a.d.Registry.Matcher()
	out := make([]lookupResult, len(values))
	for i, v := range values {
		out[i] = lookupResult{Value: v, Owners: []string{}}
		// Lookup's slice is shared with the matcher: copy, never filter in place.
		for _, owner := range m.Lookup(v) {
			ok, err := visible(owner)
			if err != nil {
				return err
			}
			if ok {
				out[i].Owners = append(out[i].Owners, owner)
			}
		}
	}
	a.writeJSON(w, r, http.StatusOK, list[lookupResult]{Items: out})
	return nil
}

// visibility returns a function reporting whether the scope may see the
// organisation with the given short name. Storage decides, with the same
// scope query as every other read, and each name is asked about once.
func (a *API) visibility(ctx context.Context, sc auth.Scope) func(short string) (bool, error) {
	if sc.AllOrgs && sc.MaxTLP == "" {
		return func(string) (bool, error) { return true, nil }
	}
	known := map[string]bool{}
	return func(short string) (bool, error) {
		if ok, seen := known[short]; seen {
			return ok, nil
		}
		_, err := a.d.Store.GetOrgByShortName(ctx, sc, short)
		if err != nil && !errs.Is(err, errs.NotFound) {
			return false, err
		}
		known[short] = err == nil
		return err == nil, nil
	}
}
