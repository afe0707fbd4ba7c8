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
