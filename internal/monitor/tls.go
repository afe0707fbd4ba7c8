package monitor

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"strings"
	"time"
)

// allSuites lets a probe agree to anything the server offers, so what the
// server accepts is what we report.
var allSuites = func() []uint16 {
	var ids []uint16
	for _, s := range tls.CipherSuites() {
		ids = append(ids, s.ID)
	}
	for _, s := range tls.InsecureCipherSuites() {
		ids = append(ids, s.ID)
	}
	return ids
}()

// weakSuites are the suites no server should accept: RC4, 3DES, and
// CBC with SHA-256 (Lucky13-prone, never worth it over GCM).
var weakSuites = func() []uint16 {
	var ids []uint16
	for _, s := range tls.InsecureCipherSuites() {
		ids = append(ids, s.ID)
	}
	return ids
}()

// probeConfig accepts any certificate (trust, name and dates are checked
// separately so that each is its own result) and any version from 1.0.
func probeConfig(serverName string) *tls.Config {
	return &tls.Config{
		ServerName:         serverName,
		InsecureSkipVerify: true, // verified by the certificate checks, one result each
		MinVersion:         tls.VersionTLS10,
		MaxVersion:         tls.VersionTLS13,
		CipherSuites:       allSuites,
	}
}

// sni is the server name to send: none for an address.
func sni(t Target) string {
	if t.IsAddr {
		return ""
	}
	return t.Host
}

// handshake connects to addr and completes a TLS handshake with cfg.
func (c *Checker) handshake(ctx context.Context, addr string, cfg *tls.Config) (tls.ConnectionState, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	raw, err := c.dial(ctx, "tcp", addr)
	if err != nil {
		return tls.ConnectionState{}, err
	}
	defer raw.Close()
	conn := tls.Client(raw, cfg)
	if err := conn.HandshakeContext(ctx); err != nil {
		return tls.ConnectionState{}, err
	}
	return conn.ConnectionState(), nil
}

// accepts reports whether the server completes a handshake restricted to
// versions lo..hi and suites (nil: all).
func (c *Checker) accepts(ctx context.Context, addr, name string, lo, hi uint16, suites []uint16) bool {
	cfg := probeConfig(name)
	cfg.MinVersion, cfg.MaxVersion = lo, hi
	if suites != nil {
		cfg.CipherSuites = suites
	}
	_, err := c.handshake(ctx, addr, cfg)
	return err == nil
}

var tlsChecks = []string{"tls-cert-trusted", "tls-cert-expired", "tls-cert-expiring-30", "tls-cert-expiring-14", "tls-cert-name",
	"tls-key-size", "tls-cert-sha1", "tls-old-versions", "tls13", "tls-weak-ciphers"}

// tlsResults checks the certificate and protocol of a reachable HTTPS
// endpoint whose first handshake gave st.
func (c *Checker) tlsResults(ctx context.Context, t Target, addr string, st tls.ConnectionState) []Result {
	now := c.now()
	chain := st.PeerCertificates
	if len(chain) == 0 {
		return skipAll("no certificate", tlsChecks...)
	}
	leaf := chain[0]
	var out []Result
	// Trust is judged inside the leaf's validity, so that an expired
	// certificate is one finding (expired), not two.
	when := now
	if when.After(leaf.NotAfter) {
		when = leaf.NotAfter.Add(-time.Minute)
	} else if when.Before(leaf.NotBefore) {
		when = leaf.NotBefore.Add(time.Minute)
	}
	if err := c.verifyChain(chain, when); err != nil {
		out = append(out, result("tls-cert-trusted", Fail, fmt.Sprintf("issuer %q: %v", leaf.Issuer.String(), err)))
	} else {
		out = append(out, result("tls-cert-trusted", Pass, fmt.Sprintf("issued by %q", leaf.Issuer.String())))
	}
	out = append(out, certDates(leaf, now)...)
	if err := leaf.VerifyHostname(t.Host); err != nil {
		out = append(out, result("tls-cert-name", Fail, fmt.Sprintf("certificate names %s, not %s", certNames(leaf), t.Host)))
	} else {
		out = append(out, result("tls-cert-name", Pass, "certificate names "+certNames(leaf)))
	}
	bits, strong := keyStrength(leaf)
	out = append(out, passIf("tls-key-size", strong, bits))
	weak := ""
	for _, cert := range chain {
		if isSelfSigned(cert) && cert != leaf {
			continue // a root's own signature is not checked by anyone
		}
		switch cert.SignatureAlgorithm {
		case x509.SHA1WithRSA, x509.ECDSAWithSHA1, x509.DSAWithSHA1, x509.MD5WithRSA, x509.MD2WithRSA:
			weak = fmt.Sprintf("%q is signed with %s", cert.Subject.CommonName, cert.SignatureAlgorithm)
		}
	}
	out = append(out, passIf("tls-cert-sha1", weak == "", firstOf(weak, "signed with "+leaf.SignatureAlgorithm.String())))

	name := sni(t)
	var old []string
	for _, v := range []uint16{tls.VersionTLS10, tls.VersionTLS11} {
		if c.accepts(ctx, addr, name, v, v, nil) {
			old = append(old, tls.VersionName(v))
		}
	}
	if len(old) > 0 {
		out = append(out, result("tls-old-versions", Fail, strings.Join(old, " and ")+" accepted"))
	} else {
		out = append(out, result("tls-old-versions", Pass, "TLS 1.0 and 1.1 refused"))
	}
	out = append(out, passIf("tls13", st.Version == tls.VersionTLS13, "negotiated "+tls.VersionName(st.Version)+" when offered up to TLS 1.3"))
	if c.accepts(ctx, addr, name, tls.VersionTLS10, tls.VersionTLS12, weakSuites) {
		out = append(out, result("tls-weak-ciphers", Fail, "accepts a handshake offering only RC4, 3DES and CBC-SHA256 suites"))
	} else {
		out = append(out, result("tls-weak-ciphers", Pass, "refuses RC4, 3DES and CBC-SHA256 suites"))
	}
	return out
}

// verifyChain verifies chain at when against the system roots, then the
// extra roots.
func (c *Checker) verifyChain(chain []*x509.Certificate, when time.Time) error {
	inter := x509.NewCertPool()
	for _, cert := range chain[1:] {
		inter.AddCert(cert)
	}
	opts := x509.VerifyOptions{Roots: c.systemRoots(), Intermediates: inter, CurrentTime: when}
	_, err := chain[0].Verify(opts)
	if err != nil && c.Roots != nil {
		opts.Roots = c.Roots
		_, err = chain[0].Verify(opts)
	}
	return err
}

// certDates gives the expiry results: expired, or expiring within 30 and
// 14 days (skipped once already expired, which says it louder).
func certDates(leaf *x509.Certificate, now time.Time) []Result {
	until := leaf.NotAfter.UTC().Format(time.DateOnly)
	switch {
	case now.After(leaf.NotAfter):
		return append([]Result{result("tls-cert-expired", Fail, "expired on "+until)},
			skipAll("already expired", "tls-cert-expiring-30", "tls-cert-expiring-14")...)
	case now.Before(leaf.NotBefore):
		return append([]Result{result("tls-cert-expired", Fail, "not valid before "+leaf.NotBefore.UTC().Format(time.DateOnly))},
			skipAll("not yet valid", "tls-cert-expiring-30", "tls-cert-expiring-14")...)
	}
	left := leaf.NotAfter.Sub(now)
	days := fmt.Sprintf("expires on %s, in %d days", until, int(left.Hours()/24))
	return []Result{
		result("tls-cert-expired", Pass, "valid until "+until),
		passIf("tls-cert-expiring-30", left >= 30*24*time.Hour, days),
		passIf("tls-cert-expiring-14", left >= 14*24*time.Hour, days),
	}
}

func certNames(c *x509.Certificate) string {
	names := append([]string(nil), c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 && c.Subject.CommonName != "" {
		names = append(names, "CN="+c.Subject.CommonName)
	}
	if len(names) == 0 {
		return "no names"
	}
	return strings.Join(names, ", ")
}

// keyStrength describes the leaf's key and whether it is strong enough:
// RSA ≥ 2048 bits, ECDSA ≥ 256, Ed25519.
func keyStrength(c *x509.Certificate) (string, bool) {
	switch k := c.PublicKey.(type) {
	case *rsa.PublicKey:
		n := k.N.BitLen()
		return fmt.Sprintf("RSA %d bits", n), n >= 2048
	case *ecdsa.PublicKey:
		n := k.Curve.Params().BitSize
		return fmt.Sprintf("ECDSA %d bits", n), n >= 256
	case ed25519.PublicKey:
		return "Ed25519", true
	}
	return fmt.Sprintf("%T key", c.PublicKey), false
}

func isSelfSigned(c *x509.Certificate) bool {
	return c.CheckSignatureFrom(c) == nil
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// tlsDialer is a transport's TLS dial through the checker's resolver.
func (c *Checker) tlsDialer(name string) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		raw, err := c.dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		conn := tls.Client(raw, probeConfig(name))
		if err := conn.HandshakeContext(ctx); err != nil {
			raw.Close()
			return nil, err
		}
		return conn, nil
	}
}
