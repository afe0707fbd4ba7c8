package main

import (
	"encoding/json"
	"encoding/pem"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// siteWith serves a TLS site whose every response carries headers.
func siteWith(t *testing.T, headers map[string]string) (url, caFile string) {
	t.Helper()
	return siteWithFunc(t, func(w http.ResponseWriter) {
		for k, v := range headers {
			w.Header().Set(k, v)
		}
		if headers["X-Exposed"] != "" {
			w.Header().Set("X-Exposed", "1")
		}
	})
}

// siteWithFunc serves a TLS site whose responses set lets set headers (an
// X-Exposed header exposes /.git/config), and writes its certificate as a
// CA file for --ca.
func siteWithFunc(t *testing.T, set func(w http.ResponseWriter)) (url, caFile string) {
	t.Helper()
	s := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		set(w)
		if r.URL.Path == "/.git/config" && w.Header().Get("X-Exposed") != "" {
			io.WriteString(w, "[core]\n\tbare = false\n")
			return
		}
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, "<html><title>Agency</title></html>")
	}))
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.StartTLS()
	t.Cleanup(s.Close)
	caFile = filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	return s.URL + "/", caFile
}

var goodHeaders = map[string]string{
	"Content-Security-Policy":   "default-src 'self'; frame-ancestors 'none'",
	"X-Frame-Options":           "DENY",
	"X-Content-Type-Options":    "nosniff",
	"Referrer-Policy":           "no-referrer",
	"Strict-Transport-Security": "max-age=63072000",
}

func TestCheckCommand(t *testing.T) {
	dir := t.TempDir()
	good, goodCA := siteWith(t, goodHeaders)
	code, out, errOut := cli(t, "", "check", "--data-dir", dir, "--ca", goodCA, "--ports", "", good)
	if code != 0 || !strings.Contains(out, "PASS") || strings.Contains(out, "FAIL") || !strings.Contains(out, "header score 100 (A+)") {
		t.Fatalf("good site: got exit %d, %s %s; want 0 and every check passing", code, out, errOut)
	}

	bad, badCA := siteWith(t, map[string]string{"Server": "Apache/2.4.49", "X-Exposed": "1"})
	code, out, errOut = cli(t, "", "check", "--data-dir", dir, "--ca", badCA, "--ports", "", "--json", bad)
	if code != 1 || !strings.Contains(errOut, "gaps found") {
		t.Fatalf("bad site: got exit %d, %s; want 1", code, errOut)
	}
	got := map[string]map[string]any{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		for _, k := range []string{"check", "status", "severity", "evidence"} {
			if _, ok := m[k]; !ok {
				t.Errorf("%q has no %s", line, k)
			}
		}
		got[m["check"].(string)] = m
	}
	for check, want := range map[string]string{"exposed-git": "fail", "banner-version": "fail", "hsts": "fail", "tls-cert-trusted": "pass", "spf-present": "skipped"} {
		if got[check]["status"] != want {
			t.Errorf("%s: got %v, want %s", check, got[check], want)
		}
	}
	if got["exposed-git"]["severity"] != "high" || got["exposed-git"]["remediation"] == "" {
		t.Errorf("exposed-git: got %v, want severity high and a remediation", got["exposed-git"])
	}

	// Without --ca the test CA is not trusted: a gap.
	if code, out, _ := cli(t, "", "check", "--data-dir", dir, "--ports", "", good); code != 1 || !strings.Contains(out, "FAIL") {
		t.Errorf("untrusted: got exit %d, %s; want 1", code, out)
	}
	for _, args := range [][]string{{"check", "ftp://x"}, {"check", "--ports", "x", good}, {"check", "--ca", "/nonexistent.pem", good}} {
		if code, _, errOut := cli(t, "", append(args, "--data-dir", dir)...); code != 2 || errOut == "" {
			t.Errorf("%v: got exit %d, %q; want 2 and a message", args, code, errOut)
		}
	}
}

// closedLoopbackPort is a port nothing listens on.
func closedLoopbackPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
