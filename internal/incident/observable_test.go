package incident

import (
	"testing"

	"github.com/qalxan/qalxan/internal/errs"
)

func TestNormalise(t *testing.T) {
	tests := []struct {
		kind Kind
		in   string
		want string // "" = invalid
	}{
		{KindPhone, "050 123 45 67", "+994501234567"},
		{KindPhone, "+994 (50) 123-45-67", "+994501234567"},
		{KindPhone, "00994501234567", "+994501234567"},
		{KindPhone, "+44 20 7946 0958", "+442079460958"},
		{KindPhone, "12", ""},
		{KindPhone, "not a number", ""},
		{KindIP, "192.0.2.010", ""},
		{KindIP, " 192.0.2.10 ", "192.0.2.10"},
		{KindIP, "::ffff:192.0.2.10", "192.0.2.10"},
		{KindIP, "2001:DB8::1", "2001:db8::1"},
		{KindDomain, "Kapital-Bank-Login.Example.", "kapital-bank-login.example"},
		{KindDomain, "bаnk.az", "xn--bnk-6cd.az"}, // Cyrillic а
		{KindDomain, "evil[.]example", "evil.example"},
		{KindDomain, "localhost", ""},
		{KindDomain, "a..b", ""},
		{KindURL, "hxxps://Evil[.]Example:443/Login?x=1#frag", "https://evil.example/Login?x=1"},
		{KindURL, "evil.example/pay", "http://evil.example/pay"},
		{KindURL, "HTTP://192.0.2.1:8080", "http://192.0.2.1:8080/"},
		{KindURL, "javascript:alert(1)", ""},
		{KindURL, "https://user:pw@evil.example/", "https://evil.example/"},
		{KindEmail, "Support@Kapital-Help.EXAMPLE", "support@kapital-help.example"},
		{KindEmail, "no-at-sign", ""},
		{KindIBAN, "az21 nabz 0000 0000 1370 1000 1944", "AZ21NABZ00000000137010001944"},
		{KindIBAN, "GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432"},
		{KindIBAN, "GB82 WEST 1234 5698 7654 33", ""},
		{KindCardBIN, "4169 7388", "41697388"},
		{KindCardBIN, "4169 7388 1234 5678", "41697388"},
		{KindCardBIN, "4169", ""},
		{KindHash, "D41D8CD98F00B204E9800998ECF8427E", "d41d8cd98f00b204e9800998ecf8427e"},
		{KindHash, "abc", ""},
		{KindApp, "com.fake.bankapp", "com.fake.bankapp"},
		{KindApp, "id1234567890", "id1234567890"},
		{KindApp, "not an app", ""},
		{KindSocial, "instagram:@Fake_Bank", "instagram.com/fake_bank"},
		{KindSocial, "https://www.instagram.com/fake_bank/", "instagram.com/fake_bank"},
		{KindSocial, "t.me/FakeSupport", "t.me/fakesupport"},
		{KindSocial, "myspace:someone", ""},
	}
	for _, tt := range tests {
		got, err := Normalise(tt.kind, tt.in, "AZ")
		if tt.want == "" {
			if !errs.Is(err, errs.Invalid) {
				t.Errorf("Normalise(%s, %q): got %q, %v; want invalid", tt.kind, tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Normalise(%s, %q): got %q, %v; want %q", tt.kind, tt.in, got, err, tt.want)
		}
	}
}

func TestObservableNormalize(t *testing.T) {
	o := Observable{Kind: "PHONE", Value: "050 123 45 67"}
	if err := o.Normalize("AZ"); err != nil {
		t.Fatal(err)
	}
	if o.Kind != KindPhone || o.Value != "+994501234567" || o.TLP != "amber" {
		t.Errorf("got %+v", o)
	}
	o = Observable{Kind: "phone", Value: "x"}
	if err := o.Normalize("AZ"); errs.FieldOf(err) != "value" {
		t.Errorf("got %v, want an error about value", err)
	}
	o = Observable{Kind: "fax", Value: "x"}
	if err := o.Normalize("AZ"); errs.FieldOf(err) != "kind" {
		t.Errorf("got %v, want an error about kind", err)
	}
}
