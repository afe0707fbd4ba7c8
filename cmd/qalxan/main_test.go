package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/qalxan/qalxan/internal/config"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

// cli runs qalxan with args and stdin, returning exit code, stdout, stderr.
func cli(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut strings.Builder
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestEveryCommandHasHelp(t *testing.T) {
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		for _, sub := range c.Commands() {
			if sub.Hidden || sub.Name() == "help" || sub.Name() == "completion" {
				continue
			}
			p := append(append([]string{}, path...), sub.Name())
			code, out, _ := cli(t, "", append(p, "--help")...)
			if code != 0 || !strings.Contains(out, "Usage:") {
				t.Errorf("qalxan %s --help: got exit %d and %q, want usage", strings.Join(p, " "), code, out)
			}
			walk(sub, p)
		}
	}
	walk((&app{}).rootCommand(), nil)
}

func TestBadUsageIsOneLineAndNonZero(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"org", "import", "--nope", "x"}, 2, "unknown flag: --nope"},
		{[]string{"user", "add", "x", "--password-stdin"}, 1, `required flag(s) "role" not set`},
		{[]string{"org", "import"}, 2, "accepts 1 arg"},
		{[]string{"frobnicate"}, 1, `unknown command "frobnicate"`},
		{[]string{"org", "import", "--data-dir", dir, filepath.Join(dir, "missing.yaml")}, 1, "no such file"},
		{[]string{"user", "token", "--data-dir", dir, "nobody"}, 1, "user nobody not found"},
		{[]string{"serve", "--addr", "x", "--log-level", "loud", "--print-config"}, 1, "log_level"},
	}
	for _, c := range cases {
		code, _, stderr := cli(t, "", c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.HasPrefix(stderr, "qalxan: ") {
			t.Errorf("qalxan %v: got exit %d, stderr %q; want exit %d and one line containing %q", c.args, code, stderr, c.code, c.want)
		}
	}
}

func TestRegistryAndUsersFromTheCommandLine(t *testing.T) {
	dir := t.TempDir()
	dd := []string{"--data-dir", dir}
	if code, out, errOut := cli(t, "", append([]string{"migrate"}, dd...)...); code != 0 || !strings.Contains(out, "sqlite schema at version") {
		t.Fatalf("migrate: exit %d, %q %q", code, out, errOut)
	}
	code, out, errOut := cli(t, "", append([]string{"org", "import", "testdata/registry.yaml"}, dd...)...)
	if code != 0 || out != "3 organisations: 3 created, 0 updated, 0 unchanged\n" {
		t.Fatalf("import: exit %d, %q %q", code, out, errOut)
	}
	if _, out, _ := cli(t, "", append([]string{"org", "import", "testdata/registry.yaml"}, dd...)...); out != "3 organisations: 0 created, 0 updated, 3 unchanged\n" {
		t.Errorf("second import: got %q, want all unchanged", out)
	}
	code, _, errOut = cli(t, "", append([]string{"org", "import", "testdata/bad.yaml"}, dd...)...)
	if code != 1 || !strings.Contains(errOut, "line 9") {
		t.Errorf("bad import: got exit %d, %q; want exit 1 naming line 9", code, errOut)
	}
	if _, out, _ := cli(t, "", append([]string{"org", "list"}, dd...)...); strings.Contains(out, "good") || !strings.Contains(out, "mdt") {
		t.Errorf("after a failed import the list shows %q; want nothing of the bad file", out)
	}

	_, out, _ = cli(t, "", append([]string{"org", "lookup", "198.51.100.7", "198.51.100.200", "203.0.113.7", "mail.mdt.gov.az",
		"notmdt.gov.az", "xn--dliyy-dlcf.az", "AS64500", "https://portal.mdt.gov.az/login?x=1", "192.0.2.1"}, dd...)...)
	want := "198.51.100.7\tmdt\n198.51.100.200\tedu\n203.0.113.7\tmdt\nmail.mdt.gov.az\tmdt\nnotmdt.gov.az\tcabinet\n" +
		"xn--dliyy-dlcf.az\tedu\nAS64500\tmdt\nhttps://portal.mdt.gov.az/login?x=1\tmdt\n192.0.2.1\t-\n"
	if out != want {
		t.Errorf("lookup: got\n%s\nwant\n%s", out, want)
	}

	code, out, errOut = cli(t, "a-long-enough-password\n", append([]string{"user", "add", "aysel", "--role", "agency", "--org", "mdt", "--password-stdin"}, dd...)...)
	if code != 0 || !strings.Contains(out, "created user aysel (agency)") {
		t.Fatalf("user add: exit %d, %q %q", code, out, errOut)
	}
	if code, _, errOut := cli(t, "short\n", append([]string{"user", "add", "b", "--role", "admin", "--password-stdin"}, dd...)...); code != 1 || !strings.Contains(errOut, "at least 12") {
		t.Errorf("short password: got exit %d, %q", code, errOut)
	}
	if code, _, errOut := cli(t, "", append([]string{"user", "add", "c", "--role", "agency", "--org", "nowhere"}, dd...)...); code != 1 || !strings.Contains(errOut, "nowhere") {
		t.Errorf("unknown org: got exit %d, %q", code, errOut)
	}
	if _, out, _ := cli(t, "", append([]string{"user", "list"}, dd...)...); !strings.Contains(out, "aysel") || !strings.Contains(out, "mdt") {
		t.Errorf("user list: got %q", out)
	}
	code, out, _ = cli(t, "", append([]string{"user", "token", "aysel", "--name", "script"}, dd...)...)
	if code != 0 || !strings.HasPrefix(out, "qxt_") {
		t.Errorf("token: got exit %d, %q", code, out)
	}
	if code, _, _ := cli(t, "another-long-password\n", append([]string{"user", "passwd", "aysel"}, dd...)...); code != 0 {
		t.Errorf("passwd: exit %d", code)
	}

	// Export as CSV, import it back: nothing changes.
	csvFile := filepath.Join(dir, "registry.csv")
	if code, _, errOut := cli(t, "", append([]string{"org", "export", "--format", "csv", "-o", csvFile}, dd...)...); code != 0 {
		t.Fatalf("export: exit %d, %q", code, errOut)
	}
	if _, out, errOut := cli(t, "", append([]string{"org", "import", csvFile}, dd...)...); out != "3 organisations: 0 created, 0 updated, 3 unchanged\n" {
		t.Errorf("re-import of the export: got %q %q, want all unchanged", out, errOut)
	}
}

func TestPrintConfigRedactsSecrets(t *testing.T) {
	t.Setenv("QALXAN_DB", "postgres://qalxan:hunter2hunter2@db.internal/qalxan")
	t.Setenv("QALXAN_LOG_LEVEL", "warn")
	code, out, errOut := cli(t, "", "serve", "--print-config", "--addr", "0.0.0.0:9999")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"addr: 0.0.0.0:9999", "log_level: warn", "REDACTED"} {
		if !strings.Contains(out, want) {
			t.Errorf("print-config: got\n%s\nwant it to contain %q", out, want)
		}
	}
	if strings.Contains(out, "hunter2") {
		t.Errorf("print-config shows the password:\n%s", out)
	}
}

// TestServeAndShutdown runs the real server on a free port, checks that it
// answers, then cancels it and expects a clean return.
func TestServeAndShutdown(t *testing.T) {
	for _, db := range []struct{ name, dsn string }{
		{"sqlite", filepath.Join(t.TempDir(), "q.db")},
		{"postgres", ""},
	} {
		t.Run(db.name, func(t *testing.T) {
			dsn := db.dsn
			if dsn == "" {
				dsn = storagetest.PostgresDSN(t)
			}
			a := &app{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, getenv: os.Getenv}
			cfg := config.Defaults()
			cfg.DB, cfg.Addr = dsn, "127.0.0.1:0"
			s := openTestStore(t, dsn)
			ctx, cancel := context.WithCancel(context.Background())
			addrc := make(chan net.Addr, 1)
			done := make(chan error, 1)
			go func() { done <- a.serve(ctx, cfg, s, func(addr net.Addr) { addrc <- addr }) }()
			addr := <-addrc
			for _, path := range []string{"/healthz", "/readyz", "/metrics", "/api/v1/openapi.json", "/login"} {
				resp, err := http.Get("http://" + addr.String() + path)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Errorf("GET %s: got %d, want 200", path, resp.StatusCode)
				}
			}
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("serve returned %v, want nil after shutdown", err)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("serve did not shut down")
			}
		})
	}
}
