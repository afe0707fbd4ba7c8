package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
)

type lookupResult struct {
	Value  string   `json:"value"`
	Owners []string `json:"owners"`
}

// TestLookupIsScoped checks that a lookup names only the owners the caller
// may see: an agency user must not learn that an address belongs to
// another agency, nor a partner that it belongs to an AMBER organisation.
func TestLookupIsScoped(t *testing.T) {
	f := newFixture(t)
	values := []string{"192.0.2.5", "198.51.100.7", "AS64999"}
	path := "/api/v1/lookup?value=192.0.2.5&value=198.51.100.7&value=AS64999"
	tests := []struct {
		caller string
		want   [][]string // owners per value
	}{
		{admin, [][]string{{"alpha-agency"}, {"zeta-ministry"}, {}}},
		{auditor, [][]string{{"alpha-agency"}, {"zeta-ministry"}, {}}},
		{agency, [][]string{{"alpha-agency"}, {}, {}}},
		{agencyOther, [][]string{{}, {"zeta-ministry"}, {}}},
		{partner, [][]string{{"alpha-agency"}, {}, {}}},
	}
	for _, tt := range tests {
		t.Run(tt.caller, func(t *testing.T) {
			got := call[listBody[lookupResult]](t, f, request{path: path, as: tt.caller}, http.StatusOK)
			if len(got.Items) != len(values) {
				t.Fatalf("got %d results, want %d", len(got.Items), len(values))
			}
			for i, r := range got.Items {
				if r.Value != values[i] || !slices.Equal(r.Owners, tt.want[i]) {
					t.Errorf("result %d: got %s owned by %q, want %s owned by %q", i, r.Value, r.Owners, values[i], tt.want[i])
				}
			}
		})
	}
}

// TestLookupFollowsChanges checks that the API asks for a new matcher
// after every change to resources, so lookups see it at once.
func TestLookupFollowsChanges(t *testing.T) {
	f := newFixture(t)
	owners := func() []string {
		t.Helper()
		got := call[listBody[lookupResult]](t, f, request{path: "/api/v1/lookup?value=www.new.example", as: admin}, http.StatusOK)
		return got.Items[0].Owners
	}
	if got := owners(); len(got) != 0 {
		t.Fatalf("before: got owners %v, want none", got)
	}
	res := call[struct{ ID int64 }](t, f, request{method: "POST", path: "/api/v1/orgs/alpha-agency/resources", as: admin, body: `{"value":"new.example"}`}, http.StatusCreated)
	if got := owners(); !slices.Equal(got, []string{"alpha-agency"}) {
		t.Errorf("after adding: got owners %v, want [alpha-agency]", got)
	}
	call[struct{}](t, f, request{method: "PATCH", path: "/api/v1/orgs/alpha-agency", as: admin, body: `{"short_name":"alpha"}`}, http.StatusOK)
	if got := owners(); !slices.Equal(got, []string{"alpha"}) {
		t.Errorf("after renaming: got owners %v, want [alpha]", got)
	}
	call[struct{}](t, f, request{method: "DELETE", path: fmt.Sprintf("/api/v1/resources/%d", res.ID), as: admin}, http.StatusNoContent)
	if got := owners(); len(got) != 0 {
		t.Errorf("after deleting: got owners %v, want none", got)
	}
}
