package ui_test

import (
	"net/http"
	"regexp"
	"strconv"
	"testing"

	"github.com/qalxan/qalxan/internal/i18n"
)

// leftoverKey finds catalogue keys shown as text: what T returns for a
// key no catalogue has.
var leftoverKey = regexp.MustCompile(`>\s*(action|audit|contact|dashboard|error|filter|flash|layout|login|nav|org|orgs|pager|resource|search|shortcuts|users|sector|kind|criticality|contact_role|role|object)\.[a-z_]+`)

// TestPagesInEveryLanguage renders every page for a user of each language
// and checks that it is in that language, whole.
func TestPagesInEveryLanguage(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	adminID := strconv.FormatInt(f.users["admin"].ID, 10)
	pages := []struct {
		path   string
		status int
	}{
		{"/", http.StatusOK},
		{"/orgs", http.StatusOK},
		{"/orgs?sector=finance&cii=yes", http.StatusOK},
		{"/orgs?contacts=none", http.StatusOK},
		{"/orgs/mdt", http.StatusOK},
		{"/orgs/mdt/edit", http.StatusOK},
		{"/orgs/-/new", http.StatusOK},
		{"/admin/users", http.StatusOK},
		{"/admin/users/new", http.StatusOK},
		{"/admin/users/" + adminID, http.StatusOK},
		{"/admin/audit", http.StatusOK},
		{"/no/such/page", http.StatusNotFound},
		{"/orgs/no-such-org", http.StatusNotFound},
	}
	want := map[string][]string{
		"az": {`<html lang="az">`, "Təşkilatlar", "Çıxış"},
		"en": {`<html lang="en">`, "Organisations", "Sign out"},
		"ru": {`<html lang="ru">`, "Организации", "Выйти"},
	}
	for _, lang := range i18n.Languages() {
		c := f.as(t, "admin")
		c.post("/language", map[string][]string{"lang": {lang}, "next": {"/"}}).redirectsTo(t, "/")
		for _, p := range pages {
			r := c.get(p.path).want(t, p.status).contains(t, want[lang]...)
			if m := leftoverKey.FindString(r.body); m != "" && p.path != "/admin/audit" {
				t.Errorf("%s %s: untranslated key %q", lang, p.path, m)
			}
		}
	}
	// The login page follows the language cookie or the browser.
	for _, lang := range i18n.Languages() {
		c := f.anon(t)
		c.lang = lang + "-XX,en;q=0.5"
		c.get("/login").want(t, http.StatusOK).contains(t, `<html lang="`+lang+`">`, i18n.T(lang, "login.submit"))
	}
}
