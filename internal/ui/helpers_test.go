package ui_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/server"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
	"github.com/qalxan/qalxan/internal/tlp"
	"github.com/qalxan/qalxan/internal/ui"
)

// testPassword is every fixture user's password.
const testPassword = "correct horse battery staple"

// passwordHash is computed once: argon2id is slow on purpose, more so
// under the race detector.
var passwordHash = sync.OnceValue(func() string {
	h, err := auth.HashPassword(testPassword)
	if err != nil {
		panic(err)
	}
	return h
})

// fixture is a full server (middleware, UI) on a fresh SQLite store with a
// small constituency and one user per role.
type fixture struct {
	t        testing.TB
	store    *storage.Store
	srv      *httptest.Server
	registry *constituency.Registry
	orgs     map[string]*constituency.Org
	users    map[string]*auth.User
	errors   atomic.Int32 // error-level log records
	// allowErrors lets a test that provokes an internal error say so.
	allowErrors bool
}

type fixtureOption func(*uiDeps)

func withThrottle(th *auth.Throttle) fixtureOption { return func(d *uiDeps) { d.Throttle = th } }

// uiDeps is ui.Deps, named short for options.
type uiDeps = ui.Deps

func newFixture(t testing.TB, opts ...fixtureOption) *fixture {
	t.Helper()
	f := &fixture{t: t, store: storagetest.SQLite(t), registry: &constituency.Registry{},
		orgs: map[string]*constituency.Org{}, users: map[string]*auth.User{}}
	ctx := context.Background()
	for _, o := range fixtureOrgs() {
		if err := f.store.CreateOrg(ctx, auth.System, o); err != nil {
			t.Fatalf("create org %s: %v", o.ShortName, err)
		}
		f.orgs[o.ShortName] = o
	}
	for _, u := range []*auth.User{
		{Name: "admin", DisplayName: "Aysel Məmmədova", Role: auth.Admin, Language: "az"},
		{Name: "analyst", DisplayName: "Rauf Həsənov", Role: auth.Analyst, Language: "az"},
		{Name: "mdt-officer", DisplayName: "Leyla Quliyeva", Role: auth.Agency, OrgNames: []string{"mdt"}, Language: "az"},
		{Name: "auditor", Role: auth.Auditor, Language: "en"},
		{Name: "partner", Role: auth.Partner, Language: "en"},
	} {
		u.PasswordHash = passwordHash()
		if err := f.store.CreateUser(ctx, auth.System, u); err != nil {
			t.Fatalf("create user %s: %v", u.Name, err)
		}
		f.users[u.Name] = u
	}
	f.rebuildRegistry()

	log := slog.New(&countingHandler{Handler: slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}), errors: &f.errors})
	deps := ui.Deps{
		Store: f.store, Log: log, Registry: f.registry, RegistryChanged: f.rebuildRegistry,
		Throttle: auth.NewThrottle(), SessionTTL: 12 * time.Hour,
	}
	for _, o := range opts {
		o(&deps)
	}
	f.srv = httptest.NewServer(server.New(server.Deps{Store: f.store, Log: log, UI: ui.New(deps)}))
	t.Cleanup(func() {
		f.srv.Close()
		if n := f.errors.Load(); n > 0 && !f.allowErrors {
			t.Errorf("%d error(s) logged; see the log above", n)
		}
	})
	return f
}

func (f *fixture) rebuildRegistry() {
	orgs, err := f.store.MatcherOrgs(context.Background())
	if err != nil {
		f.t.Errorf("matcher orgs: %v", err)
		return
	}
	f.registry.Set(constituency.NewMatcher(orgs))
}

func fixtureOrgs() []*constituency.Org {
	return []*constituency.Org{
		{ShortName: "mdt", Name: "Rəqəmsal İnkişaf və Nəqliyyat Nazirliyi", Sector: "government", CII: true, TLP: tlp.Amber,
			Resources: []constituency.Resource{
				{Value: "mdt.gov.az", Criticality: "high"},
				{Value: "192.0.2.0/24", Criticality: "critical", Notes: "data centre"},
				{Value: "https://portal.mdt.gov.az/login"},
			},
			Contacts: []constituency.Contact{{Email: "soc@mdt.gov.az", Name: "SOC", Role: "security"}}},
		{ShortName: "minfin", Name: "Maliyyə Nazirliyi", Sector: "finance", CII: true, TLP: tlp.Amber,
			Resources: []constituency.Resource{{Value: "maliyye.gov.az"}, {Value: "198.51.100.0/25"}, {Value: "AS64500"}},
			Contacts:  []constituency.Contact{{Email: "cert@maliyye.gov.az", Role: "security"}}},
		{ShortName: "azerenerji", Name: "Azərenerji ASC", Sector: "energy", CII: true, TLP: tlp.Green,
			Resources: []constituency.Resource{{Value: "azerenerji.az"}}},
		{ShortName: "bsu", Name: "Bakı Dövlət Universiteti", Sector: "education", Parent: "", TLP: tlp.Clear,
			Resources: []constituency.Resource{{Value: "bsu.edu.az"}}},
	}
}

// countingHandler counts error records so a test fails on an unexpected
// internal error even when the page looked fine.
type countingHandler struct {
	slog.Handler
	errors *atomic.Int32
}

func (h *countingHandler) Handle(ctx context.Context, r slog.Record) error {
	if r.Level >= slog.LevelError {
		h.errors.Add(1)
	}
	return h.Handler.Handle(ctx, r)
}

func (h *countingHandler) WithAttrs(a []slog.Attr) slog.Handler {
	return &countingHandler{Handler: h.Handler.WithAttrs(a), errors: h.errors}
}

func (h *countingHandler) WithGroup(n string) slog.Handler {
	return &countingHandler{Handler: h.Handler.WithGroup(n), errors: h.errors}
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

// client is a browser stand-in: it keeps cookies and does not follow
// redirects, so tests see them.
type client struct {
	t    testing.TB
	f    *fixture
	hc   *http.Client
	lang string // Accept-Language, for anonymous pages
}

func (f *fixture) anon(t testing.TB) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, f: f, hc: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// as returns a client signed in as the named fixture user. The session is
// made directly in the store: password logins are tested on their own.
func (f *fixture) as(t testing.TB, name string) *client {
	t.Helper()
	c := f.anon(t)
	secret, err := f.store.CreateSession(context.Background(), f.users[name].ID, time.Hour)
	if err != nil {
		t.Fatalf("create session: %v", err)
	}
	u, _ := url.Parse(f.srv.URL)
	c.hc.Jar.SetCookies(u, []*http.Cookie{{Name: auth.SessionCookie, Value: secret, Path: "/"}})
	return c
}

type response struct {
	*http.Response
	body string
}

func (c *client) do(req *http.Request) *response {
	c.t.Helper()
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return &response{Response: resp, body: string(b)}
}

func (c *client) get(path string) *response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.f.srv.URL+path, nil)
	return c.do(req)
}

func (c *client) post(path string, form url.Values) *response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.f.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// want checks the status code.
func (r *response) want(t testing.TB, status int) *response {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d\n%s", r.Request.Method, r.Request.URL.Path, r.StatusCode, status, excerpt(r.body))
	}
	return r
}

// redirectsTo checks a 303 and its target.
func (r *response) redirectsTo(t testing.TB, target string) *response {
	t.Helper()
	r.want(t, http.StatusSeeOther)
	if got := r.Header.Get("Location"); got != target {
		t.Fatalf("%s %s: redirects to %q, want %q", r.Request.Method, r.Request.URL.Path, got, target)
	}
	return r
}

func (r *response) contains(t testing.TB, subs ...string) *response {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(r.body, s) {
			t.Errorf("%s %s: body lacks %q\n%s", r.Request.Method, r.Request.URL, s, excerpt(r.body))
		}
	}
	return r
}

func (r *response) lacks(t testing.TB, subs ...string) *response {
	t.Helper()
	for _, s := range subs {
		if strings.Contains(r.body, s) {
			t.Errorf("%s %s: body contains %q", r.Request.Method, r.Request.URL, s)
		}
	}
	return r
}

// excerpt is the main part of a page, to keep failure output readable.
func excerpt(body string) string {
	if i := strings.Index(body, `<main`); i >= 0 {
		body = body[i:]
	}
	if len(body) > 3000 {
		body = body[:3000] + "…"
	}
	return body
}
