package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/i18n"
	"github.com/qalxan/qalxan/internal/storage"
)

// addEvents stores events named name-0, name-1 ... from ip, owned by the
// named fixture organisations, an hour apart from 2026-11-20 06:00 UTC.
func (f *fixture) addEvents(t *testing.T, name, ip string, n int, owners ...string) {
	t.Helper()
	var ids []int64
	for _, o := range owners {
		ids = append(ids, f.orgs[o].ID)
	}
	batch := make([]storage.StoredEvent, n)
	for i := range batch {
		ts := time.Date(2026, 11, 20, 6+i, 0, 0, 0, time.UTC)
		batch[i] = storage.StoredEvent{Fingerprint: fmt.Sprintf("%s-%d", name, i), TimeSource: ts, TimeObservation: ts.Add(time.Minute),
			Feed: "shadowserver", Taxonomy: "vulnerable", Type: "vulnerable-system", Identifier: "accessible-rdp",
			SourceIP: ip, SourceASN: 64500, Owners: ids,
			Data: []byte(fmt.Sprintf(`{"source.ip":%q,"source.port":3389,"source.geolocation.cc":"AZ","extra.name":"%s-%d","classification.type":"vulnerable-system"}`, ip, name, i))}
	}
	if _, _, err := f.store.InsertEvents(context.Background(), batch); err != nil {
		t.Fatal(err)
	}
}

// eventID is the id of the only event whose data holds marker.
func (f *fixture) eventID(t *testing.T, marker string) int64 {
	t.Helper()
	evs, err := f.store.ListEvents(context.Background(), auth.Everything, storage.EventFilter{Text: `"` + marker + `"`})
	if err != nil || len(evs) != 1 {
		t.Fatalf("event %s: got %d, %v; want one", marker, len(evs), err)
	}
	return evs[0].ID
}

var eventLinkRE = regexp.MustCompile(`href="/events/\d+"`)

func TestEventsTenancy(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.addEvents(t, "mdt-only", "192.0.2.10", 2, "mdt")
	f.addEvents(t, "minfin-only", "198.51.100.20", 2, "minfin")
	f.addEvents(t, "shared", "192.0.2.30", 1, "mdt", "minfin")

	officer := f.as(t, "mdt-officer")
	list := officer.get("/events").want(t, http.StatusOK).
		contains(t, "192.0.2.10", "192.0.2.30", `href="/orgs/mdt"`).
		lacks(t, "198.51.100.20", "minfin")
	if n := len(eventLinkRE.FindAllString(list.body, -1)); n != 3 {
		t.Errorf("agency's list: got %d events, want 3", n)
	}
	// Another agency's event is not found, not forbidden; a shared one
	// names only the officer's own organisation.
	officer.get(fmt.Sprintf("/events/%d", f.eventID(t, "minfin-only-0"))).want(t, http.StatusNotFound).lacks(t, "198.51.100.20")
	officer.get(fmt.Sprintf("/events/%d", f.eventID(t, "shared-0"))).want(t, http.StatusOK).
		contains(t, `href="/orgs/mdt"`).lacks(t, "minfin")
	// Naming the other agency in the filter finds nothing to widen to.
	officer.get("/events?org=minfin").want(t, http.StatusBadRequest).lacks(t, "198.51.100.20", `href="/events/`)
	officer.get("/events?ip=198.51.100.0/24").want(t, http.StatusOK).lacks(t, "198.51.100.20", `href="/events/`)

	// Staff see everything, with every owner.
	f.as(t, "analyst").get("/events").want(t, http.StatusOK).contains(t, "198.51.100.20", `href="/orgs/minfin"`, `href="/orgs/mdt"`)
	f.as(t, "analyst").get(fmt.Sprintf("/events/%d", f.eventID(t, "shared-0"))).want(t, http.StatusOK).
		contains(t, `href="/orgs/mdt"`, `href="/orgs/minfin"`)
	// A partner does not see AMBER organisations' events.
	f.as(t, "partner").get("/events").want(t, http.StatusOK).lacks(t, "192.0.2.10", "198.51.100.20")
}

func TestEventListFiltersPagesAndExport(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.addEvents(t, "bulk", "192.0.2.40", 120, "mdt")
	f.addEvents(t, "else", "198.51.100.50", 3, "minfin")
	c := f.as(t, "auditor")

	first := c.get("/events?ip=192.0.2.0/24").want(t, http.StatusOK).
		contains(t, "Matching events: 120", `rel="next"`, "AZ", "accessible-rdp").lacks(t, "198.51.100.50")
	if n := len(eventLinkRE.FindAllString(first.body, -1)); n != 100 {
		t.Errorf("first page: got %d events, want 100", n)
	}
	i := strings.Index(first.body, `rel="next" href="`)
	next := first.body[i+len(`rel="next" href="`):]
	next = strings.ReplaceAll(next[:strings.IndexByte(next, '"')], "&amp;", "&")
	if !strings.Contains(next, "ip=192.0.2.0%2F24") || !strings.Contains(next, "cursor=") {
		t.Fatalf("next page URL %q keeps neither the filter nor the cursor", next)
	}
	second := c.get(next).want(t, http.StatusOK).lacks(t, `rel="next"`).contains(t, "First page")
	if n := len(eventLinkRE.FindAllString(second.body, -1)); n != 20 {
		t.Errorf("second page: got %d events, want 20", n)
	}

	// Dates are days in Baku (UTC+4): 2026-11-20 ends at 20:00 UTC, so
	// the events from 06:00 to 19:00 UTC are 14.
	day := c.get("/events?since=2026-11-20&until=2026-11-20&org=mdt").want(t, http.StatusOK).contains(t, "Matching events: 14")
	// The export links carry the same filter, with the days as instants.
	day.contains(t, `/api/v1/events/export?format=csv&amp;org=mdt&amp;since=2026-11-19T20%3A00%3A00Z&amp;until=2026-11-20T20%3A00%3A00Z`)
	day.contains(t, `/api/v1/events/export?format=json&amp;`)

	// A filter that cannot be applied shows nothing, and says why.
	for _, q := range []string{"ip=192.0.2.999", "asn=ASX", "since=tomorrow", "since=2026-11-21&until=2026-11-20", "org=nowhere"} {
		c.get("/events?"+q).want(t, http.StatusBadRequest).contains(t, "Correct the filter", `aria-invalid="true"`).lacks(t, `href="/events/`)
	}
	// The free text and the type.
	c.get("/events?q=else-2").want(t, http.StatusOK).contains(t, "Matching events: 1")
	c.get("/events?type=phishing").want(t, http.StatusOK).contains(t, "No events match the filter.")
}

func TestEventView(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.addEvents(t, "one", "192.0.2.60", 1, "mdt")
	id := f.eventID(t, "one-0")
	page := f.as(t, "auditor").get(fmt.Sprintf("/events/%d", id)).want(t, http.StatusOK).
		contains(t, fmt.Sprintf("Event #%d", id), `href="/events?ip=192.0.2.60"`, `href="/orgs/mdt"`, ">3389<", ">one-0<")
	// Every field, sorted by key.
	var keys []string
	for _, m := range regexp.MustCompile(`<th scope="row" class="mono nowrap">([^<]+)</th>`).FindAllStringSubmatch(page.body, -1) {
		keys = append(keys, m[1])
	}
	want := []string{"classification.type", "extra.name", "source.geolocation.cc", "source.ip", "source.port"}
	if fmt.Sprint(keys) != fmt.Sprint(want) {
		t.Errorf("fields: got %v, want %v", keys, want)
	}
	f.as(t, "auditor").get("/events/999999").want(t, http.StatusNotFound)
	f.as(t, "auditor").get("/events/abc").want(t, http.StatusNotFound)
	// Both pages in every language, whole.
	leftover := regexp.MustCompile(`>\s*(events?|filter|pager|nav)\.[a-z_]+`)
	for _, lang := range i18n.Languages() {
		c := f.as(t, "admin")
		c.post("/language", map[string][]string{"lang": {lang}, "next": {"/"}}).redirectsTo(t, "/")
		for _, p := range []string{"/events", "/events?asn=x", fmt.Sprintf("/events/%d", id)} {
			r := c.get(p).contains(t, `<html lang="`+lang+`">`, i18n.T(lang, "nav.events"), i18n.T(lang, "events.owners"))
			if m := leftover.FindString(r.body); m != "" {
				t.Errorf("%s %s: untranslated key %q", lang, p, m)
			}
		}
	}
}
