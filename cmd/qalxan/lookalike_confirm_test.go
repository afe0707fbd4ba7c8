package main

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/config"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/lookalike"
	"github.com/qalxan/qalxan/internal/storage"
)

// TestLookalikeConfirm: the check of a candidate whose page copies the
// bank's opens its incident and keeps the screenshot there as evidence; a
// florist's page is judged different and opens nothing.
func TestLookalikeConfirm(t *testing.T) {
	ctx := context.Background()
	pages := map[string]string{"examplebank.az": "bank.html", "examplebank-login.xyz": "phish.html", "examplebank-gul.az": "innocent.html"}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if h, _, err := net.SplitHostPort(r.Host); err == nil {
			host = h
		}
		b, err := os.ReadFile(filepath.Join("..", "..", "internal", "lookalike", "testdata", "pages", pages[host]))
		if err != nil || pages[host] == "" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(b)
	}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dnsSrv := &dns.Server{PacketConn: pc, Handler: dns.HandlerFunc(func(w dns.ResponseWriter, req *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(req)
		q := req.Question[0]
		if _, ok := pages[strings.TrimSuffix(q.Name, ".")]; ok && q.Qtype == dns.TypeA {
			rr, _ := dns.NewRR(q.Name + " 60 IN A 127.0.0.1")
			m.Answer = append(m.Answer, rr)
		}
		w.WriteMsg(m)
	})}
	go dnsSrv.ActivateAndServe()
	defer dnsSrv.Shutdown()

	s := openTestStore(t, filepath.Join(t.TempDir(), "q.db"))
	o := constituency.Org{ShortName: "examplebank", Name: "Example Bank", Sector: "finance", Language: "az", TLP: "amber"}
	if err := s.CreateOrg(ctx, auth.System, &o); err != nil {
		t.Fatal(err)
	}
	b := storage.Brand{Brand: lookalike.Brand{Name: "Example Bank", Domains: []string{"examplebank.az"}}, OrgID: o.ID}
	if err := s.CreateBrand(ctx, auth.System, &b); err != nil {
		t.Fatal(err)
	}
	m, _ := lookalike.NewMatcher([]lookalike.Brand{b.Brand})
	var ms []lookalike.Match
	for _, d := range []string{"examplebank-login.xyz", "examplebank-gul.az"} {
		r, ok := m.Match(lookalike.Observation{Domain: d})
		if !ok {
			t.Fatalf("%s does not match", d)
		}
		ms = append(ms, r)
	}
	if _, err := s.RecordCandidates(ctx, ms); err != nil {
		t.Fatal(err)
	}

	cfg := config.Defaults()
	if newLookalikeConfirmer(cfg, s, incident.DefaultRules()) != nil || lookalikeCheckFunc(cfg, s, incident.DefaultRules()) != nil {
		t.Fatal("a confirmer with lookalike.confirm off")
	}
	cfg.Lookalike.Confirm, cfg.Lookalike.Resolver = true, pc.LocalAddr().String()
	c := newLookalikeConfirmer(cfg, s, incident.DefaultRules())
	// The loopback test server: allowed here, on its port, over http.
	c.p.AllowPrivate, c.p.Ports, c.p.Schemes, c.brandScheme = true, map[string]string{"http": port}, []string{"http"}, "http"
	withBrowser := c.p.Chromium != ""

	ids, err := s.CandidatesToConfirm(ctx, 10)
	if err != nil || len(ids) != 2 {
		t.Fatalf("to check: got %v, %v; want both", ids, err)
	}
	for _, id := range ids {
		if err := c.confirm(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if ids, _ := s.CandidatesToConfirm(ctx, 10); len(ids) != 0 {
		t.Errorf("still to check after the checks: %v", ids)
	}
	cs, _, _ := s.ListCandidates(ctx, auth.Everything, storage.CandidateFilter{})
	for _, cand := range cs {
		conf := cand.Confirmation
		if conf == nil {
			t.Fatalf("%s: no confirmation recorded", cand.Registered)
		}
		switch cand.Registered {
		case "examplebank-login.xyz":
			if conf.Verdict != lookalike.Imitation || cand.IncidentID == 0 {
				t.Fatalf("the copy: got %+v, incident %d; want an imitation with its incident", conf, cand.IncidentID)
			}
			if withBrowser {
				evs, _ := s.IncidentEvidence(ctx, auth.Everything, cand.IncidentID)
				if conf.Screenshot == 0 || len(evs) != 1 || evs[0].ID != conf.Screenshot || evs[0].MediaType != "image/png" || evs[0].AddedBy != "system" {
					t.Errorf("screenshot evidence: got %+v (confirmation %d)", evs, conf.Screenshot)
				}
			}
		case "examplebank-gul.az":
			if conf.Verdict != lookalike.Different || cand.IncidentID != 0 {
				t.Errorf("the florist: got %+v, incident %d; want different, none", conf, cand.IncidentID)
			}
			if withBrowser && !strings.Contains(conf.ScreenshotError, "no incident") {
				t.Errorf("the florist's screenshot: got %q, want it not kept", conf.ScreenshotError)
			}
		}
	}
	if err := lookalikeCheckFunc(cfg, s, incident.DefaultRules())(ctx, 999999); err == nil {
		t.Error("checking no candidate: got no error")
	}
}
