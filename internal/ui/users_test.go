package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
)

func TestAdminManagesUsers(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.as(t, "admin")
	c.lang = "en"
	c.get("/admin/users").want(t, http.StatusOK).contains(t, "mdt-officer", `href="/orgs/mdt"`, `href="/admin/users/new"`).
		lacks(t, "argon2id") // hashes never reach a page

	// Validation: every problem is shown, the input (but not the password) is kept.
	r := c.post("/admin/users/new", url.Values{
		"name": {"new-officer"}, "display_name": {"Nigar Əliyeva"}, "role": {"agency"}, "orgs": {""},
		"language": {"ru"}, "password": {"short"}, "password2": {"short"},
	}).want(t, http.StatusUnprocessableEntity)
	r.contains(t, "qurum istifadəçisi bir təşkilata aid olmalıdır", "Ən azı 12 simvol", `value="Nigar Əliyeva"`).lacks(t, `value="short"`)
	c.post("/admin/users/new", url.Values{
		"name": {"new-officer"}, "role": {"agency"}, "orgs": {"minfin"}, "language": {"ru"},
		"password": {"a long enough passphrase"}, "password2": {"a different passphrase"},
	}).want(t, http.StatusUnprocessableEntity).contains(t, "Şifrələr üst-üstə düşmür.")
	c.post("/admin/users/new", url.Values{
		"name": {"new-officer"}, "role": {"agency"}, "orgs": {"nosuch"}, "language": {"ru"},
		"password": {"a long enough passphrase"}, "password2": {"a long enough passphrase"},
	}).want(t, http.StatusUnprocessableEntity).contains(t, `&#34;nosuch&#34; təşkilatı mövcud deyil`)

	c.post("/admin/users/new", url.Values{
		"name": {"New-Officer"}, "display_name": {"Nigar Əliyeva"}, "role": {"agency"}, "orgs": {"minfin, mdt"},
		"language": {"ru"}, "password": {"a long enough passphrase"}, "password2": {"a long enough passphrase"},
	}).redirectsTo(t, "/admin/users")
	c.get("/admin/users").contains(t, "İstifadəçi yaradıldı.", "new-officer", "Nigar Əliyeva")
	u, err := f.store.GetUserByName(context.Background(), "new-officer")
	if err != nil || u.Role != auth.Agency || len(u.OrgIDs) != 2 || u.Language != "ru" || !auth.VerifyPassword(u.PasswordHash, "a long enough passphrase") {
		t.Fatalf("created user %+v, %v", u, err)
	}
	// The new user signs in and sees Russian pages and their organisations.
	nc := f.anon(t)
	nc.post("/login", loginForm("new-officer", "a long enough passphrase", "")).redirectsTo(t, "/")
	nc.get("/orgs").want(t, http.StatusOK).contains(t, `<html lang="ru">`, "minfin", "mdt").lacks(t, "bsu")

	// Edit: the role becomes analyst; the organisations field is ignored for it.
	id := strconv.FormatInt(u.ID, 10)
	c.get("/admin/users/"+id).want(t, http.StatusOK).contains(t, `value="mdt, minfin"`, "/admin/users/"+id+"/password")
	c.post("/admin/users/"+id, url.Values{"display_name": {"Nigar Əliyeva"}, "role": {"analyst"}, "orgs": {"mdt"}, "language": {"en"}}).
		redirectsTo(t, "/admin/users")
	u, _ = f.store.GetUser(context.Background(), u.ID)
	if u.Role != auth.Analyst || len(u.OrgIDs) != 0 || u.Language != "en" {
		t.Errorf("after edit: %+v", u)
	}
	// The role change ended their session.
	nc.get("/orgs").redirectsTo(t, "/login?next=%2Forgs")

	// Set a password.
	c.post("/admin/users/"+id+"/password", url.Values{"password": {"another long passphrase"}, "password2": {"another"}}).
		want(t, http.StatusUnprocessableEntity).contains(t, "Şifrələr üst-üstə düşmür.")
	c.post("/admin/users/"+id+"/password", url.Values{"password": {"another long passphrase"}, "password2": {"another long passphrase"}}).
		redirectsTo(t, "/admin/users/"+id)
	u, _ = f.store.GetUser(context.Background(), u.ID)
	if !auth.VerifyPassword(u.PasswordHash, "another long passphrase") {
		t.Error("password not changed")
	}

	// Disable.
	c.post("/admin/users/"+id, url.Values{"role": {"analyst"}, "language": {"en"}, "disabled": {"on"}}).redirectsTo(t, "/admin/users")
	c.get("/admin/users").contains(t, `class="dim"`)

	c.get("/admin/users/999999").want(t, http.StatusNotFound)
	c.get("/admin/users/abc").want(t, http.StatusNotFound)
}

func TestAdminCannotLockThemselvesOut(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.as(t, "admin")
	id := strconv.FormatInt(f.users["admin"].ID, 10)
	c.post("/admin/users/"+id, url.Values{"role": {"analyst"}, "language": {"az"}}).
		want(t, http.StatusUnprocessableEntity).contains(t, "Öz rolunuzu dəyişə")
	c.post("/admin/users/"+id, url.Values{"role": {"admin"}, "language": {"az"}, "disabled": {"on"}}).
		want(t, http.StatusUnprocessableEntity)
	// Their own password: they stay signed in with a new session.
	c.post("/admin/users/"+id+"/password", url.Values{"password": {"admin's new passphrase"}, "password2": {"admin's new passphrase"}}).
		redirectsTo(t, "/admin/users/"+id)
	c.get("/admin/users").want(t, http.StatusOK)
}

func TestLanguageSwitch(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.as(t, "analyst")
	c.post("/language", url.Values{"lang": {"ru"}, "next": {"/orgs?sector=finance"}}).redirectsTo(t, "/orgs?sector=finance")
	c.get("/orgs").contains(t, `<html lang="ru">`, "Организации", `value="ru" lang="ru" title="Русский" aria-pressed="true"`)
	if u, _ := f.store.GetUser(context.Background(), f.users["analyst"].ID); u.Language != "ru" {
		t.Errorf("stored language %q, want ru", u.Language)
	}
	c.post("/language", url.Values{"lang": {"xx"}}).want(t, http.StatusBadRequest)
	c.post("/language", url.Values{"lang": {"en"}, "next": {"//evil.example"}}).redirectsTo(t, "/")

	// Anonymous visitors keep their choice in a cookie.
	a := f.anon(t)
	a.post("/language", url.Values{"lang": {"en"}, "next": {"/login"}}).redirectsTo(t, "/login")
	a.get("/login").contains(t, `<html lang="en">`, "Sign in")
}
