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
	"sync/atomic"
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
	states   map[string]*siteState // by owner
}

// siteState is what the demo changes on a site between its two rounds:
// down, the site accepts connections and answers nothing; replaced, its
// landing page shows other text (a lapsed domain's parking page).
type siteState struct {
	down, replaced atomic.Bool
}

// Disturb makes the next round differ from the first, so the demo has
// history: the Ministry of Finance's site stops answering and the
// Ministry of Justice's landing page is replaced.
func (s *Sites) Disturb() {
	s.states["mof"].down.Store(true)
	s.states["moj"].replaced.Store(true)
}

// Recover brings the site that went down back up; the replaced page
// stays, for staff to look at and accept or not.
func (s *Sites) Recover() { s.states["mof"].down.Store(false) }

// Close stops every server.
func (s *Sites) Close() {
	for _, c := range s.closers {
		c()
	}
}

// siteSpec is a simulated web site: its certificate's validity and its
// handler.
type siteSpec struct {
	org, what     string
	notAfter      time.Duration // from now; negative: expired
	good, exposed bool          // every security header; a Git config and an .env served
	handler       http.HandlerFunc
}

// StartSites starts the simulated sites on 127.0.0.1 and the DNS server
// for the weak mail domain; Close stops them.
func StartSites(ctx context.Context) (*Sites, error) {
	s := &Sites{Roots: x509.NewCertPool(), states: map[string]*siteState{}}
	caCert, caKey, err := demoCA()
	if err != nil {
		return nil, err
	}
	s.Roots.AddCert(caCert)
	specs := []siteSpec{
		{"mdt", "well configured", 90 * 24 * time.Hour, true, false, nil},
		{"mof", "expired certificate; down in the second round", -5 * 24 * time.Hour, true, false, nil},
		{"moj", "missing security headers, versioned banner, loose cookie; its page replaced in the second round", 60 * 24 * time.Hour, false, false, nil},
		{"moh", "exposed .git and .env, certificate expiring in 10 days", 10 * 24 * time.Hour, false, true, nil},
	}
	for _, sp := range specs {
		st := &siteState{}
		s.states[sp.org] = st
		sp.handler = site(sp.org, sp.good, sp.exposed, st)
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

// site is a site's handler: good sets every security header; exposed
// also serves a Git config and an .env file; st takes it down or
// replaces its landing page.
func site(org string, good, exposed bool, st *siteState) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if st.down.Load() {
			// Down: the connection is dropped without an answer.
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
					return
				}
			}
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
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
		case r.URL.Path == "/" && st.replaced.Load():
			io.WriteString(w, "<!doctype html><title>Domain for sale</title><h1>This domain may be for sale</h1>"+
				"<p>Buy this domain today. Fast and secure payment, transfer within 24 hours. Related searches: cheap flights, casino bonus, loans.</p>")
		case r.URL.Path == "/":
			io.WriteString(w, "<!doctype html><title>Demo agency</title><h1>Demo agency portal: "+org+"</h1>"+
				"<p>Public services of the ministry for citizens and businesses: applications, appointments, open data, news and contacts.</p>"+
				"<p>Reception hours: Monday to Friday, 9:00 to 18:00. Hotline 1 2 3.</p>")
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
