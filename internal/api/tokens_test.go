package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
)

type newToken struct {
	auth.Token
	Secret string `json:"secret"`
}

// TestTokenLifecycle creates a token, uses it, and revokes it: the secret
// is shown once, works at once, and stops working when revoked.
func TestTokenLifecycle(t *testing.T) {
	f := newFixture(t)
	created := call[newToken](t, f, request{method: "POST", path: "/api/v1/tokens", as: analyst, body: `{"name":"ci pipeline","expires_in_days":30}`}, http.StatusCreated)
	if !auth.LooksLikeToken(created.Secret) || !strings.HasPrefix(created.Secret, created.Prefix) {
		t.Fatalf("got secret %q with prefix %q, want a qxt_ token starting with its prefix", created.Secret, created.Prefix)
	}
	if d := created.ExpiresAt.Sub(created.CreatedAt); d != 30*24*time.Hour {
		t.Errorf("lifetime: got %v, want 30 days", d)
	}

	// Shown once: no list carries the secret.
	for _, path := range []string{"/api/v1/tokens", "/api/v1/tokens?all=true"} {
		resp := f.do(t, request{path: path, as: admin})
		if strings.Contains(resp.body, created.Secret) || strings.Contains(resp.body, `"secret"`) {
			t.Errorf("%s: got the secret in the list, want it never shown again", path)
		}
	}
	mine := call[listBody[auth.Token]](t, f, request{path: "/api/v1/tokens", as: analyst}, http.StatusOK)
	if len(mine.Items) != 2 || mine.Items[1].ID != created.ID {
		t.Errorf("own tokens: got %+v, want the fixture's and the new one", mine.Items)
	}

	// Usable at once, as the user who made it.
	f.tokens["ci"] = created.Secret
	me := call[struct{ User auth.User }](t, f, request{path: "/api/v1/whoami", as: "ci"}, http.StatusOK)
	if me.User.Name != analyst {
		t.Errorf("whoami with the new token: got %q, want %q", me.User.Name, analyst)
	}

	call[struct{}](t, f, request{method: "DELETE", path: fmt.Sprintf("/api/v1/tokens/%d", created.ID), as: analyst}, http.StatusNoContent)
	f.wantError(t, request{path: "/api/v1/whoami", as: "ci"}, http.StatusUnauthorized, "unauthorized")
	f.wantError(t, request{method: "DELETE", path: fmt.Sprintf("/api/v1/tokens/%d", created.ID), as: analyst}, http.StatusNotFound, "not_found")
}

func TestTokenDefaultLifetime(t *testing.T) {
	f := newFixture(t)
	created := call[newToken](t, f, request{method: "POST", path: "/api/v1/tokens", as: partner, body: `{"name":"misp sync"}`}, http.StatusCreated)
	if d := created.ExpiresAt.Sub(created.CreatedAt); d != 90*24*time.Hour {
		t.Errorf("lifetime: got %v, want 90 days", d)
	}
	if created.UserID != f.users[partner].ID {
		t.Errorf("owner: got user %d, want the partner %d", created.UserID, f.users[partner].ID)
	}
}
