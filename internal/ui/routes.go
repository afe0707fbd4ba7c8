package ui

import (
	"net/http"
	"net/url"

	"github.com/qalxan/qalxan/internal/auth"
)

// pageFunc is a handler for a signed-in user.
type pageFunc func(w http.ResponseWriter, r *http.Request, u *auth.User)

// routes is the one table of every URL the interface answers.
func (h *handler) routes(mux *http.ServeMux) {
	// Open to anonymous visitors.
	mux.HandleFunc("GET /static/{hash}/{name}", h.static)
	mux.HandleFunc("GET /login", h.loginForm)
	mux.HandleFunc("POST /login", h.login)
	mux.HandleFunc("POST /language", h.setLanguage)
	mux.HandleFunc("GET /n/{token}", h.noticeLink)
	// The public report form: citizens report without an account.
	mux.HandleFunc("GET /report", h.reportForm)
	mux.HandleFunc("POST /report", h.reportSubmit)
	mux.HandleFunc("GET /report/status", h.reportStatus)

	// Everything else needs a session.
	page := func(pattern string, fn pageFunc) { mux.Handle(pattern, h.signedIn(fn)) }
	page("POST /logout", h.logout)
	page("GET /{$}", h.dashboard)
	page("GET /search", h.search)
	page("GET /events", h.eventList)
	page("GET /events/{id}", h.eventView)
	page("GET /findings", h.findingList)
	page("GET /findings/export.csv", h.findingExport)
	page("GET /findings/{id}", h.findingView)
	page("GET /findings/{id}/events.csv", h.findingEvents)
	page("POST /findings/{id}/{action}", h.findingAct)
	page("GET /brands", h.brandList)
	page("POST /brands", h.brandCreate)
	page("POST /brands/candidates/{id}/{status}", h.candidateTriage)
	page("GET /brands/candidates/{id}", h.candidateViewPage)
	page("POST /brands/candidates/{id}/incident", h.candidateIncident)
	page("POST /brands/candidates/{id}/check", h.candidateCheck)
	page("GET /brands/{id}", h.brandEditForm)
	page("POST /brands/{id}", h.brandUpdate)
	page("POST /brands/{id}/delete", h.brandDelete)
	page("GET /incidents", h.incidentList)
	page("GET /incidents/new", h.incidentNewForm)
	page("POST /incidents/new", h.incidentCreate)
	page("GET /incidents/{id}", h.incidentView)
	page("POST /incidents/{id}/{action}", h.incidentAct)
	page("GET /incidents/triage", h.triageQueue)
	page("POST /incidents/triage/{id}/{decision}", h.triageDecide)
	page("GET /incidents/triage/{id}/files/{file}", h.reportFile)
	page("POST /incidents/{id}/evidence", h.incidentEvidence)
	page("GET /incidents/export.csv", h.incidentExport)
	page("POST /incidents/views", h.incidentViewSave)
	page("POST /incidents/views/{id}/delete", h.incidentViewDelete)
	page("GET /stats", h.statsPage)
	page("GET /stats/export", h.statsExport)
	page("GET /stats/incidents/export", h.incidentStatsExport)
	page("GET /monitor", h.monitorList)
	page("GET /monitor/{id}", h.monitorView)
	page("POST /monitor/{id}/baseline", h.monitorAcceptContent)
	page("GET /monitor/orgs/{short}", h.monitorOrg)

	// Pages about the whole list sit under /orgs/-/: "-" cannot start a
	// short name, so no organisation (not even one called "new") is hidden
	// behind them. GitLab separates its routes the same way.
	page("GET /orgs", h.orgList)
	page("GET /orgs/-/export", h.orgExport)
	page("GET /orgs/-/new", h.orgNewForm)
	page("POST /orgs/-/new", h.orgCreate)
	page("GET /orgs/{short}", h.orgView)
	page("GET /orgs/{short}/edit", h.orgEditForm)
	page("POST /orgs/{short}/edit", h.orgUpdate)
	page("POST /orgs/{short}/delete", h.orgDelete)
	page("POST /orgs/{short}/resources", h.resourceAdd)
	page("POST /orgs/{short}/resources/{id}/delete", h.resourceDelete)
	page("POST /orgs/{short}/contacts", h.contactAdd)
	page("POST /orgs/{short}/contacts/{id}/delete", h.contactDelete)

	page("GET /admin/users", h.userList)
	page("GET /admin/users/new", h.userNewForm)
	page("POST /admin/users/new", h.userCreate)
	page("GET /admin/users/{id}", h.userEditForm)
	page("POST /admin/users/{id}", h.userUpdate)
	page("POST /admin/users/{id}/password", h.userPassword)
	page("GET /admin/audit", h.auditList)
	page("GET /admin/notices", h.noticeList)

	// Unknown paths get the 404 page, but only after sign-in: an anonymous
	// visitor learns nothing about which URLs exist.
	page("/", func(w http.ResponseWriter, r *http.Request, u *auth.User) { h.notFound(w, r, u) })
}

// signedIn sends anonymous visitors to the login page, remembering where
// they were going when that is a page they can come back to (a GET).
func (h *handler) signedIn(fn pageFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := auth.UserFrom(r.Context())
		if u == nil {
			target := "/login"
			if r.Method == http.MethodGet && r.URL.Path != "/" {
				target += "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return
		}
		// Pages show personal data and per-user content: no shared caches.
		w.Header().Set("Cache-Control", "no-store")
		fn(w, r, u)
	})
}
