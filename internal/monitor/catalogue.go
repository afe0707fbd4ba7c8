package monitor

import (
	_ "embed"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/qalxan/qalxan/internal/finding"
)

//go:embed catalogue.yaml
var catalogueYAML []byte

// Check is one entry of the catalogue: what is checked, how bad a failure
// is, and what the owner should do, in each language.
type Check struct {
	ID          string            `yaml:"id" json:"id"`
	Family      string            `yaml:"family" json:"family"`
	Severity    finding.Severity  `yaml:"severity" json:"severity"`
	Score       int               `yaml:"score" json:"score,omitempty"` // penalty to the header score when failing
	Type        string            `yaml:"type" json:"type,omitempty"`   // RSIT type of the finding
	Title       map[string]string `yaml:"title" json:"title"`
	Remediation map[string]string `yaml:"remediation" json:"remediation"`
}

// Text is the check's title or remediation in lang, English failing that.
func text(m map[string]string, lang string) string {
	if s := m[lang]; s != "" {
		return s
	}
	return m["en"]
}

// TitleIn is the check's title in lang (az, en, ru).
func (c Check) TitleIn(lang string) string { return text(c.Title, lang) }

// RemediationIn is what to do about a failure, in lang.
func (c Check) RemediationIn(lang string) string { return text(c.Remediation, lang) }

// Probe is an exposure check: paths to ask for and what a body must
// (and must not) contain to count as exposed.
type Probe struct {
	Check  string   `yaml:"check"`
	Paths  []string `yaml:"paths"`
	Match  string   `yaml:"match"`
	Unless string   `yaml:"unless"`
	match  *regexp.Regexp
	unless *regexp.Regexp
}

// Port is a risky service found by TCP connect.
type Port struct {
	Port    int    `yaml:"port" json:"port"`
	Service string `yaml:"service" json:"service"`
}

func (p Port) String() string { return strconv.Itoa(p.Port) + "/" + p.Service }

// ParsePorts reads "3389/rdp,445/smb" (a bare number is its own service
// name).
func ParsePorts(v string) ([]Port, error) {
	var out []Port
	for _, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		num, svc, _ := strings.Cut(f, "/")
		n, err := strconv.Atoi(num)
		if err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("monitor: port %q: want NUMBER/SERVICE", f)
		}
		if svc == "" {
			svc = num
		}
		out = append(out, Port{n, svc})
	}
	return out, nil
}

// Catalogue is every check, the exposure probes and the default ports.
type Catalogue struct {
	Checks   []Check  `yaml:"checks"`
	Probes   []Probe  `yaml:"probes"`
	Ports    []Port   `yaml:"ports"`
	Keywords []string `yaml:"keywords"`
	byID     map[string]int
}

// catalogue is read when first needed, not at start-up, where decoding it
// cost every command a few milliseconds.
var catalogue = sync.OnceValue(func() *Catalogue { return mustCatalogue(catalogueYAML) })

// Checks lists the catalogue in its order.
func Checks() []Check { return catalogue().Checks }

// Lookup finds a check by id.
func Lookup(id string) (Check, bool) {
	i, ok := catalogue().byID[id]
	if !ok {
		return Check{}, false
	}
	return catalogue().Checks[i], true
}

// DefaultKeywords are the catalogue's signs of defacement.
func DefaultKeywords() []string { return append([]string(nil), catalogue().Keywords...) }

// DefaultPorts are the risky services the catalogue lists.
func DefaultPorts() []Port { return append([]Port(nil), catalogue().Ports...) }

func mustCatalogue(b []byte) *Catalogue {
	c, err := parseCatalogue(b)
	if err != nil {
		panic(err)
	}
	return c
}

// parseCatalogue reads and validates the catalogue: unique ids, every
// language, known families, probes of known checks with compiling
// patterns. A mistake here is a programming error caught by any test.
func parseCatalogue(b []byte) (*Catalogue, error) {
	var c Catalogue
	if err := yaml.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("monitor: catalogue: %w", err)
	}
	c.byID = map[string]int{}
	families := map[string]bool{"https": true, "headers": true, "mail": true, "dns": true, "exposure": true, "ports": true, "content": true}
	for i, ch := range c.Checks {
		if _, dup := c.byID[ch.ID]; dup || ch.ID == "" {
			return nil, fmt.Errorf("monitor: catalogue: check %d: id %q empty or repeated", i, ch.ID)
		}
		if !families[ch.Family] {
			return nil, fmt.Errorf("monitor: catalogue: %s: unknown family %q", ch.ID, ch.Family)
		}
		for _, l := range []string{"az", "en", "ru"} {
			if ch.Title[l] == "" || ch.Remediation[l] == "" {
				return nil, fmt.Errorf("monitor: catalogue: %s: no title or remediation in %s", ch.ID, l)
			}
		}
		if c.Checks[i].Type == "" {
			c.Checks[i].Type = "vulnerable-system"
		}
		c.byID[ch.ID] = i
	}
	for i := range c.Probes {
		p := &c.Probes[i]
		if _, ok := c.byID[p.Check]; !ok || len(p.Paths) == 0 || p.Match == "" {
			return nil, fmt.Errorf("monitor: catalogue: probe %d (%s): unknown check, no paths or no match", i, p.Check)
		}
		var err error
		if p.match, err = regexp.Compile(p.Match); err != nil {
			return nil, fmt.Errorf("monitor: catalogue: probe %s: %w", p.Check, err)
		}
		if p.Unless != "" {
			if p.unless, err = regexp.Compile(p.Unless); err != nil {
				return nil, fmt.Errorf("monitor: catalogue: probe %s: %w", p.Check, err)
			}
		}
	}
	return &c, nil
}
