package demo

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// Site is one simulated agency web site (or mail domain) on loopback,
// registered as a resource of a demo organisation so that the first
// monitoring round has something to find.
type Site struct {
	Org      string // short name of the owner
	Resource string // the registered value: a URL, or a domain served by the demo DNS
	What     string // what is wrong with it, for the console
}

// Sites are the simulated sites, their DNS server and the CA their
// certificates come from (trusted by the demo's checker, as a national CA
// would be).
type Sites struct {
	Sites    []Site
	Resolver string         // the in-process DNS server, HOST:PORT
	Roots    *x509.CertPool // the demo CA
	closers  []func()
}

// Close stops every server.
func (s *Sites) Close() {
	for _, c := range s.closers {
		c()
	}
}

// siteSpec is a simulated web site: its certificate's validity and its
// handler.
type siteSpec struct {
	org, what string
	notAfter  time.Duration // from now; negative: expired
	handler   http.HandlerFunc
}

// StartSites starts the simulated sites on 127.0.0.1 and the DNS server
// for the weak mail domain; Close stops them.
func StartSites(ctx context.Context) (*Sites, error) {
	s := &Sites{Roots: x509.NewCertPool()}
	caCert, caKey, err := demoCA()
	if err != nil {
		return nil, err
	}
	s.Roots.AddCert(caCert)
	specs := []siteSpec{
		{"mdt", "well configured", 90 * 24 * time.Hour, headers(true, false)},
		{"mof", "expired certificate", -5 * 24 * time.Hour, headers(true, false)},
		{"moj", "missing security headers, versioned banner, loose cookie", 60 * 24 * time.Hour, headers(false, false)},
		{"moh", "exposed .git and .env, certificate expiring in 10 days", 10 * 24 * time.Hour, headers(false, true)},
	}
	for _, sp := range specs {
		cert, err := leafCert(caCert, caKey, time.Now().Add(sp.notAfter))
		if err != nil {
			s.Close()
			return nil, err
		}
		l, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
		if err != nil {
			s.Close()
			return nil, err
		}
		srv := &http.Server{Handler: sp.handler, ReadHeaderTimeout: 5 * time.Second, ErrorLog: log.New(io.Discard, "", 0)}
		go srv.Serve(l)
		s.closers = append(s.closers, func() { srv.Close() })
		s.Sites = append(s.Sites, Site{Org: sp.org, Resource: "https://" + l.Addr().String() + "/", What: sp.what})
	}
	if err := s.startDNS(); err != nil {
		s.Close()
		return nil, err
	}
	s.Sites = append(s.Sites, Site{Org: "moe", Resource: weakMailDomain, What: "SPF +all, DMARC p=none, no CAA, unsigned (mail DNS only)"})
	return s, nil
}

// weakMailDomain is served by the in-process DNS server only; .test
// never reaches a real resolver.
const weakMailDomain = "moe-mail.demo.test"

// startDNS serves the weak mail domain: SPF +all, DMARC p=none, an MX
// that does not answer, no CAA, no DNSSEC.
func (s *Sites) startDNS() error {
	zone := map[string][]string{}
	for _, l := range []string{
		weakMailDomain + `. 300 IN SOA ns.demo.test. h.demo.test. 1 3600 600 86400 300`,
		weakMailDomain + `. 300 IN TXT "v=spf1 +all"`,
		`_dmarc.` + weakMailDomain + `. 300 IN TXT "v=DMARC1; p=none"`,
	} {
		rr, err := dns.NewRR(l)
		if err != nil {
			return err
		}
		zone[strings.ToLower(rr.Header().Name)] = append(zone[strings.ToLower(rr.Header().Name)], rr.String())
	}
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &dns.Server{PacketConn: pc, Handler: dns.HandlerFunc(func(w dns.ResponseWriter, req *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(req)
		m.Authoritative = true
		q := req.Question[0]
		name := strings.ToLower(q.Name)
		if !dns.IsSubDomain(weakMailDomain+".", name) {
			m.Rcode = dns.RcodeRefused
			w.WriteMsg(m)
			return
		}
		recs, ok := zone[name]
		for _, txt := range recs {
			if rr, err := dns.NewRR(txt); err == nil && rr.Header().Rrtype == q.Qtype {
				m.Answer = append(m.Answer, rr)
			}
		}
		if len(m.Answer) == 0 {
			soa, _ := dns.NewRR(zone[weakMailDomain+"."][0])
			m.Ns = []dns.RR{soa}
			if !ok {
				m.Rcode = dns.RcodeNameError
			}
		}
		w.WriteMsg(m)
	})}
	go srv.ActivateAndServe()
	s.Resolver = pc.LocalAddr().String()
	s.closers = append(s.closers, func() { srv.Shutdown() })
	return nil
}

// headers is a site handler: good sets every security header; exposed
// also serves a Git config and an .env file.
func headers(good, exposed bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if good {
			h.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")
			h.Set("X-Frame-Options", "DENY")
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
			http.SetCookie(w, &http.Cookie{Name: "session", Value: "demo", Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})
		} else {
			h.Set("Server", "Apache/2.4.49 (Unix)")
			h.Set("X-Powered-By", "PHP/7.4.3")
			http.SetCookie(w, &http.Cookie{Name: "PHPSESSID", Value: "demo"})
		}
		switch {
		case exposed && r.URL.Path == "/.git/config":
			io.WriteString(w, "[core]\n\trepositoryformatversion = 0\n\tbare = false\n")
		case exposed && r.URL.Path == "/.env":
			io.WriteString(w, "APP_ENV=production\nDB_HOST=10.10.0.5\nDB_PASSWORD=demo-not-a-secret\n")
		case r.URL.Path == "/":
			io.WriteString(w, "<!doctype html><title>Demo agency</title><h1>Demo agency portal</h1>")
		default:
			http.NotFound(w, r)
		}
	}
}

func demoCA() (*x509.Certificate, *ecdsa.PrivateKey, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Qalxan Demo National CA"},
		NotBefore: time.Now().Add(-365 * 24 * time.Hour), NotAfter: time.Now().Add(5 * 365 * 24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, nil, err
	}
	c, err := x509.ParseCertificate(der)
	return c, key, err
}

var serials = big.NewInt(1)

// leafCert is a certificate for 127.0.0.1 from the demo CA, valid until
// notAfter (in the past for the expired site).
func leafCert(ca *x509.Certificate, caKey *ecdsa.PrivateKey, notAfter time.Time) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	serials = new(big.Int).Add(serials, big.NewInt(1))
	notBefore := time.Now().Add(-30 * 24 * time.Hour)
	if !notAfter.After(notBefore) {
		return tls.Certificate{}, errors.New("demo: certificate would end before it starts")
	}
	tmpl := &x509.Certificate{SerialNumber: serials, Subject: pkix.Name{CommonName: "127.0.0.1"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore: notBefore, NotAfter: notAfter, KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, key.Public(), caKey)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("demo: certificate: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}
