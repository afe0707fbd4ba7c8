package server_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/server"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

// whoHandler answers with the authenticated user's name, or panics on /panic.
func whoHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/panic" {
			panic("boom")
		}
		if r.Method == http.MethodPost {
			if _, err := io.ReadAll(r.Body); err != nil {
				http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
				return
			}
		}
		if u := auth.UserFrom(r.Context()); u != nil {
			io.WriteString(w, "user="+u.Name)
			return
		}
		io.WriteString(w, "anonymous")
	})
}

func TestMiddleware(t *testing.T) {
	ctx := context.Background()
	s := storagetest.SQLite(t)
	u := &auth.User{Name: "ana", Role: auth.Analyst}
	if err := s.CreateUser(ctx, auth.System, u); err != nil {
		t.Fatal(err)
	}
	token, _, _ := s.CreateToken(ctx, auth.System, u.ID, "t", time.Hour)
	session, _ := s.CreateSession(ctx, u.ID, time.Hour)
	h := server.New(server.Deps{Store: s, Log: discard, UI: whoHandler(), API: whoHandler(), MaxBodyBytes: 1024})
	srv := httptest.NewServer(h)
	defer srv.Close()

	cases := []struct {
		name, method, path string
		header             map[string]string
		body               string
		status             int
		want               string
	}{
		{"anonymous", "GET", "/", nil, "", 200, "anonymous"},
		{"token", "GET", "/api/v1/x", map[string]string{"Authorization": "Bearer " + token}, "", 200, "user=ana"},
		{"bad token", "GET", "/api/v1/x", map[string]string{"Authorization": "Bearer qxt_nope"}, "", 401, `"code":"unauthorized"`},
		{"basic auth refused", "GET", "/api/v1/x", map[string]string{"Authorization": "Basic YTpi"}, "", 401, "Bearer"},
		{"session cookie", "GET", "/", map[string]string{"Cookie": auth.SessionCookie + "=" + session}, "", 200, "user=ana"},
		{"stale cookie is anonymous", "GET", "/", map[string]string{"Cookie": auth.SessionCookie + "=qxs_old"}, "", 200, "anonymous"},
		{"body too large", "POST", "/api/v1/x", map[string]string{"Authorization": "Bearer " + token}, strings.Repeat("x", 2048), 413, ""},
		{"cross-site post refused", "POST", "/", map[string]string{"Cookie": auth.SessionCookie + "=" + session, "Sec-Fetch-Site": "cross-site"}, "a=b", 403, ""},
		{"same-origin post allowed", "POST", "/", map[string]string{"Cookie": auth.SessionCookie + "=" + session, "Sec-Fetch-Site": "same-origin"}, "a=b", 200, "user=ana"},
		{"panic becomes 500", "GET", "/panic", nil, "", 500, "internal error"},
		{"healthz", "GET", "/healthz", nil, "", 200, "ok"},
		{"readyz", "GET", "/readyz", nil, "", 200, "ok"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(c.method, srv.URL+c.path, strings.NewReader(c.body))
			for k, v := range c.header {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != c.status || !strings.Contains(string(b), c.want) {
				t.Errorf("got %d %q, want %d containing %q", resp.StatusCode, b, c.status, c.want)
			}
			for _, hdr := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"} {
				if resp.Header.Get(hdr) == "" {
					t.Errorf("missing header %s", hdr)
				}
			}
		})
	}

	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`qalxan_http_requests_total{area="api",code="401",method="GET"} 2`, "go_goroutines"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

func TestReadyzFailsWithoutDatabase(t *testing.T) {
	s := storagetest.SQLite(t)
	h := server.New(server.Deps{Store: s, Log: discard})
	s.Close()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("readyz with a closed database: got %d, want 503", rec.Code)
	}
}

func TestServeShutsDownGracefully(t *testing.T) {
	s := storagetest.SQLite(t)
	started := make(chan struct{})
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		time.Sleep(300 * time.Millisecond) // still working when shutdown begins
		io.WriteString(w, "finished")
	})
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() {
		done <- server.Serve(ctx, "127.0.0.1:0", server.New(server.Deps{Store: s, Log: discard, UI: slow}), discard, func(a net.Addr) { addrc <- a })
	}()
	addr := <-addrc
	got := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + addr.String() + "/slow")
		if err != nil {
			got <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got <- string(b)
	}()
	<-started // the request is in flight
	cancel()
	if body := <-got; body != "finished" {
		t.Errorf("in-flight request during shutdown: got %q, want it to finish", body)
	}
	if err := <-done; err != nil {
		t.Errorf("Serve returned %v, want nil", err)
	}
}
