package enrich

import (
	"bytes"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func bufferLogger() (*slog.Logger, *bytes.Buffer) {
	var buf bytes.Buffer
	return slog.New(slog.NewTextHandler(&buf, nil)), &buf
}

func TestNewOff(t *testing.T) {
	log, buf := bufferLogger()
	for _, cfg := range []*Config{nil, {Logger: log}} {
		e, err := New(cfg)
		if err != nil {
			t.Fatalf("New(%+v): %v", cfg, err)
		}
		if e.Enabled() {
			t.Errorf("New(%+v).Enabled(): got true, want false", cfg)
		}
		for _, a := range []string{"192.0.2.1", "2001:db8::1"} {
			if got, ok := e.Lookup(netip.MustParseAddr(a)); ok {
				t.Errorf("Lookup(%s) with no sources: got %+v, true; want false", a, got)
			}
		}
		if err := e.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	}
	if got := strings.Count(buf.String(), "enrichment is off"); got != 1 {
		t.Errorf("log says enrichment is off %d times, want once:\n%s", got, buf)
	}
}

func TestNewWithFiles(t *testing.T) {
	log, buf := bufferLogger()
	mmdb := writeMMDB(t, "country ipv4", 4, fixtureCountryNets(t, "geo-whois-asn-country-ipv4.csv"))
	e, err := New(&Config{
		Files:  []string{mmdb, "testdata/asn-ipv4.csv", "testdata/asn-ipv6.csv", "testdata/geo-whois-asn-country-ipv6.csv"},
		Logger: log,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if !e.Enabled() {
		t.Error("Enabled: got false, want true")
	}
	checkLookups(t, e, []lookupCase{
		{"192.0.2.1", IPInfo{64500, "Example Telecom, LLC", "AZ"}, true},
		{"2001:db8::1", IPInfo{64500, "Example Telecom, LLC", "AZ"}, true},
		{"3fff::1", IPInfo{64501, "Example Hosting", "DE"}, true},
		{"10.1.1.1", IPInfo{}, false},
	})
	if got := strings.Count(buf.String(), "enrichment source"); got != 4 {
		t.Errorf("log names %d sources, want 4:\n%s", got, buf)
	}
	if strings.Contains(buf.String(), "is off") {
		t.Errorf("log says enrichment is off although it is on:\n%s", buf)
	}
}

func TestNewErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("nothing,here\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		file string
		want string
	}{
		{"unknown extension", "testdata/README.md", `unknown kind of file ".md"`},
		{"missing mmdb", filepath.Join(dir, "none.mmdb"), "no such file"},
		{"missing csv", filepath.Join(dir, "none.csv"), "no such file"},
		{"csv without ranges", bad, bad + ": no usable IP ranges"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log, _ := bufferLogger()
			_, err := New(&Config{Files: []string{"testdata/asn-ipv4.csv", tt.file}, Logger: log})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New: got error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestNewFromSources(t *testing.T) {
	e := NewFromSources(fixed{}, fixed{IPInfo{CountryCode: "AZ"}, true})
	checkLookups(t, e, []lookupCase{{"192.0.2.1", countryAZ, true}})
}
