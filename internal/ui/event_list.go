package ui

import (
	"context"
	"encoding/json"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/i18n"
	"github.com/qalxan/qalxan/internal/storage"
)

// eventPageSize is the rows per page of the event list.
const eventPageSize = 100

// eventCountBudget is how long the list may spend counting what matches;
// a count that takes longer (free text over millions of rows) is left out
// rather than slow every page.
const eventCountBudget = 300 * time.Millisecond

type eventListView struct {
	view
	Filter     eventFilter
	Errors     map[string]string // filter field → message
	Taxonomies []string
	Types      []string
	Events     []eventRow
	Total      int    // matching events; -1 when not counted
	NextURL    string // older events, "" when there are none
	First      bool   // this is the first page
	ExportCSV  string // the API export of exactly this filter
	ExportJSON string
}

// eventRow is an event as a row of the list.
type eventRow struct {
	storage.StoredEvent
	Country string
	Owners  []string // short names the viewer may see
}

// Time is when the event happened, or when it was observed if the feed
// did not say.
func (e eventRow) Time() time.Time {
	if e.TimeSource.IsZero() {
		return e.TimeObservation
	}
	return e.TimeSource
}

// eventFilter is the list's filter bar as typed, kept in the URL so a
// search can be bookmarked and shared.
type eventFilter struct {
	Since, Until, Org, Feed, Taxonomy, Type, Identifier, IP, ASN, FQDN, Q string
}

func parseEventFilter(q url.Values) eventFilter {
	g := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	return eventFilter{Since: g("since"), Until: g("until"), Org: g("org"), Feed: g("feed"), Taxonomy: g("taxonomy"),
		Type: g("type"), Identifier: g("identifier"), IP: g("ip"), ASN: g("asn"), FQDN: g("fqdn"), Q: g("q")}
}

func (f eventFilter) values() url.Values {
	v := url.Values{}
	for k, x := range map[string]string{"since": f.Since, "until": f.Until, "org": f.Org, "feed": f.Feed,
		"taxonomy": f.Taxonomy, "type": f.Type, "identifier": f.Identifier, "ip": f.IP, "asn": f.ASN, "fqdn": f.FQDN, "q": f.Q} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return v
}

// URL is /events with the filter, plus extra pairs ("cursor", id).
func (f eventFilter) URL(extra ...string) string {
	v := f.values()
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	if len(v) == 0 {
		return "/events"
	}
	return "/events?" + v.Encode()
}

// Active reports whether any filter is set.
func (f eventFilter) Active() bool { return f != eventFilter{} }

// storage checks the filter and turns it into a storage filter; errors
// maps each bad field to a catalogue key. Dates are days in the display
// time zone, as the page shows times; "until" includes its day.
func (h *handler) eventStorageFilter(ctx context.Context, sc auth.Scope, f eventFilter) (storage.EventFilter, map[string]string, error) {
	sf := storage.EventFilter{Feed: f.Feed, Taxonomy: f.Taxonomy, Type: f.Type, Identifier: f.Identifier, IP: f.IP,
		FQDN: strings.TrimSuffix(f.FQDN, "."), Text: f.Q}
	bad := map[string]string{}
	var ok bool
	if sf.Since, ok = h.parseDay(f.Since, false); !ok {
		bad["since"] = "events.bad_time"
	}
	if sf.Until, ok = h.parseDay(f.Until, true); !ok {
		bad["until"] = "events.bad_time"
	}
	if !sf.Since.IsZero() && !sf.Until.IsZero() && !sf.Since.Before(sf.Until) {
		bad["until"] = "events.bad_range"
	}
	if f.IP != "" {
		if _, err := netip.ParseAddr(f.IP); err != nil {
			if _, err := netip.ParsePrefix(f.IP); err != nil {
				bad["ip"] = "events.bad_ip"
			}
		}
	}
	if f.ASN != "" {
		n, err := strconv.ParseUint(strings.TrimPrefix(strings.ToUpper(f.ASN), "AS"), 10, 32)
		if err != nil || n == 0 {
			bad["asn"] = "events.bad_asn"
		}
		sf.ASN = uint32(n)
	}
	if f.Org != "" {
		// Within the scope only: another agency's short name is as unknown
		// as one that does not exist.
		o, err := h.Store.GetOrgByShortName(ctx, sc, f.Org)
		switch {
		case errs.Is(err, errs.NotFound):
			bad["org"] = "events.bad_org"
		case err != nil:
			return sf, nil, err
		default:
			sf.OrgID = o.ID
		}
	}
	return sf, bad, nil
}

// parseDay reads a date (a day in the display time zone) or an RFC 3339
// time; end moves a date to the start of the next day.
func (h *handler) parseDay(s string, end bool) (time.Time, bool) {
	if s == "" {
		return time.Time{}, true
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), true
	}
	d, err := time.ParseInLocation(time.DateOnly, s, h.Location)
	if err != nil {
		return time.Time{}, false
	}
	if end {
		d = d.AddDate(0, 0, 1)
	}
	return d.UTC(), true
}

// exportURL is the API's export of exactly what the list shows: dates are
// sent as the instants the list used, since the API reads dates as UTC.
func exportURL(f eventFilter, sf storage.EventFilter, format string) string {
	v := f.values()
	if !sf.Since.IsZero() {
		v.Set("since", sf.Since.Format(time.RFC3339))
	}
	if !sf.Until.IsZero() {
		v.Set("until", sf.Until.Format(time.RFC3339))
	}
	v.Set("format", format)
	return "/api/v1/events/export?" + v.Encode()
}

// eventList (GET /events) searches the events in the user's scope.
func (h *handler) eventList(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.ReadEvents) {
		return
	}
	q := r.URL.Query()
	f := parseEventFilter(q)
	sc := auth.ScopeFor(u)
	v := eventListView{view: h.newView(w, r, u, "events.title", "events"), Filter: f, Total: -1,
		Taxonomies: event.Taxonomies(), Errors: map[string]string{}}
	for _, tax := range v.Taxonomies {
		v.Types = append(v.Types, event.TypesOf(tax)...)
	}
	slices.Sort(v.Types)
	sf, bad, err := h.eventStorageFilter(r.Context(), sc, f)
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	if len(bad) > 0 {
		// A filter we cannot apply shows nothing, never everything.
		for field, key := range bad {
			v.Errors[field] = i18n.T(v.Lang, key)
		}
		h.render(w, r, http.StatusBadRequest, "event_list", &v)
		return
	}
	before, _ := strconv.ParseInt(q.Get("cursor"), 10, 64)
	sf.BeforeID, sf.Limit = before, eventPageSize
	evs, next, err := h.Store.ListEventsPage(r.Context(), sc, sf)
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	if v.Events, err = h.eventRows(r.Context(), sc, evs); err != nil {
		h.fail(w, r, u, err)
		return
	}
	cctx, cancel := context.WithTimeout(r.Context(), eventCountBudget)
	if n, err := h.Store.CountEvents(cctx, sc, sf); err == nil {
		v.Total = n
	}
	cancel()
	v.First = before <= 0
	if next != 0 {
		v.NextURL = f.URL("cursor", strconv.FormatInt(next, 10))
	}
	v.ExportCSV, v.ExportJSON = exportURL(f, sf, "csv"), exportURL(f, sf, "json")
	h.render(w, r, http.StatusOK, "event_list", &v)
}

// eventRows names the owners (those the scope may see) and picks the
// country out of each event's data.
func (h *handler) eventRows(ctx context.Context, sc auth.Scope, evs []storage.StoredEvent) ([]eventRow, error) {
	var ids []int64
	for _, e := range evs {
		ids = append(ids, e.Owners...)
	}
	slices.Sort(ids)
	names, err := h.Store.OrgShortNames(ctx, sc, slices.Compact(ids))
	if err != nil {
		return nil, err
	}
	rows := make([]eventRow, len(evs))
	for i, e := range evs {
		rows[i] = eventRow{StoredEvent: e}
		var data struct {
			CC string `json:"source.geolocation.cc"`
		}
		if json.Unmarshal(e.Data, &data) == nil {
			rows[i].Country = data.CC
		}
		for _, id := range e.Owners {
			if n := names[id]; n != "" {
				rows[i].Owners = append(rows[i].Owners, n)
			}
		}
	}
	return rows, nil
}
