package collect_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/collect"
)

// noWait replaces the backoff sleep: tests run without waiting, and see
// the waits asked for.
type noWait struct{ waits []time.Duration }

func (n *noWait) sleep(ctx context.Context, d time.Duration) error {
	n.waits = append(n.waits, d)
	return ctx.Err()
}

func newHTTP(url string, w *noWait) *collect.HTTP {
	return &collect.HTTP{
		Source:      "feed",
		URL:         url,
		MaxAttempts: 3,
		Backoff:     func(attempt int) time.Duration { return time.Duration(attempt) * time.Second },
		Sleep:       w.sleep,
		Now:         fixedNow,
	}
}

func TestHTTPConditionalGet(t *testing.T) {
	version := "v1"
	var requests, notModified atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		etag := `"` + version + `"`
		if r.Header.Get("If-None-Match") == etag {
			notModified.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", "Fri, 20 Nov 2026 06:00:00 GMT")
		fmt.Fprintf(w, "data %s\n", version)
	}))
	defer srv.Close()
	c := newHTTP(srv.URL+"/feeds/openphish.txt", &noWait{})
	var s sink

	mustCollect(t, c, s.handle)
	mustCollect(t, c, s.handle) // unchanged: 304
	version = "v2"
	mustCollect(t, c, s.handle)

	if len(s.reports) != 2 || s.reports[0].Body != "data v1\n" || s.reports[1].Body != "data v2\n" {
		t.Fatalf("got %+v, want v1 then v2", s.reports)
	}
	r := s.reports[0]
	if r.Name != "openphish.txt" || r.Source != "feed" || r.Meta[collect.MetaETag] != `"v1"` ||
		r.Meta[collect.MetaLastModified] == "" || r.Meta[collect.MetaURL] != srv.URL+"/feeds/openphish.txt" {
		t.Errorf("got %+v, want name openphish.txt with ETag, Last-Modified and URL", r)
	}
	if requests.Load() != 3 || notModified.Load() != 1 {
		t.Errorf("got %d requests, %d answered 304; want 3 and 1", requests.Load(), notModified.Load())
	}
}

func TestHTTPLastModifiedAndFailedHandler(t *testing.T) {
	const stamp = "Fri, 20 Nov 2026 06:00:00 GMT"
	var sent []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sent = append(sent, r.Header.Get("If-Modified-Since"))
		if r.Header.Get("If-Modified-Since") == stamp {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Last-Modified", stamp)
		w.Header().Set("Content-Disposition", `attachment; filename="2026-11-20-scan_rdp-az-geo.csv"`)
		fmt.Fprint(w, "a,b\n")
	}))
	defer srv.Close()
	c := newHTTP(srv.URL+"/download?id=1", &noWait{})

	failing := &sink{err: errors.New("archive unavailable")}
	if err := c.Collect(ctx, failing.handle); err == nil {
		t.Fatal("got no error, want the handler's")
	}
	var s sink
	mustCollect(t, c, s.handle) // the failed round did not count: downloaded again
	mustCollect(t, c, s.handle)
	if want := []string{"", "", stamp}; strings.Join(sent, "|") != strings.Join(want, "|") {
		t.Errorf("If-Modified-Since sent: got %q, want %q", sent, want)
	}
	if len(s.reports) != 1 || s.reports[0].Name != "2026-11-20-scan_rdp-az-geo.csv" {
		t.Errorf("got %v, want one report named by Content-Disposition", s.names())
	}
}

func TestHTTPRetries(t *testing.T) {
	tests := []struct {
		name         string
		failures     int // answers before a success
		status       int // of the failures
		wantRequests int32
		wantErr      bool
		wantWaits    []time.Duration
	}{
		{"retry then success", 2, http.StatusServiceUnavailable, 3, false, []time.Duration{time.Second, 2 * time.Second}},
		{"give up after max attempts", 99, http.StatusInternalServerError, 3, true, []time.Duration{time.Second, 2 * time.Second}},
		{"429 is retried", 1, http.StatusTooManyRequests, 2, false, []time.Duration{time.Second}},
		{"404 is not retried", 99, http.StatusNotFound, 1, true, nil},
		{"401 is not retried", 99, http.StatusUnauthorized, 1, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if int(n.Add(1)) <= tt.failures {
					w.WriteHeader(tt.status)
					return
				}
				fmt.Fprint(w, "ok\n")
			}))
			defer srv.Close()
			w := &noWait{}
			var s sink
			err := newHTTP(srv.URL+"/r.csv", w).Collect(ctx, s.handle)
			if (err != nil) != tt.wantErr {
				t.Fatalf("got error %v, want error %v", err, tt.wantErr)
			}
			if n.Load() != tt.wantRequests {
				t.Errorf("got %d requests, want %d", n.Load(), tt.wantRequests)
			}
			if fmt.Sprint(w.waits) != fmt.Sprint(tt.wantWaits) {
				t.Errorf("waits: got %v, want %v", w.waits, tt.wantWaits)
			}
		})
	}
}

func TestHTTPNetworkErrorRetried(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	url := srv.URL + "/r.csv"
	srv.Close() // connection refused
	w := &noWait{}
	err := newHTTP(url, w).Collect(ctx, (&sink{}).handle)
	if err == nil || !strings.Contains(err.Error(), "giving up after 3 attempts") {
		t.Errorf("got %v, want giving up after 3 attempts", err)
	}
	if len(w.waits) != 2 {
		t.Errorf("got %d waits, want 2", len(w.waits))
	}
}

func TestHTTPSizeLimit(t *testing.T) {
	body := strings.Repeat("x", 100)
	tests := []struct {
		name    string
		chunked bool // no Content-Length: the limit is found while reading
		max     int64
		wantErr bool
	}{
		{"declared length over", false, 99, true},
		{"streamed length over", true, 99, true},
		{"exactly the limit", true, 100, false},
		{"declared exactly the limit", false, 100, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.chunked {
					w.Write([]byte(body[:50]))
					w.(http.Flusher).Flush()
					w.Write([]byte(body[50:]))
					return
				}
				w.Header().Set("Content-Length", "100")
				w.Write([]byte(body))
			}))
			defer srv.Close()
			c := newHTTP(srv.URL, &noWait{})
			c.MaxBody = tt.max
			// A handler that swallows read errors must not hide an over-sized body.
			lenient := func(ctx context.Context, r collect.Report) error {
				buf := make([]byte, 1000)
				for {
					if _, err := r.Content.Read(buf); err != nil {
						return nil
					}
				}
			}
			err := c.Collect(ctx, lenient)
			if (err != nil) != tt.wantErr {
				t.Fatalf("got error %v, want error %v", err, tt.wantErr)
			}
			if err != nil && !errors.Is(err, collect.ErrTooLarge) {
				t.Errorf("got %v, want ErrTooLarge", err)
			}
		})
	}
}

func TestHTTPCancellation(t *testing.T) {
	t.Run("during backoff", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadGateway)
		}))
		defer srv.Close()
		cctx, cancel := context.WithCancel(ctx)
		c := newHTTP(srv.URL, &noWait{})
		c.Backoff = func(int) time.Duration { return time.Hour }
		c.Sleep = nil // the real sleep: only cancellation ends it
		done := make(chan error, 1)
		go func() { done <- c.Collect(cctx, (&sink{}).handle) }()
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("got %v, want context.Canceled", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Collect did not return after cancel")
		}
	})
	t.Run("during request", func(t *testing.T) {
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}))
		defer srv.Close()
		defer close(release)
		cctx, cancel := context.WithCancel(ctx)
		w := &noWait{}
		c := newHTTP(srv.URL, w)
		done := make(chan error, 1)
		go func() { done <- c.Collect(cctx, (&sink{}).handle) }()
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("got %v, want context.Canceled", err)
			}
			if len(w.waits) != 0 {
				t.Errorf("got %d retries, want none after cancel", len(w.waits))
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Collect did not return after cancel")
		}
	})
}

func TestHTTPTimeoutIsRetried(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			<-r.Context().Done() // hang until the client gives up
			return
		}
		fmt.Fprint(w, "ok\n")
	}))
	defer srv.Close()
	c := newHTTP(srv.URL, &noWait{})
	c.Timeout = 20 * time.Millisecond
	var s sink
	mustCollect(t, c, s.handle)
	if len(s.reports) != 1 || n.Load() != 2 {
		t.Errorf("got %d reports after %d requests, want 1 after 2", len(s.reports), n.Load())
	}
}

func TestHTTPCredentials(t *testing.T) {
	var user, pass, key, ua string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, _ = r.BasicAuth()
		key, ua = r.Header.Get("X-Api-Key"), r.Header.Get("User-Agent")
		w.WriteHeader(http.StatusForbidden)
	}))
	defer srv.Close()
	c := newHTTP(srv.URL+"/r.csv?apikey=s3cr3t-query&day=1", &noWait{})
	c.Username, c.Password = "cert", "s3cr3t-pass"
	c.Header = http.Header{"X-Api-Key": {"s3cr3t-header"}}
	err := c.Collect(ctx, (&sink{}).handle)
	if err == nil {
		t.Fatal("got no error, want 403")
	}
	if user != "cert" || pass != "s3cr3t-pass" || key != "s3cr3t-header" || ua != collect.DefaultUserAgent {
		t.Errorf("server got user %q pass %q key %q agent %q, want the configured ones", user, pass, key, ua)
	}
	logged := err.Error() + fmt.Sprint(c.LogValue())
	if strings.Contains(logged, "s3cr3t") {
		t.Errorf("a credential leaked into %q", logged)
	}
}

func TestHTTPMetaURLRedacted(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "x") }))
	defer srv.Close()
	u := strings.Replace(srv.URL, "http://", "http://cert:s3cr3t@", 1) + "/r.csv?token=s3cr3t&day=1"
	var s sink
	mustCollect(t, newHTTP(u, &noWait{}), s.handle)
	if got := s.reports[0].Meta[collect.MetaURL]; strings.Contains(got, "s3cr3t") || !strings.Contains(got, "day=1") {
		t.Errorf("meta URL: got %q, want credentials removed and the rest kept", got)
	}
}

func TestExponentialBackoff(t *testing.T) {
	b := collect.ExponentialBackoff(time.Second, 10*time.Second)
	tests := []struct {
		attempt  int
		min, max time.Duration
	}{
		{1, 500 * time.Millisecond, time.Second},
		{2, time.Second, 2 * time.Second},
		{3, 2 * time.Second, 4 * time.Second},
		{10, 5 * time.Second, 10 * time.Second},
	}
	for _, tt := range tests {
		for range 50 {
			if got := b(tt.attempt); got < tt.min || got > tt.max {
				t.Fatalf("attempt %d: got %v, want between %v and %v", tt.attempt, got, tt.min, tt.max)
			}
		}
	}
}

func TestHTTPS(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "tls\n") }))
	defer srv.Close()
	c := newHTTP(srv.URL+"/r.csv", &noWait{})
	c.Client = srv.Client() // trusts the test certificate
	var s sink
	mustCollect(t, c, s.handle)
	if len(s.reports) != 1 || s.reports[0].Body != "tls\n" {
		t.Errorf("got %+v, want the body over TLS", s.reports)
	}
}
