package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestPrecedence(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "qalxan.yaml")
	os.WriteFile(file, []byte("addr: 0.0.0.0:9000\nlog_level: warn\ndb: postgres://u:secret@db/qalxan\nsession_ttl: 2h\n"), 0o600)
	env := map[string]string{"QALXAN_LOG_LEVEL": "debug", "QALXAN_TIME_ZONE": "UTC"}
	c, err := Load(file, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Set("addr", "127.0.0.1:7000"); err != nil { // a flag
		t.Fatal(err)
	}
	checks := []struct{ name, got, want string }{
		{"addr (flag beats file)", c.Addr, "127.0.0.1:7000"},
		{"log_level (env beats file)", c.LogLevel, "debug"},
		{"time_zone (env beats default)", c.TimeZone, "UTC"},
		{"data_dir (default)", c.DataDir, "./qalxan-data"},
		{"session_ttl (file)", c.SessionTTL.String(), (2 * time.Hour).String()},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s: got %q, want %q", ch.name, ch.got, ch.want)
		}
	}
	out, _ := c.Redacted()
	if strings.Contains(string(out), "secret") || !strings.Contains(string(out), "REDACTED") {
		t.Errorf("redacted config shows the password:\n%s", out)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("valid config: got %v", err)
	}
}

func TestBadConfig(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "bad.yaml")
	os.WriteFile(file, []byte("adress: 1.2.3.4:5\n"), 0o600)
	if _, err := Load(file, func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "adress") {
		t.Errorf("unknown key: got %v, want an error naming it", err)
	}
	if _, err := Load("", func(k string) string {
		if k == "QALXAN_SESSION_TTL" {
			return "soon"
		}
		return ""
	}); err == nil || !strings.Contains(err.Error(), "QALXAN_SESSION_TTL") {
		t.Errorf("bad env duration: got %v, want an error naming the variable", err)
	}
	for _, mod := range []func(*Config){
		func(c *Config) { c.TimeZone = "Mars/Olympus" },
		func(c *Config) { c.LogLevel = "loud" },
		func(c *Config) { c.BaseURL = "ftp://x" },
		func(c *Config) { c.SecureCookies = "maybe" },
	} {
		c := Defaults()
		mod(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("config %+v: got valid, want an error", c)
		}
	}
}

func TestCookiesSecure(t *testing.T) {
	cases := []struct {
		addr, base, mode string
		want             bool
	}{
		{"127.0.0.1:8080", "", "auto", false},
		{"0.0.0.0:8080", "", "auto", true},
		{"0.0.0.0:8080", "http://cert.local", "auto", false},
		{"127.0.0.1:8080", "https://cert.gov.az", "auto", true},
		{"127.0.0.1:8080", "", "true", true},
	}
	for _, c := range cases {
		cfg := Defaults()
		cfg.Addr, cfg.BaseURL, cfg.SecureCookies = c.addr, c.base, c.mode
		if got := cfg.CookiesSecure(); got != c.want {
			t.Errorf("%+v: got %v, want %v", c, got, c.want)
		}
	}
}
