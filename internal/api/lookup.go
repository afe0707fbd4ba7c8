package api

import (
	"net/http"
	"slices"

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
	m := a.d.Registry.Matcher()
	owners := make([][]string, len(values))
	var names []string
	for i, v := range values {
		owners[i] = m.Lookup(v)
		names = append(names, owners[i]...)
	}
	sc := auth.ScopeFor(u)
	var visible map[string]bool
	if !sc.Unlimited() {
		var err error
		if visible, err = a.d.Store.VisibleOrgNames(r.Context(), sc, slices.Compact(slices.Sorted(slices.Values(names)))); err != nil {
			return err
		}
	}
	out := make([]lookupResult, len(values))
	for i, v := range values {
		out[i] = lookupResult{Value: v, Owners: []string{}}
		// Lookup's slice is shared with the matcher: copy, never filter in place.
		for _, owner := range owners[i] {
			if visible == nil || visible[owner] {
				out[i].Owners = append(out[i].Owners, owner)
			}
		}
	}
	a.writeJSON(w, r, http.StatusOK, list[lookupResult]{Items: out})
	return nil
}
