package monitor

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestRound checks simulated resources — distinct names, resolved by the
// test DNS server to one loopback TLS site — in one round: every job
// reported once, with the expected results. With
// QALXAN_MONITOR_BENCH=N it is the benchmark round of the closing note
// (N resources, politeness off) and prints wall time, checks/s and peak RSS:
//
//	QALXAN_MONITOR_BENCH=10000 go test -run TestRound -v ./internal/monitor
func TestRound(t *testing.T) {
	n, concurrency := 40, 8
	if v := os.Getenv("QALXAN_MONITOR_BENCH"); v != "" {
		n, _ = strconv.Atoi(v)
		concurrency = 64
	}
	ctx := context.Background()
	root := newCA(t)
	dnsz := newZoneServer(t)
	site := tlsServer(t, root.leaf(t, leafOpts{names: []string{"*.bench.test"}}), &tls.Config{MinVersion: tls.VersionTLS12}, goodSite)
	u, _ := url.Parse(site.URL)
	dnsz.add(t, `bench.test. 300 IN SOA ns.bench.test. h.bench.test. 1 3600 600 86400 300`, `*.bench.test. 300 IN A 127.0.0.1`)
	// Every name resolves to one loopback address: grouped by address,
	// the round would be one long queue; byName is politeness off.
	c := &Checker{Resolver: dnsz.addr, Timeout: 10 * time.Second, Roots: root.pool, Ports: []Port{{1, "tcpmux"}}, byName: true}
	jobs := make([]Job, n)
	for i := range jobs {
		tg, err := ParseTarget(fmt.Sprintf("site%05d.bench.test:%s", i, u.Port()))
		if err != nil {
			t.Fatal(err)
		}
		jobs[i] = Job{Target: tg, Ref: i}
	}
	var mu sync.Mutex
	seen := map[int]int{}
	checks, fails := 0, map[string]int{}
	var durs []time.Duration
	start := time.Now()
	Round(ctx, c, jobs, concurrency, 0, func(j Job, rep Report) {
		mu.Lock()
		defer mu.Unlock()
		seen[j.Ref.(int)]++
		checks += len(rep.Results)
		durs = append(durs, rep.Duration)
		for _, r := range rep.Results {
			if r.Status == Fail || r.Status == Error {
				fails[r.Check+" "+string(r.Status)]++
			}
		}
	})
	wall := time.Since(start)
	slices.Sort(durs)
	t.Logf("run durations: median %s, p90 %s, max %s", durs[len(durs)/2], durs[len(durs)*9/10], durs[len(durs)-1])
	if len(seen) != n {
		t.Fatalf("got %d jobs reported, want %d", len(seen), n)
	}
	for i, k := range seen {
		if k != 1 {
			t.Errorf("job %d reported %d times", i, k)
		}
	}
	// The site is good; the zone has no mail records, so only mail and
	// DNS checks fail (the same ones for every resource).
	for k, v := range fails {
		if !strings.HasPrefix(k, "spf") && !strings.HasPrefix(k, "dmarc") && !strings.HasPrefix(k, "caa") && !strings.HasPrefix(k, "dnssec") {
			t.Errorf("%s: %d times, want only mail and DNS gaps", k, v)
		}
	}
	t.Logf("%d resources, %d checks in %s on %d CPUs: %.0f checks/s, %.1f resources/s; peak RSS %s",
		n, checks, wall.Round(time.Millisecond), runtime.NumCPU(), float64(checks)/wall.Seconds(), float64(n)/wall.Seconds(), peakRSS())
}

// peakRSS is the process's high-water resident set (VmHWM), on Linux.
func peakRSS() string {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
