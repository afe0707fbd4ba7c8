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
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
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
	return c, nil
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
	default:
		return fmt.Errorf("unsupported type %s", f.Type())
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
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("config: base_url %q is not an http(s) URL", c.BaseURL)
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
// password of a DSN, and any field whose key names a secret.
func (c Config) Redacted() ([]byte, error) {
	r := c
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
