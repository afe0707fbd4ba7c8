package observed

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/lookalike"
)

// memStates keeps states for one test; the real one is the database's
// (tested with the wiring in cmd/qalxan).
type memStates struct {
	mu      sync.Mutex
	m       map[string]State
	domains int
}

func (s *memStates) LoadState(_ context.Context, name string) (State, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[name], nil
}

func (s *memStates) SaveState(_ context.Context, name string, st State, domains, _ int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]State{}
	}
	s.m[name] = st
	s.domains += domains
	return nil
}

// collector is a sink that keeps the domains it got and "matches" those
// containing "bank".
type collector struct{ got []string }

func (c *collector) sink(_ context.Context, obs []lookalike.Observation) (int, error) {
	n := 0
	for _, o := range obs {
		c.got = append(c.got, o.Domain+"|"+o.Issuer)
		if strings.Contains(o.Domain, "bank") {
			n++
		}
	}
	return n, nil
}

func appendFile(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

func TestFollowFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "nrd.txt")
	appendFile(t, path, "# newly registered\nkapitalbank-login.xyz\nexample.org,2026-12-07\n\nhttps://birbank.online/giris\nkapitalbank-login.xyz\nhalf-writ")
	states := &memStates{}
	src := &Source{Name: "nrd", Path: path}
	c := &collector{}
	r, err := src.Round(ctx, states, c.sink)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"kapitalbank-login.xyz|", "example.org|", "birbank.online|"}
	if !slices.Equal(c.got, want) || r.Domains != 3 || r.Matched != 2 {
		t.Fatalf("first round: got %v (%+v), want %v, 3 domains, 2 matched", c.got, r, want)
	}

	// The half-written line is read when its newline comes; a new
	// process (a new Source, the saved state) does not read again what
	// was read.
	appendFile(t, path, "ten-bank.az\nabb-bank.top\n")
	c.got = nil
	src = &Source{Name: "nrd", Path: path}
	if _, err := src.Round(ctx, states, c.sink); err != nil {
		t.Fatal(err)
	}
	if want := []string{"half-written-bank.az|", "abb-bank.top|"}; !slices.Equal(c.got, want) {
		t.Fatalf("after the append: got %v, want %v", c.got, want)
	}
	c.got = nil
	if r, err := src.Round(ctx, states, c.sink); err != nil || len(c.got) != 0 || r.Domains != 0 {
		t.Fatalf("nothing new: got %v %+v %v, want nothing", c.got, r, err)
	}

	// Rotated: a new file under the name is read from its start, even
	// when it is longer than the old offset.
	if err := os.Rename(path, path+".1"); err != nil {
		t.Fatal(err)
	}
	appendFile(t, path, strings.Repeat("innocent.az\n", 10)+"rotated-bank.az\n")
	c.got = nil
	if _, err := src.Round(ctx, states, c.sink); err != nil {
		t.Fatal(err)
	}
	if want := []string{"innocent.az|", "rotated-bank.az|"}; !slices.Equal(c.got, want) {
		t.Fatalf("after rotation: got %v, want %v", c.got, want)
	}
	// Truncated in place: read from the start.
	if err := os.WriteFile(path, []byte("truncated-bank.az\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c.got = nil
	if _, err := src.Round(ctx, states, c.sink); err != nil {
		t.Fatal(err)
	}
	if want := []string{"truncated-bank.az|"}; !slices.Equal(c.got, want) {
		t.Fatalf("after truncation: got %v, want %v", c.got, want)
	}

	// A missing file is an error naming the source, not a crash.
	gone := &Source{Name: "gone", Path: filepath.Join(t.TempDir(), "nope.txt")}
	if _, err := gone.Round(ctx, states, c.sink); err == nil || !strings.Contains(err.Error(), "gone") {
		t.Fatalf("missing file: got %v, want an error naming the source", err)
	}
}

func TestFollowFileLongLinesAndBatches(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ct.jsonl")
	var b strings.Builder
	// A certificate with many names (longer than the reader's buffer),
	// a line longer than any stream's, then enough names for two batches.
	names := make([]string, 3000)
	for i := range names {
		names[i] = fmt.Sprintf(`"host%d.kapitalbank-secure.top"`, i)
	}
	fmt.Fprintf(&b, `{"data":{"leaf_cert":{"all_domains":[%s],"issuer":{"O":"Let's Encrypt"}}}}`+"\n", strings.Join(names, ","))
	b.WriteString("{" + strings.Repeat(" ", maxLine+10) + "}\n")
	b.WriteString("plain.example.com\n") // not certstream: skipped
	for i := range BatchSize + 10 {
		fmt.Fprintf(&b, `{"data":{"leaf_cert":{"all_domains":["*.site%d.example"]}}}`+"\n", i)
	}
	appendFile(t, path, b.String())
	states := &memStates{}
	var batches []int
	sink := func(_ context.Context, obs []lookalike.Observation) (int, error) {
		batches = append(batches, len(obs))
		if obs[0].Domain == "host0.kapitalbank-secure.top" && obs[0].Issuer != "Let's Encrypt" {
			t.Errorf("issuer: got %q, want Let's Encrypt", obs[0].Issuer)
		}
		return 0, nil
	}
	src := &Source{Name: "ct", Path: path, Format: Certstream}
	r, err := src.Round(ctx, states, sink)
	if err != nil {
		t.Fatal(err)
	}
	if r.Domains != 3000+BatchSize+10 || r.Skipped != 2 {
		t.Fatalf("got %+v, want %d domains and 2 lines skipped", r, 3000+BatchSize+10)
	}
	if len(batches) < 2 || slices.Max(batches) > BatchSize+3000 {
		t.Fatalf("batches %v: want several, none much over %d", batches, BatchSize)
	}
	if st := states.m["ct"]; st.Offset != int64(b.Len()) || states.domains != r.Domains {
		t.Fatalf("saved %+v (%d domains), want offset %d and %d domains", st, states.domains, b.Len(), r.Domains)
	}
}

func TestFetchURLConditional(t *testing.T) {
	ctx := context.Background()
	var hits, notModified atomic.Int32
	body := "kapitalbank-bonus.xyz\nexample.com\n"
	etag := `"v1"`
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		mu.Lock()
		defer mu.Unlock()
		if r.Header.Get("If-None-Match") == etag {
			notModified.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", "Mon, 07 Dec 2026 05:00:00 GMT")
		fmt.Fprint(w, body)
	}))
	defer srv.Close()
	states := &memStates{}
	c := &collector{}
	src := &Source{Name: "nrd-url", URL: srv.URL + "/nrd.txt"}
	if r, err := src.Round(ctx, states, c.sink); err != nil || r.Domains != 2 || r.Matched != 1 {
		t.Fatalf("first fetch: got %+v %v, want 2 domains, 1 matched", r, err)
	}
	if st := states.m["nrd-url"]; st.ETag != etag || st.LastModified == "" {
		t.Fatalf("saved validators %+v, want the ETag and Last-Modified", st)
	}
	// Unchanged: a 304, nothing read — also after a restart.
	c.got = nil
	src = &Source{Name: "nrd-url", URL: srv.URL + "/nrd.txt"}
	if r, err := src.Round(ctx, states, c.sink); err != nil || r.Domains != 0 || len(c.got) != 0 {
		t.Fatalf("unchanged: got %+v %v %v, want nothing", r, err, c.got)
	}
	if notModified.Load() != 1 {
		t.Fatalf("conditional requests answered 304: got %d, want 1", notModified.Load())
	}
	// Published again.
	mu.Lock()
	body, etag = "birbank-giris.top\n", `"v2"`
	mu.Unlock()
	if _, err := src.Round(ctx, states, c.sink); err != nil || !slices.Equal(c.got, []string{"birbank-giris.top|"}) {
		t.Fatalf("new list: got %v %v, want birbank-giris.top", c.got, err)
	}
	if states.m["nrd-url"].ETag != `"v2"` {
		t.Fatalf("validators after the new list: %+v", states.m["nrd-url"])
	}

	// A server that refuses: an error, and the old validators stay.
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Error(w, "no", http.StatusForbidden) }))
	defer bad.Close()
	src = &Source{Name: "bad", URL: bad.URL}
	if _, err := src.Round(ctx, states, c.sink); err == nil || !strings.Contains(err.Error(), "403") {
		t.Fatalf("refused: got %v, want an error with the status", err)
	}
}

func TestSourceValidate(t *testing.T) {
	for _, s := range []Source{{Name: "x"}, {Name: "x", Path: "a", URL: "http://b"}, {Name: "x", Path: "a", Format: "csv"}} {
		if err := s.Validate(); err == nil {
			t.Errorf("%+v: got no error, want one", s)
		}
	}
	if err := (Source{Name: "x", Path: "a", Format: Certstream}).Validate(); err != nil {
		t.Errorf("valid source: %v", err)
	}
}

// TestRun: every source is read at once and then on its interval; Run
// returns when the context ends, and a failing source does not stop the
// others.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.txt")
	appendFile(t, good, "kapitalbank-login.xyz\n")
	states := &memStates{}
	ctx, cancel := context.WithCancel(context.Background())
	rounds := map[string]int{}
	var mu sync.Mutex
	var failed error
	done := make(chan struct{})
	go func() {
		defer close(done)
		Run(ctx, []Source{{Name: "good", Path: good, Every: 20 * time.Millisecond}, {Name: "bad", Path: filepath.Join(dir, "missing"), Every: 20 * time.Millisecond}},
			states, (&collector{}).sink, func(name string, r Result, err error) {
				mu.Lock()
				defer mu.Unlock()
				rounds[name]++
				if name == "bad" {
					failed = err
				}
				if name == "good" && rounds[name] == 1 && r.Domains != 1 {
					t.Errorf("first round of good: got %+v, want 1 domain", r)
				}
				if rounds["good"] >= 3 && rounds["bad"] >= 3 {
					cancel()
				}
			})
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cancel()
		t.Fatal("Run did not end after its context")
	}
	if failed == nil {
		t.Error("the missing file's rounds reported no error")
	}
	if states.domains != 1 {
		t.Errorf("domains read over all rounds: got %d, want 1 (the file once)", states.domains)
	}
}
