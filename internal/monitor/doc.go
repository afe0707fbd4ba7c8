// Package monitor checks the constituency's own resources from the
// outside, the way an attacker or a citizen's browser sees them: HTTPS
// and its certificate, security headers (with an Observatory-style
// score), mail authentication and DNS (SPF, DMARC, MX STARTTLS, CAA,
// DNSSEC), exposed files and risky services.
//
// The checks are a catalogue (catalogue.yaml: stable id, severity,
// remediation in az, en and ru, exposure probes) read at start and
// checked by one conformance suite; the code beside it is one file per
// family. Like collect, this package is an adapter to the outside world:
// it dials, resolves and speaks HTTP, TLS and SMTP, always with a
// timeout and a size limit, and only to the targets it is given — the
// scheduler hands it registered resources only. A failing check becomes a
// finding "monitor/<check-id>" of the resource's owner (findings.go).
package monitor
