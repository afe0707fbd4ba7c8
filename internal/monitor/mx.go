package monitor

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/smtp"
	"slices"
	"strconv"
	"strings"

	"github.com/miekg/dns"
)

// maxMX bounds the MX hosts asked: the first three by preference carry a
// domain's mail.
const maxMX = 3

// mxResults asks each MX host for STARTTLS on the SMTP port and judges
// the certificate it then shows.
func (c *Checker) mxResults(ctx context.Context, domain string) []Result {
	r, err := c.query(ctx, domain, dns.TypeMX)
	if err != nil {
		return []Result{result("mx-starttls", Error, err.Error()), result("mx-tls-cert", Skipped, "no MX answer")}
	}
	var mxs []*dns.MX
	for _, rr := range r.Answer {
		if mx, ok := rr.(*dns.MX); ok && mx.Mx != "." {
			mxs = append(mxs, mx)
		}
	}
	if len(mxs) == 0 {
		return skipAll("the domain receives no mail (no MX)", "mx-starttls", "mx-tls-cert")
	}
	slices.SortFunc(mxs, func(a, b *dns.MX) int { return int(a.Preference) - int(b.Preference) })
	port := c.SMTPPort
	if port == 0 {
		port = 25
	}
	var plain, badCert, good, failed []string
	for _, mx := range mxs[:min(len(mxs), maxMX)] {
		host := strings.TrimSuffix(mx.Mx, ".")
		st, tlsOK, err := c.starttls(ctx, net.JoinHostPort(host, strconv.Itoa(port)), host)
		switch {
		case err != nil:
			failed = append(failed, fmt.Sprintf("%s: %v", host, err))
		case !tlsOK:
			plain = append(plain, host)
		default:
			if p := c.certProblem(st, host); p != "" {
				badCert = append(badCert, host+": "+p)
			} else {
				good = append(good, host)
			}
		}
	}
	var out []Result
	switch {
	case len(plain) > 0:
		out = append(out, result("mx-starttls", Fail, "no STARTTLS on "+strings.Join(plain, ", ")))
	case len(good)+len(badCert) == 0:
		out = append(out, result("mx-starttls", Error, strings.Join(failed, "; ")))
	default:
		out = append(out, result("mx-starttls", Pass, "STARTTLS on "+strings.Join(append(good, hostsOf(badCert)...), ", ")))
	}
	switch {
	case len(badCert) > 0:
		out = append(out, result("mx-tls-cert", Fail, strings.Join(badCert, "; ")))
	case len(good) > 0:
		out = append(out, result("mx-tls-cert", Pass, "valid certificates on "+strings.Join(good, ", ")))
	default:
		out = append(out, result("mx-tls-cert", Skipped, "no MX offered STARTTLS"))
	}
	return out
}

func hostsOf(problems []string) []string {
	out := make([]string, len(problems))
	for i, p := range problems {
		out[i], _, _ = strings.Cut(p, ":")
	}
	return out
}

// starttls greets the MX and upgrades the connection when it offers
// STARTTLS, returning the TLS state; false when it does not offer it.
func (c *Checker) starttls(ctx context.Context, addr, host string) (tls.ConnectionState, bool, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	name, port, err := net.SplitHostPort(addr)
	if err != nil {
		return tls.ConnectionState{}, false, err
	}
	addrs, err := c.lookupAddrs(ctx, name)
	if err != nil {
		return tls.ConnectionState{}, false, err
	}
	// The server's address is locked for the conversation: other domains
	// of the round share this mail server (politeness.go).
	var conn net.Conn
	d := net.Dialer{Timeout: c.timeout()}
	for _, a := range addrs {
		unlock, lerr := c.mxLocks.lock(ctx, a.Unmap())
		if lerr != nil {
			return tls.ConnectionState{}, false, lerr
		}
		if conn, err = d.DialContext(ctx, "tcp", net.JoinHostPort(a.String(), port)); err == nil {
			defer unlock()
			break
		}
		unlock()
	}
	if conn == nil {
		return tls.ConnectionState{}, false, err
	}
	conn = watched(c.watch, conn)
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	cl, err := smtp.NewClient(conn, host)
	if err != nil {
		return tls.ConnectionState{}, false, err
	}
	defer cl.Close()
	if err := cl.Hello("monitor.qalxan.invalid"); err != nil {
		return tls.ConnectionState{}, false, err
	}
	if ok, _ := cl.Extension("STARTTLS"); !ok {
		cl.Quit()
		return tls.ConnectionState{}, false, nil
	}
	cfg := probeConfig(host)
	if err := cl.StartTLS(cfg); err != nil {
		return tls.ConnectionState{}, false, fmt.Errorf("STARTTLS: %w", err)
	}
	st, _ := cl.TLSConnectionState()
	cl.Quit()
	return st, true, nil
}

// certProblem says what is wrong with a certificate for host: untrusted,
// expired or for another name; "" when nothing is.
func (c *Checker) certProblem(st tls.ConnectionState, host string) string {
	if len(st.PeerCertificates) == 0 {
		return "no certificate"
	}
	leaf := st.PeerCertificates[0]
	if err := c.verifyChain(st.PeerCertificates, c.now()); err != nil {
		return err.Error()
	}
	if err := leaf.VerifyHostname(host); err != nil {
		return err.Error()
	}
	return ""
}
