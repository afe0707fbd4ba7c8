package ui_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

func TestStaticFiles(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	page := f.anon(t).get("/login").want(t, http.StatusOK)
	for _, name := range []string{"app.css", "app.js", "icon.svg"} {
		m := regexp.MustCompile(`"(/static/[0-9a-f]{12}/` + regexp.QuoteMeta(name) + `)"`).FindStringSubmatch(page.body)
		if m == nil {
			t.Fatalf("login page links no hashed %s", name)
		}
		// Anonymous visitors get the files: the login page needs them.
		r := f.anon(t).get(m[1]).want(t, http.StatusOK)
		if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") || !strings.Contains(cc, "immutable") {
			t.Errorf("%s: Cache-Control %q, want a year, immutable", name, cc)
		}
		if r.Header.Get("ETag") == "" || r.Header.Get("Content-Type") == "" || len(r.body) == 0 {
			t.Errorf("%s: headers %v, %d bytes", name, r.Header, len(r.body))
		}
		// An old version's URL still gets the file, but must not be cached as it.
		old := f.anon(t).get("/static/000000000000/"+name).want(t, http.StatusOK)
		if cc := old.Header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("%s under an old hash: Cache-Control %q, want no-cache", name, cc)
		}
	}
	css := f.anon(t).get(regexp.MustCompile(`/static/[0-9a-f]{12}/app.css`).FindString(page.body))
	if ct := css.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("app.css Content-Type %q", ct)
	}
	f.anon(t).get("/static/000000000000/nosuch.css").want(t, http.StatusNotFound)
	// The CSP forbids inline script and style: pages must not need them.
	for _, bad := range []string{"<script>", " style=", "<style", " onclick=", " onsubmit="} {
		page.lacks(t, bad)
		f.as(t, "admin").get("/orgs/mdt").lacks(t, bad)
	}
}
