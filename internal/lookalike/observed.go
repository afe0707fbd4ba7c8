package lookalike

import (
	"encoding/json"
	"net/url"
	"strings"
)

// certstreamMessage is the part of a certstream message (and of the
// JSON lines its clients write) that carries names: every name on the
// certificate and who issued it.
type certstreamMessage struct {
	Data struct {
		LeafCert struct {
			AllDomains []string `json:"all_domains"`
			Issuer     struct {
				O          string `json:"O"`
				Aggregated string `json:"aggregated"`
			} `json:"issuer"`
		} `json:"leaf_cert"`
	} `json:"data"`
}

// ParseLine reads one line of an observed-domains stream: a domain, a URL,
// the first field of a passive DNS or newly-registered-domains export
// (comma, tab or space separated), or a certstream JSON message. Comments
// and blank lines give nothing.
func ParseLine(line string) []Observation {
	line = strings.TrimSpace(line)
	if line == "" || line[0] == '#' {
		return nil
	}
	if line[0] == '{' {
		var m certstreamMessage
		if json.Unmarshal([]byte(line), &m) != nil {
			return nil
		}
		issuer := m.Data.LeafCert.Issuer.O
		if issuer == "" {
			issuer = m.Data.LeafCert.Issuer.Aggregated
		}
		out := make([]Observation, 0, len(m.Data.LeafCert.AllDomains))
		for _, d := range m.Data.LeafCert.AllDomains {
			out = append(out, Observation{Domain: strings.TrimPrefix(d, "*."), Issuer: issuer})
		}
		return out
	}
	if i := strings.IndexAny(line, ",\t "); i >= 0 {
		line = line[:i]
	}
	if h := HostOf(line); h != "" {
		return []Observation{{Domain: h}}
	}
	return nil
}

// HostOf returns the host name in a URL or a bare domain, lower case,
// without port or trailing dot; "" for an IP address or nothing usable.
func HostOf(s string) string {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "://") {
		u, err := url.Parse(s)
		if err != nil {
			return ""
		}
		s = u.Hostname()
	} else if i := strings.IndexAny(s, "/:?#"); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimSuffix(strings.ToLower(s), ".")
	if s == "" || !strings.ContainsFunc(s, func(r rune) bool { return r > '9' }) {
		return ""
	}
	return s
}
