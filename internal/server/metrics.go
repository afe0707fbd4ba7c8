package server

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "qalxan_http_requests_total", Help: "HTTP requests by area, method and status.",
		}, []string{"area", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "qalxan_http_request_duration_seconds", Help: "HTTP request latency by area.",
			Buckets: prometheus.ExponentialBuckets(0.001, 4, 8),
		}, []string{"area"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

// area groups paths coarsely: labels per path would let a scanner create
// unbounded series.
func area(path string) string {
	switch {
	case strings.HasPrefix(path, "/api/"):
		return "api"
	case strings.HasPrefix(path, "/static/"):
		return "static"
	case path == "/healthz" || path == "/readyz" || path == "/metrics":
		return "ops"
	}
	return "ui"
}

func (m *metrics) observe(r *http.Request, status int, d time.Duration) {
	a := area(r.URL.Path)
	method := r.Method
	switch method {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodHead:
	default:
		method = "other"
	}
	m.requests.WithLabelValues(a, method, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(a).Observe(d.Seconds())
}
