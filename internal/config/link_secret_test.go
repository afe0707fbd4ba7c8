package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLinkSecret(t *testing.T) {
	file := filepath.Join(t.TempDir(), "qalxan.yaml")
	os.WriteFile(file, []byte("link_secret: ${LINK_KEY}\n"), 0o600)
	key := strings.Repeat("k", 40)
	c, err := Load(file, func(k string) string { return map[string]string{"LINK_KEY": key}[k] })
	if err != nil {
		t.Fatal(err)
	}
	if c.LinkSecret != key {
		t.Errorf("link_secret: got %q, want the environment's value", c.LinkSecret)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("valid config: got %v", err)
	}
	out, _ := c.Redacted()
	if strings.Contains(string(out), key) || !strings.Contains(string(out), "link_secret: REDACTED") {
		t.Errorf("redacted config shows the link secret:\n%s", out)
	}
	if _, err := Load(file, func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "LINK_KEY") {
		t.Errorf("unset variable: got %v, want an error naming LINK_KEY", err)
	}
	c.LinkSecret = "short"
	if err := c.Validate(); err == nil {
		t.Error("short link_secret: got no error")
	}
}
