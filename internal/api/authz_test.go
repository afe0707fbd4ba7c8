package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/api"
	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/storage"
)

// target says which object a row's path names.
type target int

const (
	none  target = iota // the path has no object
	own                 // the agency user's organisation (or its resource, contact; the caller's own user or token)
	other               // the other organisation (or its resource, contact; another user, their token)
)

func (t target) String() string { return [...]string{"none", "own", "other"}[t] }

// matrixCallers are the columns of codes, in order.
var matrixCallers = [...]string{admin, analyst, auditor, partner, agency, anonymous}

// codes are the expected statuses for admin, analyst, auditor, partner,
// agency (bound to "own") and an anonymous caller.
type codes [len(matrixCallers)]int

// matrixRow is one route against one target. query is appended to the
// path; contains, if set, must appear in every successful response (so
// that the absence of the other organisation's data means something).
type matrixRow struct {
	route    string
	target   target
	want     codes
	query    string
	contains string
}

// matrix is the authorization matrix: every route, every role, own and
// other organisation. A route missing from it fails TestAuthorizationMatrix.
var matrix = []matrixRow{
	{route: "GET /api/v1/whoami", want: codes{200, 200, 200, 200, 200, 401}},
	{route: "GET /api/v1/overview", want: codes{200, 200, 200, 200, 200, 401}},

	{route: "GET /api/v1/orgs", want: codes{200, 200, 200, 200, 200, 401}, contains: "alpha-agency"},
	{route: "POST /api/v1/orgs", want: codes{201, 201, 403, 403, 403, 401}},
	{route: "POST /api/v1/orgs/import", want: codes{200, 200, 403, 403, 403, 401}},
	{route: "GET /api/v1/orgs/export", want: codes{200, 200, 200, 403, 200, 401}, contains: "cert@alpha.example"},
	{route: "GET /api/v1/orgs/{org}", target: own, want: codes{200, 200, 200, 200, 200, 401}, contains: "alpha-agency"},
	{route: "GET /api/v1/orgs/{org}", target: other, want: codes{200, 200, 200, 404, 404, 401}},
	{route: "PATCH /api/v1/orgs/{org}", target: own, want: codes{200, 200, 403, 403, 403, 401}},
	{route: "PATCH /api/v1/orgs/{org}", target: other, want: codes{200, 200, 403, 403, 403, 401}},
	{route: "DELETE /api/v1/orgs/{org}", target: own, want: codes{204, 204, 403, 403, 403, 401}},
	{route: "DELETE /api/v1/orgs/{org}", target: other, want: codes{204, 204, 403, 403, 403, 401}},

	{route: "GET /api/v1/orgs/{org}/resources", target: own, want: codes{200, 200, 200, 200, 200, 401}, contains: "192.0.2.0/24"},
	{route: "GET /api/v1/orgs/{org}/resources", target: other, want: codes{200, 200, 200, 404, 404, 401}},
	{route: "POST /api/v1/orgs/{org}/resources", target: own, want: codes{201, 201, 403, 403, 403, 401}},
	{route: "POST /api/v1/orgs/{org}/resources", target: other, want: codes{201, 201, 403, 403, 403, 401}},
	{route: "GET /api/v1/resources/{id}", target: own, want: codes{200, 200, 200, 200, 200, 401}, contains: "192.0.2.0/24"},
	{route: "GET /api/v1/resources/{id}", target: other, want: codes{200, 200, 200, 404, 404, 401}},
	{route: "PATCH /api/v1/resources/{id}", target: own, want: codes{200, 200, 403, 403, 403, 401}},
	{route: "PATCH /api/v1/resources/{id}", target: other, want: codes{200, 200, 403, 403, 403, 401}},
	{route: "DELETE /api/v1/resources/{id}", target: own, want: codes{204, 204, 403, 403, 403, 401}},
	{route: "DELETE /api/v1/resources/{id}", target: other, want: codes{204, 204, 403, 403, 403, 401}},

	{route: "GET /api/v1/orgs/{org}/contacts", target: own, want: codes{200, 200, 200, 403, 200, 401}, contains: "cert@alpha.example"},
	{route: "GET /api/v1/orgs/{org}/contacts", target: other, want: codes{200, 200, 200, 403, 404, 401}},
	{route: "POST /api/v1/orgs/{org}/contacts", target: own, want: codes{201, 201, 403, 403, 403, 401}},
	{route: "POST /api/v1/orgs/{org}/contacts", target: other, want: codes{201, 201, 403, 403, 403, 401}},
	{route: "GET /api/v1/contacts/{id}", target: own, want: codes{200, 200, 200, 403, 200, 401}, contains: "cert@alpha.example"},
	{route: "GET /api/v1/contacts/{id}", target: other, want: codes{200, 200, 200, 403, 404, 401}},
	{route: "PATCH /api/v1/contacts/{id}", target: own, want: codes{200, 200, 403, 403, 403, 401}},
	{route: "PATCH /api/v1/contacts/{id}", target: other, want: codes{200, 200, 403, 403, 403, 401}},
	{route: "DELETE /api/v1/contacts/{id}", target: own, want: codes{204, 204, 403, 403, 403, 401}},
	{route: "DELETE /api/v1/contacts/{id}", target: other, want: codes{204, 204, 403, 403, 403, 401}},

	// One address of each organisation: the answer may name only the
	// owners the caller can see.
	{route: "GET /api/v1/lookup", query: "?value=192.0.2.5&value=198.51.100.7", want: codes{200, 200, 200, 200, 200, 401}, contains: "alpha-agency"},

	// Events of "own", of "other" (its data names the other organisation,
	// so a leak trips the secrets check) and of both (owners filtered).
	{route: "GET /api/v1/events", want: codes{200, 200, 200, 200, 200, 401}, contains: "alpha-agency"},
	{route: "GET /api/v1/events", query: "?ip=198.51.100.0/24", want: codes{200, 200, 200, 200, 200, 401}},
	{route: "GET /api/v1/events/export", want: codes{200, 200, 200, 200, 200, 401}, contains: "alpha-agency"},
	{route: "GET /api/v1/events/export", query: "?format=json", want: codes{200, 200, 200, 200, 200, 401}, contains: "alpha-agency"},
	{route: "GET /api/v1/events/{id}", target: own, want: codes{200, 200, 200, 200, 200, 401}, contains: "alpha-agency"},
	{route: "GET /api/v1/events/{id}", target: other, want: codes{200, 200, 200, 404, 404, 401}},

	// Statistics: a partner sees no findings, so no figures of them; an
	// agency its own organisation's.
	{route: "GET /api/v1/stats", query: "?period=2026-11", want: codes{200, 200, 200, 403, 200, 401}, contains: "resources_with_gaps"},
	{route: "GET /api/v1/stats/export", query: "?period=2026-Q4", want: codes{200, 200, 200, 403, 200, 401}, contains: "summary,2026-Q4"},
	// Incident statistics: of the incidents the caller sees (a partner
	// what TLP allows, an agency its own organisation's).
	{route: "GET /api/v1/stats/incidents", query: "?year=2026", want: codes{200, 200, 200, 200, 200, 401}, contains: "incidents_opened"},
	{route: "GET /api/v1/stats/incidents", query: "?period=2026-13", want: codes{400, 400, 400, 400, 400, 401}},
	{route: "GET /api/v1/stats/incidents/export", query: "?period=2026-Q4", want: codes{200, 200, 200, 200, 200, 401}, contains: "summary,2026-Q4"},

	// Findings of "own" and of "other" (which names the other
	// organisation): a partner sees none, an agency only its own and may
	// acknowledge, resolve or dispute it; staff do the rest.
	{route: "GET /api/v1/findings", want: codes{200, 200, 200, 403, 200, 401}, contains: "alpha-agency"},
	{route: "GET /api/v1/findings/{id}", target: own, want: codes{200, 200, 200, 403, 200, 401}, contains: "alpha-agency"},
	{route: "GET /api/v1/findings/{id}", target: other, want: codes{200, 200, 200, 403, 404, 401}},
	{route: "POST /api/v1/findings/{id}/transition", target: own, want: codes{200, 200, 403, 403, 200, 401}},
	{route: "POST /api/v1/findings/{id}/transition", target: other, want: codes{200, 200, 403, 403, 404, 401}},
	{route: "POST /api/v1/findings/{id}/severity", target: own, want: codes{200, 200, 403, 403, 403, 401}},
	{route: "POST /api/v1/findings/{id}/severity", target: other, want: codes{200, 200, 403, 403, 403, 401}},
	{route: "POST /api/v1/findings/{id}/assign", target: own, want: codes{200, 200, 403, 403, 403, 401}},
	{route: "POST /api/v1/findings/{id}/assign", target: other, want: codes{200, 200, 403, 403, 403, 401}},

	// Monitoring scorecards: as findings, no partner; an agency its own resources.
	{route: "GET /api/v1/monitor/runs", want: codes{200, 200, 200, 403, 200, 401}},
	{route: "GET /api/v1/resources/{id}/monitor", target: own, want: codes{200, 200, 200, 403, 200, 401}, contains: "192.0.2.0/24"},
	{route: "GET /api/v1/resources/{id}/monitor", target: other, want: codes{200, 200, 200, 403, 404, 401}},
	{route: "POST /api/v1/resources/{id}/monitor/baseline", target: own, want: codes{200, 200, 403, 403, 403, 401}, contains: "baseline_at"},
	{route: "POST /api/v1/resources/{id}/monitor/baseline", target: other, want: codes{200, 200, 403, 403, 403, 401}, contains: "baseline_at"},
	{route: "GET /api/v1/orgs/{org}/monitor", target: own, want: codes{200, 200, 200, 403, 200, 401}, contains: "192.0.2.0/24"},
	{route: "GET /api/v1/orgs/{org}/monitor", target: other, want: codes{200, 200, 200, 403, 404, 401}},
	{route: "GET /api/v1/findings/{id}/events", target: own, want: codes{200, 200, 200, 403, 200, 401}, contains: "192.0.2.5"},
	{route: "GET /api/v1/findings/{id}/events", target: other, want: codes{200, 200, 200, 403, 404, 401}},

	// Brands and their look-alikes: staff manage, an agency sees its own
	// organisation's, a partner nothing.
	{route: "GET /api/v1/brands", want: codes{200, 200, 200, 403, 200, 401}, contains: "alpha-agency"},
	{route: "POST /api/v1/brands", want: codes{201, 201, 403, 403, 403, 401}},
	{route: "GET /api/v1/brands/{id}", target: own, want: codes{200, 200, 200, 403, 200, 401}, contains: "alpha-agency"},
	{route: "GET /api/v1/brands/{id}", target: other, want: codes{200, 200, 200, 403, 404, 401}},
	{route: "PATCH /api/v1/brands/{id}", target: own, want: codes{200, 200, 403, 403, 403, 401}},
	{route: "PATCH /api/v1/brands/{id}", target: other, want: codes{200, 200, 403, 403, 403, 401}},
	{route: "DELETE /api/v1/brands/{id}", target: own, want: codes{204, 204, 403, 403, 403, 401}},
	{route: "DELETE /api/v1/brands/{id}", target: other, want: codes{204, 204, 403, 403, 403, 401}},
	{route: "GET /api/v1/lookalike-candidates", want: codes{200, 200, 200, 403, 200, 401}, contains: "alpha-agency"},
	{route: "POST /api/v1/lookalike-candidates/{id}/status", target: own, want: codes{200, 200, 403, 403, 403, 401}},
	{route: "POST /api/v1/lookalike-candidates/{id}/status", target: other, want: codes{200, 200, 403, 403, 403, 401}},
	{route: "GET /api/v1/lookalike-candidates/{id}", target: own, want: codes{200, 200, 200, 403, 200, 401}, contains: "alphabank-login.xyz"},
	{route: "GET /api/v1/lookalike-candidates/{id}", target: other, want: codes{200, 200, 200, 403, 404, 401}},
	{route: "POST /api/v1/lookalike-candidates/{id}/incident", target: own, want: codes{201, 201, 403, 403, 403, 401}, contains: "lookalike-domain"},
	{route: "POST /api/v1/lookalike-candidates/{id}/incident", target: other, want: codes{201, 201, 403, 403, 403, 401}},

	// Incidents of "own" (TLP:GREEN) and of "other" (TLP:AMBER, its title
	// names the other organisation): an agency sees and comments on its
	// own, a partner what TLP allows, staff work them.
	{route: "GET /api/v1/incidents", want: codes{200, 200, 200, 200, 200, 401}, contains: "alpha-agency"},
	{route: "POST /api/v1/incidents", want: codes{201, 201, 403, 403, 403, 401}},
	{route: "GET /api/v1/incidents/{id}", target: own, want: codes{200, 200, 200, 200, 200, 401}, contains: "alpha-agency"},
	{route: "GET /api/v1/incidents/{id}", target: other, want: codes{200, 200, 200, 404, 404, 401}},
	{route: "PATCH /api/v1/incidents/{id}", target: own, want: codes{200, 200, 403, 403, 403, 401}},
	{route: "PATCH /api/v1/incidents/{id}", target: other, want: codes{200, 200, 403, 403, 403, 401}},
	{route: "POST /api/v1/incidents/{id}/transition", target: own, want: codes{200, 200, 403, 403, 403, 401}},
	{route: "POST /api/v1/incidents/{id}/transition", target: other, want: codes{200, 200, 403, 403, 403, 401}},
	{route: "POST /api/v1/incidents/{id}/assess", target: own, want: codes{200, 200, 403, 403, 403, 401}},
	{route: "POST /api/v1/incidents/{id}/assess", target: other, want: codes{200, 200, 403, 403, 403, 401}},
	{route: "POST /api/v1/incidents/{id}/severity", target: own, want: codes{200, 200, 403, 403, 403, 401}},
	{route: "POST /api/v1/incidents/{id}/severity", target: other, want: codes{200, 200, 403, 403, 403, 401}},
	{route: "POST /api/v1/incidents/{id}/assign", target: own, want: codes{200, 200, 403, 403, 403, 401}},
	{route: "POST /api/v1/incidents/{id}/assign", target: other, want: codes{200, 200, 403, 403, 403, 401}},
	{route: "POST /api/v1/incidents/{id}/notes", target: own, want: codes{201, 201, 403, 403, 201, 401}},
	{route: "POST /api/v1/incidents/{id}/notes", target: other, want: codes{201, 201, 403, 403, 404, 401}},
	{route: "POST /api/v1/incidents/{id}/tasks", target: own, want: codes{201, 201, 403, 403, 403, 401}},
	{route: "POST /api/v1/incidents/{id}/tasks", target: other, want: codes{201, 201, 403, 403, 403, 401}},
	{route: "PATCH /api/v1/incident-tasks/{id}", target: own, want: codes{200, 200, 403, 403, 403, 401}},
	{route: "PATCH /api/v1/incident-tasks/{id}", target: other, want: codes{200, 200, 403, 403, 403, 401}},
	{route: "POST /api/v1/incidents/{id}/observables", target: own, want: codes{201, 201, 403, 403, 403, 401}},
	{route: "POST /api/v1/incidents/{id}/observables", target: other, want: codes{201, 201, 403, 403, 403, 401}},
	{route: "DELETE /api/v1/incidents/{id}/observables/{obs}", target: own, want: codes{204, 204, 403, 403, 403, 401}},
	{route: "DELETE /api/v1/incidents/{id}/observables/{obs}", target: other, want: codes{204, 204, 403, 403, 403, 401}},
	// Evidence: staff upload; a partner sees the case but not its files.
	{route: "POST /api/v1/incidents/{id}/evidence", target: own, query: "?name=shot.png", want: codes{201, 201, 403, 403, 403, 401}},
	{route: "POST /api/v1/incidents/{id}/evidence", target: other, query: "?name=shot.png", want: codes{201, 201, 403, 403, 403, 401}},
	{route: "GET /api/v1/incidents/{id}/evidence", target: own, want: codes{200, 200, 200, 403, 200, 401}, contains: "call-log.png"},
	{route: "GET /api/v1/incidents/{id}/evidence", target: other, want: codes{200, 200, 200, 404, 404, 401}},
	{route: "GET /api/v1/incidents/{id}/evidence/{ev}", target: own, want: codes{200, 200, 200, 403, 200, 401}, contains: "screenshot of Alpha"},
	{route: "GET /api/v1/incidents/{id}/evidence/{ev}", target: other, want: codes{200, 200, 200, 404, 404, 401}},
	{route: "GET /api/v1/incidents/{id}/evidence/{ev}/custody", target: own, want: codes{200, 200, 200, 403, 200, 401}, contains: "added"},
	{route: "GET /api/v1/incidents/{id}/evidence/{ev}/custody", target: other, want: codes{200, 200, 200, 404, 404, 401}},
	// Take-down requests: staff draft and follow them.
	{route: "POST /api/v1/incidents/{id}/takedowns", target: own, want: codes{201, 201, 403, 403, 403, 401}},
	{route: "POST /api/v1/incidents/{id}/takedowns", target: other, want: codes{201, 201, 403, 403, 403, 401}},
	{route: "POST /api/v1/takedowns/{id}/transition", target: own, want: codes{200, 200, 403, 403, 403, 401}},
	{route: "POST /api/v1/takedowns/{id}/transition", target: other, want: codes{200, 200, 403, 403, 403, 401}},
	// The partner list: the own incident's number is TLP:GREEN, the
	// other's TLP:AMBER (only staff get it).
	{route: "GET /api/v1/indicators", query: "?kind=phone", want: codes{200, 200, 200, 200, 403, 401}, contains: "+994501112233"},
	{route: "GET /api/v1/indicators", query: "?kind=phone&format=json&identifier=vishing", want: codes{200, 200, 200, 200, 403, 401}, contains: "+994501112233"},
	// Reports: sent by anyone with an account but the auditor, read and
	// triaged by staff (the auditor reads); the public routes need none.
	{route: "POST /api/v1/incident-reports", want: codes{201, 201, 403, 201, 201, 401}},
	{route: "GET /api/v1/incident-reports", want: codes{200, 200, 200, 403, 403, 401}},
	{route: "GET /api/v1/incident-reports/{id}", target: own, want: codes{200, 200, 200, 403, 403, 401}},
	{route: "GET /api/v1/incident-reports/{id}/files/{file}", target: own, want: codes{200, 200, 403, 403, 403, 401}, contains: "PNG"},
	{route: "POST /api/v1/incident-reports/{id}/triage", target: own, want: codes{200, 200, 403, 403, 403, 401}},
	{route: "POST /api/v1/public/reports", want: codes{201, 201, 201, 201, 201, 201}},
	{route: "GET /api/v1/public/reports/{code}", target: own, want: codes{200, 200, 200, 200, 200, 200}, contains: "received"},

	{route: "GET /api/v1/users", want: codes{200, 403, 200, 403, 403, 401}},
	{route: "POST /api/v1/users", want: codes{201, 403, 403, 403, 403, 401}},
	{route: "GET /api/v1/users/{id}", target: own, want: codes{200, 403, 200, 403, 403, 401}},
	{route: "GET /api/v1/users/{id}", target: other, want: codes{200, 403, 200, 403, 403, 401}},
	{route: "PATCH /api/v1/users/{id}", target: own, want: codes{200, 403, 403, 403, 403, 401}},
	{route: "PATCH /api/v1/users/{id}", target: other, want: codes{200, 403, 403, 403, 403, 401}},
	{route: "POST /api/v1/users/{id}/password", target: own, want: codes{204, 403, 403, 403, 403, 401}},
	{route: "POST /api/v1/users/{id}/password", target: other, want: codes{204, 403, 403, 403, 403, 401}},

	{route: "GET /api/v1/tokens", want: codes{200, 200, 200, 200, 200, 401}},
	{route: "GET /api/v1/tokens", query: "?all=true", want: codes{200, 403, 403, 403, 403, 401}},
	{route: "POST /api/v1/tokens", want: codes{201, 201, 201, 201, 201, 401}},
	{route: "DELETE /api/v1/tokens/{id}", target: own, want: codes{204, 204, 204, 204, 204, 401}},
	{route: "DELETE /api/v1/tokens/{id}", target: other, want: codes{204, 404, 404, 404, 404, 401}},

	{route: "GET /api/v1/audit", want: codes{200, 403, 200, 403, 403, 401}},
	{route: "GET /api/v1/notices", want: codes{200, 200, 200, 403, 403, 401}},
	{route: "GET /api/v1/openapi.json", want: codes{200, 200, 200, 200, 200, 200}},
}

// matrixBodies are valid bodies for the routes that take one: a denial
// must be about the caller, never about the input.
var matrixBodies = map[string]request{
	"POST /api/v1/orgs":                             {body: `{"short_name":"new-org","name":"New Org","resources":[{"value":"203.0.113.0/24"}]}`},
	"POST /api/v1/orgs/import":                      {contentType: "application/yaml", body: "organisations:\n  - short_name: imported\n    name: Imported Org\n    resources: [imported.example]\n"},
	"PATCH /api/v1/orgs/{org}":                      {body: `{"name":"Renamed"}`},
	"POST /api/v1/orgs/{org}/resources":             {body: `{"value":"203.0.113.9","criticality":"high"}`},
	"PATCH /api/v1/resources/{id}":                  {body: `{"notes":"checked"}`},
	"POST /api/v1/orgs/{org}/contacts":              {body: `{"email":"new@contact.example"}`},
	"PATCH /api/v1/contacts/{id}":                   {body: `{"name":"Renamed"}`},
	"POST /api/v1/users":                            {body: `{"name":"newuser","role":"analyst"}`},
	"PATCH /api/v1/users/{id}":                      {body: `{"display_name":"Renamed"}`},
	"POST /api/v1/users/{id}/password":              {body: `{"password":"correct horse battery staple"}`},
	"POST /api/v1/tokens":                           {body: `{"name":"script"}`},
	"POST /api/v1/findings/{id}/transition":         {body: `{"status":"acknowledged"}`},
	"POST /api/v1/findings/{id}/severity":           {body: `{"severity":"critical","reason":"domain controller"}`},
	"POST /api/v1/findings/{id}/assign":             {body: `{"assignee":"analyst"}`},
	"POST /api/v1/incidents":                        {body: `{"title":"New case","type":"phishing"}`},
	"PATCH /api/v1/incidents/{id}":                  {body: `{"title":"Renamed case"}`},
	"POST /api/v1/incidents/{id}/transition":        {body: `{"status":"triage"}`},
	"POST /api/v1/incidents/{id}/assess":            {body: `{"people_affected":5000,"spreading":true}`},
	"POST /api/v1/incidents/{id}/severity":          {body: `{"severity":"critical","reason":"a national bank's customers"}`},
	"POST /api/v1/incidents/{id}/assign":            {body: `{"assignee":"analyst"}`},
	"POST /api/v1/incidents/{id}/notes":             {body: `{"text":"We blocked the sender"}`},
	"POST /api/v1/incidents/{id}/tasks":             {body: `{"title":"Call the bank"}`},
	"PATCH /api/v1/incident-tasks/{id}":             {body: `{"status":"done"}`},
	"POST /api/v1/incidents/{id}/observables":       {body: `{"kind":"url","value":"hxxps://fake-bank[.]example/login"}`},
	"POST /api/v1/incident-reports":                 {body: `{"category":"phishing","description":"A fake bank page","url":"https://fake-bank.example/"}`},
	"POST /api/v1/incident-reports/{id}/triage":     {body: `{"reject":"not for us"}`},
	"POST /api/v1/public/reports":                   {body: `{"category":"vishing","description":"A call from 'the bank' asked for the SMS code","phone":"050 123 45 67"}`},
	"POST /api/v1/incidents/{id}/takedowns":         {body: `{"target_kind":"hosting","provider":"Example Hosting","subject":"https://fake-bank.example/login"}`},
	"POST /api/v1/takedowns/{id}/transition":        {body: `{"status":"sent"}`},
	"POST /api/v1/incidents/{id}/evidence":          {contentType: "image/png", body: "\x89PNG\r\n\x1a\n a screenshot"},
	"POST /api/v1/brands":                           {body: `{"org":"alpha-agency","name":"Alpha Bank","domains":["alphabank.az"],"keywords":["alphabank"]}`},
	"PATCH /api/v1/brands/{id}":                     {body: `{"keywords":["alpha","alfabank"]}`},
	"POST /api/v1/lookalike-candidates/{id}/status": {body: `{"status":"confirmed"}`},
}

// path fills a route's wildcards with the ids of the row's target, as seen
// by the caller (own user and token are the caller's own).
func (f *fixture) path(pattern string, t target, caller string) string {
	if strings.Contains(pattern, "/lookalike-candidates") {
		// The list's rows need both organisations' candidates whatever
		// order the rows run in; they are made on first use.
		matrixBrandID(f, f.own)
		matrixBrandID(f, f.other)
	}
	if strings.Contains(pattern, "/monitor") {
		matrixMonitorRuns(f, f.own)
		matrixMonitorRuns(f, f.other)
	}
	if t == none {
		return pattern
	}
	if caller == anonymous {
		caller = admin // any existing object: the answer must be 401 regardless
	}
	org, otherUser := f.own, agencyOther
	if t == other {
		org = f.other
	}
	var id int64
	switch {
	case strings.Contains(pattern, "/resources/{id}"):
		id = org.Resources[0].ID
	case strings.Contains(pattern, "/contacts/{id}"):
		id = org.Contacts[0].ID
	case strings.Contains(pattern, "/users/{id}"):
		id = f.users[caller].ID
		if t == other {
			id = f.users[otherUser].ID
		}
	case strings.Contains(pattern, "/events/{id}"):
		id = matrixEventID(f, org)
	case strings.Contains(pattern, "/findings/{id}"):
		id = matrixFindingID(f, org)
	case strings.Contains(pattern, "/brands/{id}"):
		id = matrixBrandID(f, org)
	case strings.Contains(pattern, "/lookalike-candidates/{id}"):
		id = matrixCandidateID(f, org)
	case strings.Contains(pattern, "/incident"), strings.Contains(pattern, "/takedowns/{id}"):
		id = matrixIncidentPathID(f, pattern, org)
	case strings.Contains(pattern, "/tokens/{id}"):
		id = f.tokenIDs[caller]
		if t == other {
			id = f.tokenIDs[otherUser]
		}
	}
	pattern = matrixIncidentWildcards(f, pattern, org)
	p := strings.ReplaceAll(pattern, "{org}", fmt.Sprint(org.ID))
	return strings.ReplaceAll(p, "{id}", fmt.Sprint(id))
}

// matrixEventIPs are the addresses of the events seedMatrixEvents stores
// for one organisation alone.
var matrixEventIPs = map[string]string{ownOrg.ShortName: "192.0.2.5", otherOrg.ShortName: "198.51.100.7"}

// seedMatrixEvents stores an event of each organisation, one of both and
// one of nobody. The other organisation's event names it in its data.
func seedMatrixEvents(t *testing.T, f *fixture) {
	t.Helper()
	ts := time.Date(2026, 11, 20, 6, 0, 0, 0, time.UTC)
	ev := func(name, ip, note string, owners ...int64) storage.StoredEvent {
		return storage.StoredEvent{Fingerprint: "matrix-" + name, TimeSource: ts, TimeObservation: ts, Feed: "shadowserver",
			Taxonomy: "vulnerable", Type: "vulnerable-system", SourceIP: ip, Owners: owners,
			Data: []byte(fmt.Sprintf(`{"source.ip":%q,"extra.note":%q}`, ip, note))}
	}
	if _, _, err := f.store.InsertEvents(ctx, []storage.StoredEvent{
		ev("own", matrixEventIPs[ownOrg.ShortName], "alpha", f.own.ID),
		ev("other", matrixEventIPs[otherOrg.ShortName], otherOrg.Name, f.other.ID),
		ev("both", "192.0.2.77", "shared", f.own.ID, f.other.ID),
		ev("nobody", "203.0.113.1", "unowned"),
	}); err != nil {
		t.Fatalf("insert events: %v", err)
	}
}

// matrixEventID is the id of the event only org owns.
func matrixEventID(f *fixture, org *constituency.Org) int64 {
	evs, err := f.store.ListEvents(ctx, auth.Everything, storage.EventFilter{IP: matrixEventIPs[org.ShortName]})
	if err != nil || len(evs) != 1 {
		return 0
	}
	return evs[0].ID
}

// matrixCase is one cell of the matrix, plus the browser variants.
type matrixCase struct {
	name string
	req  request
	want int
}

// cases expands a row into one request per caller, plus the admin's
// browser session from the same site (allowed like the admin's token) and
// from another site (refused for anything but a read: CSRF protection).
func (row matrixRow) cases(f *fixture, method, pattern string) []matrixCase {
	base := matrixBodies[row.route]
	base.method = method
	var out []matrixCase
	for i, caller := range matrixCallers {
		req := base
		req.as, req.path = caller, f.path(pattern, row.target, caller)+row.query
		out = append(out, matrixCase{caller, req, row.want[i]})
	}
	adminWant := row.want[0]
	req := base
	req.as, req.cookie, req.path = admin, true, f.path(pattern, row.target, admin)+row.query
	out = append(out, matrixCase{"admin-cookie", req, adminWant})
	req.crossSite = true
	crossWant := adminWant
	if method != http.MethodGet {
		crossWant = http.StatusForbidden
	}
	out = append(out, matrixCase{"admin-cookie-cross-site", req, crossWant})
	return out
}

// seesOther reports whether the caller may see the "other" organisation.
func seesOther(c matrixCase) bool {
	return c.req.cookie || c.req.as == admin || c.req.as == analyst || c.req.as == auditor
}

func TestAuthorizationMatrix(t *testing.T) {
	a := api.New(api.Deps{})
	covered := map[string]bool{}
	for _, row := range matrix {
		covered[row.route] = true
	}
	known := map[string]bool{}
	for _, rt := range a.Routes() {
		key := rt.Method + " " + rt.Pattern
		known[key] = true
		if !covered[key] {
			t.Errorf("route %s has no row in the authorization matrix", key)
		}
	}
	for _, row := range matrix {
		if !known[row.route] {
			t.Errorf("matrix row %s names no route of the API", row.route)
		}
	}
	if t.Failed() {
		return
	}

	// A cell that may change data gets a fresh fixture, so that the
	// admin's DELETE does not turn the analyst's into a 404. The others
	// share one: reads, and requests that must be refused (had one got
	// through, its own status would fail it).
	shared := newFixture(t)
	seedMatrixEvents(t, shared)
	for _, row := range matrix {
		method, pattern, _ := strings.Cut(row.route, " ")
		name := fmt.Sprintf("%s/%s%s", row.route, row.target, row.query)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for i, c := range row.cases(shared, method, pattern) {
				t.Run(c.name, func(t *testing.T) {
					t.Parallel()
					f := shared
					if method != http.MethodGet && c.want < 300 {
						f = newFixture(t)
						c = row.cases(f, method, pattern)[i]
					}
					resp := f.do(t, c.req)
					if resp.status != c.want {
						t.Fatalf("%s %s: got status %d, want %d; body: %s", method, c.req.path, resp.status, c.want, resp.body)
					}
					if resp.status < 300 && row.contains != "" && !strings.Contains(resp.body, row.contains) {
						t.Errorf("%s %s: got a body without %q, want it there; body: %s", method, c.req.path, row.contains, resp.body)
					}
					if resp.status >= 400 || !seesOther(c) {
						for _, s := range otherSecrets {
							if strings.Contains(resp.body, s) {
								t.Errorf("%s %s: got a body containing the other organisation's %q, want it absent; body: %s", method, c.req.path, s, resp.body)
							}
						}
					}
				})
			}
		})
	}
}
