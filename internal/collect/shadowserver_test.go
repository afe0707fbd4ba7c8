package collect_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/collect"
)

const (
	ssKey    = "apikey-0123456789"
	ssSecret = "secret-abcdefghij"
)

// fakeShadowserver is the Reports API as documented: reports/list takes a
// signed POST; reports download from /dl/ID.
type fakeShadowserver struct {
	mu        sync.Mutex
	reports   []collect.ShadowserverReport
	content   map[string]string // by id
	failID    string            // download of this id answers 500
	requests  []map[string]any  // reports/list request bodies
	downloads []string
}

func (f *fakeShadowserver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case r.URL.Path == "/api2/reports/list":
		body, _ := io.ReadAll(r.Body)
		mac := hmac.New(sha256.New, []byte(ssSecret))
		mac.Write(body)
		got, err := hex.DecodeString(r.Header.Get("HMAC2"))
		var req map[string]any
		if r.Method != http.MethodPost || err != nil || !hmac.Equal(got, mac.Sum(nil)) || json.Unmarshal(body, &req) != nil || req["apikey"] != ssKey {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"error":"Invalid HMAC or API key"}`)
			return
		}
		f.requests = append(f.requests, req)
		json.NewEncoder(w).Encode(f.reports)
	case strings.HasPrefix(r.URL.Path, "/dl/"):
		id := strings.TrimPrefix(r.URL.Path, "/dl/")
		c, ok := f.content[id]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if id == f.failID {
			http.Error(w, "try later", http.StatusInternalServerError)
			return
		}
		f.downloads = append(f.downloads, id)
		io.WriteString(w, c)
	default:
		http.NotFound(w, r)
	}
}

func newFakeShadowserver(t *testing.T) (*fakeShadowserver, *httptest.Server) {
	f := &fakeShadowserver{
		reports: []collect.ShadowserverReport{
			{ID: "aaa111", Type: "scan_rdp", File: "2026-11-22-scan_rdp-azerbaijan-geo.csv", Report: "azerbaijan", Timestamp: "2026-11-22"},
			{ID: "bbb222", Type: "scan_smb", File: "2026-11-22-scan_smb-azerbaijan-geo.csv", Report: "azerbaijan"},
			{ID: "ccc333", Type: "device_id", File: "2026-11-22-device_id-azerbaijan-geo.csv", Report: "azerbaijan"},
		},
		content: map[string]string{"aaa111": "\"timestamp\",\"ip\"\n1\n", "bbb222": "\"timestamp\",\"ip\"\n2\n", "ccc333": "\"timestamp\",\"ip\"\n3\n"},
	}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func newShadowserver(srv *httptest.Server) *collect.Shadowserver {
	return &collect.Shadowserver{
		Source: "shadowserver", APIKey: ssKey, Secret: ssSecret,
		APIURL: srv.URL + "/api2/", DownloadURL: srv.URL + "/dl/",
		Reports: []string{"azerbaijan"}, Types: []string{"scan_rdp", "scan_smb"}, Days: 3,
		Now: fixedNow,
	}
}

func TestShadowserverFetchesNewReportsOnce(t *testing.T) {
	f, srv := newFakeShadowserver(t)
	c := newShadowserver(srv)
	var s sink
	mustCollect(t, c, s.handle)
	if got, want := s.names(), []string{"2026-11-22-scan_rdp-azerbaijan-geo.csv", "2026-11-22-scan_smb-azerbaijan-geo.csv"}; !slices.Equal(got, want) {
		t.Fatalf("first round: got %v, want %v (device_id is not among the types)", got, want)
	}
	r := s.reports[0]
	if r.Source != "shadowserver" || r.Body != f.content["aaa111"] || r.Meta[collect.MetaShadowserverID] != "aaa111" ||
		r.Meta[collect.MetaShadowserverType] != "scan_rdp" || !r.ReceivedAt.Equal(fixedNow()) {
		t.Errorf("report: got %+v", r)
	}
	req := f.requests[0]
	if req["date"] != "2026-11-20:2026-11-23" || !slices.Equal(anyStrings(req["reports"]), []string{"azerbaijan"}) {
		t.Errorf("reports/list request: got %v, want date 2026-11-20:2026-11-23 and reports [azerbaijan]", req)
	}

	mustCollect(t, c, s.handle)
	if len(s.reports) != 2 || len(f.downloads) != 2 {
		t.Errorf("second round: got %d reports, %d downloads; want nothing new", len(s.reports), len(f.downloads))
	}
	// A new report appears: only it is fetched.
	f.mu.Lock()
	f.reports = append(f.reports, collect.ShadowserverReport{ID: "ddd444", Type: "scan_rdp", File: "2026-11-23-scan_rdp-azerbaijan-geo.csv"})
	f.content["ddd444"] = "x\n"
	f.mu.Unlock()
	mustCollect(t, c, s.handle)
	if got := s.names(); len(got) != 3 || got[2] != "2026-11-23-scan_rdp-azerbaijan-geo.csv" {
		t.Errorf("third round: got %v, want the new report only", got)
	}
}

func TestShadowserverKnownAndFailures(t *testing.T) {
	f, srv := newFakeShadowserver(t)
	f.failID = "bbb222"
	c := newShadowserver(srv)
	var since time.Time
	c.Known = func(_ context.Context, t time.Time) ([]string, error) {
		since = t
		return []string{"2026-11-22-scan_rdp-azerbaijan-geo.csv"}, nil
	}
	var s sink
	err := c.Collect(ctx, s.handle)
	if err == nil || !strings.Contains(err.Error(), "scan_smb") || !strings.Contains(err.Error(), "500") {
		t.Errorf("failed download: got %v, want an error naming the report and the status", err)
	}
	if strings.Contains(err.Error(), "bbb222") {
		t.Errorf("error shows the report id (a download capability): %v", err)
	}
	if len(s.reports) != 0 || !since.Equal(time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("got %v, since %s; want nothing (one known, one failed), since 2026-11-20", s.names(), since)
	}
	f.mu.Lock()
	f.failID = ""
	f.mu.Unlock()
	mustCollect(t, c, s.handle)
	if got := s.names(); !slices.Equal(got, []string{"2026-11-22-scan_smb-azerbaijan-geo.csv"}) {
		t.Errorf("next round: got %v, want the report that failed", got)
	}

	// The handler refusing a report leaves it for the next round too.
	c2 := newShadowserver(srv)
	refusing := &sink{err: errors.New("database is down")}
	if err := c2.Collect(ctx, refusing.handle); err == nil {
		t.Error("handler failing: got no error")
	}
	var s2 sink
	mustCollect(t, c2, s2.handle)
	if len(s2.reports) != 2 {
		t.Errorf("after the handler failed: got %v, want both reports again", s2.names())
	}
}

func TestShadowserverBadSecretNeverLogged(t *testing.T) {
	f, srv := newFakeShadowserver(t)
	c := newShadowserver(srv)
	c.Secret = "wrong-secret-zyxwvu"
	var s sink
	err := c.Collect(ctx, s.handle)
	if err == nil || !strings.Contains(err.Error(), "401") || !strings.Contains(err.Error(), "Invalid HMAC") {
		t.Fatalf("bad secret: got %v, want the server's refusal", err)
	}
	if len(s.reports) != 0 || len(f.requests) != 0 {
		t.Errorf("bad secret: got %d reports, server accepted %d requests; want none", len(s.reports), len(f.requests))
	}
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	log.Error("collect failed", "collector", c, "err", err)
	log.Info("collector", "c", c)
	for _, secret := range []string{c.APIKey, c.Secret} {
		if strings.Contains(logs.String(), secret) || strings.Contains(err.Error(), secret) {
			t.Errorf("a credential was logged:\n%s", logs.String())
		}
	}
	if !strings.Contains(logs.String(), "shadowserver") {
		t.Errorf("log: got %q, want the collector's name", logs.String())
	}
}

func TestShadowserverAPIErrorObject(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"error":"unknown report list"}`)
	}))
	defer srv.Close()
	c := &collect.Shadowserver{APIKey: ssKey, Secret: ssSecret, APIURL: srv.URL, Now: fixedNow}
	var s sink
	if err := c.Collect(ctx, s.handle); err == nil || !strings.Contains(err.Error(), "API error: unknown report list") {
		t.Errorf("got %v, want the API's error", err)
	}
}

func anyStrings(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, x := range list {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}
