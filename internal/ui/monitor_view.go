package ui

import (
	"encoding/json"
	"html/template"
	"math"
	"net/http"
	"strconv"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/i18n"
	"github.com/qalxan/qalxan/internal/monitor"
	"github.com/qalxan/qalxan/internal/storage"
)

// checkRow is one check of the latest run, with what it checks and what
// to do, in the reader's language.
type checkRow struct {
	monitor.Result
	Title       string
	Remediation string
}

type monitorViewView struct {
	view
	Resource *constituency.Resource
	Latest   *storage.MonitorRun
	Checks   []checkRow
	History  []storage.MonitorRun
	// Availability: uptime, time-to-first-byte percentiles and their
	// sparkline over the last 30 days.
	Avail     storage.MonitorAvailability
	Sparkline template.HTML
	// Content is the landing page's baseline and latest fingerprint (nil
	// before the first run that saw a page); Similarity how alike they
	// are, in percent; Changed whether they differ, so staff may accept
	// the latest.
	Content    *storage.MonitorContent
	Similarity int
	Changed    bool
}

// monitorView (GET /monitor/{id}) is one resource's scorecard: the latest
// run's checks, failures first with their remediation, and the history
// of grades. A resource outside the reader's scope is not found.
func (h *handler) monitorView(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.ReadFindings) {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r, u)
		return
	}
	sc := auth.ScopeFor(u)
	res, err := h.Store.GetResource(r.Context(), sc, id)
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	runs, err := h.Store.MonitorHistory(r.Context(), sc, id, 30)
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	v := monitorViewView{view: h.newView(w, r, u, "monitor.resource_title", "monitor"), Resource: res, History: runs}
	v.Title += " " + res.Display()
	if v.Avail, err = h.Store.GetMonitorAvailability(r.Context(), sc, id, h.Store.Now()); err != nil {
		h.fail(w, r, u, err)
		return
	}
	v.Sparkline = sparkline(v.Avail.Samples, i18n.T(v.Lang, "monitor.sparkline_label"))
	switch c, err := h.Store.GetMonitorContent(r.Context(), sc, id); {
	case errs.CodeOf(err) == errs.NotFound:
	case err != nil:
		h.fail(w, r, u, err)
		return
	default:
		v.Content, v.Changed = c, c.Latest != c.Baseline
		base, err1 := monitor.ParseFingerprint(c.Baseline)
		latest, err2 := monitor.ParseFingerprint(c.Latest)
		if err1 == nil && err2 == nil {
			v.Similarity = int(math.Round(100 * latest.Similarity(base)))
		}
	}
	if len(runs) > 0 {
		v.Latest = &runs[0]
		var results []monitor.Result
		if err := json.Unmarshal(runs[0].Results, &results); err != nil {
			h.fail(w, r, u, err)
			return
		}
		// Failures first, then errors, passes, skipped: what needs doing on top.
		for _, st := range []monitor.Status{monitor.Fail, monitor.Error, monitor.Pass, monitor.Skipped} {
			for _, res := range results {
				if res.Status != st {
					continue
				}
				c, _ := monitor.Lookup(res.Check)
				row := checkRow{Result: res, Title: c.TitleIn(v.Lang)}
				if st == monitor.Fail {
					row.Remediation = c.RemediationIn(v.Lang)
				}
				v.Checks = append(v.Checks, row)
			}
		}
	}
	h.render(w, r, http.StatusOK, "monitor_view", &v)
}
