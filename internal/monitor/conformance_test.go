package monitor

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func itoa(n int) string { return strconv.Itoa(n) }

// TestConformance runs every check against real servers on loopback and
// wants, for every check of the catalogue, at least one case where it
// passes and one where it fails: one table for the whole catalogue.
func TestConformance(t *testing.T) {
	ctx := context.Background()
	root := newCA(t)
	now := time.Now()
	smtpPort := sharedPort(t)
	dnsz := newZoneServer(t)
	c := &Checker{Resolver: dnsz.addr, Timeout: 3 * time.Second, Roots: root.pool, Ports: []Port{}, SMTPPort: smtpPort}

	good := tlsServer(t, root.leaf(t, leafOpts{names: []string{"good.test"}}), &tls.Config{MinVersion: tls.VersionTLS12}, goodSite)
	goodHTTP := redirector(t, good.URL)
	bad := tlsServer(t, root.leaf(t, leafOpts{}), nil, badSite)
	soft := tlsServer(t, root.leaf(t, leafOpts{}), nil, softSite)
	expired := tlsServer(t, root.leaf(t, leafOpts{notBefore: now.Add(-90 * 24 * time.Hour), notAfter: now.Add(-24 * time.Hour)}), nil, goodSite)
	in20 := tlsServer(t, root.leaf(t, leafOpts{notAfter: now.Add(20 * 24 * time.Hour)}), nil, goodSite)
	in10 := tlsServer(t, root.leaf(t, leafOpts{notAfter: now.Add(10 * 24 * time.Hour)}), nil, goodSite)
	self := tlsServer(t, root.leaf(t, leafOpts{self: true}), nil, goodSite)
	wrong := tlsServer(t, root.leaf(t, leafOpts{names: []string{"other.test"}, noIP: true}), nil, goodSite)
	weakKey := tlsServer(t, root.leaf(t, leafOpts{rsaBits: 1024, sha1: true}), nil, goodSite)
	tls10 := tlsServer(t, root.leaf(t, leafOpts{}), &tls.Config{MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS10}, goodSite)
	weakSuite := tlsServer(t, root.leaf(t, leafOpts{rsaBits: 2048}), &tls.Config{MaxVersion: tls.VersionTLS12,
		CipherSuites: []uint16{tls.TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA}}, goodSite)
	plainOnly := httpServer(t, goodSite)
	defaced := tlsServer(t, root.leaf(t, leafOpts{}), nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<html><body><h1>Hacked   BY</h1> <b>Team X</b></body></html>"))
	}))

	// Zones: good mail and DNS; no DMARC and a plain MX; p=none, ?all
	// and an MX with a self-signed certificate; +all; no SPF; eleven
	// lookups; a signed zone whose signatures expired.
	dnsz.add(t, `good.test. 300 IN SOA ns.good.test. h.good.test. 1 3600 600 86400 300`,
		`good.test. 300 IN TXT "v=spf1 ip4:192.0.2.0/24 include:_spf.good.test -all"`,
		`_spf.good.test. 300 IN TXT "v=spf1 ip4:198.51.100.0/24 -all"`,
		`_dmarc.good.test. 300 IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@good.test"`,
		`good.test. 300 IN MX 10 mx.good.test.`, `mx.good.test. 300 IN A 127.0.0.1`,
		`good.test. 300 IN CAA 0 issue "letsencrypt.org"`)
	// The parent zone test., signed, delegates to good.test with a DS
	// that matches; to three more signed zones with a DS of another key,
	// none, and one not signed by the parent.
	dnsz.add(t, `test. 300 IN SOA ns.test. h.test. 1 3600 600 86400 300`)
	dnsz.sign(t, "test.", now.Add(-time.Hour), now.Add(30*24*time.Hour))
	dnsz.sign(t, "good.test.", now.Add(-time.Hour), now.Add(30*24*time.Hour))
	dnsz.delegate(t, "test.", "good.test.", true, false)
	for _, z := range []string{"dsmismatch", "island", "forgedds"} {
		dnsz.add(t, z+`.test. 300 IN SOA ns.`+z+`.test. h.`+z+`.test. 1 3600 600 86400 300`)
		dnsz.sign(t, z+".test.", now.Add(-time.Hour), now.Add(30*24*time.Hour))
	}
	dnsz.delegate(t, "test.", "dsmismatch.test.", false, false)
	dnsz.delegate(t, "test.", "forgedds.test.", true, true)
	// A signed zone under an unsigned parent.
	dnsz.add(t, `unsigned.example. 300 IN SOA ns.unsigned.example. h.unsigned.example. 1 3600 600 86400 300`,
		`orphan.unsigned.example. 300 IN SOA ns.orphan.unsigned.example. h.orphan.unsigned.example. 1 3600 600 86400 300`)
	dnsz.sign(t, "orphan.unsigned.example.", now.Add(-time.Hour), now.Add(30*24*time.Hour))
	dnsz.add(t, `nodmarc.test. 300 IN SOA ns.nodmarc.test. h.nodmarc.test. 1 3600 600 86400 300`,
		`nodmarc.test. 300 IN TXT "v=spf1 mx -all"`, `nodmarc.test. 300 IN MX 10 mx.nodmarc.test.`, `mx.nodmarc.test. 300 IN A 127.0.0.2`)
	dnsz.add(t, `pnone.test. 300 IN SOA ns.pnone.test. h.pnone.test. 1 3600 600 86400 300`,
		`pnone.test. 300 IN TXT "v=spf1 a ?all"`, `_dmarc.pnone.test. 300 IN TXT "v=DMARC1; p=none"`,
		`pnone.test. 300 IN MX 10 mx.pnone.test.`, `mx.pnone.test. 300 IN A 127.0.0.3`)
	dnsz.add(t, `plusall.test. 300 IN SOA ns.plusall.test. h.plusall.test. 1 3600 600 86400 300`, `plusall.test. 300 IN TXT "v=spf1 +all"`)
	dnsz.add(t, `nospf.test. 300 IN SOA ns.nospf.test. h.nospf.test. 1 3600 600 86400 300`, `nospf.test. 300 IN TXT "google-site-verification=x"`)
	lookups := []string{`lookups.test. 300 IN SOA ns.lookups.test. h.lookups.test. 1 3600 600 86400 300`}
	var incs []string
	for i := range 11 {
		incs = append(incs, fmt.Sprintf("include:i%d.lookups.test", i))
		lookups = append(lookups, fmt.Sprintf(`i%d.lookups.test. 300 IN TXT "v=spf1 ip4:192.0.2.%d -all"`, i, i))
	}
	lookups = append(lookups, `lookups.test. 300 IN TXT "v=spf1 `+strings.Join(incs, " ")+` -all"`)
	dnsz.add(t, lookups...)
	dnsz.add(t, `bogus.test. 300 IN SOA ns.bogus.test. h.bogus.test. 1 3600 600 86400 300`)
	dnsz.sign(t, "bogus.test.", now.Add(-60*24*time.Hour), now.Add(-30*24*time.Hour))

	mxCert := root.leaf(t, leafOpts{names: []string{"mx.good.test"}})
	selfMX := root.leaf(t, leafOpts{names: []string{"mx.pnone.test"}, self: true})
	smtpServer(t, net.JoinHostPort("127.0.0.1", itoa(smtpPort)), &mxCert)
	smtpServer(t, net.JoinHostPort("127.0.0.2", itoa(smtpPort)), nil)
	smtpServer(t, net.JoinHostPort("127.0.0.3", itoa(smtpPort)), &selfMX)

	service, _ := net.Listen("tcp", "127.0.0.1:0")
	defer service.Close()
	go func() {
		for {
			conn, err := service.Accept()
			if err != nil {
				return
			}
			conn.Close()
		}
	}()
	openPort := service.Addr().(*net.TCPAddr).Port
	_, closedPort, _ := net.SplitHostPort(closedAddr(t))
	cp, _ := strconv.Atoi(closedPort)

	// A ministry's front page that changes between two runs: a little (a
	// news item), or wholly (a defaced or hijacked site).
	var front atomic.Value
	changing := tlsServer(t, root.leaf(t, leafOpts{}), nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(front.Load().(string)))
	}))
	ministry := "<html><head><title>Ministry of Digital Development</title><script>var t = 1;</script></head><body><h1>Ministry of Digital Development</h1>" +
		"<p>The ministry shapes the national policy on communications, information technology and the digital economy.</p>" +
		"<p>Services for citizens: electronic signature, digital government portal, postal services, radio frequencies.</p>" +
		"<ul><li>News: the broadband programme reached 300 villages this year.</li><li>Contacts: 1 Nizami street, Baku.</li></ul></body></html>"
	erroring := tlsServer(t, root.leaf(t, leafOpts{}), nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "<h1>Service temporarily unavailable</h1>", http.StatusServiceUnavailable)
	}))
	// changedAfter takes a baseline from one run of the page, changes it
	// to next and checks again against that baseline.
	changedAfter := func(next string) func() []Result {
		return func() []Result {
			front.Store(ministry)
			tg := webTarget(t, changing.URL, "")
			first := c.webChecks(ctx, tg)
			if first.content == nil {
				t.Fatal("the first run took no fingerprint")
			}
			front.Store(next)
			tg.Baseline = &Baseline{Print: *first.content, Taken: now.Add(-24 * time.Hour)}
			return c.webChecks(ctx, tg).results
		}
	}

	web := func(httpsURL, httpURL string) func() []Result {
		return func() []Result {
			tg := webTarget(t, httpsURL, httpURL)
			s := c.webChecks(ctx, tg)
			return append(s.results, c.exposureChecks(ctx, tg, s)...)
		}
	}
	mail := func(domain string) func() []Result {
		return func() []Result { return append(c.mailChecks(ctx, domain), c.dnsChecks(ctx, domain)...) }
	}
	cases := []struct {
		name string
		run  func() []Result
		want map[string]Status // check (or check/instance) → status
	}{
		{"good site", web(good.URL, goodHTTP.URL), map[string]Status{
			"https-reachable": Pass, "http-redirect-https": Pass, "tls-cert-trusted": Pass, "tls-cert-expired": Pass,
			"tls-cert-expiring-30": Pass, "tls-cert-expiring-14": Pass, "tls-cert-name": Pass, "tls-key-size": Pass,
			"tls-cert-sha1": Pass, "tls-old-versions": Pass, "tls13": Pass, "tls-weak-ciphers": Pass, "hsts": Pass,
			"header-csp": Pass, "header-x-frame-options": Pass, "header-x-content-type-options": Pass,
			"header-referrer-policy": Pass, "cookie-flags": Pass, "banner-version": Pass,
			"exposed-git": Pass, "exposed-env": Pass, "exposed-server-status": Pass, "exposed-backup": Pass,
			"exposed-phpinfo": Pass, "directory-listing": Pass, "exposed-admin-panel": Pass, "defacement": Pass, "content-changed": Pass}},
		{"defaced", web(defaced.URL, ""), map[string]Status{"defacement": Fail, "https-reachable": Pass}},
		{"content: a news item changed", changedAfter(strings.Replace(ministry, "300 villages this year", "412 villages by December", 1)),
			map[string]Status{"content-changed": Pass}},
		{"content: markup and scripts changed, text the same", changedAfter(strings.ReplaceAll(strings.ReplaceAll(ministry, "<p>", "<p class=\"lead\">"), "var t = 1", "var t = 2")),
			map[string]Status{"content-changed": Pass}},
		{"content: an error page is not compared", func() []Result {
			tg := webTarget(t, erroring.URL, "")
			s := c.webChecks(ctx, tg)
			if s.content != nil {
				t.Error("an error page was fingerprinted")
			}
			return s.results
		}, map[string]Status{"content-changed": Skipped, "https-reachable": Pass}},
		{"content: the page was replaced", changedAfter("<html><body><h1>Under construction</h1><p>This domain may be for sale. Contact the owner.</p></body></html>"),
			map[string]Status{"content-changed": Fail, "defacement": Pass}},
		{"weak headers and exposed files", web(bad.URL, plainOnly.URL), map[string]Status{
			"http-redirect-https": Fail, "hsts": Fail, "header-csp": Fail, "header-x-frame-options": Fail,
			"header-x-content-type-options": Fail, "header-referrer-policy": Fail, "cookie-flags": Fail, "banner-version": Fail,
			"exposed-git": Fail, "exposed-env": Fail, "exposed-server-status": Fail, "exposed-backup": Fail,
			"exposed-phpinfo": Fail, "directory-listing": Fail, "exposed-admin-panel": Fail}},
		{"soft-404 look-alike is not reported", web(soft.URL, ""), map[string]Status{
			"exposed-git": Pass, "exposed-env": Pass, "exposed-server-status": Pass, "exposed-backup": Pass,
			"exposed-phpinfo": Pass, "directory-listing": Pass, "exposed-admin-panel": Pass}},
		{"nothing listens", web("https://"+closedAddr(t), ""), map[string]Status{"https-reachable": Fail, "tls-cert-trusted": Skipped, "exposed-git": Skipped}},
		{"expired", web(expired.URL, ""), map[string]Status{"tls-cert-expired": Fail, "tls-cert-expiring-30": Skipped, "tls-cert-trusted": Pass}},
		{"expires in 20 days", web(in20.URL, ""), map[string]Status{"tls-cert-expiring-30": Fail, "tls-cert-expiring-14": Pass}},
		{"expires in 10 days", web(in10.URL, ""), map[string]Status{"tls-cert-expiring-30": Fail, "tls-cert-expiring-14": Fail}},
		{"self-signed", web(self.URL, ""), map[string]Status{"tls-cert-trusted": Fail, "tls-cert-name": Pass}},
		{"wrong name", web(wrong.URL, ""), map[string]Status{"tls-cert-name": Fail, "tls-cert-trusted": Pass}},
		{"RSA-1024 signed with SHA-1", web(weakKey.URL, ""), map[string]Status{"tls-key-size": Fail, "tls-cert-sha1": Fail}},
		{"TLS 1.0 only", web(tls10.URL, ""), map[string]Status{"https-reachable": Pass, "tls-old-versions": Fail, "tls13": Fail}},
		{"3DES accepted", web(weakSuite.URL, ""), map[string]Status{"tls-weak-ciphers": Fail}},
		{"good mail and DNS", mail("good.test"), map[string]Status{"spf-present": Pass, "spf-all": Pass, "spf-lookups": Pass,
			"dmarc-present": Pass, "dmarc-policy": Pass, "mx-starttls": Pass, "mx-tls-cert": Pass, "caa": Pass,
			"dnssec-signed": Pass, "dnssec-valid": Pass}},
		{"no DMARC, MX without STARTTLS, unsigned", mail("nodmarc.test"), map[string]Status{"dmarc-present": Fail,
			"mx-starttls": Fail, "mx-tls-cert": Skipped, "caa": Fail, "dnssec-signed": Fail, "spf-all": Pass}},
		{"p=none, ?all, self-signed MX", mail("pnone.test"), map[string]Status{"dmarc-policy": Fail, "spf-all": Fail,
			"mx-starttls": Pass, "mx-tls-cert": Fail}},
		{"+all", mail("plusall.test"), map[string]Status{"spf-all": Fail, "mx-starttls": Skipped}},
		{"no SPF", mail("nospf.test"), map[string]Status{"spf-present": Fail}},
		{"eleven SPF lookups", mail("lookups.test"), map[string]Status{"spf-lookups": Fail, "spf-present": Pass}},
		{"bogus DNSSEC", mail("bogus.test"), map[string]Status{"dnssec-signed": Pass, "dnssec-valid": Fail}},
		{"DS of another key at the parent", mail("dsmismatch.test"), map[string]Status{"dnssec-signed": Pass, "dnssec-valid": Fail}},
		{"signed, no DS at the signed parent", mail("island.test"), map[string]Status{"dnssec-signed": Pass, "dnssec-valid": Fail}},
		{"DS not signed by the parent", mail("forgedds.test"), map[string]Status{"dnssec-signed": Pass, "dnssec-valid": Fail}},
		{"signed under an unsigned parent", mail("orphan.unsigned.example"), map[string]Status{"dnssec-signed": Pass, "dnssec-valid": Fail}},
		{"risky ports", func() []Result {
			pc := &Checker{Timeout: time.Second, Ports: []Port{{openPort, "redis"}, {cp, "rdp"}}}
			return pc.portChecks(ctx, "127.0.0.1")
		}, map[string]Status{"open-port/redis": Fail, "open-port/rdp": Pass}},
	}
	// DNSSEC's chain: each failure for its own reason.
	for domain, want := range map[string]string{
		"good.test":               "the DS at test. (key",
		"dsmismatch.test":         "no DNSKEY of dsmismatch.test. matches the parent's DS",
		"island.test":             "parent zone test. publishes no DS",
		"forgedds.test":           "not validly signed by its parent test.",
		"orphan.unsigned.example": "parent zone unsigned.example. is not",
		"bogus.test":              "outside its validity period",
	} {
		for _, r := range c.dnsChecks(ctx, domain) {
			if r.Check == "dnssec-valid" && !strings.Contains(r.Evidence, want) {
				t.Errorf("%s: dnssec-valid evidence %q, want %q in it", domain, r.Evidence, want)
			}
		}
	}

	seen := map[string]map[Status]bool{}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := map[string]Result{}
			for _, r := range tc.run() {
				k := r.Check
				if r.Instance != "" {
					k += "/" + r.Instance
				}
				got[k] = r
				if seen[r.Check] == nil {
					seen[r.Check] = map[Status]bool{}
				}
				seen[r.Check][r.Status] = true
			}
			for k, want := range tc.want {
				if r, ok := got[k]; !ok || r.Status != want {
					t.Errorf("%s: got %s (%s), want %s", k, r.Status, r.Evidence, want)
				}
			}
		})
	}
	for _, ch := range Checks() {
		if !seen[ch.ID][Pass] || !seen[ch.ID][Fail] {
			t.Errorf("check %s: passed %v, failed %v; want a passing and a failing case", ch.ID, seen[ch.ID][Pass], seen[ch.ID][Fail])
		}
	}
}
