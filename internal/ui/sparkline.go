package ui

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/qalxan/qalxan/internal/storage"
)

// Sparkline geometry: small enough to sit beside the figures, wide
// enough for a month of daily runs.
const (
	sparkW, sparkH = 240, 40
	sparkPad       = 2
)

// sparkline draws a resource's time to first byte over its runs (oldest
// first) as inline SVG: a line through the runs that answered, scaled to
// the slowest, and a red mark at the bottom for each run that did not.
// Server-drawn, so the page needs no script and works offline; label is
// the accessible name.
func sparkline(samples []storage.MonitorSample, label string) template.HTML {
	if len(samples) == 0 {
		return ""
	}
	var slowest int64 = 1
	for _, m := range samples {
		if m.Up && m.TTFBMS > slowest {
			slowest = m.TTFBMS
		}
	}
	step := float64(sparkW-2*sparkPad) / float64(max(len(samples)-1, 1))
	x := func(i int) float64 { return sparkPad + step*float64(i) }
	var line, downs strings.Builder
	var segs []string
	for i, m := range samples {
		if !m.Up || m.TTFBMS < 0 {
			fmt.Fprintf(&downs, `<rect class="down" x="%.1f" y="%d" width="3" height="8"/>`, max(x(i)-1.5, 0), sparkH-8)
			if line.Len() > 0 {
				segs = append(segs, line.String())
				line.Reset()
			}
			continue
		}
		y := float64(sparkH-sparkPad-10) - float64(m.TTFBMS)/float64(slowest)*float64(sparkH-2*sparkPad-10) + float64(sparkPad)
		fmt.Fprintf(&line, "%.1f,%.1f ", x(i), y)
	}
	if line.Len() > 0 {
		segs = append(segs, line.String())
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="sparkline" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s"><title>%s</title>`,
		sparkW, sparkH, sparkW, sparkH, template.HTMLEscapeString(label), template.HTMLEscapeString(label))
	for _, s := range segs {
		pts := strings.TrimSpace(s)
		if !strings.Contains(pts, " ") {
			// A lone run between two outages: a dot, not an invisible line.
			var cx, cy float64
			fmt.Sscanf(pts, "%f,%f", &cx, &cy)
			fmt.Fprintf(&b, `<circle class="up" cx="%.1f" cy="%.1f" r="1.5"/>`, cx, cy)
			continue
		}
		fmt.Fprintf(&b, `<polyline class="up" fill="none" points="%s"/>`, pts)
	}
	b.WriteString(downs.String())
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
