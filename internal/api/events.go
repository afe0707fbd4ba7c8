package api

import (
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/storage"
)

// exportPage is the rows an export reads per query: memory stays bounded
// however many events match.
const exportPage = 1000

// eventOut is an event as the API returns it: the stored columns, the
// owners by short name (only those the caller may see) and the whole
// event as IntelMQ-style flat JSON.
type eventOut struct {
	ID              int64           `json:"id"`
	ReportID        int64           `json:"report_id,omitempty"`
	Line            int             `json:"line,omitempty"`
	Fingerprint     string          `json:"fingerprint"`
	TimeSource      time.Time       `json:"time_source,omitzero"`
	TimeObservation time.Time       `json:"time_observation"`
	Feed            string          `json:"feed"`
	Taxonomy        string          `json:"taxonomy"`
	Type            string          `json:"type"`
	Identifier      string          `json:"identifier,omitempty"`
	SourceIP        string          `json:"source_ip,omitempty"`
	SourceFQDN      string          `json:"source_fqdn,omitempty"`
	SourceASN       uint32          `json:"source_asn,omitempty"`
	Owners          []string        `json:"owners"`
	Data            json.RawMessage `json:"data"`
}

// eventPage is one page of a search; NextCursor is "" on the last page.
type eventPage struct {
	Events     []eventOut `json:"events"`
	NextCursor string     `json:"next_cursor"`
}

// ownerNames names the owners of events, remembering names across the
// pages of an export so each organisation is looked up once.
type ownerNames struct {
	a     *API
	r     *http.Request
	sc    auth.Scope
	names map[int64]string
}

func (a *API) ownerNames(r *http.Request, sc auth.Scope) *ownerNames {
	return &ownerNames{a: a, r: r, sc: sc, names: map[int64]string{}}
}

// convert turns stored events into API events.
func (n *ownerNames) convert(evs []storage.StoredEvent) ([]eventOut, error) {
	var missing []int64
	for _, e := range evs {
		for _, id := range e.Owners {
			if _, ok := n.names[id]; !ok {
				missing = append(missing, id)
			}
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		found, err := n.a.d.Store.OrgShortNames(n.r.Context(), n.sc, slices.Compact(missing))
		if err != nil {
			return nil, err
		}
		for _, id := range missing {
			n.names[id] = found[id] // "" for one outside the scope: never shown
		}
	}
	out := make([]eventOut, len(evs))
	for i, e := range evs {
		out[i] = eventOut{ID: e.ID, ReportID: e.ReportID, Line: e.Line, Fingerprint: e.Fingerprint,
			TimeSource: e.TimeSource, TimeObservation: e.TimeObservation, Feed: e.Feed, Taxonomy: e.Taxonomy,
			Type: e.Type, Identifier: e.Identifier, SourceIP: e.SourceIP, SourceFQDN: e.SourceFQDN,
			SourceASN: e.SourceASN, Owners: []string{}, Data: e.Data}
		for _, id := range e.Owners {
			if name := n.names[id]; name != "" {
				out[i].Owners = append(out[i].Owners, name)
			}
		}
		if len(out[i].Data) == 0 {
			out[i].Data = json.RawMessage("{}")
		}
	}
	return out, nil
}

// eventFilter reads the search parameters shared by the list and the
// export. Tenancy is not among them: the caller's scope goes to storage
// separately, and org only narrows within it.
func (a *API) eventFilter(r *http.Request, sc auth.Scope) (storage.EventFilter, error) {
	q := r.URL.Query()
	f := storage.EventFilter{
		Feed:       strings.TrimSpace(q.Get("feed")),
		Taxonomy:   strings.TrimSpace(q.Get("taxonomy")),
		Type:       strings.TrimSpace(q.Get("type")),
		Identifier: strings.TrimSpace(q.Get("identifier")),
		IP:         strings.TrimSpace(q.Get("ip")),
		FQDN:       strings.TrimSuffix(strings.TrimSpace(q.Get("fqdn")), "."),
		Text:       strings.TrimSpace(q.Get("q")),
	}
	var err error
	if f.Since, err = queryTimeOrDate(q, "since", false); err != nil {
		return f, err
	}
	if f.Until, err = queryTimeOrDate(q, "until", true); err != nil {
		return f, err
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && !f.Since.Before(f.Until) {
		return f, errs.Field("until", "want a time after since")
	}
	if s := strings.TrimSpace(q.Get("asn")); s != "" {
		n, err := strconv.ParseUint(strings.TrimPrefix(strings.ToUpper(s), "AS"), 10, 32)
		if err != nil || n == 0 {
			return f, errs.Field("asn", "want an AS number such as 64500 or AS64500, got %q", s)
		}
		f.ASN = uint32(n)
	}
	if s := strings.TrimSpace(q.Get("report")); s != "" {
		if f.ReportID, err = strconv.ParseInt(s, 10, 64); err != nil || f.ReportID <= 0 {
			return f, errs.Field("report", "want a positive whole number, got %q", s)
		}
	}
	if key := strings.TrimSpace(q.Get("org")); key != "" {
		id, err := a.orgIDInScope(r, sc, key)
		if err != nil {
			return f, err
		}
		f.OrgID = id
	}
	return f, nil
}

// orgIDInScope resolves an organisation named by id or short name, as
// orgFor does for paths. One outside the scope is reported exactly like
// one that does not exist.
func (a *API) orgIDInScope(r *http.Request, sc auth.Scope, key string) (int64, error) {
	if id, err := strconv.ParseInt(key, 10, 64); err == nil && id > 0 {
		o, err := a.d.Store.GetOrg(r.Context(), sc, id)
		if err == nil {
			return o.ID, nil
		}
		if !errs.Is(err, errs.NotFound) {
			return 0, err
		}
	}
	o, err := a.d.Store.GetOrgByShortName(r.Context(), sc, key)
	if errs.Is(err, errs.NotFound) {
		return 0, errs.Field("org", "no organisation %q", key)
	}
	if err != nil {
		return 0, err
	}
	return o.ID, nil
}

// queryTimeOrDate reads an RFC 3339 time or a date (2026-11-20, UTC). A
// date as the end of a range includes that whole day.
func queryTimeOrDate(q url.Values, name string, end bool) (time.Time, error) {
	s := strings.TrimSpace(q.Get(name))
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, errs.Field(name, "want an RFC 3339 time such as 2026-11-20T00:00:00Z or a date such as 2026-11-20, got %q", s)
	}
	if end {
		d = d.AddDate(0, 0, 1)
	}
	return d, nil
}

// The cursor is opaque to clients; today it wraps the id the next page
// starts below.
const cursorPrefix = "before:"

func encodeCursor(beforeID int64) string {
	if beforeID <= 0 {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.FormatInt(beforeID, 10)))
}

func decodeCursor(s string) (int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		if rest, ok := strings.CutPrefix(string(b), cursorPrefix); ok {
			if id, err := strconv.ParseInt(rest, 10, 64); err == nil && id > 0 {
				return id, nil
			}
		}
	}
	return 0, errs.Field("cursor", "not a cursor this API gave out; pass next_cursor from the previous page as it is")
}

// listEvents searches events, newest first, a page at a time.
func (a *API) listEvents(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	sc := auth.ScopeFor(u)
	f, err := a.eventFilter(r, sc)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	if f.Limit, err = queryInt(q, "limit", 100, 1, 1000); err != nil {
		return err
	}
	if s := q.Get("cursor"); s != "" {
		if f.BeforeID, err = decodeCursor(s); err != nil {
			return err
		}
	}
	evs, next, err := a.d.Store.ListEventsPage(r.Context(), sc, f)
	if err != nil {
		return err
	}
	out, err := a.ownerNames(r, sc).convert(evs)
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusOK, eventPage{Events: out, NextCursor: encodeCursor(next)})
	return nil
}

func (a *API) getEvent(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	sc := auth.ScopeFor(u)
	e, err := a.d.Store.GetEvent(r.Context(), sc, id)
	if err != nil {
		return err
	}
	out, err := a.ownerNames(r, sc).convert([]storage.StoredEvent{*e})
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusOK, out[0])
	return nil
}

// csvColumns are the export's columns: IntelMQ harmonization names, so an
// IntelMQ user recognises them, then Qalxan's own. The set is fixed, so a
// spreadsheet or script built on one export reads the next.
var csvColumns = []string{
	"id", "time.source", "time.observation", "feed.name", "classification.taxonomy", "classification.type",
	"classification.identifier", "source.ip", "source.port", "source.fqdn", "source.url", "source.asn",
	"source.as_name", "source.geolocation.cc", "protocol.transport", "protocol.application", "malware.name",
	"owners", "report_id", "line",
}

// csvRow is one event in csvColumns' order. The indexed columns come from
// the stored row, the others from the event's JSON.
func csvRow(e eventOut) []string {
	var data map[string]any
	_ = json.Unmarshal(e.Data, &data) // stored by us as an object; a bad one leaves its columns empty
	field := func(k string) string {
		switch v := data[k].(type) {
		case nil:
			return ""
		case string:
			return v
		default:
			b, _ := json.Marshal(v)
			return string(b)
		}
	}
	ts := ""
	if !e.TimeSource.IsZero() {
		ts = e.TimeSource.Format(time.RFC3339)
	}
	asn := ""
	if e.SourceASN != 0 {
		asn = strconv.FormatUint(uint64(e.SourceASN), 10)
	}
	report, line := "", ""
	if e.ReportID != 0 {
		report, line = strconv.FormatInt(e.ReportID, 10), strconv.Itoa(e.Line)
	}
	row := []string{
		strconv.FormatInt(e.ID, 10), ts, e.TimeObservation.Format(time.RFC3339), e.Feed, e.Taxonomy, e.Type,
		e.Identifier, e.SourceIP, field("source.port"), e.SourceFQDN, field("source.url"), asn,
		field("source.as_name"), field("source.geolocation.cc"), field("protocol.transport"),
		field("protocol.application"), field("malware.name"), strings.Join(e.Owners, " "), report, line,
	}
	for i, v := range row {
		row[i] = csvSafe(v)
	}
	return row
}

// csvSafe keeps a spreadsheet from running a cell as a formula: feed data
// is written by strangers, and "=HYPERLINK(...)" in a URL field would
// otherwise be live in the analyst's Excel. Such a cell gets a leading
// apostrophe, as OWASP advises; numbers ("-1") are left alone.
func csvSafe(v string) string {
	if v == "" || !strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return v
	}
	if _, err := strconv.ParseFloat(v, 64); err == nil {
		return v
	}
	return "'" + v
}

// exportEvents streams every event of a search as CSV or JSON Lines. It
// reads a page at a time, so an export of millions of events takes no
// more memory than one page; the first page is read before anything is
// written, so a bad filter is still a clean JSON error. Each export is
// recorded in the audit log with its filter.
func (a *API) exportEvents(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	format := strings.ToLower(r.URL.Query().Get("format"))
	switch format {
	case "":
		format = "csv"
	case "csv", "json":
	default:
		return errs.Field("format", "unknown format %q (want csv or json)", format)
	}
	sc := auth.ScopeFor(u)
	f, err := a.eventFilter(r, sc)
	if err != nil {
		return err
	}
	f.Limit = exportPage
	evs, next, err := a.d.Store.ListEventsPage(r.Context(), sc, f)
	if err != nil {
		return err
	}
	names := a.ownerNames(r, sc)
	out, err := names.convert(evs)
	if err != nil {
		return err
	}
	filter := r.URL.Query()
	filter.Del("format")
	if err := a.d.Store.Audit(r.Context(), actor(r, u), "event.export", "event", 0, f.OrgID,
		map[string]any{"format": format, "filter": filter.Encode()}); err != nil {
		return err
	}

	h := w.Header()
	ext := "csv"
	if format == "json" {
		// JSON Lines: one event per line, so neither side holds the whole
		// export to write or read it.
		h.Set("Content-Type", "application/x-ndjson")
		ext = "jsonl"
	} else {
		h.Set("Content-Type", "text/csv; charset=utf-8")
	}
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="qalxan-events-%s.%s"`, a.d.Store.Now().Format("2006-01-02"), ext))
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	var cw *csv.Writer
	enc := json.NewEncoder(w)
	if format == "csv" {
		cw = csv.NewWriter(w)
		cw.Write(csvColumns)
	}
	rows := 0
	for {
		for _, e := range out {
			if cw != nil {
				cw.Write(csvRow(e))
			} else if err := enc.Encode(e); err != nil {
				return nil // the client went away
			}
		}
		rows += len(out)
		if cw != nil {
			cw.Flush()
			if cw.Error() != nil {
				return nil // the client went away
			}
		}
		rc.Flush()
		if next == 0 {
			return nil
		}
		f.BeforeID = next
		if evs, next, err = a.d.Store.ListEventsPage(r.Context(), sc, f); err == nil {
			out, err = names.convert(evs)
		}
		if err != nil {
			// The status is sent: all that is left is to log it and cut
			// the file short, which the client sees as a broken download.
			if r.Context().Err() == nil {
				a.d.Log.Error("api: event export failed", "after_rows", rows, "err", err)
			}
			panic(http.ErrAbortHandler)
		}
	}
}
