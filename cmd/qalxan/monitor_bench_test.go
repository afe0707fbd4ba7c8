package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/config"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/monitor"
)

// TestMonitorRoundWithStore is the end-to-end figure: N registered URL
// resources on 50 loopback addresses (one TLS site behind them all),
// checked, stored and turned into findings in one round on SQLite.
//
//	QALXAN_MONITOR_BENCH_STORE=10000 go test -run TestMonitorRoundWithStore -v ./cmd/qalxan
func TestMonitorRoundWithStore(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("QALXAN_MONITOR_BENCH_STORE"))
	if n == 0 {
		t.Skip("QALXAN_MONITOR_BENCH_STORE=N runs the end-to-end monitoring round over N resources")
	}
	ctx := context.Background()
	site := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Strict-Transport-Security", "max-age=31536000")
		io.WriteString(w, "<html>agency</html>")
	}))
	site.Config.ErrorLog = log.New(io.Discard, "", 0)
	site.StartTLS()
	defer site.Close()
	port := site.Listener.Addr().(*net.TCPAddr).Port
	const hosts = 50
	var addrs []string
	for i := 2; i < hosts+2; i++ {
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.%d:%d", i, port))
		if err != nil {
			t.Skipf("listen on 127.0.0.%d: %v", i, err)
		}
		go site.Config.Serve(tls.NewListener(l, site.TLS))
		defer l.Close()
		addrs = append(addrs, l.Addr().String())
	}
	s := openTestStore(t, filepath.Join(t.TempDir(), "q.db"))
	per := (n + 99) / 100
	made := 0
	for o := 0; made < n; o++ {
		org := constituency.Org{ShortName: fmt.Sprintf("org%03d", o), Name: "Org", Sector: "government", Language: "az", TLP: "amber"}
		for j := 0; j < per && made < n; j++ {
			org.Resources = append(org.Resources, constituency.Resource{Kind: constituency.KindURL, Value: fmt.Sprintf("https://%s/p%d", addrs[made%hosts], made)})
			made++
		}
		if err := s.CreateOrg(ctx, auth.System, &org); err != nil {
			t.Fatal(err)
		}
	}
	set := config.Defaults().Monitor
	set.Concurrency, set.Delay, set.Timeout = hosts, 0, 10*time.Second
	checker := &monitor.Checker{Timeout: set.Timeout, Ports: []monitor.Port{}}
	start := time.Now()
	st, err := checkResources(ctx, s, checker, set, config.Defaults().Findings, 0, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil || st.Resources != n {
		t.Fatalf("round: got %+v, %v", st, err)
	}
	wall := time.Since(start)
	t.Logf("%d resources, %d checks, %d findings opened in %s: %.0f checks/s; peak RSS %s", st.Resources, st.Checks, st.Opened,
		wall.Round(time.Millisecond), float64(st.Checks)/wall.Seconds(), vmHWM())
}

// vmHWM is the process's peak resident set, on Linux.
func vmHWM() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
