package shadowserver

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/feed"
)

func TestEmbeddedSchema(t *testing.T) {
	s := Default()
	if got := len(s.Reports); got != 170 {
		t.Errorf("got %d report types, want 170", got)
	}
	if s.Created == "" {
		t.Error("got no _meta.date_created")
	}
	for _, name := range []string{"scan_rdp", "event4_sinkhole_http", "blocklist", "scan6_msrpc"} {
		if _, ok := s.Lookup(name); !ok {
			t.Errorf("Lookup(%q): not found", name)
		}
	}
}

// TestConversionsImplementedExactly keeps the conversion table and the
// schema in step: a conversion the schema names but we lack would fail the
// schema load; one we have that no schema uses is dead code.
func TestConversionsImplementedExactly(t *testing.T) {
	var impl []string
	for n := range conversions {
		impl = append(impl, n)
	}
	sort.Strings(impl)
	if got := Default().conversionNames(); !slices.Equal(got, impl) {
		t.Errorf("schema uses %v, implemented %v", got, impl)
	}
}

func TestParseSchemaRejects(t *testing.T) {
	tests := map[string]string{
		"not JSON":           `{`,
		"empty":              `{}`,
		"unknown conversion": `{"x": {"feed_name": "X", "file_name": "x", "required_fields": [["source.ip", "ip", "no_such_conv"]], "optional_fields": [], "constant_fields": {}}}`,
		"bad constant":       `{"x": {"feed_name": "X", "file_name": "x", "required_fields": [], "optional_fields": [], "constant_fields": {"classification.type": "nonsense"}}}`,
		"short mapping":      `{"x": {"feed_name": "X", "file_name": "x", "required_fields": [["source.ip"]], "optional_fields": [], "constant_fields": {}}}`,
	}
	for name, in := range tests {
		if _, err := ParseSchema([]byte(in)); err == nil {
			t.Errorf("%s: got no error, want one", name)
		}
	}
}

func TestTypeFromFileName(t *testing.T) {
	tests := map[string]string{
		"2026-11-20-scan_rdp-az-geo.csv":       "scan_rdp",
		"/in/2019-01-01-event4_sinkhole.csv":   "event4_sinkhole",
		"scan_http.csv":                        "scan_http",
		"2026-11-20-scan_rdp-az-geo.csv.gz":    "",
		"report.txt":                           "",
		`C:\in\2026-01-01-scan_smb-az-geo.csv`: "scan_smb",
	}
	for in, want := range tests {
		if got := TypeFromFileName(in); got != want {
			t.Errorf("TypeFromFileName(%q): got %q, want %q", in, got, want)
		}
	}
}

func TestUnknownReportTypeNamesClosest(t *testing.T) {
	p := &Parser{}
	_, err := p.Resolve(feed.Report{FileName: "2026-11-20-scan_rpd-az-geo.csv"})
	if err == nil || errs.CodeOf(err) != errs.Invalid || !strings.Contains(err.Error(), "scan_rdp") {
		t.Errorf("got %v, want an invalid error naming scan_rdp", err)
	}
	if _, err := p.Resolve(feed.Report{FileName: "whatever.txt"}); err == nil {
		t.Error("no report type at all: got no error, want one")
	}
	rt, err := p.Resolve(feed.Report{FeedName: "Accessible-RDP"})
	if err != nil || rt.FileName != "scan_rdp" {
		t.Errorf("by feed name: got %v, %v, want scan_rdp", rt, err)
	}
}

func TestDescribe(t *testing.T) {
	all, err := Describe(Default(), "")
	if err != nil || !strings.Contains(all, "170 report types") || !strings.Contains(all, "scan_rdp") {
		t.Errorf("summary: got %q, %v", all, err)
	}
	one, err := Describe(Default(), "scan_rdp")
	if err != nil || !strings.Contains(one, "source.ip") || !strings.Contains(one, "validate_ip") {
		t.Errorf("scan_rdp: got %q, %v", one, err)
	}
	if _, err := Describe(Default(), "scan_rpd"); err == nil || !strings.Contains(err.Error(), "scan_rdp") {
		t.Errorf("unknown: got %v, want an error naming scan_rdp", err)
	}
}

func TestUseReplacesDefault(t *testing.T) {
	small, err := ParseSchema([]byte(`{"scan_x": {"feed_name": "X", "file_name": "scan_x", "required_fields": [["source.ip", "ip", "validate_ip"]], "optional_fields": [], "constant_fields": {"classification.type": "vulnerable-system"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	Use(small)
	defer Use(nil)
	if _, ok := Default().Lookup("scan_x"); !ok || len(Default().Reports) != 1 {
		t.Errorf("after Use: got %d report types, want the replacement's 1", len(Default().Reports))
	}
	Use(nil)
	if len(Default().Reports) != 170 {
		t.Errorf("after Use(nil): got %d report types, want the embedded 170", len(Default().Reports))
	}
}
