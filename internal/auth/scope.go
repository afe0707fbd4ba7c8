package auth

import (
	"slices"

	"github.com/qalxan/qalxan/internal/tlp"
)

// Scope limits which organisations' data a query may return. Storage takes
// a Scope on every list and get, so tenancy holds even if a handler forgets
// to check: an agency user's scope names their organisations, nothing else.
type Scope struct {
	AllOrgs bool      // CERT staff: every organisation
	OrgIDs  []int64   // when !AllOrgs: only these organisations
	MaxTLP  tlp.Label // the most restrictive label the holder may read ("" = no limit)
}

// Everything is the scope of the system itself (CLI, background jobs).
var Everything = Scope{AllOrgs: true}

// Nothing is a scope that matches no organisation.
var Nothing = Scope{}

// ScopeFor returns the scope of a user's role and organisations.
func ScopeFor(u *User) Scope {
	switch u.Role {
	case Admin, Analyst, Auditor:
		return Everything
	case Agency:
		return Scope{OrgIDs: slices.Clone(u.OrgIDs)}
	case Partner:
		// A partner CERT may receive what TLP:GREEN allows: community-wide
		// information. AMBER and RED stay inside the constituency.
		return Scope{AllOrgs: true, MaxTLP: tlp.Green}
	}
	return Nothing
}

// AllowsOrg reports whether an organisation with the given id and label is
// inside the scope.
func (s Scope) AllowsOrg(id int64, label tlp.Label) bool {
	if s.MaxTLP != "" && label.Rank() > s.MaxTLP.Rank() {
		return false
	}
	return s.AllOrgs || slices.Contains(s.OrgIDs, id)
}

// MaxTLPRank is the rank of MaxTLP, or the rank of RED when unlimited.
func (s Scope) MaxTLPRank() int {
	if s.MaxTLP == "" {
		return tlp.Red.Rank()
	}
	return s.MaxTLP.Rank()
}

// Unlimited reports whether the scope covers every organisation at every
// label: what creating organisations and bulk imports require.
func (s Scope) Unlimited() bool { return s.AllOrgs && s.MaxTLP == "" }
