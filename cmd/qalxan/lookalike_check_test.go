package main

import (
	"encoding/json"
	"net"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/qalxan/qalxan/internal/lookalike"
)

func TestLookalikeCheckCommand(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &dns.Server{PacketConn: pc, Handler: dns.HandlerFunc(func(w dns.ResponseWriter, req *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(req)
		q := req.Question[0]
		switch {
		case q.Name == "examplebank-login.xyz." && q.Qtype == dns.TypeA:
			rr, _ := dns.NewRR(q.Name + " 60 IN A 10.9.8.7")
			m.Answer = append(m.Answer, rr)
		case q.Name == "examplebank-login.xyz." && q.Qtype == dns.TypeNS:
			rr, _ := dns.NewRR(q.Name + " 60 IN NS ns1.cheap-dns.example.")
			m.Answer = append(m.Answer, rr)
		default:
			m.Rcode = dns.RcodeNameError
		}
		w.WriteMsg(m)
	})}
	go srv.ActivateAndServe()
	defer srv.Shutdown()
	resolver := pc.LocalAddr().String()

	code, out, errOut := cli(t, "", "lookalike", "check", "--resolver", resolver, "--timeout", "2s", "gone-examplebank.xyz")
	if code != 0 || !strings.Contains(out, "verdict  unresolved") {
		t.Fatalf("unresolved: exit %d, %q, %q", code, out, errOut)
	}
	// Resolves to a private address: not fetched, said so.
	code, out, _ = cli(t, "", "lookalike", "check", "--resolver", resolver, "--timeout", "2s", "--json", "examplebank-login.xyz")
	var c lookalike.Confirmation
	if code != 0 || json.Unmarshal([]byte(out), &c) != nil || c.Verdict != lookalike.NoPage || !strings.Contains(c.FetchError, "not a public address") ||
		strings.Join(c.A, ",") != "10.9.8.7" || strings.Join(c.NS, ",") != "ns1.cheap-dns.example" {
		t.Fatalf("private: exit %d, %q", code, out)
	}
	for _, args := range [][]string{{"not a domain"}, {"--brand", "ftp://x", "examplebank-login.xyz"}} {
		if code, _, errOut := cli(t, "", append([]string{"lookalike", "check"}, args...)...); code != 2 || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
			t.Errorf("%v: exit %d, %q; want 2 and one line", args, code, errOut)
		}
	}
}
