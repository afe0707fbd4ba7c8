package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestIncidentMailboxConfig(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "qalxan.yaml")
	write := func(s string) { os.WriteFile(path, []byte(s), 0o600) }
	env := func(k string) string {
		if k == "MAILBOX_PW" {
			return "s3cret-imap"
		}
		return ""
	}
	write("incidents:\n  mailbox:\n    host: imap.cert.az\n    user: incident@cert.az\n    password: ${MAILBOX_PW}\n    folder: Reports\n    interval: 2m\n")
	c, err := Load(path, env)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	m := c.Incidents.Mailbox
	if m.Password != "s3cret-imap" || m.Addr() != "imap.cert.az:993" || m.Every() != 2*time.Minute || m.Folder != "Reports" {
		t.Errorf("mailbox: %+v (addr %s)", m, m.Addr())
	}
	out, err := c.Redacted()
	if err != nil || strings.Contains(string(out), "s3cret-imap") || !strings.Contains(string(out), "REDACTED") {
		t.Errorf("redacted configuration shows the mailbox password or hides nothing:\n%s", out)
	}
	if _, err := Load(path, func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "MAILBOX_PW") {
		t.Errorf("unset password variable: got %v", err)
	}
	for yaml, want := range map[string]string{
		"incidents:\n  mailbox:\n    user: x\n":                                                 "host: required",
		"incidents:\n  mailbox:\n    host: h\n    password: p\n":                                "mailbox.user",
		"incidents:\n  mailbox:\n    host: h\n    user: u\n":                                    "mailbox.password",
		"incidents:\n  mailbox:\n    host: h\n    user: u\n    password: p\n    tls: ssl\n":     "mailbox.tls",
		"incidents:\n  mailbox:\n    host: h\n    user: u\n    password: p\n    port: 70000\n":  "mailbox.port",
		"incidents:\n  mailbox:\n    host: h\n    user: u\n    password: p\n    interval: 1s\n": "mailbox.interval",
		"incidents:\n  mailbox:\n    host: h\n    usr: u\n":                                     "usr",
	} {
		write(yaml)
		c, err := Load(path, env)
		if err == nil {
			err = c.Validate()
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want an error about %s", yaml, err, want)
		}
	}
}
