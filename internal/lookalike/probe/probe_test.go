package probe

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/qalxan/qalxan/internal/lookalike"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

// zone is a small authoritative DNS server on loopback: names to records
// in zone-file syntax; other names do not exist.
type zone struct {
	mu      sync.Mutex
	records map[string][]dns.RR
}

func (z *zone) ServeDNS(w dns.ResponseWriter, req *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(req)
	q := req.Question[0]
	z.mu.Lock()
	rrs, ok := z.records[strings.ToLower(q.Name)]
	z.mu.Unlock()
	if !ok {
		m.Rcode = dns.RcodeNameError
	}
	for _, rr := range rrs {
		if rr.Header().Rrtype == q.Qtype {
			m.Answer = append(m.Answer, rr)
		}
	}
	w.WriteMsg(m)
}

func startZone(t *testing.T, lines ...string) string {
	t.Helper()
	z := &zone{records: map[string][]dns.RR{}}
	for _, l := range lines {
		rr, err := dns.NewRR(l)
		if err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		name := strings.ToLower(rr.Header().Name)
		z.records[name] = append(z.records[name], rr)
	}
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &dns.Server{PacketConn: pc, Handler: z}
	go srv.ActivateAndServe()
	t.Cleanup(func() { srv.Shutdown() })
	return pc.LocalAddr().String()
}

// sites serves the testdata pages by Host: the bank's real page, a copy
// of it on a look-alike, a florist's on another.
func sites(t *testing.T) *httptest.Server {
	t.Helper()
	page := func(name string) []byte {
		b, err := os.ReadFile("../testdata/pages/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	byHost := map[string][]byte{
		"examplebank.az":         page("bank.html"),
		"examplebank-login.xyz":  page("phish.html"),
		"flowers-examplebank.az": page("innocent.html"),
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, _ := net.SplitHostPort(r.Host)
		if host == "" {
			host = r.Host
		}
		if host == "go.examplebank-login.xyz" {
			http.Redirect(w, r, "http://examplebank-login.xyz/az/", http.StatusFound)
			return
		}
		b, ok := byHost[host]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestCheck(t *testing.T) {
	srv := sites(t)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	resolver := startZone(t,
		"examplebank.az. 60 IN A 127.0.0.1",
		"examplebank-login.xyz. 60 IN A 127.0.0.1",
		"examplebank-login.xyz. 60 IN MX 10 mx.examplebank-login.xyz.",
		"examplebank-login.xyz. 60 IN NS ns1.cheap-dns.example.",
		"examplebank-login.xyz. 60 IN NS ns2.cheap-dns.example.",
		"go.examplebank-login.xyz. 60 IN A 127.0.0.1",
		"flowers-examplebank.az. 60 IN A 127.0.0.1",
		"parked-examplebank.xyz. 60 IN A 127.0.0.1",
		"internal-examplebank.xyz. 60 IN A 10.1.2.3",
	)
	p := &Prober{Resolver: resolver, Timeout: 5 * time.Second, AllowPrivate: true, Ports: map[string]string{"http": port}, Schemes: []string{"http"}}
	ctx := context.Background()
	now := time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC)
	brand := "http://examplebank.az/"

	r, err := p.Check(ctx, "examplebank-login.xyz", brand, now)
	c := r.Confirmation
	if err != nil || c.Verdict != lookalike.Imitation || c.Status != 200 || c.Similarity < lookalike.ImitationSimilarity {
		t.Fatalf("the copy: got %+v, %v; want an imitation", c, err)
	}
	if strings.Join(c.A, ",") != "127.0.0.1" || strings.Join(c.MX, ",") != "mx.examplebank-login.xyz" ||
		strings.Join(c.NS, ",") != "ns1.cheap-dns.example,ns2.cheap-dns.example" || c.Title != "Example Bank — İnternet Bankçılıq" || !c.CheckedAt.Equal(now) {
		t.Errorf("the copy's records and title: got %+v", c)
	}

	// A redirecting kit is followed; NS come from the registered domain.
	r, _ = p.Check(ctx, "go.examplebank-login.xyz", brand, now)
	if r.Confirmation.Verdict != lookalike.Imitation || r.Confirmation.URL != "http://examplebank-login.xyz/az/" || len(r.Confirmation.NS) != 2 {
		t.Errorf("redirect: got %+v", r.Confirmation)
	}

	r, _ = p.Check(ctx, "flowers-examplebank.az", brand, now)
	if r.Confirmation.Verdict != lookalike.Different || r.Confirmation.Similarity > 20 {
		t.Errorf("the florist: got %+v, want a different page", r.Confirmation)
	}
	r, _ = p.Check(ctx, "parked-examplebank.xyz", brand, now)
	if r.Confirmation.Verdict != lookalike.NoPage || r.Confirmation.Status != 404 {
		t.Errorf("parked: got %+v, want no page", r.Confirmation)
	}
	r, _ = p.Check(ctx, "unregistered-examplebank.xyz", brand, now)
	if r.Confirmation.Verdict != lookalike.Unresolved || len(r.Confirmation.A) != 0 || r.Confirmation.DNSError != "" {
		t.Errorf("no such name: got %+v, want unresolved without an error", r.Confirmation)
	}
	// The brand's page cannot be fetched: the similarity stays 0, said so.
	r, _ = p.Check(ctx, "examplebank-login.xyz", "http://gone-examplebank.az/", now)
	if r.Confirmation.BrandError == "" || r.Confirmation.Verdict != lookalike.Different {
		t.Errorf("no brand page: got %+v", r.Confirmation)
	}

	// Private addresses are not fetched unless allowed.
	strict := *p
	strict.AllowPrivate = false
	r, _ = strict.Check(ctx, "internal-examplebank.xyz", brand, now)
	if !strings.Contains(r.Confirmation.FetchError, "not a public address") || r.Confirmation.Status != 0 {
		t.Errorf("private address: got %+v, want it refused", r.Confirmation)
	}

	// A resolver that does not answer: an error in the confirmation, and
	// the check ends within its timeouts.
	dead, _ := net.ListenPacket("udp", "127.0.0.1:0")
	defer dead.Close()
	slow := &Prober{Resolver: dead.LocalAddr().String(), Timeout: 300 * time.Millisecond}
	start := time.Now()
	r, err = slow.Check(ctx, "examplebank-login.xyz", brand, now)
	if err != nil || r.Confirmation.DNSError == "" || r.Confirmation.Verdict != lookalike.Unresolved || time.Since(start) > 5*time.Second {
		t.Errorf("dead resolver: got %+v, %v after %s", r.Confirmation, err, time.Since(start))
	}
}

// TestScreenshot: with Chromium, the look-alike's page is photographed
// at the address checked (the browser does no lookup of its own).
func TestScreenshot(t *testing.T) {
	const chromium = "/usr/bin/chromium"
	if _, err := os.Stat(chromium); err != nil {
		if storagetest.Required("chromium") {
			t.Fatal("chromium is required but not installed")
		}
		t.Skip("no chromium")
	}
	srv := sites(t)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	resolver := startZone(t, "examplebank.az. 60 IN A 127.0.0.1", "examplebank-login.xyz. 60 IN A 127.0.0.1")
	p := &Prober{Resolver: resolver, Timeout: 30 * time.Second, AllowPrivate: true, Ports: map[string]string{"http": port}, Schemes: []string{"http"}, Chromium: chromium}
	r, err := p.Check(context.Background(), "examplebank-login.xyz", "http://examplebank.az/", time.Now())
	if err != nil || r.Confirmation.ScreenshotError != "" {
		t.Fatalf("got %+v, %v", r.Confirmation, err)
	}
	if !bytes.HasPrefix(r.Screenshot, []byte("\x89PNG\r\n\x1a\n")) || len(r.Screenshot) < 5000 {
		t.Fatalf("screenshot: got %d bytes, want a PNG of the page", len(r.Screenshot))
	}
	if dir := os.Getenv("QALXAN_TEST_SHOTS"); dir != "" {
		os.WriteFile(dir+"/lookalike.png", r.Screenshot, 0o644)
	}
	// No browser: a finding, not a failure.
	p.Chromium = "/no/such/chromium"
	r, err = p.Check(context.Background(), "examplebank-login.xyz", "", time.Now())
	if err != nil || r.Screenshot != nil || !strings.Contains(r.Confirmation.ScreenshotError, "no browser") {
		t.Errorf("missing browser: got %+v, %v", r.Confirmation, err)
	}
}
