package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/storage"
)

func loginForm(name, password, next string) url.Values {
	v := url.Values{"name": {name}, "password": {password}}
	if next != "" {
		v.Set("next", next)
	}
	return v
}

func TestLogin(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.anon(t)
	r := c.post("/login", loginForm("Analyst ", testPassword, "")).redirectsTo(t, "/")

	var session *http.Cookie
	for _, ck := range r.Cookies() {
		if ck.Name == auth.SessionCookie {
			session = ck
		}
	}
	switch {
	case session == nil:
		t.Fatal("no session cookie")
	case !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/":
		t.Errorf("session cookie %+v: want HttpOnly, SameSite=Lax, Path=/", session)
	case session.MaxAge != int((12 * time.Hour).Seconds()):
		t.Errorf("session cookie MaxAge %d, want 12h", session.MaxAge)
	case session.Secure:
		t.Error("session cookie Secure although SecureCookies is off")
	}
	c.get("/").want(t, http.StatusOK).contains(t, "Rauf Həsənov")

	entries, err := f.store.ListAudit(context.Background(), storage.AuditFilter{Action: "user.login"})
	if err != nil || len(entries) != 1 || entries[0].Actor != "analyst" {
		t.Errorf("audit user.login: %v, %v; want one entry by analyst", entries, err)
	}
	u, _ := f.store.GetUser(context.Background(), f.users["analyst"].ID)
	if u.LastLoginAt.IsZero() {
		t.Error("last login not recorded")
	}
}

func TestLoginSecureCookie(t *testing.T) {
	t.Parallel()
	f := newFixture(t, func(d *uiDeps) { d.SecureCookies = true; d.SessionTTL = time.Hour })
	r := f.anon(t).post("/login", loginForm("analyst", testPassword, "")).redirectsTo(t, "/")
	for _, ck := range r.Cookies() {
		if ck.Name == auth.SessionCookie && (!ck.Secure || ck.MaxAge != 3600) {
			t.Errorf("session cookie %+v: want Secure, MaxAge 3600", ck)
		}
	}
}

func TestLoginFailure(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, tt := range []struct{ name, password, reason string }{
		{"analyst", "wrong password!", "bad_password"},
		{"nobody", testPassword, "unknown_user"},
	} {
		c := f.anon(t)
		r := c.post("/login", loginForm(tt.name, tt.password, "")).want(t, http.StatusUnauthorized)
		// Same message whether or not the user exists; the name stays filled in.
		r.contains(t, "İstifadəçi adı və ya şifrə yanlışdır.", `value="`+tt.name+`"`)
		for _, ck := range r.Cookies() {
			if ck.Name == auth.SessionCookie && ck.Value != "" {
				t.Errorf("failed login set a session cookie")
			}
		}
		c.get("/").redirectsTo(t, "/login")
	}
	entries, err := f.store.ListAudit(context.Background(), storage.AuditFilter{Action: "user.login_failed"})
	if err != nil || len(entries) != 2 {
		t.Fatalf("audit user.login_failed: %d entries (%v), want 2", len(entries), err)
	}
	// Newest first: the unknown user, then the wrong password.
	if !strings.Contains(string(entries[0].After), "unknown_user") || entries[1].ObjectID == "" {
		t.Errorf("audit entries %s / %s", entries[0].After, entries[1].After)
	}
}

func TestLoginDisabledUser(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	u := *f.users["auditor"]
	u.Disabled = true
	if err := f.store.UpdateUser(context.Background(), auth.System, &u); err != nil {
		t.Fatal(err)
	}
	f.anon(t).post("/login", loginForm("auditor", testPassword, "")).want(t, http.StatusUnauthorized)
}

func TestLoginThrottled(t *testing.T) {
	t.Parallel()
	th := auth.NewThrottle()
	th.Free = 2
	f := newFixture(t, withThrottle(th))
	c := f.anon(t)
	c.lang = "en"
	var r *response
	for i := 0; i < 6; i++ {
		if r = c.post("/login", loginForm("analyst", "guess number "+string(rune('a'+i)), "")); r.StatusCode == http.StatusTooManyRequests {
			break
		}
		r.want(t, http.StatusUnauthorized)
	}
	r.want(t, http.StatusTooManyRequests).contains(t, "Too many attempts. Try again in ")
	if r.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After header")
	}
	// Even the right password waits its turn.
	c.post("/login", loginForm("analyst", testPassword, "")).want(t, http.StatusTooManyRequests)
	// The throttle is also per address: another name from here waits too.
	c.post("/login", loginForm("admin", testPassword, "")).want(t, http.StatusTooManyRequests)
}

func TestLoginRedirect(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for next, want := range map[string]string{
		"/orgs?q=gov":              "/orgs?q=gov",
		"/orgs/mdt":                "/orgs/mdt",
		"//evil.example/":          "/",
		"https://evil.example/":    "/",
		`/\evil.example`:           "/",
		"javascript:alert(1)":      "/",
		"orgs":                     "/",
		"/\r\nSet-Cookie: x=y":     "/",
		"http:///evil.example/x/y": "/",
	} {
		f.anon(t).post("/login", loginForm("analyst", testPassword, next)).redirectsTo(t, want)
	}
	// The login page keeps only a safe next in its form.
	f.anon(t).get("/login?next=//evil.example").want(t, http.StatusOK).lacks(t, `name="next" value="//evil.example"`)
	f.anon(t).get("/login?next=/orgs").want(t, http.StatusOK).contains(t, `name="next" value="/orgs"`)
	// A signed-in user visiting /login goes on.
	f.as(t, "analyst").get("/login?next=/orgs").redirectsTo(t, "/orgs")
	f.as(t, "analyst").get("/login?next=//evil.example").redirectsTo(t, "/")
}

func TestAnonymousIsSentToLogin(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.anon(t)
	c.get("/").redirectsTo(t, "/login")
	c.get("/orgs?sector=finance").redirectsTo(t, "/login?next=%2Forgs%3Fsector%3Dfinance")
	c.get("/orgs/mdt").redirectsTo(t, "/login?next=%2Forgs%2Fmdt")
	c.get("/admin/users").redirectsTo(t, "/login?next=%2Fadmin%2Fusers")
	c.get("/no/such/page").redirectsTo(t, "/login?next=%2Fno%2Fsuch%2Fpage")
	c.post("/orgs/-/new", url.Values{"short_name": {"x"}, "name": {"X"}}).redirectsTo(t, "/login")
	c.post("/orgs/mdt/delete", nil).redirectsTo(t, "/login")
	if _, err := f.store.GetOrgByShortName(context.Background(), auth.Everything, "mdt"); err != nil {
		t.Errorf("anonymous delete: %v", err)
	}
	c.get("/login").want(t, http.StatusOK)
}

func TestLogout(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.anon(t)
	c.post("/login", loginForm("analyst", testPassword, "")).redirectsTo(t, "/")
	u, _ := url.Parse(f.srv.URL)
	secret := ""
	for _, ck := range c.hc.Jar.Cookies(u) {
		if ck.Name == auth.SessionCookie {
			secret = ck.Value
		}
	}
	r := c.post("/logout", nil).redirectsTo(t, "/login")
	cleared := false
	for _, ck := range r.Cookies() {
		cleared = cleared || (ck.Name == auth.SessionCookie && ck.MaxAge < 0)
	}
	if !cleared {
		t.Error("logout did not clear the cookie")
	}
	// The session is gone on the server too, not only in this browser.
	if _, err := f.store.UserBySession(context.Background(), secret); err == nil {
		t.Error("session still valid after logout")
	}
	c.get("/").redirectsTo(t, "/login")
	// Logout is a POST: a link or an image cannot sign anyone out.
	c = f.as(t, "analyst")
	c.get("/logout").want(t, http.StatusNotFound)
	c.get("/").want(t, http.StatusOK)
}
