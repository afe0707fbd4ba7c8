package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const rdpReport = `"timestamp","ip","protocol","port","hostname","tag","asn","geo","region","city","naics","sic","rdp_protocol"
"2026-11-20 10:00:00","192.0.2.1","tcp",3389,"host.example.az","rdp",64496,"AZ","BAKI","BAKU",0,0,"RDP"
"bad time","192.0.2.2","tcp",3389,,"rdp",64496,"AZ",,,0,0,"RDP"
"2026-11-20 11:00:00","192.0.2.3","tcp",3389,,"rdp",64496,"AZ",,,0,0,"RDP"
`

func TestParseWritesJSONLines(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "2026-11-20-scan_rdp-az-geo.csv")
	if err := os.WriteFile(file, []byte(rdpReport), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"parse", "--feed", "shadowserver", "--observed", "2026-11-20T12:00:00Z", file},
		{"parse", "--observed", "2026-11-20T12:00:00Z", file}, // feed recognised from the name
	} {
		code, out, errOut := cli(t, "", args...)
		if code != 0 {
			t.Fatalf("%v: got exit %d, stderr %q", args, code, errOut)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 2 {
			t.Fatalf("%v: got %d lines, want 2:\n%s", args, len(lines), out)
		}
		var ev map[string]any
		if err := json.Unmarshal([]byte(lines[0]), &ev); err != nil {
			t.Fatalf("line 1 is not JSON: %v", err)
		}
		for k, want := range map[string]any{
			"source.ip": "192.0.2.1", "source.port": 3389.0, "classification.type": "vulnerable-system",
			"time.source": "2026-11-20T10:00:00+00:00", "time.observation": "2026-11-20T12:00:00+00:00",
		} {
			if ev[k] != want {
				t.Errorf("%s: got %v, want %v", k, ev[k], want)
			}
		}
		if !strings.Contains(errOut, ":3: ") || !strings.Contains(errOut, "2 events, 1 bad rows") {
			t.Errorf("stderr: got %q, want the bad row at line 3 and a summary", errOut)
		}
	}
}

func TestParseStdinNeedsReportType(t *testing.T) {
	code, out, _ := cli(t, rdpReport, "parse", "--feed", "shadowserver", "--report", "scan_rdp", "-")
	if code != 0 || strings.Count(out, "\n") != 2 {
		t.Errorf("stdin with --report: got exit %d and %q, want 2 events", code, out)
	}
	code, _, errOut := cli(t, rdpReport, "parse", "--feed", "shadowserver")
	if code != 1 || !strings.Contains(errOut, "report type") {
		t.Errorf("stdin without a type: got exit %d, %q; want 1 and a message about the report type", code, errOut)
	}
}

func TestParseFailures(t *testing.T) {
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  string
	}{
		{"unknown feed", "", []string{"parse", "--feed", "shadowservr", "-"}, 1, "shadowserver"},
		{"unknown report type", rdpReport, []string{"parse", "--feed", "shadowserver", "--report", "scan_rpd"}, 1, "scan_rdp"},
		{"no good row", rdpReport[:strings.Index(rdpReport, "\n")+1] + `"x","192.0.2.1","tcp",1,,,,,,,,,` + "\n", []string{"parse", "--feed", "shadowserver", "--report", "scan_rdp"}, 1, "no row gave an event"},
		{"missing file", "", []string{"parse", "--feed", "shadowserver", "/nonexistent/x.csv"}, 1, "no such file"},
		{"not recognised", "", []string{"parse", "-"}, 1, "--feed"},
		{"two files", "", []string{"parse", "a", "b"}, 2, "accepts at most 1"},
		{"bad observed", "", []string{"parse", "--observed", "soon", "--feed", "shadowserver"}, 2, "--observed"},
	}
	for _, tt := range tests {
		code, _, errOut := cli(t, tt.stdin, tt.args...)
		lines := strings.Split(strings.TrimSpace(errOut), "\n")
		last := lines[len(lines)-1]
		if code != tt.code || !strings.HasPrefix(last, "qalxan: ") || !strings.Contains(last, tt.want) {
			t.Errorf("%s: got exit %d, stderr %q; want %d and a last line 'qalxan: ...%s...'", tt.name, code, errOut, tt.code, tt.want)
		}
	}
}

func TestFeeds(t *testing.T) {
	code, out, _ := cli(t, "", "feeds")
	if code != 0 || !strings.Contains(out, "shadowserver") || !strings.Contains(out, "PROVIDER") {
		t.Errorf("feeds: got exit %d, %q", code, out)
	}
	code, out, _ = cli(t, "", "feeds", "--json")
	var f feedInfo
	if code != 0 || json.Unmarshal([]byte(strings.Split(out, "\n")[0]), &f) != nil || f.Name == "" {
		t.Errorf("feeds --json: got exit %d, %q", code, out)
	}
	code, out, _ = cli(t, "", "feeds", "show", "shadowserver")
	if code != 0 || !strings.Contains(out, "170 report types") {
		t.Errorf("feeds show: got exit %d, %q", code, out)
	}
	code, out, _ = cli(t, "", "feeds", "show", "shadowserver", "--report", "scan_rdp")
	if code != 0 || !strings.Contains(out, "time.source") || !strings.Contains(out, "add_UTC_to_timestamp") {
		t.Errorf("feeds show --report: got exit %d, %q", code, out)
	}
	code, _, errOut := cli(t, "", "feeds", "show", "shadowserver", "--report", "scan_rpd")
	if code != 1 || !strings.Contains(errOut, "scan_rdp") {
		t.Errorf("feeds show unknown report: got exit %d, %q", code, errOut)
	}
	code, _, errOut = cli(t, "", "feeds", "show", "nope")
	if code != 1 || !strings.Contains(errOut, "unknown feed") {
		t.Errorf("feeds show nope: got exit %d, %q", code, errOut)
	}
}

func TestUpdateShadowserverSchema(t *testing.T) {
	dir := t.TempDir()
	small := `{"_meta": {"date_created": "2027-01-01T00:00:00Z"}, "scan_newthing": {"feed_name": "New-Thing", "file_name": "scan_newthing",
		"required_fields": [["time.source", "timestamp", "add_UTC_to_timestamp"], ["source.ip", "ip", "validate_ip"]],
		"optional_fields": [], "constant_fields": {"classification.type": "vulnerable-system", "classification.identifier": "new-thing"}}}`
	code, _, errOut := cli(t, `{"x": {"required_fields": [["a", "b", "no_such_conversion"]]}}`, "feeds", "update-shadowserver-schema", "--data-dir", dir, "-")
	if code != 1 || !strings.Contains(errOut, "no_such_conversion") {
		t.Fatalf("bad schema: got exit %d, %q; want 1 naming the conversion", code, errOut)
	}
	code, out, errOut := cli(t, small, "feeds", "update-shadowserver-schema", "--data-dir", dir, "-")
	if code != 0 || !strings.Contains(out, "1 report types, dated 2027-01-01") {
		t.Fatalf("install: got exit %d, %q, %q", code, out, errOut)
	}
	report := "\"timestamp\",\"ip\"\n\"2027-01-02 00:00:00\",\"192.0.2.9\"\n"
	code, out, errOut = cli(t, report, "parse", "--data-dir", dir, "--feed", "shadowserver", "--report", "scan_newthing")
	if code != 0 || !strings.Contains(out, `"classification.identifier":"new-thing"`) {
		t.Errorf("parse with the new schema: got exit %d, %q, %q", code, out, errOut)
	}
	code, out, _ = cli(t, "", "feeds", "show", "--data-dir", t.TempDir(), "shadowserver")
	if code != 0 || !strings.Contains(out, "170 report types") {
		t.Errorf("another data dir: got exit %d, %q; want the built-in schema", code, out)
	}
}
