package monitor

import (
	"bufio"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// Real servers on loopback for the checks to look at: a test CA and
// certificates made here, TLS and HTTP servers, an authoritative DNS
// server and SMTP servers with and without STARTTLS.

var serial int64 = 1

type ca struct {
	cert *x509.Certificate
	key  crypto.Signer
	pool *x509.CertPool
}

func newCA(t *testing.T) *ca {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "Qalxan Test Root"},
		NotBefore: time.Now().Add(-365 * 24 * time.Hour), NotAfter: time.Now().Add(10 * 365 * 24 * time.Hour), IsCA: true,
		BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	serial++
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(c)
	return &ca{c, key, pool}
}

// leafOpts describe a server certificate.
type leafOpts struct {
	names     []string // DNS names; 127.0.0.1 is added unless noIP
	noIP      bool
	notBefore time.Time
	notAfter  time.Time
	rsaBits   int  // RSA key of this size; ECDSA P-256 when 0
	sha1      bool // signed with SHA-1 (needs an RSA issuer: self-signed then)
	self      bool // self-signed
}

func (a *ca) leaf(t *testing.T, o leafOpts) tls.Certificate {
	t.Helper()
	var key crypto.Signer
	if o.rsaBits > 0 {
		key, _ = rsa.GenerateKey(rand.Reader, o.rsaBits)
	} else {
		key, _ = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	if o.notBefore.IsZero() {
		o.notBefore = time.Now().Add(-24 * time.Hour)
	}
	if o.notAfter.IsZero() {
		o.notAfter = time.Now().Add(90 * 24 * time.Hour)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "server"}, DNSNames: o.names,
		NotBefore: o.notBefore, NotAfter: o.notAfter, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	serial++
	if !o.noIP {
		tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1), net.IPv4(127, 0, 0, 2), net.IPv4(127, 0, 0, 3)}
	}
	parent, signer := a.cert, a.key
	if o.self || o.sha1 {
		parent, signer = tmpl, key
	}
	if o.sha1 {
		tmpl.SignatureAlgorithm = x509.SHA1WithRSA
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), signer)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// tlsServer serves h over TLS with cert and cfg's version and suite limits.
func tlsServer(t *testing.T, cert tls.Certificate, cfg *tls.Config, h http.Handler) *httptest.Server {
	t.Helper()
	s := httptest.NewUnstartedServer(h)
	s.Config.ErrorLog = log.New(io.Discard, "", 0) // the probes' refused handshakes are expected
	if cfg == nil {
		cfg = &tls.Config{}
	}
	cfg.Certificates = []tls.Certificate{cert}
	s.TLS = cfg
	s.StartTLS()
	t.Cleanup(s.Close)
	return s
}

// webTarget is an address target whose HTTPS and HTTP ends are the given
// servers (the HTTP one may be "" for a closed port).
func webTarget(t *testing.T, httpsURL, httpURL string) Target {
	t.Helper()
	if httpURL == "" {
		httpURL = "http://" + closedAddr(t) + "/"
	}
	hu, _ := url.Parse(httpsURL + "/")
	pu, _ := url.Parse(httpURL)
	return Target{Input: httpsURL, Host: hu.Hostname(), HTTPS: hu, HTTP: pu, IsAddr: true}
}

// closedAddr is a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	a := l.Addr().String()
	l.Close()
	return a
}

// redirector answers plain HTTP with a 301 to to.
func redirector(t *testing.T, to string) *httptest.Server {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, to+r.URL.Path, http.StatusMovedPermanently)
	}))
	t.Cleanup(s.Close)
	return s
}

// goodSite sets every header right and exposes nothing.
var goodSite = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'nonce-abc' 'unsafe-inline'; frame-ancestors 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	h.Set("Server", "nginx")
	http.SetCookie(w, &http.Cookie{Name: "session", Value: "x", Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	if r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	w.Write([]byte("<html><title>Ministry</title>Welcome</html>"))
})

// exposed files a careless server hands out.
var exposedFiles = map[string]string{
	"/.git/config":   "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n",
	"/.env":          "APP_NAME=portal\nDB_HOST=10.0.0.5\nDB_PASSWORD=hunter2\n",
	"/server-status": "<html><head><title>Apache Status</title></head><body><h1>Apache Server Status for portal.gov.az</h1>Server Version: Apache/2.4.49",
	"/backup.sql":    "-- MySQL dump 10.13  Distrib 5.7.33\nCREATE TABLE users (id int);\n",
	"/phpinfo.php":   "<html><head><title>PHP 7.4.3 - phpinfo()</title></head><body><h1 class=\"p\">PHP Version 7.4.3</h1>",
	"/uploads/":      "<html><head><title>Index of /uploads</title></head><body><h1>Index of /uploads</h1>",
	"/phpmyadmin/":   "<html><head><title>phpMyAdmin</title></head>",
}

// badSite has weak headers, a versioned banner, loose cookies and the
// exposed files.
var badSite = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self' 'unsafe-inline' 'unsafe-eval'")
	h.Set("X-Frame-Options", "ALLOW-FROM https://x.example")
	h.Set("Referrer-Policy", "unsafe-url")
	h.Set("Strict-Transport-Security", "max-age=300")
	h.Set("Server", "Apache/2.4.49 (Unix)")
	h.Set("X-Powered-By", "PHP/7.4.3")
	http.SetCookie(w, &http.Cookie{Name: "PHPSESSID", Value: "x"})
	if body, ok := exposedFiles[r.URL.Path]; ok {
		w.Write([]byte(body))
		return
	}
	if r.URL.Path == "/" {
		w.Write([]byte("<html><title>Agency</title></html>"))
		return
	}
	http.NotFound(w, r)
})

// softSite answers every path 200 with a look-alike page that even names
// the path asked for: nothing on it may be reported.
var softSite = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Write([]byte("<html><head><title>Agency portal</title></head><body>The page " + r.URL.Path +
		" was not found. [core] DB_PASSWORD= Index of / phpinfo() PK</body></html>"))
})

// --- DNS -------------------------------------------------------------------

// zoneServer is an authoritative server for test zones: records by owner
// name, RRSIGs served along with the set they cover.
type zoneServer struct {
	mu    sync.Mutex
	zones []string
	rrs   map[string][]dns.RR
	addr  string
	keys  map[string]zoneKey // signed zones' keys, for signing what a parent serves
}

// zoneKey is a signed zone's key and its private half.
type zoneKey struct {
	key  *dns.DNSKEY
	priv crypto.Signer
}

func newZoneServer(t *testing.T) *zoneServer {
	t.Helper()
	z := &zoneServer{rrs: map[string][]dns.RR{}, keys: map[string]zoneKey{}}
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	z.addr = pc.LocalAddr().String()
	srv := &dns.Server{PacketConn: pc, Handler: z}
	go srv.ActivateAndServe()
	t.Cleanup(func() { srv.Shutdown() })
	return z
}

// add adds records in zone-file syntax; the first SOA of a name makes it a zone.
func (z *zoneServer) add(t *testing.T, lines ...string) []dns.RR {
	t.Helper()
	z.mu.Lock()
	defer z.mu.Unlock()
	var out []dns.RR
	for _, l := range lines {
		rr, err := dns.NewRR(l)
		if err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		z.put(rr)
		out = append(out, rr)
	}
	return out
}

func (z *zoneServer) put(rr dns.RR) {
	name := strings.ToLower(rr.Header().Name)
	if rr.Header().Rrtype == dns.TypeSOA {
		z.zones = append(z.zones, name)
	}
	z.rrs[name] = append(z.rrs[name], rr)
}

// sign signs zone's DNSKEY and SOA sets with a new key, valid from..until.
func (z *zoneServer) sign(t *testing.T, zone string, from, until time.Time) {
	t.Helper()
	key := &dns.DNSKEY{Hdr: dns.RR_Header{Name: zone, Rrtype: dns.TypeDNSKEY, Class: dns.ClassINET, Ttl: 300},
		Flags: 257, Protocol: 3, Algorithm: dns.ECDSAP256SHA256}
	priv, err := key.Generate(256)
	if err != nil {
		t.Fatal(err)
	}
	z.mu.Lock()
	z.put(key)
	z.keys[zone] = zoneKey{key, priv.(crypto.Signer)}
	z.mu.Unlock()
	for _, typ := range []uint16{dns.TypeDNSKEY, dns.TypeSOA} {
		var set []dns.RR
		for _, rr := range z.rrs[zone] {
			if rr.Header().Rrtype == typ {
				set = append(set, rr)
			}
		}
		z.signSet(t, zone, zoneKey{key, priv.(crypto.Signer)}, set, from, until)
	}
}

// signSet adds the signature of set by the key of signer (zone), valid
// from..until.
func (z *zoneServer) signSet(t *testing.T, signer string, k zoneKey, set []dns.RR, from, until time.Time) {
	t.Helper()
	h := set[0].Header()
	sig := &dns.RRSIG{Hdr: dns.RR_Header{Name: h.Name, Rrtype: dns.TypeRRSIG, Class: dns.ClassINET, Ttl: 300},
		Algorithm: k.key.Algorithm, Expiration: uint32(until.Unix()), Inception: uint32(from.Unix()), KeyTag: k.key.KeyTag(), SignerName: signer}
	if err := sig.Sign(k.priv, set); err != nil {
		t.Fatal(err)
	}
	z.mu.Lock()
	z.put(sig)
	z.mu.Unlock()
}

// delegate publishes, as the signed zone parent serves it, a DS for the
// signed zone child, signed by the parent's key. A DS that does not
// match (match false) is the digest of another key; forged signs it with
// a key the parent does not publish.
func (z *zoneServer) delegate(t *testing.T, parent, child string, match, forged bool) {
	t.Helper()
	z.mu.Lock()
	pk, ck := z.keys[parent], z.keys[child]
	z.mu.Unlock()
	if pk.key == nil || ck.key == nil {
		t.Fatalf("delegate %s to %s: both must be signed first", parent, child)
	}
	of := ck.key
	if !match {
		other := &dns.DNSKEY{Hdr: ck.key.Hdr, Flags: 257, Protocol: 3, Algorithm: dns.ECDSAP256SHA256}
		if _, err := other.Generate(256); err != nil {
			t.Fatal(err)
		}
		of = other
	}
	ds := of.ToDS(dns.SHA256)
	ds.Hdr.Ttl = 300
	z.mu.Lock()
	z.put(ds)
	z.mu.Unlock()
	signer := pk
	if forged {
		k := &dns.DNSKEY{Hdr: pk.key.Hdr, Flags: 257, Protocol: 3, Algorithm: dns.ECDSAP256SHA256}
		priv, err := k.Generate(256)
		if err != nil {
			t.Fatal(err)
		}
		signer = zoneKey{k, priv.(crypto.Signer)}
	}
	z.signSet(t, parent, signer, []dns.RR{ds}, time.Now().Add(-time.Hour), time.Now().Add(30*24*time.Hour))
}

func (z *zoneServer) ServeDNS(w dns.ResponseWriter, req *dns.Msg) {
	z.mu.Lock()
	defer z.mu.Unlock()
	m := new(dns.Msg)
	m.SetReply(req)
	m.Authoritative = true
	q := req.Question[0]
	name := strings.ToLower(q.Name)
	zone := ""
	for _, zn := range z.zones {
		if dns.IsSubDomain(zn, name) && len(zn) > len(zone) {
			zone = zn
		}
	}
	if zone == "" {
		m.Rcode = dns.RcodeRefused
		w.WriteMsg(m)
		return
	}
	rrs, exists := z.rrs[name]
	if _, parent, ok := strings.Cut(name, "."); !exists && ok {
		// A wildcard answers for a name that has nothing of its own.
		for _, rr := range z.rrs["*."+parent] {
			rr = dns.Copy(rr)
			rr.Header().Name = q.Name
			rrs, exists = append(rrs, rr), true
		}
	}
	for _, rr := range rrs {
		if rr.Header().Rrtype == q.Qtype {
			m.Answer = append(m.Answer, rr)
		}
	}
	for _, rr := range rrs {
		if sig, ok := rr.(*dns.RRSIG); ok && sig.TypeCovered == q.Qtype {
			m.Answer = append(m.Answer, sig)
		}
	}
	if len(m.Answer) == 0 {
		for _, rr := range z.rrs[zone] {
			if rr.Header().Rrtype == dns.TypeSOA {
				m.Ns = append(m.Ns, rr)
			}
		}
		if !exists {
			m.Rcode = dns.RcodeNameError
		}
	}
	w.WriteMsg(m)
}

// --- SMTP ------------------------------------------------------------------

// smtpServer is a fake MX on addr: banner, EHLO (with STARTTLS when cert
// is set), STARTTLS, QUIT.
func smtpServer(t *testing.T, addr string, cert *tls.Certificate) {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			go serveSMTP(conn, cert)
		}
	}()
}

func serveSMTP(conn net.Conn, cert *tls.Certificate) {
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	var c net.Conn = conn
	rd := bufio.NewReader(c)
	say := func(s string) { c.Write([]byte(s + "\r\n")) }
	say("220 mx.test ESMTP ready")
	for {
		line, err := rd.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"):
			if cert != nil {
				say("250-mx.test\r\n250-8BITMIME\r\n250 STARTTLS")
			} else {
				say("250-mx.test\r\n250 8BITMIME")
			}
		case cmd == "STARTTLS" && cert != nil:
			say("220 go ahead")
			tc := tls.Server(conn, &tls.Config{Certificates: []tls.Certificate{*cert}})
			if tc.Handshake() != nil {
				return
			}
			c, rd = tc, bufio.NewReader(tc)
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("250 ok")
		}
	}
}

// sharedPort finds a port free on 127.0.0.1, .2 and .3 at once, so three
// MX hosts can share one configured SMTP port.
func sharedPort(t *testing.T) int {
	t.Helper()
	for range 20 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		ok := true
		for _, ip := range []string{"127.0.0.1", "127.0.0.2", "127.0.0.3"} {
			l, err := net.Listen("tcp", net.JoinHostPort(ip, itoa(port)))
			if err != nil {
				ok = false
				break
			}
			l.Close()
		}
		if ok {
			return port
		}
	}
	t.Fatal("no port free on three loopback addresses")
	return 0
}

// httpServer serves h over plain HTTP.
func httpServer(t *testing.T, h http.Handler) *httptest.Server {
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s
}
