package enrich

import "testing"

func TestRegisteredDomain(t *testing.T) {
	tests := []struct {
		in     string
		want   string
		wantOK bool
	}{
		{"www.mincom.gov.az", "mincom.gov.az", true},
		{"mincom.gov.az", "mincom.gov.az", true},
		{"gov.az", "", false}, // a public suffix itself
		{"az", "", false},
		{"shop.example.com.az", "example.com.az", true},
		{"com.az", "", false},
		{"a.b.example.co.uk", "example.co.uk", true},
		{"co.uk", "", false},
		{"WWW.Example.COM.", "example.com", true}, // case and trailing dot
		{"  mail.example.org  ", "example.org", true},
		{"xn--80ak6aa92e.com", "xn--80ak6aa92e.com", true}, // punycode kept
		{"login.xn--80ak6aa92e.com", "xn--80ak6aa92e.com", true},
		{"www.bücher.de", "xn--bcher-kva.de", true}, // Unicode to punycode
		{"пример.рф", "xn--e1afmkfd.xn--p1ai", true},
		{"_dmarc.example.com", "example.com", true}, // underscores occur in DNS
		{"user.github.io", "user.github.io", true},  // private suffix
		{"github.io", "", false},
		{"host.unknowntld", "host.unknowntld", true}, // implicit "*" rule
		{"192.0.2.1", "", false},
		{"2001:db8::1", "", false},
		{"[2001:db8::1]", "", false},
		{"::ffff:192.0.2.1", "", false},
		{"192.0.2", "", false},
		{"", "", false},
		{".", "", false},
		{"a..example.com", "", false},
		{".example.com", "", false},
		{"exa mple.com", "", false},
		{"*.example.com", "", false},
		{"localhost", "", false},
	}
	for _, tt := range tests {
		got, ok := RegisteredDomain(tt.in)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("RegisteredDomain(%q): got %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}
