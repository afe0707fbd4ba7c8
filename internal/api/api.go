// Package api is Qalxan's JSON API under /api/v1/. Handlers are grouped
// one file per resource; this file holds the route table, which is also
// what the OpenAPI and authorization tests check the implementation against.
//
// Every route states the permission it needs. Tenancy is not a handler
// decision: handlers pass the caller's auth.Scope to storage, so another
// organisation's objects are simply not found (404, never 403, which would
// confirm they exist).
package api

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/server"
	"github.com/qalxan/qalxan/internal/storage"
)

// Prefix is where the API lives; route patterns are full paths below it.
const Prefix = "/api/v1"

// Deps is what the API needs.
type Deps struct {
	Store    *storage.Store
	Log      *slog.Logger
	Registry *constituency.Registry // current ownership matcher, for /lookup
	// RegistryChanged is called after any change to organisations or
	// resources (may be nil); the wiring rebuilds the matcher.
	RegistryChanged func()
	// Incidents are the severity criteria, playbooks and phone region
	// (the zero value: incident.DefaultRules).
	Incidents incident.Rules
	// PublicReports limits the public report form per client address:
	// Burst reports at once, then one per Every (zero: 5, then one a minute).
	PublicReportBurst int
	PublicReportEvery time.Duration
	// ReportLimiter and StatusLimiter, when set, are the limiters of the
	// public report and status routes, shared with the HTML form (else
	// the API makes its own from the settings above).
	ReportLimiter, StatusLimiter *server.Limiter
}

// Route is one API endpoint as the route table declares it.
type Route struct {
	Method     string
	Pattern    string          // full path, stdlib ServeMux syntax: "/api/v1/orgs/{org}"
	Permission auth.Permission // "" = any signed-in user
	Public     bool            // no sign-in needed
}

// handler is an API handler: it writes its success response itself and
// returns errors for the caller to write in the uniform shape. u is nil
// only on Public routes.
type handler func(w http.ResponseWriter, r *http.Request, u *auth.User) error

type route struct {
	Route
	h handler
}

// API is the /api/v1/ handler.
type API struct {
	d      Deps
	mux    *http.ServeMux
	routes []route
	// limiter throttles the public report form per client; statusLimiter
	// the look-ups by tracking code, which are cheap and more frequent.
	limiter, statusLimiter *server.Limiter
}

var _ http.Handler = (*API)(nil)

// New builds the API and registers its routes.
func New(d Deps) *API {
	if d.Log == nil {
		d.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if d.Registry == nil {
		d.Registry = &constituency.Registry{}
	}
	if d.PublicReportBurst <= 0 {
		d.PublicReportBurst = 5
	}
	if d.PublicReportEvery <= 0 {
		d.PublicReportEvery = time.Minute
	}
	if d.ReportLimiter == nil {
		d.ReportLimiter = server.NewLimiter(d.PublicReportBurst, d.PublicReportEvery)
	}
	if d.StatusLimiter == nil {
		d.StatusLimiter = server.NewStatusLimiter()
	}
	a := &API{d: d, mux: http.NewServeMux(), limiter: d.ReportLimiter, statusLimiter: d.StatusLimiter}
	a.routes = []route{
		a.route("GET", "/whoami", "", a.whoami),
		a.route("GET", "/overview", auth.ReadDashboard, a.overview),

		a.route("GET", "/orgs", auth.ReadOrgs, a.listOrgs),
		a.route("POST", "/orgs", auth.WriteOrgs, a.createOrg),
		a.route("POST", "/orgs/import", auth.ImportOrgs, a.importOrgs),
		// Export includes every contact: personal data, so it needs the
		// permission to read contacts, and the caller's scope limits it.
		a.route("GET", "/orgs/export", auth.ReadContacts, a.exportOrgs),
		a.route("GET", "/orgs/{org}", auth.ReadOrgs, a.getOrg),
		a.route("PATCH", "/orgs/{org}", auth.WriteOrgs, a.updateOrg),
		a.route("DELETE", "/orgs/{org}", auth.WriteOrgs, a.deleteOrg),

		a.route("GET", "/orgs/{org}/resources", auth.ReadOrgs, a.listResources),
		a.route("POST", "/orgs/{org}/resources", auth.WriteOrgs, a.createResource),
		a.route("GET", "/resources/{id}", auth.ReadOrgs, a.getResource),
		a.route("PATCH", "/resources/{id}", auth.WriteOrgs, a.updateResource),
		a.route("DELETE", "/resources/{id}", auth.WriteOrgs, a.deleteResource),

		a.route("GET", "/orgs/{org}/contacts", auth.ReadContacts, a.listContacts),
		a.route("POST", "/orgs/{org}/contacts", auth.WriteOrgs, a.createContact),
		a.route("GET", "/contacts/{id}", auth.ReadContacts, a.getContact),
		a.route("PATCH", "/contacts/{id}", auth.WriteOrgs, a.updateContact),
		a.route("DELETE", "/contacts/{id}", auth.WriteOrgs, a.deleteContact),

		a.route("GET", "/lookup", auth.ReadOrgs, a.lookup),

		// Events: the scope decides which (an agency its own, a partner
		// what TLP allows); every export is audited.
		a.route("GET", "/events", auth.ReadEvents, a.listEvents),
		a.route("GET", "/events/export", auth.ReadEvents, a.exportEvents),
		a.route("GET", "/events/{id}", auth.ReadEvents, a.getEvent),

		// Statistics: the figures of a period as the scope sees them (an
		// agency its own organisation's).
		a.route("GET", "/stats", auth.ReadFindings, a.getStats),
		a.route("GET", "/stats/export", auth.ReadFindings, a.exportStats),
		// Incident statistics: of the incidents the scope sees.
		a.route("GET", "/stats/incidents", auth.ReadIncidents, a.getIncidentStats),
		a.route("GET", "/stats/incidents/export", auth.ReadIncidents, a.exportIncidentStats),

		// Findings: the scope decides which; an agency acknowledges,
		// resolves and disputes its own, staff do the rest (storage checks
		// which move needs which permission).
		a.route("GET", "/findings", auth.ReadFindings, a.listFindings),
		a.route("GET", "/findings/{id}", auth.ReadFindings, a.getFinding),
		a.route("POST", "/findings/{id}/transition", auth.UpdateFindings, a.transitionFinding),
		a.route("POST", "/findings/{id}/severity", auth.ManageFindings, a.setFindingSeverity),
		a.route("POST", "/findings/{id}/assign", auth.ManageFindings, a.assignFinding),
		a.route("GET", "/findings/{id}/events", auth.ReadFindings, a.findingEvents),

		// Monitoring: the scorecards, in the caller's scope (monitor.go).
		a.route("GET", "/monitor/runs", auth.ReadFindings, a.listMonitorRuns),
		a.route("GET", "/resources/{id}/monitor", auth.ReadFindings, a.getResourceMonitor),
		a.route("POST", "/resources/{id}/monitor/baseline", auth.ManageFindings, a.acceptResourceContent),
		a.route("GET", "/orgs/{org}/monitor", auth.ReadFindings, a.getOrgMonitor),

		// Incidents: the scope decides which (an agency those affecting its
		// organisations, a partner what TLP allows); staff work them, an
		// agency may add notes to its own.
		a.route("GET", "/incidents", auth.ReadIncidents, a.listIncidents),
		a.route("POST", "/incidents", auth.WriteIncidents, a.createIncident),
		a.route("GET", "/incidents/{id}", auth.ReadIncidents, a.getIncident),
		a.route("PATCH", "/incidents/{id}", auth.WriteIncidents, a.updateIncident),
		a.route("POST", "/incidents/{id}/transition", auth.WriteIncidents, a.transitionIncident),
		a.route("POST", "/incidents/{id}/assess", auth.WriteIncidents, a.assessIncident),
		a.route("POST", "/incidents/{id}/severity", auth.WriteIncidents, a.overrideIncidentSeverity),
		a.route("POST", "/incidents/{id}/assign", auth.WriteIncidents, a.assignIncident),
		a.route("POST", "/incidents/{id}/notes", auth.CommentIncidents, a.addIncidentNote),
		a.route("POST", "/incidents/{id}/tasks", auth.WriteIncidents, a.addIncidentTask),
		a.route("PATCH", "/incident-tasks/{id}", auth.WriteIncidents, a.updateIncidentTask),
		a.route("POST", "/incidents/{id}/observables", auth.WriteIncidents, a.addIncidentObservable),
		a.route("DELETE", "/incidents/{id}/observables/{obs}", auth.WriteIncidents, a.deleteIncidentObservable),
		// Evidence: staff upload; whoever sees the incident (but a partner)
		// downloads, each export in the file's chain of custody.
		a.route("POST", "/incidents/{id}/evidence", auth.WriteIncidents, a.addEvidence),
		a.route("GET", "/incidents/{id}/evidence", auth.ReadIncidents, a.listEvidence),
		a.route("GET", "/incidents/{id}/evidence/{ev}", auth.ReadIncidents, a.getEvidence),
		a.route("GET", "/incidents/{id}/evidence/{ev}/custody", auth.ReadIncidents, a.evidenceCustody),
		a.route("POST", "/incidents/{id}/takedowns", auth.WriteIncidents, a.createTakedown),
		a.route("POST", "/takedowns/{id}/transition", auth.WriteIncidents, a.transitionTakedown),
		a.route("GET", "/indicators", auth.ExportIndicators, a.exportIndicators),
		// Reports: agencies, banks and partners send them; staff triage
		// them (the reporters' personal data: reads audited). Citizens use
		// the public routes, without an account.
		a.route("POST", "/incident-reports", auth.SubmitReports, a.submitReport),
		a.route("GET", "/incident-reports", auth.ReadReports, a.listReports),
		a.route("GET", "/incident-reports/{id}", auth.ReadReports, a.getReport),
		a.route("GET", "/incident-reports/{id}/files/{file}", auth.ReadReports, a.getReportFile),
		a.route("POST", "/incident-reports/{id}/triage", auth.TriageReports, a.triageReport),
		{Route{Method: "POST", Pattern: Prefix + "/public/reports", Public: true}, a.submitPublicReport},
		{Route{Method: "GET", Pattern: Prefix + "/public/reports/{code}", Public: true}, a.publicReportStatus},

		// Brand protection: staff keep the brands and triage the look-alikes
		// found for them; an agency sees its own organisation's.
		a.route("GET", "/brands", auth.ReadBrands, a.listBrands),
		a.route("POST", "/brands", auth.ManageBrands, a.createBrand),
		a.route("GET", "/brands/{id}", auth.ReadBrands, a.getBrand),
		a.route("PATCH", "/brands/{id}", auth.ManageBrands, a.updateBrand),
		a.route("DELETE", "/brands/{id}", auth.ManageBrands, a.deleteBrand),
		a.route("GET", "/lookalike-candidates", auth.ReadBrands, a.listCandidates),
		a.route("POST", "/lookalike-candidates/{id}/status", auth.ManageBrands, a.setCandidateStatus),
		a.route("GET", "/lookalike-candidates/{id}", auth.ReadBrands, a.getCandidate),
		a.route("POST", "/lookalike-candidates/{id}/incident", auth.ManageBrands, a.openCandidateIncident),

		a.route("GET", "/users", auth.ReadUsers, a.listUsers),
		a.route("POST", "/users", auth.ManageUsers, a.createUser),
		a.route("GET", "/users/{id}", auth.ReadUsers, a.getUser),
		a.route("PATCH", "/users/{id}", auth.ManageUsers, a.updateUser),
		a.route("POST", "/users/{id}/password", auth.ManageUsers, a.setPassword),

		a.route("GET", "/tokens", auth.ManageOwnToken, a.listTokens),
		a.route("POST", "/tokens", auth.ManageOwnToken, a.createToken),
		a.route("DELETE", "/tokens/{id}", auth.ManageOwnToken, a.revokeToken),

		a.route("GET", "/audit", auth.ReadAudit, a.listAudit),

		a.route("GET", "/notices", auth.ReadNotices, a.listNotices),

		{Route{Method: "GET", Pattern: Prefix + "/openapi.json", Public: true}, a.openAPI},
	}
	for _, rt := range a.routes {
		a.mux.Handle(rt.Method+" "+rt.Pattern, a.guard(rt))
	}
	a.mux.HandleFunc(Prefix+"/", a.unmatched)
	return a
}

func (a *API) route(method, path string, p auth.Permission, h handler) route {
	return route{Route{Method: method, Pattern: Prefix + path, Permission: p}, h}
}

// Routes lists every route.
func (a *API) Routes() []Route {
	out := make([]Route, len(a.routes))
	for i, rt := range a.routes {
		out[i] = rt.Route
	}
	return out
}

// ServeHTTP serves the API.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Responses carry registry data and personal data: no cache may keep them.
	w.Header().Set("Cache-Control", "no-store")
	a.mux.ServeHTTP(w, r)
}

// guard authorizes a request before its handler runs: a user must be
// signed in (the server has authenticated the credentials already) and
// their role must have the route's permission.
func (a *API) guard(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := auth.UserFrom(r.Context())
		if !rt.Public {
			if u == nil {
				a.fail(w, r, errs.E(errs.Unauthorized, "sign in, or send Authorization: Bearer <API token>"))
				return
			}
			if rt.Permission != "" && !u.Role.Can(rt.Permission) {
				a.fail(w, r, errs.E(errs.Forbidden, "the %s role does not have the %s permission", u.Role, rt.Permission))
				return
			}
		}
		if err := rt.h(w, r, u); err != nil {
			a.fail(w, r, err)
		}
	})
}

// unmatched answers requests no route takes, in the API's JSON shape
// rather than the mux's plain text: 405 with Allow when the path exists
// for other methods, 404 otherwise.
func (a *API) unmatched(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete} {
		probe := *r
		probe.Method = m
		if _, pattern := a.mux.Handler(&probe); pattern != Prefix+"/" {
			allow = append(allow, m)
		}
	}
	if len(allow) == 0 {
		a.fail(w, r, errs.E(errs.NotFound, "no API endpoint %s; the list is at %s/openapi.json", r.URL.Path, Prefix))
		return
	}
	w.Header().Set("Allow", strings.Join(allow, ", "))
	a.fail(w, r, &errs.Error{Code: codeMethodNotAllowed, Message: r.Method + " is not allowed here; use " + strings.Join(allow, " or ")})
}

// actor is who the audit log records for a request.
func actor(r *http.Request, u *auth.User) auth.Actor { return auth.ActorOf(u, server.ClientIP(r)) }

// registryChanged tells the wiring that the ownership matcher is stale.
func (a *API) registryChanged() {
	if a.d.RegistryChanged != nil {
		a.d.RegistryChanged()
	}
}
