package event

import "sort"

// rsit maps each RSIT taxonomy to its types (../shared/design/rsit.md).
// The "other" row also takes the types IntelMQ still accepts from before
// RSIT (blacklist, dga-domain, malware, proxy, tor, unknown), because real
// feeds - Shadowserver's blocklist among them - still send them.
var rsit = map[string][]string{
	"abusive-content":              {"spam", "harmful-speech", "violence"},
	"malicious-code":               {"infected-system", "c2-server", "malware-distribution", "malware-configuration"},
	"information-gathering":        {"scanner", "sniffing", "social-engineering"},
	"intrusion-attempts":           {"ids-alert", "brute-force", "exploit"},
	"intrusions":                   {"privileged-account-compromise", "unprivileged-account-compromise", "application-compromise", "system-compromise", "burglary"},
	"availability":                 {"dos", "ddos", "misconfiguration", "sabotage", "outage"},
	"information-content-security": {"unauthorised-information-access", "unauthorised-information-modification", "data-loss", "data-leak"},
	"fraud":                        {"unauthorised-use-of-resources", "unauthorized-use-of-resources", "copyright", "masquerade", "phishing"},
	"vulnerable":                   {"weak-crypto", "ddos-amplifier", "potentially-unwanted-accessible", "information-disclosure", "vulnerable-system"},
	"other":                        {"other", "undetermined", "blacklist", "dga-domain", "malware", "proxy", "tor", "unknown"},
	"test":                         {"test"},
}

// taxonomyOf maps a type to its taxonomy.
var taxonomyOf = func() map[string]string {
	m := map[string]string{}
	for tax, types := range rsit {
		for _, t := range types {
			m[t] = tax
		}
	}
	return m
}()

// TaxonomyOf returns the RSIT taxonomy a classification type belongs to.
func TaxonomyOf(typ string) (string, bool) {
	t, ok := taxonomyOf[typ]
	return t, ok
}

// Taxonomies lists the taxonomies, sorted.
func Taxonomies() []string {
	out := make([]string, 0, len(rsit))
	for t := range rsit {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// TypesOf lists the types of one taxonomy.
func TypesOf(taxonomy string) []string { return append([]string(nil), rsit[taxonomy]...) }
