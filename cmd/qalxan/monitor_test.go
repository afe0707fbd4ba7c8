package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/storage"
)

// TestMonitorRound runs two rounds over a registered loopback site: the
// first opens the owner's findings, the owner fixes HSTS and marks it
// resolved, the second verifies and closes it.
func TestMonitorRound(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var fixed atomic.Bool
	hsts, hstsCA := siteWithFunc(t, func(w http.ResponseWriter) {
		if fixed.Load() {
			w.Header().Set("Strict-Transport-Security", "max-age=31536000")
		}
	})
	closed := closedLoopbackPort(t)
	cfgFile := filepath.Join(dir, "qalxan.yaml")
	os.WriteFile(cfgFile, []byte(fmt.Sprintf("monitor:\n  extra_roots: [%s]\n  timeout: 3s\n  delay: 0s\n  ports: [{port: %d, service: rdp}]\n", hstsCA, closed)), 0o600)
	db := filepath.Join(dir, "q.db")
	s := openTestStore(t, db)
	o := constituency.Org{ShortName: "mon", Name: "Monitored agency", Sector: "government", Language: "az", TLP: "amber",
		Resources: []constituency.Resource{{Kind: constituency.KindURL, Value: hsts}}}
	if err := s.CreateOrg(ctx, auth.Actor{Name: "seed", Role: auth.Admin, Scope: auth.Everything}, &o); err != nil {
		t.Fatal(err)
	}

	code, out, errOut := cli(t, "", "monitor", "run", "--config", cfgFile, "--db", db, "--org", "mon")
	if code != 0 || !strings.Contains(out, "1 resources") {
		t.Fatalf("first round: got exit %d, %s %s", code, out, errOut)
	}
	fs, _, err := s.ListFindings(ctx, auth.Everything, storage.FindingFilter{OrgID: o.ID, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var hstsID int64
	for _, f := range fs {
		if f.Source != "monitor" || !strings.HasPrefix(f.Identifier, "monitor/") || f.Resource != hsts {
			t.Errorf("finding %+v: want source monitor, identifier monitor/…, resource %s", f, hsts)
		}
		if f.Identifier == "monitor/hsts" {
			hstsID = f.ID
		}
		if f.Identifier == "monitor/header-csp" && f.Severity != finding.Medium {
			t.Errorf("header-csp: got severity %s, want the catalogue's medium", f.Severity)
		}
	}
	if hstsID == 0 {
		t.Fatalf("no monitor/hsts finding in %+v", fs)
	}
	officer := auth.Actor{Name: "officer", Role: auth.Agency, Scope: auth.Scope{OrgIDs: []int64{o.ID}}}
	if _, err := s.MoveFinding(ctx, officer, hstsID, finding.Action{To: finding.Resolved, Reason: "HSTS on"}); err != nil {
		t.Fatal(err)
	}
	fixed.Store(true)
	code, out, errOut = cli(t, "", "monitor", "run", "--config", cfgFile, "--db", db, "--json")
	if code != 0 || !strings.Contains(out, `"findings_closed":1`) {
		t.Fatalf("second round: got exit %d, %s %s; want one finding closed", code, out, errOut)
	}
	if f, err := s.GetFinding(ctx, auth.Everything, hstsID); err != nil || f.Status != finding.Closed {
		t.Fatalf("hsts finding: got %+v, %v; want closed", f, err)
	}
	runs, err := s.LatestMonitorRuns(ctx, auth.Everything, o.ID)
	if err != nil || len(runs) != 1 || runs[0].Grade == "" {
		t.Fatalf("latest runs: got %+v, %v", runs, err)
	}
	if code, _, errOut := cli(t, "", "monitor", "run", "--config", cfgFile, "--db", db, "--org", "nobody"); code != 2 {
		t.Errorf("unknown org: got exit %d, %s; want 2", code, errOut)
	}
}
