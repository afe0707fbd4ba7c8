package main

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/monitor"
	"github.com/qalxan/qalxan/internal/storage"
)

// TestMonitorContentChange runs rounds over a loopback site whose front
// page is replaced: the first round takes the baseline, the second finds
// the change (a finding monitor/content-changed), staff accept the new
// page with monitor accept, and the third round passes. The runs also
// record that the site answered and how soon.
func TestMonitorContentChange(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var body atomic.Value
	body.Store("<html><body><h1>Ministry of Ecology</h1><p>Air quality reports, permits, protected areas and the national parks of the country.</p></body></html>")
	site := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, body.Load().(string))
	}))
	site.Config.ErrorLog = log.New(io.Discard, "", 0)
	site.StartTLS()
	defer site.Close()
	caFile := filepath.Join(dir, "ca.pem")
	os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: site.Certificate().Raw}), 0o600)
	cfgFile := filepath.Join(dir, "qalxan.yaml")
	os.WriteFile(cfgFile, []byte(fmt.Sprintf("monitor:\n  extra_roots: [%s]\n  timeout: 3s\n  delay: 0s\n  content_change_threshold: 0.4\n", caFile)), 0o600)
	db := filepath.Join(dir, "q.db")
	s := openTestStore(t, db)
	o := constituency.Org{ShortName: "eco", Name: "Ministry of Ecology", Sector: "government", Language: "az", TLP: "amber",
		Resources: []constituency.Resource{{Kind: constituency.KindURL, Value: site.URL + "/"}}}
	if err := s.CreateOrg(ctx, auth.System, &o); err != nil {
		t.Fatal(err)
	}
	res := o.Resources[0].ID
	round := func(what string) {
		t.Helper()
		if code, out, errOut := cli(t, "", "monitor", "run", "--config", cfgFile, "--db", db); code != 0 {
			t.Fatalf("%s: got exit %d, %s %s", what, code, out, errOut)
		}
	}
	contentStatus := func() (string, string) {
		t.Helper()
		hist, err := s.MonitorHistory(ctx, auth.Everything, res, 1)
		if err != nil || len(hist) != 1 {
			t.Fatalf("history: %v", err)
		}
		for _, r := range decodeResults(t, hist[0].Results) {
			if r.Check == "content-changed" {
				return string(r.Status), r.Evidence
			}
		}
		t.Fatal("no content-changed result")
		return "", ""
	}
	openFinding := func() bool {
		fs, _, err := s.ListFindings(ctx, auth.Everything, storage.FindingFilter{OrgID: o.ID, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if f.Identifier == "monitor/content-changed" && f.Status.Active() {
				return true
			}
		}
		return false
	}

	round("first round")
	if st, ev := contentStatus(); st != "pass" || !strings.Contains(ev, "no baseline to compare with yet") {
		t.Fatalf("first round: got %s (%s), want pass taking the baseline", st, ev)
	}
	hist, _ := s.MonitorHistory(ctx, auth.Everything, res, 1)
	if !hist[0].Up || hist[0].TTFBMS < 0 {
		t.Errorf("first run: got up %v, ttfb %d ms; want up with a time to first byte", hist[0].Up, hist[0].TTFBMS)
	}

	body.Store("<html><body><h1>Hacked</h1><p>Nothing remains of the old site here; visit our channel for more.</p></body></html>")
	round("second round")
	if st, ev := contentStatus(); st != "fail" || !strings.Contains(ev, "% similar to the baseline of") {
		t.Fatalf("after the page was replaced: got %s (%s), want fail with the similarity", st, ev)
	}
	if !openFinding() {
		t.Fatal("no open monitor/content-changed finding after the change")
	}

	code, out, errOut := cli(t, "", "monitor", "accept", site.URL+"/", "--db", db)
	if code != 0 || !strings.Contains(out, "is the baseline now") {
		t.Fatalf("accept: got exit %d, %s %s", code, out, errOut)
	}
	if openFinding() {
		t.Error("the content-changed finding is still open after the new content was accepted")
	}
	round("third round")
	if st, ev := contentStatus(); st != "pass" || !strings.Contains(ev, "unchanged since the baseline") {
		t.Fatalf("after accepting: got %s (%s), want pass", st, ev)
	}
	// The next unexpected change reopens the finding: accepting closed
	// it, it did not silence it.
	body.Store("<html><body><p>Completely different words now shown to every visitor of this site today.</p></body></html>")
	round("fourth round")
	if st, _ := contentStatus(); st != "fail" || !openFinding() {
		t.Errorf("after a second change: got %s, open finding %v; want fail and the finding reopened", st, openFinding())
	}
	if code, _, errOut := cli(t, "", "monitor", "accept", "https://nowhere.example/", "--db", db); code != 2 || !strings.Contains(errOut, "no monitored resource") {
		t.Errorf("accept an unknown resource: got exit %d, %s; want 2", code, errOut)
	}
	if code, _, errOut := cli(t, "", "monitor", "accept", "999999", "--db", db); code != 2 || !strings.Contains(errOut, "not found") {
		t.Errorf("accept an unknown id: got exit %d, %s; want 2", code, errOut)
	}
}

// decodeResults reads a run's stored results.
func decodeResults(t *testing.T, raw []byte) []monitor.Result {
	t.Helper()
	var out []monitor.Result
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}
