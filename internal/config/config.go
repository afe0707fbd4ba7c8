// Package config is Qalxan's configuration: defaults, then a YAML file,
// then QALXAN_* environment variables, then command-line flags, each
// stronger than the one before.
package config

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/qalxan/qalxan/internal/feed/genericcsv"
	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/monitor"
)

// Config is the effective configuration. A field's environment variable is
// QALXAN_ and its YAML key in upper case (data_dir → QALXAN_DATA_DIR).
type Config struct {
	DataDir       string        `yaml:"data_dir"`       // where the SQLite database and archives live
	DB            string        `yaml:"db"`             // database DSN; default: DATA_DIR/qalxan.db (SQLite)
	Addr          string        `yaml:"addr"`           // listen address of serve
	BaseURL       string        `yaml:"base_url"`       // public URL of the UI, for links in notices
	LogLevel      string        `yaml:"log_level"`      // debug, info, warn, error
	LogFormat     string        `yaml:"log_format"`     // text or json
	TimeZone      string        `yaml:"time_zone"`      // zone the UI shows times in
	SessionTTL    time.Duration `yaml:"session_ttl"`    // how long a sign-in lasts
	SecureCookies string        `yaml:"secure_cookies"` // auto (Secure unless base_url is http://), true, false
	// LinkSecret signs the links in notices that open an organisation's
	// findings without an account; may be written as ${ENV_NAME}. Empty:
	// a random key is made once and kept in the database.
	LinkSecret string `yaml:"link_secret,omitempty"`

	// EnrichFiles are MMDB or IP-range CSV files for AS and country, first
	// wins (the default of ingest --enrich). QALXAN_ENRICH_FILES takes them
	// comma-separated.
	EnrichFiles []string `yaml:"enrich_files"`
	// Findings is how severe each security gap is, how long its owner
	// has to fix it, and when a fix counts as verified (finding.Policy).
	Findings finding.Policy `yaml:"findings"`
	// Collectors bring reports in on schedules (collect, serve).
	Collectors []Collector `yaml:"collectors"`
	// Feeds are partner CSV feeds described by their columns, registered
	// under their names beside the built-in feeds.
	Feeds []genericcsv.Config `yaml:"feeds"`
	// Mail is the SMTP relay notices leave through.
	Mail Mail `yaml:"mail"`
	// Notify is when and how organisations are told of their findings.
	Notify Notify `yaml:"notify"`
	// Monitor is the scheduled checking of the registry's resources
	// (interval, concurrency, resolver, ports, extra roots).
	Monitor monitor.Settings `yaml:"monitor"`
	// Incidents are the severity criteria and SLA, the playbooks and the
	// country of phone numbers written without a code.
	Incidents Incidents `yaml:"incidents"`
	// Lookalike is the watch for look-alike domains of protected brands.
	Lookalike Lookalike `yaml:"lookalike"`
}

// Incidents configures incident handling (incident.Rules).
type Incidents struct {
	Severity incident.Policy `yaml:"severity"`
	// Playbooks is a YAML file of playbooks replacing the built-in ones
	// (the format of internal/incident/playbooks.yaml).
	Playbooks   string `yaml:"playbooks,omitempty"`
	PhoneRegion string `yaml:"phone_region"` // ISO country code: "AZ"
	// Mailbox is the incident mailbox: new mail there becomes reports.
	Mailbox Mailbox `yaml:"mailbox,omitempty"`
	// TakedownReminder is how long a sent take-down request may go
	// unanswered before serve writes a reminder in its incident's journal,
	// and again each time as long after; default 48h (1h to 720h).
	TakedownReminder time.Duration `yaml:"takedown_reminder,omitempty"`
	// PersonalDataRetention is how long the personal data of closed
	// incidents and of reports is kept before the daily purge erases it
	// (storage.PurgePersonalData); unset: DefaultPersonalDataRetention.
	PersonalDataRetention time.Duration `yaml:"personal_data_retention,omitempty"`
}

// DefaultTakedownReminder is incidents.takedown_reminder when unset.
const DefaultTakedownReminder = 48 * time.Hour

// ReminderEvery is the take-down reminder interval in force.
func (i Incidents) ReminderEvery() time.Duration {
	if i.TakedownReminder == 0 {
		return DefaultTakedownReminder
	}
	return i.TakedownReminder
}

// IncidentRules are the incident rules of c, reading its playbook file.
func (c Config) IncidentRules() (incident.Rules, error) {
	r := incident.Rules{Policy: c.Incidents.Severity, Playbooks: incident.DefaultPlaybooks(), Region: c.Incidents.PhoneRegion}
	if c.Incidents.Playbooks != "" {
		b, err := os.ReadFile(c.Incidents.Playbooks)
		if err != nil {
			return r, fmt.Errorf("config: incidents.playbooks: %w", err)
		}
		if r.Playbooks, err = incident.ParsePlaybooks(b); err != nil {
			return r, fmt.Errorf("config: incidents.playbooks %s: %w", c.Incidents.Playbooks, err)
		}
	}
	return r, nil
}

// Mail is the SMTP relay. Password may be written as ${ENV_NAME}.
type Mail struct {
	SMTPAddr string `yaml:"smtp_addr,omitempty"` // HOST:PORT; no notices are sent without it
	From     string `yaml:"from,omitempty"`
	Username string `yaml:"username,omitempty"`
	Password string `yaml:"password,omitempty"`
	TLS      string `yaml:"tls,omitempty"` // starttls (default), tls or none
}

// Notify schedules notices.
type Notify struct {
	DigestAt     string        `yaml:"digest_at,omitempty"`     // HH:MM in time_zone; default 08:00
	Every        time.Duration `yaml:"every,omitempty"`         // how often serve looks for critical findings and sends; default 1m
	MaxAttempts  int           `yaml:"max_attempts,omitempty"`  // delivery attempts before a notice fails; default 8
	TemplatesDir string        `yaml:"templates_dir,omitempty"` // notice.LANG.txt/.html here replace the built-in ones
}

// Collector kinds.
const (
	KindFile         = "file"             // files at Path, read each round (the archive skips known content)
	KindDropFolder   = "dropfolder"       // files dropped into the directory Path
	KindHTTP         = "http"             // a download from URL
	KindIMAP         = "imap"             // attachments of unseen mail
	KindShadowserver = "shadowserver_api" // the Shadowserver Reports API
)

// DefaultSchedule is how often a collector runs when it sets no schedule.
const DefaultSchedule = time.Hour

// Collector configures one source of reports. Which fields apply depends
// on Kind; the others must be left out. Username, Password, APIKey,
// Secret, URL and header values may be written as ${ENV_NAME}, taken from
// the environment when the configuration is loaded, so that secrets need
// not be in the file.
type Collector struct {
	Name     string        `yaml:"name"`               // unique; the archive's source of its reports
	Kind     string        `yaml:"kind"`               // file, dropfolder, http, imap or shadowserver_api
	Schedule time.Duration `yaml:"schedule,omitempty"` // how often it runs; default 1h
	Feed     string        `yaml:"feed,omitempty"`     // feed of its reports; default recognised per report
	Report   string        `yaml:"report,omitempty"`   // report type within the feed; default from the file name

	Path string `yaml:"path,omitempty"` // file: a file or glob pattern; dropfolder: the directory

	URL     string            `yaml:"url,omitempty"`     // http: the download; shadowserver_api: the API root
	Headers map[string]string `yaml:"headers,omitempty"` // http: extra request headers (an API key, say)

	Addr     string `yaml:"addr,omitempty"`     // imap: host:port
	Username string `yaml:"username,omitempty"` // imap; http: basic auth
	Password string `yaml:"password,omitempty"` // imap; http: basic auth
	Mailbox  string `yaml:"mailbox,omitempty"`  // imap: default INBOX
	TLS      string `yaml:"tls,omitempty"`      // imap: tls (default), starttls or insecure

	APIKey      string   `yaml:"api_key,omitempty"`      // shadowserver_api
	Secret      string   `yaml:"secret,omitempty"`       // shadowserver_api: signs the requests
	DownloadURL string   `yaml:"download_url,omitempty"` // shadowserver_api: where reports are fetched from
	Reports     []string `yaml:"reports,omitempty"`      // shadowserver_api: the lists (subscriptions) to fetch; default all
	Types       []string `yaml:"types,omitempty"`        // shadowserver_api: report types to fetch; default all
	Days        int      `yaml:"days,omitempty"`         // shadowserver_api: how many days back to look; default 2
}

// fieldsOf says which kind-specific fields (by YAML key) each kind takes.
var fieldsOf = map[string][]string{
	KindFile:         {"path"},
	KindDropFolder:   {"path"},
	KindHTTP:         {"url", "headers", "username", "password"},
	KindIMAP:         {"addr", "username", "password", "mailbox", "tls"},
	KindShadowserver: {"url", "api_key", "secret", "download_url", "reports", "types", "days"},
}

// common are the fields every kind takes.
var common = []string{"name", "kind", "schedule", "feed", "report"}

// Every returns the collector's schedule: Schedule, or DefaultSchedule.
func (c Collector) Every() time.Duration {
	if c.Schedule > 0 {
		return c.Schedule
	}
	return DefaultSchedule
}

// Defaults returns the configuration before any file, variable or flag.
func Defaults() Config {
	return Config{
		DataDir:       "./qalxan-data",
		Addr:          "127.0.0.1:8080",
		LogLevel:      "info",
		LogFormat:     "text",
		TimeZone:      "Asia/Baku",
		SessionTTL:    12 * time.Hour,
		SecureCookies: "auto",
		Findings:      finding.DefaultPolicy(),
		Monitor:       monitor.DefaultSettings(),
		Incidents:     Incidents{Severity: incident.DefaultPolicy(), PhoneRegion: "AZ"},
		Lookalike:     DefaultLookalike(),
	}
}

// Load reads the YAML file at path (none when empty) over the defaults,
// then applies the environment through getenv.
func Load(path string, getenv func(string) string) (Config, error) {
	c := Defaults()
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return c, fmt.Errorf("config: %w", err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(b))
		dec.KnownFields(true)
		if err := dec.Decode(&c); err != nil && err.Error() != "EOF" {
			return c, fmt.Errorf("config: %s: %w", path, err)
		}
	}
	if err := c.applyEnv(getenv); err != nil {
		return c, err
	}
	if err := c.expandSecrets(getenv); err != nil {
		return c, err
	}
	return c, nil
}

// envRef is a ${NAME} reference to an environment variable.
var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// expandSecrets replaces ${NAME} in the collectors' credentials, URLs and
// header values with the variable's value. An unset variable is an error:
// a collector logging in with an empty password only fails later, and
// less clearly.
func (c *Config) expandSecrets(getenv func(string) string) error {
	if m := envRef.FindStringSubmatch(c.LinkSecret); m != nil {
		if getenv(m[1]) == "" {
			return fmt.Errorf("config: link_secret: environment variable %s is not set", m[1])
		}
		c.LinkSecret = envRef.ReplaceAllStringFunc(c.LinkSecret, func(ref string) string { return getenv(envRef.FindStringSubmatch(ref)[1]) })
	}
	if m := envRef.FindStringSubmatch(c.Mail.Password); m != nil {
		if getenv(m[1]) == "" {
			return fmt.Errorf("config: mail: password: environment variable %s is not set", m[1])
		}
		c.Mail.Password = envRef.ReplaceAllStringFunc(c.Mail.Password, func(ref string) string { return getenv(envRef.FindStringSubmatch(ref)[1]) })
	}
	if m := envRef.FindStringSubmatch(c.Incidents.Mailbox.Password); m != nil {
		if getenv(m[1]) == "" {
			return fmt.Errorf("config: incidents.mailbox.password: environment variable %s is not set", m[1])
		}
		c.Incidents.Mailbox.Password = envRef.ReplaceAllStringFunc(c.Incidents.Mailbox.Password, func(ref string) string { return getenv(envRef.FindStringSubmatch(ref)[1]) })
	}
	for i := range c.Collectors {
		col := &c.Collectors[i]
		expand := func(field string, v *string) error {
			var missing string
			*v = envRef.ReplaceAllStringFunc(*v, func(ref string) string {
				name := envRef.FindStringSubmatch(ref)[1]
				val := getenv(name)
				if val == "" && missing == "" {
					missing = name
				}
				return val
			})
			if missing != "" {
				return fmt.Errorf("config: collector %q: %s: environment variable %s is not set", col.Name, field, missing)
			}
			return nil
		}
		for field, v := range map[string]*string{"url": &col.URL, "username": &col.Username, "password": &col.Password,
			"api_key": &col.APIKey, "secret": &col.Secret, "download_url": &col.DownloadURL} {
			if err := expand(field, v); err != nil {
				return err
			}
		}
		for k, v := range col.Headers {
			if err := expand("headers."+k, &v); err != nil {
				return err
			}
			col.Headers[k] = v
		}
	}
	return nil
}

// EnvName is the environment variable of a YAML key.
func EnvName(key string) string { return "QALXAN_" + strings.ToUpper(key) }

// applyEnv sets every field whose variable is set.
func (c *Config) applyEnv(getenv func(string) string) error {
	v := reflect.ValueOf(c).Elem()
	t := v.Type()
	for i := range t.NumField() {
		key := t.Field(i).Tag.Get("yaml")
		s := getenv(EnvName(key))
		if s == "" {
			continue
		}
		if err := setField(v.Field(i), s); err != nil {
			return fmt.Errorf("config: %s: %w", EnvName(key), err)
		}
	}
	return nil
}

// Set assigns a field by YAML key from its text form (used for flags).
func (c *Config) Set(key, value string) error {
	v := reflect.ValueOf(c).Elem()
	t := v.Type()
	for i := range t.NumField() {
		if t.Field(i).Tag.Get("yaml") == key {
			return setField(v.Field(i), value)
		}
	}
	return fmt.Errorf("config: unknown key %q", key)
}

func setField(f reflect.Value, s string) error {
	switch f.Interface().(type) {
	case string:
		f.SetString(s)
	case time.Duration:
		d, err := time.ParseDuration(s)
		if err != nil {
			return err
		}
		f.SetInt(int64(d))
	case bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return err
		}
		f.SetBool(b)
	case []string:
		var list []string
		for _, v := range strings.Split(s, ",") {
			if v = strings.TrimSpace(v); v != "" {
				list = append(list, v)
			}
		}
		f.Set(reflect.ValueOf(list))
	default:
		return fmt.Errorf("cannot be set from the environment or a flag: write it in the configuration file")
	}
	return nil
}

// DSN is the database to use: DB, or the SQLite file in DataDir.
func (c Config) DSN() string {
	if c.DB != "" {
		return c.DB
	}
	return filepath.Join(c.DataDir, "qalxan.db")
}

// Validate checks values that would otherwise fail later and obscurely.
func (c Config) Validate() error {
	if _, err := time.LoadLocation(c.TimeZone); err != nil {
		return fmt.Errorf("config: time_zone %q: %w", c.TimeZone, err)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("config: log_level %q: want debug, info, warn or error", c.LogLevel)
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		return fmt.Errorf("config: log_format %q: want text or json", c.LogFormat)
	}
	switch c.SecureCookies {
	case "auto", "true", "false":
	default:
		return fmt.Errorf("config: secure_cookies %q: want auto, true or false", c.SecureCookies)
	}
	if c.SessionTTL < time.Minute {
		return fmt.Errorf("config: session_ttl %s is too short", c.SessionTTL)
	}
	if c.LinkSecret != "" && len(c.LinkSecret) < 32 {
		return fmt.Errorf("config: link_secret is too short: give at least 32 characters (or none, and a random key is kept in the database)")
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("config: base_url %q is not an http(s) URL", c.BaseURL)
		}
	}
	for i, f := range c.EnrichFiles {
		if strings.TrimSpace(f) == "" {
			return fmt.Errorf("config: enrich_files[%d] is empty", i)
		}
	}
	if err := c.Findings.Validate(); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if err := c.Monitor.Validate(); err != nil {
		return err
	}
	if err := c.Incidents.Severity.Validate(); err != nil {
		return fmt.Errorf("config: incidents.severity: %w", err)
	}
	if len(c.Incidents.PhoneRegion) != 2 {
		return fmt.Errorf("config: incidents.phone_region %q is not a two-letter country code", c.Incidents.PhoneRegion)
	}
	if err := c.Incidents.Mailbox.validate(); err != nil {
		return err
	}
	if d := c.Incidents.TakedownReminder; d != 0 && (d < time.Hour || d > 720*time.Hour) {
		return fmt.Errorf("config: incidents.takedown_reminder %s is out of range: from 1h to 720h (30 days)", d)
	}
	if err := c.Incidents.validateRetention(); err != nil {
		return err
	}
	if err := c.Lookalike.Validate(); err != nil {
		return err
	}
	names := map[string]bool{}
	for i, col := range c.Collectors {
		if err := col.validate(); err != nil {
			return fmt.Errorf("config: collectors[%d]: %w", i, err)
		}
		if names[col.Name] {
			return fmt.Errorf("config: collectors[%d]: collector %q: name used twice", i, col.Name)
		}
		names[col.Name] = true
	}
	switch c.Mail.TLS {
	case "", "starttls", "tls", "none":
	default:
		return fmt.Errorf("config: mail: tls %q: want starttls, tls or none", c.Mail.TLS)
	}
	if c.Mail.SMTPAddr != "" && c.Mail.From == "" {
		return fmt.Errorf("config: mail: from: required with smtp_addr")
	}
	if c.Notify.DigestAt != "" {
		if _, err := time.Parse("15:04", c.Notify.DigestAt); err != nil {
			return fmt.Errorf("config: notify: digest_at %q: want HH:MM", c.Notify.DigestAt)
		}
	}
	if c.Notify.Every < 0 || c.Notify.MaxAttempts < 0 {
		return fmt.Errorf("config: notify: every and max_attempts cannot be negative")
	}
	feeds := map[string]bool{}
	for i, f := range c.Feeds {
		if f.Name == "" {
			return fmt.Errorf("config: feeds[%d]: name: a feed needs a name", i)
		}
		if f.Name != strings.ToLower(f.Name) || strings.ContainsAny(f.Name, " \t") {
			return fmt.Errorf("config: feeds[%d]: feed %q: name: want lower case without spaces", i, f.Name)
		}
		if feeds[f.Name] {
			return fmt.Errorf("config: feeds[%d]: feed %q: name used twice", i, f.Name)
		}
		feeds[f.Name] = true
		if _, err := genericcsv.New(f); err != nil {
			return fmt.Errorf("config: feeds[%d]: %w", i, err)
		}
	}
	return nil
}

// collectorName is what a collector may be called: it becomes the source
// of its reports in the archive and the --only of collect.
var collectorName = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]*$`)

// validate checks one collector; errors name it and the field.
func (c Collector) validate() error {
	if !collectorName.MatchString(c.Name) {
		return fmt.Errorf("collector %q: name: want lower-case letters, digits, '-', '_' or '.'", c.Name)
	}
	fail := func(field, format string, a ...any) error {
		return fmt.Errorf("collector %q: %s: %s", c.Name, field, fmt.Sprintf(format, a...))
	}
	allowed, ok := fieldsOf[c.Kind]
	if !ok {
		return fail("kind", "%q: want file, dropfolder, http, imap or shadowserver_api", c.Kind)
	}
	// A field of another kind is a mistake (a url on a dropfolder, say):
	// say so rather than ignore it.
	v := reflect.ValueOf(c)
	for i := range v.NumField() {
		key, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("yaml"), ",")
		if !v.Field(i).IsZero() && !slices.Contains(common, key) && !slices.Contains(allowed, key) {
			return fail(key, "not used by kind %s (it takes %s)", c.Kind, strings.Join(allowed, ", "))
		}
	}
	if c.Schedule < 0 || (c.Schedule > 0 && c.Schedule < time.Minute) {
		return fail("schedule", "%s: want at least 1m", c.Schedule)
	}
	if c.Feed != "" && c.Feed != strings.ToLower(c.Feed) {
		return fail("feed", "%q: feed names are lower case", c.Feed)
	}
	httpURL := func(field, raw string) error {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fail(field, "not an http(s) URL")
		}
		return nil
	}
	switch c.Kind {
	case KindFile, KindDropFolder:
		if strings.TrimSpace(c.Path) == "" {
			return fail("path", "required for kind %s", c.Kind)
		}
	case KindHTTP:
		if c.URL == "" {
			return fail("url", "required for kind http")
		}
		if err := httpURL("url", c.URL); err != nil {
			return err
		}
		if c.Password != "" && c.Username == "" {
			return fail("username", "required with a password")
		}
	case KindIMAP:
		for field, v := range map[string]string{"addr": c.Addr, "username": c.Username, "password": c.Password} {
			if v == "" {
				return fail(field, "required for kind imap")
			}
		}
		switch c.TLS {
		case "", "tls", "starttls", "insecure":
		default:
			return fail("tls", "%q: want tls, starttls or insecure", c.TLS)
		}
	case KindShadowserver:
		if c.APIKey == "" {
			return fail("api_key", "required for kind shadowserver_api")
		}
		if c.Secret == "" {
			return fail("secret", "required for kind shadowserver_api")
		}
		if c.URL != "" {
			if err := httpURL("url", c.URL); err != nil {
				return err
			}
		}
		if c.DownloadURL != "" {
			if err := httpURL("download_url", c.DownloadURL); err != nil {
				return err
			}
		}
		if c.Days < 0 || c.Days > 30 {
			return fail("days", "%d: want 1 to 30", c.Days)
		}
	}
	return nil
}

// CookiesSecure resolves SecureCookies: "auto" means Secure unless the
// UI is served over plain HTTP (base_url http://, or none on loopback).
func (c Config) CookiesSecure() bool {
	switch c.SecureCookies {
	case "true":
		return true
	case "false":
		return false
	}
	if c.BaseURL != "" {
		return strings.HasPrefix(c.BaseURL, "https://")
	}
	host := c.Addr
	if h, _, ok := strings.Cut(c.Addr, ":"); ok {
		host = h
	}
	return !(host == "127.0.0.1" || host == "localhost" || host == "[::1]")
}

// Redacted returns the configuration as YAML with secrets hidden: the
// password of a DSN, and the collectors' passwords, API keys, secrets,
// header values and URL credentials.
func (c Config) Redacted() ([]byte, error) {
	r := c
	if r.Mail.Password != "" {
		r.Mail.Password = redacted
	}
	if r.LinkSecret != "" {
		r.LinkSecret = redacted
	}
	if r.Incidents.Mailbox.Password != "" {
		r.Incidents.Mailbox.Password = redacted
	}
	r.Collectors = nil
	if len(c.Collectors) > 0 {
		r.Collectors = make([]Collector, len(c.Collectors))
	}
	for i, col := range c.Collectors {
		for _, v := range []*string{&col.Password, &col.APIKey, &col.Secret} {
			if *v != "" {
				*v = redacted
			}
		}
		if len(col.Headers) > 0 {
			h := make(map[string]string, len(col.Headers))
			for k := range col.Headers {
				h[k] = redacted
			}
			col.Headers = h
		}
		col.URL, col.DownloadURL = redactURL(col.URL), redactURL(col.DownloadURL)
		r.Collectors[i] = col
	}
	r.Lookalike = c.Lookalike.redacted()
	if u, err := url.Parse(r.DB); err == nil && u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "REDACTED")
			r.DB = u.String()
		}
	}
	if q := strings.Index(r.DB, "password="); q >= 0 {
		end := strings.IndexAny(r.DB[q:], " &")
		if end < 0 {
			r.DB = r.DB[:q] + "password=REDACTED"
		} else {
			r.DB = r.DB[:q] + "password=REDACTED" + r.DB[q+end:]
		}
	}
	return yaml.Marshal(r)
}

const redacted = "REDACTED"

// redactURL hides a URL's password and the values of query parameters
// whose names look like credentials.
func redactURL(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return redacted
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), redacted)
	}
	q := u.Query()
	changed := false
	for k := range q {
		n := strings.ToLower(k)
		for _, s := range []string{"key", "token", "secret", "pass", "auth", "sig", "session", "credential"} {
			if strings.Contains(n, s) {
				q.Set(k, redacted)
				changed = true
			}
		}
	}
	if changed {
		u.RawQuery = q.Encode()
	}
	return u.String()
}
