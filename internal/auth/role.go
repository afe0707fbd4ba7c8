// Package auth holds users, roles, credentials, the tenancy scope that
// limits what a user sees, and the audit record. It knows nothing of HTTP
// or SQL: the server authenticates requests with it and storage enforces
// the scope in its queries.
package auth

import (
	"strings"

	"github.com/qalxan/qalxan/internal/errs"
)

// Role is what a user is allowed to do.
type Role string

const (
	Admin   Role = "admin"   // runs the system: users, settings, everything analysts do
	Analyst Role = "analyst" // national CERT staff: all data, read and write
	Agency  Role = "agency"  // an agency's security officer: only their organisations
	Partner Role = "partner" // a partner CERT: read-only, only what TLP allows
	Auditor Role = "auditor" // read-only, all data and the audit log
)

// Roles lists all roles.
var Roles = []Role{Admin, Analyst, Agency, Partner, Auditor}

// ParseRole checks s against Roles.
func ParseRole(s string) (Role, error) {
	v := Role(strings.ToLower(strings.TrimSpace(s)))
	for _, r := range Roles {
		if r == v {
			return r, nil
		}
	}
	return "", errs.Field("role", "unknown role %q (want admin, analyst, agency, partner or auditor)", s)
}

// Permission is one thing a role may do.
type Permission string

const (
	ReadOrgs       Permission = "orgs.read"
	WriteOrgs      Permission = "orgs.write"      // create, edit, delete organisations, resources, contacts
	ReadContacts   Permission = "contacts.read"   // personal data: every read is audited
	ManageUsers    Permission = "users.manage"    // create users, reset passwords, other users' tokens
	ReadAudit      Permission = "audit.read"      //
	ImportOrgs     Permission = "orgs.import"     // bulk import and export of the registry
	ReadUsers      Permission = "users.read"      //
	ManageOwnToken Permission = "tokens.own"      // create and revoke one's own API tokens
	ReadDashboard  Permission = "dashboard.read"  //
	ReadEvents     Permission = "events.read"     // search and export events; the scope limits which
	ReadFindings   Permission = "findings.read"   // security gaps of the organisations in scope
	UpdateFindings Permission = "findings.update" // acknowledge, resolve or dispute a finding in scope
	ManageFindings Permission = "findings.manage" // staff: accept risk, close, reopen, change severity, assign
	ReadNotices    Permission = "notices.read"    // staff: the notice queue, its recipients and failures
	ReadBrands     Permission = "brands.read"     // protected brands and their look-alike candidates, of the organisations in scope
	ManageBrands   Permission = "brands.manage"   // staff: keep the brands, triage look-alikes

	ReadIncidents    Permission = "incidents.read"    // incidents in scope: an agency its organisations', a partner what TLP allows
	WriteIncidents   Permission = "incidents.write"   // staff: open, edit, move, assign incidents; tasks and observables
	CommentIncidents Permission = "incidents.comment" // add a note to an incident's journal (an agency on its own)
	SubmitReports    Permission = "reports.submit"    // send an incident report through the API
	ReadReports      Permission = "reports.read"      // staff: the triage queue, with the reporters' personal data (reads audited)
	TriageReports    Permission = "reports.triage"    // staff: turn a report into an incident, link or reject it
	ExportIndicators Permission = "indicators.export" // partner lists (vishing numbers, phishing URLs), up to the caller's TLP
)

var grants = map[Role][]Permission{
	Admin:   {ReadOrgs, WriteOrgs, ReadContacts, ManageUsers, ReadUsers, ReadAudit, ImportOrgs, ManageOwnToken, ReadDashboard, ReadEvents, ReadFindings, UpdateFindings, ManageFindings, ReadNotices, ReadIncidents, WriteIncidents, CommentIncidents, SubmitReports, ReadReports, TriageReports, ExportIndicators, ReadBrands, ManageBrands},
	Analyst: {ReadOrgs, WriteOrgs, ReadContacts, ImportOrgs, ManageOwnToken, ReadDashboard, ReadEvents, ReadFindings, UpdateFindings, ManageFindings, ReadNotices, ReadIncidents, WriteIncidents, CommentIncidents, SubmitReports, ReadReports, TriageReports, ExportIndicators, ReadBrands, ManageBrands},
	// An agency sees and answers for its own gaps; a partner CERT does not
	// see the constituency's unfixed weaknesses at all.
	Agency:  {ReadOrgs, ReadContacts, ManageOwnToken, ReadDashboard, ReadEvents, ReadFindings, UpdateFindings, ReadIncidents, CommentIncidents, SubmitReports, ReadBrands},
	Partner: {ReadOrgs, ManageOwnToken, ReadDashboard, ReadEvents, ReadIncidents, SubmitReports, ExportIndicators},
	Auditor: {ReadOrgs, ReadContacts, ReadUsers, ReadAudit, ManageOwnToken, ReadDashboard, ReadEvents, ReadFindings, ReadNotices, ReadIncidents, ReadReports, ExportIndicators, ReadBrands},
}

// Permissions returns what the role may do, in a stable order.
func (r Role) Permissions() []Permission {
	return append([]Permission{}, grants[r]...)
}

// Can reports whether the role has the permission.
func (r Role) Can(p Permission) bool {
	for _, g := range grants[r] {
		if g == p {
			return true
		}
	}
	return false
}

// BoundToOrgs reports whether users of this role must be bound to
// organisations (and see only theirs).
func (r Role) BoundToOrgs() bool { return r == Agency }
