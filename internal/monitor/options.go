package monitor

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"time"
)

// Settings is the monitor: section of the configuration.
type Settings struct {
	// Interval between rounds over the registry. 0, the default, turns
	// monitoring off in serve: probing a constituency is a decision the
	// CERT takes (its mandate, the agencies told), not a side effect of
	// starting the server or the demo.
	Interval time.Duration `yaml:"interval" json:"interval"`
	// Concurrency is how many hosts are checked at once.
	Concurrency int `yaml:"concurrency" json:"concurrency"`
	// Delay between two targets on one host (politeness).
	Delay time.Duration `yaml:"delay" json:"delay"`
	// Timeout bounds each network step (a connection, a handshake, a request).
	Timeout time.Duration `yaml:"timeout" json:"timeout"`
	// Resolver is the DNS server (HOST:PORT) for every lookup; government
	// networks use their own. Empty: the first nameserver of /etc/resolv.conf.
	Resolver string `yaml:"resolver" json:"resolver,omitempty"`
	// Ports are the risky services probed; the catalogue's list when empty.
	Ports []Port `yaml:"ports" json:"ports,omitempty"`
	// SMTPPort is where MX hosts are asked for STARTTLS (25).
	SMTPPort int `yaml:"smtp_port" json:"smtp_port"`
	// Keywords are signs of defacement looked for in each page; the
	// catalogue's when empty.
	Keywords []string `yaml:"keywords" json:"keywords,omitempty"`
	// ContentChangeThreshold is the share (0 to 1) of a landing page's
	// text that may change from its baseline before the change is a
	// failing check (content-changed); 0.5 by default.
	ContentChangeThreshold float64 `yaml:"content_change_threshold" json:"content_change_threshold"`
	// ExtraRoots are PEM files of CAs trusted besides the system's (a national CA).
	ExtraRoots []string `yaml:"extra_roots" json:"extra_roots,omitempty"`
}

// DefaultSettings checks eight hosts at a time, a second between two
// targets of one host, once monitoring is turned on (interval: 24h, say).
func DefaultSettings() Settings {
	return Settings{Concurrency: 8, Delay: time.Second, Timeout: 10 * time.Second, SMTPPort: 25, ContentChangeThreshold: DefaultChangeThreshold}
}

// Validate checks ranges and that the root files load.
func (s Settings) Validate() error {
	if s.Interval < 0 || s.Delay < 0 || s.Timeout < 0 || s.Concurrency < 0 {
		return fmt.Errorf("config: monitor: interval, delay, timeout and concurrency cannot be negative")
	}
	if s.SMTPPort < 0 || s.SMTPPort > 65535 {
		return fmt.Errorf("config: monitor: smtp_port %d is not a port", s.SMTPPort)
	}
	if s.ContentChangeThreshold < 0 || s.ContentChangeThreshold >= 1 || s.ContentChangeThreshold != s.ContentChangeThreshold {
		return fmt.Errorf("config: monitor: content_change_threshold %v: want a share of the text from 0 to below 1 (0.5: half of it may change; 0: the default, 0.5)", s.ContentChangeThreshold)
	}
	for _, p := range s.Ports {
		if p.Port < 1 || p.Port > 65535 {
			return fmt.Errorf("config: monitor: port %d is not a port", p.Port)
		}
	}
	_, err := LoadRoots(s.ExtraRoots)
	return err
}

// LoadRoots reads PEM certificate files into a pool; nil when none.
func LoadRoots(files []string) (*x509.CertPool, error) {
	if len(files) == 0 {
		return nil, nil
	}
	pool := x509.NewCertPool()
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("monitor: extra roots: %w", err)
		}
		n := 0
		for {
			var blk *pem.Block
			blk, b = pem.Decode(b)
			if blk == nil {
				break
			}
			c, err := x509.ParseCertificate(blk.Bytes)
			if err != nil {
				return nil, fmt.Errorf("monitor: extra roots: %s: %w", f, err)
			}
			pool.AddCert(c)
			n++
		}
		if n == 0 {
			return nil, fmt.Errorf("monitor: extra roots: %s has no PEM certificate", f)
		}
	}
	return pool, nil
}
