// Package server is the HTTP front: the root mux, the middleware every
// request passes (recovery, logging, metrics, security headers, body limit,
// cross-origin protection, authentication), the health and metrics
// endpoints, and graceful shutdown. The API and the UI are mounted into it.
package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/qalxan/qalxan/internal/storage"
)

// Deps is what the server needs.
type Deps struct {
	Store *storage.Store
	Log   *slog.Logger
	API   http.Handler // mounted at /api/v1/
	UI    http.Handler // mounted at /
	// MaxBodyBytes caps every request body (handlers may set lower limits).
	MaxBodyBytes int64
	// Metrics is the registry /metrics serves; nil makes a new one.
	Metrics *prometheus.Registry
}

// New returns the root handler.
func New(d Deps) http.Handler {
	if d.MaxBodyBytes == 0 {
		d.MaxBodyBytes = 64 << 20
	}
	if d.Metrics == nil {
		d.Metrics = NewRegistry()
	}
	m := newMetrics(d.Metrics)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := d.Store.Ping(ctx); err != nil {
			d.Log.Warn("readyz: database not ready", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte("database not ready\n"))
			return
		}
		w.Write([]byte("ok\n"))
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(d.Metrics, promhttp.HandlerOpts{}))
	if d.API != nil {
		mux.Handle("/api/v1/", d.API)
	}
	if d.UI != nil {
		mux.Handle("/", d.UI)
	}
	var h http.Handler = mux
	h = authenticate(d.Store, d.Log, h)
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, http.StatusForbidden, "forbidden", "cross-origin request refused")
	}))
	h = cop.Handler(h)
	h = limitBody(d.MaxBodyBytes, h)
	h = securityHeaders(h)
	h = observe(d.Log, m, h)
	return h
}

// Serve runs the handler on addr until ctx is cancelled, then shuts down
// gracefully: in-flight requests get up to 15 seconds to finish. ready, if
// not nil, receives the bound address once the listener is open.
func Serve(ctx context.Context, addr string, h http.Handler, log *slog.Logger, ready func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // imports of large registry files
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	if ready != nil {
		ready(ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// NewRegistry returns a metrics registry with the Go runtime's and the
// process's collectors, for Deps.Metrics and the other parts of the
// process that count (the ingest pipeline).
func NewRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}
