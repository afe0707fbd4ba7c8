package ui

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/errs"
)

type searchView struct {
	view
	Query string
	Orgs  []*constituency.Org
}

// search (GET /search?q=) takes whatever an analyst pastes: an IP, a
// network, a domain, a URL, an AS number, a short name or part of a name.
// One owner found → straight to its page; several → a short list; none →
// the organisation list filtered by the text.
func (h *handler) search(w http.ResponseWriter, r *http.Request, u *auth.User) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if q == "" {
		redirect(w, r, "/orgs")
		return
	}
	sc := auth.ScopeFor(u)
	ctx := r.Context()
	// The matcher knows every organisation; each owner is read again within
	// the user's scope, so an agency officer never learns who owns
	// something outside their own organisations.
	var found []*constituency.Org
	for _, short := range h.Registry.Matcher().Lookup(q) {
		o, err := h.Store.GetOrgByShortName(ctx, sc, short)
		if errs.Is(err, errs.NotFound) {
			continue
		}
		if err != nil {
			h.fail(w, r, u, err)
			return
		}
		found = append(found, o)
	}
	if len(found) == 0 && constituency.ValidShortName(strings.ToLower(q)) {
		o, err := h.Store.GetOrgByShortName(ctx, sc, q)
		switch {
		case err == nil:
			found = append(found, o)
		case !errs.Is(err, errs.NotFound):
			h.fail(w, r, u, err)
			return
		}
	}
	switch len(found) {
	case 0:
		redirect(w, r, "/orgs?q="+url.QueryEscape(q))
	case 1:
		redirect(w, r, orgURL(found[0].ShortName))
	default:
		v := searchView{view: h.newView(w, r, u, "search.title", "orgs"), Query: q, Orgs: found}
		v.Search = q
		h.render(w, r, http.StatusOK, "search", &v)
	}
}
