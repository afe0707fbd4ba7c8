package shadowserver

import (
	"encoding/json"
	"testing"
)

type fakeRow map[string]string

func (r fakeRow) get(c string) (string, bool) { v, ok := r[c]; return v, ok }

func TestConversions(t *testing.T) {
	tests := []struct {
		conv, in string
		row      fakeRow
		want     string // "" means no value
		wantErr  bool
	}{
		{conv: "add_UTC_to_timestamp", in: "2026-01-01 00:00:00", want: "2026-01-01 00:00:00 UTC"},
		{conv: "convert_bool", in: "Y", want: "true"},
		{conv: "convert_bool", in: "disabled", want: "false"},
		{conv: "convert_bool", in: "maybe", want: ""},
		{conv: "validate_to_none", in: "0", want: ""},
		{conv: "validate_to_none", in: "unknown", want: ""},
		{conv: "validate_to_none", in: "x", want: "x"},
		{conv: "convert_int", in: "", want: ""},
		{conv: "convert_int", in: "42", want: "42"},
		{conv: "convert_int", in: "4x", wantErr: true},
		{conv: "convert_float", in: "1.50", want: "1.5"},
		{conv: "convert_float", in: "x", wantErr: true},
		{conv: "invalidate_zero", in: "0", want: ""},
		{conv: "invalidate_zero", in: "7", want: "7"},
		{conv: "invalidate_zero", in: "z", wantErr: true},
		{conv: "validate_ip", in: "0.0.0.0", want: ""},
		{conv: "validate_ip", in: "192.0.2.0/24", want: ""},
		{conv: "validate_ip", in: "bogus", want: ""},
		{conv: "validate_ip", in: "192.0.2.1", want: "192.0.2.1"},
		{conv: "validate_network", in: "192.0.2.1", want: ""},
		{conv: "validate_network", in: "192.0.2.0/24", want: "192.0.2.0/24"},
		{conv: "validate_fqdn", in: "not a name", want: ""},
		{conv: "validate_fqdn", in: "Example.com", want: "Example.com"},
		{conv: "convert_date", in: "Thu, 19 Apr 2018 00:02:28 GMT", want: "2018-04-19T00:02:28+00:00"},
		{conv: "convert_date", in: "garbage", want: ""},
		{conv: "convert_date_utc", in: "2021-03-27T00:00:00.521730Z", want: "2021-03-27T00:00:00.521730+00:00"},
		{conv: "convert_date_utc", in: "2021-03-27 00:00:01", want: "2021-03-27T00:00:01+00:00"},
		{conv: "force_base64", in: "aGVsbG8=", want: "aGVsbG8="},
		{conv: "force_base64", in: "GET / HTTP/1.1", want: "R0VUIC8gSFRUUC8xLjE="},
		{conv: "extract_cve_from_tag", in: "exchange;cve-2021-26855", want: "cve-2021-26855"},
		{conv: "extract_cve_from_tag", in: "CVE-2019-0708;rdp;cve-2020-0001", want: "CVE-2019-0708;cve-2020-0001"},
		{conv: "extract_cve_from_tag", in: "rdp", want: ""},
		{conv: "scan_exchange_taxonomy", in: "exchange;webshell", want: "intrusions"},
		{conv: "scan_exchange_type", in: "exchange;cve-2021-26855", want: "vulnerable-system"},
		{conv: "scan_exchange_identifier", in: "exchange;webshell", want: "exchange-server-webshell"},
		{conv: "category_or_detail", in: "spam", want: "spam"},
		{conv: "category_or_detail", in: "", row: fakeRow{"detail": "skimmer"}, want: "skimmer"},
		{conv: "category_or_detail", in: "", row: fakeRow{}, want: ""},
		{conv: "convert_http_host_and_url", in: "/x", row: fakeRow{"http_host": "h.example", "url": "/x"}, want: "http://h.example/x"},
		{conv: "convert_http_host_and_url", in: "GET /a?b HTTP/1.1", row: fakeRow{"cc_dns": "c.example", "http_host": "h.example", "url": "GET /a?b HTTP/1.1", "application": "https"}, want: "https://c.example/a?b"},
		{conv: "convert_http_host_and_url", in: "/only-path", row: fakeRow{"http_url": "/only-path"}, want: "/only-path"},
	}
	for _, tt := range tests {
		row := tt.row
		if row == nil {
			row = fakeRow{}
		}
		v, err := conversions[tt.conv](tt.in, row)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s(%q): got error %v, want error %v", tt.conv, tt.in, err, tt.wantErr)
			continue
		}
		got := ""
		if v.kind != none {
			got = v.String()
		}
		if !tt.wantErr && got != tt.want {
			t.Errorf("%s(%q): got %q, want %q", tt.conv, tt.in, got, tt.want)
		}
	}
}

func jsonValid(b []byte) bool { return json.Valid(b) }
