package lookalike

import (
	"reflect"
	"testing"
)

func TestParseLine(t *testing.T) {
	cases := []struct {
		line string
		want []Observation
	}{
		{"examplebank-login.xyz", []Observation{{Domain: "examplebank-login.xyz"}}},
		{"https://Examplebank-Login.xyz:8443/az/giris?x=1", []Observation{{Domain: "examplebank-login.xyz"}}},
		{"examplebank.online,2026-11-20,A", []Observation{{Domain: "examplebank.online"}}},
		{"# comment", nil},
		{"", nil},
		{"192.0.2.1", nil},
		{`{"message_type":"certificate_update","data":{"leaf_cert":{"all_domains":["*.exаmplebank.az","exаmplebank.az"],"issuer":{"O":"Let's Encrypt","aggregated":"/C=US/O=Let's Encrypt/CN=R11"}}}}`,
			[]Observation{{Domain: "exаmplebank.az", Issuer: "Let's Encrypt"}, {Domain: "exаmplebank.az", Issuer: "Let's Encrypt"}}},
		{`{"broken`, nil},
	}
	for _, c := range cases {
		if got := ParseLine(c.line); !reflect.DeepEqual(got, c.want) {
			t.Errorf("ParseLine(%q): got %v, want %v", c.line, got, c.want)
		}
	}
}
