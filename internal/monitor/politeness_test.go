package monitor

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"sync"
	"testing"
	"time"
)

// overlapWatch counts our open connections per address and keeps the
// highest count seen.
type overlapWatch struct {
	mu    sync.Mutex
	open  map[netip.Addr]int
	peak  map[netip.Addr]int
	total int
}

func (w *overlapWatch) opened(a netip.Addr) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.open[a]++
	w.total++
	w.peak[a] = max(w.peak[a], w.open[a])
}

func (w *overlapWatch) closed(a netip.Addr) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.open[a]--
}

// TestRoundOneConnectionPerAddress: six agencies' names on one shared
// server (127.0.0.1) and two on another (127.0.0.2), checked with eight
// workers: the names of one address are checked one after another, so
// no address ever has two connections of ours open at once — and the two
// addresses are still checked side by side.
func TestRoundOneConnectionPerAddress(t *testing.T) {
	ctx := context.Background()
	root := newCA(t)
	dnsz := newZoneServer(t)
	site := tlsServer(t, root.leaf(t, leafOpts{names: []string{"*.shared.test", "*.other.test"}}), &tls.Config{MinVersion: tls.VersionTLS12}, goodSite)
	u, _ := url.Parse(site.URL)
	// The same site on 127.0.0.2, same port.
	l, err := net.Listen("tcp", "127.0.0.2:"+u.Port())
	if err != nil {
		t.Skipf("127.0.0.2: %v", err)
	}
	go site.Config.Serve(tls.NewListener(l, site.TLS))
	t.Cleanup(func() { l.Close() })
	dnsz.add(t, `shared.test. 300 IN SOA ns.shared.test. h.shared.test. 1 3600 600 86400 300`, `*.shared.test. 300 IN A 127.0.0.1`,
		`other.test. 300 IN SOA ns.other.test. h.other.test. 1 3600 600 86400 300`, `*.other.test. 300 IN A 127.0.0.2`)
	w := &overlapWatch{open: map[netip.Addr]int{}, peak: map[netip.Addr]int{}}
	c := &Checker{Resolver: dnsz.addr, Timeout: 5 * time.Second, Roots: root.pool, Ports: []Port{}, watch: w}

	var jobs []Job
	for i := range 6 {
		tg, _ := ParseTarget(fmt.Sprintf("agency%d.shared.test:%s", i, u.Port()))
		jobs = append(jobs, Job{Target: tg, Ref: i})
	}
	for i := range 2 {
		tg, _ := ParseTarget(fmt.Sprintf("agency%d.other.test:%s", i, u.Port()))
		jobs = append(jobs, Job{Target: tg, Ref: 6 + i})
	}
	groups := groupByAddress(ctx, c, jobs, 8)
	if len(groups) != 2 || len(groups[0]) != 6 || len(groups[1]) != 2 {
		t.Fatalf("groups: got %d (%v), want 6 names on one address and 2 on the other", len(groups), groups)
	}

	var mu sync.Mutex
	done := 0
	Round(ctx, c, jobs, 8, 0, func(j Job, rep Report) {
		mu.Lock()
		defer mu.Unlock()
		done++
		if !rep.Up {
			t.Errorf("job %v: the site did not answer: %+v", j.Ref, rep.Results[0])
		}
	})
	if done != len(jobs) {
		t.Fatalf("got %d jobs done, want %d", done, len(jobs))
	}
	one, two := netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("127.0.0.2")
	if w.peak[one] != 1 || w.peak[two] != 1 {
		t.Errorf("peak connections: got %d on 127.0.0.1 and %d on 127.0.0.2, want 1 each (of %d opened)", w.peak[one], w.peak[two], w.total)
	}
	if w.total < 8*5 {
		t.Errorf("got only %d connections watched; is the watch still on every dial?", w.total)
	}
	for a, n := range w.open {
		if n != 0 {
			t.Errorf("%s: %d connections left open after the round", a, n)
		}
	}
}

// TestGroupByAddressTransitive: names sharing any address are one group,
// even through a third name (a and c meet through b), with a bare address
// among them; an unresolvable name is its own group.
func TestGroupByAddressTransitive(t *testing.T) {
	dnsz := newZoneServer(t)
	dnsz.add(t, `g.test. 300 IN SOA ns.g.test. h.g.test. 1 3600 600 86400 300`,
		`a.g.test. 300 IN A 192.0.2.1`, `b.g.test. 300 IN A 192.0.2.1`, `b.g.test. 300 IN A 192.0.2.2`,
		`c.g.test. 300 IN A 192.0.2.2`, `d.g.test. 300 IN A 192.0.2.9`)
	c := &Checker{Resolver: dnsz.addr, Timeout: 2 * time.Second}
	var jobs []Job
	for _, h := range []string{"a.g.test", "d.g.test", "c.g.test", "missing.g.test", "192.0.2.2", "b.g.test", "a.g.test"} {
		tg, err := ParseTarget(h)
		if err != nil {
			t.Fatal(err)
		}
		jobs = append(jobs, Job{Target: tg, Ref: h})
	}
	groups := groupByAddress(context.Background(), c, jobs, 3)
	var got []string
	for _, g := range groups {
		s := ""
		for _, j := range g {
			s += j.Ref.(string) + " "
		}
		got = append(got, s)
	}
	want := []string{"a.g.test c.g.test 192.0.2.2 b.g.test a.g.test ", "d.g.test ", "missing.g.test "}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("groups: got %q, want %q", got, want)
	}
}

// TestMXOneSessionPerAddress: eight domains of different groups share
// one mail server; checked at once, the server never sees two of our
// SMTP sessions together, and every domain gets its answer.
func TestMXOneSessionPerAddress(t *testing.T) {
	root := newCA(t)
	port := sharedPort(t)
	cert := root.leaf(t, leafOpts{names: []string{"mx.shared-mail.test"}})
	smtpServer(t, net.JoinHostPort("127.0.0.3", itoa(port)), &cert)
	dnsz := newZoneServer(t)
	dnsz.add(t, `shared-mail.test. 300 IN SOA ns.shared-mail.test. h.shared-mail.test. 1 3600 600 86400 300`,
		`mx.shared-mail.test. 300 IN A 127.0.0.3`)
	for i := range 8 {
		d := fmt.Sprintf("agency%d.test", i)
		dnsz.add(t, d+`. 300 IN SOA ns.`+d+`. h.`+d+`. 1 3600 600 86400 300`, d+`. 300 IN MX 10 mx.shared-mail.test.`)
	}
	w := &overlapWatch{open: map[netip.Addr]int{}, peak: map[netip.Addr]int{}}
	c := &Checker{Resolver: dnsz.addr, Timeout: 5 * time.Second, Roots: root.pool, SMTPPort: port, watch: w}
	var wg sync.WaitGroup
	results := make([][]Result, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = c.mxResults(context.Background(), fmt.Sprintf("agency%d.test", i))
		}()
	}
	wg.Wait()
	for i, rs := range results {
		if rs[0].Status != Pass || rs[1].Status != Pass {
			t.Errorf("agency%d: got %+v, want STARTTLS with a valid certificate", i, rs)
		}
	}
	if a := netip.MustParseAddr("127.0.0.3"); w.peak[a] != 1 || w.total != 8 {
		t.Errorf("mail server: got a peak of %d sessions of %d, want 1 of 8", w.peak[a], w.total)
	}
}
