package pipeline

import "github.com/qalxan/qalxan/internal/constituency"

// Owners builds the matcher and the short-name-to-id map Config needs
// from the registry's organisations (storage's MatcherOrgs).
func Owners(orgs []constituency.Org) (*constituency.Matcher, map[string]int64) {
	ids := make(map[string]int64, len(orgs))
	for _, o := range orgs {
		ids[o.ShortName] = o.ID
	}
	return constituency.NewMatcher(orgs), ids
}
