package api_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/storage"
)

// apiEvent is an event as the API returns it.
type apiEvent struct {
	ID         int64             `json:"id"`
	Feed       string            `json:"feed"`
	Type       string            `json:"type"`
	SourceIP   string            `json:"source_ip"`
	TimeSource time.Time         `json:"time_source"`
	Owners     []string          `json:"owners"`
	Data       map[string]string `json:"data"`
}

type apiEventPage struct {
	Events     []apiEvent `json:"events"`
	NextCursor string     `json:"next_cursor"`
}

// eventFixture stores five events: e1, e2 of "own", e3 of "other", e4
// of both, e5 of nobody (a phishing URL that a spreadsheet would run).
func eventFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	ev := func(name string, day int, ip, feed, typ string, asn uint32, fqdn string, owners ...int64) storage.StoredEvent {
		ts := time.Date(2026, 11, day, 6, 0, 0, 0, time.UTC)
		tax := "vulnerable"
		if typ == "phishing" {
			tax = "fraud"
		}
		return storage.StoredEvent{Fingerprint: name, TimeSource: ts, TimeObservation: ts.Add(time.Hour), Feed: feed,
			Taxonomy: tax, Type: typ, Identifier: "id-" + name, SourceIP: ip, SourceASN: asn, SourceFQDN: fqdn, Owners: owners,
			Data: []byte(fmt.Sprintf(`{"source.ip":%q,"classification.type":%q,"extra.name":%q,"source.geolocation.cc":"AZ"}`, ip, typ, name))}
	}
	evs := []storage.StoredEvent{
		ev("e1", 18, "192.0.2.1", "shadowserver", "vulnerable-system", 64500, "a.alpha.example", f.own.ID),
		ev("e2", 19, "192.0.2.2", "shadowserver", "vulnerable-system", 64500, "", f.own.ID),
		ev("e3", 20, "198.51.100.3", "shadowserver", "vulnerable-system", 64501, "", f.other.ID),
		ev("e4", 21, "192.0.2.4", "openphish", "phishing", 64500, "", f.own.ID, f.other.ID),
		ev("e5", 22, "203.0.113.5", "openphish", "phishing", 64502, "bank.example", f.own.ID),
	}
	evs[4].Owners = nil
	evs[4].Data = []byte(`{"source.ip":"203.0.113.5","source.url":"=HYPERLINK(\"http://bank.example\")","extra.name":"e5"}`)
	if _, _, err := f.store.InsertEvents(ctx, evs); err != nil {
		t.Fatal(err)
	}
	return f
}

// names lists the events of a page by their extra.name.
func names(evs []apiEvent) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.Data["extra.name"])
	}
	return out
}

func TestListEventsFilters(t *testing.T) {
	t.Parallel()
	f := eventFixture(t)
	tests := []struct {
		name, as, query string
		want            []string
	}{
		{"everything", admin, "", []string{"e5", "e4", "e3", "e2", "e1"}},
		{"agency sees its own", agency, "", []string{"e4", "e2", "e1"}},
		{"partner sees GREEN and unowned", partner, "", []string{"e5", "e4", "e2", "e1"}},
		{"org by short name", analyst, "?org=zeta-ministry", []string{"e4", "e3"}},
		{"org by id", analyst, fmt.Sprintf("?org=%d", f.own.ID), []string{"e4", "e2", "e1"}},
		{"since as a date", admin, "?since=2026-11-21", []string{"e5", "e4"}},
		{"until as a date includes the day", admin, "?until=2026-11-19", []string{"e2", "e1"}},
		{"range as times", admin, "?since=2026-11-19T06:00:00Z&until=2026-11-20T06:00:00Z", []string{"e2"}},
		{"feed", admin, "?feed=openphish", []string{"e5", "e4"}},
		{"taxonomy", admin, "?taxonomy=fraud", []string{"e5", "e4"}},
		{"type", admin, "?type=vulnerable-system", []string{"e3", "e2", "e1"}},
		{"identifier", admin, "?identifier=id-e2", []string{"e2"}},
		{"ip", admin, "?ip=192.0.2.2", []string{"e2"}},
		{"cidr", admin, "?ip=192.0.2.0/30", []string{"e2", "e1"}},
		{"asn", admin, "?asn=64501", []string{"e3"}},
		{"asn with AS", admin, "?asn=AS64502", []string{"e5"}},
		{"fqdn in any case", admin, "?fqdn=A.Alpha.Example", []string{"e1"}},
		{"free text", admin, "?q=HYPERLINK", []string{"e5"}},
		{"agency with the other org's filter", agency, "?ip=198.51.100.0/24", nil},
		{"combined", admin, "?feed=shadowserver&asn=64500&since=2026-11-19", []string{"e2"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := call[apiEventPage](t, f, request{path: "/api/v1/events" + tc.query, as: tc.as}, http.StatusOK)
			if got := names(p.Events); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
			if p.NextCursor != "" {
				t.Errorf("got next_cursor %q on the only page, want none", p.NextCursor)
			}
		})
	}
}

func TestListEventsOwnersByScope(t *testing.T) {
	t.Parallel()
	f := eventFixture(t)
	for _, tc := range []struct {
		as   string
		want []string
	}{
		{admin, []string{"alpha-agency", "zeta-ministry"}},
		{agency, []string{"alpha-agency"}},
		{partner, []string{"alpha-agency"}},
	} {
		p := call[apiEventPage](t, f, request{path: "/api/v1/events?ip=192.0.2.4", as: tc.as}, http.StatusOK)
		if len(p.Events) != 1 || !slices.Equal(p.Events[0].Owners, tc.want) {
			t.Errorf("%s: got %+v, want one event owned by %v", tc.as, p.Events, tc.want)
		}
	}
	// An unowned event has an empty list, not null.
	resp := f.do(t, request{path: "/api/v1/events?ip=203.0.113.5", as: admin})
	if !strings.Contains(resp.body, `"owners":[]`) {
		t.Errorf("unowned event: got %s, want \"owners\":[]", resp.body)
	}
}

func TestListEventsCursor(t *testing.T) {
	t.Parallel()
	f := eventFixture(t)
	var got []string
	path := "/api/v1/events?limit=2&feed=shadowserver"
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("the cursor never ends")
		}
		p := call[apiEventPage](t, f, request{path: path, as: admin}, http.StatusOK)
		got = append(got, names(p.Events)...)
		if p.NextCursor == "" {
			break
		}
		if len(p.Events) != 2 {
			t.Errorf("got a page of %d with a next cursor, want 2", len(p.Events))
		}
		path = "/api/v1/events?limit=2&feed=shadowserver&cursor=" + url.QueryEscape(p.NextCursor)
	}
	if want := []string{"e3", "e2", "e1"}; !slices.Equal(got, want) {
		t.Errorf("pages: got %v, want %v", got, want)
	}
}

func TestListEventsBadParameters(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, tc := range []struct{ query, field string }{
		{"?since=yesterday", "since"},
		{"?until=2026-13-01", "until"},
		{"?since=2026-11-20&until=2026-11-19", "until"},
		{"?ip=192.0.2.300", "ip"},
		{"?ip=192.0.2.0/33", "ip"},
		{"?asn=ASX", "asn"},
		{"?asn=0", "asn"},
		{"?asn=4294967296", "asn"},
		{"?limit=0", "limit"},
		{"?limit=1001", "limit"},
		{"?cursor=42", "cursor"},
		{"?cursor=" + "YmVmb3JlOi0x", "cursor"}, // "before:-1"
		{"?org=no-such-org", "org"},
		{"?org=zeta-ministry", "org"}, // exists, but not for this caller
		{"?report=abc", "report"},
	} {
		e := f.wantError(t, request{path: "/api/v1/events" + tc.query, as: agency}, http.StatusBadRequest, "invalid")
		if e.Error.Field != tc.field {
			t.Errorf("%s: got field %q, want %q (message %q)", tc.query, e.Error.Field, tc.field, e.Error.Message)
		}
	}
	// The same checks guard the export.
	f.wantError(t, request{path: "/api/v1/events/export?ip=nonsense", as: admin}, http.StatusBadRequest, "invalid")
	f.wantError(t, request{path: "/api/v1/events/export?format=xml", as: admin}, http.StatusBadRequest, "invalid")
	f.wantError(t, request{path: "/api/v1/events/abc", as: admin}, http.StatusBadRequest, "invalid")
}

func TestGetEvent(t *testing.T) {
	t.Parallel()
	f := eventFixture(t)
	all := call[apiEventPage](t, f, request{path: "/api/v1/events", as: admin}, http.StatusOK)
	id := map[string]int64{}
	for _, e := range all.Events {
		id[e.Data["extra.name"]] = e.ID
	}
	e := call[apiEvent](t, f, request{path: fmt.Sprintf("/api/v1/events/%d", id["e4"]), as: agency}, http.StatusOK)
	if e.Data["extra.name"] != "e4" || !slices.Equal(e.Owners, []string{"alpha-agency"}) || e.Type != "phishing" {
		t.Errorf("agency's e4: got %+v, want e4 owned (as far as it sees) by alpha-agency", e)
	}
	for _, name := range []string{"e3", "e5"} {
		f.wantError(t, request{path: fmt.Sprintf("/api/v1/events/%d", id[name]), as: agency}, http.StatusNotFound, "not_found")
	}
	f.wantError(t, request{path: fmt.Sprintf("/api/v1/events/%d", id["e5"]+100), as: admin}, http.StatusNotFound, "not_found")
}

func TestExportEventsCSV(t *testing.T) {
	t.Parallel()
	f := eventFixture(t)
	resp := f.do(t, request{path: "/api/v1/events/export?format=csv&feed=openphish", as: admin})
	if resp.status != http.StatusOK {
		t.Fatalf("got status %d, want 200; body: %s", resp.status, resp.body)
	}
	if ct := resp.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type: got %q, want text/csv; charset=utf-8", ct)
	}
	if cd := resp.header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="qalxan-events-`) || !strings.HasSuffix(cd, `.csv"`) {
		t.Errorf("Content-Disposition: got %q, want an attachment named qalxan-events-DATE.csv", cd)
	}
	rows, err := csv.NewReader(strings.NewReader(resp.body)).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, resp.body)
	}
	if len(rows) != 3 {
		t.Fatalf("got %d rows, want a header and 2 events:\n%s", len(rows), resp.body)
	}
	col := map[string]int{}
	for i, c := range rows[0] {
		col[c] = i
	}
	for _, c := range []string{"id", "time.source", "feed.name", "classification.type", "source.ip", "source.asn", "source.geolocation.cc", "owners", "source.url"} {
		if _, ok := col[c]; !ok {
			t.Errorf("header %v has no column %q", rows[0], c)
		}
	}
	e5, e4 := rows[1], rows[2]
	if e5[col["source.ip"]] != "203.0.113.5" || e5[col["owners"]] != "" || e5[col["time.source"]] != "2026-11-22T06:00:00Z" {
		t.Errorf("e5: got %v", e5)
	}
	if got := e5[col["source.url"]]; got != `'=HYPERLINK("http://bank.example")` {
		t.Errorf("formula cell: got %q, want it behind an apostrophe", got)
	}
	if e4[col["owners"]] != "alpha-agency zeta-ministry" || e4[col["source.geolocation.cc"]] != "AZ" || e4[col["source.asn"]] != "64500" {
		t.Errorf("e4: got %v", e4)
	}

	// The agency's export holds only its events, and only itself as owner.
	resp = f.do(t, request{path: "/api/v1/events/export", as: agency})
	if resp.status != http.StatusOK || strings.Count(resp.body, "\n") != 4 || strings.Contains(resp.body, "zeta-ministry") || strings.Contains(resp.body, "198.51.100.3") {
		t.Errorf("agency's export: got %d\n%s\nwant the header and e1, e2, e4 owned by alpha-agency only", resp.status, resp.body)
	}
}

func TestExportEventsStreamsAllPagesAndIsAudited(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	// More than two of the export's internal pages.
	const n = 2345
	ts := time.Date(2026, 11, 20, 6, 0, 0, 0, time.UTC)
	batch := make([]storage.StoredEvent, n)
	for i := range batch {
		ip := fmt.Sprintf("192.0.2.%d", i%250)
		batch[i] = storage.StoredEvent{Fingerprint: fmt.Sprintf("bulk-%d", i), TimeSource: ts, TimeObservation: ts, Feed: "shadowserver",
			Taxonomy: "vulnerable", Type: "vulnerable-system", SourceIP: ip, Owners: []int64{f.own.ID},
			Data: []byte(fmt.Sprintf(`{"source.ip":%q,"extra.n":"%d"}`, ip, i))}
	}
	if _, _, err := f.store.InsertEvents(ctx, batch); err != nil {
		t.Fatal(err)
	}
	resp := f.do(t, request{path: "/api/v1/events/export?format=json&org=alpha-agency", as: agency})
	if resp.status != http.StatusOK {
		t.Fatalf("got status %d, want 200; body: %.500s", resp.status, resp.body)
	}
	if ct := resp.header.Get("Content-Type"); ct != "application/x-ndjson" {
		t.Errorf("Content-Type: got %q, want application/x-ndjson", ct)
	}
	lines := strings.Split(strings.TrimSuffix(resp.body, "\n"), "\n")
	if len(lines) != n {
		t.Fatalf("got %d lines, want %d", len(lines), n)
	}
	seen := map[int64]bool{}
	for _, l := range lines {
		var e apiEvent
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		if seen[e.ID] {
			t.Fatalf("event %d exported twice", e.ID)
		}
		seen[e.ID] = true
	}
	entries, err := f.store.ListAudit(ctx, storage.AuditFilter{Action: "event.export"})
	if err != nil || len(entries) != 1 {
		t.Fatalf("audit: got %d entries, %v; want 1", len(entries), err)
	}
	if a := entries[0]; a.Actor != agency || a.OrgID != f.own.ID || !strings.Contains(string(a.After), "org=alpha-agency") || !strings.Contains(string(a.After), `"json"`) {
		t.Errorf("audit entry: got %+v after %s, want the agency, its org, the format and the filter", a, a.After)
	}
	// A refused export is not recorded.
	f.do(t, request{path: "/api/v1/events/export?ip=bad", as: agency})
	if entries, _ := f.store.ListAudit(ctx, storage.AuditFilter{Action: "event.export"}); len(entries) != 1 {
		t.Errorf("audit after a bad request: got %d entries, want still 1", len(entries))
	}
}
