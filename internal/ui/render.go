package ui

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/i18n"
)

//go:embed templates
var templateFS embed.FS

// pages holds one parsed template set per page and language. Binding the
// language at parse time lets templates write {{t "key"}} without passing
// the language around, at the cost of parsing each page three times at
// start-up (milliseconds).
type pages struct {
	sets map[string]map[string]*template.Template // language → page → template
}

// parsePages parses every page in templates/ (all but the shared layout and
// partials) together with the layout, once per language.
func parsePages(funcs func(lang string) template.FuncMap) *pages {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	p := &pages{sets: map[string]map[string]*template.Template{}}
	for _, lang := range i18n.Languages() {
		p.sets[lang] = map[string]*template.Template{}
		for _, n := range names {
			name := strings.TrimSuffix(path.Base(n), ".html")
			if name == "layout" || name == "partials" {
				continue
			}
			t := template.New("layout").Funcs(funcs(lang))
			p.sets[lang][name] = template.Must(t.ParseFS(templateFS, "templates/layout.html", "templates/partials.html", n))
		}
	}
	return p
}

// view is what every page passes to the layout. Page data embeds it, so
// templates reach both as {{.User}} and {{.Orgs}}.
type view struct {
	Lang   string
	User   *auth.User // nil on the login page
	Title  string     // translated
	Nav    string     // the navigation item to highlight
	Path   string     // the current URL, where the language switcher returns to
	Search string     // the search box's content
	Flash  string     // translated one-time notice after a redirect
}

func (v *view) lang() string { return v.Lang }

// Can reports whether the signed-in user's role has a permission; templates
// use it to show only the actions the user may take.
func (v *view) Can(p string) bool { return v.User != nil && v.User.Role.Can(auth.Permission(p)) }

// Languages lists the languages for the switcher.
func (v *view) Languages() []string { return i18n.Languages() }

// newView starts the data of a page: the user's language, a translated
// title and the flash notice left by the previous request, if any.
func (h *handler) newView(w http.ResponseWriter, r *http.Request, u *auth.User, titleKey, nav string) view {
	lang := requestLanguage(r, u)
	return view{
		Lang:  lang,
		User:  u,
		Title: i18n.T(lang, titleKey),
		Nav:   nav,
		Path:  returnPath(r),
		Flash: takeFlash(w, r, lang),
	}
}

// returnPath is where the language switcher brings the user back to: the
// current page, or the dashboard after a POST (whose URL may have no GET).
func returnPath(r *http.Request) string {
	if r.Method == http.MethodGet {
		return r.URL.RequestURI()
	}
	return "/"
}

var errNoTemplate = errors.New("no such template")

// render executes a page into a buffer first, so a template error becomes a
// clean 500 page instead of half a page followed by garbage.
func (h *handler) render(w http.ResponseWriter, r *http.Request, status int, page string, data interface{ lang() string }) {
	t := h.pages.sets[data.lang()][page]
	if t == nil {
		t = h.pages.sets[i18n.Default][page]
	}
	var buf bytes.Buffer
	err := errNoTemplate
	if t != nil {
		err = t.ExecuteTemplate(&buf, "layout", data)
	}
	if err != nil {
		h.Log.Error("ui: render", "page", page, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}
