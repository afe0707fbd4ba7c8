package ui

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/storage"
)

const auditPageSize = 100

// auditObjectTypes are the object types the filter offers.
var auditObjectTypes = []string{"org", "resource", "contact", "event", "user", "token", "session"}

type auditListView struct {
	view
	Filter      auditFilter
	ObjectTypes []string
	Entries     []auditRow
	NextURL     string // older entries, "" when there are none
}

// auditFilter is the filter bar, kept in the URL like every list's.
type auditFilter struct {
	Actor, Action, ObjectType, ObjectID string
}

// auditRow is an entry with its before/after JSON indented for reading.
type auditRow struct {
	auth.AuditEntry
	BeforeText, AfterText string
}

// auditList (GET /admin/audit) shows the audit log, newest first.
func (h *handler) auditList(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.ReadAudit) {
		return
	}
	q := r.URL.Query()
	f := auditFilter{
		Actor: strings.TrimSpace(q.Get("actor")), Action: strings.TrimSpace(q.Get("action")),
		ObjectType: q.Get("object_type"), ObjectID: strings.TrimSpace(q.Get("object_id")),
	}
	before, _ := strconv.ParseInt(q.Get("before_id"), 10, 64)
	entries, err := h.Store.ListAudit(r.Context(), storage.AuditFilter{
		Actor: f.Actor, Action: f.Action, ObjectType: f.ObjectType, ObjectID: f.ObjectID,
		BeforeID: before, Limit: auditPageSize,
	})
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	v := auditListView{view: h.newView(w, r, u, "audit.title", "audit"), Filter: f, ObjectTypes: auditObjectTypes}
	for _, e := range entries {
		v.Entries = append(v.Entries, auditRow{AuditEntry: e, BeforeText: indentJSON(e.Before), AfterText: indentJSON(e.After)})
	}
	if len(entries) == auditPageSize {
		next := url.Values{}
		for k, x := range map[string]string{"actor": f.Actor, "action": f.Action, "object_type": f.ObjectType, "object_id": f.ObjectID} {
			if x != "" {
				next.Set(k, x)
			}
		}
		next.Set("before_id", strconv.FormatInt(entries[len(entries)-1].ID, 10))
		v.NextURL = "/admin/audit?" + next.Encode()
	}
	h.render(w, r, http.StatusOK, "audit_list", &v)
}

func indentJSON(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var b bytes.Buffer
	if json.Indent(&b, raw, "", "  ") != nil {
		return string(raw)
	}
	return b.String()
}
