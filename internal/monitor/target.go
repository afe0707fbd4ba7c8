package monitor

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
)

// Target is what one run checks: a web origin (HTTPS and its plain-HTTP
// twin) and, for a domain, its mail and DNS.
type Target struct {
	Input    string   // as given: a URL, a domain, an address
	Host     string   // host name or address, without brackets
	HTTPS    *url.URL // the page checked over HTTPS
	HTTP     *url.URL // its plain-HTTP counterpart, for the redirect check
	Domain   string   // the DNS name whose mail and DNS are checked; "" for an address or a URL
	IsAddr   bool     // Host is an IP address
	NoPorts  bool     // do not probe risky ports (a URL of a shared web host, say)
	Resource string   // the registry value the findings are filed under; Input when empty
	// Baseline is the landing page's accepted content, which
	// content-changed compares with; nil before the first run.
	Baseline *Baseline
}

// ParseTarget reads "https://127.0.0.1:8443/", "example.gov.az",
// "192.0.2.10" or "example.gov.az:8443". A URL is its web origin only; a
// domain gets web, mail and DNS; an address gets web and ports. A port
// given with a name or address is the HTTPS port.
func ParseTarget(s string) (Target, error) {
	s = strings.TrimSpace(s)
	t := Target{Input: s}
	if s == "" {
		return t, fmt.Errorf("monitor: empty target")
	}
	if strings.Contains(s, "://") {
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
			return t, fmt.Errorf("monitor: target %q is not an http(s) URL", s)
		}
		if u.Path == "" {
			u.Path = "/"
		}
		t.Host = u.Hostname()
		other := *u
		if u.Scheme == "https" {
			other.Scheme, other.Host = "http", bracket(t.Host)
			t.HTTPS, t.HTTP = u, &other
		} else {
			other.Scheme, other.Host = "https", bracket(t.Host)
			t.HTTPS, t.HTTP = &other, u
		}
		_, err = netip.ParseAddr(t.Host)
		t.IsAddr = err == nil
		return t, nil
	}
	host, port := s, ""
	if h, p, err := net.SplitHostPort(s); err == nil {
		host, port = h, p
	}
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if host == "" || strings.ContainsAny(host, "/ ") {
		return t, fmt.Errorf("monitor: target %q is not a URL, domain or address", s)
	}
	t.Host = strings.ToLower(host)
	if _, err := netip.ParseAddr(t.Host); err == nil {
		t.IsAddr = true
	} else {
		t.Domain = t.Host
	}
	hp := bracket(t.Host)
	if port != "" {
		hp = net.JoinHostPort(t.Host, port)
	}
	t.HTTPS = &url.URL{Scheme: "https", Host: hp, Path: "/"}
	t.HTTP = &url.URL{Scheme: "http", Host: bracket(t.Host), Path: "/"}
	return t, nil
}

func bracket(h string) string {
	if strings.Contains(h, ":") {
		return "[" + h + "]"
	}
	return h
}

// hostPort is u's host and port, with the scheme's default port.
func hostPort(u *url.URL) string {
	p := u.Port()
	if p == "" {
		p = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	return net.JoinHostPort(u.Hostname(), p)
}
