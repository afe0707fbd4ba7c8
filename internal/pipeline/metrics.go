package pipeline

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics counts what the pipeline does per feed, for /metrics. A feed
// label is bounded: it is always a name from the feed catalogue.
type Metrics struct {
	reports    *prometheus.CounterVec
	events     *prometheus.CounterVec
	duplicates *prometheus.CounterVec
	badRows    *prometheus.CounterVec
}

// Report outcomes, the values of the "outcome" label.
const (
	outcomeParsed      = "parsed"      // every row read; bad rows counted apart
	outcomePartial     = "partial"     // stopped part-way by an error; what was stored stays
	outcomeQuarantined = "quarantined" // nothing could be read
	outcomeFailed      = "failed"      // not the report's fault: the store, a cancellation
)

// NewMetrics registers the pipeline's counters in reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		reports: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "qalxan_ingest_reports_total", Help: "Reports processed, by feed and outcome (parsed, partial, quarantined, failed).",
		}, []string{"feed", "outcome"}),
		events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "qalxan_ingest_events_total", Help: "New events stored, by feed.",
		}, []string{"feed"}),
		duplicates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "qalxan_ingest_duplicates_total", Help: "Events already stored (same fingerprint), by feed.",
		}, []string{"feed"}),
		badRows: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "qalxan_ingest_bad_rows_total", Help: "Rows that gave no event, by feed.",
		}, []string{"feed"}),
	}
	reg.MustRegister(m.reports, m.events, m.duplicates, m.badRows)
	return m
}

// stored counts a committed batch; safe on a nil m.
func (m *Metrics) stored(feed string, inserted, duplicates int) {
	if m == nil {
		return
	}
	m.events.WithLabelValues(feed).Add(float64(inserted))
	m.duplicates.WithLabelValues(feed).Add(float64(duplicates))
}

// report counts a processed report and its bad rows; safe on a nil m.
func (m *Metrics) report(feed, outcome string, bad int) {
	if m == nil {
		return
	}
	if feed == "" {
		feed = "unknown" // not recognised: quarantined before a feed was known
	}
	m.reports.WithLabelValues(feed, outcome).Inc()
	m.badRows.WithLabelValues(feed).Add(float64(bad))
}
