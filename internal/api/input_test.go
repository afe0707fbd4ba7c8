package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/api"
	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

// TestBadInput checks that wrong input is refused with the right status,
// code and field, and a message that says what is wrong.
func TestBadInput(t *testing.T) {
	f := newFixture(t)
	own := fmt.Sprint(f.own.ID)
	huge := `{"name":"` + strings.Repeat("a", 1<<20) + `"}`
	tests := []struct {
		name        string
		req         request
		status      int
		code, field string
		message     string // part of the message
	}{
		{"unknown field", request{method: "POST", path: "/api/v1/orgs", body: `{"short_name":"x","nmae":"X"}`},
			400, "invalid", "nmae", `unknown field "nmae"`},
		{"unknown field in a patch", request{method: "PATCH", path: "/api/v1/orgs/" + own, body: `{"id":5}`},
			400, "invalid", "id", `unknown field "id"`},
		{"user name cannot be patched", request{method: "PATCH", path: fmt.Sprintf("/api/v1/users/%d", f.users[agency].ID), body: `{"name":"x"}`},
			400, "invalid", "name", `unknown field "name"`},
		{"malformed JSON", request{method: "POST", path: "/api/v1/orgs", body: `{"short_name" "x"}`},
			400, "invalid", "", "malformed JSON"},
		{"truncated JSON", request{method: "POST", path: "/api/v1/orgs", body: `{"short_name":`},
			400, "invalid", "", "malformed JSON"},
		{"trailing data", request{method: "POST", path: "/api/v1/tokens", body: `{"name":"a"} {"name":"b"}`},
			400, "invalid", "", "after the JSON value"},
		{"wrong type", request{method: "POST", path: "/api/v1/orgs", body: `{"short_name":"x","name":"X","cii":"yes"}`},
			400, "invalid", "cii", "want a JSON boolean"},
		{"fraction for a whole number", request{method: "POST", path: "/api/v1/tokens", body: `{"name":"a","expires_in_days":1.5}`},
			400, "invalid", "expires_in_days", "want a JSON whole number, got number 1.5"},
		{"not an object", request{method: "POST", path: "/api/v1/tokens", body: `["a"]`},
			400, "invalid", "", "must be a JSON object"},
		{"empty body", request{method: "POST", path: "/api/v1/tokens", contentType: "application/json"},
			400, "invalid", "", "empty"},
		{"oversized body", request{method: "POST", path: "/api/v1/orgs", body: huge},
			413, "too_large", "", "larger than 1024 KiB"},
		{"oversized body of unknown length", request{method: "POST", path: "/api/v1/orgs", body: huge, chunked: true},
			413, "too_large", "", "larger than 1024 KiB"},
		{"oversized white space after the value", request{method: "POST", path: "/api/v1/tokens", body: `{"name":"a"}` + strings.Repeat(" ", 1<<20), chunked: true},
			413, "too_large", "", "larger than 1024 KiB"},
		{"wrong content type", request{method: "POST", path: "/api/v1/tokens", contentType: "text/plain", body: `{"name":"a"}`},
			415, "unsupported_media_type", "", "application/json"},
		{"no content type", request{method: "POST", path: "/api/v1/tokens", contentType: "-", body: `{"name":"a"}`},
			415, "unsupported_media_type", "", "no Content-Type"},
		{"form content type", request{method: "POST", path: "/api/v1/tokens", contentType: "application/x-www-form-urlencoded", body: `name=a`},
			415, "unsupported_media_type", "", "application/json"},
		{"bad IP in a resource", request{method: "POST", path: "/api/v1/orgs/" + own + "/resources", body: `{"kind":"host","value":"300.1.2.3"}`},
			400, "invalid", "value", "not an IP address"},
		{"bad resource in a new organisation", request{method: "POST", path: "/api/v1/orgs",
			body: `{"short_name":"x","name":"X","resources":[{"value":"x.example"},{"kind":"host","value":"10.1.2"}]}`},
			400, "invalid", "resources[1].value", "not an IP address"},
		{"bad contact in a new organisation", request{method: "POST", path: "/api/v1/orgs",
			body: `{"short_name":"x","name":"X","contacts":[{"email":"nobody"}]}`},
			400, "invalid", "contacts[0].email", "not an e-mail address"},
		{"bad e-mail in a patch", request{method: "PATCH", path: fmt.Sprintf("/api/v1/contacts/%d", f.own.Contacts[0].ID), body: `{"email":"x"}`},
			400, "invalid", "email", "not an e-mail address"},
		{"bad short name", request{method: "POST", path: "/api/v1/orgs", body: `{"short_name":"Has Space","name":"X"}`},
			400, "invalid", "short_name", "not a valid short name"},
		{"duplicate short name", request{method: "POST", path: "/api/v1/orgs", body: `{"short_name":"alpha-agency","name":"X"}`},
			400, "invalid", "short_name", "already exists"},
		{"bad limit", request{path: "/api/v1/orgs?limit=0"}, 400, "invalid", "limit", "from 1 to 1000"},
		{"bad boolean", request{path: "/api/v1/orgs?cii=maybe"}, 400, "invalid", "cii", "true or false"},
		{"bad sector", request{path: "/api/v1/orgs?sector=mining"}, 400, "invalid", "sector", "unknown sector"},
		{"non-numeric id", request{path: "/api/v1/resources/abc"}, 400, "invalid", "id", "positive whole number"},
		{"no such resource", request{path: "/api/v1/resources/999"}, 404, "not_found", "", "not found"},
		{"no such organisation", request{path: "/api/v1/orgs/nonesuch"}, 404, "not_found", "", "not found"},
		{"lookup without a value", request{path: "/api/v1/lookup"}, 400, "invalid", "value", "at least one"},
		{"token lifetime too long", request{method: "POST", path: "/api/v1/tokens", body: `{"name":"a","expires_in_days":400}`},
			400, "invalid", "expires_in_days", "from 1 to 366"},
		{"token without a name", request{method: "POST", path: "/api/v1/tokens", body: `{}`},
			400, "invalid", "name", "give the token a name"},
		{"bad audit time", request{path: "/api/v1/audit?since=yesterday"}, 400, "invalid", "since", "RFC 3339"},
		{"short password", request{method: "POST", path: "/api/v1/users", body: `{"name":"bob","role":"analyst","password":"short"}`},
			400, "invalid", "password", "at least 12"},
		{"agency user without organisation", request{method: "POST", path: "/api/v1/users", body: `{"name":"bob","role":"agency"}`},
			400, "invalid", "orgs", "must belong"},
		{"user of an unknown organisation", request{method: "POST", path: "/api/v1/users", body: `{"name":"bob","role":"agency","orgs":["nonesuch"]}`},
			400, "invalid", "orgs", "does not exist"},
		{"admin demoting themselves", request{method: "PATCH", path: fmt.Sprintf("/api/v1/users/%d", f.users[admin].ID), body: `{"role":"analyst"}`},
			409, "conflict", "", "another administrator"},
		{"import as JSON", request{method: "POST", path: "/api/v1/orgs/import", contentType: "application/json", body: `{}`},
			415, "unsupported_media_type", "", "text/csv"},
		{"import of an unknown format", request{method: "POST", path: "/api/v1/orgs/import?format=xml", contentType: "text/plain", body: "x"},
			400, "invalid", "format", "want yaml or csv"},
		{"import of something unrecognisable", request{method: "POST", path: "/api/v1/orgs/import", contentType: "text/plain", body: "just words"},
			400, "invalid", "", "?format=yaml"},
		{"export of an unknown format", request{path: "/api/v1/orgs/export?format=xlsx"}, 400, "invalid", "format", "want yaml or csv"},
		{"unknown endpoint", request{path: "/api/v1/nonesuch"}, 404, "not_found", "", "openapi.json"},
		{"wrong method", request{method: "PUT", path: "/api/v1/orgs/" + own, body: `{}`}, 405, "method_not_allowed", "", "GET or PATCH or DELETE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.as = admin
			e := f.wantError(t, tt.req, tt.status, tt.code)
			if e.Error.Field != tt.field {
				t.Errorf("got field %q, want %q (message %q)", e.Error.Field, tt.field, e.Error.Message)
			}
			if !strings.Contains(e.Error.Message, tt.message) {
				t.Errorf("got message %q, want it to contain %q", e.Error.Message, tt.message)
			}
		})
	}
}

// TestErrorResponses checks the shape around errors: JSON, no caching,
// the challenge on 401 and the Allow header on 405.
func TestErrorResponses(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name         string
		req          request
		header, want string
	}{
		{"401 challenges", request{path: "/api/v1/orgs"}, "WWW-Authenticate", `Bearer realm="qalxan"`},
		{"405 says what is allowed", request{method: "PUT", path: "/api/v1/whoami", as: admin}, "Allow", "GET"},
		{"errors are JSON", request{path: "/api/v1/audit", as: agency}, "Content-Type", "application/json"},
		{"successes are JSON", request{path: "/api/v1/whoami", as: agency}, "Content-Type", "application/json"},
		{"nothing is cached", request{path: "/api/v1/whoami", as: agency}, "Cache-Control", "no-store"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := f.do(t, tt.req)
			if got := resp.header.Get(tt.header); got != tt.want {
				t.Errorf("%s: got %q, want %q (status %d)", tt.header, got, tt.want, resp.status)
			}
		})
	}
}

// TestInternalErrorsAreGeneric checks that a failure the client cannot fix
// is a 500 whose message reveals nothing of the cause, which goes to the log.
// It calls the API directly: through the server, the broken database would
// already fail authentication.
func TestInternalErrorsAreGeneric(t *testing.T) {
	s := storagetest.SQLite(t)
	var log bytes.Buffer
	a := api.New(api.Deps{Store: s, Log: slog.New(slog.NewTextHandler(&log, nil))})
	s.Close() // every query now fails with "sql: database is closed"
	r := httptest.NewRequest("GET", "/api/v1/overview", nil)
	r = r.WithContext(auth.WithUser(r.Context(), &auth.User{ID: 1, Name: "root", Role: auth.Admin}))
	w := httptest.NewRecorder()
	a.ServeHTTP(w, r)
	if w.Code != http.StatusInternalServerError {
		t.Fatalf("got status %d, want 500; body: %s", w.Code, w.Body)
	}
	var e apiError
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error.Code != "internal" {
		t.Fatalf("got body %s (%v), want an internal error", w.Body, err)
	}
	if strings.Contains(e.Error.Message, "sql") || strings.Contains(e.Error.Message, "closed") {
		t.Errorf("got message %q, want one without the cause", e.Error.Message)
	}
	if !strings.Contains(log.String(), "database is closed") {
		t.Errorf("got log %q, want the cause in it", log.String())
	}
}
