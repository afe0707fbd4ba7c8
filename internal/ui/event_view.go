package ui

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/i18n"
	"github.com/qalxan/qalxan/internal/storage"
)

type eventView struct {
	view
	Event     eventRow
	Fields    []eventField // every key of the event, sorted
	SameIPURL string       // the list filtered by the event's source address, "" without one
}

// eventField is one key of the event and its value as text.
type eventField struct {
	Key, Value string
}

// eventView (GET /events/{id}) shows one event with every field. Another
// agency's event is not found, as if it did not exist.
func (h *handler) eventView(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.ReadEvents) {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.notFound(w, r, u)
		return
	}
	sc := auth.ScopeFor(u)
	e, err := h.Store.GetEvent(r.Context(), sc, id)
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	rows, err := h.eventRows(r.Context(), sc, []storage.StoredEvent{*e})
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	v := eventView{view: h.newView(w, r, u, "events.title", "events"), Event: rows[0]}
	v.Title = i18n.T(v.Lang, "event.title", id)
	// UseNumber: an integer beyond 2^53 is shown as stored, not rounded.
	var data map[string]any
	dec := json.NewDecoder(bytes.NewReader(e.Data))
	dec.UseNumber()
	if dec.Decode(&data) == nil {
		for k, x := range data {
			v.Fields = append(v.Fields, eventField{Key: k, Value: fieldText(x)})
		}
	}
	slices.SortFunc(v.Fields, func(a, b eventField) int { return strings.Compare(a.Key, b.Key) })
	if e.SourceIP != "" {
		v.SameIPURL = "/events?" + url.Values{"ip": {e.SourceIP}}.Encode()
	}
	h.render(w, r, http.StatusOK, "event_view", &v)
}

// fieldText is a value of the event's JSON as text: strings as they are,
// anything else (numbers, booleans, lists) as JSON.
func fieldText(x any) string {
	if s, ok := x.(string); ok {
		return s
	}
	b, err := json.Marshal(x)
	if err != nil {
		return ""
	}
	return string(b)
}
