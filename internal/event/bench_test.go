package event

import "testing"

var benchFields = [][2]string{
	{"feed.name", "Accessible-RDP"},
	{"time.observation", "2026-11-20T06:00:00+00:00"},
	{"time.source", "2026-11-20 00:02:26"},
	{"source.ip", "192.0.2.113"},
	{"source.port", "3389"},
	{"source.asn", "64496"},
	{"source.geolocation.cc", "AZ"},
	{"source.geolocation.region", "BAKI"},
	{"source.geolocation.city", "BAKU"},
	{"source.reverse_dns", "host-113.example.az"},
	{"protocol.transport", "tcp"},
	{"protocol.application", "rdp"},
	{"classification.type", "vulnerable-system"},
	{"classification.identifier", "open-rdp"},
	{"extra.rdp_protocol", "RDP"},
	{"extra.cert_length", "5678"},
	{"extra.key_algorithm", "rsaEncryption"},
	{"extra.sector", "Communications"},
	{"feed.documentation", "https://www.shadowserver.org/what-we-do/network-reporting/accessible-rdp-report/"},
	{"raw", "aGVsbG8="},
}

// BenchmarkBuild20 builds, encodes and resets a 20-field event, as a parser
// does per row.
func BenchmarkBuild20(b *testing.B) {
	e := New(32)
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		e.Reset()
		for _, kv := range benchFields {
			if err := e.Set(kv[0], kv[1]); err != nil {
				b.Fatal(err)
			}
		}
		buf = e.AppendJSON(buf[:0])
	}
}

// BenchmarkAppendString encodes the extra.* strings of a Shadowserver
// scan_rdp event, most of whose bytes are in its certificate
// fingerprints.
func BenchmarkAppendString(b *testing.B) {
	values := []string{"2027-04-29 02:22:06", "2026-04-29 02:22:06", "1EF2B37AF850C9BF4E88F18177001D6B", "HOST0.local",
		"rsaEncryption", "BC:6E:C3:E2:98:22:EC:BA:5B:30:E2:53:FD:4A:9D:FF", "RDP", "Government",
		"EC:BB:4D:DB:9F:0C:D3:FF:5B:49:EA:B1:56:62:B6:A7:5D:60:54:42",
		"B7:C9:F4:07:D5:C0:75:1D:EA:0C:40:E7:26:39:C2:30:C6:13:83:7E:18:46:D8:E9:4C:45:3F:88:1B:0B:70:76",
		"08:AC:75:FA:EB:A3:2B:44:15:DE:6D:A7:0B:C0:AE:17:94:F3:55:D9:EC:70:AC:5B:B7:94:79:F0:D7:84:83:89:CB:A9:11:E0:08:D7:54:4D:33:85:89:D2:A8:DD:9D:15:F4:CC:95:DE:6A:E3:DF:6B:FA:8B:27:E3:DA:16:AF:0A",
		"sha256WithRSAEncryption", "HOST0.local", "rdp", "N", "N"}
	n := 0
	for _, v := range values {
		n += len(v)
	}
	b.SetBytes(int64(n))
	var buf []byte
	for b.Loop() {
		buf = buf[:0]
		for _, v := range values {
			buf = appendString(buf, v)
		}
	}
}

// BenchmarkAppendJSON encodes a 20-field event with a raw, as the parse
// command does for every event.
func BenchmarkAppendJSON(b *testing.B) {
	e := New(32)
	for _, kv := range benchFields {
		if err := e.Set(kv[0], kv[1]); err != nil {
			b.Fatal(err)
		}
	}
	e.SetRaw(make([]byte, 1200))
	var buf []byte
	for b.Loop() {
		buf = e.AppendJSON(buf[:0])
	}
}
