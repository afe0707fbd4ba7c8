package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
)

func TestUserRoundTrip(t *testing.T) {
	f := newFixture(t)
	u := call[auth.User](t, f, request{method: "POST", path: "/api/v1/users", as: admin,
		body: `{"name":"Leyla","display_name":"Leyla M.","role":"agency","orgs":["Alpha-Agency"],"language":"en","password":"a long enough password"}`}, http.StatusCreated)
	if u.Name != "leyla" || u.Role != auth.Agency || !slices.Equal(u.OrgNames, []string{"alpha-agency"}) || u.Language != "en" {
		t.Errorf("created: got %+v, want agency user leyla of alpha-agency in en", u)
	}
	stored, err := f.store.GetUser(ctx, u.ID)
	if err != nil || !auth.VerifyPassword(stored.PasswordHash, "a long enough password") {
		t.Errorf("password: got a hash that does not verify (%v), want the given password", err)
	}
	path := fmt.Sprintf("/api/v1/users/%d", u.ID)

	// Leaving the agency role drops the organisations.
	u = call[auth.User](t, f, request{method: "PATCH", path: path, as: admin, body: `{"role":"auditor"}`}, http.StatusOK)
	if u.Role != auth.Auditor || len(u.OrgNames) != 0 || u.DisplayName != "Leyla M." {
		t.Errorf("to auditor: got %+v, want an auditor without organisations, display name kept", u)
	}
	u = call[auth.User](t, f, request{method: "PATCH", path: path, as: admin, body: `{"role":"agency","orgs":["zeta-ministry","alpha-agency"],"disabled":true}`}, http.StatusOK)
	if u.Role != auth.Agency || len(u.OrgIDs) != 2 || !u.Disabled {
		t.Errorf("to agency: got %+v, want a disabled agency user of two organisations", u)
	}
	got := call[auth.User](t, f, request{path: path, as: auditor}, http.StatusOK)
	if got.ID != u.ID || !got.Disabled || len(got.OrgNames) != 2 {
		t.Errorf("get: got %+v, want %+v", got, u)
	}
	all := call[listBody[auth.User]](t, f, request{path: "/api/v1/users", as: auditor}, http.StatusOK)
	if len(all.Items) != 7 {
		t.Errorf("list: got %d users, want 7", len(all.Items))
	}
}

// TestSetPassword checks that a new password works and ends the user's
// sessions, so a stolen session dies with the old password.
func TestSetPassword(t *testing.T) {
	f := newFixture(t)
	target := f.users[analyst]
	session, err := f.store.CreateSession(ctx, target.ID, 1e12)
	if err != nil {
		t.Fatal(err)
	}
	call[struct{}](t, f, request{method: "POST", path: fmt.Sprintf("/api/v1/users/%d/password", target.ID), as: admin, body: `{"password":"another good passphrase"}`}, http.StatusNoContent)
	stored, err := f.store.GetUser(ctx, target.ID)
	if err != nil || !auth.VerifyPassword(stored.PasswordHash, "another good passphrase") {
		t.Errorf("got a hash that does not verify (%v), want the new password", err)
	}
	if _, err := f.store.UserBySession(ctx, session); err == nil {
		t.Error("got the old session still valid, want it ended")
	}
	f.wantError(t, request{method: "POST", path: "/api/v1/users/999/password", as: admin, body: `{"password":"another good passphrase"}`}, http.StatusNotFound, "not_found")
}

func TestWhoami(t *testing.T) {
	f := newFixture(t)
	type whoami struct {
		User        auth.User
		Role        auth.Role
		Orgs        []string
		AllOrgs     bool   `json:"all_orgs"`
		MaxTLP      string `json:"max_tlp"`
		Permissions []auth.Permission
	}
	tests := []struct {
		caller  string
		orgs    []string
		allOrgs bool
		maxTLP  string
		can     auth.Permission
		cannot  auth.Permission
	}{
		{admin, []string{}, true, "", auth.ManageUsers, ""},
		{agency, []string{"alpha-agency"}, false, "", auth.ReadContacts, auth.WriteOrgs},
		{partner, []string{}, true, "green", auth.ReadOrgs, auth.ReadContacts},
	}
	for _, tt := range tests {
		t.Run(tt.caller, func(t *testing.T) {
			got := call[whoami](t, f, request{path: "/api/v1/whoami", as: tt.caller}, http.StatusOK)
			if got.User.Name != tt.caller || string(got.Role) != tt.caller || !slices.Equal(got.Orgs, tt.orgs) || got.AllOrgs != tt.allOrgs || got.MaxTLP != tt.maxTLP {
				t.Errorf("got %+v, want %s with orgs %v, all %v, max TLP %q", got, tt.caller, tt.orgs, tt.allOrgs, tt.maxTLP)
			}
			if !slices.Contains(got.Permissions, tt.can) || (tt.cannot != "" && slices.Contains(got.Permissions, tt.cannot)) {
				t.Errorf("permissions: got %v, want %s and not %s", got.Permissions, tt.can, tt.cannot)
			}
		})
	}
}
