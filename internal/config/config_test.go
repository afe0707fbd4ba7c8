package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/feed/genericcsv"
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

func TestCollectorsAndFeeds(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "qalxan.yaml")
	os.WriteFile(file, []byte(`
enrich_files: [asn.mmdb, ranges.csv]
collectors:
  - name: drop
    kind: dropfolder
    path: /srv/drop
    schedule: 5m
  - name: shadowserver
    kind: shadowserver_api
    api_key: ${SS_KEY}
    secret: ${SS_SECRET}
    types: [scan_rdp]
    days: 3
  - name: partner
    kind: http
    url: https://partner.example/feed.csv?token=${PARTNER_TOKEN}
    headers: {X-Api-Key: "${PARTNER_TOKEN}"}
    feed: partner-csv
  - name: mail
    kind: imap
    addr: imap.example:993
    username: reports
    password: ${IMAP_PASSWORD}
feeds:
  - name: partner-csv
    provider: Partner CERT
    columns: [time.source, source.ip, __IGNORE__]
    type: scanner
    skip_header: true
`), 0o600)
	env := map[string]string{"SS_KEY": "key-12345", "SS_SECRET": "sekrit-67890", "PARTNER_TOKEN": "tok-abcde", "IMAP_PASSWORD": "pw-fghij"}
	c, err := Load(file, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("valid config: got %v", err)
	}
	if got := strings.Join(c.EnrichFiles, ","); got != "asn.mmdb,ranges.csv" {
		t.Errorf("enrich_files: got %q", got)
	}
	ss := c.Collectors[1]
	if ss.APIKey != "key-12345" || ss.Secret != "sekrit-67890" || ss.Days != 3 || ss.Every() != time.Hour {
		t.Errorf("shadowserver collector: got %+v, want the secrets expanded, 3 days, every 1h", ss)
	}
	if c.Collectors[0].Every() != 5*time.Minute {
		t.Errorf("schedule: got %s, want 5m", c.Collectors[0].Every())
	}
	if p := c.Collectors[2]; p.URL != "https://partner.example/feed.csv?token=tok-abcde" || p.Headers["X-Api-Key"] != "tok-abcde" {
		t.Errorf("http collector: got %+v, want the token expanded in url and header", p)
	}
	if len(c.Feeds) != 1 || c.Feeds[0].Name != "partner-csv" || len(c.Feeds[0].Columns) != 3 {
		t.Errorf("feeds: got %+v", c.Feeds)
	}
	out, err := c.Redacted()
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range env {
		if strings.Contains(string(out), secret) {
			t.Errorf("redacted config shows %q:\n%s", secret, out)
		}
	}
	if !strings.Contains(string(out), "api_key: REDACTED") || !strings.Contains(string(out), "partner.example") {
		t.Errorf("redacted config: got\n%s\nwant secrets replaced, the rest kept", out)
	}
	if c.Collectors[1].APIKey != "key-12345" {
		t.Error("Redacted changed the configuration it was called on")
	}

	t.Setenv("QALXAN_ENRICH_FILES", "")
	c2, err := Load("", func(k string) string {
		if k == "QALXAN_ENRICH_FILES" {
			return "a.mmdb, b.csv"
		}
		return ""
	})
	if err != nil || strings.Join(c2.EnrichFiles, "|") != "a.mmdb|b.csv" {
		t.Errorf("QALXAN_ENRICH_FILES: got %v, %v; want [a.mmdb b.csv]", c2.EnrichFiles, err)
	}
}

func TestMissingSecretVariable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "q.yaml")
	os.WriteFile(file, []byte("collectors:\n  - {name: ss, kind: shadowserver_api, api_key: k, secret: '${NOPE}'}\n"), 0o600)
	_, err := Load(file, func(string) string { return "" })
	if err == nil || !strings.Contains(err.Error(), `collector "ss": secret: environment variable NOPE is not set`) {
		t.Errorf("got %v, want an error naming the collector, field and variable", err)
	}
}

func TestBadCollectorsAndFeeds(t *testing.T) {
	good := func() Collector { return Collector{Name: "drop", Kind: KindDropFolder, Path: "/srv/drop"} }
	cases := []struct {
		name string
		mod  func(*Config)
		want string
	}{
		{"kind", func(c *Config) { col := good(); col.Kind = "ftp"; c.Collectors = []Collector{col} }, `collector "drop": kind: "ftp"`},
		{"name", func(c *Config) { col := good(); col.Name = "My Drop"; c.Collectors = []Collector{col} }, `collector "My Drop": name`},
		{"twice", func(c *Config) { c.Collectors = []Collector{good(), good()} }, `collector "drop": name used twice`},
		{"no path", func(c *Config) { col := good(); col.Path = ""; c.Collectors = []Collector{col} }, `collector "drop": path: required`},
		{"foreign field", func(c *Config) { col := good(); col.URL = "https://x"; c.Collectors = []Collector{col} }, `collector "drop": url: not used by kind dropfolder`},
		{"schedule", func(c *Config) { col := good(); col.Schedule = time.Second; c.Collectors = []Collector{col} }, `collector "drop": schedule: 1s`},
		{"http url", func(c *Config) { c.Collectors = []Collector{{Name: "h", Kind: KindHTTP, URL: "ftp://x/y"}} }, `collector "h": url: not an http(s) URL`},
		{"imap password", func(c *Config) { c.Collectors = []Collector{{Name: "m", Kind: KindIMAP, Addr: "x:993", Username: "u"}} }, `collector "m": password: required`},
		{"imap tls", func(c *Config) {
			c.Collectors = []Collector{{Name: "m", Kind: KindIMAP, Addr: "x:993", Username: "u", Password: "p", TLS: "ssl"}}
		}, `collector "m": tls: "ssl"`},
		{"api key", func(c *Config) { c.Collectors = []Collector{{Name: "s", Kind: KindShadowserver, Secret: "x"}} }, `collector "s": api_key: required`},
		{"days", func(c *Config) {
			c.Collectors = []Collector{{Name: "s", Kind: KindShadowserver, APIKey: "k", Secret: "x", Days: 90}}
		}, `collector "s": days: 90`},
		{"feed name", func(c *Config) { c.Feeds = []genericcsv.Config{{Name: "", Columns: columns("source.ip")}} }, `feeds[0]: name`},
		{"feed column", func(c *Config) {
			c.Feeds = []genericcsv.Config{{Name: "p", Columns: columns("source.ip,source.nonsense"), Type: "scanner"}}
		}, `feed "p": column 2: unknown event key "source.nonsense"`},
		{"enrich file", func(c *Config) { c.EnrichFiles = []string{""} }, `enrich_files[0]`},
	}
	for _, tc := range cases {
		c := Defaults()
		tc.mod(&c)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
}

func columns(s string) genericcsv.Columns { return genericcsv.Columns(strings.Split(s, ",")) }
