package finding

import (
	"net/netip"
	"strings"
)

// Getter reads an event's field: event.Event.Get, or a decoded row.
type Getter func(key string) (string, bool)

// GapOf returns the resource and gap identifier an event reports, and
// false when it reports no gap of a resource (a spam-source list entry
// with no address, say).
//
// The identifier is classification.identifier (IntelMQ's feeds set it:
// "accessible-rdp", "vulnerable-exchange"), or the type when there is
// none; an infected system is "infected-system/<malware>" so that two
// infections of one host are two findings. The resource is the address
// with its port when the event has one (one gap per exposed service),
// else the host name, else the URL.
func GapOf(get Getter) (resource, identifier string, ok bool) {
	v := func(k string) string { s, _ := get(k); return s }
	identifier = strings.ToLower(v("classification.identifier"))
	typ := v("classification.type")
	if identifier == "" {
		identifier = typ
	}
	if identifier == "" {
		return "", "", false
	}
	if typ == "infected-system" || typ == "malware-distribution" {
		if m := strings.ToLower(v("malware.name")); m != "" {
			identifier = typ + "/" + m
		}
	}
	switch ip, port := v("source.ip"), v("source.port"); {
	case ip != "" && port != "" && port != "0":
		if a, err := netip.ParseAddr(ip); err == nil && a.Is6() {
			return "[" + ip + "]:" + port, identifier, true
		}
		return ip + ":" + port, identifier, true
	case ip != "":
		return ip, identifier, true
	}
	if fqdn := v("source.fqdn"); fqdn != "" {
		return fqdn, identifier, true
	}
	if u := v("source.url"); u != "" {
		return u, identifier, true
	}
	if n := v("source.network"); n != "" {
		return n, identifier, true
	}
	return "", "", false
}
