package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/api"
	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/server"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

var ctx = context.Background()

// Callers of the test fixture: one user per role (the agency user bound to
// the "own" organisation), an agency user of the "other" organisation, and
// nobody.
const (
	admin       = "admin"
	analyst     = "analyst"
	auditor     = "auditor"
	partner     = "partner"
	agency      = "agency"
	agencyOther = "agency-other"
	anonymous   = "anonymous"
)

// The fixture's two organisations. "own" is TLP:GREEN, so a partner sees
// it; "other" is TLP:AMBER, so a partner does not, and neither does the
// agency user of "own". Their values are distinctive so a test can search a
// response body for them.
var (
	ownOrg = constituency.Org{ShortName: "alpha-agency", Name: "Alpha Agency", Sector: "government", TLP: "green",
		Resources: []constituency.Resource{{Value: "192.0.2.0/24"}},
		Contacts:  []constituency.Contact{{Email: "cert@alpha.example", Name: "Alpha CERT"}}}
	otherOrg = constituency.Org{ShortName: "zeta-ministry", Name: "Zeta Ministry", Sector: "finance", TLP: "amber",
		Resources: []constituency.Resource{{Value: "198.51.100.0/24"}},
		Contacts:  []constituency.Contact{{Email: "soc@zeta.example", Name: "Zeta SOC"}}}
)

// otherSecrets are strings from the "other" organisation that must never
// reach a caller who may not see it.
var otherSecrets = []string{"zeta-ministry", "Zeta Ministry", "198.51.100.0/24", "soc@zeta.example", "Zeta SOC"}

// fixture is a real store behind the real server with the API mounted.
type fixture struct {
	store    *storage.Store
	handler  http.Handler
	own      *constituency.Org // with ids of the org, its resource and its contact
	other    *constituency.Org
	users    map[string]*auth.User
	tokens   map[string]string // caller -> API token secret
	tokenIDs map[string]int64
	session  string // the admin's browser session
}

// newFixture builds a fresh fixture. It is cheap (an SQLite file in the
// test's temporary directory, no password hashing), so tests that change
// data build their own rather than share.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	s := storagetest.SQLite(t)
	reg := &constituency.Registry{}
	rebuild := func() {
		orgs, err := s.MatcherOrgs(ctx)
		if err != nil {
			t.Errorf("rebuild matcher: %v", err)
			return
		}
		reg.Set(constituency.NewMatcher(orgs))
	}
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	a := api.New(api.Deps{Store: s, Log: log, Registry: reg, RegistryChanged: rebuild})
	f := &fixture{
		store:    s,
		handler:  server.New(server.Deps{Store: s, Log: log, API: a}),
		users:    map[string]*auth.User{},
		tokens:   map[string]string{},
		tokenIDs: map[string]int64{},
	}
	f.own, f.other = f.createOrg(t, ownOrg), f.createOrg(t, otherOrg)
	rebuild()
	for _, u := range []*auth.User{
		{Name: admin, Role: auth.Admin},
		{Name: analyst, Role: auth.Analyst},
		{Name: auditor, Role: auth.Auditor},
		{Name: partner, Role: auth.Partner},
		{Name: agency, Role: auth.Agency, OrgNames: []string{f.own.ShortName}},
		{Name: agencyOther, Role: auth.Agency, OrgNames: []string{f.other.ShortName}},
	} {
		if err := s.CreateUser(ctx, auth.System, u); err != nil {
			t.Fatalf("create user %s: %v", u.Name, err)
		}
		secret, tok, err := s.CreateToken(ctx, auth.System, u.ID, "test "+u.Name, time.Hour)
		if err != nil {
			t.Fatalf("create token for %s: %v", u.Name, err)
		}
		f.users[u.Name], f.tokens[u.Name], f.tokenIDs[u.Name] = u, secret, tok.ID
	}
	var err error
	if f.session, err = s.CreateSession(ctx, f.users[admin].ID, time.Hour); err != nil {
		t.Fatalf("create session: %v", err)
	}
	return f
}

func (f *fixture) createOrg(t *testing.T, o constituency.Org) *constituency.Org {
	t.Helper()
	o.Resources, o.Contacts = append([]constituency.Resource(nil), o.Resources...), append([]constituency.Contact(nil), o.Contacts...)
	if err := f.store.CreateOrg(ctx, auth.System, &o); err != nil {
		t.Fatalf("create org %s: %v", o.ShortName, err)
	}
	return &o
}

// request is one API call. The zero value is an anonymous GET.
type request struct {
	method, path string
	as           string // caller whose token to send; "" or anonymous: none
	cookie       bool   // send the admin's session cookie instead of a token
	crossSite    bool   // as a browser would for a request from another site
	contentType  string // default application/json when there is a body; "-" sends none
	body         string
	chunked      bool // send the body without a Content-Length, so limits apply while reading
}

// response is what came back.
type response struct {
	status int
	header http.Header
	body   string
}

func (f *fixture) do(t *testing.T, req request) response {
	t.Helper()
	method := req.method
	if method == "" {
		method = http.MethodGet
	}
	var body io.Reader
	if req.body != "" {
		body = strings.NewReader(req.body)
	}
	r := httptest.NewRequest(method, req.path, body)
	if req.chunked {
		r.ContentLength = -1
	}
	switch ct := req.contentType; {
	case ct == "" && req.body != "":
		r.Header.Set("Content-Type", "application/json")
	case ct != "" && ct != "-":
		r.Header.Set("Content-Type", ct)
	}
	switch {
	case req.cookie:
		r.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: f.session})
	case req.as != "" && req.as != anonymous:
		secret, ok := f.tokens[req.as]
		if !ok {
			t.Fatalf("no token for caller %q", req.as)
		}
		r.Header.Set("Authorization", "Bearer "+secret)
	}
	if req.crossSite {
		r.Header.Set("Sec-Fetch-Site", "cross-site")
	} else if req.cookie {
		r.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	w := httptest.NewRecorder()
	f.handler.ServeHTTP(w, r)
	return response{status: w.Code, header: w.Result().Header, body: w.Body.String()}
}

// call does a request, requires the status and decodes a JSON body into T.
func call[T any](t *testing.T, f *fixture, req request, wantStatus int) T {
	t.Helper()
	var v T
	resp := f.do(t, req)
	if resp.status != wantStatus {
		t.Fatalf("%s %s as %s: got status %d, want %d; body: %s", req.method, req.path, req.as, resp.status, wantStatus, resp.body)
	}
	if resp.body != "" {
		if err := json.Unmarshal([]byte(resp.body), &v); err != nil {
			t.Fatalf("%s %s: decode %T: %v; body: %s", req.method, req.path, v, err, resp.body)
		}
	}
	return v
}

// apiError is the uniform error body.
type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field"`
	} `json:"error"`
}

// wantError requires an error response with the status and code, and
// returns it for further checks.
func (f *fixture) wantError(t *testing.T, req request, status int, code string) apiError {
	t.Helper()
	e := call[apiError](t, f, req, status)
	if e.Error.Code != code {
		t.Errorf("%s %s: got error code %q, want %q (message %q)", req.method, req.path, e.Error.Code, code, e.Error.Message)
	}
	if e.Error.Message == "" {
		t.Errorf("%s %s: got an empty error message, want one", req.method, req.path)
	}
	return e
}

// listBody is a list or page response.
type listBody[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next"`
}
